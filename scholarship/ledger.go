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
	// FailedCourse: the recipient failed a course the scholarship paid
	// for; Amount is what it paid for the course, owed back in full
	// (T.E.A.C.H.).
	FailedCourse EntryKind = "failed_course"
	// LeftEmployer: the recipient left the sponsoring employer. It breaks
	// a commitment to the employer ([CommitToEmployer]) and forfeits an
	// incentive not yet earned; under a commitment to the county it owes
	// nothing by itself.
	LeftEmployer EntryKind = "left_employer"
	// IncentivePaid records a completion incentive or bonus paid
	// ([Ledger.Incentive]).
	IncentivePaid EntryKind = "incentive_paid"
)

var entryKinds = []EntryKind{Disbursement, Completed, Withdrew, LeftCounty, Repaid, FailedCourse, LeftEmployer, IncentivePaid}

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

// Commitment is whom a recipient owes service after completing.
type Commitment string

// The commitments.
const (
	// CommitToCounty: qualifying work anywhere in King County. The default.
	CommitToCounty Commitment = "county"
	// CommitToEmployer: the sponsoring employer (T.E.A.C.H.'s 12 months);
	// leaving the employer breaks it as leaving the county does.
	CommitToEmployer Commitment = "employer"
)

// Valid reports whether c is a known commitment.
func (c Commitment) Valid() bool { return c == CommitToCounty || c == CommitToEmployer }

// Enum lists every commitment code.
func (Commitment) Enum() []string { return []string{string(CommitToCounty), string(CommitToEmployer)} }

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
	// Amount is the money of a disbursement, repayment, failed course or
	// incentive payment.
	Amount Cents `json:"amount,omitempty"`
	// At is when it happened (UTC).
	At time.Time `json:"at"`
}

// Ledger is an append-only record of disbursements, status events and
// repayments for a cycle's awards. It is safe for concurrent use.
type Ledger struct {
	mu       sync.Mutex
	awards   map[string]Award
	commit   int
	employer bool
	bonus    Cents
	bonusAft int
	entries  []Entry
}

// NewLedger starts a ledger for an allocation's awards with the cycle's
// service commitment (months, and to whom) and completion incentive.
func NewLedger(c Cycle, al Allocation) *Ledger {
	l := &Ledger{awards: map[string]Award{}, commit: c.CommitmentMonths, employer: c.CommitmentTo == CommitToEmployer,
		bonus: c.CompletionIncentive, bonusAft: c.IncentiveAfterMonths}
	for _, a := range al.Awards {
		l.awards[a.ApplicationID] = a
	}
	return l
}

