package service

import (
	"context"
	"encoding/json"

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

// seatScan is how many registrations one read of [Trainings.SeatCounts]
// takes from the store.
const seatScan = 10_000

// SeatCounts returns the seats held and waiting of every offering that has
// registrations for the whole offering (a session's own registrations are
// another roster, as in [Trainings.Roster]), keyed by offering, in one
// read of the registrations per 10,000 of them rather than one roster per
// offering. An offering missing from the map has no registrations.
//
// Errors: unauthorized (a role other than admin or coordinator: an
// agency reads the counts of the offerings it sees, one at a time, with
// [Trainings.Roster]).
func (t *Trainings) SeatCounts(ctx context.Context) (map[bsk.OfferingID]SeatCount, error) {
	if _, err := require(ctx, RoleAdmin, RoleCoordinator); err != nil {
		return nil, err
	}
	out := map[bsk.OfferingID]SeatCount{}
	// Only the fields counted are decoded.
	var g struct {
		SessionID bsk.SessionID          `json:"session_id"`
		Status    bsk.RegistrationStatus `json:"status"`
	}
	f := store.Filter{Limit: seatScan}
	for {
		recs, err := t.db.List(ctx, store.Registrations, f)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			g.SessionID, g.Status = "", ""
			if err := json.Unmarshal(rec.Doc, &g); err != nil {
				return nil, bsk.Errorf(bsk.CodeInternal, "stored registration %q: %w", rec.ID, err)
			}
			if g.SessionID != "" {
				continue
			}
			c := out[bsk.OfferingID(rec.Parent)]
			switch g.Status {
			case bsk.RegistrationRegistered:
				c.Registered++
			case bsk.RegistrationWaitlisted:
				c.Waitlisted++
			default:
				continue
			}
			out[bsk.OfferingID(rec.Parent)] = c
		}
		if len(recs) < seatScan {
			return out, nil
		}
		f.After = recs[len(recs)-1].ID
	}
}
