package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

// LedgerEntry is a ledger entry as people read it: the amount in cents
// and as dollars.
type LedgerEntry struct {
	scholarship.Entry
	// AmountText is Amount in dollars ("$2,500.00"); empty for an entry
	// without money.
	AmountText string `json:"amount_text,omitempty"`
}

func ledgerEntry(e scholarship.Entry) LedgerEntry {
	le := LedgerEntry{Entry: e}
	if e.Amount != 0 {
		le.AmountText = e.Amount.String()
	}
	return le
}

// Repayment is what an award's recipient owes as of a time (see
// [scholarship.Ledger.Owed]), each sum also in dollars.
type Repayment struct {
	scholarship.Repayment
	DisbursedText     string `json:"disbursed_text"`
	RepaidText        string `json:"repaid_text"`
	OwedText          string `json:"owed_text"`
	FailedCoursesText string `json:"failed_courses_text,omitempty"`
}

// EquityQuery asks for a run's equity summary.
type EquityQuery struct {
	// Unsuppressed asks for the figures without disclosure control: for
	// the administrator only.
	Unsuppressed bool
}

// ledger rebuilds a run's ledger from its stored entries, read by list.
func ledger(cy scholarship.Cycle, run CycleRun, entries []scholarship.Entry) (*scholarship.Ledger, error) {
	slices.SortFunc(entries, func(x, y scholarship.Entry) int { return x.Seq - y.Seq })
	l := scholarship.NewLedger(cy, run.Allocation)
	for _, e := range entries {
		if _, err := l.Append(e); err != nil {
			return nil, bsk.Errorf(bsk.CodeInternal, "stored ledger entry %d: %w", e.Seq, err)
		}
	}
	return l, nil
}

// readLedger loads the program, the cycle, the run and its ledger.
func (s *Scholarships) readLedger(ctx context.Context, ref RunRef) (*scholarship.Ledger, error) {
	_, cy, run, err := s.run(ctx, ref)
	if err != nil {
		return nil, err
	}
	entries, err := listAll[scholarship.Entry](ctx, s.db, store.LedgerEntries, "ledger entry", store.Filter{Parent: run.ID})
	if err != nil {
		return nil, err
	}
	return ledger(cy, run, entries)
}

// AppendLedger appends an entry to a run's ledger (a disbursement, a
// status event, a repayment) and returns it with its sequence number. The
// ledger is read and the entry checked against it in the write
// transaction, so entries appended at once are each checked against the
// others.
//
// Errors: invalid (an entry the ledger refuses), not_found for the
// program, the cycle or the run, unauthorized for a role other than staff.
func (s *Scholarships) AppendLedger(ctx context.Context, ref RunRef, e scholarship.Entry) (LedgerEntry, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return LedgerEntry{}, err
	}
	_, cy, _, err := s.run(ctx, ref)
	if err != nil {
		return LedgerEntry{}, err
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it takes the lock every write takes, so
		// the ledger read below holds every entry committed.
		if err := tx.Audit(ctx, p.KeyID, string(e.Kind), "ledger", e.ApplicationID); err != nil {
			return err
		}
		rec, err := tx.Get(ctx, store.CycleRuns, ref.RunID)
		run, err := runOf(rec, err, ref)
		if err != nil {
			return err
		}
		entries, err := listAllTx[scholarship.Entry](ctx, tx, store.LedgerEntries, "ledger entry", store.Filter{Parent: run.ID})
		if err != nil {
			return err
		}
		l, err := ledger(cy, run, entries)
		if err != nil {
			return err
		}
		if e, err = l.Append(e); err != nil {
			return err
		}
		if err := insertEntry(ctx, tx, run.ID, e); err != nil || e.Kind != scholarship.Withdrew {
			return err
		}
		return returnUnpaid(ctx, tx, ref, cy, e.ApplicationID)
	})
	if err != nil {
		return LedgerEntry{}, err
	}
	return ledgerEntry(e), nil
}

