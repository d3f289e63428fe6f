package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/training"
)

// An offering's registrations and its certificate cohort hold what the
// offering says: its capacity and its kind. So an update of the offering
// goes through them, in the update's transaction:
//
//   - a capacity raised gives the freed seats to the waitlist in order,
//     with their notices, as a cancellation does;
//   - a capacity lowered below the seats held is refused (a conflict at
//     /capacity: cancel registrations first; nobody loses a seat to an
//     edit);
//   - the offering of a certificate cohort stays a certificate cohort (a
//     conflict at /kind).
//
// A deletion is refused while registrations hold a seat or a waitlist
// place; cancelled ones, the notices and the cohort go with the offering.

// offeringChanged applies an update of an offering from old to v to its
// rosters and its cohort.
func offeringChanged(ctx context.Context, tx *store.Tx, p Principal, old, v bsk.Offering) error {
	if old.Capacity == v.Capacity && old.Kind == v.Kind {
		return nil
	}
	now := time.Now().UTC()
	bySession := map[bsk.SessionID][]bsk.Registration{}
	orgs := map[bsk.RegistrationID]string{}
	var sessions []bsk.SessionID
	err := scanAll(ctx, tx, store.Registrations, store.Filter{Parent: string(v.ID)}, func(rec store.Record) error {
		g, err := decode[bsk.Registration]("registration", rec)
		if err != nil {
			return err
		}
		if _, seen := bySession[g.SessionID]; !seen {
			sessions = append(sessions, g.SessionID)
		}
		bySession[g.SessionID] = append(bySession[g.SessionID], g)
		orgs[g.ID] = rec.Org
		return nil
	})
	if err != nil {
		return err
	}
	cohortRec, err := tx.Get(ctx, store.Cohorts, string(v.ID))
	switch {
	case err == nil:
		if v.Kind != bsk.OfferingCertificateCohort {
			return bsk.Errors{&bsk.Error{Code: bsk.CodeConflict, Field: "/kind",
				Message: "offering " + string(v.ID) + " holds a certificate cohort: its kind stays " + string(bsk.OfferingCertificateCohort)}}
		}
		doc, err := decode[cohortDoc]("cohort", cohortRec)
		if err != nil {
			return err
		}
		c, err := training.NewCohort(old, doc.Modules, doc.Required, bySession[""]...)
		if err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored cohort %s: %w", v.ID, err)
		}
		capacity := v.Capacity
		if capacity == 0 {
			capacity = training.DefaultCohortCapacity
		}
		if err := setCapacity(ctx, tx, p, c.Roster(), capacity, orgs, now); err != nil {
			return err
		}
		sessions = slices.DeleteFunc(sessions, func(s bsk.SessionID) bool { return s == "" })
	case bsk.ErrorCode(err) != bsk.CodeNotFound:
		return err
	}
	slices.Sort(sessions)
	for _, s := range sessions {
		r, err := training.NewRoster(old, s, bySession[s]...)
		if err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored roster of %s: %w", v.ID, err)
		}
		if err := setCapacity(ctx, tx, p, r, v.Capacity, orgs, now); err != nil {
			return err
		}
	}
	return nil
}

// setCapacity changes r's capacity and stores what changed.
func setCapacity(ctx context.Context, tx *store.Tx, p Principal, r *training.Roster, capacity int, orgs map[bsk.RegistrationID]string, at time.Time) error {
	before := r.Registrations()
	notices, err := r.SetCapacity(capacity, at)
	if err != nil {
		var e *bsk.Error
		if errors.As(err, &e) && e.Code == bsk.CodeConflict {
			return bsk.Errors{&bsk.Error{Code: bsk.CodeConflict, Field: "/capacity", Message: e.Message + ": cancel registrations first"}}
		}
		return err
	}
	changed, _, err := storeRosterChange(ctx, tx, p, before, r.Registrations(), notices, orgs)
	for _, g := range changed {
		if err == nil {
			err = tx.Audit(ctx, p.KeyID, "update", "registration", string(g.ID))
		}
	}
	return err
}

