package grouping_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/grouping"
)

func TestProgressReportsImprovingObjective(t *testing.T) {
	for _, threads := range []int{1, 2} {
		p := randomProblem(rand.New(rand.NewPCG(3, 3)), 60)
		var got []grouping.Progress
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: 300 * time.Millisecond, Threads: threads,
			Progress: func(pr grouping.Progress) { got = append(got, pr) }})
		require.NoError(t, err)
		require.NotEmpty(t, got, "threads %d", threads)
		for i, pr := range got {
			assert.Equal(t, len(p.Members), pr.Members)
			assert.LessOrEqual(t, pr.Placed, pr.Members)
			assert.LessOrEqual(t, pr.Remaining, 300*time.Millisecond)
			if i > 0 {
				assert.Greater(t, pr.Objective, got[i-1].Objective, "reports only improvements")
			}
		}
		assert.LessOrEqual(t, got[len(got)-1].Objective, sol.Objective+1e-9)
	}
}

func TestProgressOnPairProblems(t *testing.T) {
	p := &grouping.Problem{Members: members(30), Groups: 3, Size: grouping.Bounds{Min: 10, Max: 10}}
	r := rand.New(rand.NewPCG(1, 2))
	p.Matrix = make([][]float64, 30)
	for i := range p.Matrix {
		p.Matrix[i] = make([]float64, 30)
	}
	for i := range 30 {
		for j := range i {
			p.Matrix[i][j] = float64(r.IntN(100))
			p.Matrix[j][i] = p.Matrix[i][j]
		}
	}
	calls := 0
	_, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 5, Progress: func(pr grouping.Progress) {
		calls++
		assert.Equal(t, 30, pr.Placed)
		assert.Zero(t, pr.Remaining, "no time limit with a fixed number of iterations")
	}})
	require.NoError(t, err)
	assert.Positive(t, calls)
}
