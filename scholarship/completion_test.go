package scholarship_test

import (
	"errors"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/google/go-cmp/cmp"
)

func completionFixture(t *testing.T) (*scholarship.Ledger, *scholarship.Completion) {
	t.Helper()
	c := esit().Cycles[1]
	al := scholarship.Allocation{CycleID: c.ID, Awards: []scholarship.Award{{ApplicationID: "a1", Amount: 8_000_00}, {ApplicationID: "a2", Amount: 8_000_00}}}
	l := scholarship.NewLedger(c, al)
	for _, id := range []string{"a1", "a2"} {
		if _, err := l.Append(scholarship.Entry{ApplicationID: id, Kind: scholarship.Disbursement, Amount: 4_000_00, At: day}); err != nil {
			t.Fatal(err)
		}
	}
	return l, scholarship.NewCompletion(l)
}

func TestCompletionFeedsLedger(t *testing.T) {
	l, c := completionFixture(t)
	for _, p := range []scholarship.CourseProgress{
		{ApplicationID: "a1", Term: "2026-fall", CreditsEarned: 15, CreditsRequired: 45, At: day.AddDate(0, 4, 0)},
		{ApplicationID: "a1", Term: "2027-winter", CreditsEarned: 30, CreditsRequired: 45, At: day.AddDate(0, 7, 0)},
	} {
		if _, err := c.Record(p); err != nil {
			t.Fatal(err)
		}
	}
	// Short of the credits: no completion.
	if _, err := c.Complete("a1", day.AddDate(0, 8, 0)); !errors.Is(err, bsk.ErrConflict) {
		t.Errorf("Complete with 30 of 45 credits = %v; want conflict", err)
	}
	if _, err := c.Record(scholarship.CourseProgress{ApplicationID: "a1", Term: "2027-spring", CreditsEarned: 45, CreditsRequired: 45, At: day.AddDate(0, 10, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete("a1", day.AddDate(0, 10, 0)); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status("a1", day.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if st.Code != scholarship.CompletionCompleted || st.CreditsEarned != 45 || st.Repayment.Code != "none" || st.Repayment.Owed != 0 {
		t.Errorf("Status(a1) = %+v; want completed with 45 credits, nothing owed", st)
	}
	// Leaving the county 6 months into a 12-month commitment owes half of
	// what was disbursed: the ledger counts from the completion recorded.
	if _, err := l.Append(scholarship.Entry{ApplicationID: "a1", Kind: scholarship.LeftCounty, At: day.AddDate(0, 16, 0)}); err != nil {
		t.Fatal(err)
	}
	if got := l.Owed("a1", day.AddDate(2, 0, 0)); got.Owed != 2_000_00 || got.UnmetMonths != 6 {
		t.Errorf("Owed(a1) = %+v; want 2,000.00 for 6 unmet months", got)
	}

	// Withdrawal: everything disbursed is owed back.
	if _, err := c.Withdraw("a2", day.AddDate(0, 3, 0)); err != nil {
		t.Fatal(err)
	}
	st, err = c.Status("a2", day.AddDate(0, 4, 0))
	if err != nil {
		t.Fatal(err)
	}
	if st.Code != scholarship.CompletionWithdrew || st.Repayment.Owed != 4_000_00 || st.Repayment.Code != "withdrew" {
		t.Errorf("Status(a2) = %+v; want withdrew owing 4,000.00", st)
	}
	var kinds []scholarship.EntryKind
	for _, e := range l.Entries() {
		kinds = append(kinds, e.Kind)
	}
	want := []scholarship.EntryKind{scholarship.Disbursement, scholarship.Disbursement, scholarship.Completed, scholarship.LeftCounty, scholarship.Withdrew}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("ledger entries (-want +got):\n%s", diff)
	}
}

func TestCompletionRefuses(t *testing.T) {
	_, c := completionFixture(t)
	if _, err := c.Record(scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: 20, CreditsRequired: 45, At: day.AddDate(0, 6, 0)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		p     scholarship.CourseProgress
		want  error
		field string
	}{
		{"no award", scholarship.CourseProgress{ApplicationID: "a9", CreditsEarned: 1, CreditsRequired: 2, At: day}, bsk.ErrNotFound, "application_id"},
		{"more than required", scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: 50, CreditsRequired: 45, At: day}, bsk.ErrInvalid, "credits_earned"},
		{"none required", scholarship.CourseProgress{ApplicationID: "a1", CreditsRequired: 0, At: day}, bsk.ErrInvalid, "credits_required"},
		{"no date", scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: 1, CreditsRequired: 45}, bsk.ErrInvalid, "at"},
		{"fewer than before", scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: 10, CreditsRequired: 45, At: day.AddDate(0, 8, 0)}, bsk.ErrConflict, "credits_earned"},
		{"more than later", scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: 30, CreditsRequired: 45, At: day.AddDate(0, 2, 0)}, bsk.ErrConflict, "credits_earned"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Record(tc.p)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Record = %v; want %v", err, tc.want)
			}
			var e *bsk.Error
			if tc.field != "" && (!errors.As(err, &e) || e.Field != tc.field) {
				var es bsk.Errors
				if !errors.As(err, &es) || es[0].Field != tc.field {
					t.Errorf("Record = %v; want the field %q named", err, tc.field)
				}
			}
		})
	}
	if _, err := c.Withdraw("a1", day.AddDate(0, 7, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Record(scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: 25, CreditsRequired: 45, At: day.AddDate(0, 9, 0)}); !errors.Is(err, bsk.ErrConflict) {
		t.Errorf("Record after withdrawal = %v; want conflict", err)
	}
	if got := len(c.Progress("a1")); got != 1 {
		t.Errorf("%d reports kept; want the 1 accepted", got)
	}
}
