package app_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// TestReviewQueuePreview: a coordinator previews exactly what a reviewer
// reads in their blind queue, marked as a preview and audited; no
// consultant previews a queue, another reviewer's or their own.
func TestReviewQueuePreview(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			path := reviewCycle(t, s)
			coord := s.key("coordinator", "", "")
			agency := s.key("agency", "org-a", "")
			sup := s.key("consultant", "", "a-sup")
			crev := s.key("consultant", "", "c-rev")

			// No assignment yet: nothing to preview.
			s.expect(404, "GET", path+"/review-queue/preview?reviewer=a-sup", coord, nil)
			s.expect(201, "POST", path+"/review-assignment", coord, reviewSetup())

			var own app.ReviewQueue
			s.expect(200, "GET", path+"/review-queue", sup, nil).json(t, &own)
			r := s.expect(200, "GET", path+"/review-queue/preview?reviewer=a-sup", coord, nil)
			var pv app.QueuePreview
			r.json(t, &pv)
			if !pv.Preview || pv.ReviewerRole != app.RoleConsultant {
				t.Errorf("preview = %v as %q; want marked as a consultant's preview", pv.Preview, pv.ReviewerRole)
			}
			if len(own.Items) == 0 {
				t.Fatal("a-sup has an empty queue: the fixture assigns them applications")
			}
			if d := cmp.Diff(own, pv.ReviewQueue); d != "" {
				t.Errorf("the preview differs from the reviewer's queue (-queue +preview):\n%s", d)
			}
			// The administrator, who sees demographics, previews them
			// hidden all the same: the reviewer's reading, not theirs.
			ra := s.expect(200, "GET", path+"/review-queue/preview?reviewer=a-sup", s.Admin, nil)
			if strings.Contains(string(ra.Body), "native_hawaiian") || strings.Contains(string(ra.Body), "Applicant a-") || strings.Contains(string(ra.Body), "Applicant b-") {
				t.Errorf("the administrator's preview shows what the reviewer may not read: %.300s", ra.Body)
			}
			var apv app.QueuePreview
			ra.json(t, &apv)
			if d := cmp.Diff(own, apv.ReviewQueue); d != "" {
				t.Errorf("the administrator's preview differs from the reviewer's queue:\n%s", d)
			}

			// Consultants preview nobody's queue; agencies neither.
			s.expect(403, "GET", path+"/review-queue/preview?reviewer=a-sup", crev, nil)
			s.expect(403, "GET", path+"/review-queue/preview?reviewer=c-rev", sup, nil)
			s.expect(403, "GET", path+"/review-queue/preview?reviewer=a-sup", sup, nil)
			s.expect(403, "GET", path+"/review-queue/preview?reviewer=a-sup", agency, nil)
			// Someone who is not a reviewer of the cycle, or nobody.
			s.expect(404, "GET", path+"/review-queue/preview?reviewer=a-1", coord, nil)
			s.expect(400, "GET", path+"/review-queue/preview", coord, nil)

			// Each preview is audited, naming the reviewer and what it hid.
			var log struct {
				Items []store.AuditEntry `json:"items"`
			}
			s.expect(200, "GET", "/api/v1/audit?limit=500", s.Admin, nil).json(t, &log)
			audited := 0
			for _, e := range log.Items {
				if e.Entity == "blind review preview" && strings.HasPrefix(e.EntityID, "a-sup/") && strings.Contains(e.EntityID, "applicant.demographics") {
					audited++
				}
			}
			if audited != 2*len(own.Items) {
				t.Errorf("%d previewed views audited; want %d", audited, 2*len(own.Items))
			}
		})
	}
}
