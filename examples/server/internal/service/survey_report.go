package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// The tables of a release, as readers get them: only what the release
// publishes, under its settings, each read recorded in the audit log
// (entity "survey_report", one entry per import read) before the tables
// leave the server. Every hidden, top-coded or missing figure says why
// in words (Why) beside its rule's code.

// ReportQuery selects tables of a release.
type ReportQuery struct {
	Overrides
	// Breakdowns are the breakdowns wanted, each one of the release's
	// (in any order of its dimensions); none gives the program-wide
	// totals only.
	Breakdowns [][]survey.Dimension
	// Items are the items wanted; none gives every item the release
	// publishes.
	Items []string
}

// SurveyReport is a release's tables: the library's report, each cell
// with why its figures are hidden, and the program-wide sentences.
type SurveyReport struct {
	*survey.Report
	// Tables shadow the report's tables with cells that say why.
	Tables []SurveyTable `json:"tables"`
	// Sentences read each item's program-wide total: "P percent of the N
	// providers who ...".
	Sentences []SurveySentence `json:"sentences"`
}

// WriteCSV writes the report's cells as CSV, one row per cell: the
// library's columns (see survey.Report.WriteCSV, whose escaping of
// formula-like cells it keeps) and, last, "why": why the cell's figures
// are hidden or shown as a range, in words ("" when they are shown).
func (r SurveyReport) WriteCSV(w io.Writer) error {
	var whys []string
	for _, t := range r.Tables {
		for _, c := range t.Cells {
			whys = append(whys, c.Why)
		}
	}
	var buf bytes.Buffer
	if err := r.Report.WriteCSV(&buf); err != nil {
		return err
	}
	in, out := csv.NewReader(&buf), csv.NewWriter(w)
	for row := 0; ; row++ {
		rec, err := in.Read()
		if errors.Is(err, io.EOF) {
			if row != len(whys)+1 {
				return bsk.Errorf(bsk.CodeInternal, "the report's CSV has %d rows for %d cells", row-1, len(whys))
			}
			break
		}
		if err != nil {
			return bsk.Errorf(bsk.CodeInternal, "re-reading the report's CSV: %w", err)
		}
		switch {
		case row == 0:
			rec = append(rec, "why")
		case row <= len(whys):
			rec = append(rec, survey.CSVField(whys[row-1]))
		default:
			return bsk.Errorf(bsk.CodeInternal, "the report's CSV has more rows than its %d cells", len(whys))
		}
		if err := out.Write(rec); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

// SurveyTable is one item's table under one breakdown.
type SurveyTable struct {
	survey.Table
	Cells []SurveyCell `json:"cells"`
}

// SurveyCell is a published cell; Why says in words why its figures are
// hidden or shown as a range ("" when they are shown).
type SurveyCell struct {
	survey.Cell
	Why string `json:"why,omitempty"`
}

// SurveySentence is one item's program-wide total in a sentence.
type SurveySentence struct {
	Item     string `json:"item"`
	Sentence string `json:"sentence"`
}

// readRelease checks the caller and returns the import's publication.
func (s *Surveys) readRelease(ctx context.Context, id string) (Principal, *survey.Publication, error) {
	p, err := require(ctx, SurveyReaders()...)
	if err != nil {
		return p, nil, err
	}
	pub, err := s.published(ctx, p, id)
	return p, pub, err
}

// Report gives a released import's tables, as q selects, for JSON or
// for a CSV download ([SurveyReport.WriteCSV]).
//
// Errors: invalid naming the parameter (a parameter the release fixes,
// too many breakdowns, a breakdown or item the release does not
// publish); not_found for an unknown import; conflict before the
// release; unauthorized for a role that may not read survey data, and
// for an unsuppressed release read by anyone but an administrator;
// internal when the read cannot be audited.
func (s *Surveys) Report(ctx context.Context, id string, q ReportQuery) (SurveyReport, error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return SurveyReport{}, err
	}
	if err := q.check(id); err != nil {
		return SurveyReport{}, err
	}
	if err := checkRequested(q.Breakdowns); err != nil {
		return SurveyReport{}, err
	}
	_, pub, err := s.readRelease(ctx, id)
	if err != nil {
		return SurveyReport{}, err
	}
	if err := checkReleased(pub, q.Breakdowns, q.Items); err != nil {
		return SurveyReport{}, err
	}
	rep, err := pub.Select(q.Items, q.Breakdowns)
	if err != nil {
		return SurveyReport{}, err
	}
	set, err := s.setOf(ctx, id)
	if err != nil {
		return SurveyReport{}, err
	}
	if err := s.audit.Reads(ctx, "survey_report", id); err != nil {
		return SurveyReport{}, err
	}
	out := SurveyReport{Report: rep, Tables: make([]SurveyTable, len(rep.Tables)), Sentences: []SurveySentence{}}
	for i, t := range rep.Tables {
		out.Tables[i] = SurveyTable{Table: t, Cells: make([]SurveyCell, len(t.Cells))}
		for j, c := range t.Cells {
			out.Tables[i].Cells[j] = SurveyCell{Cell: c, Why: cellWhy(c)}
		}
	}
	in := set.Instrument()
	for _, it := range in.Items {
		if cell, ok := rep.Total(it.Code); ok {
			out.Sentences = append(out.Sentences, SurveySentence{it.Code, survey.Sentence(in, it, cell)})
		}
	}
	return out, nil
}

// ItemQuery asks for one item's program-wide result. Breakdowns must be
// nil: rankings and frequencies are published program-wide only.
type ItemQuery struct {
	Overrides
	Breakdowns [][]survey.Dimension
}

// SurveyRanking is a released ranking item's result; Why says in words
// why it is hidden.
type SurveyRanking struct {
	survey.RankResult
	Why string `json:"why,omitempty"`
}

// Ranking gives a released ranking item's result.
//
// Errors: invalid (a breakdown, a parameter the release fixes); not_found
// for an unknown import or an item the release does not rank; conflict
// before the release; unauthorized; internal when the read cannot be
// audited.
func (s *Surveys) Ranking(ctx context.Context, id, item string, q ItemQuery) (SurveyRanking, error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return SurveyRanking{}, err
	}
	if err := programWide(id, q.Breakdowns, q.Overrides); err != nil {
		return SurveyRanking{}, err
	}
	_, pub, err := s.readRelease(ctx, id)
	if err != nil {
		return SurveyRanking{}, err
	}
	r, ok := pub.Ranking(item)
	if !ok {
		return SurveyRanking{}, bsk.NotFoundf("item", "no ranking item %q in the import's release", item)
	}
	if err := s.audit.Reads(ctx, "survey_report", id); err != nil {
		return SurveyRanking{}, err
	}
	out := SurveyRanking{RankResult: r}
	if r.Suppressed {
		out.Why = ruleWhy(r.Rule)
	}
	return out, nil
}

