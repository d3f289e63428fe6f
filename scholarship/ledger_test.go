package scholarship_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func ledgerFor(amount scholarship.Cents, commit int) *scholarship.Ledger {
	c := scholarship.Cycle{ID: "2026", CommitmentMonths: commit}
	return scholarship.NewLedger(c, scholarship.Allocation{Awards: []scholarship.Award{{ApplicationID: "a", Amount: amount}}})
}

func must(t *testing.T, l *scholarship.Ledger, e scholarship.Entry) {
	t.Helper()
	if _, err := l.Append(e); err != nil {
		t.Fatalf("Append(%+v): %v", e, err)
	}
}

func TestRepaymentProrated(t *testing.T) {
	l := ledgerFor(10_000_00, 12)
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Disbursement, Term: "fall", Amount: 4_000_00, At: t0})
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Disbursement, Term: "winter", Amount: 4_000_00, At: t0.AddDate(0, 4, 0)})
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Completed, At: t0.AddDate(0, 9, 0)})
	if r := l.Owed("a", t0.AddDate(0, 10, 0)); r.Owed != 0 || r.Code != "none" {
		t.Errorf("while serving: %+v", r)
	}
	// Leaves after 4 full months of a 12-month commitment: owes 8/12 of 8,000.
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.LeftCounty, At: t0.AddDate(0, 13, 15)})
	r := l.Owed("a", t0.AddDate(1, 6, 0))
	if r.UnmetMonths != 8 || r.Owed != 5_333_33 || r.Disbursed != 8_000_00 {
		t.Errorf("Owed = %+v; want 8 unmet months, $5,333.33 of $8,000.00", r)
	}
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Repaid, Amount: 333_33, At: t0.AddDate(1, 7, 0)})
	if r := l.Owed("a", t0.AddDate(2, 0, 0)); r.Owed != 5_000_00 {
		t.Errorf("after a repayment: %+v", r)
	}
	// Refused entries change nothing.
	before := len(l.Entries())
	for _, bad := range []scholarship.Entry{
		{ApplicationID: "a", Kind: scholarship.Disbursement, Amount: 1, At: t0.AddDate(2, 0, 0)},  // after completion
		{ApplicationID: "a", Kind: scholarship.Repaid, Amount: 6_000_00, At: t0.AddDate(2, 0, 0)}, // more than owed
		{ApplicationID: "a", Kind: scholarship.Completed, At: t0.AddDate(2, 0, 0)},                // twice
		{ApplicationID: "zz", Kind: scholarship.Disbursement, Amount: 1, At: t0},                  // no award
		{ApplicationID: "a", Kind: "graduated", At: t0.AddDate(2, 0, 0)},                          // unknown kind
		{ApplicationID: "a", Kind: scholarship.Repaid, Amount: 1, At: t0},                         // out of order
	} {
		if _, err := l.Append(bad); err == nil {
			t.Errorf("Append(%+v) was accepted", bad)
		}
	}
	if len(l.Entries()) != before {
		t.Errorf("a refused entry was written")
	}
	if _, err := l.Append(scholarship.Entry{ApplicationID: "zz", Kind: scholarship.Disbursement, Amount: 1, At: t0}); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("unknown award: %v; want not found", err)
	}
}

func TestWithdrawalOwesAll(t *testing.T) {
	l := ledgerFor(9_000_00, 12)
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Disbursement, Amount: 3_000_00, At: t0})
	if _, err := l.Append(scholarship.Entry{ApplicationID: "a", Kind: scholarship.Disbursement, Amount: 7_000_00, At: t0}); err == nil {
		t.Error("a disbursement beyond the award was accepted")
	}
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Withdrew, At: t0.AddDate(0, 2, 0)})
	if r := l.Owed("a", t0.AddDate(0, 3, 0)); r.Owed != 3_000_00 || r.Code != "withdrew" {
		t.Errorf("Owed = %+v; want all 3,000 disbursed", r)
	}
}

// TestRepaymentNeverExceedsDisbursed drives random event sequences.
func TestRepaymentNeverExceedsDisbursed(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := []scholarship.EntryKind{scholarship.Disbursement, scholarship.Disbursement, scholarship.Completed, scholarship.Withdrew, scholarship.LeftCounty, scholarship.Repaid}
	for trial := range 500 {
		award := scholarship.Cents(1 + r.IntN(20_000_00))
		l := ledgerFor(award, r.IntN(25))
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for range 12 {
			at = at.AddDate(0, r.IntN(5), r.IntN(28))
			e := scholarship.Entry{ApplicationID: "a", Kind: kinds[r.IntN(len(kinds))], At: at}
			if e.Kind == scholarship.Disbursement || e.Kind == scholarship.Repaid {
				e.Amount = scholarship.Cents(1 + r.IntN(int(award)))
			}
			l.Append(e) // refusals are fine; the invariant must hold either way
			o := l.Owed("a", at)
			if o.Owed < 0 || o.Owed+o.Repaid > o.Disbursed || o.Disbursed > award {
				t.Fatalf("trial %d: %+v with award %v", trial, o, award)
			}
		}
	}
}
