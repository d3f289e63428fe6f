package scholarship_test

import (
	"context"
	"fmt"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

var programStart = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// baDegreePathways is Washington's BA Degree Pathways scholarship (Child
// Care Aware of Washington, funded by DCYF) as published: up to $9,000 a
// year of tuition and fees together, $500 of books, release time at $15 an
// hour for at most 3 hours a week paid to the employer; 3 months or more at
// a participating program, 10 hours a week or more, an AA or DTA. A person
// hired who has not started has no months yet: not eligible. The
// completion incentive is due after 6 more months with the same employer
// (its amount here, $1,000, is this example's figure).
func baDegreePathways(budget scholarship.Cents) scholarship.Program {
	return scholarship.Program{ID: "wa-ba-pathways", Name: "BA Degree Pathways", Kind: scholarship.AgencyDefined,
		Intake: scholarship.SkipAndReport,
		Cycles: []scholarship.Cycle{{
			ID: "2026-27", Effective: programStart, Budget: budget,
			Caps: map[scholarship.Category]scholarship.Cents{
				scholarship.Tuition: 9_000_00, scholarship.Fees: 9_000_00, scholarship.Books: 500_00},
			CombinedCaps: []scholarship.CombinedCap{{Categories: []scholarship.Category{scholarship.Tuition, scholarship.Fees}, Cap: 9_000_00}},
			Hourly: []scholarship.HourlyItem{{Category: scholarship.ReleaseTime, Rate: 15_00, MaxHoursPerWeek: 3, MaxWeeks: 52,
				Payee: scholarship.PayEmployer}},
			Payees: map[scholarship.Category]scholarship.Payee{
				scholarship.Tuition: scholarship.PayInstitution, scholarship.Fees: scholarship.PayInstitution},
			// Over the combined cap, fees go before tuition; release time,
			// owed to the employer, is cut last.
			CutOrder:            []scholarship.Category{scholarship.Books, scholarship.Fees, scholarship.Tuition, scholarship.ReleaseTime},
			CompletionIncentive: 1_000_00, IncentiveAfterMonths: 6,
			RequiredDocuments:  []string{"transcript"},
			QualifyingPrograms: []string{"ba-ece", "bas-ece"},
			Eligibility: &scholarship.Eligibility{
				Region: scholarship.Statewide, MinMonthsEmployed: 3, MinHoursPerWeek: 10, Hired: scholarship.HiredIneligible,
				MinEducation:         bsk.EducationAssociate,
				ParticipatingKinds:   []bsk.OrganizationKind{bsk.OrgChildCare},
				EmployerConfirmation: true,
			},
		}}}
}

// teachEarlyChildhood is a T.E.A.C.H. Early Childhood associate degree
// scholarship for King County child care: the scholarship pays 80% of
// tuition and books, the recipient 10% and the sponsoring employer 10%;
// release time up to 3 hours a week is reimbursed to the employer. The
// dollar figures (a $6,000 tuition cap, $600 of books, release time at
// $12 an hour for 48 weeks, $7,000 a year in all) are this example's
// settings; the recipient owes 12 more months with the sponsoring
// employer, after which a $500 bonus (this example's figure) is due. A person hired but not started is eligible pending their
// start, and a set-aside serves those who work in Spanish, Vietnamese or
// Somali; a partial award from it is topped up from the general fund.
func teachEarlyChildhood(budget, setAside scholarship.Cents) scholarship.Program {
	return scholarship.Program{ID: "teach-kc", Name: "T.E.A.C.H. Early Childhood King County", Kind: scholarship.AgencyDefined,
		Intake: scholarship.SkipAndReport,
		Cycles: []scholarship.Cycle{{
			ID: "2026-27", Effective: programStart, Budget: budget,
			Caps: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 6_000_00, scholarship.Books: 600_00},
			Shares: []scholarship.CostShare{{Categories: []scholarship.Category{scholarship.Tuition, scholarship.Books},
				Scholarship: 8_000, Recipient: 1_000, Employer: 1_000}},
			Hourly: []scholarship.HourlyItem{{Category: scholarship.ReleaseTime, Rate: 12_00, MaxHoursPerWeek: 3, MaxWeeks: 48,
				Payee: scholarship.PayEmployer}},
			Payees:            map[scholarship.Category]scholarship.Payee{scholarship.Tuition: scholarship.PayInstitution},
			PerApplicantCap:   7_000_00,
			CutOrder:          []scholarship.Category{scholarship.Books, scholarship.Tuition, scholarship.ReleaseTime},
			Pools:             []scholarship.Pool{{Name: "priority_languages", Amount: setAside, Criterion: scholarship.PoolMultilingual}},
			PriorityLanguages: []bsk.Language{bsk.Spanish, bsk.Vietnamese, bsk.Somali},
			Fit:               scholarship.Partial,
			CommitmentMonths:  12, CommitmentTo: scholarship.CommitToEmployer,
			CompletionIncentive: 500_00, IncentiveAfterMonths: 12,
			Eligibility: &scholarship.Eligibility{
				Region: scholarship.KingCounty, MinHoursPerWeek: 30, Hired: scholarship.HiredPendingStart,
				MinEducation:         bsk.EducationHighSchool,
				ParticipatingKinds:   []bsk.OrganizationKind{bsk.OrgChildCare},
				EmployerConfirmation: true,
			},
		}}}
}

// decide runs a program's only cycle with its built-in rules and the
// priority rubric.
func decide(p scholarship.Program, apps []scholarship.Application) (scholarship.Result, error) {
	c := p.Cycles[0]
	return scholarship.RunCycle(context.Background(), scholarship.Run{
		Program: p, CycleID: c.ID, Applications: apps,
		Rules:   scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)},
		Rubric:  scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, c.PriorityLanguages)},
		HashKey: testKey,
	})
}

