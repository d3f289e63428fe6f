package grouping_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

func TestRegroupKeepsMembersInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	p := randomProblem(r, 40)
	p.Groups = 4
	p.Size = grouping.Bounds{Min: 8, Max: 12}
	p.Constraints = p.Constraints[:1] // languages only: everyone fits
	ctx := context.Background()
	first, err := grouping.Solve(ctx, p, grouping.Options{Iterations: 30, Seed: 1})
	require.NoError(t, err)
	require.Empty(t, first.Unplaced)

	// Three leave, two join.
	// One member leaves from each of three groups; none is in a link.
	linked := map[grouping.MemberID]bool{}
	for _, l := range append(p.MustLink, p.CannotLink...) {
		linked[l.A], linked[l.B] = true, true
	}
	left := map[grouping.MemberID]bool{}
	for g := range 3 {
		for _, id := range first.Groups[g] {
			if !linked[id] {
				left[id] = true
				break
			}
		}
	}
	require.Len(t, left, 3)
	q := *p
	q.Members = nil
	for _, m := range p.Members {
		if !left[m.ID] {
			q.Members = append(q.Members, m)
		}
	}
	for i := range 2 {
		q.Members = append(q.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("new%d", i)),
			Attrs: map[string]string{"org": "o1", "role": "direct_service"}, Sets: map[string][]string{"languages": {"en"}},
			Nums: map[string]float64{"years": 3}})
	}
	q.Pairs = nil
	q.Prefer = nil
	rg, err := grouping.Regroup(ctx, &q, first.Groups, grouping.RegroupOptions{Options: grouping.Options{Iterations: 30, Seed: 1}})
	require.NoError(t, err)
	checkSolution(t, rg.Problem, rg.Solution)

	assert.ElementsMatch(t, keys(left), rg.Diff.Left)
	require.Len(t, rg.Diff.Joined, 2)
	for _, j := range rg.Diff.Joined {
		assert.Equal(t, -1, j.From)
		assert.GreaterOrEqual(t, j.To, 0)
	}
	// With a high move cost almost everyone stays; the diff adds up.
	assert.Equal(t, len(q.Members)-2, rg.Diff.Stayed+len(rg.Diff.Moved))
	assert.LessOrEqual(t, len(rg.Diff.Moved), 3, "moved: %v", rg.Diff.Moved)
	// The diff agrees with the groups.
	was := groupOf(first.Groups)
	now := groupOf(rg.Solution.Groups)
	for _, mv := range rg.Diff.Moved {
		assert.Equal(t, was[mv.Member], mv.From)
		assert.Equal(t, now[mv.Member], mv.To)
	}

	// Free to move, the criteria reshape the groups more than with a cost.
	free, err := grouping.Regroup(ctx, &q, first.Groups, grouping.RegroupOptions{MoveCost: 1e-9, Options: grouping.Options{Iterations: 30, Seed: 1}})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(free.Diff.Moved), len(rg.Diff.Moved))
}

func TestRegroupDissolvedGroupMoves(t *testing.T) {
	p := &grouping.Problem{Members: members(9), Groups: 2, Size: grouping.Bounds{Min: 3, Max: 6}}
	prev := [][]grouping.MemberID{{"m0", "m1", "m2"}, {"m3", "m4", "m5"}, {"m6", "m7", "m8"}}
	rg, err := grouping.Regroup(context.Background(), p, prev, grouping.RegroupOptions{Options: grouping.Options{Iterations: 10}})
	require.NoError(t, err)
	assert.Equal(t, 6, rg.Diff.Stayed)
	assert.Len(t, rg.Diff.Moved, 3)
	for _, mv := range rg.Diff.Moved {
		assert.Equal(t, 2, mv.From)
	}
}

func TestRegroupBadInput(t *testing.T) {
	p := &grouping.Problem{Members: members(4), Groups: 2, Size: grouping.Bounds{Min: 1, Max: 3}}
	_, err := grouping.Regroup(context.Background(), p, [][]grouping.MemberID{{"m0"}, {"m0"}}, grouping.RegroupOptions{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, bsk.ErrConflict))
	assert.Contains(t, err.Error(), "previous[1][0]")
	_, err = grouping.Regroup(context.Background(), p, nil, grouping.RegroupOptions{MoveCost: -1})
	assert.True(t, errors.Is(err, bsk.ErrInvalid))
}

func keys(m map[grouping.MemberID]bool) []grouping.MemberID {
	var out []grouping.MemberID
	for k := range m {
		out = append(out, k)
	}
	return out
}

func groupOf(groups [][]grouping.MemberID) map[grouping.MemberID]int {
	out := map[grouping.MemberID]int{}
	for g, ms := range groups {
		for _, id := range ms {
			out[id] = g
		}
	}
	return out
}
