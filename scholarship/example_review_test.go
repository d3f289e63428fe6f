package scholarship_test

import (
	"context"
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Three applications, three reviewers. Rosa supervises Ana, whose
// supervisor's supervisor is Lee: neither may review her. Sam works at
// Kent Early Intervention, where all three applicants work. The Spanish
// application needs a reviewer who reads Spanish.
func ExampleAssignReviewers() {
	ana, ben, cruz := app("ana"), app("ben"), app("cruz")
	ana.Applicant.ProviderID = "p-ana"
	req := scholarship.ReviewRequest{
		Settings:     scholarship.ReviewSettings{PerApplication: 2},
		Applications: []scholarship.Application{ana, ben, cruz},
		Written:      map[string]bsk.Language{"cruz": bsk.Spanish},
		Reviewers: []scholarship.Reviewer{
			{ID: "p-rosa", OrganizationID: "org-2", Capacity: 3, Languages: []bsk.Language{bsk.Spanish}},
			{ID: "p-lee", OrganizationID: "org-3", Capacity: 3},
			{ID: "p-sam", OrganizationID: "org-1", Capacity: 3},
		},
		Providers: []bsk.Provider{{ID: "p-ana", ReportsTo: "p-rosa"}, {ID: "p-rosa", ReportsTo: "p-lee"}},
	}
	got, err := scholarship.AssignReviewers(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range got.Sets {
		fmt.Println(s.ApplicationID, s.Reviewers)
	}
	for _, s := range got.Short {
		fmt.Println(s.ApplicationID, s.Reason.Code)
		fmt.Println(s.Reason.Text(scholarship.EnglishText))
	}
	// Output:
	// ana []
	// ben [p-lee p-rosa]
	// cruz [p-rosa]
	// ana review_all_conflicted
	// Only 0 of the reviewers who read English have no conflict of interest with this applicant; 2 are needed, so it has 0.
	// cruz review_no_language_match
	// This application needs 2 reviewers who read Spanish; 1 do, so it has 1.
}

// An agency's reviewers score without the applicant's name, demographics
// or employer; the coordinator sees everything.
func ExampleBlindPolicy_BlindView() {
	p := scholarship.BlindPolicy{Hide: map[string][]scholarship.BlindField{
		"agency": {scholarship.BlindName, scholarship.BlindDemographics, scholarship.BlindEmployer},
	}}
	v := p.BlindView(app("a1"), "p-rosa", "agency")
	fmt.Printf("%s %q\n", v.Application.ID, v.Application.Applicant.Name)
	fmt.Println(v.Hidden)
	fmt.Println(v.Audit)
	// Output:
	// a1 ""
	// [applicant.demographics applicant.employer applicant.hired applicant.months_employed applicant.name applicant.person_id applicant.provider_id]
	// application a1 shown to reviewer p-rosa as agency, hidden: applicant.demographics,applicant.employer,applicant.hired,applicant.months_employed,applicant.name,applicant.person_id,applicant.provider_id
}
