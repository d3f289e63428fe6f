package survey

import (
	"github.com/beststarts/workforce/bsk"
)

// CountTable is a table of counts to publish: its rows partition a
// population (each column's rows sum to the column's total) and its
// columns count nested subsets of it, such as applicants, eligible
// applicants and awards by race. Other packages use it to put their own
// counts through the same disclosure control as survey estimates.
type CountTable struct {
	Rows    []string `json:"rows"`
	Columns []string `json:"columns"`
	// Counts holds one row of counts per row, one per column.
	Counts [][]int `json:"counts"`
	// Totals holds each column's total.
	Totals []int `json:"totals"`
}

// ProtectedCounts is a CountTable after disclosure control: a hidden
// count is nil, with the rule that hid it.
type ProtectedCounts struct {
	Disclosure string   `json:"disclosure"`
	Rows       []string `json:"rows"`
	Columns    []string `json:"columns"`
	Counts     [][]*int `json:"counts"`
	// Rules names, per cell, the rule that hid it ("" when shown).
	Rules  [][]string `json:"rules"`
	Totals []*int     `json:"totals"`
	// TotalRules names the rule that hid a total.
	TotalRules []string `json:"total_rules"`
}

// ProtectCounts applies the standard's counts rules to a table: counts
// from 1 to MinCount-1 are hidden (and zero with HideZero); with
// Complement, a later column's count is hidden when the first column's
// count less it is that small ("3 of 12 applicants not awarded"); with
// Secondary, each column hides a second cell, or its total, wherever one
// hidden cell could be recomputed from the total and the other cells.
func (d Disclosure) ProtectCounts(t CountTable) (ProtectedCounts, error) {
	var pr bsk.Problems
	if err := d.Validate(); err != nil {
		pr.Merge("disclosure", err)
	}
	if len(t.Counts) != len(t.Rows) {
		pr.Add("counts", "has %d rows for %d row names", len(t.Counts), len(t.Rows))
	}
	if len(t.Totals) != len(t.Columns) {
		pr.Add("totals", "has %d totals for %d columns", len(t.Totals), len(t.Columns))
	}
	for i, row := range t.Counts {
		if len(row) != len(t.Columns) {
			pr.Add(bsk.Index("counts", i), "has %d counts for %d columns", len(row), len(t.Columns))
		}
		for j, c := range row {
			if c < 0 {
				pr.Add(bsk.Index(bsk.Index("counts", i), j), "is negative")
			}
		}
	}
	if err := pr.Err(); err != nil {
		return ProtectedCounts{}, err
	}
	out := ProtectedCounts{Disclosure: d.Name, Rows: t.Rows, Columns: t.Columns, Counts: make([][]*int, len(t.Rows)),
		Rules: make([][]string, len(t.Rows)), Totals: make([]*int, len(t.Columns)), TotalRules: make([]string, len(t.Columns))}
	small := func(c int) bool { return c < d.MinCount && (c > 0 || (d.HideZero && c == 0)) }
	for i, row := range t.Counts {
		out.Counts[i] = make([]*int, len(row))
		out.Rules[i] = make([]string, len(row))
		for j := range row {
			c := row[j]
			switch {
			case d.Off:
			case d.MinCount > 0 && small(c):
				out.Rules[i][j] = d.Name + ":count_under_" + itoa(d.MinCount)
				continue
			case d.MinCount > 0 && d.Complement && j > 0 && small(row[0]-c):
				out.Rules[i][j] = d.Name + ":complement_under_" + itoa(d.MinCount)
				continue
			}
			out.Counts[i][j] = &c
		}
	}
	for j := range t.Columns {
		c := t.Totals[j]
		if !d.Off && d.MinCount > 0 && small(c) {
			out.TotalRules[j] = d.Name + ":count_under_" + itoa(d.MinCount)
			continue
		}
		out.Totals[j] = &c
	}
	if !d.Secondary || d.Off {
		return out, nil
	}
	for j := range t.Columns {
		for out.Totals[j] != nil {
			hidden, best := 0, -1
			for i := range t.Rows {
				c := t.Counts[i][j]
				switch {
				case out.Counts[i][j] == nil:
					if c > 0 {
						hidden++
					}
				case c > 0 && (best < 0 || c < t.Counts[best][j]):
					best = i
				}
			}
			if hidden != 1 {
				break
			}
			if best >= 0 {
				out.Counts[best][j], out.Rules[best][j] = nil, d.Name+":secondary"
			} else {
				out.Totals[j], out.TotalRules[j] = nil, d.Name+":secondary"
			}
		}
	}
	return out, nil
}
