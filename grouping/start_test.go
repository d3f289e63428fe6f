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

// A warm start that is a feasible grouping is where the search begins:
// with criteria that never lose by placing a member, the result is at
// least as good as the start, and keeps every hard rule.
func TestSolveWarmStartNeverWorse(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 11))
			p := randomLedProblem(r)
			// Similar alone: a member placed never lowers the objective.
			p.Criteria = []grouping.Criterion{{Kind: grouping.Similar, Attr: "organization", Weight: 2}, {Kind: grouping.Similar, Attr: "languages", Weight: 1}}
			first, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 3})
			require.NoError(t, err)
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed + 100, Iterations: 3, Start: first.Groups})
			require.NoError(t, err)
			checkLed(t, p, sol)
			assert.GreaterOrEqual(t, sol.Objective, grouping.Evaluate(p, first.Groups)-1e-9)
		})
	}
}

// Members of a warm start go to their groups where the rules allow: a
// start that already is the best grouping is returned as it is.
func TestSolveWarmStartKept(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 2, Max: 3}}
	for i, org := range []string{"a", "b", "a", "b", "a", "b"} {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%d", i)), Attrs: map[string]string{"org": org}})
	}
	p.Criteria = []grouping.Criterion{{Kind: grouping.Similar, Attr: "org", Weight: 1}}
	start := [][]grouping.MemberID{{"m1", "m3", "m5"}, {"m0", "m2", "m4"}}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 5, Start: start})
	require.NoError(t, err)
	assert.Equal(t, start, sol.Groups)
}

// A start its leaders can lead stays whole even when the leader the
// first group would keep is the only one the second can have: the
// bilingual consultant goes to the Spanish-speaking group, the other to
// the English-speaking one.
func TestSolveWarmStartLeadersMatched(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 3, Max: 3},
		Leading: &grouping.Leading{Share: []string{"languages"}, Leaders: []grouping.Leader{
			{ID: "bilingual", Capacity: 1, Sets: map[string][]string{"languages": {"en", "es"}}},
			{ID: "english", Capacity: 1, Sets: map[string][]string{"languages": {"en"}}},
		}}}
	for i, lang := range []string{"en", "en", "en", "es", "es", "es"} {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint("m", i)), Sets: map[string][]string{"languages": {lang}}})
	}
	start := [][]grouping.MemberID{{"m0", "m1", "m2"}, {"m3", "m4", "m5"}}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 1, Start: start})
	require.NoError(t, err)
	assert.Equal(t, start, sol.Groups)
	assert.Empty(t, sol.Unplaced)
	assert.Equal(t, []string{"english", "bilingual"}, sol.Leaders)
}

func TestSolveWarmStartRefused(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 1, Max: 2},
		Members: []grouping.Member{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	tests := []struct {
		name  string
		start [][]grouping.MemberID
		field string
		code  error
	}{
		{"unknown member", [][]grouping.MemberID{{"a", "zz"}}, "start[0][1]", bsk.ErrNotFound},
		{"twice", [][]grouping.MemberID{{"a"}, {"b", "a"}}, "start[1][1]", bsk.ErrConflict},
		{"too many groups", [][]grouping.MemberID{{"a"}, {"b"}, {"c"}}, "start", bsk.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 1, Start: tc.start})
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.code), "%v", err)
			assert.Contains(t, err.Error(), tc.field)
		})
	}
}
