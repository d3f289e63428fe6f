package bsk

// Organization is an agency whose people take part in the programs: a levy
// grantee or, since 2021, any agency serving young children in King County.
type Organization struct {
	// ID identifies the organization.
	ID OrganizationID `json:"id"`
	// Name is the organization's public name.
	Name string `json:"name"`
	// Kind is what kind of agency it is.
	Kind OrganizationKind `json:"kind"`
	// Grantee is true for a Best Starts for Kids grantee.
	Grantee bool `json:"grantee"`
	// BIPOCLed is true for an organization led by Black, Indigenous and people of color.
	BIPOCLed bool `json:"bipoc_led"`
	// CommunityDesigned is true when it runs a community-designed service model.
	CommunityDesigned bool `json:"community_designed"`
	// Place is where the organization is based.
	Place Place `json:"place"`
	// Languages lists the languages the organization serves families in.
	Languages []Language `json:"languages,omitempty"`
	// Strategies lists the levy strategies the organization takes part in.
	Strategies []Strategy `json:"strategies,omitempty"`
	// ServesYoungChildren is true when the agency serves children under five
	// and their families, the condition for taking part since 2021.
	ServesYoungChildren bool `json:"serves_young_children"`
}

// Validate reports every problem with o: a missing ID or name, unknown or
// duplicate codes.
func (o Organization) Validate() error {
	var p Problems
	checkID(&p, "id", o.ID, true)
	checkText(&p, "name", o.Name, 300, true)
	if !o.Kind.Valid() {
		p.Add("kind", "unknown organization kind code %q", o.Kind)
	}
	if !o.Place.Valid() {
		p.Add("place", "unknown place code %q", o.Place)
	}
	checkCodes(&p, "languages", o.Languages, Language.Valid, "language")
	checkCodes(&p, "strategies", o.Strategies, Strategy.Valid, "strategy")
	return p.Err()
}
