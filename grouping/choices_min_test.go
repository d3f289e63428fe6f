package grouping_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/grouping"
)

// TestAssignChoicesMinimumSizeProperties checks, on random problems, what
// a minimum size promises: no open choice below its minimum, no choice
// over its capacity, every member placed or given a reason, and nobody
// left out who could join an open choice with room. A below-minimum reason
// names a choice the member could join that has nobody in it.
func TestAssignChoicesMinimumSizeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 6))
	for trial := range 400 {
		var p grouping.ChoiceProblem
		nc, nm := 1+r.IntN(5), r.IntN(14)
		for c := range nc {
			ch := grouping.Choice{ID: fmt.Sprint("c", c), Capacity: 1 + r.IntN(5)}
			ch.MinSize = r.IntN(ch.Capacity + 1)
			if r.IntN(4) == 0 {
				ch.Languages = []string{"es"}
			}
			p.Choices = append(p.Choices, ch)
		}
		for m := range nm {
			ch := grouping.Chooser{ID: grouping.MemberID(fmt.Sprint("m", m)), Languages: []string{"en"}}
			if r.IntN(3) == 0 {
				ch.Languages = append(ch.Languages, "es")
			}
			for _, c := range r.Perm(nc)[:r.IntN(nc+1)] {
				ch.Ranked = append(ch.Ranked, fmt.Sprint("c", c))
			}
			p.Choosers = append(p.Choosers, ch)
		}
		p.Fallback = trial%3 == 0
		got, err := grouping.AssignChoices(context.Background(), p)
		require.NoError(t, err, "trial %d", trial)

		count := map[string]int{}
		for _, c := range got.Placed {
			count[c]++
		}
		joinable := func(m grouping.Chooser, c grouping.Choice) bool {
			speaks := len(c.Languages) == 0 || slices.ContainsFunc(m.Languages, func(l string) bool { return slices.Contains(c.Languages, l) })
			return speaks && (p.Fallback || slices.Contains(m.Ranked, c.ID))
		}
		for _, c := range p.Choices {
			require.LessOrEqual(t, count[c.ID], c.Capacity, "trial %d: %s over capacity", trial, c.ID)
			if count[c.ID] > 0 {
				require.GreaterOrEqual(t, count[c.ID], c.MinSize, "trial %d: %s opened below its minimum", trial, c.ID)
			}
		}
		require.Equal(t, nm, len(got.Placed)+len(got.Unplaced), "trial %d: placed + unplaced", trial)
		for _, u := range got.Unplaced {
			m := p.Choosers[slices.IndexFunc(p.Choosers, func(c grouping.Chooser) bool { return c.ID == u.Member })]
			for _, c := range p.Choices {
				open := count[c.ID] > 0
				require.False(t, open && joinable(m, c) && count[c.ID] < c.Capacity,
					"trial %d: %s is unplaced (%s) though %s is open with room", trial, m.ID, u.Reason.Code, c.ID)
			}
			if u.Reason.Code == grouping.ReasonBelowMinimum {
				c := p.Choices[slices.IndexFunc(p.Choices, func(c grouping.Choice) bool { return c.ID == u.Reason.Params["group"] })]
				require.True(t, joinable(m, c), "trial %d: %s's closed choice %s is not theirs", trial, m.ID, c.ID)
				require.Zero(t, count[c.ID], "trial %d: closed choice %s has members", trial, c.ID)
				size, _ := strconv.Atoi(u.Reason.Params["size"])
				require.Less(t, size, c.MinSize, "trial %d: %s closed at %d, not below %d", trial, c.ID, size, c.MinSize)
				require.Equal(t, strconv.Itoa(c.MinSize), u.Reason.Params["min"])
			}
		}
		// A minimum of 0 or 1 changes nothing.
		if trial%5 == 0 {
			q := p
			q.Choices = slices.Clone(p.Choices)
			for i := range q.Choices {
				q.Choices[i].MinSize = r.IntN(2)
			}
			a, err := grouping.AssignChoices(context.Background(), q)
			require.NoError(t, err)
			q.Choices = slices.Clone(q.Choices)
			for i := range q.Choices {
				q.Choices[i].MinSize = 0
			}
			b, _ := grouping.AssignChoices(context.Background(), q)
			require.Equal(t, b, a, "trial %d: minimum sizes of 0 and 1 differ", trial)
		}
	}
}

func TestAssignChoicesClosesACommunityBelowItsMinimum(t *testing.T) {
	// Four want "feeding" first; "sleep" (minimum 3) has two takers, who
	// rank "feeding" second; "feeding" takes six.
	p := grouping.ChoiceProblem{
		Choices: []grouping.Choice{{ID: "feeding", Capacity: 6, MinSize: 3}, {ID: "sleep", Capacity: 6, MinSize: 3}, {ID: "dads", Capacity: 4, MinSize: 2}},
		Choosers: []grouping.Chooser{
			{ID: "a", Ranked: []string{"feeding"}}, {ID: "b", Ranked: []string{"feeding"}},
			{ID: "c", Ranked: []string{"feeding"}}, {ID: "d", Ranked: []string{"feeding"}},
			{ID: "e", Ranked: []string{"sleep", "feeding"}}, {ID: "f", Ranked: []string{"sleep", "feeding"}},
			{ID: "g", Ranked: []string{"dads"}},
		},
	}
	got, err := grouping.AssignChoices(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, map[grouping.MemberID]string{"a": "feeding", "b": "feeding", "c": "feeding", "d": "feeding", "e": "feeding", "f": "feeding"}, got.Placed)
	assert.Equal(t, []grouping.Unplaced{{Member: "g", Reason: grouping.Reason{Code: grouping.ReasonBelowMinimum,
		Params: map[string]string{"group": "dads", "size": "1", "min": "2"}}}}, got.Unplaced)
	assert.Equal(t, "Group dads reached only 1 member, below its minimum of 2, so it was not formed, and no other group could take this member.",
		grouping.Texts{}.Text(got.Unplaced[0].Reason, "en"))

	p.Choices[0].MinSize = 7
	_, err = grouping.AssignChoices(context.Background(), p)
	assert.ErrorContains(t, err, "choices[0].min_size")
}
