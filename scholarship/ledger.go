package scholarship

import (
	"slices"
	"sync"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// EntryKind is what a ledger entry records.
type EntryKind string

// The ledger entry kinds.
const (
	// Disbursement pays money for a term.
	Disbursement EntryKind = "disbursement"
	// Completed: the recipient finished the program of study.
	Completed EntryKind = "completed"
	// Withdrew: the recipient left the program of study before finishing.
	Withdrew EntryKind = "withdrew"
	// LeftCounty: the recipient stopped qualifying work in King County.
	LeftCounty EntryKind = "left_county"
	// Repaid records money paid back.
	Repaid EntryKind = "repaid"
)

var entryKinds = []EntryKind{Disbursement, Completed, Withdrew, LeftCounty, Repaid}

// Valid reports whether k is a known entry kind.
func (k EntryKind) Valid() bool { return slices.Contains(entryKinds, k) }

// Enum lists every entry kind code.
func (EntryKind) Enum() []string {
	out := make([]string, len(entryKinds))
	for i, k := range entryKinds {
		out[i] = string(k)
	}
	return out
}

// Entry is one line of the ledger.
type Entry struct {
	// Seq is the entry's position, from 1, set by the ledger.
	Seq int `json:"seq"`
	// ApplicationID is the award the entry belongs to.
	ApplicationID string `json:"application_id"`
	// Kind is what happened.
	Kind EntryKind `json:"kind"`
	// Term names the term a disbursement pays for, e.g. "2026-fall".
	Term string `json:"term,omitempty"`
	// Amount is the money of a disbursement or repayment.
	Amount Cents `json:"amount,omitempty"`
	// At is when it happened (UTC).
	At time.Time `json:"at"`
}

// Ledger is an append-only record of disbursements, status events and
// repayments for a cycle's awards. It is safe for concurrent use.
type Ledger struct {
	mu      sync.Mutex
	awards  map[string]Award
	commit  int
	entries []Entry
}

// NewLedger starts a ledger for an allocation's awards with the cycle's
// service commitment in months.
func NewLedger(c Cycle, al Allocation) *Ledger {
	l := &Ledger{awards: map[string]Award{}, commit: c.CommitmentMonths}
	for _, a := range al.Awards {
		l.awards[a.ApplicationID] = a
	}
	return l
}

// Append adds an entry after checking it against what came before: an
// award that exists, disbursements within the award and only before the
// recipient withdrew or left, at most one completion or withdrawal, events
// in time order, repayments within what is owed. A refused entry changes
// nothing.
func (l *Ledger) Append(e Entry) (Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var p bsk.Problems
	aw, ok := l.awards[e.ApplicationID]
	if !ok {
		return Entry{}, bsk.NotFoundf("application_id", "no award for application %q", e.ApplicationID)
	}
	if !e.Kind.Valid() {
		p.Add("kind", "unknown entry kind %q", e.Kind)
	}
	if e.At.IsZero() {
		p.Add("at", "is required")
	}
	st := l.state(e.ApplicationID, time.Time{})
	if !st.last.IsZero() && e.At.Before(st.last) {
		p.Add("at", "is before the award's previous entry (%s)", st.last.Format(time.RFC3339))
	}
	switch e.Kind {
	case Disbursement:
		switch {
		case e.Amount <= 0:
			p.Add("amount", "a disbursement must be more than 0")
		case addCents(st.disbursed, e.Amount) > aw.Amount:
			p.Add("amount", "disbursing %s would exceed the award of %s (%s disbursed)", e.Amount, aw.Amount, st.disbursed)
		}
		if st.withdrew || st.left || st.completed {
			p.AddCode(bsk.CodeConflict, "kind", "no disbursement after the recipient completed, withdrew or left")
		}
	case Completed, Withdrew:
		if st.completed || st.withdrew {
			p.AddCode(bsk.CodeConflict, "kind", "the award already ended")
		}
		if e.Amount != 0 {
			p.Add("amount", "a status event carries no amount")
		}
	case LeftCounty:
		if st.left {
			p.AddCode(bsk.CodeConflict, "kind", "already recorded as having left")
		}
		if e.Amount != 0 {
			p.Add("amount", "a status event carries no amount")
		}
	case Repaid:
		owed := l.owed(e.ApplicationID, e.At)
		if e.Amount <= 0 || e.Amount > owed.Owed {
			p.Add("amount", "a repayment must be more than 0 and at most the %s owed", owed.Owed)
		}
	}
	if err := p.Err(); err != nil {
		return Entry{}, err
	}
	e.Seq = len(l.entries) + 1
	e.At = e.At.UTC()
	l.entries = append(l.entries, e)
	return e, nil
}

// Entries returns a copy of every entry, in order.
func (l *Ledger) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

type awardState struct {
	disbursed, repaid         Cents
	completed, withdrew, left bool
	completedAt, leftAt, last time.Time
}

func (l *Ledger) state(id string, asOf time.Time) awardState {
	var s awardState
	for _, e := range l.entries {
		if e.ApplicationID != id || (!asOf.IsZero() && e.At.After(asOf)) {
			continue
		}
		s.last = e.At
		switch e.Kind {
		case Disbursement:
			s.disbursed += e.Amount
		case Repaid:
			s.repaid += e.Amount
		case Completed:
			s.completed, s.completedAt = true, e.At
		case Withdrew:
			s.withdrew = true
		case LeftCounty:
			s.left, s.leftAt = true, e.At
		}
	}
	return s
}

// Repayment is what a recipient owes back, and why.
type Repayment struct {
	ApplicationID string `json:"application_id"`
	Disbursed     Cents  `json:"disbursed"`
	Repaid        Cents  `json:"repaid"`
	// Owed is what is still to be repaid, never more than Disbursed - Repaid.
	Owed Cents `json:"owed"`
	// UnmetMonths is the part of the service commitment not served.
	UnmetMonths int `json:"unmet_months"`
	// Code says why: "none", "withdrew", "left_before_commitment_met",
	// "left_before_completion".
	Code string `json:"code"`
}

// Owed computes the repayment owed as of a time. A recipient who withdrew,
// or left the county before completing, owes everything disbursed; one who
// left after completing owes the disbursed amount prorated by the unmet
// months of the service commitment (rounded down, in the recipient's
// favor); repayments reduce what is owed.
func (l *Ledger) Owed(applicationID string, asOf time.Time) Repayment {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.owed(applicationID, asOf)
}

func (l *Ledger) owed(id string, asOf time.Time) Repayment {
	s := l.state(id, asOf)
	r := Repayment{ApplicationID: id, Disbursed: s.disbursed, Repaid: s.repaid, Code: "none"}
	var due Cents
	switch {
	case s.withdrew:
		due, r.Code, r.UnmetMonths = s.disbursed, "withdrew", l.commit
	case s.left && !s.completed:
		due, r.Code, r.UnmetMonths = s.disbursed, "left_before_completion", l.commit
	case s.left && s.completed && l.commit > 0:
		served := monthsBetween(s.completedAt, s.leftAt)
		if unmet := l.commit - served; unmet > 0 {
			r.UnmetMonths = unmet
			// disbursed * unmet / commit without overflow for any amount within MaxAmount.
			due = Cents(int64(s.disbursed) / int64(l.commit) * int64(unmet))
			due += Cents(int64(s.disbursed) % int64(l.commit) * int64(unmet) / int64(l.commit))
			r.Code = "left_before_commitment_met"
		}
	}
	r.Owed = max(0, min(due, s.disbursed)-s.repaid)
	return r
}

// monthsBetween counts whole calendar months from a to b.
func monthsBetween(a, b time.Time) int {
	if b.Before(a) {
		return 0
	}
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return max(0, m)
}
