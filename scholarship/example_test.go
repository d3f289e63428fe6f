package scholarship_test

import (
	"context"
	"fmt"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// A whole ESIT Career Pathways cycle: rules, scoring, allocation with a
// multilingual set-aside, a decline and reallocation, then the ledger.
func ExampleRunCycle() {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	program := scholarship.Program{ID: "esit", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
		Cycles: []scholarship.Cycle{{
			ID: "2026", Effective: start, Budget: 20_000_00,
			Caps:             map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			CommitmentMonths: 12,
			Pools:            []scholarship.Pool{{Name: "multilingual", Amount: 9_500_00, Criterion: scholarship.PoolMultilingual}},
		}}}
	employer := &bsk.Organization{ID: "org-1", Name: "Kent Early Intervention", Kind: bsk.OrgEarlyIntervent, Place: "kent", ServesYoungChildren: true}
	person := func(id string, langs ...bsk.Language) scholarship.Application {
		return scholarship.Application{ID: id, ProgramID: "esit", CycleID: "2026",
			Applicant: scholarship.Applicant{PersonID: id, Name: id, Employer: employer, MonthsEmployed: 6, HoursPerWeek: 30, Languages: langs},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: start}
	}
	apps := []scholarship.Application{
		person("amina", bsk.Somali, bsk.English), person("ben", bsk.English), person("carla", bsk.English), person("dev", bsk.English),
	}
	apps[1].Answers.FinancialNeed = 3
	apps[2].Answers.FinancialNeed = 2
	apps[3].Applicant.MonthsEmployed = 1 // under the three months required
	c := program.Cycles[0]
	key, err := scholarship.NewHashKey() // a deployment keeps one secret key
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := scholarship.RunCycle(context.Background(), scholarship.Run{
		Program: program, CycleID: "2026", Applications: apps,
		Rules:   scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(program, c)},
		Rubric:  scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)},
		HashKey: key,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Records {
		fmt.Printf("%-6s %-10s rank %d score %4.1f %s\n", r.ApplicationID, r.Outcome, r.Rank, r.Score.Total, r.Step)
		for _, why := range r.Reasons {
			fmt.Println("       ", why.Text(scholarship.SpanishText))
		}
	}
	// Ben declines; the money goes down the waitlist.
	ranked := make([]scholarship.Candidate, len(res.Ranking))
	for k, id := range res.Ranking {
		for i, a := range apps {
			if a.ID == id {
				ranked[k] = scholarship.Candidate{Application: a, Verdict: res.Verdicts[i]}
			}
		}
	}
	next, _ := scholarship.Reallocate(c, res.Allocation, ranked, []string{"ben"})
	for _, a := range next.Awards {
		fmt.Printf("award %s %s from %s (%s)\n", a.ApplicationID, a.Amount, a.Pool, a.Step)
	}
	ledger := scholarship.NewLedger(c, next)
	ledger.Append(scholarship.Entry{ApplicationID: "amina", Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 9_500_00, At: start})
	ledger.Append(scholarship.Entry{ApplicationID: "amina", Kind: scholarship.Completed, At: start.AddDate(0, 9, 0)})
	ledger.Append(scholarship.Entry{ApplicationID: "amina", Kind: scholarship.LeftCounty, At: start.AddDate(0, 12, 0)})
	owed := ledger.Owed("amina", start.AddDate(1, 1, 0))
	fmt.Printf("amina owes %s for %d unmet months\n", owed.Owed, owed.UnmetMonths)
	// Output:
	// amina  eligible   rank 1 score 10.0 awarded
	// ben    eligible   rank 2 score 10.0 awarded
	// carla  eligible   rank 3 score  6.7 waitlisted
	// dev    ineligible rank 4 score  0.0 ineligible
	//         Ha trabajado 1 meses en su agencia; se requieren 3.
	// award amina $9,500.00 from multilingual (allocation)
	// award carla $9,500.00 from general (reallocation)
	// amina owes $7,125.00 for 9 unmet months
}

// A decision record's inputs hash is keyed: whoever holds the key and the
// application checks that the record was made from it; without the key,
// trying every possible set of demographics finds nothing.
func ExampleVerifyInputsHash() {
	key, _ := scholarship.NewHashKey()
	a := scholarship.Application{ID: "app-1", ProgramID: "esit", CycleID: "2026",
		Applicant: scholarship.Applicant{PersonID: "p-1", Name: "Amina",
			Demographics: bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceBlack}, Gender: bsk.GenderWoman}}}
	hash := scholarship.InputsHash(key, a)
	fmt.Println("the record matches its inputs:", scholarship.VerifyInputsHash(key, a, hash))

	// Someone who reads the application without its demographics tries
	// every race and gender, but has no key.
	guess := a
	found := false
	for _, r := range bsk.RaceEthnicity("").Enum() {
		for _, g := range bsk.Gender("").Enum() {
			guess.Applicant.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceEthnicity(r)}, Gender: bsk.Gender(g)}
			if scholarship.VerifyInputsHash(nil, guess, hash) {
				found = true
			}
		}
	}
	fmt.Println("found without the key:", found)
	// Output:
	// the record matches its inputs: true
	// found without the key: false
}
