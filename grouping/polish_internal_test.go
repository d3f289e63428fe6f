package grouping

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// TestPolishReachesLocalOptimum checks the polish on county-shaped states
// the sampled local search left: it raises them, keeps the aggregates
// true to the grouping, and ends where no single move or swap of the whole
// neighbourhood (every group, every partner, asked without the quick
// swapInPossible filter) improves the objective.
func TestPolishReachesLocalOptimum(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		_, r, s := searchedState(t, seed, bsktest.Options{Organizations: 90, Providers: 700, Consultants: 20, NoOfferings: true}, 5)
		movable := movableUnits(r.m, s)
		if r.sampleSize(movable) >= movable {
			t.Fatalf("seed %d: %d movable members, and the local search does not sample", seed, movable)
		}
		before := s.obj
		r.polish(s, 0)
		if s.obj <= before+eps {
			t.Errorf("seed %d: the polish left the sampled local optimum at %.2f (%.2f after)", seed, before, s.obj)
		}
		if got := s.objective(); math.Abs(got-s.obj) > 1e-6*math.Max(1, math.Abs(got)) {
			t.Fatalf("seed %d: the state's objective %.6f, recomputed %.6f", seed, s.obj, got)
		}
		for g := range r.m.groups {
			if s.sizes[g] > 0 && !s.checksOK(g, -1) {
				t.Fatalf("seed %d: group %d breaks a hard constraint after the polish", seed, g)
			}
		}
		for u, g := range s.assign {
			if g < 0 || r.m.pin[u] >= 0 {
				continue
			}
			for h := range r.m.groups {
				if d, ok := s.moveDelta(u, h, true); ok && d > eps {
					t.Fatalf("seed %d: moving unit %d from group %d to %d still gains %.4f", seed, u, g, h, d)
				}
			}
			for v := u + 1; v < len(s.assign); v++ {
				if d, ok := s.swapDelta(u, v); ok && d > eps {
					t.Fatalf("seed %d: swapping units %d (group %d) and %d (group %d) still gains %.4f", seed, u, g, v, s.assign[v], d)
				}
			}
		}
	}
}

// TestSolvePolishesWithIterations solves a county-shaped problem with
// Iterations, where the polish runs after the last round (at most
// polishPasses passes): twice the same grouping, its objective the one
// Evaluate gives, and the search's own objective for its polished best
// grouping the one the grouping has.
func TestSolvePolishesWithIterations(t *testing.T) {
	w := bsktest.Workforce(6, bsktest.Options{Organizations: 90, Providers: 700, Consultants: 20, NoOfferings: true})
	p, err := ReflectiveConsultation(w.Providers, PresetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Seed: 3, Iterations: 40, Threads: 1}
	a, err := Solve(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Solve(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Groups) != fmt.Sprint(b.Groups) || a.Objective != b.Objective {
		t.Fatal("the same seed and iterations gave different solutions")
	}
	if got := Evaluate(p, a.Groups); math.Abs(got-a.Objective) > 1e-6*math.Max(1, math.Abs(got)) {
		t.Fatalf("objective %.4f, Evaluate %.4f", a.Objective, got)
	}
	// The search as Solve builds it: the best grouping it returns after the
	// polish has the objective it reports.
	m, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	r := &search{m: m, rng: rand.New(rand.NewPCG(3, 0x9e3779b97f4a7c15)), deadline: time.Now().Add(time.Hour), ctx: context.Background(),
		maxIter: 40, begin: time.Now(), starts: DefaultStarts}
	best, bestObj, _ := r.run()
	s := newState(m)
	for u, g := range best {
		if g >= 0 {
			s.place(u, g)
		}
	}
	if got := s.objective(); math.Abs(got-bestObj) > 1e-6*math.Max(1, math.Abs(got)) {
		t.Fatalf("run's objective %.4f, its grouping's %.4f", bestObj, got)
	}
}
