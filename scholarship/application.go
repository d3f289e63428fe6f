package scholarship

import (
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Applicant is the person who applies: a provider on file, or a person not
// yet employed in the field (then OrganizationID is empty and Hired may be
// set).
type Applicant struct {
	// PersonID identifies the person across cycles and programs.
	PersonID string `json:"person_id"`
	// ProviderID is the person's provider record, if they have one.
	ProviderID bsk.ProviderID `json:"provider_id,omitempty"`
	// Name is the applicant's name.
	Name string `json:"name"`
	// Employer is the agency the applicant works at or is hired by, if any.
	Employer *bsk.Organization `json:"employer,omitempty"`
	// Hired is true for a person with an offer of employment from Employer
	// who has not started yet.
	Hired bool `json:"hired,omitempty"`
	// MonthsEmployed is how long the applicant has worked at Employer.
	MonthsEmployed int `json:"months_employed,omitempty" jsonschema:"minimum=0"`
	// HoursPerWeek is the applicant's usual paid hours a week.
	HoursPerWeek float64 `json:"hours_per_week,omitempty" jsonschema:"minimum=0,maximum=80"`
	// Languages lists the languages the applicant works in.
	Languages []bsk.Language `json:"languages,omitempty"`
	// Education is the highest education completed.
	Education bsk.Education `json:"education,omitempty"`
	// YearsExperience is paid years in the field.
	YearsExperience float64 `json:"years_experience,omitempty" jsonschema:"minimum=0,maximum=70"`
	// Endorsement is the applicant's current endorsement level.
	Endorsement bsk.Endorsement `json:"endorsement,omitempty"`
	// ReflectiveHours are hours of reflective supervision or consultation.
	ReflectiveHours float64 `json:"reflective_hours,omitempty" jsonschema:"minimum=0"`
	// TrainingHours are hours of relevant training.
	TrainingHours float64 `json:"training_hours,omitempty" jsonschema:"minimum=0"`
	// Place is where the applicant works.
	Place bsk.Place `json:"place,omitempty"`
	// Demographics are self-reported, for priority criteria and the equity summary only.
	Demographics bsk.Demographics `json:"demographics"`
}

// Answers are the applicant's answers to the questions the rubric needs.
type Answers struct {
	// CommunitiesServed names the communities the applicant serves.
	CommunitiesServed []string `json:"communities_served,omitempty"`
	// LivedExperience: the applicant shares the lived experience of the families served.
	LivedExperience bool `json:"lived_experience,omitempty"`
	// FirstGeneration: the applicant is the first in their family to attend college.
	FirstGeneration bool `json:"first_generation,omitempty"`
	// FinancialNeed is self-assessed need, 0 (none) to 3 (high).
	FinancialNeed int `json:"financial_need,omitempty" jsonschema:"minimum=0,maximum=3"`
	// EmployerConfirmed: the employer confirmed employment and release time.
	EmployerConfirmed bool `json:"employer_confirmed,omitempty"`
	// ServesRural: the applicant serves families in rural or underserved places.
	ServesRural bool `json:"serves_rural,omitempty"`
	// EnrolledProgram is the degree or certificate program the applicant is enrolled in.
	EnrolledProgram string `json:"enrolled_program,omitempty"`
}

// Application asks a program's cycle for money.
type Application struct {
	// ID identifies the application.
	ID string `json:"id"`
	// ProgramID is the program applied to.
	ProgramID string `json:"program_id"`
	// CycleID is the cycle applied to.
	CycleID string `json:"cycle_id"`
	// Applicant is who applies.
	Applicant Applicant `json:"applicant"`
	// Requested is the money asked for, by category.
	Requested map[Category]Cents `json:"requested"`
	// Hours are the hours asked for in categories paid by the hour
	// ([Cycle.Hourly]), such as release time.
	Hours map[Category]Hours `json:"hours,omitempty"`
	// Answers are the answers the rubric needs.
	Answers Answers `json:"answers"`
	// Documents lists the documents attached, by name.
	Documents []string `json:"documents,omitempty"`
	// PriorAwards is what the person has received from the program in
	// earlier cycles.
	PriorAwards Cents `json:"prior_awards,omitempty"`
	// Submitted is when the application was submitted (UTC).
	Submitted time.Time `json:"submitted"`
}

// Total is the sum requested.
func (a Application) Total() Cents {
	var t Cents
	for _, c := range a.Requested {
		t = addCents(t, c)
	}
	return t
}

func (a Application) multilingual() bool {
	for _, l := range a.Applicant.Languages {
		if l != bsk.English {
			return true
		}
	}
	return false
}

// Validate reports every problem with the application's own data: missing
// IDs, unknown codes, and amounts that are negative, too large or in an
// unknown category. It does not judge eligibility; rules do.
func (a Application) Validate() error {
	var p bsk.Problems
	if msg := bsk.IDProblem(a.ID); msg != "" {
		p.Add("id", "%s", msg)
	}
	if a.ProgramID == "" {
		p.Add("program_id", "is required")
	}
	if a.CycleID == "" {
		p.Add("cycle_id", "is required")
	}
	if msg := bsk.IDProblem(a.Applicant.PersonID); msg != "" {
		p.Add("applicant.person_id", "%s", msg)
	}
	if a.Applicant.Name == "" {
		p.Add("applicant.name", "is required")
	} else if msg := bsk.TextProblem(a.Applicant.Name); msg != "" {
		p.Add("applicant.name", "%s", msg)
	}
	if e := a.Applicant.Employer; e != nil {
		p.Merge("applicant.employer", e.Validate())
	}
	if a.Applicant.MonthsEmployed < 0 {
		p.Add("applicant.months_employed", "%d is negative", a.Applicant.MonthsEmployed)
	}
	for _, f := range []struct {
		name   string
		v, max float64
	}{
		{"hours_per_week", a.Applicant.HoursPerWeek, 80}, {"years_experience", a.Applicant.YearsExperience, 70},
		{"reflective_hours", a.Applicant.ReflectiveHours, 100_000}, {"training_hours", a.Applicant.TrainingHours, 100_000},
	} {
		if !(f.v >= 0 && f.v <= f.max) {
			p.Add("applicant."+f.name, "%v is outside 0 to %v", f.v, f.max)
		}
	}
	for i, l := range a.Applicant.Languages {
		if !l.Valid() {
			p.Add(bsk.Index("applicant.languages", i), "unknown language code %q", l)
		}
	}
	if e := a.Applicant.Education; e != "" && !e.Valid() {
		p.Add("applicant.education", "unknown education code %q", e)
	}
	if e := a.Applicant.Endorsement; e != "" && !e.Valid() {
		p.Add("applicant.endorsement", "unknown endorsement code %q", e)
	}
	if pl := a.Applicant.Place; pl != "" && !pl.Valid() {
		p.Add("applicant.place", "unknown place code %q", pl)
	}
	p.Merge("applicant.demographics", a.Applicant.Demographics.Validate())
	if len(a.Requested) == 0 && len(a.Hours) == 0 {
		p.Add("requested", "at least one amount or hours are required")
	}
	// The field names are built only for a problem: most applications
	// have none.
	var keys [8]Category
	for _, c := range sortedKeys(keys[:0], a.Hours) {
		h := a.Hours[c]
		if !c.Valid() {
			p.Add("hours."+string(c), "unknown category %q", c)
		}
		if !(h.PerWeek >= 0 && h.PerWeek <= 80) {
			p.Add("hours."+string(c)+".per_week", "%v is outside 0 to 80", h.PerWeek)
		}
		if h.Weeks < 0 || h.Weeks > 104 {
			p.Add("hours."+string(c)+".weeks", "%d is outside 0 to 104", h.Weeks)
		}
	}
	var total Cents
	for _, c := range sortedKeys(keys[:0], a.Requested) {
		v := a.Requested[c]
		if !c.Valid() {
			p.Add("requested."+string(c), "unknown category %q", c)
		}
		if v < 0 || v > MaxAmount {
			checkAmount(&p, "requested."+string(c), v)
		}
		total = addCents(total, v)
	}
	if total > MaxAmount {
		p.Add("requested", "the total %s is more than the largest amount %s", total, MaxAmount)
	}
	if a.Answers.FinancialNeed < 0 || a.Answers.FinancialNeed > 3 {
		p.Add("answers.financial_need", "%d is outside 0 to 3", a.Answers.FinancialNeed)
	}
	checkAmount(&p, "prior_awards", a.PriorAwards)
	if a.Submitted.IsZero() {
		p.Add("submitted", "is required")
	}
	return p.Err()
}
