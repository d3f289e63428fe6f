package service

import (
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// The access policy for grouping runs, in one place: every method of
// [Grouping] asks these functions, and nothing else decides who sees what.
//
//	grouping run   start, list, read, cancel, re-group, move members by
//	               hand: admin, coordinator;
//	               runs that use demographics: only roles that see
//	               demographics (the administrator)
//	rosters        those who may read the run, and a consultant: the
//	               rosters of the groups they lead in a finished run not
//	               formed from demographics, and the list of those runs
//
// A role that may not use an operation at all gets unauthorized; a run
// the caller may not see reads exactly like a run that does not exist
// (not_found, "no grouping run "<id>""), whatever the operation.

// RunRoles are the roles that start, list, read, cancel and re-group
// grouping runs; [RosterRoles] also read rosters.
var (
	RunRoles    = []Role{RoleAdmin, RoleCoordinator}
	RosterRoles = []Role{RoleAdmin, RoleCoordinator, RoleConsultant}
)

// demographicAttrs are the grouping attributes drawn from demographics.
var demographicAttrs = []string{grouping.AttrRace, grouping.AttrGender, grouping.AttrAgeBand, grouping.AttrRegion}

// UsesDemographics reports whether a grouping run is formed from private
// demographics: an intergroup dialogue, or any run with a criterion on a
// demographic attribute. Its groups, scores and unplaced reasons are
// derived from demographics, so they are shown only to roles that see
// them, and every read of them is audited.
func UsesDemographics(req GroupingRunRequest) bool {
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
	if UsesDemographics(req) && !p.SeesDemographics() {
		return bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may form groups from demographics (intergroup dialogue, or criteria on %v)", demographicAttrs)
	}
	return nil
}

// CanReadRun reports whether p may see a grouping run at all: a run role,
// and for a run formed from demographics a role that sees them. A
// consultant sees a finished run's rosters of the groups they lead (see
// [CanReadRoster]), never the run itself.
func CanReadRun(p Principal, run GroupingRun) bool {
	if !p.Is(RunRoles...) {
		return false
	}
	return !UsesDemographics(run.Request) || p.SeesDemographics()
}

// CanReadRoster reports whether p may read a run's rosters: those who may
// read the run, and a consultant who leads one of its groups in a run not
// formed from demographics.
func CanReadRoster(p Principal, run GroupingRun) bool {
	if p.Role == RoleConsultant {
		return !UsesDemographics(run.Request) && p.ProviderID != "" && slices.Contains(run.Leaders, p.ProviderID)
	}
	return CanReadRun(p, run)
}
