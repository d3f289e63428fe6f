package scholarship

import (
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// BlindField is a part of an application a program may hide from its
// reviewers.
type BlindField string

// The fields a blind review can hide.
const (
	// BlindName hides who the applicant is: name, person and provider IDs.
	BlindName BlindField = "name"
	// BlindDemographics hides the applicant's self-reported demographics.
	BlindDemographics BlindField = "demographics"
	// BlindEmployer hides the applicant's employer and months there.
	BlindEmployer BlindField = "employer"
)

var blindFields = []BlindField{BlindName, BlindDemographics, BlindEmployer}

// Valid reports whether f is a known blind field.
func (f BlindField) Valid() bool { return slices.Contains(blindFields, f) }

// Enum lists every blind field code.
func (BlindField) Enum() []string {
	return []string{string(BlindName), string(BlindDemographics), string(BlindEmployer)}
}

// paths are the application's JSON fields a blind field hides, as the
// reviewer's view lists them.
func (f BlindField) paths() []string {
	switch f {
	case BlindName:
		return []string{"applicant.name", "applicant.person_id", "applicant.provider_id"}
	case BlindDemographics:
		return []string{"applicant.demographics"}
	case BlindEmployer:
		return []string{"applicant.employer", "applicant.months_employed", "applicant.hired"}
	}
	return nil
}

// BlindPolicy says which fields each reviewing role may not see: a role
// not listed sees everything.
type BlindPolicy struct {
	// Hide maps a role (as the caller names its roles, e.g. "agency") to
	// the fields hidden from it.
	Hide map[string][]BlindField `json:"hide,omitempty"`
}

// Validate reports unknown fields and empty role names.
func (p BlindPolicy) Validate() error {
	var pr bsk.Problems
	for _, role := range sortedRoles(p.Hide) {
		if strings.TrimSpace(role) == "" {
			pr.Add("hide", "a role name is required")
		}
		for i, f := range p.Hide[role] {
			if !f.Valid() {
				pr.Add(bsk.Index("hide."+role, i), "unknown blind field %q (name, demographics or employer)", f)
			}
		}
	}
	return pr.Err()
}

func sortedRoles(m map[string][]BlindField) []string {
	out := make([]string, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// ReviewView is an application as one reviewer may read it.
type ReviewView struct {
	// Application is the application with the hidden fields emptied; its
	// ID is kept, so scores given on the view attach to the application.
	Application Application `json:"application"`
	// Hidden lists the application's fields the reviewer was not shown
	// (JSON paths, e.g. "applicant.name"), sorted; empty when none.
	Hidden []string `json:"hidden"`
	// Audit records what was shown to whom.
	Audit BlindAudit `json:"audit"`
}

// BlindAudit is the record of one blind view: which reviewer, in which
// role, saw which application with which fields hidden.
type BlindAudit struct {
	ApplicationID string         `json:"application_id"`
	Reviewer      bsk.ProviderID `json:"reviewer"`
	Role          string         `json:"role"`
	Hidden        []string       `json:"hidden"`
}

// String is the audit line, e.g. `application a1 shown to reviewer p1 as
// agency, hidden: applicant.demographics`.
func (a BlindAudit) String() string {
	hidden := "none"
	if len(a.Hidden) > 0 {
		hidden = strings.Join(a.Hidden, ",")
	}
	return "application " + a.ApplicationID + " shown to reviewer " + string(a.Reviewer) + " as " + a.Role + ", hidden: " + hidden
}

// BlindView returns the application as reviewer, in role, may read it
// under the policy. Hiding the name also empties the person and provider
// IDs, which name the applicant as well; hiding the employer also empties
// the months there and whether they are hired, which point to it. The
// application's other fields, and its ID, stay.
func (p BlindPolicy) BlindView(a Application, reviewer bsk.ProviderID, role string) ReviewView {
	v := a
	v.Applicant.Languages = slices.Clone(a.Applicant.Languages)
	hidden := []string{}
	for _, f := range blindFields {
		if !slices.Contains(p.Hide[role], f) {
			continue
		}
		switch f {
		case BlindName:
			v.Applicant.Name, v.Applicant.PersonID, v.Applicant.ProviderID = "", "", ""
		case BlindDemographics:
			v.Applicant.Demographics = bsk.Demographics{}
		case BlindEmployer:
			v.Applicant.Employer, v.Applicant.MonthsEmployed, v.Applicant.Hired = nil, 0, false
		}
		hidden = append(hidden, f.paths()...)
	}
	slices.Sort(hidden)
	return ReviewView{Application: v, Hidden: hidden,
		Audit: BlindAudit{ApplicationID: a.ID, Reviewer: reviewer, Role: role, Hidden: slices.Clone(hidden)}}
}
