package app_test

import (
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
)

// TestDemoRegistrations reads the demo's registrations over HTTP: one
// training full with three on its waitlist, two more with registrations,
// an interpreter asked for, and a cancellation that promotes the first
// who waits.
func TestDemoRegistrations(t *testing.T) {
	s := start(t, backends(t)[0], true)
	var offs app.Page[bsk.Offering]
	s.expect(200, "GET", "/api/v1/offerings?limit=500", s.Admin, nil).json(t, &offs)
	var full *app.TrainingRoster
	withRegs, interpreted := 0, 0
	for _, o := range offs.Items {
		if o.Kind != bsk.OfferingTraining || o.OrganizationID != "" {
			continue
		}
		var r app.TrainingRoster
		s.expect(200, "GET", "/api/v1/offerings/"+string(o.ID)+"/registrations", s.Admin, nil).json(t, &r)
		if len(r.Registrations) > 0 {
			withRegs++
		}
		for _, g := range r.Registrations {
			if g.Interpretation != "" {
				interpreted++
			}
		}
		if r.Waitlisted > 0 && full == nil {
			full = &r
		}
	}
	if withRegs != 3 || full == nil || full.Waitlisted != 3 || full.Registered != full.Capacity || interpreted == 0 {
		t.Fatalf("demo: %d trainings with registrations, full roster %+v, %d interpreters asked; want 3, one full with 3 waiting, some", withRegs, full, interpreted)
	}
	var first, waiting bsk.Registration
	for _, g := range full.Registrations {
		if g.Status == bsk.RegistrationRegistered && first.ID == "" {
			first = g
		}
		if g.Status == bsk.RegistrationWaitlisted && waiting.ID == "" {
			waiting = g
		}
	}
	var c app.RegistrationCancel
	s.expect(200, "DELETE", "/api/v1/offerings/"+string(full.OfferingID)+"/registrations/"+string(first.ID), s.Admin, nil).json(t, &c)
	if len(c.Notices) != 1 || c.Notices[0].ProviderID != waiting.ProviderID {
		t.Errorf("cancelling %s promoted %+v; want %s, first on the waitlist", first.ID, c.Notices, waiting.ProviderID)
	}
}
