package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/app"
)

// TestRunQueueFullPage: a run started from the runs page beyond the run
// queue's bound gets a 429 page with Retry-After, in the reader's
// language, saying which bound was reached; before, it was a 500 page
// that told the reader to call the administrator.
func TestRunQueueFullPage(t *testing.T) {
	s := startCfg(t, app.Config{Data: t.TempDir(), Runs: app.RunLimits{PerKey: 1, Total: 1, QueuedPerKey: 1, Queue: 1}})
	b := s.browser()
	b.signIn(s.Admin)
	start := func() page {
		return b.post("/web/runs", url.Values{"csrf": {b.token("/web/runs")}, "time_limit_seconds": {"120"}})
	}
	for i := range 2 { // one running, one waiting
		if p := start(); p.Status != http.StatusSeeOther {
			t.Fatalf("run %d = %d\n%s", i+1, p.Status, p.Body)
		}
	}
	p := start()
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
		t.Fatalf("third run = %d, Retry-After %q; want 429 with Retry-After", p.Status, p.Header.Get("Retry-After"))
	}
	for _, want := range []string{"too much waiting", "runs waiting"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the page does not say %q:\n%s", want, p.Body)
		}
	}
	b.lang = "es"
	if p := start(); p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "demasiado en espera") {
		t.Errorf("Spanish page = %d:\n%s", p.Status, p.Body)
	}
	// The runs are cancelled so that the server stops at once.
	var list struct {
		Items []app.GroupingRun `json:"items"`
	}
	_, body := s.api("GET", "/api/v1/grouping-runs", s.Admin, nil)
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Items {
		s.api("POST", "/api/v1/grouping-runs/"+r.ID+"/cancel", s.Admin, nil)
	}
}
