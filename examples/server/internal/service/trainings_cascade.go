package service

import (
	"context"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// A provider taken off file takes their history with them, and is refused
// while they hold a place others depend on. The rule is the one attendance
// follows ([deleteAttendanceOf]): a record nobody could read or correct
// once its provider is gone goes with the provider, and each deletion is
// audited. So:
//
//   - a cancelled registration, an ended enrolment and the waitlist
//     notices of the provider's promotions are deleted with the provider;
//   - a registration holding a seat or a waitlist place, and a current
//     enrolment in a reflective consultation group, refuse the deletion
//     (a conflict naming them): cancelling the registration promotes the
//     next on the waitlist, and a re-grouping without the provider ends
//     the enrolment, which deleting them would silently skip.

// liveTrainingRefs lists a provider's registrations that hold a seat or a
// waitlist place and their current enrolments.
func liveTrainingRefs(ctx context.Context, tx *store.Tx, p Principal, id, org string) ([]reference, error) {
	regs := reference{what: "registrations", field: "provider_id", hint: "cancel them first (a freed seat goes to the next on the waitlist)"}
	enrols := reference{what: "enrolments", field: "provider_id", hint: "publish a re-grouping without them first, which ends the enrolment"}
	err := scanAll(ctx, tx, store.Registrations, store.Filter{Org: org}, func(r store.Record) error {
		g, err := decode[bsk.Registration]("registration", r)
		if err == nil && g.ProviderID == bsk.ProviderID(id) && g.Status != bsk.RegistrationCancelled {
			regs.named = append(regs.named, r.ID)
		}
		return err
	})
	if err == nil {
		err = scanAll(ctx, tx, store.Enrolments, store.Filter{Org: org}, func(r store.Record) error {
			e, err := decode[Enrolment]("enrolment", r)
			if err == nil && e.ProviderID == bsk.ProviderID(id) && e.Until == nil {
				enrols.named = append(enrols.named, r.ID)
			}
			return err
		})
	}
	return nonEmpty(regs, enrols), err
}

// deleteHistoryOf deletes, with a provider, their attendance, cancelled
// registrations, ended enrolments and waitlist notices, each audited.
func deleteHistoryOf(ctx context.Context, tx *store.Tx, p Principal, id string) error {
	rec, err := tx.Get(ctx, store.Providers, id)
	if err != nil {
		return err
	}
	if err := deleteAttendanceOf(ctx, tx, p, id); err != nil {
		return err
	}
	type doomed struct {
		kind   store.Kind
		entity string
		id     string
	}
	var drop []doomed
	err = scanAll(ctx, tx, store.Registrations, store.Filter{Org: rec.Org}, func(r store.Record) error {
		g, err := decode[bsk.Registration]("registration", r)
		if err == nil && g.ProviderID == bsk.ProviderID(id) {
			drop = append(drop, doomed{store.Registrations, "registration", r.ID})
		}
		return err
	})
	if err == nil {
		err = scanAll(ctx, tx, store.Enrolments, store.Filter{Org: rec.Org}, func(r store.Record) error {
			e, err := decode[Enrolment]("enrolment", r)
			if err == nil && e.ProviderID == bsk.ProviderID(id) {
				drop = append(drop, doomed{store.Enrolments, "enrolment", r.ID})
			}
			return err
		})
	}
	if err == nil {
		err = scanAll(ctx, tx, store.WaitlistNotices, store.Filter{Org: rec.Org}, func(r store.Record) error {
			n, err := decode[bsk.WaitlistNotice]("waitlist notice", r)
			if err == nil && n.ProviderID == bsk.ProviderID(id) {
				drop = append(drop, doomed{store.WaitlistNotices, "waitlist notice", r.ID})
			}
			return err
		})
	}
	for _, d := range drop {
		if err != nil {
			break
		}
		if err = tx.Delete(ctx, d.kind, d.id); err == nil {
			err = tx.Audit(ctx, p.KeyID, "delete", d.entity, d.id)
		}
	}
	return err
}
