package scholarship_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

var day = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

func kcAgency() *bsk.Organization {
	return &bsk.Organization{ID: "org-1", Name: "Kent Early Intervention", Kind: bsk.OrgEarlyIntervent, Place: "kent", ServesYoungChildren: true}
}

func esit() scholarship.Program {
	return scholarship.Program{ID: "esit", Name: "ESIT Career Pathways Scholarship", Kind: scholarship.ESITCareerPathways, Cycles: []scholarship.Cycle{
		{ID: "2025", Effective: day.AddDate(-1, 0, 0), Budget: 50_000_00, Caps: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00}},
		{ID: "2026", Effective: day, Budget: 100_000_00,
			Caps:            map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00, scholarship.ReleaseTime: 2_340_00},
			PerApplicantCap: 10_000_00, LifetimeCap: 36_000_00, CommitmentMonths: 12,
			Pools:             []scholarship.Pool{{Name: "multilingual", Amount: 30_000_00, Criterion: scholarship.PoolMultilingual}},
			RequiredDocuments: []string{"transcript"}, QualifyingPrograms: []string{"bas-early-intervention", "aa-ece"},
		},
	}}
}

func app(id string) scholarship.Application {
	return scholarship.Application{
		ID: id, ProgramID: "esit", CycleID: "2026",
		Applicant: scholarship.Applicant{PersonID: "person-" + id, Name: "Applicant " + id, Employer: kcAgency(), MonthsEmployed: 12,
			HoursPerWeek: 32, Languages: []bsk.Language{bsk.English}, Education: bsk.EducationAssociate, YearsExperience: 3, Place: "kent"},
		Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 8_000_00, scholarship.Books: 400_00},
		Answers:   scholarship.Answers{EmployerConfirmed: true, EnrolledProgram: "bas-early-intervention"},
		Documents: []string{"transcript"}, Submitted: day.Add(time.Hour),
	}
}

// randomApps makes n valid applications with varied answers and requests.
func randomApps(r *rand.Rand, n int) []scholarship.Application {
	langs := []bsk.Language{bsk.English, bsk.Spanish, bsk.Somali, bsk.Vietnamese}
	out := make([]scholarship.Application, n)
	for i := range out {
		a := app(fmt.Sprintf("a%05d", i))
		a.Applicant.Languages = []bsk.Language{langs[r.IntN(len(langs))]}
		a.Requested = map[scholarship.Category]scholarship.Cents{
			scholarship.Tuition: scholarship.Cents(r.IntN(12_000_00)), scholarship.Books: scholarship.Cents(r.IntN(800_00)),
			scholarship.ReleaseTime: scholarship.Cents(r.IntN(3_000_00)), scholarship.TravelExpenses: scholarship.Cents(r.IntN(100_00)),
		}
		a.Answers.FinancialNeed = r.IntN(4)
		a.Answers.FirstGeneration = r.IntN(3) == 0
		a.Answers.LivedExperience = r.IntN(2) == 0
		if r.IntN(8) == 0 {
			a.Documents = nil
		}
		if r.IntN(10) == 0 {
			a.Answers.EnrolledProgram = "mba"
		}
		a.PriorAwards = scholarship.Cents(r.IntN(40_000_00))
		a.Submitted = day.Add(time.Duration(r.IntN(1000)) * time.Minute)
		out[i] = a
	}
	return out
}
