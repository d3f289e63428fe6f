package scholarship

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/beststarts/workforce/bsk"
)

// Region is where a program's applicants must work.
type Region string

// The regions.
const (
	// KingCounty: at, or hired by, a King County agency serving young
	// children ([KingCountyAgency]). The default.
	KingCounty Region = "king_county"
	// Statewide: at, or hired by, an agency serving young children anywhere
	// in the state ([StatewideAgency]); the program's intake confirms the
	// state, which applications do not record.
	Statewide Region = "statewide"
)

// Valid reports whether r is a known region.
func (r Region) Valid() bool { return r == KingCounty || r == Statewide }

// Enum lists every region code.
func (Region) Enum() []string { return []string{string(KingCounty), string(Statewide)} }

// HiredPolicy says what a program does with a person hired who has not
// started yet ([Applicant.Hired]) when it asks for months employed or
// hours a week: such a person has neither, and is never silently passed.
type HiredPolicy string

// The hired-not-started policies.
const (
	// HiredReview sends the application to review with reason
	// [CodeNotYetStarted]. The default.
	HiredReview HiredPolicy = "review"
	// HiredPendingStart makes the person eligible pending their start: the
	// informational reason [CodeEligiblePendingStart] says so.
	HiredPendingStart HiredPolicy = "eligible_pending_start"
	// HiredIneligible makes the person ineligible until they meet the
	// thresholds, with reason [CodeNotYetStarted].
	HiredIneligible HiredPolicy = "ineligible"
)

// Valid reports whether h is a known policy.
func (h HiredPolicy) Valid() bool {
	return h == HiredReview || h == HiredPendingStart || h == HiredIneligible
}

// Enum lists every hired-not-started policy code.
func (HiredPolicy) Enum() []string {
	return []string{string(HiredReview), string(HiredPendingStart), string(HiredIneligible)}
}

// Eligibility is a cycle's eligibility as configuration: it chooses the
// built-in rules ([BuiltinRules]) and their thresholds. Zero values ask
// nothing, except Region (King County when empty).
type Eligibility struct {
	// Region is where applicants must work.
	Region Region `json:"region,omitempty"`
	// MinMonthsEmployed is the months at the employer required.
	MinMonthsEmployed int `json:"min_months_employed,omitempty" jsonschema:"minimum=0,maximum=600"`
	// MinHoursPerWeek is the usual paid hours a week required.
	MinHoursPerWeek float64 `json:"min_hours_per_week,omitempty" jsonschema:"minimum=0,maximum=80"`
	// Hired is what happens to a person hired but not started when months
	// or hours are required.
	Hired HiredPolicy `json:"hired,omitempty"`
	// MinEducation is the education required (an AA or DTA is
	// "associate").
	MinEducation bsk.Education `json:"min_education,omitempty"`
	// ParticipatingKinds and ParticipatingOrganizations list the employers
	// that take part in the program (kinds of agency, or named agencies);
	// when either is set, the employer must match one of them.
	ParticipatingKinds         []bsk.OrganizationKind `json:"participating_kinds,omitempty"`
	ParticipatingOrganizations []bsk.OrganizationID   `json:"participating_organizations,omitempty"`
	// EmployerConfirmation requires the employer to confirm employment and
	// release time (needs review until it does).
	EmployerConfirmation bool `json:"employer_confirmation,omitempty"`
}

// Validate reports unknown codes and thresholds out of range.
func (e Eligibility) Validate() error {
	var p bsk.Problems
	if e.Region != "" && !e.Region.Valid() {
		p.Add("region", "unknown region %q (king_county or statewide)", e.Region)
	}
	if e.MinMonthsEmployed < 0 || e.MinMonthsEmployed > 600 {
		p.Add("min_months_employed", "%d is outside 0 to 600", e.MinMonthsEmployed)
	}
	if !(e.MinHoursPerWeek >= 0 && e.MinHoursPerWeek <= 80) {
		p.Add("min_hours_per_week", "%v is outside 0 to 80", e.MinHoursPerWeek)
	}
	if e.Hired != "" && !e.Hired.Valid() {
		p.Add("hired", "unknown policy %q", e.Hired)
	}
	if e.MinEducation != "" && !e.MinEducation.Valid() {
		p.Add("min_education", "unknown education code %q", e.MinEducation)
	}
	for i, k := range e.ParticipatingKinds {
		if !k.Valid() {
			p.Add(bsk.Index("participating_kinds", i), "unknown organization kind %q", k)
		}
	}
	for i, id := range e.ParticipatingOrganizations {
		if msg := bsk.IDProblem(string(id)); msg != "" {
			p.Add(bsk.Index("participating_organizations", i), "%s", msg)
		}
	}
	return p.Err()
}

// The configured rules' stable codes.
const (
	CodeNoEmployer            = "no_employer"
	CodeNotYetStarted         = "not_yet_started"
	CodeEligiblePendingStart  = "eligible_pending_start"
	CodeEducationRequired     = "education_required"
	CodeEmployerNotParticipat = "employer_not_participating"
)

