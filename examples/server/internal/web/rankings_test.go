package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/survey"
)

// rankingRelease imports n answers that each rank the four topics in one
// order (Reflective supervision, Trauma-informed practice, Infant mental
// health 101, Attachment) to instrument id, releases them under WA DOH's
// standard and returns the import's ID.
func rankingRelease(t *testing.T, s *server, id string, n int) string {
	t.Helper()
	in := survey.Instrument{ID: id, Version: "1", Cycle: "2026", Population: "providers who answered the topics survey",
		Items: []survey.Item{{Code: "topics", Kind: survey.Ranking, Text: "Rank the topics you want next year",
			Options: []survey.Option{{Code: "trauma", Label: "Trauma-informed practice"}, {Code: "imh101", Label: "Infant mental health 101"}, {Code: "rs", Label: "Reflective supervision"}, {Code: "attachment", Label: "Attachment"}}}}}
	if st, b := s.api("POST", "/api/v1/instruments", s.Admin, in); st != 201 {
		t.Fatalf("instrument = %d %s", st, b)
	}
	var csv strings.Builder
	csv.WriteString("respondent_id,topics\n")
	for i := range n {
		fmt.Fprintf(&csv, "r%05d,rs;trauma;imh101;attachment\n", i)
	}
	imp := importSurvey(t, s, id, csv.String())
	if st, b := s.api("POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, service.ReleaseRequest{Standard: "wa_doh"}); st != 201 {
		t.Fatalf("release = %d %s", st, b)
	}
	return imp.ID
}

// TestRankingsPage: an evaluator reads a release's ranking in Borda order
// with its points (40 respondents, each ranking four topics: 4, 3, 2 and 1
// points) and top-three shares; a ranking of three respondents is hidden
// with the reason; agencies and consultants are refused.
func TestRankingsPage(t *testing.T) {
	s := start(t, true)
	shown := rankingRelease(t, s, "topics-40", 40)
	hidden := rankingRelease(t, s, "topics-3", 3)
	evKey, _ := s.key("evaluator", "", "")
	eb := s.browser()
	eb.signIn(evKey)
	p := eb.get("/web/reports/rankings?import=" + shown)
	expectStatus(t, "the rankings", p, 200)
	table := section(t, p.Body, `id="ranking-topics"`, "</table>")
	want := []string{
		"<td>1</td><th scope=\"row\">Reflective supervision</th><td>160</td><td>100.0%</td>",
		"<td>2</td><th scope=\"row\">Trauma-informed practice</th><td>120</td><td>100.0%</td>",
		"<td>3</td><th scope=\"row\">Infant mental health 101</th><td>80</td><td>100.0%</td>",
		"<td>4</td><th scope=\"row\">Attachment</th><td>40</td><td>0.0%</td>",
	}
	last := -1
	for _, row := range want {
		i := strings.Index(table, row)
		if i < 0 || i < last {
			t.Errorf("the ranking lacks, or misplaces, %s\n%s", row, table)
		}
		last = i
	}
	if !strings.Contains(table, "40 respondents ranked at least one option.") {
		t.Errorf("the ranking does not count 40 respondents\n%s", table)
	}

	h := eb.get("/web/reports/rankings?import=" + hidden)
	expectStatus(t, "the hidden ranking", h, 200)
	if strings.Contains(h.Body, `id="ranking-topics"`) || !strings.Contains(h.Body, `id="hidden-topics"`) || !strings.Contains(h.Body, "Hidden under") {
		t.Errorf("a ranking of 3 respondents is not hidden with its reason\n%s", h.Body)
	}
	eb.lang = "es"
	if es := eb.get("/web/reports/rankings?import=" + shown); !strings.Contains(es.Body, "Clasificaciones de encuestas") || !strings.Contains(es.Body, "Puntos") {
		t.Errorf("the Spanish rankings\n%s", es.Body)
	}
	expectStatus(t, "an unknown import", eb.get("/web/reports/rankings?import=imp-none"), 404)

	agencyKey, _ := s.key("agency", "org-001", "")
	consultantKey, _ := s.key("consultant", "", string(allProviders(t, s)[0].ID))
	for role, key := range map[string]string{"agency": agencyKey, "consultant": consultantKey} {
		b := s.browser()
		b.signIn(key)
		expectStatus(t, "the "+role+"'s rankings", b.get("/web/reports/rankings?import="+shown), 403)
		expectStatus(t, "the "+role+"'s rankings form", b.get("/web/reports/rankings"), 403)
	}
}
