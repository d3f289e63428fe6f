package scholarship

import (
	"slices"
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
// summary must pass through small-number disclosure control before it is
// shown to anyone who may not see individual records.
type EquitySummary struct {
	Rows []EquityRow `json:"rows"`
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
	for i, a := range apps {
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
	out := EquitySummary{Rows: make([]EquityRow, len(keys))}
	for i, k := range keys {
		out.Rows[i] = *rows[k]
	}
	return out
}

func dimOrder(d string) int {
	return slices.Index([]string{"race", "gender", "age_band", "region", "income"}, d)
}