// StatewideAgency requires that the applicant works at, or has been hired
// by, an agency that serves young children, anywhere.
func StatewideAgency() Rule[Application] {
	return Each(RuleInfo{Name: "statewide_agency", Version: defaultBuiltinRuleVersion,
		Description: "works at or is hired by an agency serving children under five"},
		func(a Application) []Reason {
			e := a.Applicant.Employer
			if e == nil {
				return []Reason{{Code: CodeNoEmployer, Field: "applicant.employer", Outcome: Ineligible}}
			}
			if !e.ServesYoungChildren {
				return []Reason{{Code: CodeAgencyNotYoungChild, Field: "applicant.employer.serves_young_children", Outcome: Ineligible, Params: map[string]string{"organization": e.Name}}}
			}
			return nil
		})
}

// MinimumEducation requires at least the given education.
func MinimumEducation(min bsk.Education) Rule[Application] {
	return Each(RuleInfo{Name: "minimum_education", Version: defaultBuiltinRuleVersion,
		Description: fmt.Sprintf("education %s or higher", min)},
		func(a Application) []Reason {
			if a.Applicant.Education.AtLeast(min) {
				return nil
			}
			return []Reason{{Code: CodeEducationRequired, Field: "applicant.education", Outcome: Ineligible,
				Params: map[string]string{"education": string(a.Applicant.Education), "required": string(min)}}}
		})
}

// ParticipatingEmployer requires an employer of one of the kinds or one of
// the organizations listed.
func ParticipatingEmployer(kinds []bsk.OrganizationKind, orgs []bsk.OrganizationID) Rule[Application] {
	return Each(RuleInfo{Name: "participating_employer", Version: defaultBuiltinRuleVersion,
		Description: "works at or is hired by a program that takes part"},
		func(a Application) []Reason {
			e := a.Applicant.Employer
			if e != nil && (slices.Contains(kinds, e.Kind) || slices.Contains(orgs, e.ID)) {
				return nil
			}
			name := ""
			if e != nil {
				name = e.Name
			}
			return []Reason{{Code: CodeEmployerNotParticipat, Field: "applicant.employer", Outcome: Ineligible,
				Params: map[string]string{"organization": name}}}
		})
}

// MinimumEmploymentFor requires at least months at the employer and hours
// a week; a person hired but not started meets neither, and is judged by
// the policy (the zero policy is [HiredReview]).
func MinimumEmploymentFor(months int, hours float64, hired HiredPolicy) Rule[Application] {
	if hired == "" {
		hired = HiredReview
	}
	monthsText, hoursText := strconv.Itoa(months), strconv.FormatFloat(hours, 'f', -1, 64)
	return Each(RuleInfo{Name: "minimum_employment", Version: "2",
		Description: fmt.Sprintf("at least %d months at the employer and %g hours a week; hired, not started: %s", months, hours, hired)},
		func(a Application) []Reason {
			if a.Applicant.Hired {
				params := map[string]string{"months": monthsText, "hours": hoursText}
				switch hired {
				case HiredPendingStart:
					return []Reason{{Code: CodeEligiblePendingStart, Field: "applicant.hired", Outcome: Eligible, Params: params}}
				case HiredIneligible:
					return []Reason{{Code: CodeNotYetStarted, Field: "applicant.hired", Outcome: Ineligible, Params: params}}
				default:
					return []Reason{{Code: CodeNotYetStarted, Field: "applicant.hired", Outcome: NeedsReview, Params: params}}
				}
			}
			var out []Reason
			if a.Applicant.MonthsEmployed < months {
				out = append(out, Reason{Code: CodeEmploymentTooShort, Field: "applicant.months_employed", Outcome: Ineligible,
					Params: map[string]string{"months": strconv.Itoa(a.Applicant.MonthsEmployed), "required": monthsText}})
			}
			if a.Applicant.HoursPerWeek < hours {
				out = append(out, Reason{Code: CodeTooFewHoursPerWeek, Field: "applicant.hours_per_week", Outcome: Ineligible,
					Params: map[string]string{"hours": strconv.FormatFloat(a.Applicant.HoursPerWeek, 'f', -1, 64), "required": hoursText}})
			}
			return out
		})
}

// configuredRules are the built-in rules a cycle's Eligibility chooses, in
// a stable order.
func configuredRules(c Cycle, e Eligibility) []Rule[Application] {
	var rules []Rule[Application]
	if e.Region == Statewide {
		rules = append(rules, StatewideAgency())
	} else {
		rules = append(rules, KingCountyAgency())
	}
	rules = append(rules, Caps(c), RequiredDocuments(c), QualifyingProgram(c))
	if len(e.ParticipatingKinds) > 0 || len(e.ParticipatingOrganizations) > 0 {
		rules = append(rules, ParticipatingEmployer(e.ParticipatingKinds, e.ParticipatingOrganizations))
	}
	if e.MinMonthsEmployed > 0 || e.MinHoursPerWeek > 0 {
		rules = append(rules, MinimumEmploymentFor(e.MinMonthsEmployed, e.MinHoursPerWeek, e.Hired))
	}
	if e.MinEducation != "" {
		rules = append(rules, MinimumEducation(e.MinEducation))
	}
	if e.EmployerConfirmation {
		rules = append(rules, EmployerConfirmation())
	}
	if c.Level != "" {
		rules = append(rules, ReadyForLevel(c))
	}
	return rules
}
