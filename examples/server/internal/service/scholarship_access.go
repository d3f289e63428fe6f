package service

import (
	"context"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

// The access policy for scholarships, in one place:
//
//	what                          who
//	programs: create, change      admin, coordinator (the disclosure
//	                              standard: admin only, once set)
//	programs: list, read          admin, coordinator, agency
//	applications: submit, list,   admin, coordinator; agency: its own
//	withdraw                      staff's (another agency's reads as
//	                              unknown)
//	reviews, runs, declines,      admin, coordinator
//	ledger, equity
//	decisions                     admin, coordinator; agency: its own
//	                              staff's; every read audited
//	verification of a decision    admin
//	unsuppressed equity figures   admin
//	run failures (full errors)    admin
//
// What a decision derives from its applicant's demographics (score lines,
// a demographic set-aside's name) reaches the administrator, and the
// agency whose staff member applied while the person is still on its
// staff; nobody else (see [scholarship.DecisionRecord.WithoutDemographics]).

// scholarshipStaff run programs; applicantRoles also submit applications.
var (
	scholarshipStaff = []Role{RoleAdmin, RoleCoordinator}
	applicantRoles   = []Role{RoleAdmin, RoleCoordinator, RoleAgency}
)

// mayNameApplication vets an application ID the caller chose: an agency's
// begin with its organization, since application IDs are unique
// server-wide and a conflict would tell one agency which IDs another uses.
func mayNameApplication(p Principal, id string) error {
	if p.Role == RoleAgency && !strings.HasPrefix(id, p.OrganizationID+"-") {
		return bsk.Errors{bsk.Invalidf("/id", "an agency's application IDs must begin with %q (or leave id empty)", p.OrganizationID+"-")}
	}
	return nil
}

// mayApplyFor reports whether the caller may submit an application for the
// stored provider prov: staff for anyone, an agency for its own staff.
func mayApplyFor(p Principal, prov store.Record) bool {
	return p.Role != RoleAgency || prov.Org == p.OrganizationID
}

// canSeeApplication reports whether the caller may see (and withdraw) a
// stored application.
func canSeeApplication(p Principal, rec store.Record) bool {
	return p.Role != RoleAgency || rec.Org == p.OrganizationID
}

// applicationScope is the organization a caller's view of applications
// and decisions is limited to ("" for all).
func applicationScope(p Principal) string {
	if p.Role == RoleAgency {
		return p.OrganizationID
	}
	return ""
}

// showApplication hides demographics from everyone but administrators and
// the applicant's own agency.
func showApplication(p Principal, app scholarship.Application) scholarship.Application {
	if !p.SeesDemographics() {
		app.Applicant.Demographics = bsk.Demographics{}
	}
	return app
}

// showRun returns a run as the reader may see it: the rules' full errors
// for administrators only, and for readers who may not see demographics
// an allocation that does not name a demographic set-aside.
func showRun(p Principal, cy scholarship.Cycle, run CycleRun) CycleRun {
	if p.Role != RoleAdmin {
		run.Failures = nil
		run.Allocation = run.Allocation.WithoutDemographics(cy)
	}
	return run
}

// demographicsSeen returns whether the reader may see what a decision
// derives from its applicant's demographics: the administrator always; an
// agency for applications of people who are its staff now; nobody else.
func (s *Scholarships) demographicsSeen(ctx context.Context, p Principal, ref CycleRef) (func(appID string) bool, error) {
	switch p.Role {
	case RoleAdmin:
		return func(string) bool { return true }, nil
	case RoleAgency:
	default:
		return func(string) bool { return false }, nil
	}
	apps, _, err := s.applications(ctx, ref, p.OrganizationID)
	if err != nil {
		return nil, err
	}
	own := map[string]bool{}
	err = s.scan(ctx, store.Providers, store.Filter{Org: p.OrganizationID}, func(r store.Record) error {
		own[r.ID] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	ok := map[string]bool{}
	for _, app := range apps {
		ok[app.ID] = own[app.Applicant.PersonID]
	}
	return func(id string) bool { return ok[id] }, nil
}

// withoutFailureText drops the text of a failure from reasons that records
// made before reasons carried only the failure's code may still hold.
func withoutFailureText(rs []scholarship.Reason) []scholarship.Reason {
	out := make([]scholarship.Reason, len(rs))
	for i, r := range rs {
		if _, has := r.Params["error"]; has && (r.Code == scholarship.CodeRuleFailed || r.Code == scholarship.CodeCriterionFailed) {
			params := map[string]string{}
			for k, v := range r.Params {
				if k != "error" {
					params[k] = v
				}
			}
			r.Params = params
		}
		out[i] = r
	}
	return out
}
