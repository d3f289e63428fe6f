package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// The form that starts a run offers fewer, fuller groups: ticking the box
// starts a run whose request allows the search to close groups, and
// leaving it unticked keeps the planned groups; the run's page says which.
func TestStartRunFewerGroups(t *testing.T) {
	s := start(t, true)
	b := s.browser()
	b.signIn(s.Admin)
	page := b.get("/web/runs")
	if !strings.Contains(page.Body, `<label for="fewer_groups"><input type="checkbox" id="fewer_groups" name="fewer_groups">`) {
		t.Fatalf("the runs page has no labelled fewer-groups box:\n%s", page.Body)
	}
	for _, tick := range []bool{true, false} {
		form := url.Values{"csrf": {b.token("/web/runs")}, "time_limit_seconds": {"1"}}
		if tick {
			form.Set("fewer_groups", "on")
		}
		p := b.post("/web/runs", form)
		id, ok := strings.CutPrefix(p.Header.Get("Location"), "/web/runs/")
		if p.Status != http.StatusSeeOther || !ok {
			t.Fatalf("starting a run = %d to %q", p.Status, p.Header.Get("Location"))
		}
		st, body := s.api("GET", "/api/v1/grouping-runs/"+id, s.Admin, nil)
		var run service.GroupingRun
		if err := json.Unmarshal(body, &run); st != 200 || err != nil {
			t.Fatalf("reading run %s = %d %v %s", id, st, err, body)
		}
		if run.Request.Options.AllowFewerGroups != tick {
			t.Errorf("box ticked %v: the run's options allow fewer groups = %v", tick, run.Request.Options.AllowFewerGroups)
		}
		if got := strings.Contains(b.get("/web/runs/"+id).Body, `<p id="fewer">`); got != tick {
			t.Errorf("box ticked %v: the run's page says fewer groups were allowed = %v", tick, got)
		}
	}
}