// storeRosterChange stores what a roster operation changed: the
// registrations whose status differs between before and after (the same
// registrations in the same order) and the waitlist notices, each under
// its registration's organization (orgs). It returns the changed
// registrations and the notices p may see (staff all, an agency its own
// staff's).
func storeRosterChange(ctx context.Context, tx *store.Tx, p Principal, before, after []bsk.Registration, notices []bsk.WaitlistNotice, orgs map[bsk.RegistrationID]string) ([]bsk.Registration, []bsk.WaitlistNotice, error) {
	var changed []bsk.Registration
	for i, g := range after {
		if g.Status == before[i].Status {
			continue
		}
		doc, err := encode("registration", g)
		if err != nil {
			return nil, nil, err
		}
		if err := tx.Update(ctx, store.Registrations, store.Record{ID: string(g.ID), Org: orgs[g.ID], Parent: string(g.OfferingID), Doc: doc}); err != nil {
			return nil, nil, err
		}
		changed = append(changed, g)
	}
	shown := []bsk.WaitlistNotice{}
	for _, n := range notices {
		doc, err := encode("waitlist notice", n)
		if err != nil {
			return nil, nil, err
		}
		org := orgs[n.RegistrationID]
		if err := tx.Insert(ctx, store.WaitlistNotices, store.Record{ID: store.NewID(), Org: org, Parent: string(n.OfferingID), Doc: doc}); err != nil {
			return nil, nil, err
		}
		if p.IsStaff() || org == p.OrganizationID {
			shown = append(shown, n)
		}
	}
	return changed, shown, nil
}

// offeringRefs lists an offering's sessions and the registrations that
// hold a seat or a waitlist place in it.
func offeringRefs(ctx context.Context, tx *store.Tx, p Principal, id string) ([]reference, error) {
	refs, err := children(ctx, tx, p, store.Sessions, "sessions", "offering_id", id)
	if err != nil {
		return nil, err
	}
	regs := reference{what: "registrations", field: "offering_id", hint: "cancel them first"}
	err = scanAll(ctx, tx, store.Registrations, store.Filter{Parent: id}, func(rec store.Record) error {
		g, err := decode[bsk.Registration]("registration", rec)
		if err == nil && g.Status != bsk.RegistrationCancelled {
			regs.add(p, store.Registrations, rec)
		}
		return err
	})
	return append(refs, nonEmpty(regs)...), err
}

// deleteOfferingRecords deletes, with an offering, its audience, its
// cancelled registrations, its waitlist notices and its cohort, each
// audited.
func deleteOfferingRecords(ctx context.Context, tx *store.Tx, p Principal, id string) error {
	if err := deleteAudienceOf(ctx, tx, p, id); err != nil {
		return err
	}
	type doomed struct {
		kind   store.Kind
		entity string
		id     string
	}
	var drop []doomed
	for _, k := range []struct {
		kind   store.Kind
		entity string
	}{{store.Registrations, "registration"}, {store.WaitlistNotices, "waitlist notice"}} {
		err := scanAll(ctx, tx, k.kind, store.Filter{Parent: id}, func(rec store.Record) error {
			drop = append(drop, doomed{k.kind, k.entity, rec.ID})
			return nil
		})
		if err != nil {
			return err
		}
	}
	if ok, err := tx.Exists(ctx, store.Cohorts, id); err != nil {
		return err
	} else if ok {
		drop = append(drop, doomed{store.Cohorts, "cohort", id})
	}
	for _, d := range drop {
		if err := tx.Delete(ctx, d.kind, d.id); err != nil {
			return err
		}
		if err := tx.Audit(ctx, p.KeyID, "delete", d.entity, d.id); err != nil {
			return err
		}
	}
	return nil
}
