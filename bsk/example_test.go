package bsk_test

import (
	"errors"
	"fmt"

	"github.com/beststarts/workforce/bsk"
)

func ExampleProvider_Validate() {
	p := bsk.Provider{
		ID:             "p-17",
		OrganizationID: "org-3",
		Name:           "Lan Nguyen",
		Role:           bsk.RoleDirectService,
		Languages:      []bsk.Language{bsk.Vietnamese, "xx"},
		Availability:   []bsk.Slot{{Day: bsk.Wednesday, Start: 13 * 60, End: 12 * 60}},
	}
	err := p.Validate()
	fmt.Println(err)
	fmt.Println("invalid:", errors.Is(err, bsk.ErrInvalid))
	// Output:
	// languages[1]: unknown language code "xx"
	// availability[0].end: 720 is not after start 780
	// invalid: true
}

func ExampleWorkforce_Validate() {
	w := bsk.Workforce{
		Organizations: []bsk.Organization{{ID: "org-1", Name: "Eastside Early Learning", Kind: bsk.OrgChildCare, Place: "bellevue"}},
		Providers: []bsk.Provider{
			{ID: "p-1", OrganizationID: "org-1", Name: "Ana Ruiz", Role: bsk.RoleSupervisor, Languages: []bsk.Language{bsk.Spanish}},
			{ID: "p-1", OrganizationID: "org-9", Name: "Sam Lee", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English}},
		},
	}
	var list bsk.Errors
	if errors.As(w.Validate(), &list) {
		for _, e := range list {
			fmt.Printf("%s [%s] %s\n", e.Field, e.Code, e.Message)
		}
	}
	// Output:
	// providers[1].id [conflict] duplicate provider id "p-1" (also providers[0])
	// providers[1].organization_id [not_found] unknown organization "org-9"
}

func ExamplePlace_Region() {
	for _, p := range []bsk.Place{"seattle", "kent", "vashon"} {
		fmt.Println(p, p.Region(), p.Rural())
	}
	// Output:
	// seattle seattle false
	// kent south false
	// vashon south true
}
