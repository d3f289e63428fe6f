package app_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/training"
)

// TestTrainings registers two agencies' staff for a two-seat training over
// HTTP: seats then the waitlist, promotions in order on cancellations, each
// agency seeing only its own staff's registrations and promotions, an
// organization's own group refusing other agencies' staff with its reason,
// a transcript with credit per session, and reach for staff only.
func TestTrainings(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			for _, o := range []string{"org-a", "org-b"} {
				s.expect(201, "POST", "/api/v1/organizations", s.Admin, org(o))
			}
			for _, id := range []string{"org-a-1", "org-a-2", "org-a-3"} {
				s.expect(201, "POST", "/api/v1/providers", s.Admin, provider(id, "org-a"))
			}
			s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-b-1", "org-b"))
			tr := bsk.Offering{ID: "tr-1", Kind: bsk.OfferingTraining, Title: "Attachment", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
				Language: bsk.English, Capacity: 2, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240}
			rc := bsk.Offering{ID: "rc-a", Kind: bsk.OfferingReflectiveConsultation, Title: "RC", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Capacity: 8, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90, OrganizationID: "org-a"}
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, tr)
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, rc)
			s.expect(201, "POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "tr-1-s1", OfferingID: "tr-1", Starts: time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC), Minutes: 240})
			s.expect(201, "POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "rc-a-s1", OfferingID: "rc-a", Starts: time.Date(2026, 1, 20, 17, 0, 0, 0, time.UTC), Minutes: 90})
			agencyA, agencyB := s.key("agency", "org-a", ""), s.key("agency", "org-b", "")
			coord := s.key("coordinator", "", "")

			register := func(key, provider string, want int) bsk.Registration {
				t.Helper()
				var g bsk.Registration
				r := s.expect(want, "POST", "/api/v1/offerings/tr-1/registrations", key, app.RegistrationRequest{ProviderID: bsk.ProviderID(provider)})
				if want == 201 {
					r.json(t, &g)
				}
				return g
			}
			a1 := register(agencyA, "org-a-1", 201)
			a2 := register(agencyA, "org-a-2", 201)
			a3 := register(agencyA, "org-a-3", 201)
			b1 := register(agencyB, "org-b-1", 201)
			got := []bsk.RegistrationStatus{a1.Status, a2.Status, a3.Status, b1.Status}
			if want := []bsk.RegistrationStatus{"registered", "registered", "waitlisted", "waitlisted"}; !slices.Equal(got, want) {
				t.Fatalf("statuses %v; want %v", got, want)
			}
			register(agencyA, "org-a-1", 409) // already registered
			register(agencyB, "org-a-2", 404) // another agency's staff reads as unknown

			// Each agency sees the counts and its own registrations only.
			var ra, rb app.TrainingRoster
			s.expect(200, "GET", "/api/v1/offerings/tr-1/registrations", agencyA, nil).json(t, &ra)
			s.expect(200, "GET", "/api/v1/offerings/tr-1/registrations", agencyB, nil).json(t, &rb)
			if ra.Registered != 2 || ra.Waitlisted != 2 || len(ra.Registrations) != 3 || len(rb.Registrations) != 1 || rb.Registrations[0].ProviderID != "org-b-1" {
				t.Errorf("rosters: A %+v; B %+v", ra, rb)
			}
			// Agency B may not cancel agency A's registration.
			s.expect(404, "DELETE", "/api/v1/offerings/tr-1/registrations/"+string(a1.ID), agencyB, nil)

			// A cancels org-a-1: org-a-3, first on the waitlist, is promoted.
			var c1 app.RegistrationCancel
			s.expect(200, "DELETE", "/api/v1/offerings/tr-1/registrations/"+string(a1.ID), agencyA, nil).json(t, &c1)
			if c1.Registration.Status != bsk.RegistrationCancelled || len(c1.Notices) != 1 || c1.Notices[0].ProviderID != "org-a-3" || c1.Notices[0].Position != 1 {
				t.Errorf("first cancellation: %+v", c1)
			}
			s.expect(409, "DELETE", "/api/v1/offerings/tr-1/registrations/"+string(a1.ID), agencyA, nil)
			// A cancels org-a-3: org-b-1 is promoted, and A is not told who.
			var c2 app.RegistrationCancel
			r := s.expect(200, "DELETE", "/api/v1/offerings/tr-1/registrations/"+string(a3.ID), agencyA, nil)
			r.json(t, &c2)
			if len(c2.Notices) != 0 || strings.Contains(string(r.Body), "org-b") {
				t.Errorf("agency A learned of another agency's promotion: %s", r.Body)
			}
			s.expect(200, "GET", "/api/v1/offerings/tr-1/registrations", agencyB, nil).json(t, &rb)
			if len(rb.Registrations) != 1 || rb.Registrations[0].Status != bsk.RegistrationRegistered {
				t.Errorf("org-b-1 after the promotion: %+v", rb)
			}

			// Interpreters: org-a-3 asks again, for ASL, and waits (no plan);
			// once org-a-2 cancels, the seat and two ASL interpreters for the
			// 4-hour session are org-a-3's.
			var a3again bsk.Registration
			s.expect(201, "POST", "/api/v1/offerings/tr-1/registrations", s.Admin, app.RegistrationRequest{ProviderID: "org-a-3", Interpretation: bsk.ASL}).json(t, &a3again)
			var plan []bsk.InterpreterBooking
			s.expect(200, "GET", "/api/v1/offerings/tr-1/interpretation?deadline_days=10", coord, nil).json(t, &plan)
			if a3again.Status != bsk.RegistrationWaitlisted || len(plan) != 0 {
				t.Errorf("waiting: %s, plan %+v; want waitlisted and no booking", a3again.Status, plan)
			}
			s.expect(200, "DELETE", "/api/v1/offerings/tr-1/registrations/"+string(a2.ID), s.Admin, nil)
			s.expect(200, "GET", "/api/v1/offerings/tr-1/interpretation?deadline_days=10", coord, nil).json(t, &plan)
			if len(plan) != 1 || plan[0].Language != bsk.ASL || plan[0].Interpreters != 2 || fmt.Sprint(plan[0].Registrants) != "[org-a-3]" ||
				!plan[0].BookBy.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("plan %+v; want two ASL interpreters for org-a-3, booked by 2026-01-05", plan)
			}
			s.expect(403, "GET", "/api/v1/offerings/tr-1/interpretation", agencyA, nil)

			// An organization's own group refuses another agency's staff, saying why.
			r = s.expect(400, "POST", "/api/v1/offerings/rc-a/registrations", s.Admin, app.RegistrationRequest{ProviderID: "org-b-1"})
			if !strings.Contains(string(r.Body), training.CodeOtherOrganization) || !strings.Contains(string(r.Body), "organization: org-a") {
				t.Errorf("refusal body %s; want the other_organization reason naming org-a", r.Body)
			}
			s.expect(404, "POST", "/api/v1/offerings/rc-a/registrations", agencyB, app.RegistrationRequest{ProviderID: "org-b-1"})
			s.expect(201, "POST", "/api/v1/offerings/rc-a/registrations", agencyA, app.RegistrationRequest{ProviderID: "org-a-1"})

			// A transcript: the training's 4 training hours, the group's 1.5 reflective.
			for _, a := range []bsk.Attendance{
				{SessionID: "tr-1-s1", ProviderID: "org-a-2", Hours: 4, Credit: bsk.CreditTraining},
				{SessionID: "rc-a-s1", ProviderID: "org-a-2", Hours: 1.5, Credit: bsk.CreditReflective},
			} {
				s.expect(201, "POST", "/api/v1/attendance", agencyA, a)
			}
			var tx training.Transcript
			s.expect(200, "GET", "/api/v1/providers/org-a-2/transcript", agencyA, nil).json(t, &tx)
			if tx.Total != (training.Hours{Training: 4, Reflective: 1.5}) || len(tx.Lines) != 2 || tx.ByYear[0].Key != "2026" {
				t.Errorf("transcript %+v", tx)
			}
			s.expect(404, "GET", "/api/v1/providers/org-a-2/transcript", agencyB, nil)

			// A participants report for a second session: org-a-1 dropped and
			// re-joined, org-b-1 stayed, a guest is left for review.
			s.expect(201, "POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "tr-1-s2", OfferingID: "tr-1", Starts: time.Date(2026, 2, 19, 17, 0, 0, 0, time.UTC), Minutes: 240})
			report := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n" +
				"Person org-a-1,,02/19/2026 09:00:00 AM,02/19/2026 10:00:00 AM,60\n" +
				"Person org-a-1,,02/19/2026 10:30:00 AM,02/19/2026 01:00:00 PM,150\n" +
				"Person org-b-1,,02/19/2026 09:00:00 AM,02/19/2026 01:00:00 PM,240\n" +
				"Guest Speaker,,02/19/2026 09:00:00 AM,02/19/2026 10:00:00 AM,60\n"
			s.expect(403, "POST", "/api/v1/sessions/tr-1-s2/attendance/zoom?time_zone=America/Los_Angeles", agencyA, report)
			var zi app.ZoomImport
			s.expect(201, "POST", "/api/v1/sessions/tr-1-s2/attendance/zoom?time_zone=America/Los_Angeles", coord, report).json(t, &zi)
			if zi.Rows != 4 || zi.Imported != 2 || zi.Merged != 1 || len(zi.Unmatched) != 1 || zi.Unmatched[0].Row != 5 {
				t.Errorf("zoom import %+v", zi)
			}
			s.expect(200, "GET", "/api/v1/providers/org-a-1/transcript", agencyA, nil).json(t, &tx)
			if tx.Total.Training != 3.5 {
				t.Errorf("org-a-1 after the report: %+v; want 3.5 training hours (60 + 150 minutes)", tx.Total)
			}
			// Again: org-a-1 has its record already, and nothing is stored.
			s.expect(409, "POST", "/api/v1/sessions/tr-1-s2/attendance/zoom", coord, report)
			bad := strings.Replace(report, "10:00:00 AM,60", "08:00:00 AM,60", 1)
			r = s.expect(400, "POST", "/api/v1/sessions/tr-1-s2/attendance/zoom", coord, bad)
			if p := r.problems(t); len(p) != 1 || p[0] != "rows[2].leave_time" {
				t.Errorf("bad report problems %v; want rows[2].leave_time", p)
			}

			// Reach, for staff: one attendee in January, two in February,
			// every count hidden under 10.
			var reach training.Reach
			s.expect(200, "GET", "/api/v1/trainings/reach", coord, nil).json(t, &reach)
			if reach.Disclosure != "wa_doh" || fmt.Sprint(reach.Months.Rows) != "[2026-01 2026-02]" || reach.Months.Counts[0][0] != nil || reach.Months.Counts[1][0] != nil {
				t.Errorf("reach %+v; want January's and February's few attendees hidden", reach.Months)
			}
			s.expect(403, "GET", "/api/v1/trainings/reach", agencyA, nil)
			s.expect(400, "GET", "/api/v1/trainings/reach?kind=lecture", coord, nil)
		})
	}
}

