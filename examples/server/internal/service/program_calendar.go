package service

import (
	"context"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// CalendarRoles are the roles that read the program calendar.
var CalendarRoles = []Role{RoleAdmin, RoleCoordinator, RoleAgency}

// Calendar is every session of a month the caller may see.
type Calendar struct {
	// Month is the month, "2026-03".
	Month string `json:"month"`
	// TimeZone is the zone the month is read in.
	TimeZone string `json:"time_zone"`
	// Sessions are the month's sessions, in time then ID order.
	Sessions []CalendarSession `json:"sessions"`
	// Unled are the reflective consultation groups meeting this month
	// without a consultant.
	Unled []bsk.OfferingID `json:"unled"`
}

// CalendarSession is one session with what a coordinator plans it by.
type CalendarSession struct {
	// SessionID is the session.
	SessionID bsk.SessionID `json:"session_id"`
	// OfferingID is its offering.
	OfferingID bsk.OfferingID `json:"offering_id"`
	// Title is the offering's title.
	Title string `json:"title"`
	// Kind is the offering's kind.
	Kind bsk.OfferingKind `json:"kind"`
	// Starts is when it begins (UTC).
	Starts time.Time `json:"starts"`
	// Minutes is how long it lasts.
	Minutes int `json:"minutes"`
	// Leaders are its leaders, with their names.
	Leaders []RosterMember `json:"leaders"`
	// Language is the language it is held in.
	Language bsk.Language `json:"language"`
	// Interpretation lists the languages interpreted.
	Interpretation []bsk.Language `json:"interpretation"`
	// Registrations counts the members enrolled when it meets (for an
	// agency, its own staff only).
	Registrations int `json:"registrations"`
	// Unled is true for a reflective consultation group without a
	// consultant.
	Unled bool `json:"unled,omitempty"`
}

// Calendar lists every session of a month in the offerings the caller may
// see, with its leaders, language, interpretation and registrations, and
// the reflective consultation groups without a consultant.
//
// Errors: invalid (/month, /time_zone), unauthorized.
func (pr *Program) Calendar(ctx context.Context, month, zone string) (Calendar, error) {
	p, err := require(ctx, CalendarRoles...)
	if err != nil {
		return Calendar{}, err
	}
	loc, err := location(zone, "/time_zone")
	if err != nil {
		return Calendar{}, err
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		return Calendar{}, bsk.Errors{bsk.Invalidf("/month", "%q is not a month such as 2026-03", month)}
	}
	out := Calendar{Month: month, TimeZone: loc.String(), Sessions: []CalendarSession{}, Unled: []bsk.OfferingID{}}
	people := map[bsk.ProviderID]RosterMember{}
	person := func(id bsk.ProviderID) (RosterMember, error) {
		if m, ok := people[id]; ok {
			return m, nil
		}
		rec, err := pr.db.Get(ctx, store.Providers, string(id))
		if err != nil {
			return RosterMember{}, err
		}
		v, err := decode[bsk.Provider]("provider", rec)
		m := RosterMember{ID: id, Name: v.Name, OrganizationID: v.OrganizationID, Role: v.Role}
		people[id] = m
		return m, err
	}
	var offs []store.Record
	err = scanAll(ctx, pr.db, store.Offerings, store.Filter{}, func(rec store.Record) error {
		if CanRead(p, store.Offerings, rec) {
			offs = append(offs, rec)
		}
		return nil
	})
	if err != nil {
		return Calendar{}, err
	}
	inMonth, err := sessionsInMonth(ctx, pr.db, month, loc)
	if err != nil {
		return Calendar{}, err
	}
	for _, orec := range offs {
		sessions := inMonth[orec.ID]
		if len(sessions) == 0 {
			continue
		}
		off, err := decode[bsk.Offering]("offering", orec)
		if err != nil {
			return Calendar{}, err
		}
		f := store.Filter{Parent: orec.ID}
		if p.Role == RoleAgency {
			f.Org = p.OrganizationID
		}
		var enrolled []Enrolment
		err = scanAll(ctx, pr.db, store.Enrolments, f, func(rec store.Record) error {
			e, err := decode[Enrolment]("enrolment", rec)
			enrolled = append(enrolled, e)
			return err
		})
		if err != nil {
			return Calendar{}, err
		}
		unled := off.Kind == bsk.OfferingReflectiveConsultation && len(off.Leaders) == 0
		if unled {
			out.Unled = append(out.Unled, off.ID)
		}
		leaders := []RosterMember{}
		for _, id := range off.Leaders {
			m, err := person(id)
			if err != nil {
				return Calendar{}, err
			}
			leaders = append(leaders, m)
		}
		for _, s := range sessions {
			cs := CalendarSession{SessionID: s.ID, OfferingID: off.ID, Title: off.Title, Kind: off.Kind, Starts: s.Starts, Minutes: s.Minutes,
				Leaders: leaders, Language: off.Language, Interpretation: off.Interpretation, Unled: unled}
			if cs.Interpretation == nil {
				cs.Interpretation = []bsk.Language{}
			}
			for _, e := range enrolled {
				if e.activeAt(s.Starts) {
					cs.Registrations++
				}
			}
			out.Sessions = append(out.Sessions, cs)
		}
	}
	slices.SortFunc(out.Sessions, func(a, b CalendarSession) int {
		if c := a.Starts.Compare(b.Starts); c != 0 {
			return c
		}
		return compareStrings(string(a.SessionID), string(b.SessionID))
	})
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
