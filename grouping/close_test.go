package grouping_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// Problem.AllowFewerGroups (set through PresetOptions), on county-shaped reflective consultation
// problems (about 700 providers in 90 agencies, 20 consultants): the
// search closes groups, so fewer form than without it, every hard rule
// holds, every group formed is led, and the objective is Evaluate's.
func TestSolveAllowFewerGroups(t *testing.T) {
	for seed := range int64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := bsktest.Workforce(seed+1, bsktest.Options{Providers: 700, Organizations: 90, NoOfferings: true})
			formed := func(fewer bool) int {
				p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{AllowFewerGroups: fewer})
				require.NoError(t, err)
				require.Equal(t, fewer, p.AllowFewerGroups, "PresetOptions.AllowFewerGroups sets the problem's")
				sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: uint64(seed), Iterations: 1500})
				require.NoError(t, err)
				checkLed(t, p, sol)
				assert.InDelta(t, grouping.Evaluate(p, sol.Groups), sol.Objective, 1e-6)
				n := 0
				for _, g := range sol.Groups {
					if len(g) > 0 {
						n++
					}
				}
				assert.Empty(t, sol.Unled, "every group formed is led")
				t.Logf("allow fewer groups %v: %d groups, objective %.1f, %d unplaced", fewer, n, sol.Objective, len(sol.Unplaced))
				return n
			}
			kept, fewer := formed(false), formed(true)
			assert.Less(t, fewer, kept, "groups formed with AllowFewerGroups")
		})
	}
}
