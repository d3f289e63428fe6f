package grouping_test

import (
	"context"
	"fmt"

	"github.com/beststarts/workforce/grouping"
)

// Three clinicians share five families: the two intensive cases go to
// different clinicians, a family stays with its current clinician, the
// paired case gets two distinct clinicians with hours for it, and the Somali-speaking
// family, whom no clinician can serve in Somali, is unassigned with the
// reason.
func ExampleAssignCases() {
	p := grouping.Caseload{
		Clinicians: []grouping.Clinician{
			{ID: "rosa", Languages: []string{"en", "es"}, Hours: 10},
			{ID: "minh", Languages: []string{"en", "vi"}, Hours: 10},
			{ID: "jo", Languages: []string{"en"}, Hours: 4},
		},
		Cases: []grouping.Case{
			{ID: "garcia", Languages: []string{"es"}, Hours: 4, Intensive: true},
			{ID: "nguyen", Languages: []string{"vi", "en"}, Hours: 4, Intensive: true},
			{ID: "smith", Languages: []string{"en"}, Hours: 2, Current: []grouping.ClinicianID{"jo"}},
			{ID: "lee", Languages: []string{"en"}, Hours: 3, Paired: true},
			{ID: "ahmed", Languages: []string{"so"}, Hours: 2},
		},
		Continuity: 5,
	}
	plan, err := grouping.AssignCases(context.Background(), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, c := range p.Cases {
		if len(plan.Assigned[i]) > 0 {
			fmt.Println(c.ID, plan.Assigned[i])
		}
	}
	for _, u := range plan.Unassigned {
		fmt.Println(u.Case, u.Reason.Code, u.Reason.Params)
	}
	fmt.Println("optimal:", plan.Optimal)
	// Output:
	// garcia [rosa]
	// nguyen [minh]
	// smith [jo]
	// lee [minh rosa]
	// ahmed no_clinician_speaks_language map[languages:so]
	// optimal: true
}
