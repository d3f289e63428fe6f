package scholarship

import (
	"slices"
	"sync"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// The codes of [CompletionStatus.Code].
const (
	// CompletionNotStarted: no coursework recorded yet.
	CompletionNotStarted = "not_started"
	// CompletionInProgress: coursework recorded, not finished.
	CompletionInProgress = "in_progress"
	// CompletionCompleted: the program of study is finished.
	CompletionCompleted = "completed"
	// CompletionWithdrew: the recipient left the program of study.
	CompletionWithdrew = "withdrew"
)

// CourseProgress is a recipient's coursework as of a date: credits earned so
// far toward the credits the program of study requires.
type CourseProgress struct {
	ApplicationID string `json:"application_id"`
	// Term names the term just finished, e.g. "2026-fall".
	Term string `json:"term,omitempty"`
	// CreditsEarned is the total earned so far, never less than an
	// earlier record's.
	CreditsEarned int `json:"credits_earned" jsonschema:"minimum=0"`
	// CreditsRequired is what the program of study requires.
	CreditsRequired int `json:"credits_required" jsonschema:"minimum=1"`
	// At is when it was reported (UTC).
	At time.Time `json:"at"`
}

// CompletionStatus is where an award's studies and its commitment stand.
type CompletionStatus struct {
	ApplicationID string `json:"application_id"`
	// Code is [CompletionNotStarted], [CompletionInProgress],
	// [CompletionCompleted] or [CompletionWithdrew].
	Code            string `json:"code"`
	Term            string `json:"term,omitempty"`
	CreditsEarned   int    `json:"credits_earned"`
	CreditsRequired int    `json:"credits_required"`
	// Repayment is what the ledger says is owed back ([Ledger.Owed]).
	Repayment Repayment `json:"repayment"`
	// Incentive is the completion incentive ([Ledger.Incentive]).
	Incentive Incentive `json:"incentive"`
}

// Completion tracks coursework toward completion against an award's
// commitment, and records completion and withdrawal in the award's
// [Ledger], where they decide what is owed back and the incentive due. It
// is safe for concurrent use.
type Completion struct {
	mu       sync.Mutex
	ledger   *Ledger
	progress map[string][]CourseProgress
}

// NewCompletion tracks the awards of a ledger.
func NewCompletion(l *Ledger) *Completion {
	return &Completion{ledger: l, progress: map[string][]CourseProgress{}}
}

// Record adds a progress report after checking it: an award in the
// ledger, credits from 0 to those required (at least 1), a date not after
// the recipient completed or withdrew, and credits earned never fewer than
// an earlier report's nor more than a later one's. A refused report
// changes nothing.
//
// Errors: not found for an application without an award; invalid for bad
// numbers; conflict for a report out of line with the others or after the
// studies ended.
func (c *Completion) Record(p CourseProgress) (CourseProgress, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.ledger.Status(p.ApplicationID, time.Time{})
	if !ok {
		return CourseProgress{}, bsk.NotFoundf("application_id", "no award for application %q", p.ApplicationID)
	}
	var pr bsk.Problems
	if p.At.IsZero() {
		pr.Add("at", "is required")
	}
	if p.CreditsRequired < 1 || p.CreditsRequired > 1000 {
		pr.Add("credits_required", "%d is outside 1 to 1000", p.CreditsRequired)
	}
	if p.CreditsEarned < 0 || p.CreditsEarned > p.CreditsRequired {
		pr.Add("credits_earned", "%d is outside 0 to the %d required", p.CreditsEarned, p.CreditsRequired)
	}
	if msg := bsk.TextProblem(p.Term); p.Term != "" && msg != "" {
		pr.Add("term", "%s", msg)
	}
	if err := pr.Err(); err != nil {
		return CourseProgress{}, err
	}
	p.At = p.At.UTC()
	if (st.Completed && st.CompletedAt.Before(p.At)) || (st.Withdrew && st.WithdrewAt.Before(p.At)) {
		e := bsk.Errorf(bsk.CodeConflict, "the studies ended before %s", p.At.Format(time.DateOnly))
		e.Field = "at"
		return CourseProgress{}, e
	}
	for _, q := range c.progress[p.ApplicationID] {
		if (!q.At.After(p.At) && q.CreditsEarned > p.CreditsEarned) || (q.At.After(p.At) && q.CreditsEarned < p.CreditsEarned) {
			e := bsk.Errorf(bsk.CodeConflict, "%d on %s is out of line with %d on %s", p.CreditsEarned,
				p.At.Format(time.DateOnly), q.CreditsEarned, q.At.Format(time.DateOnly))
			e.Field = "credits_earned"
			return CourseProgress{}, e
		}
	}
	c.progress[p.ApplicationID] = append(c.progress[p.ApplicationID], p)
	return p, nil
}

// latest is the last report at or before asOf (all when zero).
func (c *Completion) latest(id string, asOf time.Time) (CourseProgress, bool) {
	var best CourseProgress
	found := false
	for _, q := range c.progress[id] {
		if (asOf.IsZero() || !q.At.After(asOf)) && (!found || !q.At.Before(best.At)) {
			best, found = q, true
		}
	}
	return best, found
}

// Complete records that the recipient finished the program of study: a
// [Completed] entry in the ledger, which starts the service commitment.
// When coursework was reported, the last report by then must show every
// credit required.
//
// Errors: not found for an application without an award; conflict when
// the coursework falls short or the ledger refuses the entry (see
// [Ledger.Append]).
func (c *Completion) Complete(applicationID string, at time.Time) (Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.latest(applicationID, at); ok && p.CreditsEarned < p.CreditsRequired {
		e := bsk.Errorf(bsk.CodeConflict, "%d of the %d credits required by %s", p.CreditsEarned, p.CreditsRequired, at.Format(time.DateOnly))
		e.Field = "credits_earned"
		return Entry{}, e
	}
	return c.ledger.Append(Entry{ApplicationID: applicationID, Kind: Completed, At: at})
}

// Withdraw records that the recipient left the program of study: a
// [Withdrew] entry in the ledger, after which what was disbursed is owed
// back ([Ledger.Owed]).
//
// Errors: as [Ledger.Append].
func (c *Completion) Withdraw(applicationID string, at time.Time) (Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ledger.Append(Entry{ApplicationID: applicationID, Kind: Withdrew, At: at})
}

// Status says where the award stands as of a time: its coursework, whether
// it completed or withdrew, what is owed back and the incentive.
//
// Errors: not found for an application without an award.
func (c *Completion) Status(applicationID string, asOf time.Time) (CompletionStatus, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.ledger.Status(applicationID, asOf)
	if !ok {
		return CompletionStatus{}, bsk.NotFoundf("application_id", "no award for application %q", applicationID)
	}
	out := CompletionStatus{ApplicationID: applicationID, Code: CompletionNotStarted,
		Repayment: c.ledger.Owed(applicationID, asOf), Incentive: c.ledger.Incentive(applicationID, asOf)}
	if p, ok := c.latest(applicationID, asOf); ok {
		out.Code, out.Term, out.CreditsEarned, out.CreditsRequired = CompletionInProgress, p.Term, p.CreditsEarned, p.CreditsRequired
	}
	switch {
	case st.Completed:
		out.Code = CompletionCompleted
	case st.Withdrew:
		out.Code = CompletionWithdrew
	}
	return out, nil
}

// Progress returns the award's reports in time order.
func (c *Completion) Progress(applicationID string) []CourseProgress {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.progress[applicationID])
	slices.SortStableFunc(out, func(a, b CourseProgress) int { return a.At.Compare(b.At) })
	return out
}
