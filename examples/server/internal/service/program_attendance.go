package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// AttendanceRoles are the roles that record a group's attendance: staff
// for any group, a consultant for the groups they lead.
var AttendanceRoles = []Role{RoleAdmin, RoleCoordinator, RoleConsultant}

// EnrolmentRoles are the roles that list enrolments, each within its scope.
var EnrolmentRoles = []Role{RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant}

// GroupAttendance is who attended one session of a group.
type GroupAttendance struct {
	// Attended lists the members who came.
	Attended []Attendee `json:"attended"`
}

// Attendee is one member at a session.
type Attendee struct {
	// ProviderID is the member.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// Hours is the time they attended, more than 0 and at most the
	// session's length; 0 means the whole session.
	Hours float64 `json:"hours,omitempty" jsonschema:"minimum=0,maximum=24"`
}

// leads reports whether p leads off: a consultant among its leaders.
func leads(p Principal, off bsk.Offering) bool {
	return p.Role == RoleConsultant && p.ProviderID != "" && slices.Contains(off.Leaders, bsk.ProviderID(p.ProviderID))
}

// RecordAttendance records who attended a session of a group, in one
// transaction: each member must be enrolled in the group when the session
// starts, and their hours, the session's kind of credit, are at most its
// length. A consultant records only the sessions of the groups they lead;
// another session reads as one that does not exist.
//
// Errors: not_found (a session the caller may not record), invalid
// (naming /attended/<i>/provider_id or /attended/<i>/hours), conflict (a
// member's attendance of the session is on file), unauthorized.
func (pr *Program) RecordAttendance(ctx context.Context, sessionID string, in GroupAttendance) ([]bsk.Attendance, error) {
	p, err := require(ctx, AttendanceRoles...)
	if err != nil {
		return nil, err
	}
	notFound := bsk.NotFoundf("id", "no session %q", sessionID)
	if len(in.Attended) == 0 || len(in.Attended) > 1000 {
		return nil, bsk.Errors{bsk.Invalidf("/attended", "lists %d members; record 1 to 1000", len(in.Attended))}
	}
	var out []bsk.Attendance
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		srec, err := tx.Get(ctx, store.Sessions, sessionID)
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return notFound
		}
		if err != nil {
			return err
		}
		sess, err := decode[bsk.Session]("session", srec)
		if err != nil {
			return err
		}
		orec, err := tx.Get(ctx, store.Offerings, string(sess.OfferingID))
		if err != nil {
			return err
		}
		off, err := decode[bsk.Offering]("offering", orec)
		if err != nil {
			return err
		}
		if !p.IsStaff() && !leads(p, off) {
			return notFound
		}
		enrolled := map[bsk.ProviderID]bool{}
		err = scanAll(ctx, tx, store.Enrolments, store.Filter{Parent: string(off.ID)}, func(rec store.Record) error {
			e, err := decode[Enrolment]("enrolment", rec)
			if err == nil && e.activeAt(sess.Starts) {
				enrolled[e.ProviderID] = true
			}
			return err
		})
		if err != nil {
			return err
		}
		var problems bsk.Problems
		full := float64(sess.Minutes) / 60
		seen := map[bsk.ProviderID]bool{}
		for i, a := range in.Attended {
			f := fmt.Sprintf("/attended/%d", i)
			switch {
			case !enrolled[a.ProviderID]:
				problems.Add(f+"/provider_id", "%q is not a member of %q when session %q meets", a.ProviderID, off.ID, sess.ID)
				continue
			case seen[a.ProviderID]:
				problems.AddCode(bsk.CodeConflict, f+"/provider_id", "%q is listed twice", a.ProviderID)
				continue
			case a.Hours < 0 || a.Hours > full:
				problems.Add(f+"/hours", "%g is outside 0 to the session's %g hours", a.Hours, full)
				continue
			}
			seen[a.ProviderID] = true
			at := bsk.Attendance{SessionID: sess.ID, ProviderID: a.ProviderID, Hours: a.Hours, Credit: off.Kind.Credit()}
			if at.Hours == 0 {
				at.Hours = full
			}
			problems.Merge(f, at.Validate())
			out = append(out, at)
		}
		if err := problems.Err(); err != nil {
			return err
		}
		for i, at := range out {
			prov, err := tx.Get(ctx, store.Providers, string(at.ProviderID))
			if err != nil {
				return err
			}
			doc, err := encode("attendance record", at)
			if err != nil {
				return err
			}
			id := AttendanceID(at)
			err = tx.Insert(ctx, store.Attendance, store.Record{ID: id, Org: prov.Org, Parent: string(sess.ID), Doc: doc})
			if bsk.ErrorCode(err) == bsk.CodeConflict {
				return bsk.Errors{&bsk.Error{Code: bsk.CodeConflict, Field: fmt.Sprintf("/attended/%d/provider_id", i),
					Message: fmt.Sprintf("the attendance of %q at session %q is already recorded", at.ProviderID, sess.ID)}}
			}
			if err != nil {
				return err
			}
			if err := tx.Audit(ctx, p.KeyID, "create", "attendance record", id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EnrolmentQuery narrows a listing of enrolments.
type EnrolmentQuery struct {
	// OfferingID keeps one group's enrolments.
	OfferingID string
}

// Enrolments lists enrolments, current and ended, in ID order: staff see
// every one, an agency its own staff's, a consultant those of the groups
// they lead.
//
// Errors: unauthorized.
func (pr *Program) Enrolments(ctx context.Context, q EnrolmentQuery) ([]Enrolment, error) {
	p, err := require(ctx, EnrolmentRoles...)
	if err != nil {
		return nil, err
	}
	f := store.Filter{Parent: q.OfferingID}
	if p.Role == RoleAgency {
		f.Org = p.OrganizationID
	}
	led := map[string]bool{}
	out := []Enrolment{}
	err = scanAll(ctx, pr.db, store.Enrolments, f, func(rec store.Record) error {
		if p.Role == RoleConsultant {
			ok, seen := led[rec.Parent]
			if !seen {
				orec, err := pr.db.Get(ctx, store.Offerings, rec.Parent)
				if err != nil {
					return err
				}
				off, err := decode[bsk.Offering]("offering", orec)
				if err != nil {
					return err
				}
				ok = leads(p, off)
				led[rec.Parent] = ok
			}
			if !ok {
				return nil
			}
		}
		e, err := decode[Enrolment]("enrolment", rec)
		out = append(out, e)
		return err
	})
	return out, err
}
