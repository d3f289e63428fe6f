package service

import (
	"context"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// SeatCount is how many whole-offering registrations of one offering hold
// a seat and how many wait, the figures [Trainings.Roster] gives for the
// offering's roster.
type SeatCount struct {
	// Registered counts the registrations holding a seat.
	Registered int `json:"registered"`
	// Waitlisted counts the registrations waiting for one.
	Waitlisted int `json:"waitlisted"`
}

// seatsAsked is how many offerings one query of [Trainings.SeatCounts]
// names.
const seatsAsked = 500

// SeatCounts returns the seats held and waiting of the offerings named
// (every offering when none is), counting the registrations for the whole
// offering (a session's own registrations are another roster, as in
// [Trainings.Roster]), keyed by offering: the store counts them in one
// query per 500 offerings named rather than a roster read per offering.
// An offering missing from the map has no registrations.
//
// Errors: unauthorized (a role other than admin or coordinator: an
// agency reads the counts of the offerings it sees, one at a time, with
// [Trainings.Roster]).
func (t *Trainings) SeatCounts(ctx context.Context, ids ...bsk.OfferingID) (map[bsk.OfferingID]SeatCount, error) {
	if _, err := require(ctx, RoleAdmin, RoleCoordinator); err != nil {
		return nil, err
	}
	out := map[bsk.OfferingID]SeatCount{}
	count := func(parents ...string) error {
		groups, err := t.db.CountByParent(ctx, store.Registrations, "status", "session_id", parents...)
		if err != nil {
			return err
		}
		for _, g := range groups {
			c := out[bsk.OfferingID(g.Parent)]
			switch bsk.RegistrationStatus(g.Value) {
			case bsk.RegistrationRegistered:
				c.Registered += g.N
			case bsk.RegistrationWaitlisted:
				c.Waitlisted += g.N
			default:
				continue
			}
			out[bsk.OfferingID(g.Parent)] = c
		}
		return nil
	}
	if len(ids) == 0 {
		return out, count()
	}
	for from := 0; from < len(ids); from += seatsAsked {
		chunk := ids[from:min(from+seatsAsked, len(ids))]
		parents := make([]string, len(chunk))
		for i, id := range chunk {
			parents[i] = string(id)
		}
		if err := count(parents...); err != nil {
			return nil, err
		}
	}
	return out, nil
}
