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
