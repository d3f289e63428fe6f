package web_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// previewSetup assigns reviewers to program esit-f's cycle: two
// providers of org-003, who review without applicants' names. It returns
// the reviewers.
func previewSetup(t *testing.T, s *server) []bsk.ProviderID {
	t.Helper()
	var revs []bsk.ProviderID
	for _, p := range allProviders(t, s) {
		if p.OrganizationID == "org-003" && len(revs) < 2 {
			revs = append(revs, p.ID)
		}
	}
	setup := service.ReviewSetup{
		Settings: scholarship.ReviewSettings{PerApplication: 1, Blind: scholarship.BlindPolicy{Hide: map[string][]scholarship.BlindField{
			"consultant": {scholarship.BlindName}}}},
		Reviewers: []scholarship.Reviewer{{ID: revs[0], Capacity: 10}, {ID: revs[1], Capacity: 10}},
	}
	if st, b := s.api("POST", "/api/v1/programs/esit-f/cycles/2026/review-assignment", s.Admin, setup); st != 201 {
		t.Fatalf("assignment = %d %s", st, b)
	}
	return revs
}

func previewPath(reviewer bsk.ProviderID) string {
	return "/web/review/preview?" + url.Values{"program": {"esit-f"}, "cycle": {"2026"}, "reviewer": {string(reviewer)}}.Encode()
}

// TestReviewPreviewPage: a coordinator previews a reviewer's queue: the
// applications the reviewer reads, names hidden as for the reviewer,
// marked as a preview, without score forms; a consultant previews no
// queue, another reviewer's or their own.
func TestReviewPreviewPage(t *testing.T) {
	s := start(t, true)
	apps := fundedProgram(t, s)
	revs := previewSetup(t, s)
	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)
	expectStatus(t, "the empty preview form", cb.get("/web/review/preview"), 200)
	seen := 0
	for _, r := range revs {
		p := cb.get(previewPath(r))
		expectStatus(t, "the preview", p, 200)
		if !strings.Contains(p.Body, `id="preview-banner"`) || strings.Contains(p.Body, `name="score:`) {
			t.Errorf("the preview is not marked, or has score forms\n%s", p.Body)
		}
		for name, id := range apps {
			if strings.Contains(p.Body, html.EscapeString(name)) && name != "other" {
				t.Errorf("the preview shows %s's name", name)
			}
			if strings.Contains(p.Body, id) {
				seen++
			}
		}
	}
	if seen != len(apps) {
		t.Errorf("the two previews show %d applications; want the %d assigned, one reviewer each", seen, len(apps))
	}

	consKey, _ := s.key("consultant", "", string(revs[0]))
	kb := s.browser()
	kb.signIn(consKey)
	expectStatus(t, "a consultant's preview of another reviewer", kb.get(previewPath(revs[1])), 403)
	expectStatus(t, "a consultant's preview of their own queue", kb.get(previewPath(revs[0])), 403)
}
