package service

import (
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// The access policy for survey data, in one place:
//
//	operation                                   roles
//	create instruments, import responses,       admin, evaluator
//	set a release
//	read instruments, imports and the tables    admin, evaluator, coordinator
//	of a release (reports, rankings,
//	frequencies, trends, paired comparisons)
//	release unsuppressed figures, and read      admin
//	an unsuppressed release
//	the reasons of an import's bad rows         admin, evaluator
//	(a coordinator reads the row and column)
//
// Agencies and consultants see no survey data at all. Every read of a
// release's tables is recorded in the audit log before the tables leave
// the server, and readers get only what the release fixes: they may not
// choose the standard, the population, the race mode or the intervals
// (see [Overrides]).

// SurveyEditors returns the roles that create instruments, import
// responses and set releases.
func SurveyEditors() []Role { return []Role{RoleAdmin, RoleEvaluator} }

// SurveyReaders returns the roles that read instruments, imports and
// released tables.
func SurveyReaders() []Role { return []Role{RoleAdmin, RoleEvaluator, RoleCoordinator} }

// mayRelease refuses unsuppressed figures released by anyone but an
// administrator.
func mayRelease(p Principal, d survey.Disclosure) error {
	if d.Off && p.Role != RoleAdmin {
		return bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may release unsuppressed figures")
	}
	return nil
}

// mayReadRelease refuses an unsuppressed release to anyone but an
// administrator.
func mayReadRelease(p Principal, id string, rel *ImportRelease) error {
	if survey.Presets()[rel.Standard].Off && p.Role != RoleAdmin {
		return bsk.Errorf(bsk.CodeUnauthorized, "import %q is released unsuppressed: only an administrator may read it", id)
	}
	return nil
}

// Overrides are the parameters a release fixes. A reader may not choose
// them: each one set (to any value, "" too) is refused with an invalid
// error naming it, so that nobody shops for the standard that shows a
// cell or switches the counts rules off with a large population.
type Overrides struct {
	// Standard, Population, Race and Interval are nil unless the reader
	// tried to choose them.
	Standard, Population, Race, Interval *string
}

// check refuses every parameter set.
func (o Overrides) check(id string) error {
	var list bsk.Errors
	for _, f := range []struct {
		name string
		v    *string
	}{{"standard", o.Standard}, {"population", o.Population}, {"race", o.Race}, {"interval", o.Interval}} {
		if f.v != nil {
			list = append(list, bsk.Invalidf(f.name, "is fixed by the import's release (GET /imports/%s shows it): remove it", id))
		}
	}
	if len(list) > 0 {
		return list
	}
	return nil
}

// checkRequested refuses, before any work, more than
// survey.MaxBreakdowns breakdowns or survey.MaxDimensions dimensions in
// one.
func checkRequested(bds [][]survey.Dimension) error {
	if len(bds) > survey.MaxBreakdowns {
		return bsk.Errors{bsk.Invalidf("breakdown", "%d breakdowns requested; a request has at most %d", len(bds), survey.MaxBreakdowns)}
	}
	for _, b := range bds {
		if len(b) > survey.MaxDimensions {
			return bsk.Errors{bsk.Invalidf("breakdown", "%q crosses %d dimensions; a breakdown crosses at most %d", dimsText(b), len(b), survey.MaxDimensions)}
		}
	}
	return nil
}

// programWide refuses breakdowns of rankings, frequencies and paired
// comparisons, which are published program-wide only, then the
// parameters a release fixes.
func programWide(id string, bds [][]survey.Dimension, o Overrides) error {
	if bds != nil {
		return bsk.Errors{bsk.Invalidf("breakdown", "rankings and frequencies are published program-wide only")}
	}
	return o.check(id)
}

// checkReleased refuses breakdowns and items the release does not
// publish, naming the parameter.
func checkReleased(p *survey.Publication, breakdowns [][]survey.Dimension, items []string) error {
	var list bsk.Errors
	for _, b := range breakdowns {
		switch {
		case p.Covers(b):
		case slices.ContainsFunc(p.WithheldBreakdowns, func(w []survey.Dimension) bool { return sameDims(w, b) }):
			list = append(list, bsk.Invalidf("breakdown", "breakdown %v is withheld: its tables cannot be published without revealing a hidden cell", b))
		default:
			list = append(list, bsk.Invalidf("breakdown", "breakdown %v is not in the import's release (releases: %v)", b, p.Release.Breakdowns))
		}
	}
	for _, it := range items {
		if !slices.ContainsFunc(p.Report.Tables, func(t survey.Table) bool { return t.Item == it }) {
			list = append(list, bsk.Invalidf("items", "item %q has no table in the import's release", it))
		}
	}
	if len(list) > 0 {
		return list
	}
	return nil
}

// sameDims reports whether two breakdowns cross the same dimensions, in
// any order.
func sameDims(a, b []survey.Dimension) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(d survey.Dimension) bool { return !slices.Contains(b, d) })
}

// dimsText writes a breakdown as a request names it: "race,place".
func dimsText(b []survey.Dimension) string {
	s := ""
	for i, d := range b {
		if i > 0 {
			s += ","
		}
		s += string(d)
	}
	return s
}

// cellHidden replaces the reason of a bad row for readers who see survey
// data only as suppressed aggregates.
const cellHidden = "this row's value here is not valid; the reason quotes the respondent's answer, so only evaluators and administrators read it"

// forReader returns imp as p may read it. A bad row's reason can quote the
// cell (a respondent's race, income or answer to an item: "unknown race
// code \"...\""), which is one respondent's data; a coordinator sees
// survey data only as suppressed aggregates, so for a coordinator each
// problem of a data row keeps its row and column and loses its reason.
// Problems of the file as a whole (the header, the limits) stay. The
// editors (who uploaded the file and can open it) read every reason.
func forReader(p Principal, imp SurveyImport) SurveyImport {
	if p.Is(SurveyEditors()...) {
		return imp
	}
	if len(imp.Problems) > 0 {
		out := make([]ImportProblem, len(imp.Problems))
		for i, pr := range imp.Problems {
			if dataRow(pr.Field) {
				pr.Message, pr.Hidden = cellHidden, true
			}
			out[i] = pr
		}
		imp.Problems = out
	}
	if imp.Report != nil && len(imp.Report.Skipped) > 0 {
		rep := *imp.Report
		rep.Skipped = make([]survey.Skipped, len(imp.Report.Skipped))
		for i, sk := range imp.Report.Skipped {
			hidden := make([]string, len(sk.Problems))
			for j, msg := range sk.Problems {
				field, _, ok := strings.Cut(msg, ": ")
				if !ok || !dataRow(field) {
					field = bsk.Index("rows", sk.Row)
				}
				hidden[j] = field + ": " + cellHidden
			}
			rep.Skipped[i] = survey.Skipped{Row: sk.Row, Problems: hidden}
		}
		imp.Report = &rep
	}
	return imp
}

// dataRow reports whether a problem's field names a data row of the file
// ("rows[12]", "rows[12].race"): line 2 or later, the header being line 1.
func dataRow(field string) bool {
	rest, ok := strings.CutPrefix(field, "rows[")
	if !ok {
		return false
	}
	num, _, ok := strings.Cut(rest, "]")
	if !ok {
		return false
	}
	line, err := strconv.Atoi(num)
	return err == nil && line >= 2
}
