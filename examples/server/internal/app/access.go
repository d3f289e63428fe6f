package app

// The access policy is the services' (see package service: access.go for
// workforce records, grouping_access.go for grouping runs); the route
// table's allow middleware only refuses, as a first 403, the roles a
// service refuses anyway.

// seesDemographics reports whether a role may see a person's demographics
// (see [service.Principal.SeesDemographics]).
func seesDemographics(p Principal) bool { return p.SeesDemographics() }
