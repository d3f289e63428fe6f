package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/scholarship"
)

// TestProgressOverHTTP reads endorsement progress from attendance over
// HTTP: 28 of the Associate level's 30 training hours leave 2 missing,
// 32 meet it; hours after as_of do not count; an agency reads its own
// staff only, a consultant their own record only, and no answer carries
// demographics.
func TestProgressOverHTTP(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			for _, o := range []string{"org-a", "org-b"} {
				s.expect(201, "POST", "/api/v1/organizations", s.Admin, org(o))
			}
			s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-a-1", "org-a"))
			s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-a-2", "org-a"))
			s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-b-1", "org-b"))
			cons := provider("org-a-c", "org-a")
			cons.Role = bsk.RoleConsultant
			s.expect(201, "POST", "/api/v1/providers", s.Admin, cons)
			tr := bsk.Offering{ID: "tr-p", Kind: bsk.OfferingTraining, Title: "Fundamentals", Strategy: bsk.StrategyIECMH, Topic: "IECMH fundamentals",
				Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 240}
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, tr)
			// Eight monthly 4-hour sessions, January to August 2026; org-a-1
			// attends all eight (32 hours), org-a-2 the first seven (28).
			for m := 1; m <= 8; m++ {
				id := bsk.SessionID(fmt.Sprintf("tr-p-%02d", m))
				s.expect(201, "POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: id, OfferingID: tr.ID, Starts: time.Date(2026, time.Month(m), 10, 17, 0, 0, 0, time.UTC), Minutes: 240})
				s.expect(201, "POST", "/api/v1/attendance", s.Admin, bsk.Attendance{SessionID: id, ProviderID: "org-a-1", Hours: 4, Credit: bsk.CreditTraining})
				if m < 8 {
					s.expect(201, "POST", "/api/v1/attendance", s.Admin, bsk.Attendance{SessionID: id, ProviderID: "org-a-2", Hours: 4, Credit: bsk.CreditTraining})
				}
			}
			agencyA, agencyB := s.key("agency", "org-a", ""), s.key("agency", "org-b", "")
			consultant, evaluator := s.key("consultant", "", "org-a-c"), s.key("evaluator", "", "")

			trainingMissing := func(p app.ProviderProgress) string {
				for _, n := range p.Next {
					for _, r := range n.Missing {
						if n.Level == bsk.EndorsementInfantFamilyAssociate && r.Code == scholarship.CodeTrainingHoursShort {
							return r.Params["missing"]
						}
					}
				}
				return ""
			}
			var p1, p2 app.ProviderProgress
			s.expect(200, "GET", "/api/v1/providers/org-a-1/progress?as_of=2026-09-01", agencyA, nil).json(t, &p1)
			s.expect(200, "GET", "/api/v1/providers/org-a-2/progress?as_of=2026-09-01", s.Admin, nil).json(t, &p2)
			if p1.ProviderID != "org-a-1" || p1.Highest != bsk.EndorsementInfantFamilyAssociate {
				t.Errorf("org-a-1 with 32 training hours: highest %q; want %q", p1.Highest, bsk.EndorsementInfantFamilyAssociate)
			}
			if p2.Highest != bsk.EndorsementNone || trainingMissing(p2) != "2.00" {
				t.Errorf("org-a-2 with 28 training hours: highest %q, training hours missing %q; want none and 2.00", p2.Highest, trainingMissing(p2))
			}
			// On June 1 only the January to May sessions count: 20 hours.
			var early app.ProviderProgress
			s.expect(200, "GET", "/api/v1/providers/org-a-1/progress?as_of=2026-06-01", coordKey(s), nil).json(t, &early)
			if early.Highest != bsk.EndorsementNone || trainingMissing(early) != "10.00" {
				t.Errorf("org-a-1 on 2026-06-01: highest %q, missing %q; want none and 10.00", early.Highest, trainingMissing(early))
			}
			s.expect(400, "GET", "/api/v1/providers/org-a-1/progress?as_of=June", s.Admin, nil)

			// Access: another agency and a consultant read another's record
			// as unknown; a consultant reads their own; the evaluator none.
			s.expect(404, "GET", "/api/v1/providers/org-a-1/progress", agencyB, nil)
			s.expect(404, "GET", "/api/v1/providers/org-a-1/progress", consultant, nil)
			s.expect(200, "GET", "/api/v1/providers/org-a-c/progress", consultant, nil)
			s.expect(403, "GET", "/api/v1/providers/org-a-1/progress", evaluator, nil)
			s.expect(404, "GET", "/api/v1/providers/nobody/progress", s.Admin, nil)

			// The list of an agency's staff.
			var list app.ProgressList
			r := s.expect(200, "GET", "/api/v1/organizations/org-a/progress?as_of=2026-09-01", agencyA, nil)
			r.json(t, &list)
			got := map[bsk.ProviderID]bsk.Endorsement{}
			for _, p := range list.Providers {
				got[p.ProviderID] = p.Highest
			}
			want := map[bsk.ProviderID]bsk.Endorsement{"org-a-1": bsk.EndorsementInfantFamilyAssociate, "org-a-2": bsk.EndorsementNone, "org-a-c": bsk.EndorsementNone}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("org-a's progress %v; want %v", got, want)
			}
			if strings.Contains(string(r.Body), "vashon") || strings.Contains(string(r.Body), string(bsk.RaceNativeHawaiianPacificIslander)) {
				t.Errorf("the progress list carries demographics: %s", r.Body)
			}
			s.expect(404, "GET", "/api/v1/organizations/org-a/progress", agencyB, nil)
			s.expect(403, "GET", "/api/v1/organizations/org-a/progress", consultant, nil)
			s.expect(200, "GET", "/api/v1/organizations/org-b/progress", agencyB, nil)
		})
	}
}

func coordKey(s *server) string { return s.key("coordinator", "", "") }
