package training_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/training"
)

func TestPlanInterpretation(t *testing.T) {
	c := mustCatalog(t, smallYear())
	at := date(2025, 12, 1)
	regs := []bsk.Registration{
		{ID: "r1", OfferingID: "tr-attach", ProviderID: "p-ana", Status: bsk.RegistrationRegistered, At: at},  // Spanish only
		{ID: "r2", OfferingID: "tr-attach", ProviderID: "p-binh", Status: bsk.RegistrationRegistered, At: at}, // works in English too
		{ID: "r3", OfferingID: "tr-attach", SessionID: "tr-attach-2", ProviderID: "p-dee", Status: bsk.RegistrationRegistered, At: at, Interpretation: bsk.ASL},
		{ID: "r4", OfferingID: "tr-attach", ProviderID: "p-cara", Status: bsk.RegistrationWaitlisted, At: at, Interpretation: bsk.Vietnamese}, // waiting: not planned
		{ID: "r5", OfferingID: "tr-es", ProviderID: "p-ana", Status: bsk.RegistrationRegistered, At: at},                                      // a Spanish session: none
		{ID: "r6", OfferingID: "tr-es", ProviderID: "p-binh", Status: bsk.RegistrationRegistered, At: at},                                     // no Spanish: Vietnamese
	}
	got, err := c.PlanInterpretation(regs, training.InterpretOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []bsk.InterpreterBooking{
		{SessionID: "tr-attach-1", Language: bsk.Spanish, Interpreters: 2, Registrants: []bsk.ProviderID{"p-ana"}, BookBy: date(2026, 1, 1)},
		{SessionID: "tr-attach-2", Language: bsk.ASL, Interpreters: 2, Registrants: []bsk.ProviderID{"p-dee"}, BookBy: date(2026, 2, 5)},
		{SessionID: "tr-attach-2", Language: bsk.Spanish, Interpreters: 2, Registrants: []bsk.ProviderID{"p-ana"}, BookBy: date(2026, 2, 5)},
		{SessionID: "tr-es-1", Language: bsk.Vietnamese, Interpreters: 1, Registrants: []bsk.ProviderID{"p-binh"}, BookBy: date(2026, 2, 19)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("plan (-want +got):\n%s", diff)
	}
	for i, b := range got {
		if err := b.Validate(); err != nil {
			t.Errorf("booking %d: %v", i, err)
		}
	}
	// Configured: a 30-day deadline and teams only past 5 hours.
	got, _ = c.PlanInterpretation(regs[:1], training.InterpretOptions{DeadlineDays: 30, TeamMinutes: 300})
	if len(got) != 2 || got[0].Interpreters != 1 || !got[0].BookBy.Equal(date(2025, 12, 16)) {
		t.Errorf("configured plan = %+v; want one interpreter, book by 2025-12-16", got)
	}
	// Ana cancels, Cara is promoted and asks for Vietnamese.
	after := append([]bsk.Registration(nil), regs...)
	after[0].Status = bsk.RegistrationCancelled
	after[3].Status = bsk.RegistrationRegistered
	next, err := c.PlanInterpretation(after, training.InterpretOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantC := []training.BookingChange{
		{Kind: training.ChangeBook, SessionID: "tr-attach-1", Language: bsk.Vietnamese, After: 2, Added: []bsk.ProviderID{"p-cara"}, BookBy: date(2026, 1, 1)},
		{Kind: training.ChangeBook, SessionID: "tr-attach-2", Language: bsk.Vietnamese, After: 2, Added: []bsk.ProviderID{"p-cara"}, BookBy: date(2026, 2, 5)},
		{Kind: training.ChangeCancel, SessionID: "tr-attach-1", Language: bsk.Spanish, Before: 2, Removed: []bsk.ProviderID{"p-ana"}, BookBy: date(2026, 1, 1)},
		{Kind: training.ChangeCancel, SessionID: "tr-attach-2", Language: bsk.Spanish, Before: 2, Removed: []bsk.ProviderID{"p-ana"}, BookBy: date(2026, 2, 5)},
	}
	if diff := cmp.Diff(wantC, training.Changes(want, next)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if ch := training.Changes(want, want); len(ch) != 0 {
		t.Errorf("Changes(plan, plan) = %v; want none", ch)
	}
	// An unknown provider is named by its registration.
	_, err = c.PlanInterpretation([]bsk.Registration{{ID: "x", OfferingID: "tr-es", ProviderID: "ghost", Status: bsk.RegistrationRegistered, At: at}}, training.InterpretOptions{})
	var list bsk.Errors
	if bsk.ErrorCode(err) != bsk.CodeNotFound || !asErrors(err, &list) || list[0].Field != "registrations[0].provider_id" {
		t.Errorf("unknown provider: %v; want not found at registrations[0].provider_id", err)
	}
}