// TestTrainingsReachDemo reads reach over the demo workforce's year of
// monthly trainings: twelve sessions of 75 to 125 attendees each, as the
// program reports, and a return rate for each month with a next one.
func TestTrainingsReachDemo(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	var reach training.Reach
	s.expect(200, "GET", "/api/v1/trainings/reach", s.Admin, nil).json(t, &reach)
	if len(reach.Sessions.Rows) != 12 || len(reach.Months.Rows) != 12 {
		t.Fatalf("reach: %d sessions, %d months; want 12 and 12", len(reach.Sessions.Rows), len(reach.Months.Rows))
	}
	for i, row := range reach.Sessions.Counts {
		if row[0] == nil || *row[0] < 75 || *row[0] > 125 {
			t.Errorf("session %s: attendees %v; want 75 to 125", reach.Sessions.Rows[i], row[0])
		}
	}
	for i, m := range reach.ReturnRate {
		if (m.Rate == nil) != (i == 11) {
			t.Errorf("%s: rate %v", m.Month, m.Rate)
		}
		if m.Rate != nil && (*m.Rate <= 0 || *m.Rate >= 1) {
			t.Errorf("%s: rate %g", m.Month, *m.Rate)
		}
	}
	if len(reach.Shares) != 6 {
		t.Errorf("%d share tables; want 6", len(reach.Shares))
	}
}
