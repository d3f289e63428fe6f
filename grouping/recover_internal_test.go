package grouping

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// faultyTerm is a criterion whose bookkeeping panics after a number of
// updates: a stand-in for a bug deep in the search.
type faultyTerm struct {
	term
	left int
}

func (t *faultyTerm) add(u, g, sign int) {
	if t.left--; t.left < 0 {
		var groups []int
		_ = groups[g] // index out of range, as a bug would
	}
	t.term.add(u, g, sign)
}

// TestSearchThreadPanicIsAnError injects a panic into a search thread,
// during construction and later in the search: the thread returns an
// internal error with the seed and the round, cancels the other threads,
// and nothing escapes.
func TestSearchThreadPanicIsAnError(t *testing.T) {
	p := fastProblem(rand.New(rand.NewPCG(2, 2)), 24)
	// Without one organization per group the search has moves to make,
	// and so updates to count.
	p.Constraints = slices.DeleteFunc(p.Constraints, func(c Constraint) bool { return c.Kind == Same })
	for _, c := range []struct {
		updates int
		round   *regexp.Regexp
	}{
		{0, regexp.MustCompile(`while building the first grouping`)},
		{-1, regexp.MustCompile(`in search round [1-9][0-9]*`)},
	} {
		name := fmt.Sprint(c.updates, " updates")
		if c.updates < 0 {
			name = "past the first round"
		}
		t.Run(name, func(t *testing.T) {
			updates := c.updates
			build := func() (*model, error) {
				m, err := compile(p)
				if err != nil {
					return nil, err
				}
				m.terms[0] = &faultyTerm{term: m.terms[0], left: updates}
				return m, nil
			}
			if updates < 0 {
				// As many updates as a search of one round makes, first
				// grouping and ending included, and one more: the panic
				// comes after the first round of a longer search.
				var counted *faultyTerm
				count := func() (*model, error) {
					m, err := compile(p)
					if err != nil {
						return nil, err
					}
					counted = &faultyTerm{term: m.terms[0], left: math.MaxInt}
					m.terms[0] = counted
					return m, nil
				}
				stop := func() {}
				if res := runThread(context.Background(), stop, count, p, Options{Seed: 13, Iterations: 1}, 0, 1, time.Now().Add(time.Minute), &progress{}); res.err != nil {
					t.Fatal(res.err)
				}
				updates = math.MaxInt - counted.left + 1
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := Options{Seed: 11, Iterations: 1000}
			res := runThread(ctx, cancel, build, p, opts, 2, 3, time.Now().Add(time.Minute), &progress{})
			if !errors.Is(res.err, bsk.ErrInternal) {
				t.Fatalf("runThread error = %v; want an internal error", res.err)
			}
			var pe *PanicError
			if !errors.As(res.err, &pe) || !strings.Contains(pe.Site, "recover_internal_test.go") || !strings.Contains(pe.Site, "faultyTerm") {
				t.Errorf("panic %+v; want the faulty term's site", pe)
			}
			msg := res.err.Error()
			for _, want := range []string{"seed 13 (thread 2 of 3, options seed 11)", "iterations 1000", "index out of range", "a bug in the grouping package"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
			if !c.round.MatchString(msg) {
				t.Errorf("message %q does not match %v", msg, c.round)
			}
			if ctx.Err() == nil {
				t.Error("the other threads' context is not cancelled")
			}
			// One thread with the reported seed and as many iterations as
			// the reported round meets the same panic in the same round.
			var round int
			if m := regexp.MustCompile(`search round (\d+)`).FindStringSubmatch(msg); m != nil {
				round, _ = strconv.Atoi(m[1])
			}
			again, stop := context.WithCancel(context.Background())
			defer stop()
			res = runThread(again, stop, build, p, Options{Seed: 13, Iterations: round}, 0, 1, time.Now().Add(time.Minute), &progress{})
			if res.err == nil || !strings.Contains(res.err.Error(), fmt.Sprintf("search round %d", round)) {
				t.Errorf("seed 13 with %d iterations: %v; want the panic in round %d", round, res.err, round)
			}
		})
	}
}
