package training

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Applicant is someone asking to join an offering on a date, what the
// eligibility rules ([scholarship.Rule] of Applicant) judge.
type Applicant struct {
	// Provider is who would attend.
	Provider bsk.Provider `json:"provider"`
	// Organization is the provider's agency.
	Organization bsk.Organization `json:"organization"`
	// Offering is what they ask to join.
	Offering bsk.Offering `json:"offering"`
	// On is the date of the request; a rule's date-effective parameters
	// are those in force on it.
	On time.Time `json:"on"`
}

// ApplicantFor builds the applicant of a registration from the catalog.
// Errors: an unknown provider, organization or offering ([bsk.CodeNotFound]).
func (c *Catalog) ApplicantFor(reg bsk.Registration) (Applicant, error) {
	p, ok := c.Provider(reg.ProviderID)
	if !ok {
		return Applicant{}, bsk.NotFoundf("provider_id", "unknown provider %q", reg.ProviderID)
	}
	o, ok := c.Organization(p.OrganizationID)
	if !ok {
		return Applicant{}, bsk.NotFoundf("provider_id", "provider %q works for unknown organization %q", p.ID, p.OrganizationID)
	}
	off, ok := c.Offering(reg.OfferingID)
	if !ok {
		return Applicant{}, bsk.NotFoundf("offering_id", "unknown offering %q", reg.OfferingID)
	}
	return Applicant{Provider: p, Organization: o, Offering: off, On: reg.At}, nil
}

// The eligibility rules' stable reason codes.
const (
	// CodeNotOpen: no audience period covers the date (params: on).
	CodeNotOpen = "offering_not_open"
	// CodeBIPOCOnly: the period is open to BIPOC participants only
	// (params: from, until).
	CodeBIPOCOnly = "bipoc_participants_only"
	// CodeGranteesOnly: the period is open to levy grantees' staff only
	// (params: organization, from, until).
	CodeGranteesOnly = "grantees_only"
	// CodeAgencyNotYoungChildren: the period is open to agencies serving
	// young children, and the provider's agency does not (params:
	// organization, from).
	CodeAgencyNotYoungChildren = "agency_not_serving_young_children"
	// CodeRoleNotOpen: the period is open to other roles (params: role,
	// roles).
	CodeRoleNotOpen = "role_not_open"
	// CodeOtherOrganization: the offering is run for one organization and
	// the provider works for another (params: organization).
	CodeOtherOrganization = "other_organization"
	// CodeRefused: the code of the error a refused registration returns.
	CodeRefused = "registration_refused"
)

// AudiencePeriod is who may join an offering between two dates: one
// date-effective parameter set of the [Audience] rule.
type AudiencePeriod struct {
	// From is the first day the period is in force (UTC).
	From time.Time `json:"from"`
	// Until is the first day it no longer is; zero means open-ended.
	Until time.Time `json:"until,omitzero"`
	// BIPOCOnly admits only people who identify as Black, Indigenous or
	// people of color ([bsk.Demographics.BIPOC]).
	BIPOCOnly bool `json:"bipoc_only,omitempty"`
	// GranteesOnly admits only staff of levy grantees.
	GranteesOnly bool `json:"grantees_only,omitempty"`
	// YoungChildAgencies admits only staff of agencies serving young
	// children, the condition for taking part since 2021.
	YoungChildAgencies bool `json:"young_child_agencies,omitempty"`
	// Roles, when set, lists the roles admitted.
	Roles []bsk.Role `json:"roles,omitempty"`
}

