package grouping_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/grouping"
)

// speaks restates the language rule: a choice with languages takes only
// members who speak one of them.
func speaks(m grouping.Chooser, c grouping.Choice) bool {
	return len(c.Languages) == 0 || slices.ContainsFunc(m.Languages, func(l string) bool { return slices.Contains(c.Languages, l) })
}

// rankCostOf restates the documented cost of the k-th choice (from 0):
// RankCosts[k], or past its end one more per rank than its last entry, or
// k when RankCosts is empty.
func rankCostOf(p grouping.ChoiceProblem, k int) float64 {
	switch n := len(p.RankCosts); {
	case n == 0:
		return float64(k)
	case k < n:
		return p.RankCosts[k]
	default:
		return p.RankCosts[n-1] + float64(k-n+1)
	}
}

// choiceOptions lists the choices member m may be placed in, with the cost
// of each: ranked choices in a language they speak, and with Fallback any
// other such choice at the cost of one rank past the longest ranking.
func choiceOptions(p grouping.ChoiceProblem, m grouping.Chooser) (opts []int, costs []float64) {
	maxRank := 0
	for _, x := range p.Choosers {
		maxRank = max(maxRank, len(x.Ranked))
	}
	for c, ch := range p.Choices {
		if !speaks(m, ch) {
			continue
		}
		if k := slices.Index(m.Ranked, ch.ID); k >= 0 {
			opts, costs = append(opts, c), append(costs, rankCostOf(p, k))
		} else if p.Fallback {
			opts, costs = append(opts, c), append(costs, rankCostOf(p, maxRank))
		}
	}
	return opts, costs
}

// checkChoices checks a placement against capacities, the language rule,
// the ranks, the summary and the reasons, and returns its cost.
func checkChoices(t *testing.T, p grouping.ChoiceProblem, got *grouping.ChoiceAssignment) float64 {
	t.Helper()
	cidx := map[string]int{}
	for i, c := range p.Choices {
		cidx[c.ID] = i
	}
	used := make([]int, len(p.Choices))
	byRank := make([]int, len(got.ByRank))
	cost := 0.0
	for _, m := range p.Choosers {
		id, ok := got.Placed[m.ID]
		if !ok {
			if _, ranked := got.Rank[m.ID]; ranked {
				t.Fatalf("%s: unplaced but has a rank", m.ID)
			}
			continue
		}
		c, known := cidx[id]
		if !known {
			t.Fatalf("%s: placed in unknown choice %q", m.ID, id)
		}
		if !speaks(m, p.Choices[c]) {
			t.Fatalf("%s: placed in %s, which runs in none of their languages", m.ID, id)
		}
		used[c]++
		opts, costs := choiceOptions(p, m)
		i := slices.Index(opts, c)
		if i < 0 {
			t.Fatalf("%s: placed in %s, not one of their options", m.ID, id)
		}
		cost += costs[i]
		rank := got.Rank[m.ID]
		if k := slices.Index(m.Ranked, id); k >= 0 {
			if rank != k+1 {
				t.Fatalf("%s: Rank = %d; %s is their choice %d", m.ID, rank, id, k+1)
			}
			byRank[k]++
		} else if rank != 0 {
			t.Fatalf("%s: Rank = %d for a fallback placement; want 0", m.ID, rank)
		}
	}
	for c, ch := range p.Choices {
		if used[c] > ch.Capacity {
			t.Fatalf("%s holds %d, capacity %d", ch.ID, used[c], ch.Capacity)
		}
	}
	if !slices.Equal(byRank, got.ByRank) {
		t.Fatalf("ByRank = %v; the placements say %v", got.ByRank, byRank)
	}
	if math.Abs(cost-got.Cost) > 1e-9 {
		t.Fatalf("Cost = %g; the placements cost %g", got.Cost, cost)
	}
	listed := map[grouping.MemberID]bool{}
	for _, u := range got.Unplaced {
		i := slices.IndexFunc(p.Choosers, func(m grouping.Chooser) bool { return m.ID == u.Member })
		if i < 0 || listed[u.Member] {
			t.Fatalf("Unplaced lists %s wrongly", u.Member)
		}
		if _, placed := got.Placed[u.Member]; placed {
			t.Fatalf("%s is both placed and unplaced", u.Member)
		}
		listed[u.Member] = true
		m := p.Choosers[i]
		opts, _ := choiceOptions(p, m)
		switch code := u.Reason.Code; code {
		case "choices_full":
			// With the most members placed, a member left out has no
			// option with room.
			if len(opts) == 0 {
				t.Fatalf("%s: %s but they have no option", m.ID, code)
			}
			for _, c := range opts {
				if used[c] < p.Choices[c].Capacity {
					t.Fatalf("%s: %s but %s has room", m.ID, code, p.Choices[c].ID)
				}
			}
		case "no_choices", "no_choice_in_their_languages", "no_ranked_choice_in_their_languages":
			if len(opts) > 0 {
				t.Fatalf("%s: %s but they have %d options", m.ID, code, len(opts))
			}
		default:
			t.Fatalf("%s: unknown reason %q", m.ID, code)
		}
	}
	if len(got.Placed)+len(got.Unplaced) != len(p.Choosers) {
		t.Fatalf("%d placed and %d unplaced of %d members", len(got.Placed), len(got.Unplaced), len(p.Choosers))
	}
	return cost
}

