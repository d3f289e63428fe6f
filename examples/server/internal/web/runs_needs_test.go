package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/grouping"
)

// The run's page sums up the members no consultant could lead in any
// group, by what the consultants lack: each language (the demo's
// consultants speak no Arabic), and the meeting times. The counts are the
// run's own reasons counted; the Spanish page says the same in Spanish.
func TestRunPageSumsUpWhatTheConsultantsLack(t *testing.T) {
	s := start(t, true)
	runID, _ := finishedRun(t, s)
	st, body := s.api("GET", "/api/v1/grouping-runs/"+runID, s.Admin, nil)
	var run service.GroupingRun
	if err := json.Unmarshal(body, &run); st != 200 || err != nil || run.Solution == nil {
		t.Fatalf("reading run %s = %d %v", runID, st, err)
	}
	byLang, times, both := map[string]int{}, 0, 0
	for _, u := range run.Solution.Unplaced {
		p := u.Reason.Params
		if u.Reason.Code != grouping.ReasonNoLeaderFits {
			continue
		}
		if p["given"] != "" {
			if p["given"] == grouping.AttrLanguages && p["attr"] == grouping.AttrSlots {
				both++
			}
			continue
		}
		switch p["attr"] {
		case grouping.AttrLanguages:
			byLang[p["values"]]++
		case grouping.AttrSlots:
			times++
		}
	}
	if byLang["ar"] == 0 || times == 0 {
		t.Fatalf("the demo run leaves out no Arabic speaker or no one at times no consultant keeps for want of a consultant: %v, %d", byLang, times)
	}
	b := s.browser()
	b.signIn(s.Admin)
	needs := func(lang string) string {
		page := b.get("/web/runs/" + runID + "?lang=" + lang)
		m := regexp.MustCompile(`(?s)<div id="needs">(.*?)</div>`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("the run's page (%s) has no summary of what the consultants lack:\n%s", lang, page.Body)
		}
		return html.UnescapeString(m[1])
	}
	en := needs("en")
	for _, want := range []string{
		"No consultant could lead these in any group:",
		fmt.Sprintf("<li>none speaks Arabic: %d</li>", byLang["ar"]),
		fmt.Sprintf("<li>none is free at any of their meeting times: %d</li>", times),
	} {
		if !strings.Contains(en, want) {
			t.Errorf("the summary lacks %q:\n%s", want, en)
		}
	}
	if line := fmt.Sprintf("<li>those who speak their language are free at none of their meeting times: %d</li>", both); strings.Contains(en, line) != (both > 0) {
		t.Errorf("%d left out for a consultant who speaks their language at their times; the summary says:\n%s", both, en)
	}
	if got, want := strings.Count(en, "<li>none speaks "), len(byLang); got != want {
		t.Errorf("the summary has %d language lines, want %d (%v):\n%s", got, want, byLang, en)
	}
	es := needs("es")
	if want := fmt.Sprintf("<li>ninguno habla árabe: %d</li>", byLang["ar"]); !strings.Contains(es, want) {
		t.Errorf("the Spanish summary lacks %q:\n%s", want, es)
	}
}
