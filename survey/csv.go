package survey

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// ImportOptions tune the importers.
type ImportOptions struct {
	// SkipBadRows imports the good rows and lists every bad one with its
	// problems; by default one bad row fails the whole import and nothing
	// is imported.
	SkipBadRows bool `json:"skip_bad_rows,omitempty"`
	// MaxProblems stops collecting problems after this many; 0 means 100.
	MaxProblems int `json:"max_problems,omitempty"`
	// Progress, when set, is called every 10,000 rows with the rows read.
	Progress func(rows int) `json:"-"`
}

// Skipped is a row left out of an import, with every problem in it.
type Skipped struct {
	// Row is the row's line number in the file (the header is line 1).
	Row      int      `json:"row"`
	Problems []string `json:"problems"`
}

// ImportReport says what an import did.
type ImportReport struct {
	// Rows counts the data rows read.
	Rows int `json:"rows"`
	// Imported counts the responses added.
	Imported int `json:"imported"`
	// Skipped lists the rows left out (with SkipBadRows).
	Skipped []Skipped `json:"skipped"`
}

// respondentColumns are the CSV columns that describe the respondent.
var respondentColumns = reserved

// ImportCSV reads responses from a CSV file whose header names the
// respondent columns (respondent_id, and optionally weight, race, gender,
// age_band, place, income, role, organization_kind, session,
// hispanic_latino for the 1997 standard's separate ethnicity question,
// race_detail for the 2024 standard's detailed groups (codes of
// [bsk.RaceDetail], ";"-separated), race_write_in_<category> for a
// category's write-in (race_write_in_asian), and the sample design's
// stratum, cluster and stratum_size) and item
// codes. Multi-select and ranking answers list option codes separated by
// ";" (a ranking from first to last); race lists categories the same way.
// It streams: memory grows with the responses kept, not the file.
//
// Problems are bsk errors whose field names the row's line and the column,
// such as "rows[12].q3". By default the import is all or nothing: any
// problem returns no set, with every problem found (up to MaxProblems).
func ImportCSV(r io.Reader, in Instrument, opts ImportOptions) (*Set, ImportReport, error) {
	rep := ImportReport{Skipped: []Skipped{}}
	s, err := NewSet(in)
	if err != nil {
		return nil, rep, err
	}
	maxProblems := opts.MaxProblems
	if maxProblems <= 0 {
		maxProblems = 100
	}
	for i, it := range in.Items {
		if slices.Contains(reserved, it.Code) {
			return nil, rep, bsk.Errors{bsk.Invalidf(bsk.Index("items", i)+".code", "item %q has the name of a respondent column, which a CSV header cannot tell apart: rename the item", it.Code)}
		}
	}
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, rep, bsk.Errors{bsk.Invalidf("rows[1]", "the file is empty: a header row is required")}
	}
	if err != nil {
		return nil, rep, bsk.Errors{bsk.Invalidf("rows[1]", "%s", csvMessage(err))}
	}
	header = slices.Clone(header)
	var pr bsk.Problems
	items := make([]int, len(header)) // per column: item index, or -1 - respondent column index
	seen := map[string]int{}
	for c, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[c] = h
		f := "rows[1]." + h
		if j, dup := seen[h]; dup {
			pr.AddCode(bsk.CodeConflict, f, "column %q appears twice (columns %d and %d)", h, j+1, c+1)
		}
		seen[h] = c
		if k := slices.Index(respondentColumns, h); k >= 0 {
			items[c] = -1 - k
			continue
		}
		i := slices.IndexFunc(in.Items, func(it Item) bool { return it.Code == h })
		if i < 0 {
			pr.AddCode(bsk.CodeNotFound, f, "unknown column %q: not an item code of %s or a respondent column", h, in.ID)
			continue
		}
		items[c] = i
	}
	if _, ok := seen["respondent_id"]; !ok {
		pr.Add("rows[1]", "the header has no respondent_id column")
	}
	if in.Weighted {
		if _, ok := seen["weight"]; !ok {
			pr.Add("rows[1]", "the instrument is weighted: the header needs a weight column")
		}
	}
	if err := pr.Err(); err != nil {
		return nil, rep, err
	}
	resp := Response{Answers: map[string][]string{}}
	one := make([][]string, len(header))
	for c := range one {
		one[c] = make([]string, 1)
	}
	var p parsed
	var all bsk.Errors
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line := lineOf(cr, err)
		var fe *csv.ParseError
		if err != nil && !(errors.As(err, &fe) && fe.Err == csv.ErrFieldCount) {
			// A syntax error leaves the reader lost: stop here.
			return nil, rep, append(all, bsk.Invalidf(bsk.Index("rows", line), "%s", csvMessage(err)))
		}
		rep.Rows++
		if opts.Progress != nil && rep.Rows%10000 == 0 {
			opts.Progress(rep.Rows)
		}
		var rowErr error
		if err != nil {
			rowErr = bsk.Errors{bsk.Invalidf(bsk.Index("rows", line), "has %d fields; the header has %d", len(rec), len(header))}
		} else {
			rowErr = s.fillRow(rec, header, items, one, &resp, line)
			if rowErr == nil {
				if err := s.check(resp, &p); err != nil {
					rowErr = rowProblems(err, line)
				} else if err := s.appendParsed(resp.ID, resp.Weight, &p); err != nil {
					rowErr = rowProblems(err, line)
				}
			}
		}
		if rowErr == nil {
			rep.Imported++
			continue
		}
		var list bsk.Errors
		errors.As(rowErr, &list)
		if badRow(&rep, &all, line, list, opts.SkipBadRows, maxProblems) {
			return nil, rep, all
		}
	}
	if len(all) > 0 {
		rep.Imported = 0
		return nil, rep, all
	}
	return s, rep, nil
}

