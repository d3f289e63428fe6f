package service

import (
	"context"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// What the web app's program-year pages read beyond the JSON API: a
// session's attendance sheet, an agency's registrations and waitlist
// notices, and a cycle's reviewed criteria for a reviewer's score form.
// Each applies the access rules of the operation it prepares.

// AttendanceSheet is a session of a group with the members enrolled when
// it meets: what a form recording its attendance lists.
type AttendanceSheet struct {
	Session  bsk.Session  `json:"session"`
	Offering bsk.Offering `json:"offering"`
	// Members are the members enrolled when the session starts, by name.
	Members []RosterMember `json:"members"`
	// Recorded are the members whose attendance of the session is on file.
	Recorded []bsk.ProviderID `json:"recorded"`
}

// AttendanceSheet returns the session and its members for the attendance
// form, under the rule of [Program.RecordAttendance]: staff any session,
// a consultant those of the groups they lead; another session reads as
// one that does not exist.
//
// Errors: not_found, unauthorized.
func (pr *Program) AttendanceSheet(ctx context.Context, sessionID string) (AttendanceSheet, error) {
	p, err := require(ctx, AttendanceRoles...)
	if err != nil {
		return AttendanceSheet{}, err
	}
	notFound := bsk.NotFoundf("id", "no session %q", sessionID)
	var out AttendanceSheet
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		srec, err := tx.Get(ctx, store.Sessions, sessionID)
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return notFound
		}
		if err != nil {
			return err
		}
		if out.Session, err = decode[bsk.Session]("session", srec); err != nil {
			return err
		}
		orec, err := tx.Get(ctx, store.Offerings, string(out.Session.OfferingID))
		if err != nil {
			return err
		}
		if out.Offering, err = decode[bsk.Offering]("offering", orec); err != nil {
			return err
		}
		if !p.IsStaff() && !leads(p, out.Offering) {
			return notFound
		}
		out.Members, out.Recorded = []RosterMember{}, []bsk.ProviderID{}
		err = scanAll(ctx, tx, store.Enrolments, store.Filter{Parent: string(out.Offering.ID)}, func(rec store.Record) error {
			e, err := decode[Enrolment]("enrolment", rec)
			if err != nil || !e.activeAt(out.Session.Starts) {
				return err
			}
			prec, err := tx.Get(ctx, store.Providers, string(e.ProviderID))
			if err != nil {
				return err
			}
			v, err := decode[bsk.Provider]("provider", prec)
			out.Members = append(out.Members, RosterMember{ID: v.ID, Name: v.Name, OrganizationID: v.OrganizationID, Role: v.Role})
			return err
		})
		if err != nil {
			return err
		}
		slices.SortStableFunc(out.Members, func(a, b RosterMember) int {
			return compareStrings(a.Name+"\x00"+string(a.ID), b.Name+"\x00"+string(b.ID))
		})
		return scanAll(ctx, tx, store.Attendance, store.Filter{Parent: sessionID}, func(rec store.Record) error {
			a, err := decode[bsk.Attendance]("attendance record", rec)
			out.Recorded = append(out.Recorded, a.ProviderID)
			return err
		})
	})
	return out, err
}

// StaffRegistrations are the registrations and waitlist notices a caller
// may see across every offering.
type StaffRegistrations struct {
	// Registrations are in the order made.
	Registrations []bsk.Registration `json:"registrations"`
	// Notices are the promotions from a waitlist, newest first.
	Notices []bsk.WaitlistNotice `json:"notices"`
}

// StaffRegistrations lists the registrations and waitlist notices the
// caller may see: an agency its own staff's, staff every one. Errors:
// unauthorized for other roles.
func (t *Trainings) StaffRegistrations(ctx context.Context) (StaffRegistrations, error) {
	p, err := require(ctx, registrants...)
	if err != nil {
		return StaffRegistrations{}, err
	}
	f := store.Filter{}
	if p.Role == RoleAgency {
		f.Org = p.OrganizationID
	}
	out := StaffRegistrations{Registrations: []bsk.Registration{}, Notices: []bsk.WaitlistNotice{}}
	if err := scanAll(ctx, t.db, store.Registrations, f, func(rec store.Record) error {
		g, err := decode[bsk.Registration]("registration", rec)
		out.Registrations = append(out.Registrations, g)
		return err
	}); err != nil {
		return StaffRegistrations{}, err
	}
	if err := scanAll(ctx, t.db, store.WaitlistNotices, f, func(rec store.Record) error {
		n, err := decode[bsk.WaitlistNotice]("waitlist notice", rec)
		out.Notices = append(out.Notices, n)
		return err
	}); err != nil {
		return StaffRegistrations{}, err
	}
	slices.SortStableFunc(out.Registrations, func(a, b bsk.Registration) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return compareStrings(string(a.ID), string(b.ID))
	})
	slices.SortStableFunc(out.Notices, func(a, b bsk.WaitlistNotice) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return compareStrings(string(a.RegistrationID), string(b.RegistrationID))
	})
	return out, nil
}

