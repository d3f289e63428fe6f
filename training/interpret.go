package training

import (
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// InterpretOptions configure [Catalog.PlanInterpretation]. The zero value
// works.
type InterpretOptions struct {
	// DeadlineDays is how many days before a session interpreters must be
	// booked; 0 means 14. The source documents give no figure.
	DeadlineDays int `json:"deadline_days,omitempty"`
	// TeamMinutes is the longest session one interpreter covers alone; a
	// longer one needs a team of two per language (spoken and signed
	// interpreters work in pairs on long assignments). 0 means 120. The
	// source documents give no figure.
	TeamMinutes int `json:"team_minutes,omitempty"`
}

func (o InterpretOptions) withDefaults() InterpretOptions {
	if o.DeadlineDays <= 0 {
		o.DeadlineDays = 14
	}
	if o.TeamMinutes <= 0 {
		o.TeamMinutes = 120
	}
	return o
}

// NeedsInterpreter returns the language a registrant needs interpreted
// into for a session held in lang, or "" when none: the language the
// registration asks for, unless it is the session's; otherwise, for a
// provider who does not work in the session's language, the first
// language they list. A Spanish-language session needs no Spanish
// interpreter; a Deaf provider who asks for ASL ("ase") gets one.
func NeedsInterpreter(reg bsk.Registration, p bsk.Provider, lang bsk.Language) bsk.Language {
	switch {
	case reg.Interpretation == lang:
		return ""
	case reg.Interpretation != "":
		return reg.Interpretation
	case p.Speaks(lang) || len(p.Languages) == 0:
		return ""
	}
	return p.Languages[0]
}

// PlanInterpretation returns the interpreters to book, one booking per
// session and language: who needs it (the registrations holding a seat;
// the waitlisted are planned once promoted), how many interpreters (two
// past TeamMinutes), and the day to book by. A registration for the whole
// offering needs its every session; one for a session, that session.
// Bookings are ordered by session start, session ID, then language.
// Errors: a registration naming an unknown offering, session or provider
// ([bsk.CodeNotFound], its field prefixed by "registrations[i]").
func (c *Catalog) PlanInterpretation(regs []bsk.Registration, opts InterpretOptions) ([]bsk.InterpreterBooking, error) {
	opts = opts.withDefaults()
	type key struct {
		s bsk.SessionID
		l bsk.Language
	}
	need := map[key][]bsk.ProviderID{}
	var p bsk.Problems
	for i, reg := range regs {
		if reg.Status != bsk.RegistrationRegistered {
			continue
		}
		f := bsk.Index("registrations", i)
		prov, ok := c.Provider(reg.ProviderID)
		if !ok {
			p.AddCode(bsk.CodeNotFound, bsk.JoinField(f, "provider_id"), "unknown provider %q", reg.ProviderID)
			continue
		}
		off, ok := c.Offering(reg.OfferingID)
		if !ok {
			p.AddCode(bsk.CodeNotFound, bsk.JoinField(f, "offering_id"), "unknown offering %q", reg.OfferingID)
			continue
		}
		lang := NeedsInterpreter(reg, prov, off.Language)
		if lang == "" {
			continue
		}
		sessions := c.byOffering[off.ID]
		if reg.SessionID != "" {
			i, ok := c.sessions[reg.SessionID]
			if !ok || c.w.Sessions[i].OfferingID != off.ID {
				p.AddCode(bsk.CodeNotFound, bsk.JoinField(f, "session_id"), "offering %q has no session %q", off.ID, reg.SessionID)
				continue
			}
			sessions = []int{i}
		}
		for _, si := range sessions {
			k := key{c.w.Sessions[si].ID, lang}
			need[k] = append(need[k], reg.ProviderID)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := make([]bsk.InterpreterBooking, 0, len(need))
	for k, who := range need {
		s, _ := c.Session(k.s)
		slices.Sort(who)
		n := 1
		if s.Minutes > opts.TeamMinutes {
			n = 2
		}
		out = append(out, bsk.InterpreterBooking{SessionID: k.s, Language: k.l, Interpreters: n,
			Registrants: slices.Compact(who), BookBy: s.Starts.AddDate(0, 0, -opts.DeadlineDays).Truncate(24 * time.Hour)})
	}
	slices.SortFunc(out, func(a, b bsk.InterpreterBooking) int {
		sa, _ := c.Session(a.SessionID)
		sb, _ := c.Session(b.SessionID)
		if x := sa.Starts.Compare(sb.Starts); x != 0 {
			return x
		}
		if x := strings.Compare(string(a.SessionID), string(b.SessionID)); x != 0 {
			return x
		}
		return strings.Compare(string(a.Language), string(b.Language))
	})
	return out, nil
}

// ChangeKind is what changed in a booking between two plans.
type ChangeKind string

// The change kinds.
const (
	// ChangeBook: a new booking to make.
	ChangeBook ChangeKind = "book"
	// ChangeCancel: a booking no longer needed.
	ChangeCancel ChangeKind = "cancel"
	// ChangeUpdate: the same session and language with other registrants
	// or another number of interpreters.
	ChangeUpdate ChangeKind = "update"
)

// BookingChange is one line of the change list between two plans.
type BookingChange struct {
	// Kind is what changed.
	Kind ChangeKind `json:"kind"`
	// SessionID and Language name the booking.
	SessionID bsk.SessionID `json:"session_id"`
	Language  bsk.Language  `json:"language"`
	// Before and After are the interpreters booked before and after.
	Before int `json:"before"`
	After  int `json:"after"`
	// Added and Removed list the registrants who now need, or no longer
	// need, the interpretation.
	Added   []bsk.ProviderID `json:"added,omitempty"`
	Removed []bsk.ProviderID `json:"removed,omitempty"`
	// BookBy is the booking's deadline (of the plan after, or before for a
	// cancellation).
	BookBy time.Time `json:"book_by"`
}

// Changes lists what changed from one plan to the next, when registrations
// change: bookings to make, to cancel, and to update, in the order of the
// plans (after's order, then cancellations in before's order).
func Changes(before, after []bsk.InterpreterBooking) []BookingChange {
	type key struct {
		s bsk.SessionID
		l bsk.Language
	}
	old := make(map[key]bsk.InterpreterBooking, len(before))
	for _, b := range before {
		old[key{b.SessionID, b.Language}] = b
	}
	seen := map[key]bool{}
	out := []BookingChange{}
	for _, a := range after {
		k := key{a.SessionID, a.Language}
		seen[k] = true
		b, ok := old[k]
		if !ok {
			out = append(out, BookingChange{Kind: ChangeBook, SessionID: a.SessionID, Language: a.Language, After: a.Interpreters,
				Added: slices.Clone(a.Registrants), BookBy: a.BookBy})
			continue
		}
		added, removed := diffIDs(b.Registrants, a.Registrants)
		if len(added) == 0 && len(removed) == 0 && a.Interpreters == b.Interpreters && a.BookBy.Equal(b.BookBy) {
			continue
		}
		out = append(out, BookingChange{Kind: ChangeUpdate, SessionID: a.SessionID, Language: a.Language, Before: b.Interpreters,
			After: a.Interpreters, Added: added, Removed: removed, BookBy: a.BookBy})
	}
	for _, b := range before {
		if k := (key{b.SessionID, b.Language}); !seen[k] {
			seen[k] = true
			out = append(out, BookingChange{Kind: ChangeCancel, SessionID: b.SessionID, Language: b.Language, Before: b.Interpreters,
				Removed: slices.Clone(b.Registrants), BookBy: b.BookBy})
		}
	}
	return out
}

// diffIDs returns the IDs in b not in a, and in a not in b.
func diffIDs(a, b []bsk.ProviderID) (added, removed []bsk.ProviderID) {
	for _, x := range b {
		if !slices.Contains(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}