// fillRow turns a CSV record into a response, reusing its buffers.
func (s *Set) fillRow(rec, header []string, items []int, one [][]string, r *Response, line int) error {
	clear(r.Answers)
	r.Respondent = Respondent{}
	var pr bsk.Problems
	for c, v := range rec {
		v = strings.TrimSpace(v)
		if items[c] >= 0 {
			if v == "" {
				continue
			}
			it := s.inst.Items[items[c]]
			if it.Kind == Multi || it.Kind == Ranking {
				r.Answers[it.Code] = splitList(v)
			} else {
				one[c][0] = v
				r.Answers[it.Code] = one[c]
			}
			continue
		}
		switch respondentColumns[-1-items[c]] {
		case "respondent_id":
			r.ID = v
		case "weight":
			if v == "" {
				continue
			}
			w, err := strconv.ParseFloat(v, 64)
			if err != nil {
				pr.Add(bsk.Index("rows", line)+"."+header[c], "%q is not a number", v)
			}
			r.Weight = w
		case "race":
			for _, x := range splitList(v) {
				r.Demographics.Race = append(r.Demographics.Race, bsk.RaceEthnicity(x))
			}
		case "race_detail":
			for _, x := range splitList(v) {
				r.Demographics.RaceDetail = append(r.Demographics.RaceDetail, bsk.RaceDetail(x))
			}
		case "gender":
			r.Demographics.Gender = bsk.Gender(v)
		case "age_band":
			r.Demographics.AgeBand = bsk.AgeBand(v)
		case "place":
			r.Demographics.Place = bsk.Place(v)
		case "income":
			r.Demographics.Income = bsk.IncomeBand(v)
		case "role":
			r.Role = bsk.Role(v)
		case "organization_kind":
			r.OrganizationKind = bsk.OrganizationKind(v)
		case "session":
			r.Session = v
		case "hispanic_latino":
			r.HispanicLatino = bsk.Ethnicity1997(v)
		case "stratum":
			r.Stratum = v
		case "cluster":
			r.Cluster = v
		case "stratum_size":
			if v == "" {
				continue
			}
			k, err := strconv.Atoi(v)
			if err != nil {
				pr.Add(bsk.Index("rows", line)+"."+header[c], "%q is not a whole number", v)
			}
			r.StratumSize = k
		default:
			if cat, ok := writeInColumn(respondentColumns[-1-items[c]]); ok && v != "" {
				setWriteIn(&r.Respondent, cat, v)
			}
		}
	}
	return pr.Err()
}

func splitList(v string) []string {
	parts := strings.Split(v, ";")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rowProblems renames a response's problems to the row and CSV column.
func rowProblems(err error, line int) bsk.Errors {
	var list bsk.Errors
	if !errors.As(err, &list) {
		return bsk.Errors{bsk.Invalidf(bsk.Index("rows", line), "%v", err)}
	}
	out := make(bsk.Errors, len(list))
	for i, e := range list {
		c := *e
		c.Field = bsk.Index("rows", line) + "." + csvColumn(e.Field)
		out[i] = &c
	}
	return out
}

// csvColumn maps a response field to its CSV column.
func csvColumn(field string) string {
	switch {
	case strings.HasPrefix(field, "answers."):
		return strings.TrimPrefix(field, "answers.")
	case strings.HasPrefix(field, "demographics.race_write_in."):
		return "race_write_in_" + strings.TrimPrefix(field, "demographics.race_write_in.")
	case strings.HasPrefix(field, "demographics.race_detail"):
		return "race_detail"
	case strings.HasPrefix(field, "demographics.race"):
		return "race"
	case strings.HasPrefix(field, "demographics.age_band"):
		return "age_band"
	case strings.HasPrefix(field, "demographics."):
		f := strings.TrimPrefix(field, "demographics.")
		if i := strings.IndexAny(f, ".["); i >= 0 {
			f = f[:i]
		}
		return f
	}
	return field
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// skipBOM drops a UTF-8 byte order mark at the start of r.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}

// lineOf is the line a record (or a read error) starts at.
func lineOf(cr *csv.Reader, err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
		return pe.StartLine
	}
	line, _ := cr.FieldPos(0)
	return line
}

// badRow records a row's problems: as a skipped row in rep with skip, else
// in all. It reports whether the import must stop, all then ending with a
// note that it stopped after maxProblems.
func badRow(rep *ImportReport, all *bsk.Errors, line int, problems bsk.Errors, skip bool, maxProblems int) bool {
	if skip {
		sk := Skipped{Row: line}
		for _, e := range problems {
			sk.Problems = append(sk.Problems, e.Error())
		}
		rep.Skipped = append(rep.Skipped, sk)
		return false
	}
	*all = append(*all, problems...)
	if len(*all) >= maxProblems {
		*all = append((*all)[:maxProblems], bsk.Invalidf("", "stopped after %d problems", maxProblems))
		return true
	}
	return false
}
