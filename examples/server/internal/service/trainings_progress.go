package service

import (
	"context"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// ProviderProgress is a provider's endorsement progress as the server
// computes it (see [training.ProviderProgress]).
type ProviderProgress = training.ProviderProgress

// ProgressList is the endorsement progress of an organization's staff.
type ProgressList struct {
	// OrganizationID is the organization.
	OrganizationID bsk.OrganizationID `json:"organization_id"`
	// AsOf is the date of the computation.
	AsOf time.Time `json:"as_of"`
	// Providers holds each provider's progress, in ID order.
	Providers []ProviderProgress `json:"providers"`
}

// Progress returns a provider's endorsement progress on asOf (zero: now):
// the highest level whose entry requirements are met and what each level
// above still asks, computed by [scholarship.ProgressOf] from the
// provider's record and the hours their attendance earned, each on its
// session's date with its session's credit ([training.Catalog.DatedHours]).
// It reads the same computation as the scholarship rule that gates
// endorsement support.
//
// Access: admin and coordinators, any provider; an agency, its own staff;
// a consultant, their own record. Errors: unauthorized for the evaluator;
// not found for a provider the caller may not see.
func (t *Trainings) Progress(ctx context.Context, providerID string, asOf time.Time) (ProviderProgress, error) {
	p, err := require(ctx, RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant)
	if err != nil {
		return ProviderProgress{}, err
	}
	rec, err := t.db.Get(ctx, store.Providers, providerID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Providers, rec)) {
		return ProviderProgress{}, bsk.NotFoundf("id", "no provider %q", providerID)
	}
	if err != nil {
		return ProviderProgress{}, err
	}
	list, err := t.progressOf(ctx, rec.Org, []store.Record{rec}, asOf)
	if err != nil {
		return ProviderProgress{}, err
	}
	return list[0], nil
}

// OrganizationProgress returns the endorsement progress on asOf (zero:
// now) of every provider of an organization, each as [Trainings.Progress]
// computes it.
//
// Access: admin and coordinators, any organization; an agency, its own.
// Errors: unauthorized for other roles; not found for an organization the
// caller may not see.
func (t *Trainings) OrganizationProgress(ctx context.Context, orgID string, asOf time.Time) (ProgressList, error) {
	p, err := require(ctx, RoleAdmin, RoleCoordinator, RoleAgency)
	if err != nil {
		return ProgressList{}, err
	}
	rec, err := t.db.Get(ctx, store.Organizations, orgID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Organizations, rec)) {
		return ProgressList{}, bsk.NotFoundf("id", "no organization %q", orgID)
	}
	if err != nil {
		return ProgressList{}, err
	}
	var provs []store.Record
	err = scanAll(ctx, t.db, store.Providers, store.Filter{Org: orgID}, func(r store.Record) error {
		provs = append(provs, r)
		return nil
	})
	if err != nil {
		return ProgressList{}, err
	}
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	list, err := t.progressOf(ctx, orgID, provs, asOf)
	if err != nil {
		return ProgressList{}, err
	}
	return ProgressList{OrganizationID: bsk.OrganizationID(orgID), AsOf: asOf, Providers: list}, nil
}

// progressOf computes the progress of providers of one organization, in
// the order given, from the organization's attendance.
func (t *Trainings) progressOf(ctx context.Context, orgID string, provs []store.Record, asOf time.Time) ([]ProviderProgress, error) {
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	orgRec, err := t.db.Get(ctx, store.Organizations, orgID)
	if err != nil {
		return nil, err
	}
	org, err := decode[bsk.Organization]("organization", orgRec)
	if err != nil {
		return nil, err
	}
	// Only what progress reads: the providers' education, experience and
	// endorsement (never their demographics), the sessions attended and
	// their offerings' kinds.
	w := bsk.Workforce{Organizations: []bsk.Organization{org}}
	want := map[bsk.ProviderID]bool{}
	for _, r := range provs {
		v, err := decode[bsk.Provider]("provider", r)
		if err != nil {
			return nil, err
		}
		v.Demographics, v.ReportsTo = bsk.Demographics{}, ""
		w.Providers = append(w.Providers, v)
		want[v.ID] = true
	}
	att, err := attendedCatalog(ctx, t.db, orgID, func(id bsk.ProviderID) bool { return want[id] }, &w)
	if err != nil {
		return nil, err
	}
	c, err := training.NewCatalog(w)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored records of organization %s: %w", orgID, err)
	}
	hours, err := c.DatedHours(att)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored attendance of organization %s: %w", orgID, err)
	}
	out := make([]ProviderProgress, 0, len(w.Providers))
	for _, v := range w.Providers {
		out = append(out, ProviderProgress{ProviderID: v.ID,
			Progress: scholarship.ProgressOf(scholarship.RecordOf(v, hours[v.ID], asOf), asOf, scholarship.ProgressOptions{})})
	}
	return out, nil
}

// attendedCatalog reads the attendance records of organization org whose
// provider want accepts, and adds to w the sessions attended and their
// offerings (without leaders or organization: a transcript or progress
// reads only their times, minutes and kinds). It returns the records.
func attendedCatalog(ctx context.Context, db *store.DB, org string, want func(bsk.ProviderID) bool, w *bsk.Workforce) ([]bsk.Attendance, error) {
	var att []bsk.Attendance
	seenSession, seenOff := map[string]bool{}, map[string]bool{}
	err := scanAll(ctx, db, store.Attendance, store.Filter{Org: org}, func(rec store.Record) error {
		a, err := decode[bsk.Attendance]("attendance record", rec)
		if err != nil || !want(a.ProviderID) {
			return err
		}
		att = append(att, a)
		if seenSession[string(a.SessionID)] {
			return nil
		}
		seenSession[string(a.SessionID)] = true
		sRec, err := db.Get(ctx, store.Sessions, string(a.SessionID))
		if err != nil {
			return err
		}
		s, err := decode[bsk.Session]("session", sRec)
		if err != nil {
			return err
		}
		w.Sessions = append(w.Sessions, s)
		if seenOff[sRec.Parent] {
			return nil
		}
		seenOff[sRec.Parent] = true
		oRec, err := db.Get(ctx, store.Offerings, sRec.Parent)
		if err != nil {
			return err
		}
		o, err := decode[bsk.Offering]("offering", oRec)
		if err != nil {
			return err
		}
		o.Leaders, o.OrganizationID = nil, ""
		w.Offerings = append(w.Offerings, o)
		return nil
	})
	return att, err
}
