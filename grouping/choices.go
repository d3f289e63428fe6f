package grouping

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/internal/flow"
)

// Choice is one option members can be placed in, such as a community of
// practice with a topic and a language.
type Choice struct {
	ID string `json:"id"`
	// Capacity is the most members it takes, at least 1.
	Capacity int `json:"capacity"`
	// MinSize, when more than 0, is the fewest members it opens with, at
	// most Capacity: a choice that would have fewer is not opened, and its
	// members are placed in their other choices (see [AssignChoices]).
	MinSize int `json:"min_size,omitempty"`
	// Languages, when set, are the languages it runs in: a member must
	// speak one of them.
	Languages []string `json:"languages,omitempty"`
}

// Chooser is a member with ranked choices.
type Chooser struct {
	ID MemberID `json:"id"`
	// Ranked lists choice IDs, first preference first.
	Ranked []string `json:"ranked"`
	// Languages are the languages the member speaks.
	Languages []string `json:"languages,omitempty"`
}

// ChoiceProblem asks to place members in choices by their rankings.
type ChoiceProblem struct {
	Choices  []Choice  `json:"choices"`
	Choosers []Chooser `json:"choosers"`
	// RankCosts gives the cost of a member's first, second, ... choice;
	// empty means 0, 1, 2, ... A member placed outside their ranking (with
	// Fallback) costs one more than the last.
	RankCosts []float64 `json:"rank_costs,omitempty"`
	// Fallback places members whose ranked choices are all full in any
	// choice with room that they can join.
	Fallback bool `json:"fallback,omitempty"`
}

// ChoiceAssignment places members in choices.
type ChoiceAssignment struct {
	// Placed maps each placed member to its choice.
	Placed map[MemberID]string `json:"placed"`
	// Rank gives each placed member the rank they got, from 1; 0 for a
	// fallback placement.
	Rank map[MemberID]int `json:"rank"`
	// Unplaced lists members placed nowhere, with the reason.
	Unplaced []Unplaced `json:"unplaced"`
	// ByRank counts members who got their first, second, ... choice.
	ByRank []int `json:"by_rank"`
	// Cost is the total cost, the sum of the members' rank costs.
	Cost float64 `json:"cost"`
}

// Validate reports every problem with the choice problem.
func (p ChoiceProblem) Validate() (err error) {
	defer catch(&err, func() string { return "grouping: validating the choice problem" })
	var pr bsk.Problems
	ids := map[string]bool{}
	for i, c := range p.Choices {
		f := bsk.Index("choices", i)
		if c.ID == "" {
			pr.Add(f+".id", "is required")
		} else if ids[c.ID] {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate choice %q", c.ID)
		}
		ids[c.ID] = true
		if c.Capacity < 1 {
			pr.Add(f+".capacity", "must be at least 1")
		}
		if c.MinSize < 0 || (c.Capacity >= 1 && c.MinSize > c.Capacity) {
			pr.Add(f+".min_size", "%d is outside 0 to the capacity, %d", c.MinSize, c.Capacity)
		}
	}
	members := map[MemberID]bool{}
	for i, m := range p.Choosers {
		f := bsk.Index("choosers", i)
		if m.ID == "" {
			pr.Add(f+".id", "is required")
		} else if members[m.ID] {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate member %q", m.ID)
		}
		members[m.ID] = true
		seen := map[string]bool{}
		for k, c := range m.Ranked {
			if !ids[c] {
				pr.AddCode(bsk.CodeNotFound, bsk.Index(f+".ranked", k), "unknown choice %q", c)
			}
			if seen[c] {
				pr.Add(bsk.Index(f+".ranked", k), "%q is ranked twice", c)
			}
			seen[c] = true
		}
	}
	for i, c := range p.RankCosts {
		if math.IsNaN(c) || math.Abs(c) > maxScore {
			pr.Add(bsk.Index("rank_costs", i), "must be a number from -1e9 to 1e9")
		}
	}
	return pr.Err()
}

func (p ChoiceProblem) rankCost(k int) float64 {
	if k < len(p.RankCosts) {
		return p.RankCosts[k]
	}
	if len(p.RankCosts) > 0 {
		return p.RankCosts[len(p.RankCosts)-1] + float64(k-len(p.RankCosts)+1)
	}
	return float64(k)
}

// AssignChoices places as many members as possible, then at the least
// total rank cost (by default: as many first choices as possible, then
// seconds ...), exactly, by a min-cost flow in integers (costs count to
// 0.001). The result is deterministic: the same problem always gets the
// same placement. A panic (a bug) is returned as a [bsk.CodeInternal]
// error.
//
// Choices with a minimum size ([Choice.MinSize]) open only with at least
// that many members. While a placement leaves an open choice with members
// but fewer than its minimum, the one with the fewest (of those tied, the
// last in Choices) is closed and everyone is placed again, among the
// choices still open; a closed choice's members go to their next choices.
// Each placement is exact over the choices open; which choices open is
// this greedy rule's, not an exhaustive search's. A member whose every
// choice was closed is unplaced with the reason [ReasonBelowMinimum],
// naming their first closed choice ("group"), the members it had when it
// was closed ("size") and its minimum ("min").
func AssignChoices(ctx context.Context, p ChoiceProblem) (_ *ChoiceAssignment, err error) {
	defer catch(&err, func() string {
		return fmt.Sprintf("grouping: assigning choices (%d choices, %d members)", len(p.Choices), len(p.Choosers))
	})
	if err := p.Validate(); err != nil {
		return nil, err
	}
	closedAt := make([]int, len(p.Choices)) // members when closed; -1 while open
	for i := range closedAt {
		closedAt[i] = -1
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out, err := placeChoices(ctx, p, closedAt)
		if err != nil {
			return nil, err
		}
		count := make([]int, len(p.Choices))
		cidx := make(map[string]int, len(p.Choices))
		for i, c := range p.Choices {
			cidx[c.ID] = i
		}
		for _, c := range out.Placed {
			count[cidx[c]]++
		}
		worst := -1
		for i, c := range p.Choices {
			if closedAt[i] < 0 && count[i] > 0 && count[i] < c.MinSize && (worst < 0 || count[i] <= count[worst]) {
				worst = i
			}
		}
		if worst < 0 {
			return out, nil
		}
		closedAt[worst] = count[worst]
	}
}