// SurveyFrequencies is a released multi-select item's frequencies, each
// hidden option saying why.
type SurveyFrequencies struct {
	survey.Frequencies
	Options []SurveyFrequency `json:"options"`
}

// SurveyFrequency is one option's frequency; Why says in words why it is
// hidden.
type SurveyFrequency struct {
	survey.Frequency
	Why string `json:"why,omitempty"`
}

// Frequencies gives a released multi-select item's frequencies.
//
// Errors: as [Surveys.Ranking].
func (s *Surveys) Frequencies(ctx context.Context, id, item string, q ItemQuery) (SurveyFrequencies, error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return SurveyFrequencies{}, err
	}
	if err := programWide(id, q.Breakdowns, q.Overrides); err != nil {
		return SurveyFrequencies{}, err
	}
	_, pub, err := s.readRelease(ctx, id)
	if err != nil {
		return SurveyFrequencies{}, err
	}
	f, ok := pub.Frequency(item)
	if !ok {
		return SurveyFrequencies{}, bsk.NotFoundf("item", "no multi-select item %q in the import's release", item)
	}
	if err := s.audit.Reads(ctx, "survey_report", id); err != nil {
		return SurveyFrequencies{}, err
	}
	out := SurveyFrequencies{Frequencies: f, Options: make([]SurveyFrequency, len(f.Options))}
	for i, o := range f.Options {
		out.Options[i] = SurveyFrequency{Frequency: o}
		if o.Suppressed {
			out.Options[i].Why = ruleWhy(o.Rule)
		}
	}
	return out, nil
}

