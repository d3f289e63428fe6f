package flow_test

import (
	"context"
	"fmt"

	"github.com/beststarts/workforce/internal/flow"
)

// Two reviewers, each able to take one application, and two applications:
// reviewer A costs 1 for either, reviewer B costs 5 for the first and 2 for
// the second. The cheapest full assignment gives A the first and B the
// second (cost 3), not A the second (which would leave B the first at 5).
func Example() {
	const s, a, b, app1, app2, t = 0, 1, 2, 3, 4, 5
	g := flow.New(6)
	g.AddArc(s, a, 1, 0)
	g.AddArc(s, b, 1, 0)
	a1 := g.AddArc(a, app1, 1, 1)
	a2 := g.AddArc(a, app2, 1, 1)
	b1 := g.AddArc(b, app1, 1, 5)
	b2 := g.AddArc(b, app2, 1, 2)
	g.AddArc(app1, t, 1, 0)
	g.AddArc(app2, t, 1, 0)
	n, cost, err := g.Solve(context.Background(), s, t, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("assigned", n, "at cost", cost)
	fmt.Println("A-1", g.FlowOn(a1), "A-2", g.FlowOn(a2), "B-1", g.FlowOn(b1), "B-2", g.FlowOn(b2))
	// Output:
	// assigned 2 at cost 3
	// A-1 1 A-2 0 B-1 0 B-2 1
}
