package bsk

import (
	"math"
	"time"
)

// Provider is a person in the workforce: direct service staff, supervisors,
// directors, and the consultants, trainers, mentors and facilitators who
// lead groups.
type Provider struct {
	// ID identifies the provider.
	ID ProviderID `json:"id"`
	// OrganizationID is the agency the provider works for.
	OrganizationID OrganizationID `json:"organization_id"`
	// Name is the provider's name as they want it shown.
	Name string `json:"name"`
	// Role is what the provider does.
	Role Role `json:"role"`
	// ReportsTo is the provider's supervisor, if any.
	ReportsTo ProviderID `json:"reports_to,omitempty"`
	// Disciplines lists the provider's professions.
	Disciplines []Discipline `json:"disciplines,omitempty"`
	// ServiceLevels lists the levels of the continuum the provider works at.
	ServiceLevels []ServiceLevel `json:"service_levels,omitempty"`
	// Languages lists the languages the provider works in, English included
	// when they do; ASL is "ase".
	Languages []Language `json:"languages"`
	// Demographics are private, self-reported facts for equity reporting only.
	Demographics Demographics `json:"demographics"`
	// Education is the highest education completed.
	Education Education `json:"education,omitempty"`
	// YearsExperience is paid years in the field, 0 to 70.
	YearsExperience float64 `json:"years_experience" jsonschema:"minimum=0,maximum=70"`
	// Endorsement is the provider's current IMH endorsement level.
	Endorsement Endorsement `json:"endorsement,omitempty"`
	// HoursPerWeek is the provider's usual paid hours a week, 0 to 80.
	HoursPerWeek float64 `json:"hours_per_week,omitempty" jsonschema:"minimum=0,maximum=80"`
	// Started is when the provider began work at the organization (UTC).
	Started time.Time `json:"started,omitzero"`
	// Availability lists the weekly windows the provider can meet in.
	Availability []Slot `json:"availability,omitempty"`
}

// Speaks reports whether the provider works in language l.
func (p Provider) Speaks(l Language) bool { return validCode(l, p.Languages) }

// Validate reports every problem with p: missing or malformed IDs, unknown
// or duplicate codes, hours and years out of range, bad availability slots,
// and a provider who reports to themselves.
func (p Provider) Validate() error {
	var pr Problems
	checkID(&pr, "id", p.ID, true)
	checkID(&pr, "organization_id", p.OrganizationID, true)
	checkText(&pr, "name", p.Name, 300, true)
	if !p.Role.Valid() {
		pr.Add("role", "unknown role code %q", p.Role)
	}
	checkID(&pr, "reports_to", p.ReportsTo, false)
	if p.ReportsTo != "" && p.ReportsTo == p.ID {
		pr.Add("reports_to", "a provider cannot report to themselves")
	}
	checkCodes(&pr, "disciplines", p.Disciplines, Discipline.Valid, "discipline")
	checkCodes(&pr, "service_levels", p.ServiceLevels, ServiceLevel.Valid, "service level")
	if len(p.Languages) == 0 {
		pr.Add("languages", "at least one language is required")
	}
	checkCodes(&pr, "languages", p.Languages, Language.Valid, "language")
	pr.Merge("demographics", p.Demographics.Validate())
	if p.Education != "" && !p.Education.Valid() {
		pr.Add("education", "unknown education code %q", p.Education)
	}
	checkRange(&pr, "years_experience", p.YearsExperience, 0, 70)
	if p.Endorsement != "" && !p.Endorsement.Valid() {
		pr.Add("endorsement", "unknown endorsement code %q", p.Endorsement)
	}
	checkRange(&pr, "hours_per_week", p.HoursPerWeek, 0, 80)
	for i, s := range p.Availability {
		pr.Merge(Index("availability", i), s.Validate())
	}
	return pr.Err()
}

// checkRange reports a number that is NaN, infinite or outside [lo, hi].
func checkRange(p *Problems, field string, v, lo, hi float64) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		p.Add(field, "must be a finite number")
	case v < lo:
		p.Add(field, "%g is below the minimum %g", v, lo)
	case v > hi:
		p.Add(field, "%g is above the maximum %g", v, hi)
	}
}
