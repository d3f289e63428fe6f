package grouping_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// TestTrainingBreakoutsAtProgramScale: the training breakouts preset over
// the full synthetic workforce (2,020 providers in 404 rooms) has more
// members than the local search tries as swap partners, and no criterion
// that wants members alike (organizations mix): the search samples
// partners at random and solves it.
func TestTrainingBreakoutsAtProgramScale(t *testing.T) {
	w := bsktest.Workforce(1, bsktest.Options{})
	p, err := grouping.TrainingBreakouts(w.Providers, grouping.PresetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 3, TimeLimit: 3 * time.Second})
	if err != nil {
		t.Fatalf("Solve = %v", err)
	}
	checkSolution(t, p, sol)
}

// TestSwapSampleOnSmallProblems: a swap sample smaller than the problem
// makes the local search sample partners on problems of any size and
// kind, including pure pair-score problems.
func TestSwapSampleOnSmallProblems(t *testing.T) {
	matrix := func(n int) *grouping.Problem {
		r := rand.New(rand.NewPCG(uint64(n), 3))
		p := &grouping.Problem{Groups: 3, Size: grouping.Bounds{Min: n/3 - 1, Max: n/3 + 1}, Matrix: make([][]float64, n)}
		for i := range n {
			p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint(i))})
			p.Matrix[i] = make([]float64, n)
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				v := float64(r.IntN(21) - 10)
				p.Matrix[i][j], p.Matrix[j][i] = v, v
			}
		}
		return p
	}
	for _, c := range []struct {
		name string
		p    *grouping.Problem
	}{
		{"criteria and constraints", randomProblem(rand.New(rand.NewPCG(7, 1)), 30)},
		{"pair scores only", matrix(24)},
	} {
		for _, sample := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/sample %d", c.name, sample), func(t *testing.T) {
				sol, err := grouping.Solve(context.Background(), c.p, grouping.Options{Iterations: 5, SwapSample: sample})
				if err != nil {
					t.Fatalf("Solve = %v", err)
				}
				checkSolution(t, c.p, sol)
			})
		}
	}
}
