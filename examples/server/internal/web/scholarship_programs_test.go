package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// programForm is the program form as a coordinator fills it in.
func programForm(tok string) url.Values {
	return url.Values{"csrf": {tok}, "id": {"esit-w"}, "name": {"ESIT Career Pathways"}, "kind": {"esit_career_pathways"},
		"priority_weight": {"10"}, "cycle": {"2026"}, "effective": {"2026-09-01"}, "budget": {"19,000"},
		"cap_tuition": {"9000.00"}, "cap_books": {"$500"}, "commitment_months": {"12"},
		"documents": {"transcript\r\n\r\nemployer letter\r\n"}, "qualifying": {""}}
}

// getProgram reads a program from the API.
func getProgram(t *testing.T, s *server, id string) service.ProgramConfig {
	t.Helper()
	st, b := s.api("GET", "/api/v1/programs/"+id, s.Admin, nil)
	if st != 200 {
		t.Fatalf("program %s = %d %s", id, st, b)
	}
	var cfg service.ProgramConfig
	json.Unmarshal(b, &cfg)
	return cfg
}

// TestProgramPages: a coordinator creates a program with its first cycle
// from the form (amounts in dollars become cents, a text area's lines the
// documents), reads its page with the rules in plain language in English
// and Spanish, adds a cycle with the edit form keeping the first cycle as
// it was, and is refused a form without its token or with an amount that
// is not one. An agency reads the programs but gets no form, no cycle
// page and no run; consultants and evaluators get no program page.
func TestProgramPages(t *testing.T) {
	s := start(t, true)
	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)

	list := cb.get("/web/scholarships/programs")
	expectStatus(t, "the programs", list, 200)
	if !strings.Contains(list.Body, `id="new-program"`) || !strings.Contains(list.Body, `href="/web/scholarships/programs"`) {
		t.Errorf("the coordinator's programs page lacks the create link or the nav link\n%s", list.Body)
	}
	form := cb.get("/web/scholarships/programs/new")
	expectStatus(t, "the program form", form, 200)
	tok := tokenRE.FindStringSubmatch(form.Body)[1]

	f := programForm(tok)
	f.Del("csrf")
	expectStatus(t, "creating without the token", cb.post("/web/scholarships/programs", f), http.StatusForbidden)
	bad := programForm(tok)
	bad.Set("budget", "lots")
	if p := cb.post("/web/scholarships/programs", bad); p.Status != 400 || !strings.Contains(p.Body, "budget") || !strings.Contains(p.Body, "lots") {
		t.Errorf("a budget that is not an amount = %d; want 400 naming the field\n%s", p.Status, p.Body)
	}
	created := cb.post("/web/scholarships/programs", programForm(tok))
	expectStatus(t, "creating the program", created, http.StatusSeeOther)
	if loc := created.Header.Get("Location"); loc != "/web/scholarships/programs/esit-w?done=created" {
		t.Errorf("created, sent to %q", loc)
	}
	cfg := getProgram(t, s, "esit-w")
	cy := cfg.Program.Cycles[0]
	if cy.Budget != 19_000_00 || cy.Caps[scholarship.Tuition] != 9_000_00 || cy.Caps[scholarship.Books] != 500_00 || len(cy.Caps) != 2 ||
		cy.CommitmentMonths != 12 || !cy.Effective.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) ||
		strings.Join(cy.RequiredDocuments, "|") != "transcript|employer letter" || cfg.PriorityWeight != 10 {
		t.Errorf("the stored program is not the form's: %+v", cfg)
	}

	page := cb.get("/web/scholarships/programs/esit-w?done=created")
	expectStatus(t, "the program page", page, 200)
	for _, want := range []string{"The program is created.", "ESIT Career Pathways scholarship", "In effect from September 1, 2026, with a budget of $19,000.00.",
		"a King County agency that serves children under five", "at least 3 months, at least 10 hours a week",
		"these documents: transcript, employer letter", "Tuition up to $9,000.00; Books up to $500.00",
		"works 12 months in King County after completing", "employment and release time"} {
		if !strings.Contains(html.UnescapeString(page.Body), want) {
			t.Errorf("the program page lacks %q\n%s", want, page.Body)
		}
	}
	for _, raw := range []string{"esit_career_pathways", "king_county_agency", "minimum_employment", "tuition", "employer_confirmation"} {
		if strings.Contains(visible(section(t, page.Body, "<main", "</main>")), raw) {
			t.Errorf("the program page shows the code %q", raw)
		}
	}
	cb.lang = "es"
	es := html.UnescapeString(cb.get("/web/scholarships/programs/esit-w").Body)
	for _, want := range []string{"Vigente desde el 1 de septiembre de 2026, con un presupuesto de $19,000.00.", "agencia del condado de King", "Matrícula hasta $9,000.00"} {
		if !strings.Contains(es, want) {
			t.Errorf("the Spanish program page lacks %q", want)
		}
	}
	cb.lang = ""

	// The edit form shows the cycle on file; a new cycle ID adds a cycle.
	edit := cb.get("/web/scholarships/programs/esit-w/edit")
	expectStatus(t, "the edit form", edit, 200)
	for _, want := range []string{`value="19000.00"`, `value="9000.00"`, `value="2026-09-01"`, "transcript\nemployer letter"} {
		if !strings.Contains(edit.Body, want) {
			t.Errorf("the edit form lacks %s\n%s", want, edit.Body)
		}
	}
	next := programForm(tok)
	next.Set("cycle", "2027")
	next.Set("effective", "2027-09-01")
	next.Set("budget", "25000.50")
	next.Set("name", "ESIT Career Pathways (renewed)")
	saved := cb.post("/web/scholarships/programs/esit-w", next)
	expectStatus(t, "adding a cycle", saved, http.StatusSeeOther)
	after := getProgram(t, s, "esit-w")
	if len(after.Program.Cycles) != 2 || after.Program.Cycles[1].ID != "2027" || after.Program.Cycles[1].Budget != 25_000_50 ||
		after.Program.Name != "ESIT Career Pathways (renewed)" {
		t.Fatalf("after adding a cycle: %+v", after.Program)
	}
	if a, b := after.Program.Cycles[0], cfg.Program.Cycles[0]; a.Budget != b.Budget || !a.Effective.Equal(b.Effective) || len(a.Caps) != len(b.Caps) {
		t.Errorf("adding a cycle changed the first: %+v", a)
	}
	if p := cb.get("/web/scholarships/programs/esit-w"); !strings.Contains(p.Body, "Cycle 2027") || !strings.Contains(p.Body, "$25,000.50") {
		t.Errorf("the program page lacks the new cycle\n%s", p.Body)
	}
	expectStatus(t, "a program not on file", cb.get("/web/scholarships/programs/nope"), 404)

	// An agency reads programs, and nothing it may not use.
	agencyKey, _ := s.key("agency", "org-001", "")
	ab := s.browser()
	ab.signIn(agencyKey)
	al := ab.get("/web/scholarships/programs/esit-w")
	expectStatus(t, "the agency's program page", al, 200)
	if strings.Contains(al.Body, `id="edit-program"`) || strings.Contains(al.Body, "/cycles/2026\"") {
		t.Errorf("the agency's program page links to staff's forms\n%s", al.Body)
	}
	if strings.Contains(ab.get("/web/").Body, `href="/web/scholarships/programs"`) {
		t.Error("the agency's navigation links to the programs")
	}
	expectStatus(t, "the agency's program form", ab.get("/web/scholarships/programs/new"), 403)
	expectStatus(t, "the agency's edit form", ab.get("/web/scholarships/programs/esit-w/edit"), 403)
	expectStatus(t, "the agency's cycle page", ab.get("/web/scholarships/programs/esit-w/cycles/2026"), 403)
	atok := tokenRE.FindStringSubmatch(ab.get("/web/").Body)[1]
	af := programForm(atok)
	af.Set("id", "org-001-prog")
	expectStatus(t, "the agency's create", ab.post("/web/scholarships/programs", af), 403)
	expectStatus(t, "the agency's edit", ab.post("/web/scholarships/programs/esit-w", programForm(atok)), 403)
	expectStatus(t, "the agency's run", ab.post("/web/scholarships/programs/esit-w/cycles/2026/runs", url.Values{"csrf": {atok}}), 403)
	if got := getProgram(t, s, "esit-w"); got.Program.Name != "ESIT Career Pathways (renewed)" {
		t.Errorf("the agency's refused edit changed the program: %q", got.Program.Name)
	}

	consultantKey, _ := s.key("consultant", "", string(allProviders(t, s)[0].ID))
	evaluatorKey, _ := s.key("evaluator", "", "")
	for role, key := range map[string]string{"consultant": consultantKey, "evaluator": evaluatorKey} {
		ob := s.browser()
		ob.signIn(key)
		expectStatus(t, "the "+role+"'s programs", ob.get("/web/scholarships/programs"), 403)
		expectStatus(t, "the "+role+"'s program", ob.get("/web/scholarships/programs/esit-w"), 403)
		expectStatus(t, "the "+role+"'s applications", ob.get("/web/scholarships/applications"), 403)
	}
}

