package grouping_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/grouping"
)

func TestAssignChoicesIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for trial := range 300 {
		var p grouping.ChoiceProblem
		nc, nm := 1+r.IntN(3), 1+r.IntN(6)
		for c := range nc {
			ch := grouping.Choice{ID: fmt.Sprint("c", c), Capacity: 1 + r.IntN(2)}
			if r.IntN(3) == 0 {
				ch.Languages = []string{"es"}
			}
			p.Choices = append(p.Choices, ch)
		}
		for m := range nm {
			ch := grouping.Chooser{ID: grouping.MemberID(fmt.Sprint("m", m)), Languages: []string{"en"}}
			if r.IntN(2) == 0 {
				ch.Languages = append(ch.Languages, "es")
			}
			for _, c := range r.Perm(nc)[:r.IntN(nc+1)] {
				ch.Ranked = append(ch.Ranked, fmt.Sprint("c", c))
			}
			p.Choosers = append(p.Choosers, ch)
		}
		p.Fallback = trial%2 == 0
		got, err := grouping.AssignChoices(context.Background(), p)
		require.NoError(t, err)
		// Brute force: every member to one of their options or nowhere.
		options := func(m grouping.Chooser) []int {
			var out []int
			for c, ch := range p.Choices {
				ok := len(ch.Languages) == 0 || slices.ContainsFunc(m.Languages, func(l string) bool { return slices.Contains(ch.Languages, l) })
				if ok && (p.Fallback || slices.Contains(m.Ranked, ch.ID)) {
					out = append(out, c)
				}
			}
			return out
		}
		cost := func(m grouping.Chooser, c int) float64 {
			if k := slices.Index(m.Ranked, p.Choices[c].ID); k >= 0 {
				return float64(k)
			}
			maxRank := 0
			for _, x := range p.Choosers {
				maxRank = max(maxRank, len(x.Ranked))
			}
			return float64(maxRank)
		}
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
			for _, o := range options(p.Choosers[i]) {
				if load[o] < p.Choices[o].Capacity {
					load[o]++
					rec(i+1, n+1, c+cost(p.Choosers[i], o))
					load[o]--
				}
			}
		}
		rec(0, 0, 0)
		require.Equal(t, bestN, len(got.Placed), "trial %d: placed", trial)
		require.InDelta(t, bestC, got.Cost, 1e-6, "trial %d: cost", trial)
		require.Len(t, got.Unplaced, nm-len(got.Placed))
		used := map[string]int{}
		for _, c := range got.Placed {
			used[c]++
		}
		for _, c := range p.Choices {
			require.LessOrEqual(t, used[c.ID], c.Capacity)
		}
	}
}

func TestAssignChoicesCommunitiesOfPractice(t *testing.T) {
	p := grouping.ChoiceProblem{
		Choices: []grouping.Choice{{ID: "feeding", Capacity: 2}, {ID: "sleep", Capacity: 2}, {ID: "sleep-es", Capacity: 2, Languages: []string{"es"}}},
		Choosers: []grouping.Chooser{
			{ID: "ana", Ranked: []string{"sleep-es", "sleep"}, Languages: []string{"es", "en"}},
			{ID: "ben", Ranked: []string{"sleep", "feeding"}, Languages: []string{"en"}},
			{ID: "cai", Ranked: []string{"sleep", "feeding"}, Languages: []string{"en"}},
			{ID: "dev", Ranked: []string{"sleep", "feeding"}, Languages: []string{"en"}},
			{ID: "eli", Ranked: []string{"sleep-es"}, Languages: []string{"en"}},
		},
	}
	got, err := grouping.AssignChoices(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, "sleep-es", got.Placed["ana"])
	assert.Equal(t, []int{3, 1}, got.ByRank, "three first choices, one second")
	require.Len(t, got.Unplaced, 1)
	assert.Equal(t, grouping.Unplaced{Member: "eli", Reason: grouping.Reason{Code: "no_ranked_choice_in_their_languages"}}, got.Unplaced[0])
	again, _ := grouping.AssignChoices(context.Background(), p)
	assert.Equal(t, got.Placed, again.Placed, "deterministic")

	_, err = grouping.AssignChoices(context.Background(), grouping.ChoiceProblem{Choices: []grouping.Choice{{ID: "x"}},
		Choosers: []grouping.Chooser{{ID: "a", Ranked: []string{"y", "x", "x"}}}})
	require.Error(t, err)
	for _, f := range []string{"choices[0].capacity", "choosers[0].ranked[0]", "choosers[0].ranked[2]"} {
		assert.Contains(t, err.Error(), f)
	}
}
