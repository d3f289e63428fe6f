package scholarship

import (
	"slices"

	"github.com/beststarts/workforce/survey"
)

// EquityRow counts one demographic group's applications in a cycle.
type EquityRow struct {
	// Dimension is "race", "gender", "age_band", "region" or "income".
	Dimension string `json:"dimension"`
	// Group is the code within the dimension; race counts each category
	// alone or in combination, plus "multiple" and "not_reported".
	Group      string `json:"group"`
	Applicants int    `json:"applicants"`
	Eligible   int    `json:"eligible"`
	Awarded    int    `json:"awarded"`
	Amount     Cents  `json:"amount"`
}

// EquitySummary counts applicants, eligible applicants, awards and amounts
// by demographic group.
//
// The counts are not suppressed: small groups can identify people, so a
// summary must pass through [EquitySummary.Protect] before it is shown to
// anyone who may not see individual records.
type EquitySummary struct {
	Rows []EquityRow `json:"rows"`
	// Total counts every application once (Dimension and Group empty).
	Total EquityRow `json:"total"`
}

// Equity builds the summary of a cycle.
func Equity(apps []Application, verdicts []Verdict, al Allocation) EquitySummary {
	amount := map[string]Cents{}
	for _, a := range al.Awards {
		amount[a.ApplicationID] = a.Amount
	}
	rows := map[[2]string]*EquityRow{}
	var keys [][2]string
	add := func(dim, group string, i int) {
		k := [2]string{dim, group}
		r := rows[k]
		if r == nil {
			r = &EquityRow{Dimension: dim, Group: group}
			rows[k] = r
			keys = append(keys, k)
		}
		r.Applicants++
		if verdicts[i].Outcome == Eligible {
			r.Eligible++
		}
		if amt, ok := amount[apps[i].ID]; ok {
			r.Awarded++
			r.Amount += amt
		}
	}
	orNR := func(s string) string {
		if s == "" {
			return "not_reported"
		}
		return s
	}
	var total EquityRow
	for i, a := range apps {
		total.Applicants++
		if verdicts[i].Outcome == Eligible {
			total.Eligible++
		}
		if amt, ok := amount[a.ID]; ok {
			total.Awarded++
			total.Amount += amt
		}
		d := a.Applicant.Demographics
		if len(d.Race) == 0 {
			add("race", "not_reported", i)
		}
		for _, r := range d.Race {
			add("race", string(r), i)
		}
		if d.MultiRace() {
			add("race", "multiple", i)
		}
		add("gender", orNR(string(d.Gender)), i)
		add("age_band", orNR(string(d.AgeBand)), i)
		region := string(a.Applicant.Place.Region())
		if region == "" {
			region = string(d.Place.Region())
		}
		add("region", orNR(region), i)
		add("income", orNR(string(d.Income)), i)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if a[0] != b[0] {
			return dimOrder(a[0]) - dimOrder(b[0])
		}
		switch {
		case a[1] < b[1]:
			return -1
		case a[1] > b[1]:
			return 1
		}
		return 0
	})
	out := EquitySummary{Rows: make([]EquityRow, len(keys)), Total: total}
	for i, k := range keys {
		out.Rows[i] = *rows[k]
	}
	return out
}

func dimOrder(d string) int {
	return slices.Index([]string{"race", "gender", "age_band", "region", "income"}, d)
}

// ProtectedEquity is an equity summary after disclosure control.
type ProtectedEquity struct {
	// Disclosure names the standard applied.
	Disclosure string `json:"disclosure"`
	// Rows are the groups; a hidden figure is null, with its rule.
	Rows []ProtectedEquityRow `json:"rows"`
	// Total counts every application once.
	Total EquityRow `json:"total"`
}

// ProtectedEquityRow is one group's counts after disclosure control.
type ProtectedEquityRow struct {
	Dimension  string `json:"dimension"`
	Group      string `json:"group"`
	Applicants *int   `json:"applicants"`
	Eligible   *int   `json:"eligible"`
	Awarded    *int   `json:"awarded"`
	// Amount is shown only with Awarded: a total of few awards reveals
	// what each person received.
	Amount *Cents `json:"amount"`
	// Hidden names, per hidden figure ("applicants", "eligible",
	// "awarded"), the standard that hid it, as "<standard>:suppressed"
	// (e.g. "wa_doh:suppressed"). It never says which of the standard's
	// rules did: "complement_under_10" would tell the reader that nearly
	// all of the group's applicants were eligible, "secondary" that the
	// figure itself is not small.
	Hidden map[string]string `json:"hidden,omitempty"`
}

// Protect applies a disclosure-control standard to the summary, one
// dimension at a time: small counts are hidden, with their complements
// when the standard protects them ("3 of 12 applicants not awarded"), and
// secondary suppression keeps any hidden count from being recomputed from
// the total. Race groups overlap (alone or in combination), so no subtraction
// recovers them, but they are protected the same way.
func (e EquitySummary) Protect(d survey.Disclosure) (ProtectedEquity, error) {
	out := ProtectedEquity{Disclosure: d.Name, Rows: []ProtectedEquityRow{}, Total: e.Total}
	cols := []string{"applicants", "eligible", "awarded"}
	for start := 0; start < len(e.Rows); {
		end := start
		for end < len(e.Rows) && e.Rows[end].Dimension == e.Rows[start].Dimension {
			end++
		}
		t := survey.CountTable{Columns: cols, Totals: []int{e.Total.Applicants, e.Total.Eligible, e.Total.Awarded}}
		for _, r := range e.Rows[start:end] {
			t.Rows = append(t.Rows, r.Group)
			t.Counts = append(t.Counts, []int{r.Applicants, r.Eligible, r.Awarded})
		}
		p, err := d.ProtectCounts(t)
		if err != nil {
			return ProtectedEquity{}, err
		}
		for i, r := range e.Rows[start:end] {
			row := ProtectedEquityRow{Dimension: r.Dimension, Group: r.Group, Applicants: p.Counts[i][0], Eligible: p.Counts[i][1], Awarded: p.Counts[i][2]}
			for j, c := range cols {
				if p.Rules[i][j] != "" {
					if row.Hidden == nil {
						row.Hidden = map[string]string{}
					}
					row.Hidden[c] = d.Name + ":suppressed"
				}
			}
			if row.Awarded != nil {
				amt := r.Amount
				row.Amount = &amt
			}
			out.Rows = append(out.Rows, row)
		}
		start = end
	}
	return out, nil
}