// Append adds an entry after checking it against the award's history: an
// award that exists, disbursements within the award and not dated after
// the recipient completed, withdrew or left, at most one completion or
// withdrawal, failed courses within the award (what is owed for them never
// exceeds what was disbursed), repayments within
// what is owed and incentive payments within what is due at the entry's
// time. Entries may be appended in any order (a late report of an earlier
// event); the ledger reads them in time order. A refused entry changes
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
	all := l.state(e.ApplicationID, time.Time{})
	ended := (all.completed && all.completedAt.Before(e.At)) || (all.withdrew && all.withdrewAt.Before(e.At)) || (all.left && all.leftAt.Before(e.At))
	noAmount := func() {
		if e.Amount != 0 {
			p.Add("amount", "a status event carries no amount")
		}
	}
	switch e.Kind {
	case Disbursement:
		switch {
		case e.Amount <= 0:
			p.Add("amount", "a disbursement must be more than 0")
		case addCents(all.disbursed, e.Amount) > aw.Amount:
			p.Add("amount", "disbursing %s would exceed the award of %s (%s disbursed)", e.Amount, aw.Amount, all.disbursed)
		}
		if ended {
			p.AddCode(bsk.CodeConflict, "kind", "no disbursement after the recipient completed, withdrew or left")
		}
	case Completed, Withdrew:
		if all.completed || all.withdrew {
			p.AddCode(bsk.CodeConflict, "kind", "the award already ended")
		}
		if all.lastDisbursed.After(e.At) {
			p.AddCode(bsk.CodeConflict, "at", "money was disbursed after this (%s)", all.lastDisbursed.Format(time.RFC3339))
		}
		noAmount()
	case LeftCounty:
		if all.left {
			p.AddCode(bsk.CodeConflict, "kind", "already recorded as having left")
		}
		if all.lastDisbursed.After(e.At) {
			p.AddCode(bsk.CodeConflict, "at", "money was disbursed after this (%s)", all.lastDisbursed.Format(time.RFC3339))
		}
		noAmount()
	case LeftEmployer:
		if all.leftEmployer {
			p.AddCode(bsk.CodeConflict, "kind", "already recorded as having left the employer")
		}
		noAmount()
	case FailedCourse:
		switch {
		case e.Amount <= 0:
			p.Add("amount", "a failed course's cost must be more than 0")
		case addCents(all.failed, e.Amount) > aw.Amount:
			p.Add("amount", "failed courses of %s would exceed the award of %s", addCents(all.failed, e.Amount), aw.Amount)
		}
	case Repaid:
		owed := l.owed(e.ApplicationID, e.At)
		if e.Amount <= 0 || e.Amount > owed.Owed {
			p.Add("amount", "a repayment must be more than 0 and at most the %s owed", owed.Owed)
		}
	case IncentivePaid:
		inc := l.incentive(e.ApplicationID, e.At)
		if e.Amount <= 0 || e.Amount > inc.Due {
			p.Add("amount", "an incentive payment must be more than 0 and at most the %s due (%s)", inc.Due, inc.Code)
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

// Entries returns a copy of every entry, in the order appended.
func (l *Ledger) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

type awardState struct {
	disbursed, repaid, failed, incentive    Cents
	completed, withdrew, left, leftEmployer bool
	completedAt, withdrewAt, leftAt         time.Time
	leftEmployerAt, lastDisbursed           time.Time
}

// state folds the award's entries up to asOf (all when zero) in time
// order, whatever order they were appended in.
func (l *Ledger) state(id string, asOf time.Time) awardState {
	var mine []Entry
	for _, e := range l.entries {
		if e.ApplicationID == id && (asOf.IsZero() || !e.At.After(asOf)) {
			mine = append(mine, e)
		}
	}
	slices.SortStableFunc(mine, func(a, b Entry) int { return a.At.Compare(b.At) })
	var s awardState
	for _, e := range mine {
		switch e.Kind {
		case Disbursement:
			s.disbursed += e.Amount
			s.lastDisbursed = e.At
		case Repaid:
			s.repaid += e.Amount
		case FailedCourse:
			s.failed += e.Amount
		case IncentivePaid:
			s.incentive += e.Amount
		case Completed:
			if !s.withdrew {
				s.completed, s.completedAt = true, e.At
			}
		case Withdrew:
			if !s.completed {
				s.withdrew, s.withdrewAt = true, e.At
			}
		case LeftCounty:
			s.left, s.leftAt = true, e.At
		case LeftEmployer:
			s.leftEmployer, s.leftEmployerAt = true, e.At
		}
	}
	return s
}

// stopped is when the recipient stopped the service that counts: left
// the county or (when employer is true) the employer, the earlier; zero
// when they have not.
func (s awardState) stopped(employer bool) time.Time {
	var at time.Time
	if s.left {
		at = s.leftAt
	}
	if employer && s.leftEmployer && (at.IsZero() || s.leftEmployerAt.Before(at)) {
		at = s.leftEmployerAt
	}
	return at
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
	// FailedCourses is what the scholarship paid for courses failed.
	FailedCourses Cents `json:"failed_courses,omitempty"`
	// Code says why: "none", "withdrew", "left_before_completion",
	// "left_before_commitment_met", or "failed_course" when failed courses
	// are the only reason.
	Code string `json:"code"`
}

// Owed computes the repayment owed as of a time, from the award's events
// in time order, whatever order they were recorded in. A recipient who
// withdrew, or stopped the committed service (left the county, or the
// sponsoring employer under [CommitToEmployer]) before completing, owes
// everything disbursed; one who stopped after completing owes what was
// disbursed for courses passed, prorated by the unmet months of the
// service commitment (rounded down, in the recipient's favor). What the
// scholarship paid for failed courses is owed in full. Repayments reduce
// what is owed.
func (l *Ledger) Owed(applicationID string, asOf time.Time) Repayment {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.owed(applicationID, asOf)
}

func (l *Ledger) owed(id string, asOf time.Time) Repayment {
	s := l.state(id, asOf)
	r := Repayment{ApplicationID: id, Disbursed: s.disbursed, Repaid: s.repaid, FailedCourses: s.failed, Code: "none"}
	stop := s.stopped(l.employer)
	passed := max(0, s.disbursed-s.failed)
	var due Cents
	switch {
	case s.withdrew:
		due, r.Code, r.UnmetMonths = passed, "withdrew", l.commit
	case !stop.IsZero() && (!s.completed || stop.Before(s.completedAt)):
		due, r.Code, r.UnmetMonths = passed, "left_before_completion", l.commit
	case !stop.IsZero() && l.commit > 0:
		served := monthsBetween(s.completedAt, stop)
		if unmet := l.commit - served; unmet > 0 {
			r.UnmetMonths = unmet
			// passed * unmet / commit without overflow for any amount within MaxAmount.
			due = Cents(int64(passed) / int64(l.commit) * int64(unmet))
			due += Cents(int64(passed) % int64(l.commit) * int64(unmet) / int64(l.commit))
			r.Code = "left_before_commitment_met"
		}
	}
	if due == 0 && s.failed > 0 {
		r.Code = "failed_course"
	}
	due += s.failed
	r.Owed = max(0, min(due, s.disbursed)-s.repaid)
	return r
}

// Incentive is a completion incentive (a bonus or raise in return for
// months more with the sponsoring employer), and where it stands.
type Incentive struct {
	ApplicationID string `json:"application_id"`
	// Amount is the incentive the cycle offers.
	Amount Cents `json:"amount"`
	// Paid is what has been paid of it.
	Paid Cents `json:"paid"`
	// Due is what is payable now.
	Due Cents `json:"due"`
	// MonthsServed counts whole months with the employer since completion.
	MonthsServed int `json:"months_served"`
	// Code says where it stands: "none" (the cycle offers none),
	// "not_completed", "serving" (months still to serve), "due", "paid",
	// or "forfeited" (withdrew, or left the employer or the county before
	// the months were served).
	Code string `json:"code"`
}

// Incentive computes the completion incentive as of a time: due once the
// recipient completed and then served the cycle's IncentiveAfterMonths
// with the employer (BA Degree Pathways: 6; T.E.A.C.H.: 12) without
// leaving it or the county first. Events count in time order, whatever
// order they were recorded in.
func (l *Ledger) Incentive(applicationID string, asOf time.Time) Incentive {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.incentive(applicationID, asOf)
}

func (l *Ledger) incentive(id string, asOf time.Time) Incentive {
	s := l.state(id, asOf)
	inc := Incentive{ApplicationID: id, Amount: l.bonus, Paid: s.incentive, Code: "none"}
	if l.bonus <= 0 {
		return inc
	}
	stop := s.stopped(true)
	switch {
	case s.withdrew || (!stop.IsZero() && (!s.completed || stop.Before(s.completedAt))):
		inc.Code = "forfeited"
		return inc
	case !s.completed:
		inc.Code = "not_completed"
		return inc
	}
	end := asOf
	if !stop.IsZero() {
		end = stop
	}
	inc.MonthsServed = monthsBetween(s.completedAt, end)
	switch {
	case inc.MonthsServed < l.bonusAft && !stop.IsZero():
		inc.Code = "forfeited"
	case inc.MonthsServed < l.bonusAft:
		inc.Code = "serving"
	case s.incentive >= l.bonus:
		inc.Code = "paid"
	default:
		inc.Code, inc.Due = "due", l.bonus-s.incentive
	}
	return inc
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

// AwardStatus is where an award's studies stand: completed, withdrawn, or
// neither yet.
type AwardStatus struct {
	ApplicationID string    `json:"application_id"`
	Disbursed     Cents     `json:"disbursed"`
	Completed     bool      `json:"completed,omitempty"`
	CompletedAt   time.Time `json:"completed_at,omitzero"`
	Withdrew      bool      `json:"withdrew,omitempty"`
	WithdrewAt    time.Time `json:"withdrew_at,omitzero"`
}

// Status returns where the award stands as of a time (every entry when
// asOf is zero), from its entries in time order; false when the ledger
// has no such award.
func (l *Ledger) Status(applicationID string, asOf time.Time) (AwardStatus, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.awards[applicationID]; !ok {
		return AwardStatus{}, false
	}
	s := l.state(applicationID, asOf)
	return AwardStatus{ApplicationID: applicationID, Disbursed: s.disbursed, Completed: s.completed, CompletedAt: s.completedAt,
		Withdrew: s.withdrew, WithdrewAt: s.withdrewAt}, true
}
