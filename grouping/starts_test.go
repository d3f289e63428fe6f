package grouping_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/grouping"
)

// Options.Starts: 0 and below mean the default of 8, more than 256 count
// as 256, and with Iterations every count gives the same grouping on each
// run, keeping every hard rule.
func TestSolveStarts(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			p := randomLedProblem(rand.New(rand.NewPCG(seed, 21)))
			solve := func(starts int) *grouping.Solution {
				sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 2, Starts: starts})
				require.NoError(t, err)
				checkLed(t, p, sol)
				return sol
			}
			same := func(a, b *grouping.Solution, what string) {
				t.Helper()
				assert.Equal(t, a.Groups, b.Groups, what)
				assert.Equal(t, a.Leaders, b.Leaders, what)
				assert.InDelta(t, a.Objective, b.Objective, 1e-9, what)
			}
			def := solve(0)
			same(def, solve(8), "0 is the default of 8")
			same(def, solve(-3), "a negative count is the default")
			same(solve(256), solve(100000), "more than 256 count as 256")
			same(solve(3), solve(3), "the same count twice")
		})
	}
}
