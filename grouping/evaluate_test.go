package grouping_test

import (
	"math"
	"testing"

	"github.com/beststarts/workforce/grouping"
)

// TestEvaluateOnForeignInput: Evaluate scores what it can of a grouping
// that does not fit the problem (unknown IDs, a matrix too small) without
// panicking: what is not p's counts for nothing.
func TestEvaluateOnForeignInput(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Max: 3}, Members: members(4),
		Criteria: []grouping.Criterion{{Kind: grouping.Diverse, Attr: "x", Weight: 1}},
		Pairs:    []grouping.PairScore{{A: "m0", B: "m1", Score: 2}, {A: "m0", B: "ghost", Score: 100}},
		Matrix:   [][]float64{{0, 1}, {1, 0}}, // rows for two members of four
	}
	clean := [][]grouping.MemberID{{"m0", "m1"}, {"m2", "m3"}}
	// Diverse on an attribute nobody has: every pair differs (2 pairs);
	// the pair score 2; the matrix's one entry 1.
	if got, want := grouping.Evaluate(p, clean), 2.0+2+1; got != want {
		t.Errorf("Evaluate(clean) = %v; want %v", got, want)
	}
	foreign := [][]grouping.MemberID{{"m0", "ghost", "m1"}, {"m2", "m3", "nobody"}}
	if got, want := grouping.Evaluate(p, foreign), grouping.Evaluate(p, clean); got != want {
		t.Errorf("Evaluate(with unknown IDs) = %v; want %v, as without them", got, want)
	}
	if got := grouping.Evaluate(&grouping.Problem{}, [][]grouping.MemberID{{"x", "y"}}); got != 0 {
		t.Errorf("Evaluate(empty problem) = %v; want 0", got)
	}
	if got := grouping.Evaluate(nil, clean); !math.IsNaN(got) {
		t.Errorf("Evaluate(nil) = %v; want NaN", got)
	}
}