// TrendQuery asks for the change between an earlier release and a later
// one.
type TrendQuery struct {
	Overrides
	// From names the earlier import; required.
	From string
	// Breakdowns and Items select as in [ReportQuery].
	Breakdowns [][]survey.Dimension
	Items      []string
}

// SurveyTrend is the change of every cell between two releases; each
// cell without a figure says why in words.
type SurveyTrend struct {
	*survey.Trend
	Tables []SurveyTrendTable `json:"tables"`
}

// SurveyTrendTable is one item's trend under one breakdown.
type SurveyTrendTable struct {
	survey.TrendTable
	Cells []SurveyTrendCell `json:"cells"`
}

// SurveyTrendCell is one group's change; Why says in words why it has no
// figure ("" when it has one).
type SurveyTrendCell struct {
	survey.TrendCell
	Why string `json:"why,omitempty"`
}

// otherRelease is published for an import a query names: not found and
// conflict name the parameter.
func (s *Surveys) otherRelease(ctx context.Context, p Principal, param, id string) (*survey.Publication, error) {
	pub, err := s.published(ctx, p, id)
	switch bsk.ErrorCode(err) {
	case bsk.CodeNotFound:
		return nil, bsk.NotFoundf(param, "no import %q (?%s=)", id, param)
	case bsk.CodeConflict:
		return nil, bsk.Errorf(bsk.CodeConflict, "import %q (?%s=) is not released: a trend or a paired comparison uses released imports only", id, param)
	}
	return pub, err
}

// Trend gives the change of every cell between two released imports, id
// the later. Their instruments must have the same item codes, each of the
// same kind (the instrument of each cycle has its own ID; its items stay
// the same). Only the two releases' published figures are compared, so a
// cell hidden in either has no figure (survey.CompareReleases). Both
// reads are audited.
//
// Errors: invalid (no From, instruments whose items differ, naming
// "from"; a parameter the release fixes; a breakdown or item outside
// either release); not_found for an unknown import; conflict before
// either release; unauthorized; internal.
func (s *Surveys) Trend(ctx context.Context, id string, q TrendQuery) (SurveyTrend, error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return SurveyTrend{}, err
	}
	if err := q.check(id); err != nil {
		return SurveyTrend{}, err
	}
	if err := checkRequested(q.Breakdowns); err != nil {
		return SurveyTrend{}, err
	}
	if q.From == "" {
		return SurveyTrend{}, bsk.Errors{bsk.Invalidf("from", "names the earlier import: ?from={import id}")}
	}
	p, to, err := s.readRelease(ctx, id)
	if err != nil {
		return SurveyTrend{}, err
	}
	from, err := s.otherRelease(ctx, p, "from", q.From)
	if err != nil {
		return SurveyTrend{}, err
	}
	fs, err := s.setOf(ctx, q.From)
	if err != nil {
		return SurveyTrend{}, err
	}
	ts, err := s.setOf(ctx, id)
	if err != nil {
		return SurveyTrend{}, err
	}
	if !sameItems(fs.Instrument(), ts.Instrument()) {
		return SurveyTrend{}, bsk.Errors{bsk.Invalidf("from", "import %q is of instrument %q, whose items differ from those of %q: a trend compares cycles of one instrument (the same item codes and kinds)",
			q.From, fs.Instrument().ID, ts.Instrument().ID)}
	}
	if err := checkReleased(to, q.Breakdowns, q.Items); err != nil {
		return SurveyTrend{}, err
	}
	if err := checkReleased(from, q.Breakdowns, q.Items); err != nil {
		return SurveyTrend{}, err
	}
	tr, err := survey.CompareReleases(from, to, q.Items, q.Breakdowns)
	if err != nil {
		return SurveyTrend{}, err
	}
	if err := s.audit.Reads(ctx, "survey_report", id, q.From); err != nil {
		return SurveyTrend{}, err
	}
	out := SurveyTrend{Trend: tr, Tables: make([]SurveyTrendTable, len(tr.Tables))}
	for i, t := range tr.Tables {
		out.Tables[i] = SurveyTrendTable{TrendTable: t, Cells: make([]SurveyTrendCell, len(t.Cells))}
		for j, c := range t.Cells {
			out.Tables[i].Cells[j] = SurveyTrendCell{TrendCell: c, Why: missingWhy(c.Missing)}
		}
	}
	return out, nil
}

