package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
)

// refusal returns the messages of a 409 refusing a deletion.
func refusal(t *testing.T, s *server, path, key string) []string {
	t.Helper()
	var body app.ErrorBody
	s.expect(409, "DELETE", path, key, nil).json(t, &body)
	if body.Error.Code != bsk.CodeConflict {
		t.Errorf("DELETE %s: code %q; want conflict", path, body.Error.Code)
	}
	var out []string
	for _, p := range body.Error.Problems {
		out = append(out, p.Message)
	}
	return out
}

// TestReferentialIntegrity: a record others refer to is not deleted; the
// conflict lists what refers to it, naming only records the caller may
// see; once the references are gone, the deletion goes through. On both
// databases.
func TestReferentialIntegrity(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			keyA := s.key("agency", "org-a", "")

			// org-a-p1 supervises org-a-p2, leads an offering of org-b's and
			// attended one of its sessions.
			p2 := provider("org-a-p2", "org-a")
			p2.ReportsTo = "org-a-p1"
			s.expect(200, "PUT", "/api/v1/providers/org-a-p2", s.Admin, p2)
			off := bsk.Offering{ID: "rc-1", Kind: bsk.OfferingReflectiveConsultation, Title: "RC", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90,
				OrganizationID: "org-b", Leaders: []bsk.ProviderID{"org-a-p1"}}
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, off)
			sess := bsk.Session{ID: "rc-1-s1", OfferingID: "rc-1", Starts: time.Date(2026, 2, 3, 17, 0, 0, 0, time.UTC), Minutes: 90}
			s.expect(201, "POST", "/api/v1/sessions", s.Admin, sess)
			s.expect(201, "POST", "/api/v1/attendance", s.Admin, bsk.Attendance{SessionID: "rc-1-s1", ProviderID: "org-a-p1", Hours: 1.5, Credit: bsk.CreditReflective})

			// The administrator is told every reference by name.
			msgs := refusal(t, s, "/api/v1/providers/org-a-p1", s.Admin)
			all := strings.Join(msgs, "\n")
			for _, want := range []string{"providers (org-a-p2) through reports_to", "offerings (rc-1) through leaders"} {
				if !strings.Contains(all, want) {
					t.Errorf("refusal %q lacks %q", all, want)
				}
			}
			// The agency may not see org-b's offering: it is counted, not named.
			msgs = refusal(t, s, "/api/v1/providers/org-a-p1", keyA)
			all = strings.Join(msgs, "\n")
			if strings.Contains(all, "rc-1") || !strings.Contains(all, "offerings (1) through leaders") {
				t.Errorf("agency's refusal %q should count org-b's offering without naming it", all)
			}
			// An organization with providers and offerings, an offering with
			// sessions, a session with attendance.
			all = strings.Join(refusal(t, s, "/api/v1/organizations/org-b", s.Admin), "\n")
			for _, want := range []string{"providers (org-b-p1, org-b-p2) through organization_id", "offerings (rc-1) through organization_id"} {
				if !strings.Contains(all, want) {
					t.Errorf("refusal %q lacks %q", all, want)
				}
			}
			if all := strings.Join(refusal(t, s, "/api/v1/offerings/rc-1", s.Admin), "\n"); !strings.Contains(all, "sessions (rc-1-s1)") {
				t.Errorf("offering refusal %q should name its session", all)
			}
			if all := strings.Join(refusal(t, s, "/api/v1/sessions/rc-1-s1", s.Admin), "\n"); !strings.Contains(all, "attendance records (rc-1-s1/org-a-p1) through session_id: a session that was attended") {
				t.Errorf("session refusal %q should name its attendance", all)
			}

			// Nothing was deleted, and every record still saves unchanged.
			s.expect(200, "PUT", "/api/v1/providers/org-a-p2", s.Admin, p2)
			s.expect(200, "PUT", "/api/v1/offerings/rc-1", s.Admin, off)

			// Remove the references; then the provider is deleted, with
			// their attendance, and the session with it.
			p2.ReportsTo = ""
			s.expect(200, "PUT", "/api/v1/providers/org-a-p2", s.Admin, p2)
			off.Leaders = nil
			s.expect(200, "PUT", "/api/v1/offerings/rc-1", s.Admin, off)
			s.expect(204, "DELETE", "/api/v1/providers/org-a-p1", s.Admin, nil)
			var atts app.Page[bsk.Attendance]
			s.expect(200, "GET", "/api/v1/attendance?parent=rc-1-s1", s.Admin, nil).json(t, &atts)
			if len(atts.Items) != 0 {
				t.Errorf("the deleted provider's attendance is still listed: %+v", atts.Items)
			}
			s.expect(204, "DELETE", "/api/v1/sessions/rc-1-s1", s.Admin, nil)
			s.expect(204, "DELETE", "/api/v1/offerings/rc-1", s.Admin, nil)
			all = strings.Join(refusal(t, s, "/api/v1/organizations/org-b", s.Admin), "\n")
			if strings.Contains(all, "offerings") || !strings.Contains(all, "providers (org-b-p1, org-b-p2)") {
				t.Errorf("org-b's refusal %q should name only its providers now", all)
			}
			s.expect(204, "DELETE", "/api/v1/providers/org-b-p1", s.Admin, nil)
			s.expect(204, "DELETE", "/api/v1/providers/org-b-p2", s.Admin, nil)
			s.expect(204, "DELETE", "/api/v1/organizations/org-b", s.Admin, nil)
			// Every deletion and the cascade are in the audit log.
			var log struct {
				Items []struct {
					Action   string `json:"action"`
					Entity   string `json:"entity"`
					EntityID string `json:"entity_id"`
				} `json:"items"`
			}
			s.expect(200, "GET", "/api/v1/audit?limit=20", s.Admin, nil).json(t, &log)
			found := false
			for _, e := range log.Items {
				found = found || (e.Action == "delete" && e.Entity == "attendance record" && e.EntityID == "rc-1-s1/org-a-p1")
			}
			if !found {
				t.Errorf("the cascaded deletion of rc-1-s1/org-a-p1 is not in the newest audit entries: %+v", log.Items)
			}
		})
	}
}