// placeChoices places members exactly among the open choices (closedAt[i]
// < 0), and gives every unplaced member its reason.
func placeChoices(ctx context.Context, p ChoiceProblem, closedAt []int) (*ChoiceAssignment, error) {
	C, M := len(p.Choices), len(p.Choosers)
	cidx := map[string]int{}
	for i, c := range p.Choices {
		cidx[c.ID] = i
	}
	speaks := func(m Chooser, c Choice) bool {
		if len(c.Languages) == 0 {
			return true
		}
		for _, l := range m.Languages {
			if slices.Contains(c.Languages, l) {
				return true
			}
		}
		return false
	}
	maxRank := 0
	for _, m := range p.Choosers {
		maxRank = max(maxRank, len(m.Ranked))
	}
	src, sink := 0, 1+M+C
	net := flow.New(M + C + 2)
	type arc struct{ m, c, rank int }
	arcs := map[int]arc{}
	for mi, m := range p.Choosers {
		net.AddArc(src, 1+mi, 1, 0)
		for k, id := range m.Ranked {
			ci := cidx[id]
			if !speaks(m, p.Choices[ci]) || closedAt[ci] >= 0 {
				continue
			}
			a := net.AddArc(1+mi, 1+M+ci, 1, thousandths(p.rankCost(k)))
			arcs[a] = arc{mi, ci, k + 1}
		}
		if p.Fallback {
			for ci, c := range p.Choices {
				if slices.Contains(m.Ranked, c.ID) || !speaks(m, c) || closedAt[ci] >= 0 {
					continue
				}
				a := net.AddArc(1+mi, 1+M+ci, 1, thousandths(p.rankCost(maxRank)))
				arcs[a] = arc{mi, ci, 0}
			}
		}
	}
	for ci, c := range p.Choices {
		net.AddArc(1+M+ci, sink, c.Capacity, 0)
	}
	if _, _, err := net.Solve(ctx, src, sink, -1); err != nil {
		return nil, err
	}
	out := &ChoiceAssignment{Placed: map[MemberID]string{}, Rank: map[MemberID]int{}, Unplaced: []Unplaced{}, ByRank: make([]int, maxRank)}
	for e, a := range arcs {
		if net.FlowOn(e) == 0 {
			continue
		}
		m := p.Choosers[a.m]
		out.Placed[m.ID] = p.Choices[a.c].ID
		out.Rank[m.ID] = a.rank
		if a.rank > 0 {
			out.ByRank[a.rank-1]++
			out.Cost += p.rankCost(a.rank - 1)
		} else {
			out.Cost += p.rankCost(maxRank)
		}
	}
	for _, m := range p.Choosers {
		if _, ok := out.Placed[m.ID]; ok {
			continue
		}
		// The member's options: ranked choices in their languages, then,
		// with Fallback, every other choice in their languages.
		var options []int
		for _, id := range m.Ranked {
			if ci := cidx[id]; speaks(m, p.Choices[ci]) {
				options = append(options, ci)
			}
		}
		if p.Fallback {
			for ci, c := range p.Choices {
				if !slices.Contains(m.Ranked, c.ID) && speaks(m, c) {
					options = append(options, ci)
				}
			}
		}
		if len(options) > 0 && !slices.ContainsFunc(options, func(ci int) bool { return closedAt[ci] < 0 }) {
			ci := options[0]
			out.Unplaced = append(out.Unplaced, Unplaced{Member: m.ID, Reason: Reason{Code: ReasonBelowMinimum, Params: map[string]string{
				"group": p.Choices[ci].ID, "size": strconv.Itoa(closedAt[ci]), "min": strconv.Itoa(p.Choices[ci].MinSize)}}})
			continue
		}
		code := "choices_full"
		switch {
		case len(m.Ranked) == 0 && !p.Fallback:
			code = "no_choices"
		case !slices.ContainsFunc(p.Choices, func(c Choice) bool { return speaks(m, c) }):
			code = "no_choice_in_their_languages"
		case !p.Fallback && !slices.ContainsFunc(m.Ranked, func(id string) bool { return speaks(m, p.Choices[cidx[id]]) }):
			code = "no_ranked_choice_in_their_languages"
		}
		out.Unplaced = append(out.Unplaced, Unplaced{Member: m.ID, Reason: Reason{Code: code}})
	}
	return out, nil
}
