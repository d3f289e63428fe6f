package training

import (
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Roster holds the registrations of one offering, or of one session of it,
// with its capacity and waitlist: a registration takes a seat while one is
// free and waits otherwise; a cancellation that frees a seat promotes the
// first on the waitlist (the earliest registered), with a
// [bsk.WaitlistNotice]. The seats held never exceed the capacity, and no
// one waits while a seat is free. A session's roster does not count the
// registrations for the whole offering: an offering that takes both sets
// each session's capacity to what those leave. A Roster is not safe for
// concurrent use.
type Roster struct {
	offering bsk.OfferingID
	session  bsk.SessionID
	capacity int
	regs     []bsk.Registration // in waitlist order: At, then arrival
	byID     map[bsk.RegistrationID]int
	notices  []bsk.WaitlistNotice
}

// NewRoster returns the roster of offering o, or of its session s when s is
// set, with capacity o.Capacity (0: no limit), holding the registrations
// given: a roster stored earlier and read back. Each must validate, be for
// the same offering and session, and the whole must keep the roster's
// rules: no provider twice among registered and waitlisted (a
// [bsk.CodeConflict]), no more seats held than the capacity and no one
// waiting while a seat is free (each a [bsk.CodeInvalid] naming the
// registration).
func NewRoster(o bsk.Offering, s bsk.SessionID, regs ...bsk.Registration) (*Roster, error) {
	r := &Roster{offering: o.ID, session: s, capacity: o.Capacity, byID: map[bsk.RegistrationID]int{}}
	var p bsk.Problems
	sorted := slices.Clone(regs)
	slices.SortStableFunc(sorted, func(a, b bsk.Registration) int { return a.At.Compare(b.At) })
	active := map[bsk.ProviderID]bool{}
	held, waiting := 0, 0
	for _, reg := range sorted {
		f := bsk.Index("registrations", slices.IndexFunc(regs, func(x bsk.Registration) bool { return x.ID == reg.ID }))
		if err := reg.Validate(); err != nil {
			p.Merge(f, err)
			continue
		}
		if reg.OfferingID != o.ID || reg.SessionID != s {
			p.Add(f, "registration %q is for %s %s, not this roster's %s %s", reg.ID, reg.OfferingID, reg.SessionID, o.ID, s)
			continue
		}
		if _, dup := r.byID[reg.ID]; dup {
			p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "id"), "duplicate registration id %q", reg.ID)
			continue
		}
		if reg.Status != bsk.RegistrationCancelled {
			if active[reg.ProviderID] {
				p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "provider_id"), "provider %q is registered twice", reg.ProviderID)
				continue
			}
			active[reg.ProviderID] = true
		}
		switch reg.Status {
		case bsk.RegistrationRegistered:
			held++
			if r.capacity > 0 && held > r.capacity {
				p.Add(bsk.JoinField(f, "status"), "registration %q holds seat %d of %d", reg.ID, held, r.capacity)
			}
		case bsk.RegistrationWaitlisted:
			waiting++
		}
		r.byID[reg.ID] = len(r.regs)
		r.regs = append(r.regs, reg)
	}
	if waiting > 0 && (r.capacity == 0 || held < r.capacity) {
		p.Add("registrations", "%d wait while %d of %d seats are held", waiting, held, r.capacity)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// Capacity returns the most seats the roster holds; 0 means no limit.
func (r *Roster) Capacity() int { return r.capacity }

// Register adds reg, which takes a seat when one is free and waits
// otherwise; its Status is set, whatever it held, and returned. Errors: an
// invalid registration or one for another offering or session
// ([bsk.CodeInvalid]); a registration ID already used, or a provider
// already registered or waiting ([bsk.CodeConflict]); a registration made
// before the latest one ([bsk.CodeInvalid]: the waitlist is in time order).
func (r *Roster) Register(reg bsk.Registration) (bsk.Registration, error) {
	reg.Status = bsk.RegistrationWaitlisted
	if err := reg.Validate(); err != nil {
		return bsk.Registration{}, err
	}
	if reg.OfferingID != r.offering || reg.SessionID != r.session {
		return bsk.Registration{}, bsk.Invalidf("offering_id", "registration for %s %s on the roster of %s %s", reg.OfferingID, reg.SessionID, r.offering, r.session)
	}
	if _, dup := r.byID[reg.ID]; dup {
		return bsk.Registration{}, &bsk.Error{Code: bsk.CodeConflict, Field: "id", Message: "registration id " + string(reg.ID) + " is already used"}
	}
	if i := r.active(reg.ProviderID); i >= 0 {
		return bsk.Registration{}, &bsk.Error{Code: bsk.CodeConflict, Field: "provider_id",
			Message: "provider " + string(reg.ProviderID) + " is already " + string(r.regs[i].Status) + " (registration " + string(r.regs[i].ID) + ")"}
	}
	if n := len(r.regs); n > 0 && reg.At.Before(r.regs[n-1].At) {
		return bsk.Registration{}, bsk.Invalidf("at", "%s is before the latest registration (%s)", reg.At.Format(time.RFC3339), r.regs[n-1].At.Format(time.RFC3339))
	}
	if r.capacity == 0 || r.held() < r.capacity {
		reg.Status = bsk.RegistrationRegistered
	}
	r.byID[reg.ID] = len(r.regs)
	r.regs = append(r.regs, reg)
	return reg, nil
}

// Cancel withdraws the registration id at time at. When it held a seat,
// the first on the waitlist takes it, and the notice of that promotion is
// returned (and kept, see [Roster.Notices]). Errors: no such registration
// ([bsk.CodeNotFound]); one already cancelled ([bsk.CodeConflict]).
func (r *Roster) Cancel(id bsk.RegistrationID, at time.Time) ([]bsk.WaitlistNotice, error) {
	i, ok := r.byID[id]
	if !ok {
		return nil, bsk.NotFoundf("registration_id", "no registration %q on this roster", id)
	}
	if r.regs[i].Status == bsk.RegistrationCancelled {
		return nil, &bsk.Error{Code: bsk.CodeConflict, Field: "registration_id", Message: "registration " + string(id) + " is already cancelled"}
	}
	freed := r.regs[i].Status == bsk.RegistrationRegistered
	r.regs[i].Status = bsk.RegistrationCancelled
	if !freed {
		return nil, nil
	}
	return r.promote(id, at), nil
}

// SetCapacity changes the capacity to n (0: no limit) at time at; seats
// freed by a raise go to the waitlist in order, with their notices.
// Errors: a negative n, or one below the seats held ([bsk.CodeConflict]:
// cancel registrations first; no one loses a seat to a lowered capacity).
func (r *Roster) SetCapacity(n int, at time.Time) ([]bsk.WaitlistNotice, error) {
	if n < 0 {
		return nil, bsk.Invalidf("capacity", "%d is negative", n)
	}
	if n > 0 && n < r.held() {
		return nil, &bsk.Error{Code: bsk.CodeConflict, Field: "capacity", Message: "capacity " + itoa(n) + " is below the " + itoa(r.held()) + " seats held"}
	}
	r.capacity = n
	return r.promote("", at), nil
}

// promote gives free seats to the waitlist in order.
func (r *Roster) promote(freedBy bsk.RegistrationID, at time.Time) []bsk.WaitlistNotice {
	var out []bsk.WaitlistNotice
	held := r.held()
	pos := 0
	for i := range r.regs {
		if r.capacity > 0 && held >= r.capacity {
			break
		}
		if r.regs[i].Status != bsk.RegistrationWaitlisted {
			continue
		}
		pos++
		r.regs[i].Status = bsk.RegistrationRegistered
		held++
		n := bsk.WaitlistNotice{RegistrationID: r.regs[i].ID, OfferingID: r.offering, SessionID: r.session,
			ProviderID: r.regs[i].ProviderID, Position: pos, FreedBy: freedBy, At: at}
		out = append(out, n)
		// Each later promotion of one batch counts its position on the
		// waitlist as it stood before the batch.
	}
	r.notices = append(r.notices, out...)
	return out
}

func (r *Roster) held() int {
	n := 0
	for _, g := range r.regs {
		if g.Status == bsk.RegistrationRegistered {
			n++
		}
	}
	return n
}

// active returns the index of the provider's registration that is not
// cancelled, or -1.
func (r *Roster) active(p bsk.ProviderID) int {
	return slices.IndexFunc(r.regs, func(g bsk.Registration) bool {
		return g.ProviderID == p && g.Status != bsk.RegistrationCancelled
	})
}

// Registrations returns every registration, cancelled ones included, in
// the order made.
func (r *Roster) Registrations() []bsk.Registration { return slices.Clone(r.regs) }

// Registered returns the registrations holding a seat, in the order made.
func (r *Roster) Registered() []bsk.Registration { return r.with(bsk.RegistrationRegistered) }

// Waitlist returns the waiting registrations, first to be promoted first.
func (r *Roster) Waitlist() []bsk.Registration { return r.with(bsk.RegistrationWaitlisted) }

// Notices returns every promotion notice so far, in order.
func (r *Roster) Notices() []bsk.WaitlistNotice { return slices.Clone(r.notices) }

func (r *Roster) with(s bsk.RegistrationStatus) []bsk.Registration {
	out := []bsk.Registration{}
	for _, g := range r.regs {
		if g.Status == s {
			out = append(out, g)
		}
	}
	return out
}
