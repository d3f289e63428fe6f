package service

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
)

// TestSeatCounts: the counts of every offering read in one scan are the
// roster's own counts, after registrations, a cancellation that promotes
// from the waitlist and a registration for one session only (another
// roster); and only the staff read them.
func TestSeatCounts(t *testing.T) {
	svc := testServices(t, &lockedBuffer{})
	ctx := context.Background()
	staff := WithPrincipal(ctx, Principal{KeyID: "k-coord", Role: RoleCoordinator})
	offs, err := svc.Workforce.Offerings.List(staff, ListQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// The demo's full training (a waitlist of three) loses a seat holder.
	var full bsk.Offering
	for _, o := range offs.Items {
		r, err := svc.Trainings.Roster(staff, string(o.ID), "")
		if err == nil && r.Waitlisted > 0 {
			full = o
			if _, err := svc.Trainings.Cancel(staff, string(o.ID), string(r.Registrations[0].ID)); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if full.ID == "" {
		t.Fatal("the demo has no training with a waitlist")
	}
	// A registration for one session of another training.
	provs, err := svc.Workforce.Providers.List(staff, ListQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sessionOnly := false
	for _, o := range offs.Items {
		if o.ID == full.ID || o.Kind != bsk.OfferingTraining || o.OrganizationID != "" {
			continue
		}
		sess, err := svc.Workforce.Sessions.List(staff, ListQuery{Parent: string(o.ID), Limit: 1})
		if err != nil || len(sess.Items) == 0 {
			continue
		}
		for _, p := range provs.Items[len(provs.Items)-40:] {
			if _, err := svc.Trainings.Register(staff, string(o.ID), RegistrationRequest{ProviderID: p.ID, SessionID: sess.Items[0].ID}); err == nil {
				sessionOnly = true
				break
			}
		}
		if sessionOnly {
			break
		}
	}
	if !sessionOnly {
		t.Fatal("no session-only registration could be made")
	}

	got, err := svc.Trainings.SeatCounts(staff)
	if err != nil {
		t.Fatal(err)
	}
	want := map[bsk.OfferingID]SeatCount{}
	for _, o := range offs.Items {
		r, err := svc.Trainings.Roster(staff, string(o.ID), "")
		if err != nil {
			t.Fatalf("Roster(%s): %v", o.ID, err)
		}
		if r.Registered+r.Waitlisted > 0 {
			want[o.ID] = SeatCount{Registered: r.Registered, Waitlisted: r.Waitlisted}
		}
	}
	if len(want) == 0 {
		t.Fatal("no offering has registrations")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("SeatCounts (-rosters +got):\n%s", d)
	}
	// Asked for some offerings, the counts are theirs alone, however many
	// queries the list takes.
	var some []bsk.OfferingID
	for id := range want {
		some = append(some, id)
		break
	}
	for i := range 1200 {
		some = append(some, bsk.OfferingID(fmt.Sprintf("no-such-%04d", i)))
	}
	part, err := svc.Trainings.SeatCounts(staff, some...)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[bsk.OfferingID]SeatCount{some[0]: want[some[0]]}, part); d != "" {
		t.Errorf("SeatCounts(%s and 1,200 unknown) (-want +got):\n%s", some[0], d)
	}
	if c := got[full.ID]; c.Waitlisted != 2 {
		t.Errorf("the full training after a cancellation: %+v; want 2 waiting (one promoted)", c)
	}

	for _, p := range []Principal{
		{KeyID: "k-agency", Role: RoleAgency, OrganizationID: "org-001"},
		{KeyID: "k-cons", Role: RoleConsultant, ProviderID: "prov-00001"},
		{KeyID: "k-eval", Role: RoleEvaluator},
	} {
		if _, err := svc.Trainings.SeatCounts(WithPrincipal(ctx, p)); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
			t.Errorf("SeatCounts as %s: %v; want unauthorized", p.Role, err)
		}
	}
}