// Washington's BA Degree Pathways: tuition and fees share one $9,000 cap,
// release time is $15 an hour for at most 3 hours a week and is paid to the
// employer, and a person hired but not started is not yet eligible.
func Example_baDegreePathways() {
	center := &bsk.Organization{ID: "org-sunrise", Name: "Sunrise Child Care", Kind: bsk.OrgChildCare, Place: bsk.OutsideKingCounty, ServesYoungChildren: true}
	person := func(id string) scholarship.Application {
		return scholarship.Application{ID: id, ProgramID: "wa-ba-pathways", CycleID: "2026-27",
			Applicant: scholarship.Applicant{PersonID: id, Name: id, Employer: center, MonthsEmployed: 8, HoursPerWeek: 32,
				Education: bsk.EducationAssociate},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 7_800_00, scholarship.Fees: 1_900_00, scholarship.Books: 650_00},
			Hours:     map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: 4, Weeks: 44}},
			Answers:   scholarship.Answers{EmployerConfirmed: true, EnrolledProgram: "ba-ece"},
			Documents: []string{"transcript"}, Submitted: programStart}
	}
	maria, jon := person("maria"), person("jon")
	jon.Applicant.Hired, jon.Applicant.MonthsEmployed = true, 0
	res, err := decide(baDegreePathways(100_000_00), []scholarship.Application{maria, jon})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Records {
		fmt.Println(r.ApplicationID, r.Outcome, r.Step)
		for _, why := range r.Reasons {
			fmt.Println("  ", why.Text(scholarship.EnglishText))
		}
		if aw := r.Award; aw != nil {
			fmt.Println("   tuition", aw.ByCategory[scholarship.Tuition], "fees", aw.ByCategory[scholarship.Fees],
				"books", aw.ByCategory[scholarship.Books], "release time", aw.ByCategory[scholarship.ReleaseTime])
			fmt.Println("   to the college", aw.ByPayee[scholarship.PayInstitution], "to maria", aw.ByPayee[scholarship.PayRecipient],
				"to the employer", aw.ByPayee[scholarship.PayEmployer])
		}
	}
	// Output:
	// maria eligible awarded
	//    You asked for $650.00 for books; the most this cycle pays is $500.00.
	//    You asked for $9,700.00 for tuition and fees together; the most this cycle pays for them together is $9,000.00.
	//    You asked for 4 hours a week of release time; this cycle pays at most 3.
	//    tuition $7,800.00 fees $1,200.00 books $500.00 release time $1,980.00
	//    to the college $9,000.00 to maria $500.00 to the employer $1,980.00
	// jon ineligible ineligible
	//    You asked for $650.00 for books; the most this cycle pays is $500.00.
	//    You asked for $9,700.00 for tuition and fees together; the most this cycle pays for them together is $9,000.00.
	//    You asked for 4 hours a week of release time; this cycle pays at most 3.
	//    You have not started at your agency yet, and this program requires time worked there.
}

// T.E.A.C.H. Early Childhood: the scholarship pays 80% of tuition and
// books, the recipient and the sponsoring employer 10% each, recorded on
// the award; release time is reimbursed to the employer.
func Example_teachEarlyChildhood() {
	center := &bsk.Organization{ID: "org-rainier", Name: "Rainier Valley Early Learning", Kind: bsk.OrgChildCare, Place: "seattle", ServesYoungChildren: true}
	person := func(id string) scholarship.Application {
		return scholarship.Application{ID: id, ProgramID: "teach-kc", CycleID: "2026-27",
			Applicant: scholarship.Applicant{PersonID: id, Name: id, Employer: center, MonthsEmployed: 14, HoursPerWeek: 40,
				Education: bsk.EducationHighSchool, Languages: []bsk.Language{bsk.English}},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 4_200_00, scholarship.Books: 350_00},
			Hours:     map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: 2, Weeks: 30}},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: programStart}
	}
	lan, rosa := person("lan"), person("rosa")
	lan.Applicant.Languages = []bsk.Language{bsk.Vietnamese, bsk.English}
	rosa.Applicant.Hired, rosa.Applicant.MonthsEmployed, rosa.Applicant.HoursPerWeek = true, 0, 0
	res, err := decide(teachEarlyChildhood(20_000_00, 3_000_00), []scholarship.Application{lan, rosa})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Records {
		fmt.Println(r.ApplicationID, r.Outcome, r.Step)
		for _, why := range r.Reasons {
			fmt.Println("  ", why.Text(scholarship.EnglishText))
		}
		if aw := r.Award; aw != nil {
			fmt.Println("   award", aw.Amount, "from", aw.Pool, "topped up", aw.TopUps)
			fmt.Println("   scholarship", aw.Shares[scholarship.PartyScholarship], "recipient", aw.Shares[scholarship.PartyRecipient],
				"employer", aw.Shares[scholarship.PartyEmployer], "release time to the employer", aw.ByPayee[scholarship.PayEmployer])
		}
	}
	// Output:
	// lan eligible awarded
	//    award $4,360.00 from priority_languages topped up [{general $1,360.00}]
	//    scholarship $3,640.00 recipient $455.00 employer $455.00 release time to the employer $720.00
	// rosa eligible awarded
	//    You are eligible once you start at your agency.
	//    award $4,360.00 from general topped up []
	//    scholarship $3,640.00 recipient $455.00 employer $455.00 release time to the employer $720.00
}
