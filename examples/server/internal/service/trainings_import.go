package service

import (
	"context"
	"io"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/training"
)

// ZoomImport is what an import of a participants report stored.
type ZoomImport struct {
	// SessionID is the session the report is of.
	SessionID bsk.SessionID `json:"session_id"`
	// Rows counts the report's participant rows.
	Rows int `json:"rows"`
	// Imported counts the attendance records stored, one per provider.
	Imported int `json:"imported"`
	// Merged counts the rows joined into another's record (re-joins).
	Merged int `json:"merged"`
	// Unmatched lists the rows that matched no provider, for review.
	Unmatched []training.Unmatched `json:"unmatched"`
}

// ImportZoom reads a video meeting's participants report for a session
// ([training.Catalog.ImportZoom]: matched by name, the store keeping no
// emails; re-joins merged; the hours capped at the session's length; the
// report's times read in loc, UTC when nil) and stores one attendance
// record per matched provider, all or nothing. Errors: unauthorized for
// roles other than the administrator and coordinators; not found for an
// unknown session; invalid with every problem of the report, each naming
// its row and column; conflict when a matched provider already has a
// record for the session (nothing is stored).
func (t *Trainings) ImportZoom(ctx context.Context, sessionID string, r io.Reader, loc *time.Location) (ZoomImport, error) {
	p, err := require(ctx, RoleAdmin, RoleCoordinator)
	if err != nil {
		return ZoomImport{}, err
	}
	sRec, err := t.db.Get(ctx, store.Sessions, sessionID)
	if err != nil {
		return ZoomImport{}, err
	}
	sess, err := decode[bsk.Session]("session", sRec)
	if err != nil {
		return ZoomImport{}, err
	}
	oRec, err := t.db.Get(ctx, store.Offerings, sRec.Parent)
	if err != nil {
		return ZoomImport{}, err
	}
	off, err := decode[bsk.Offering]("offering", oRec)
	if err != nil {
		return ZoomImport{}, err
	}
	w := bsk.Workforce{Offerings: []bsk.Offering{off}, Sessions: []bsk.Session{sess}}
	if err := loadAll(ctx, t.db, store.Organizations, "organization", &w.Organizations); err != nil {
		return ZoomImport{}, err
	}
	if err := loadAll(ctx, t.db, store.Providers, "provider", &w.Providers); err != nil {
		return ZoomImport{}, err
	}
	orgOf := make(map[bsk.ProviderID]bsk.OrganizationID, len(w.Providers))
	for i := range w.Providers {
		w.Providers[i].Demographics = bsk.Demographics{} // matching reads names only
		orgOf[w.Providers[i].ID] = w.Providers[i].OrganizationID
	}
	c, err := training.NewCatalog(w)
	if err != nil {
		return ZoomImport{}, bsk.Errorf(bsk.CodeInternal, "stored workforce: %w", err)
	}
	dir, err := training.NewDirectory(w.Providers, nil)
	if err != nil {
		return ZoomImport{}, err
	}
	res, err := c.ImportZoom(r, sess.ID, dir, training.ImportOptions{Location: loc})
	if err != nil {
		return ZoomImport{}, err
	}
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		for _, a := range res.Attendance {
			doc, err := encode("attendance record", a)
			if err != nil {
				return err
			}
			err = tx.Insert(ctx, store.Attendance, store.Record{ID: AttendanceID(a), Org: string(orgOf[a.ProviderID]), Parent: string(a.SessionID), Doc: doc})
			if bsk.ErrorCode(err) == bsk.CodeConflict {
				return &bsk.Error{Code: bsk.CodeConflict, Field: "session_id", Message: "provider " + string(a.ProviderID) + " already has attendance in session " + string(a.SessionID) + ": nothing was imported"}
			}
			if err != nil {
				return err
			}
		}
		return tx.Audit(ctx, p.KeyID, "import_zoom", "session", string(sess.ID))
	})
	if err != nil {
		return ZoomImport{}, err
	}
	return ZoomImport{SessionID: sess.ID, Rows: res.Rows, Imported: len(res.Attendance), Merged: res.Merged, Unmatched: res.Unmatched}, nil
}

// Interpretation plans the interpreters an offering's sessions need from
// the registrations holding a seat ([training.Catalog.PlanInterpretation]):
// per session and language, how many interpreters, who needs them and the
// day to book by (deadlineDays before the session, 14 when 0). Errors:
// unauthorized for roles other than the administrator and coordinators;
// not found for an unknown offering.
func (t *Trainings) Interpretation(ctx context.Context, offeringID string, deadlineDays int) ([]bsk.InterpreterBooking, error) {
	if _, err := require(ctx, RoleAdmin, RoleCoordinator); err != nil {
		return nil, err
	}
	if deadlineDays < 0 || deadlineDays > 365 {
		return nil, bsk.Errors{bsk.Invalidf("deadline_days", "%d is outside 0 to 365", deadlineDays)}
	}
	oRec, err := t.db.Get(ctx, store.Offerings, offeringID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return nil, bsk.NotFoundf("id", "no offering %q", offeringID)
	}
	if err != nil {
		return nil, err
	}
	off, err := decode[bsk.Offering]("offering", oRec)
	if err != nil {
		return nil, err
	}
	// Only what the plan reads: the offering (without leaders or owning
	// organization), its sessions, the registrants and their agencies.
	off.Leaders, off.OrganizationID = nil, ""
	w := bsk.Workforce{Offerings: []bsk.Offering{off}}
	if err := scanAll(ctx, t.db, store.Sessions, store.Filter{Parent: offeringID}, func(rec store.Record) error {
		s, err := decode[bsk.Session]("session", rec)
		w.Sessions = append(w.Sessions, s)
		return err
	}); err != nil {
		return nil, err
	}
	var regs []bsk.Registration
	seenProv, seenOrg := map[bsk.ProviderID]bool{}, map[string]bool{}
	err = scanAll(ctx, t.db, store.Registrations, store.Filter{Parent: offeringID}, func(rec store.Record) error {
		g, err := decode[bsk.Registration]("registration", rec)
		if err != nil || g.Status != bsk.RegistrationRegistered {
			return err
		}
		regs = append(regs, g)
		if seenProv[g.ProviderID] {
			return nil
		}
		seenProv[g.ProviderID] = true
		pRec, err := t.db.Get(ctx, store.Providers, string(g.ProviderID))
		if err != nil {
			return err
		}
		prov, err := decode[bsk.Provider]("provider", pRec)
		if err != nil {
			return err
		}
		prov.Demographics, prov.ReportsTo = bsk.Demographics{}, ""
		w.Providers = append(w.Providers, prov)
		if !seenOrg[pRec.Org] {
			seenOrg[pRec.Org] = true
			oRec, err := t.db.Get(ctx, store.Organizations, pRec.Org)
			if err != nil {
				return err
			}
			o, err := decode[bsk.Organization]("organization", oRec)
			if err != nil {
				return err
			}
			w.Organizations = append(w.Organizations, o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c, err := training.NewCatalog(w)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored records of offering %s: %w", offeringID, err)
	}
	plan, err := c.PlanInterpretation(regs, training.InterpretOptions{DeadlineDays: deadlineDays})
	if plan == nil && err == nil {
		plan = []bsk.InterpreterBooking{}
	}
	return plan, err
}