// TestAssignChoicesRankCostsExact compares AssignChoices with every
// placement, under custom rank costs (shorter than the rankings, steep,
// flat) with and without Fallback.
func TestAssignChoicesRankCostsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 19))
	rankCosts := [][]float64{nil, {0}, {0, 4}, {0, 0.5, 0.75}, {10, 20, 30, 40}, {0, 1, 1}}
	for trial := range 400 {
		var p grouping.ChoiceProblem
		nc, nm := 1+r.IntN(4), 1+r.IntN(6)
		for c := range nc {
			ch := grouping.Choice{ID: fmt.Sprint("cop-", c), Capacity: 1 + r.IntN(2)}
			switch r.IntN(4) {
			case 0:
				ch.Languages = []string{"es"}
			case 1:
				ch.Languages = []string{"so", "en"}
			}
			p.Choices = append(p.Choices, ch)
		}
		for m := range nm {
			ch := grouping.Chooser{ID: grouping.MemberID(fmt.Sprint("m", m)), Languages: [][]string{{"en"}, {"es"}, {"en", "es"}, {"so"}}[r.IntN(4)]}
			for _, c := range r.Perm(nc)[:r.IntN(nc+1)] {
				ch.Ranked = append(ch.Ranked, fmt.Sprint("cop-", c))
			}
			p.Choosers = append(p.Choosers, ch)
		}
		p.RankCosts = rankCosts[r.IntN(len(rankCosts))]
		p.Fallback = r.IntN(2) == 0
		got, err := grouping.AssignChoices(context.Background(), p)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		cost := checkChoices(t, p, got)

		bestN, bestC := -1, math.Inf(1)
		load := make([]int, nc)
		var rec func(i, n int, c float64)
		rec = func(i, n int, c float64) {
			if i == nm {
				if n > bestN || (n == bestN && c < bestC-1e-9) {
					bestN, bestC = n, c
				}
				return
			}
			rec(i+1, n, c)
			opts, costs := choiceOptions(p, p.Choosers[i])
			for k, o := range opts {
				if load[o] < p.Choices[o].Capacity {
					load[o]++
					rec(i+1, n+1, c+costs[k])
					load[o]--
				}
			}
		}
		rec(0, 0, 0)
		if len(got.Placed) != bestN || math.Abs(cost-bestC) > 1e-9 {
			t.Fatalf("trial %d: AssignChoices places %d at cost %g; best: %d at %g", trial, len(got.Placed), cost, bestN, bestC)
		}
	}
}

// copProblem builds communities of practice at program scale: 500
// members, 12 communities (two in Spanish, one in Somali), three ranked
// choices each, popular topics drawn more often.
func copProblem(seed uint64) grouping.ChoiceProblem {
	r := rand.New(rand.NewPCG(seed, 500))
	var p grouping.ChoiceProblem
	for c := range 12 {
		ch := grouping.Choice{ID: fmt.Sprintf("cop-%02d", c), Capacity: 40 + r.IntN(15)}
		switch c {
		case 9, 10:
			ch.Languages = []string{"es"}
		case 11:
			ch.Languages = []string{"so"}
		}
		p.Choices = append(p.Choices, ch)
	}
	weights := []int{9, 8, 7, 6, 5, 4, 3, 3, 2, 3, 2, 2} // popularity
	for m := range 500 {
		ch := grouping.Chooser{ID: grouping.MemberID(fmt.Sprintf("m%03d", m)), Languages: []string{"en"}}
		switch r.IntN(6) {
		case 0:
			ch.Languages = append(ch.Languages, "es")
		case 1:
			ch.Languages = []string{"so"}
		}
		for len(ch.Ranked) < 3 {
			x := r.IntN(54)
			c := 0
			for ; x >= weights[c]; c++ {
				x -= weights[c]
			}
			if id := p.Choices[c].ID; !slices.Contains(ch.Ranked, id) {
				ch.Ranked = append(ch.Ranked, id)
			}
		}
		p.Choosers = append(p.Choosers, ch)
	}
	return p
}

// TestAssignChoicesCommunitiesOfPracticeProgram checks the program-scale
// case with and without Fallback: capacities, languages, ranks, summary
// and reasons hold, Fallback places at least as many, and a second run
// gives the same answer.
func TestAssignChoicesCommunitiesOfPracticeProgram(t *testing.T) {
	for seed := range uint64(2) {
		p := copProblem(seed)
		got, err := grouping.AssignChoices(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		checkChoices(t, p, got)
		again, _ := grouping.AssignChoices(context.Background(), p)
		if diff := cmp.Diff(got, again); diff != "" {
			t.Errorf("seed %d: a second run differs (-first +second):\n%s", seed, diff)
		}
		p.Fallback = true
		fb, err := grouping.AssignChoices(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		checkChoices(t, p, fb)
		if len(fb.Placed) < len(got.Placed) {
			t.Errorf("seed %d: Fallback places %d, fewer than %d without", seed, len(fb.Placed), len(got.Placed))
		}
	}
}

func BenchmarkAssignChoicesProgram(b *testing.B) {
	p := copProblem(0)
	for b.Loop() {
		if _, err := grouping.AssignChoices(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
