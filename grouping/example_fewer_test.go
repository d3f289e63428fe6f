package grouping_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/beststarts/workforce/grouping"
)

// Let the search form fewer, fuller groups than the problem's count where
// they score higher: 20 members from 20 agencies, up to 5 groups of 4 to
// 8, scored by the pairs in a group from different agencies. The group
// sizes print smallest first.
func ExampleProblem_allowFewerGroups() {
	p := &grouping.Problem{Groups: 5, Size: grouping.Bounds{Min: 4, Max: 8},
		Criteria: []grouping.Criterion{{Name: "mixed agencies", Kind: grouping.Diverse, Attr: "agency", Weight: 1}}}
	for i := range 20 {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint("m", i)), Attrs: map[string]string{"agency": fmt.Sprint("a", i)}})
	}
	for _, fewer := range []bool{false, true} {
		p.AllowFewerGroups = fewer
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 2000, Seed: 1})
		if err != nil {
			fmt.Println(err)
			return
		}
		var sizes []int
		for _, g := range sol.Groups {
			if len(g) > 0 {
				sizes = append(sizes, len(g))
			}
		}
		slices.Sort(sizes)
		fmt.Printf("allow fewer groups %v: sizes %v, %v pairs mixed, %d left out\n", fewer, sizes, sol.Objective, len(sol.Unplaced))
	}
	// Output:
	// allow fewer groups false: sizes [4 4 4 4 4], 30 pairs mixed, 0 left out
	// allow fewer groups true: sizes [4 8 8], 62 pairs mixed, 0 left out
}