// Ledger lists a run's ledger entries in order.
//
// Errors: not_found for the program, the cycle or the run, unauthorized
// for a role other than staff, internal for a stored entry the ledger
// refuses.
func (s *Scholarships) Ledger(ctx context.Context, ref RunRef) (Page[LedgerEntry], error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return Page[LedgerEntry]{}, err
	}
	l, err := s.readLedger(ctx, ref)
	if err != nil {
		return Page[LedgerEntry]{}, err
	}
	page := Page[LedgerEntry]{Items: []LedgerEntry{}}
	for _, e := range l.Entries() {
		page.Items = append(page.Items, ledgerEntry(e))
	}
	return page, nil
}

// Owed computes what the recipient of an award owes as of asOf.
//
// Errors: not_found for the program, the cycle or the run, unauthorized
// for a role other than staff, internal for a stored entry the ledger
// refuses.
func (s *Scholarships) Owed(ctx context.Context, ref RunRef, appID string, asOf time.Time) (Repayment, error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return Repayment{}, err
	}
	l, err := s.readLedger(ctx, ref)
	if err != nil {
		return Repayment{}, err
	}
	r := Repayment{Repayment: l.Owed(appID, asOf)}
	r.DisbursedText, r.RepaidText, r.OwedText = r.Disbursed.String(), r.Repaid.String(), r.Owed.String()
	if r.FailedCourses != 0 {
		r.FailedCoursesText = r.FailedCourses.String()
	}
	return r, nil
}

// Equity returns the cycle's equity summary after disclosure control: the
// standard the program had when the cycle ran (the program's for older
// runs). An administrator may ask for the figures unsuppressed.
//
// Errors: not_found for the program, the cycle or the run, unauthorized
// for a role other than staff, and for anyone but the administrator
// asking for unsuppressed figures, internal.
func (s *Scholarships) Equity(ctx context.Context, ref RunRef, q EquityQuery) (scholarship.ProtectedEquity, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return scholarship.ProtectedEquity{}, err
	}
	cfg, _, run, err := s.run(ctx, ref)
	if err != nil {
		return scholarship.ProtectedEquity{}, err
	}
	d, err := equityDisclosure(p, cfg, run, q)
	if err != nil {
		return scholarship.ProtectedEquity{}, err
	}
	apps, _, err := s.applications(ctx, ref.CycleRef, "")
	if err != nil {
		return scholarship.ProtectedEquity{}, err
	}
	recs, err := listAll[scholarship.DecisionRecord](ctx, s.db, store.Decisions, "decision", store.Filter{Parent: run.ID})
	if err != nil {
		return scholarship.ProtectedEquity{}, err
	}
	outcome := map[string]scholarship.Verdict{}
	for _, r := range recs {
		outcome[r.ApplicationID] = scholarship.Verdict{Outcome: r.Outcome, Reasons: r.Reasons}
	}
	var judged []scholarship.Application
	var verdicts []scholarship.Verdict
	for _, app := range apps {
		if v, ok := outcome[app.ID]; ok {
			judged = append(judged, app)
			verdicts = append(verdicts, v)
		}
	}
	return scholarship.Equity(judged, verdicts, run.Allocation).Protect(d)
}

// equityDisclosure is the standard of a run's equity summary: the one the
// program had when the cycle ran (the program's for older runs); figures
// without suppression for the administrator only.
func equityDisclosure(p Principal, cfg ProgramConfig, run CycleRun, q EquityQuery) (survey.Disclosure, error) {
	if q.Unsuppressed {
		if p.Role != RoleAdmin {
			return survey.Disclosure{}, bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may read unsuppressed figures")
		}
		return survey.Unsuppressed(), nil
	}
	name := run.Disclosure
	if name == "" {
		name = cfg.standard()
	}
	d, ok := survey.Presets()[name]
	if !ok || d.Off {
		return d, bsk.Errorf(bsk.CodeInternal, "run %q has disclosure standard %q", run.ID, name)
	}
	return d, nil
}

// insertEntry stores a ledger entry of run runID under its sequence
// number, so that the entries list in the ledger's order.
func insertEntry(ctx context.Context, tx *store.Tx, runID string, e scholarship.Entry) error {
	doc, err := encode("ledger entry", e)
	if err != nil {
		return err
	}
	return tx.Insert(ctx, store.LedgerEntries, store.Record{ID: fmt.Sprintf("%s/%08d", runID, e.Seq), Parent: runID, Doc: doc})
}
