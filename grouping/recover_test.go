package grouping_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// internalPanic asserts that err is an internal error caused by a panic
// whose value prints as want, with a message that holds every one of parts.
func internalPanic(t *testing.T, err error, want string, parts ...string) *grouping.PanicError {
	t.Helper()
	if !errors.Is(err, bsk.ErrInternal) {
		t.Fatalf("error = %v; want an internal error", err)
	}
	var pe *grouping.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v has no *grouping.PanicError cause", err)
	}
	if fmt.Sprint(pe.Value) != want {
		t.Errorf("panic value = %v; want %v", pe.Value, want)
	}
	if len(pe.Stack) == 0 {
		t.Error("the panic's stack is empty")
	}
	for _, part := range parts {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not say %q", err, part)
		}
	}
	return pe
}

// TestPanickingProgressIsAnError: a Progress function that panics, in any
// of the search's threads, stops the search with an internal error that
// names it and the seed; the process goes on.
func TestPanickingProgressIsAnError(t *testing.T) {
	p := randomProblem(rand.New(rand.NewPCG(4, 4)), 30)
	for _, threads := range []int{1, 3} {
		t.Run(fmt.Sprint(threads, " threads"), func(t *testing.T) {
			start := time.Now()
			_, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: 42, Threads: threads, TimeLimit: 20 * time.Second,
				Progress: func(grouping.Progress) { panic("progress boom") }})
			pe := internalPanic(t, err, "progress boom", "seed 42", "the Progress function panicked")
			t.Log(err)
			if !strings.Contains(pe.Site, "recover_test.go") {
				t.Errorf("panic site %q is not the Progress function in recover_test.go", pe.Site)
			}
			// The other threads stop at once rather than at the time limit.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Solve returned after %v; the limit was 20s", d)
			}
		})
	}
}

func TestRegroupPanickingProgressIsAnError(t *testing.T) {
	p := randomProblem(rand.New(rand.NewPCG(4, 4)), 30)
	_, err := grouping.Regroup(context.Background(), p, [][]grouping.MemberID{{"m00", "m01"}},
		grouping.RegroupOptions{Options: grouping.Options{Seed: 9, Iterations: 3, Progress: func(grouping.Progress) { panic(errors.New("regroup boom")) }}})
	if !errors.Is(err, bsk.ErrInternal) || !strings.Contains(err.Error(), "regroup boom") || !strings.Contains(err.Error(), "seed 9") {
		t.Fatalf("Regroup error = %v; want an internal error with the panic and the seed", err)
	}
}

// TestPanickingRuleIsAnError: an agency's rule (a plug-in, say) that panics
// is an internal error naming the rule, like a rule that fails; the other
// rules' amendments are not applied and p is not changed.
func TestPanickingRuleIsAnError(t *testing.T) {
	p := randomProblem(rand.New(rand.NewPCG(4, 4)), 10)
	before := len(p.CannotLink)
	rules := map[string]grouping.Rule{
		"a-fine": grouping.RuleFunc(func(context.Context, *grouping.Problem) (grouping.Amendment, error) {
			return grouping.Amendment{CannotLink: []grouping.Pair{{A: "m00", B: "m09"}}}, nil
		}),
		"b-broken": grouping.RuleFunc(func(_ context.Context, q *grouping.Problem) (grouping.Amendment, error) {
			var m map[string]int
			m["x"]++ // a nil map write: a runtime panic in the rule
			return grouping.Amendment{}, nil
		}),
	}
	out, err := grouping.Apply(context.Background(), p, rules)
	if out != nil {
		t.Errorf("Apply returned a problem with the error")
	}
	pe := internalPanic(t, err, "assignment to entry in nil map", `rule "b-broken"`, "the rule panicked")
	if !strings.Contains(pe.Site, "recover_test.go") {
		t.Errorf("panic site %q is not the rule in recover_test.go", pe.Site)
	}
	var be *bsk.Error
	if !errors.As(err, &be) || be.Field != "rules.b-broken" {
		t.Errorf("error %v: field %q; want rules.b-broken", err, be.Field)
	}
	if len(p.CannotLink) != before {
		t.Errorf("p changed: %d cannot-links; want %d", len(p.CannotLink), before)
	}
}
