package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/training"
)

// TestProgramYearFixes checks, over HTTP on the demo workforce, that an
// invoice bills each session to the consultant who led it then (a
// re-grouping hands a group to another consultant from March: January is
// still the first one's), that a run and its re-grouping are never both
// published as fresh groups, and that a provider with a seat, a waitlist
// place or a current enrolment is not deleted while one whose history is
// over is deleted with it.
func TestProgramYearFixes(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, true)
			const v1, py = "/api/v1", "/api/v1/program-year"
			admin, coord := s.Admin, s.key("coordinator", "", "")
			rcRun := func(orgs ...string) app.GroupingRun {
				t.Helper()
				var r app.GroupingRun
				s.expect(202, "POST", v1+"/grouping-runs", coord, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset,
					OrganizationIDs: orgs, TimeLimitSeconds: 1, Seed: 5}).json(t, &r)
				r = waitFinished(t, s, coord, r.ID)
				if r.Status != app.RunDone {
					t.Fatalf("run %s: %s %+v", r.ID, r.Status, r.Error)
				}
				return r
			}
			regroup := func(id string) app.GroupingRun {
				t.Helper()
				var r app.GroupingRun
				s.expect(202, "POST", v1+"/grouping-runs/"+id+"/regroup", coord, app.RegroupRequest{TimeLimitSeconds: 1}).json(t, &r)
				r = waitFinished(t, s, coord, r.ID)
				if r.Status != app.RunDone {
					t.Fatalf("re-grouping %s: %s %+v", r.ID, r.Status, r.Error)
				}
				return r
			}

			// 1. A run and its re-grouping: the re-grouping is published
			// first, as fresh groups; the run itself is then refused,
			// naming the re-grouping, since its members have groups.
			c := rcRun("org-002")
			d := regroup(c.ID)
			s.expect(201, "POST", py+"/rc-runs/"+d.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Months: 2})
			r := s.expect(http.StatusConflict, "POST", py+"/rc-runs/"+c.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Months: 2})
			if !strings.Contains(string(r.Body), d.ID) {
				t.Errorf("the refusal does not name the published re-grouping %s: %s", d.ID, r.Body)
			}
			// And a re-grouping of the re-grouping goes on from it.
			e := regroup(d.ID)
			var pe app.Publication
			s.expect(201, "POST", py+"/rc-runs/"+e.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Months: 2}).json(t, &pe)
			if pe.PreviousRunID != d.ID {
				t.Errorf("the second re-grouping continues %q; want %q", pe.PreviousRunID, d.ID)
			}

			// 2. A run published for January to April; group g's consultant
			// leaves the consultant role, and the re-grouping from March 1
			// hands the group to another.
			a := rcRun("org-001", "org-003", "org-004")
			g := -1
			for gi, l := range a.Leaders {
				if l != "" && len(a.Solution.Groups[gi]) > 0 {
					g = gi
					break
				}
			}
			if g < 0 {
				t.Fatalf("no group of run %s has a consultant: %v, unled %+v", a.ID, a.Leaders, a.Unled)
			}
			var pa app.Publication
			s.expect(201, "POST", py+"/rc-runs/"+a.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Months: 4}).json(t, &pa)
			first := a.Leaders[g]
			var lp bsk.Provider
			s.expect(200, "GET", v1+"/providers/"+first, admin, nil).json(t, &lp)
			lp.Role = bsk.RoleSupervisor
			s.expect(200, "PUT", v1+"/providers/"+first, admin, lp)
			b2 := regroup(a.ID)
			second := b2.Leaders[g]
			if second == "" || second == first {
				t.Fatalf("the re-grouping's consultant of group %d is %q; want one other than %q", g, second, first)
			}
			march := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
			s.expect(201, "POST", py+"/rc-runs/"+b2.ID+"/publish", coord, app.PublishRequest{From: "2026-01", Effective: &march})
			off := pa.Offerings[g]
			var sess app.Page[bsk.Session]
			s.expect(200, "GET", v1+"/sessions?parent="+string(off)+"&limit=50", admin, nil).json(t, &sess)
			member := bsk.ProviderID(a.Solution.Groups[g][0])
			month := func(m string) bsk.SessionID {
				for _, x := range sess.Items {
					if x.Starts.Format("2006-01") == m {
						return x.ID
					}
				}
				t.Fatalf("group %s has no session in %s: %+v", off, m, sess.Items)
				return ""
			}
			for _, m := range []string{"2026-01", "2026-03"} {
				s.expect(201, "POST", v1+"/attendance", admin, bsk.Attendance{SessionID: month(m), ProviderID: member, Hours: 1.5, Credit: bsk.CreditReflective})
			}
			consultants := func(m string) []bsk.ProviderID {
				t.Helper()
				var inv app.Invoice
				s.expect(201, "POST", py+"/invoices", coord, app.InvoiceRequest{Month: m, Rates: training.Rates{HourlyCents: 100_00}}).json(t, &inv)
				var out []bsk.ProviderID
				for _, l := range inv.Lines {
					out = append(out, l.Consultant)
				}
				return out
			}
			if got := consultants("2026-01"); len(got) != 1 || string(got[0]) != first {
				t.Errorf("January's invoice bills %v; want %s, who led the group then", got, first)
			}
			if got := consultants("2026-03"); len(got) != 1 || string(got[0]) != second {
				t.Errorf("March's invoice bills %v; want %s, who leads the group since the re-grouping", got, second)
			}

			// 3. Deleting a provider: a current enrolment refuses it.
			if r := s.do("DELETE", v1+"/providers/"+string(member), admin, nil); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "enrolments") {
				t.Errorf("deleting group member %s = %d %s; want 409 naming the enrolment", member, r.Status, r.Body)
			}
			// A seat, and a place on the waitlist, refuse it; once cancelled,
			// the provider goes with their registrations.
			tr := bsk.Offering{ID: "fix-tr", Kind: bsk.OfferingTraining, Title: "One seat", Strategy: bsk.StrategyIECMH, Language: bsk.English,
				Capacity: 1, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 60}
			s.expect(201, "POST", v1+"/offerings", admin, tr)
			for _, id := range []string{"org-003-fix1", "org-003-fix2"} {
				s.expect(201, "POST", v1+"/providers", admin, provider(id, "org-003"))
			}
			var seat, wait bsk.Registration
			s.expect(201, "POST", v1+"/offerings/fix-tr/registrations", admin, app.RegistrationRequest{ProviderID: "org-003-fix1"}).json(t, &seat)
			s.expect(201, "POST", v1+"/offerings/fix-tr/registrations", admin, app.RegistrationRequest{ProviderID: "org-003-fix2"}).json(t, &wait)
			for _, id := range []string{"org-003-fix1", "org-003-fix2"} {
				if r := s.do("DELETE", v1+"/providers/"+id, admin, nil); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "registrations") {
					t.Errorf("deleting %s = %d %s; want 409 naming the registration", id, r.Status, r.Body)
				}
			}
			// Cancelling the seat promotes org-003-fix2; org-003-fix1 then goes,
			// and the roster reads without their registration.
			s.expect(200, "DELETE", v1+"/offerings/fix-tr/registrations/"+string(seat.ID), admin, nil)
			s.expect(204, "DELETE", v1+"/providers/org-003-fix1", admin, nil)
			var roster app.TrainingRoster
			s.expect(200, "GET", v1+"/offerings/fix-tr/registrations", admin, nil).json(t, &roster)
			if len(roster.Registrations) != 1 || roster.Registrations[0].ProviderID != "org-003-fix2" || roster.Registered != 1 {
				t.Errorf("the roster after org-003-fix1 was deleted: %+v; want org-003-fix2 alone, holding the seat", roster)
			}
		})
	}
}