func (p AudiencePeriod) covers(t time.Time) bool {
	return !t.Before(p.From) && (p.Until.IsZero() || t.Before(p.Until))
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Audience is the rule of who may join an offering, with parameters that
// change over time: the first period that covers the applicant's date
// applies, and a date no period covers is refused ([CodeNotOpen]). The
// Community of Leaders, open only to BIPOC leaders of grantees in the first
// levy and to every agency serving young children from 2022, is two
// periods (see the package example).
func Audience(name string, periods ...AudiencePeriod) scholarship.Rule[Applicant] {
	return scholarship.Each(scholarship.RuleInfo{Name: name, Version: "1",
		Description: "open to the offering's audience on the date asked"},
		func(a Applicant) []scholarship.Reason {
			i := slices.IndexFunc(periods, func(p AudiencePeriod) bool { return p.covers(a.On) })
			if i < 0 {
				return []scholarship.Reason{{Code: CodeNotOpen, Field: "on", Outcome: scholarship.Ineligible,
					Params: map[string]string{"on": day(a.On)}}}
			}
			p := periods[i]
			var out []scholarship.Reason
			span := map[string]string{"from": day(p.From), "until": day(p.Until)}
			if p.BIPOCOnly && !a.Provider.Demographics.BIPOC() {
				out = append(out, scholarship.Reason{Code: CodeBIPOCOnly, Field: "provider.demographics.race", Outcome: scholarship.Ineligible, Params: span})
			}
			if p.GranteesOnly && !a.Organization.Grantee {
				out = append(out, scholarship.Reason{Code: CodeGranteesOnly, Field: "organization.grantee", Outcome: scholarship.Ineligible,
					Params: map[string]string{"organization": a.Organization.Name, "from": day(p.From), "until": day(p.Until)}})
			}
			if p.YoungChildAgencies && !a.Organization.ServesYoungChildren {
				out = append(out, scholarship.Reason{Code: CodeAgencyNotYoungChildren, Field: "organization.serves_young_children", Outcome: scholarship.Ineligible,
					Params: map[string]string{"organization": a.Organization.Name, "from": day(p.From)}})
			}
			if len(p.Roles) > 0 && !slices.Contains(p.Roles, a.Provider.Role) {
				roles := make([]string, len(p.Roles))
				for k, r := range p.Roles {
					roles[k] = string(r)
				}
				out = append(out, scholarship.Reason{Code: CodeRoleNotOpen, Field: "provider.role", Outcome: scholarship.Ineligible,
					Params: map[string]string{"role": string(a.Provider.Role), "roles": strings.Join(roles, ", ")}})
			}
			return out
		})
}

// SameOrganization refuses, for an offering run for one organization (most
// reflective consultation groups), anyone who works elsewhere.
func SameOrganization() scholarship.Rule[Applicant] {
	return scholarship.Each(scholarship.RuleInfo{Name: "same_organization", Version: "1",
		Description: "works for the organization the offering is run for"},
		func(a Applicant) []scholarship.Reason {
			if a.Offering.OrganizationID == "" || a.Offering.OrganizationID == a.Provider.OrganizationID {
				return nil
			}
			return []scholarship.Reason{{Code: CodeOtherOrganization, Field: "provider.organization_id", Outcome: scholarship.Ineligible,
				Params: map[string]string{"organization": string(a.Offering.OrganizationID)}}}
		})
}

// Refusal is the error of a registration the eligibility rules did not
// admit: the verdict, with every reason and its parameters. It unwraps to
// a [bsk.CodeInvalid] error naming the provider.
type Refusal struct {
	// Registration is what was asked.
	Registration bsk.Registration `json:"registration"`
	// Verdict is the rules' judgment.
	Verdict scholarship.Verdict `json:"verdict"`
}

// Error lists the reasons' codes.
func (e *Refusal) Error() string {
	codes := make([]string, len(e.Verdict.Reasons))
	for i, r := range e.Verdict.Reasons {
		codes[i] = r.Code
	}
	return fmt.Sprintf("provider_id: %s may not join %s (%s): %s", e.Registration.ProviderID, e.Registration.OfferingID, e.Verdict.Outcome, strings.Join(codes, ", "))
}

// Unwrap returns the coded error.
func (e *Refusal) Unwrap() error {
	return &bsk.Error{Code: bsk.CodeInvalid, Field: "provider_id", Message: CodeRefused}
}

// Admit judges applicant a with rules, then registers reg when every rule
// finds the applicant eligible (informational reasons allowed). A
// registration any rule finds ineligible or in need of review is not
// added: the error is a [*Refusal] with the verdict (every reason, with its
// code and parameters). The verdict is returned in both cases. Other
// errors are those of [Roster.Register]. [Catalog.ApplicantFor] builds a
// from the registration.
func (r *Roster) Admit(ctx context.Context, rules scholarship.RuleSet[Applicant], a Applicant, reg bsk.Registration) (bsk.Registration, scholarship.Verdict, error) {
	if a.Provider.ID != reg.ProviderID || a.Offering.ID != reg.OfferingID {
		return bsk.Registration{}, scholarship.Verdict{}, bsk.Invalidf("provider_id", "the applicant (%s in %s) is not the registration's (%s in %s)", a.Provider.ID, a.Offering.ID, reg.ProviderID, reg.OfferingID)
	}
	v := rules.Evaluate(ctx, []Applicant{a})[0]
	if v.Outcome != scholarship.Eligible {
		return bsk.Registration{}, v, &Refusal{Registration: reg, Verdict: v}
	}
	got, err := r.Register(reg)
	return got, v, err
}

func itoa(n int) string { return strconv.Itoa(n) }
