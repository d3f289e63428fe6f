package grouping_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// Form reflective consultation groups from an agency workforce: 6-8
// providers who share a language and a meeting time, mostly from one
// organization, supervisors apart from direct-service staff.
func ExampleReflectiveConsultation() {
	w := bsktest.Workforce(1, bsktest.Options{Organizations: 10, Providers: 160, Consultants: 3, NoOfferings: true})
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A fixed number of search rounds makes the result the same everywhere.
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("groups:", p.Groups)
	reasons := map[string]int{}
	for _, u := range sol.Unplaced {
		reasons[u.Reason.Code]++
	}
	fmt.Println("consultants left out to lead groups:", reasons["leads_groups"])
	for _, c := range sol.Breakdown {
		fmt.Printf("criterion %q scored\n", c.Criterion)
	}
	// Output:
	// groups: 23
	// consultants left out to lead groups: 3
	// criterion "same organization" scored
	// criterion "similar service levels" scored
	// criterion "mixed disciplines" scored
}

// Split agency leaders into six intergroup dialogue groups that are
// deliberately mixed across race and ethnicity, gender, age, region and
// organization.
func ExampleIntergroupDialogue() {
	w := bsktest.Workforce(2, bsktest.Options{Organizations: 30, Providers: 600, NoOfferings: true})
	var leaders []bsk.Provider
	for _, p := range w.Providers {
		if p.Role == bsk.RoleDirector || p.Role == bsk.RoleSupervisor {
			leaders = append(leaders, p)
		}
	}
	p, err := grouping.IntergroupDialogue(leaders, grouping.PresetOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 20, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d leaders in %d groups of %d to %d\n", len(leaders), p.Groups, p.Size.Min, p.Size.Max)
	isolated := 0
	for _, u := range sol.Unmet {
		if u.Criterion == "nobody isolated by race or ethnicity" {
			isolated += len(u.Members)
		}
	}
	fmt.Println("leaders the only one of a race or ethnicity in their group:", isolated)
	// Output:
	// 118 leaders in 6 groups of 19 to 20
	// leaders the only one of a race or ethnicity in their group: 0
}

// Re-form groups mid-year after two members leave and one joins, moving as
// few of the others as possible.
func ExampleRegroup() {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 2, Max: 4}}
	for _, id := range []grouping.MemberID{"ana", "ben", "cai", "dev", "eli", "fay", "gus"} {
		p.Members = append(p.Members, grouping.Member{ID: id})
	}
	before := [][]grouping.MemberID{{"ana", "ben", "cai", "hal"}, {"dev", "eli", "fay", "ida"}}
	rg, err := grouping.Regroup(context.Background(), p, before, grouping.RegroupOptions{Options: grouping.Options{Iterations: 5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stayed:", rg.Diff.Stayed, "moved:", len(rg.Diff.Moved))
	fmt.Println("left:", rg.Diff.Left)
	for _, j := range rg.Diff.Joined {
		fmt.Println("joined:", j.Member)
	}
	// Output:
	// stayed: 6 moved: 0
	// left: [hal ida]
	// joined: gus
}

// Give each reflective consultation group a consultant who speaks the
// group's language and does not work at any member's organization.
func ExampleAssignLeaders() {
	members := []grouping.Member{
		{ID: "ana", Attrs: map[string]string{"organization": "org-1"}, Sets: map[string][]string{"languages": {"en", "es"}}},
		{ID: "ben", Attrs: map[string]string{"organization": "org-1"}, Sets: map[string][]string{"languages": {"es"}}},
		{ID: "cai", Attrs: map[string]string{"organization": "org-2"}, Sets: map[string][]string{"languages": {"en", "vi"}}},
		{ID: "dev", Attrs: map[string]string{"organization": "org-2"}, Sets: map[string][]string{"languages": {"en"}}},
	}
	got, err := grouping.AssignLeaders(context.Background(), grouping.LeaderProblem{
		Members: members,
		Groups:  [][]grouping.MemberID{{"ana", "ben"}, {"cai", "dev"}},
		Leaders: []grouping.Leader{
			{ID: "rosa", Capacity: 2, Attrs: map[string]string{"organization": "org-1"}, Sets: map[string][]string{"languages": {"en", "es"}}},
			{ID: "lan", Capacity: 2, Attrs: map[string]string{"organization": "org-3"}, Sets: map[string][]string{"languages": {"en", "es", "vi"}}},
		},
		Share:    []string{"languages"},
		Conflict: []string{"organization"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Leaders, len(got.Unassigned))
	// Output: [lan rosa] 0
}

// Place members in communities of practice by their ranked choices.
func ExampleAssignChoices() {
	got, err := grouping.AssignChoices(context.Background(), grouping.ChoiceProblem{
		Choices: []grouping.Choice{{ID: "sleep", Capacity: 1}, {ID: "feeding", Capacity: 2}, {ID: "sleep-es", Capacity: 2, Languages: []string{"es"}}},
		Choosers: []grouping.Chooser{
			{ID: "ana", Ranked: []string{"sleep-es", "sleep"}, Languages: []string{"es"}},
			{ID: "ben", Ranked: []string{"sleep", "feeding"}, Languages: []string{"en"}},
			{ID: "cai", Ranked: []string{"sleep", "feeding"}, Languages: []string{"en"}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []grouping.MemberID{"ana", "ben", "cai"} {
		fmt.Println(m, got.Placed[m], "choice", got.Rank[m])
	}
	// Output:
	// ana sleep-es choice 1
	// ben sleep choice 1
	// cai feeding choice 2
}

// Form groups with their leaders: two consultants lead one group of four
// each, one speaks English and Spanish, the other English only. Three
// members speak only Spanish, so the only grouping both consultants can
// lead puts them together, with the bilingual consultant.
func ExampleSolve_leaders() {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 4, Max: 4}}
	for i, langs := range [][]string{{"es"}, {"es"}, {"es"}, {"en", "es"}, {"en", "es"}, {"en", "es"}, {"en", "es"}, {"en", "es"}} {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%d", i)), Sets: map[string][]string{"languages": langs}})
	}
	p.Constraints = []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}}
	p.Leading = &grouping.Leading{Share: []string{"languages"}, Leaders: []grouping.Leader{
		{ID: "ana", Capacity: 1, Sets: map[string][]string{"languages": {"en", "es"}}},
		{ID: "bob", Capacity: 1, Sets: map[string][]string{"languages": {"en"}}},
	}}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for g, members := range sol.Groups {
		fmt.Println(sol.Leaders[g], len(members), slices.Contains(members, "m0"))
	}
	fmt.Println("unled:", len(sol.Unled))
	// Unordered output:
	// ana 4 true
	// bob 4 false
	// unled: 0
}
