package scholarship_test

import (
	"context"
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Ben declines his award: the money tops up Carla's partial award first,
// then goes to Dev, next in rank order; the decision records say so.
func ExampleDecline() {
	program := scholarship.Program{ID: "esit", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
		Cycles: []scholarship.Cycle{{
			ID: "2026", Effective: day, Budget: 20_000_00, Fit: scholarship.Partial,
			Caps:  map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			Pools: []scholarship.Pool{{Name: "multilingual", Amount: 9_500_00, Criterion: scholarship.PoolMultilingual}},
		}}}
	employer := &bsk.Organization{ID: "org-1", Name: "Kent Early Intervention", Kind: bsk.OrgEarlyIntervent, Place: "kent", ServesYoungChildren: true}
	var apps []scholarship.Application
	for _, id := range []string{"amina", "ben", "carla", "dev"} {
		langs := []bsk.Language{bsk.English}
		if id == "amina" {
			langs = []bsk.Language{bsk.Somali, bsk.English}
		}
		apps = append(apps, scholarship.Application{ID: id, ProgramID: "esit", CycleID: "2026",
			Applicant: scholarship.Applicant{PersonID: id, Name: id, Employer: employer, MonthsEmployed: 6, HoursPerWeek: 30, Languages: langs},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: day})
	}
	c := program.Cycles[0]
	key, _ := scholarship.NewHashKey()
	// No rubric: the applications rank by submission time, then ID.
	res, err := scholarship.RunCycle(context.Background(), scholarship.Run{Program: program, CycleID: "2026", Applications: apps,
		Rules: scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(program, c)}, HashKey: key})
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func(res scholarship.Result) {
		for _, r := range res.Records {
			fmt.Printf("%-6s %-10s", r.ApplicationID, r.Step)
			switch {
			case r.Award != nil && r.Award.Partial:
				fmt.Printf(" %s from %s, partial", r.Award.Amount, r.Award.Pool)
			case r.Award != nil:
				fmt.Printf(" %s from %s", r.Award.Amount, r.Award.Pool)
			case r.Step == scholarship.StepDeclined:
				fmt.Printf(" %s", r.Reasons[len(r.Reasons)-1].Text(scholarship.EnglishText))
			}
			fmt.Println()
		}
		fmt.Println("left:", res.Allocation.Left)
	}
	show(res)

	next, err := scholarship.Decline(c, res, apps, []string{"ben"})
	if err != nil {
		fmt.Println(err)
		return
	}
	show(next)

	_, err = scholarship.Decline(c, next, apps, []string{"ben"})
	fmt.Println(bsk.ErrorCode(err), err)
	// Output:
	// amina  awarded    $9,500.00 from multilingual
	// ben    awarded    $9,500.00 from general
	// carla  awarded    $1,000.00 from general, partial
	// dev    waitlisted
	// left: $0.00
	// amina  awarded    $9,500.00 from multilingual
	// ben    declined   You declined the award; its money was offered to the applicants waiting.
	// carla  awarded    $9,500.00 from general
	// dev    awarded    $1,000.00 from general, partial
	// left: $0.00
	// conflict declined[0]: application "ben" has already declined its award
}