// ReviewCriterion is a criterion reviewers score, with its scale.
type ReviewCriterion struct {
	Name string  `json:"name"`
	Max  float64 `json:"max,omitempty"`
}

// ReviewCriteria lists the criteria the calling reviewer scores in a
// cycle's program, for the score form. Errors: not_found for the program
// or the cycle, unauthorized for a role other than a reviewer's.
func (s *Scholarships) ReviewCriteria(ctx context.Context, ref CycleRef) ([]ReviewCriterion, error) {
	if _, err := require(ctx, ReviewerRoles...); err != nil {
		return nil, err
	}
	cfg, _, err := s.cycle(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := []ReviewCriterion{}
	for _, w := range cfg.Reviewed {
		out = append(out, ReviewCriterion{Name: w.Name, Max: w.Max})
	}
	return out, nil
}

// Group is a published group as its consultant sees it: the offering,
// its sessions in time order and its members' enrolments, current and
// ended, with their names.
type Group struct {
	Offering bsk.Offering  `json:"offering"`
	Sessions []bsk.Session `json:"sessions"`
	Members  []GroupMember `json:"members"`
}

// GroupMember is a member's enrolment in a group, with their name.
type GroupMember struct {
	RosterMember
	From  time.Time  `json:"from"`
	Until *time.Time `json:"until,omitempty"`
}

// Groups lists the published groups the caller records attendance for:
// a consultant the groups they lead, staff every group; in offering ID
// order. Errors: unauthorized for other roles.
func (pr *Program) Groups(ctx context.Context) ([]Group, error) {
	p, err := require(ctx, AttendanceRoles...)
	if err != nil {
		return nil, err
	}
	out := []Group{}
	at := map[string]int{}
	skip := map[string]bool{}
	people := map[bsk.ProviderID]RosterMember{}
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		return scanAll(ctx, tx, store.Enrolments, store.Filter{}, func(rec store.Record) error {
			if skip[rec.Parent] {
				return nil
			}
			i, ok := at[rec.Parent]
			if !ok {
				orec, err := tx.Get(ctx, store.Offerings, rec.Parent)
				if err != nil {
					return err
				}
				off, err := decode[bsk.Offering]("offering", orec)
				if err != nil {
					return err
				}
				if !p.IsStaff() && !leads(p, off) {
					skip[rec.Parent] = true
					return nil
				}
				g := Group{Offering: off, Sessions: []bsk.Session{}, Members: []GroupMember{}}
				if err := scanAll(ctx, tx, store.Sessions, store.Filter{Parent: rec.Parent}, func(srec store.Record) error {
					s, err := decode[bsk.Session]("session", srec)
					g.Sessions = append(g.Sessions, s)
					return err
				}); err != nil {
					return err
				}
				slices.SortStableFunc(g.Sessions, func(a, b bsk.Session) int { return a.Starts.Compare(b.Starts) })
				i = len(out)
				at[rec.Parent] = i
				out = append(out, g)
			}
			e, err := decode[Enrolment]("enrolment", rec)
			if err != nil {
				return err
			}
			m, ok := people[e.ProviderID]
			if !ok {
				prec, err := tx.Get(ctx, store.Providers, string(e.ProviderID))
				if err != nil {
					return err
				}
				v, err := decode[bsk.Provider]("provider", prec)
				if err != nil {
					return err
				}
				m = RosterMember{ID: v.ID, Name: v.Name, OrganizationID: v.OrganizationID, Role: v.Role}
				people[e.ProviderID] = m
			}
			out[i].Members = append(out[i].Members, GroupMember{RosterMember: m, From: e.From, Until: e.Until})
			return nil
		})
	})
	return out, err
}
