package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

var appFieldRE = regexp.MustCompile(`name="application" value="([^"]+)"`)

// reviewedCycle stores a program whose reviewers score an essay, and six
// applications of org-001's and org-002's staff; it returns the
// applicants and two reviewers from org-003.
func reviewedCycle(t *testing.T, s *server) (applicants []bsk.Provider, reviewers []bsk.Provider) {
	t.Helper()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	prog := service.ProgramConfig{
		Program: scholarship.Program{ID: "esit", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
			Cycles: []scholarship.Cycle{{ID: "2026", Effective: start, Budget: 100_000_00,
				Caps: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00}, CommitmentMonths: 12}}},
		Reviewed: []scholarship.Weighted{{Name: "essay", Weight: 20, Max: 10}},
	}
	if st, b := s.api("POST", "/api/v1/programs", s.Admin, prog); st != 201 {
		t.Fatalf("program = %d %s", st, b)
	}
	for _, p := range allProviders(t, s) {
		switch {
		case (p.OrganizationID == "org-001" || p.OrganizationID == "org-002") && !p.Role.Leads() && len(applicants) < 6:
			applicants = append(applicants, p)
		case p.OrganizationID == "org-003" && len(reviewers) < 2:
			reviewers = append(reviewers, p)
		}
	}
	for i, p := range applicants {
		app := scholarship.Application{ID: fmt.Sprintf("app-%d", i),
			Applicant: scholarship.Applicant{PersonID: string(p.ID), ProviderID: p.ID, Name: p.Name, MonthsEmployed: 24, HoursPerWeek: 40,
				Languages: []bsk.Language{bsk.English}},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 3_000_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: start}
		if st, b := s.api("POST", "/api/v1/programs/esit/cycles/2026/applications", s.Admin, app); st != 201 {
			t.Fatalf("application %d = %d %s", i, st, b)
		}
	}
	return applicants, reviewers
}

// TestReviewPages: a coordinator assigns reviewers with names hidden from
// consultants; each consultant's queue lists the hidden fields as hidden
// and no applicant's name; a consultant scores their own applications
// and cannot score another's; the pipeline of the run is staff's and the
// evaluator's, not an agency's or a consultant's.
func TestReviewPages(t *testing.T) {
	s := start(t, true)
	applicants, reviewers := reviewedCycle(t, s)
	coordKey, _ := s.key("coordinator", "", "")
	cg := s.browser()
	cg.signIn(coordKey)
	form := cg.get("/web/review/assignment?program=esit&cycle=2026")
	expectStatus(t, "the assignment page", form, 200)
	tok := tokenRE.FindStringSubmatch(form.Body)[1]
	lines := string(reviewers[0].ID) + " 10\n" + string(reviewers[1].ID) + " 10\n"
	made := cg.post("/web/review/assignment", url.Values{"csrf": {tok}, "program": {"esit"}, "cycle": {"2026"}, "per_application": {"1"},
		"hide": {"name"}, "reviewers": {lines}})
	expectStatus(t, "assigning", made, 200)
	if !strings.Contains(made.Body, `id="sets"`) || !strings.Contains(made.Body, html.EscapeString(reviewers[0].Name)) {
		t.Fatalf("the assignment does not show its reviewers\n%s", made.Body)
	}
	expectStatus(t, "a bad capacity", cg.post("/web/review/assignment", url.Values{"csrf": {tok}, "program": {"esit"}, "cycle": {"2026"}, "reviewers": {"prov-1 many"}}), 400)

	queues := map[int][]string{}
	browsers := map[int]*browser{}
	for i, r := range reviewers {
		key, _ := s.key("consultant", "", string(r.ID))
		b := s.browser()
		b.signIn(key)
		browsers[i] = b
		q := b.get("/web/review/queue?program=esit&cycle=2026")
		expectStatus(t, "a queue", q, 200)
		for _, m := range appFieldRE.FindAllStringSubmatch(q.Body, -1) {
			queues[i] = append(queues[i], m[1])
		}
		if len(queues[i]) == 0 {
			t.Fatalf("reviewer %s has an empty queue\n%s", r.ID, q.Body)
		}
		if !strings.Contains(q.Body, "applicant.name") {
			t.Errorf("reviewer %s's queue does not list the name as hidden", r.ID)
		}
		for _, a := range applicants {
			if strings.Contains(q.Body, html.EscapeString(a.Name)) {
				t.Errorf("reviewer %s's queue shows the applicant %q", r.ID, a.Name)
			}
		}
	}
	if len(queues[0])+len(queues[1]) != len(applicants) {
		t.Fatalf("queues %v; want the %d applications shared", queues, len(applicants))
	}

	// Scores: their own, not another's.
	for i, b := range browsers {
		q := b.get("/web/review/queue?program=esit&cycle=2026")
		tk := tokenRE.FindStringSubmatch(q.Body)[1]
		for _, app := range queues[i] {
			r := b.post("/web/review/queue", url.Values{"csrf": {tk}, "program": {"esit"}, "cycle": {"2026"}, "application": {app}, "score:essay": {"8"}})
			expectStatus(t, "scoring "+app, r, http.StatusSeeOther)
		}
		other := queues[1-i][0]
		expectStatus(t, "scoring another's "+other, b.post("/web/review/queue", url.Values{"csrf": {tk}, "program": {"esit"}, "cycle": {"2026"}, "application": {other}, "score:essay": {"1"}}), 404)
	}
	expectStatus(t, "a coordinator's queue", cg.get("/web/review/queue?program=esit&cycle=2026"), 403)
	expectStatus(t, "a consultant's assignment", browsers[0].get("/web/review/assignment?program=esit&cycle=2026"), 403)

	// The pipeline of a run.
	st, body := s.api("POST", "/api/v1/programs/esit/cycles/2026/runs", coordKey, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, body)
	}
	var run service.CycleRun
	json.Unmarshal(body, &run)
	path := "/web/review/pipeline?program=esit&cycle=2026&run=" + url.QueryEscape(run.ID)
	pl := cg.get(path)
	expectStatus(t, "the pipeline", pl, 200)
	for _, want := range []string{"Applied", "Reviewed", "race and ethnicity"} {
		if !strings.Contains(pl.Body, want) {
			t.Errorf("the pipeline lacks %q", want)
		}
	}
	ev, _ := s.key("evaluator", "", "")
	eb := s.browser()
	eb.signIn(ev)
	expectStatus(t, "an evaluator's pipeline", eb.get(path), 200)
	agencyKey, _ := s.key("agency", "org-001", "")
	ab := s.browser()
	ab.signIn(agencyKey)
	expectStatus(t, "an agency's pipeline", ab.get(path), 403)
	expectStatus(t, "a consultant's pipeline", browsers[0].get(path), 403)
}
