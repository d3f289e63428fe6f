package survey

import (
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Ranked is one option's place in an aggregated ranking.
type Ranked struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Place is 1 for the top; tied options share a place.
	Place int `json:"place"`
	// Tied says another option has the same Borda points.
	Tied bool `json:"tied,omitempty"`
	// Points is the Borda count: an option ranked r-th of k earns k-r+1.
	Points int `json:"points"`
	// TopThree is the share of respondents, 0 to 100, who put it in their
	// top three.
	TopThree float64 `json:"top_three"`
}

// RankResult is a ranking item's aggregated result.
type RankResult struct {
	Item string `json:"item"`
	// Respondents is the number who ranked at least one option.
	Respondents int      `json:"respondents"`
	Options     []Ranked `json:"options"`
	// Suppressed hides everything when too few responded; Rule says why.
	Suppressed bool   `json:"suppressed"`
	Rule       string `json:"rule,omitempty"`
}

// Rank aggregates a ranking item into an ordered option list by Borda
// count, ties reported as ties (same place, in option order). With fewer
// respondents than the standard's MinN (or MinCount), the result is
// hidden.
func (s *Set) Rank(item string, d Disclosure) (RankResult, error) {
	if err := d.check(); err != nil {
		return RankResult{}, err
	}
	i := slices.IndexFunc(s.inst.Items, func(it Item) bool { return it.Code == item })
	if i < 0 {
		return RankResult{}, bsk.NotFoundf("item", "unknown item code %q", item)
	}
	it := s.inst.Items[i]
	if it.Kind != Ranking {
		return RankResult{}, bsk.Invalidf("item", "item %q is a %s item, not a ranking", item, it.Kind)
	}
	opts := it.options()
	k := len(opts)
	points := make([]int, k)
	top := make([]int, k)
	col := s.cols[i]
	res := RankResult{Item: item, Options: []Ranked{}}
	for r, ok := range col.answered {
		if !ok {
			continue
		}
		res.Respondents++
		for o, rank := range col.rank[r*k : (r+1)*k] {
			if rank > 0 {
				points[o] += k - int(rank) + 1
				if rank <= 3 {
					top[o]++
				}
			}
		}
	}
	if min := max(d.MinN, d.MinCount); !d.Off && res.Respondents > 0 && res.Respondents < min {
		res.Suppressed, res.Rule = true, d.Name+":respondents_under_"+itoa(min)
		return res, nil
	}
	order := make([]int, k)
	for o := range order {
		order[o] = o
	}
	slices.SortStableFunc(order, func(a, b int) int { return points[b] - points[a] })
	for pos, o := range order {
		r := Ranked{Code: opts[o].Code, Label: opts[o].Label, Points: points[o], Place: pos + 1}
		if pos > 0 && points[order[pos-1]] == points[o] {
			r.Place = res.Options[pos-1].Place
			r.Tied = true
			res.Options[pos-1].Tied = true
		}
		if res.Respondents > 0 {
			r.TopThree = 100 * float64(top[o]) / float64(res.Respondents)
		}
		res.Options = append(res.Options, r)
	}
	return res, nil
}

// Frequency is how many respondents chose one option of a multi item.
type Frequency struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Count and Percent are nil when hidden.
	Count   *int     `json:"count"`
	Percent *float64 `json:"percent"`
	// Suppressed and Rule say a figure is hidden, and why.
	Suppressed bool   `json:"suppressed"`
	Rule       string `json:"rule,omitempty"`
}

// Frequencies is a multi item's result: each option's count and share of
// the respondents who answered.
type Frequencies struct {
	Item        string      `json:"item"`
	Respondents int         `json:"respondents"`
	Options     []Frequency `json:"options"`
}

// Frequencies counts a multi item's options (barriers), hiding counts the
// standard protects. Options are not exclusive, so hiding one option
// reveals nothing about another.
func (s *Set) Frequencies(item string, d Disclosure) (Frequencies, error) {
	if err := d.check(); err != nil {
		return Frequencies{}, err
	}
	i := slices.IndexFunc(s.inst.Items, func(it Item) bool { return it.Code == item })
	if i < 0 {
		return Frequencies{}, bsk.NotFoundf("item", "unknown item code %q", item)
	}
	it := s.inst.Items[i]
	if it.Kind != Multi {
		return Frequencies{}, bsk.Invalidf("item", "item %q is a %s item, not a multi-select", item, it.Kind)
	}
	opts := it.options()
	counts := make([]int, len(opts))
	col := s.cols[i]
	res := Frequencies{Item: item, Options: []Frequency{}}
	for r, ok := range col.answered {
		if !ok {
			continue
		}
		res.Respondents++
		for o := range opts {
			if col.bits[r]&(1<<o) != 0 {
				counts[o]++
			}
		}
	}
	for o, opt := range opts {
		f := Frequency{Code: opt.Code, Label: opt.Label}
		p := 0.0
		if res.Respondents > 0 {
			p = float64(counts[o]) / float64(res.Respondents)
		}
		se := 0.0
		if res.Respondents > 0 {
			se = math.Sqrt(p * (1 - p) / float64(res.Respondents))
		}
		v := d.primary(res.Respondents, counts[o], p, p, p, float64(res.Respondents), se, true, false)
		if v.hide {
			f.Suppressed, f.Rule = true, v.rule
		} else {
			c, pct := counts[o], 100*p
			f.Count, f.Percent = &c, &pct
		}
		res.Options = append(res.Options, f)
	}
	return res, nil
}
