package app

import (
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// The server's access policy for workforce records and grouping runs, in
// one place: the resource handlers, the grouping handlers and the route
// table all ask these functions, and nothing else decides who sees what.
//
// Two kinds of refusal exist, and they differ on purpose:
//
//   - A role that may not use a route at all gets 403 (unauthorized): that
//     says something about the caller's key, nothing about any record.
//   - A record the caller may not see reads exactly like a record that does
//     not exist: 404 with "no <entity> "<id>"", whether the caller reads,
//     changes, deletes, cancels or re-groups it, or refers to it.
//
// Roles (see [Role]):
//
//	record         list/read                              create/change/delete
//	organization   admin, coordinator; agency: its own    admin, coordinator; agency: its own
//	provider       admin, coordinator; agency: its own;   admin, coordinator; agency: its own
//	               consultant: their own record
//	offering,      every role but the evaluator: public   admin, coordinator
//	session        ones and their organization's own
//	attendance     admin, coordinator; agency: its own    admin, coordinator; agency: its own
//	               staff's                                staff in sessions it can see
//	grouping run   admin, coordinator (a consultant: the  admin, coordinator
//	               rosters of the groups they lead);
//	               runs that use demographics: only roles
//	               that see demographics
//
// Demographics (race, gender, age band, place, income) reach only the
// roles [seesDemographics] names; every read of them is audited.

// seesDemographics reports whether a role may see a person's demographics
// (see [service.Principal.SeesDemographics]).
func seesDemographics(p Principal) bool { return p.SeesDemographics() }

// runRoles are the roles that start, list, read, cancel and re-group
// grouping runs; rosterRoles also read rosters.
var (
	runRoles    = []Role{RoleAdmin, RoleCoordinator}
	rosterRoles = []Role{RoleAdmin, RoleCoordinator, RoleConsultant}
)

// demographicAttrs are the grouping attributes drawn from demographics.
var demographicAttrs = []string{grouping.AttrRace, grouping.AttrGender, grouping.AttrAgeBand, grouping.AttrRegion}

// usesDemographics reports whether a grouping run is formed from private
// demographics: an intergroup dialogue, or any run with a criterion on a
// demographic attribute. Its groups, scores and unplaced reasons are
// derived from demographics, so they are shown only to roles that see
// them.
func usesDemographics(req GroupingRunRequest) bool {
	if req.Preset == grouping.IntergroupDialoguePreset {
		return true
	}
	for _, c := range req.Criteria {
		if slices.Contains(demographicAttrs, c.Attr) {
			return true
		}
	}
	return false
}

// mayStartRun vets a new run's request for the caller: only a role that
// sees demographics may form groups from them. The refusal concerns the
// request, not any record.
func mayStartRun(p Principal, req GroupingRunRequest) error {
	if usesDemographics(req) && !seesDemographics(p) {
		return bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may form groups from demographics (intergroup dialogue, or criteria on %v)", demographicAttrs)
	}
	return nil
}

// canReadRun reports whether the caller may see a grouping run at all: a
// run role, and for a run formed from demographics a role that sees them.
// A consultant sees a finished run's rosters of the groups they lead
// (see canReadRoster), never the run itself.
func canReadRun(p Principal, run GroupingRun) bool {
	if !slices.Contains(runRoles, p.Role) {
		return false
	}
	return !usesDemographics(run.Request) || seesDemographics(p)
}

// canReadRoster reports whether the caller may read a run's rosters: those
// who may read the run, and a consultant who leads one of its groups in a
// run not formed from demographics.
func canReadRoster(p Principal, run GroupingRun) bool {
	if p.Role == RoleConsultant {
		return !usesDemographics(run.Request) && p.ProviderID != "" && slices.Contains(run.Leaders, p.ProviderID)
	}
	return canReadRun(p, run)
}
