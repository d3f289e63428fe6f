package service

import (
	"cmp"
	"context"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// SessionAttendance is a session's attendance as the staff who import it
// read it: the session, its offering and every record, each with its
// provider's name.
type SessionAttendance struct {
	Session  bsk.Session  `json:"session"`
	Offering bsk.Offering `json:"offering"`
	// Attended are the session's records, by name.
	Attended []AttendedRecord `json:"attended"`
}

// AttendedRecord is one provider's attendance of a session.
type AttendedRecord struct {
	bsk.Attendance
	// Name is the provider's.
	Name string `json:"name"`
}

// SessionAttendance returns a session's attendance for the roles that
// import participants reports ([Trainings.ImportZoom]): the administrator
// and coordinators.
//
// Errors: not_found for an unknown session, unauthorized.
func (t *Trainings) SessionAttendance(ctx context.Context, sessionID string) (SessionAttendance, error) {
	if _, err := require(ctx, RoleAdmin, RoleCoordinator); err != nil {
		return SessionAttendance{}, err
	}
	sRec, err := t.db.Get(ctx, store.Sessions, sessionID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return SessionAttendance{}, bsk.NotFoundf("id", "no session %q", sessionID)
	}
	if err != nil {
		return SessionAttendance{}, err
	}
	out := SessionAttendance{Attended: []AttendedRecord{}}
	if out.Session, err = decode[bsk.Session]("session", sRec); err != nil {
		return SessionAttendance{}, err
	}
	oRec, err := t.db.Get(ctx, store.Offerings, sRec.Parent)
	if err != nil {
		return SessionAttendance{}, err
	}
	if out.Offering, err = decode[bsk.Offering]("offering", oRec); err != nil {
		return SessionAttendance{}, err
	}
	err = scanAll(ctx, t.db, store.Attendance, store.Filter{Parent: sessionID}, func(rec store.Record) error {
		a, err := decode[bsk.Attendance]("attendance record", rec)
		if err != nil {
			return err
		}
		r := AttendedRecord{Attendance: a, Name: string(a.ProviderID)}
		pRec, err := t.db.Get(ctx, store.Providers, string(a.ProviderID))
		if err == nil {
			prov, err := decode[bsk.Provider]("provider", pRec)
			if err != nil {
				return err
			}
			r.Name = prov.Name
		} else if bsk.ErrorCode(err) != bsk.CodeNotFound {
			return err
		}
		out.Attended = append(out.Attended, r)
		return nil
	})
	if err != nil {
		return SessionAttendance{}, err
	}
	slices.SortStableFunc(out.Attended, func(a, b AttendedRecord) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ProviderID, b.ProviderID))
	})
	return out, nil
}

// UploadChoices lists the instruments the caller may import responses to:
// every one, for the roles that import ([SurveyEditors]).
//
// Errors: unauthorized for the other roles.
func (s *Surveys) UploadChoices(ctx context.Context) (Page[StoredInstrument], error) {
	if _, err := require(ctx, SurveyEditors()...); err != nil {
		return Page[StoredInstrument]{}, err
	}
	return s.Instruments(ctx)
}
