package grouping_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// Keep apart the attendees who met in last month's breakout rooms: the
// pairs who met before score against sitting together again.
func ExampleMetBefore() {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 2, Max: 2}}
	for _, id := range []grouping.MemberID{"ana", "ben", "cy", "dee"} {
		p.Members = append(p.Members, grouping.Member{ID: id})
	}
	history := []grouping.PastGroup{
		{Session: "2026-03", Members: []grouping.MemberID{"ana", "ben"}},
		{Session: "2026-03", Members: []grouping.MemberID{"cy", "dee"}},
		{Session: "2026-04", Members: []grouping.MemberID{"ana", "cy"}},
		{Session: "2026-04", Members: []grouping.MemberID{"ben", "dee"}},
	}
	pairs, err := grouping.MetBefore(p.Members, history, grouping.RepeatWeight)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pairs)
	p.Pairs = pairs
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: 1, Iterations: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	rooms := slices.Clone(sol.Groups)
	slices.SortFunc(rooms, func(a, b []grouping.MemberID) int { return slices.Compare(a, b) })
	fmt.Println("rooms:", rooms, "repeated pairs' score:", sol.Objective)
	// Output:
	// [{ana ben -10} {ana cy -10} {ben dee -10} {cy dee -10}]
	// rooms: [[ana dee] [ben cy]] repeated pairs' score: 0
}

// A training's attendance history: who sat in which breakout room of
// which session. Absent attendees are skipped; sitting in two rooms of
// one session is a conflict, named by its place in the history.
func ExamplePastGroup() {
	members := []grouping.Member{{ID: "ana"}, {ID: "ben"}, {ID: "cy"}}
	history := []grouping.PastGroup{
		{Session: "2026-03", Members: []grouping.MemberID{"ana", "ben", "zed"}},
		{Session: "2026-04", Members: []grouping.MemberID{"zed", "ben", "ana"}},
	}
	pairs, _ := grouping.MetBefore(members, history, 1)
	fmt.Println(pairs)
	history = append(history, grouping.PastGroup{Session: "2026-04", Members: []grouping.MemberID{"cy", "ben"}})
	_, err := grouping.MetBefore(members, history, 1)
	fmt.Println(bsk.ErrorCode(err), err)
	// Output:
	// [{ana ben -2}]
	// conflict /history/2/members/1: member "ben" sits twice in session "2026-04" (also /history/1/members/1)
}
