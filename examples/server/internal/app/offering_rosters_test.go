package app_test

import (
	"slices"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
)

// TestOfferingEditKeepsRosters edits a training's capacity and a
// certificate cohort's offering through /offerings over HTTP. The rosters
// follow: a capacity below the seats held is refused at /capacity, a
// raised one promotes the waitlist in order, a cohort's
// offering keeps its kind, and the rosters and the cohort read afterwards
// (they used to fail with 500 once the offering no longer matched them).
// An offering with live registrations is not deleted; once they are
// cancelled it is, and an offering made later under the same ID starts
// with no registrations.
func TestOfferingEditKeepsRosters(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-a"))
			ids := []string{"org-a-1", "org-a-2", "org-a-3", "org-a-4", "org-a-5", "org-a-6"}
			for _, id := range ids {
				s.expect(201, "POST", "/api/v1/providers", s.Admin, provider(id, "org-a"))
			}
			coord := s.key("coordinator", "", "")
			tr := bsk.Offering{ID: "tr-1", Kind: bsk.OfferingTraining, Title: "Attachment", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Capacity: 2, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240}
			s.expect(201, "POST", "/api/v1/offerings", coord, tr)
			s.expect(201, "POST", "/api/v1/sessions", coord, bsk.Session{ID: "tr-1-s1", OfferingID: "tr-1", Starts: time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC), Minutes: 240})
			regs := map[string]bsk.Registration{}
			for _, id := range ids[:4] {
				var g bsk.Registration
				s.expect(201, "POST", "/api/v1/offerings/tr-1/registrations", coord, app.RegistrationRequest{ProviderID: bsk.ProviderID(id)}).json(t, &g)
				regs[id] = g
			}
			roster := func() app.TrainingRoster {
				t.Helper()
				var r app.TrainingRoster
				s.expect(200, "GET", "/api/v1/offerings/tr-1/registrations", coord, nil).json(t, &r)
				return r
			}
			if r := roster(); r.Registered != 2 || r.Waitlisted != 2 {
				t.Fatalf("before: %d registered, %d waiting; want 2 and 2", r.Registered, r.Waitlisted)
			}

			// Below the seats held: refused at /capacity, nothing changed.
			tr.Capacity = 1
			if got := s.expect(409, "PUT", "/api/v1/offerings/tr-1", coord, tr).problems(t); !slices.Contains(got, "/capacity") {
				t.Errorf("capacity 1 under 2 seats: problems %v; want /capacity", got)
			}
			if r := roster(); r.Capacity != 2 || r.Registered != 2 || r.Waitlisted != 2 {
				t.Errorf("after the refused edit: %+v; want the roster unchanged", r)
			}

			// Raised by one: the first waiting takes the seat, with a notice.
			tr.Capacity = 3
			s.expect(200, "PUT", "/api/v1/offerings/tr-1", coord, tr)
			r := roster()
			if r.Capacity != 3 || r.Registered != 3 || r.Waitlisted != 1 {
				t.Errorf("after raising to 3: capacity %d, %d registered, %d waiting; want 3, 3, 1", r.Capacity, r.Registered, r.Waitlisted)
			}
			status := map[bsk.ProviderID]bsk.RegistrationStatus{}
			for _, g := range r.Registrations {
				status[g.ProviderID] = g.Status
			}
			if status["org-a-3"] != bsk.RegistrationRegistered || status["org-a-4"] != bsk.RegistrationWaitlisted {
				t.Errorf("after raising to 3: %v; want org-a-3 promoted, org-a-4 still waiting", status)
			}
			// No limit: everyone is seated.
			tr.Capacity = 0
			s.expect(200, "PUT", "/api/v1/offerings/tr-1", coord, tr)
			if r := roster(); r.Registered != 4 || r.Waitlisted != 0 {
				t.Errorf("without a limit: %d registered, %d waiting; want 4 and 0", r.Registered, r.Waitlisted)
			}

			// Live registrations hold the offering; cancelled ones do not.
			s.expect(204, "DELETE", "/api/v1/sessions/tr-1-s1", coord, nil)
			if got := s.expect(409, "DELETE", "/api/v1/offerings/tr-1", coord, nil).problems(t); len(got) == 0 {
				t.Errorf("deleting with live registrations: no problem named")
			}
			for _, id := range ids[:4] {
				s.expect(200, "DELETE", "/api/v1/offerings/tr-1/registrations/"+string(regs[id].ID), coord, nil)
			}
			s.expect(204, "DELETE", "/api/v1/offerings/tr-1", coord, nil)
			tr.Capacity = 2
			s.expect(201, "POST", "/api/v1/offerings", coord, tr)
			if r := roster(); r.Registered != 0 || r.Waitlisted != 0 || len(r.Registrations) != 0 {
				t.Errorf("a new offering under the old ID: %+v; want no registrations", r)
			}

			// A certificate cohort's offering keeps its kind, and its
			// capacity follows the same rules.
			const py = "/api/v1/program-year"
			s.expect(201, "POST", py+"/cohorts", coord, cohortRequest("cert-1", 1, "org-a-5", "org-a-6"))
			var first, second bsk.Registration
			s.expect(201, "POST", py+"/cohorts/cert-1/enrolments", coord, app.CohortEnrolment{ProviderID: "org-a-1"}).json(t, &first)
			s.expect(201, "POST", py+"/cohorts/cert-1/enrolments", coord, app.CohortEnrolment{ProviderID: "org-a-2"}).json(t, &second)
			if first.Status != bsk.RegistrationRegistered || second.Status != bsk.RegistrationWaitlisted {
				t.Fatalf("cohort enrolments %s, %s; want registered, waitlisted", first.Status, second.Status)
			}
			var view app.CohortView
			s.expect(200, "GET", py+"/cohorts/cert-1", coord, nil).json(t, &view)
			off := view.Offering
			off.Kind = bsk.OfferingTraining
			if got := s.expect(409, "PUT", "/api/v1/offerings/cert-1", coord, off).problems(t); !slices.Contains(got, "/kind") {
				t.Errorf("a cohort's offering made a training: problems %v; want /kind", got)
			}
			off.Kind = bsk.OfferingCertificateCohort
			off.Capacity = 2
			s.expect(200, "PUT", "/api/v1/offerings/cert-1", coord, off)
			s.expect(200, "GET", py+"/cohorts/cert-1", coord, nil).json(t, &view)
			seated := 0
			for _, g := range view.Registrations {
				if g.Status == bsk.RegistrationRegistered {
					seated++
				}
			}
			if view.Capacity != 2 || seated != 2 {
				t.Errorf("cohort after raising to 2: capacity %d, %d seated; want 2 and 2", view.Capacity, seated)
			}
		})
	}
}