// TestCycleRunForm: a coordinator runs a cycle from its page's form and is
// shown the run's decisions; the cycle page then lists the run with its
// awards in dollars and links to its decisions and ledger. A cycle
// without applications is refused with why; the form needs its token.
func TestCycleRunForm(t *testing.T) {
	s := start(t, true)
	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)
	tok := cb.token("/web/scholarships/programs/new")
	expectStatus(t, "creating the program", cb.post("/web/scholarships/programs", programForm(tok)), http.StatusSeeOther)

	cycle := "/web/scholarships/programs/esit-w/cycles/2026"
	empty := cb.get(cycle)
	expectStatus(t, "the cycle page", empty, 200)
	if !strings.Contains(empty.Body, `id="no-runs"`) || !strings.Contains(empty.Body, `id="run-cycle"`) {
		t.Errorf("the cycle page before a run\n%s", empty.Body)
	}
	if p := cb.post(cycle+"/runs", url.Values{"csrf": {tok}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "has no applications") {
		t.Errorf("running a cycle without applications = %d\n%s", p.Status, p.Body)
	}

	agencyKey, _ := s.key("agency", "org-001", "")
	for i, months := range []int{24, 2} {
		app := scholarship.Application{Applicant: scholarship.Applicant{PersonID: []string{"prov-00001", "prov-00002"}[i], Name: "Applicant",
			MonthsEmployed: months, HoursPerWeek: 40}, Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00},
			Documents: []string{"transcript", "employer letter"}, Answers: scholarship.Answers{EmployerConfirmed: true}, Submitted: time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)}
		if st, b := s.api("POST", "/api/v1/programs/esit-w/cycles/2026/applications", agencyKey, app); st != 201 {
			t.Fatalf("application = %d %s", st, b)
		}
	}
	expectStatus(t, "running without the token", cb.post(cycle+"/runs", url.Values{}), http.StatusForbidden)
	ran := cb.post(cycle+"/runs", url.Values{"csrf": {tok}})
	expectStatus(t, "running the cycle", ran, http.StatusSeeOther)
	loc, err := url.Parse(ran.Header.Get("Location"))
	if err != nil || loc.Path != "/web/scholarships" || loc.Query().Get("program") != "esit-w" || loc.Query().Get("cycle") != "2026" {
		t.Fatalf("after the run, sent to %q", ran.Header.Get("Location"))
	}
	runID := loc.Query().Get("run")
	var run service.CycleRun
	st, b := s.api("GET", "/api/v1/programs/esit-w/cycles/2026/runs/"+runID, s.Admin, nil)
	if st != 200 {
		t.Fatalf("the run = %d %s", st, b)
	}
	json.Unmarshal(b, &run)
	if len(run.Allocation.Awards) != 1 || run.Counts[scholarship.Ineligible] != 1 {
		t.Fatalf("the run: %d awards, counts %v; want 1 award and 1 not eligible", len(run.Allocation.Awards), run.Counts)
	}
	decisions := cb.get(ran.Header.Get("Location"))
	expectStatus(t, "the run's decisions", decisions, 200)
	if !strings.Contains(decisions.Body, "not eligible") || !strings.Contains(decisions.Body, "$9,000.00") {
		t.Errorf("the run's decisions\n%s", decisions.Body)
	}
	after := cb.get(cycle)
	rows := section(t, after.Body, `id="cycle-runs"`, "</table>")
	q := url.Values{"program": {"esit-w"}, "cycle": {"2026"}, "run": {runID}}.Encode()
	for _, want := range []string{"1 eligible", "1 not eligible", "$9,000.00", "$10,000.00", html.EscapeString("/web/scholarships?" + q),
		html.EscapeString("/web/scholarships/ledger?" + q)} {
		if !strings.Contains(rows, want) {
			t.Errorf("the cycle's runs lack %s\n%s", want, rows)
		}
	}
}
