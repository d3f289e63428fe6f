package service

import (
	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// The access policy for workforce records, in one place: every service
// asks these functions, and nothing else decides who sees what.
//
// Two kinds of refusal exist, and they differ on purpose:
//
//   - A role that may not use an operation at all gets unauthorized (403
//     over HTTP): that says something about the caller's key, nothing
//     about any record.
//   - A record the caller may not see reads exactly like a record that does
//     not exist: not_found with "no <entity> "<id>"", whether the caller
//     reads, changes, deletes, cancels or re-groups it, or refers to it.
//
// Roles:
//
//	record         list/read                              create/change/delete
//	organization   admin, coordinator; agency: its own    admin, coordinator; agency: its own
//	provider       admin, coordinator; agency: its own;   admin, coordinator; agency: its own
//	               consultant: their own record
//	offering,      every role but the evaluator: public   admin, coordinator
//	session        ones and their organization's own
//	attendance     admin, coordinator; agency: its own    admin, coordinator; agency: its own
//	               staff's                                staff in sessions it can see
//
// Demographics (race, gender, age band, place, income) reach only the
// roles [Principal.SeesDemographics] names; every read of them is audited.

// listScope returns the organization a caller's listing of kind is limited
// to ("" for all), or an unauthorized error when the role may not list
// that kind at all.
func listScope(p Principal, kind store.Kind) (string, error) {
	switch kind {
	case store.Offerings, store.Sessions:
		if p.Role != RoleEvaluator {
			return "", nil
		}
	case store.Organizations, store.Providers, store.Attendance:
		switch {
		case p.IsStaff():
			return "", nil
		case p.Role == RoleAgency:
			return p.OrganizationID, nil
		}
	}
	return "", bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not list these records", p.Role)
}

// CanRead reports whether p may see a stored record of kind.
func CanRead(p Principal, kind store.Kind, rec store.Record) bool {
	switch kind {
	case store.Organizations:
		return p.IsStaff() || (p.Role == RoleAgency && rec.ID == p.OrganizationID)
	case store.Providers:
		switch p.Role {
		case RoleAdmin, RoleCoordinator:
			return true
		case RoleAgency:
			return rec.Org == p.OrganizationID
		case RoleConsultant:
			return rec.ID == p.ProviderID
		}
	case store.Offerings, store.Sessions:
		// Public offerings belong to no organization; an organization's own
		// offerings and their sessions are its and the staff's.
		switch p.Role {
		case RoleAdmin, RoleCoordinator:
			return true
		case RoleAgency, RoleConsultant:
			return rec.Org == "" || rec.Org == p.OrganizationID
		}
	case store.Attendance:
		return p.IsStaff() || (p.Role == RoleAgency && rec.Org == p.OrganizationID)
	}
	return false
}

// Writers returns the roles that may create, change and delete records of
// kind; [CanRead] and the reference checks narrow what an agency may touch.
func Writers(kind store.Kind) []Role {
	switch kind {
	case store.Organizations, store.Providers, store.Attendance:
		return []Role{RoleAdmin, RoleCoordinator, RoleAgency}
	}
	return []Role{RoleAdmin, RoleCoordinator}
}

// auditsReads reports whether a read of kind by p is recorded in the audit
// log: provider records read by a role that sees their demographics.
func auditsReads(p Principal, kind store.Kind) bool {
	return kind == store.Providers && p.SeesDemographics()
}