// sameItems reports whether two instruments have the same item codes,
// each of the same kind.
func sameItems(a, b survey.Instrument) bool {
	if len(a.Items) != len(b.Items) {
		return false
	}
	for _, it := range a.Items {
		o, ok := b.Item(it.Code)
		if !ok || o.Kind != it.Kind {
			return false
		}
	}
	return true
}

// PairedQuery asks for one item compared between two imports of the same
// people. Breakdowns must be nil: a paired comparison is program-wide.
type PairedQuery struct {
	Overrides
	// Before names the earlier import; required.
	Before string
	// Item names the item; required.
	Item       string
	Breakdowns [][]survey.Dimension
}

// SurveyPaired is a paired comparison; Why says in words why its figures
// are hidden.
type SurveyPaired struct {
	survey.Paired
	Why string `json:"why,omitempty"`
}

// Paired compares one item between two released imports of the same
// people, id the later: the respondents matched by ID
// (survey.ComparePaired), under the disclosure standard of the later
// import's release. The item must be published with a table, not
// withheld, by both releases. Both reads are audited.
//
// Errors: invalid (no Before or Item, a breakdown, a parameter the
// release fixes, an item either release does not publish); not_found for
// an unknown import or item; conflict before either release;
// unauthorized; internal.
func (s *Surveys) Paired(ctx context.Context, id string, q PairedQuery) (SurveyPaired, error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return SurveyPaired{}, err
	}
	if err := programWide(id, q.Breakdowns, q.Overrides); err != nil {
		return SurveyPaired{}, err
	}
	if q.Before == "" {
		return SurveyPaired{}, bsk.Errors{bsk.Invalidf("before", "names the earlier import: ?before={import id}")}
	}
	if q.Item == "" {
		return SurveyPaired{}, bsk.Errors{bsk.Invalidf("item", "names the item to compare: ?item={code}")}
	}
	p, after, err := s.readRelease(ctx, id)
	if err != nil {
		return SurveyPaired{}, err
	}
	before, err := s.otherRelease(ctx, p, "before", q.Before)
	if err != nil {
		return SurveyPaired{}, err
	}
	bs, err := s.setOf(ctx, q.Before)
	if err != nil {
		return SurveyPaired{}, err
	}
	as, err := s.setOf(ctx, id)
	if err != nil {
		return SurveyPaired{}, err
	}
	for _, set := range []*survey.Set{bs, as} {
		if _, ok := set.Instrument().Item(q.Item); !ok {
			return SurveyPaired{}, bsk.NotFoundf("item", "no item %q in instrument %q", q.Item, set.Instrument().ID)
		}
	}
	for _, pub := range []*survey.Publication{before, after} {
		switch {
		case slices.Contains(pub.Withheld, q.Item):
			return SurveyPaired{}, bsk.Errors{bsk.Invalidf("item", "item %q is withheld by a release: its figures cannot be published", q.Item)}
		case !slices.ContainsFunc(pub.Report.Tables, func(t survey.Table) bool { return t.Item == q.Item }):
			return SurveyPaired{}, bsk.Errors{bsk.Invalidf("item", "item %q is not published with a table by both releases", q.Item)}
		}
	}
	res, err := survey.ComparePaired(bs, as, q.Item, after.Release.Standard)
	if err != nil {
		return SurveyPaired{}, err
	}
	if err := s.audit.Reads(ctx, "survey_report", id, q.Before); err != nil {
		return SurveyPaired{}, err
	}
	out := SurveyPaired{Paired: res}
	if res.Suppressed {
		out.Why = ruleWhy(res.Rule)
	}
	return out, nil
}
