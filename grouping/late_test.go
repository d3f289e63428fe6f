package grouping_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// The search moves on from groupings worse than its best (late
// acceptance), so what it returns must be the best it found, not where it
// stopped. With a seed, the first rounds of a longer search are those of
// a shorter one, so more rounds never do worse: they place at least as
// many members and, placing as many, score at least as high. Groups
// below their minimum are allowed here: otherwise such a group is
// dissolved when the search ends, and where its members land depends on
// the grouping around them, not on its objective. (Every 256 rounds
// members left out get another chance, so the rounds stay below that.)
func TestSolveReturnsTheBestGroupingFound(t *testing.T) {
	for seed := range int64(2) {
		w := bsktest.Workforce(seed+1, bsktest.Options{Providers: 100, Organizations: 12, NoOfferings: true})
		p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{AllowUnderfilled: true})
		require.NoError(t, err)
		lastObj, lastOut := 0.0, len(p.Members)
		for rounds := 15; rounds < 256; rounds += 30 {
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: uint64(seed), Iterations: rounds, Starts: 1})
			require.NoError(t, err)
			assert.InDelta(t, grouping.Evaluate(p, sol.Groups), sol.Objective, 1e-6, "seed %d, %d rounds", seed, rounds)
			out := len(sol.Unplaced)
			require.LessOrEqual(t, out, lastOut, "seed %d: %d rounds leave out more than fewer rounds", seed, rounds)
			if out == lastOut {
				assert.GreaterOrEqual(t, sol.Objective, lastObj-1e-9, "seed %d: %d rounds score below fewer rounds", seed, rounds)
			}
			lastObj, lastOut = sol.Objective, out
		}
	}
}
