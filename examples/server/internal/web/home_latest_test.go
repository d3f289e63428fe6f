package web_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// TestHomeLatestRun: the staff's home shows the newest reflective
// consultation run each may see: none before any run; then the run just
// finished; a newer reflective consultation formed from race is the
// administrator's latest and never the coordinator's, whose home keeps
// the older run.
func TestHomeLatestRun(t *testing.T) {
	s := start(t, true)
	coordKey, _ := s.key("coordinator", "", "")
	coord, admin := s.browser(), s.browser()
	coord.signIn(coordKey)
	admin.signIn(s.Admin)
	if p := coord.get("/web/"); p.Status != 200 || strings.Contains(p.Body, "/web/runs/run-") {
		t.Fatalf("the coordinator's home before any run = %d, links a run\n%.2000s", p.Status, p.Body)
	}
	plain, _ := finishedRun(t, s)
	st, body := s.api("POST", "/api/v1/grouping-runs", s.Admin, map[string]any{"preset": "reflective_consultation", "time_limit_seconds": 1,
		"criteria": []map[string]any{{"kind": "diverse", "attr": "race", "weight": 1}}})
	if st != 202 {
		t.Fatalf("starting a run from race = %d %s", st, body)
	}
	var raced service.GroupingRun
	json.Unmarshal(body, &raced)
	for range 120 {
		_, body = s.api("GET", "/api/v1/grouping-runs/"+raced.ID, s.Admin, nil)
		json.Unmarshal(body, &raced)
		if raced.Status != service.RunQueued && raced.Status != service.RunRunning {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if raced.ID <= plain {
		t.Fatalf("the run from race %q is not newer than %q", raced.ID, plain)
	}
	for _, c := range []struct {
		who       string
		b         *browser
		want, not string
	}{
		{"coordinator", coord, plain, raced.ID},
		{"administrator", admin, raced.ID, plain},
	} {
		p := c.b.get("/web/")
		if p.Status != 200 || !strings.Contains(p.Body, `href="/web/runs/`+c.want+`"`) || strings.Contains(p.Body, c.not) {
			t.Errorf("the %s's home = %d; want a link to run %s and nothing of %s\n%.3000s", c.who, p.Status, c.want, c.not, p.Body)
		}
	}
}
