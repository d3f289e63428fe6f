package scholarship_test

import (
	"errors"
	"math/rand/v2"
	"slices"
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

func TestLedgerCommitments(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	// T.E.A.C.H.: 12 months owed to the sponsoring employer, a $500 bonus
	// after them. BA Degree Pathways: no service owed, a $1,000 incentive
	// after 6 months with the same employer.
	teach := scholarship.Cycle{ID: "teach", CommitmentMonths: 12, CommitmentTo: scholarship.CommitToEmployer, CompletionIncentive: 500_00, IncentiveAfterMonths: 12}
	ba := scholarship.Cycle{ID: "ba", CompletionIncentive: 1_000_00, IncentiveAfterMonths: 6}
	disb := func(months int, amount scholarship.Cents) scholarship.Entry {
		return scholarship.Entry{ApplicationID: "a", Kind: scholarship.Disbursement, Amount: amount, At: t0.AddDate(0, months, 0)}
	}
	ev := func(kind scholarship.EntryKind, months int, amount scholarship.Cents) scholarship.Entry {
		return scholarship.Entry{ApplicationID: "a", Kind: kind, Amount: amount, At: t0.AddDate(0, months, 0)}
	}
	tests := []struct {
		name      string
		c         scholarship.Cycle
		events    []scholarship.Entry
		asOf      int // months after t0
		owed      scholarship.Cents
		code      string
		incentive string
		due       scholarship.Cents
	}{
		{"failed course is repaid in full", teach, []scholarship.Entry{disb(0, 2_000_00), ev(scholarship.FailedCourse, 3, 400_00)}, 4,
			400_00, "failed_course", "not_completed", 0},
		// 6 of 12 months served with the employer: half of what paid for
		// passed courses, and the bonus is forfeited.
		{"left the sponsoring employer halfway", teach, []scholarship.Entry{disb(0, 2_000_00), disb(4, 2_000_00),
			ev(scholarship.Completed, 9, 0), ev(scholarship.LeftEmployer, 15, 0)}, 16,
			2_000_00, "left_before_commitment_met", "forfeited", 0},
		{"left the employer before completing", teach, []scholarship.Entry{disb(0, 2_000_00), ev(scholarship.FailedCourse, 2, 300_00),
			ev(scholarship.LeftEmployer, 3, 0)}, 4,
			2_000_00, "left_before_completion", "forfeited", 0},
		{"served the 12 months: the bonus is due", teach, []scholarship.Entry{disb(0, 2_000_00), ev(scholarship.Completed, 9, 0)}, 21,
			0, "none", "due", 500_00},
		{"still serving", teach, []scholarship.Entry{disb(0, 2_000_00), ev(scholarship.Completed, 9, 0)}, 20,
			0, "none", "serving", 0},
		{"withdrew with a failed course owes all disbursed", teach, []scholarship.Entry{disb(0, 2_000_00), ev(scholarship.FailedCourse, 2, 300_00),
			ev(scholarship.Withdrew, 3, 0)}, 4,
			2_000_00, "withdrew", "forfeited", 0},
		// Under a commitment to the county, changing employers owes
		// nothing, but the incentive needs the same employer.
		{"changed employers after completing", ba, []scholarship.Entry{disb(0, 5_000_00), ev(scholarship.Completed, 8, 0),
			ev(scholarship.LeftEmployer, 11, 0)}, 20,
			0, "none", "forfeited", 0},
		{"six months with the same employer", ba, []scholarship.Entry{disb(0, 5_000_00), ev(scholarship.Completed, 8, 0)}, 14,
			0, "none", "due", 1_000_00},
		{"the incentive paid", ba, []scholarship.Entry{disb(0, 5_000_00), ev(scholarship.Completed, 8, 0), ev(scholarship.IncentivePaid, 14, 1_000_00)}, 15,
			0, "none", "paid", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every order of the events gives the same answer.
			r := rand.New(rand.NewPCG(uint64(len(tt.name)), 1))
			for perm := range 6 {
				events := slices.Clone(tt.events)
				if perm > 0 && tt.events[len(tt.events)-1].Kind != scholarship.IncentivePaid {
					r.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
				}
				l := scholarship.NewLedger(tt.c, scholarship.Allocation{Awards: []scholarship.Award{{ApplicationID: "a", Amount: 10_000_00}}})
				for _, e := range events {
					must(t, l, e)
				}
				at := t0.AddDate(0, tt.asOf, 0)
				o, inc := l.Owed("a", at), l.Incentive("a", at)
				if o.Owed != tt.owed || o.Code != tt.code || inc.Code != tt.incentive || inc.Due != tt.due {
					t.Errorf("order %d: owed %v (%s), incentive %s due %v; want %v (%s), %s due %v",
						perm, o.Owed, o.Code, inc.Code, inc.Due, tt.owed, tt.code, tt.incentive, tt.due)
				}
			}
		})
	}
}

func TestLedgerRefusesIncentiveNotDue(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	c := scholarship.Cycle{ID: "ba", CompletionIncentive: 1_000_00, IncentiveAfterMonths: 6}
	l := scholarship.NewLedger(c, scholarship.Allocation{Awards: []scholarship.Award{{ApplicationID: "a", Amount: 5_000_00}}})
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Disbursement, Amount: 5_000_00, At: t0})
	must(t, l, scholarship.Entry{ApplicationID: "a", Kind: scholarship.Completed, At: t0.AddDate(0, 8, 0)})
	for _, bad := range []scholarship.Entry{
		{ApplicationID: "a", Kind: scholarship.IncentivePaid, Amount: 1_000_00, At: t0.AddDate(0, 12, 0)}, // 4 months served
		{ApplicationID: "a", Kind: scholarship.IncentivePaid, Amount: 1_000_01, At: t0.AddDate(0, 15, 0)}, // more than offered
		{ApplicationID: "a", Kind: scholarship.FailedCourse, Amount: 5_000_01, At: t0.AddDate(0, 1, 0)},   // more than the award
		{ApplicationID: "a", Kind: scholarship.Disbursement, Amount: 1, At: t0.AddDate(0, 9, 0)},          // after completion
	} {
		if _, err := l.Append(bad); err == nil {
			t.Errorf("Append(%+v) was accepted", bad)
		}
	}
}
