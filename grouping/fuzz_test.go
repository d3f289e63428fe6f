package grouping_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/beststarts/workforce/grouping"
)

// FuzzSolve: any problem document is refused with an error or solved with
// every member placed once or unplaced with a reason, and a breakdown that
// sums to the objective recomputed from scratch; never a panic.
func FuzzSolve(f *testing.F) {
	if b, err := os.ReadFile("../examples/group/testdata/problem.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"groups":2,"size":{"min":1,"max":3},"members":[{"id":"a","pin":1},{"id":"b","sets":{"l":["x"]}},{"id":"c","attrs":{"l":"y"}}],"constraints":[{"kind":"share","attr":"l"}]}`))
	f.Add([]byte(`{"groups":1,"size":{"min":0,"max":2},"members":[{"id":"a"},{"id":"b"}],"matrix":[[0,1],[1,0]],"prefer":[{"member":"a","group":0,"score":2}]}`))
	f.Add([]byte(`{"groups":3,"bounds":[{"min":1,"max":1},{"min":0,"max":2},{"min":1,"max":3}],"members":[{"id":"a","nums":{"y":1}},{"id":"b","nums":{"y":2}},{"id":"c"}],"criteria":[{"kind":"isolation","attr":"y","weight":1}],"exclude":[{"member":"c","reason":{"code":"x"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p grouping.Problem
		if json.Unmarshal(data, &p) != nil || len(p.Members) > 40 || p.Groups > 40 {
			return
		}
		sol, err := grouping.Solve(context.Background(), &p, grouping.Options{Iterations: 2})
		if err != nil {
			return
		}
		seen := map[grouping.MemberID]bool{}
		for _, g := range sol.Groups {
			for _, id := range g {
				if seen[id] {
					t.Fatalf("%s placed twice", id)
				}
				seen[id] = true
			}
		}
		for _, u := range sol.Unplaced {
			if seen[u.Member] || u.Reason.Code == "" {
				t.Fatalf("unplaced %+v", u)
			}
			seen[u.Member] = true
		}
		if len(seen) != len(p.Members) {
			t.Fatalf("%d of %d members accounted for", len(seen), len(p.Members))
		}
		// The solver's own bookkeeping, criterion by criterion, agrees
		// with the from-scratch recomputation.
		sum := 0.0
		for _, b := range sol.Breakdown {
			sum += b.Weighted
		}
		if got := grouping.Evaluate(&p, sol.Groups); got-sum > 1e-6*(1+abs(got)) || sum-got > 1e-6*(1+abs(got)) {
			t.Fatalf("breakdown sums to %v; recomputed %v", sum, got)
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
