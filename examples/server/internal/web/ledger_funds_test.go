package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// fundsPath is the funds page of program esit-f's cycle 2026, for a run
// when runID is not empty.
func fundsPath(runID string) string {
	q := url.Values{"program": {"esit-f"}, "cycle": {"2026"}}
	if runID != "" {
		q.Set("run", runID)
	}
	return "/web/scholarships/funds?" + q.Encode()
}

// fundedProgram stores program esit-f, whose cycle 2026 has money for
// every fund the tests define, and four applications: org-001's Grace
// Tran (Spanish), Zahra Jackson and Amara Okafor, and an application of
// org-002. It returns the applications' IDs by name ("other" for
// org-002's).
func fundedProgram(t *testing.T, s *server) map[string]string {
	t.Helper()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	prog := service.ProgramConfig{
		Program: scholarship.Program{ID: "esit-f", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
			Cycles: []scholarship.Cycle{{ID: "2026", Effective: start, Budget: 40_000_00,
				Caps:             map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
				CommitmentMonths: 12}}},
		PriorityWeight: 10,
	}
	if st, b := s.api("POST", "/api/v1/programs", s.Admin, prog); st != 201 {
		t.Fatalf("program = %d %s", st, b)
	}
	var other bsk.Provider
	for _, p := range allProviders(t, s) {
		if p.OrganizationID == "org-002" {
			other = p
			break
		}
	}
	apps := map[string]string{}
	people := []struct {
		name string
		id   bsk.ProviderID
	}{{"Grace Tran", "prov-00001"}, {"Zahra Jackson", "prov-00002"}, {"Amara Okafor", "prov-00003"}, {"other", other.ID}}
	for i, p := range people {
		app := scholarship.Application{
			Applicant: scholarship.Applicant{PersonID: string(p.id), ProviderID: p.id, Name: p.name,
				MonthsEmployed: 24 - i, HoursPerWeek: 40, Languages: []bsk.Language{bsk.English}},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: start,
		}
		if i == 0 {
			app.Applicant.Languages = []bsk.Language{bsk.Spanish}
		}
		st, b := s.api("POST", "/api/v1/programs/esit-f/cycles/2026/applications", s.Admin, app)
		if st != 201 {
			t.Fatalf("application %s = %d %s", p.name, st, b)
		}
		var got scholarship.Application
		json.Unmarshal(b, &got)
		apps[p.name] = got.ID
	}
	return apps
}

// TestFundsPage: a coordinator defines a cycle's funds with the form,
// runs the cycle, reads each fund's balance and every step in plain
// language (English and Spanish), declines an award from the ledger and
// reads the promotion; an agency reads only its own staff's steps, and
// is refused the form; an evaluator is refused the page.
func TestFundsPage(t *testing.T) {
	s := start(t, true)
	apps := fundedProgram(t, s)
	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)

	// The form: two blank rows, no fund yet.
	fp := cb.get(fundsPath(""))
	expectStatus(t, "the funds form", fp, 200)
	if !strings.Contains(fp.Body, `id="name_1"`) || strings.Contains(fp.Body, `id="name_2"`) || strings.Contains(fp.Body, `id="balances"`) {
		t.Fatalf("the empty form\n%s", fp.Body)
	}
	tok := tokenRE.FindStringSubmatch(fp.Body)[1]
	form := url.Values{"csrf": {tok}, "program": {"esit-f"}, "cycle": {"2026"},
		"name_0": {"language-access"}, "tier_0": {"1"}, "budget_0": {"9,500"}, "languages_0": {"es"},
		"name_1": {"general"}, "tier_1": {"2"}, "budget_1": {"$19,000.00"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("budget_1", "lots")
	r := cb.post("/web/scholarships/funds", bad)
	expectStatus(t, "a budget that is not dollars", r, http.StatusBadRequest)
	if !strings.Contains(r.Body, "funds[1].budget") {
		t.Errorf("the refusal does not name the field\n%s", r.Body)
	}
	r = cb.post("/web/scholarships/funds", form)
	expectStatus(t, "saving the funds", r, http.StatusSeeOther)
	saved := cb.get(r.Header.Get("Location"))
	if !strings.Contains(saved.Body, `id="done"`) || !strings.Contains(saved.Body, `value="language-access"`) || !strings.Contains(saved.Body, `value="19000.00"`) {
		t.Errorf("the form after saving\n%s", saved.Body)
	}
	var cf service.CycleFunds
	_, b := s.api("GET", "/api/v1/programs/esit-f/cycles/2026/funds", s.Admin, nil)
	json.Unmarshal(b, &cf)
	want := []scholarship.Fund{{Name: "language-access", Tier: 1, Budget: 9_500_00, Languages: []bsk.Language{bsk.Spanish}}, {Name: "general", Tier: 2, Budget: 19_000_00}}
	if len(cf.Funds) != 2 || cf.Funds[0].Name != want[0].Name || cf.Funds[0].Budget != want[0].Budget || len(cf.Funds[0].Languages) != 1 ||
		cf.Funds[1].Name != want[1].Name || cf.Funds[1].Budget != want[1].Budget || cf.Funds[1].Tier != 2 {
		t.Fatalf("stored funds = %+v; want %+v", cf.Funds, want)
	}

	// The run: Grace Tran from the language-access fund, two from the
	// general fund, one waiting.
	st, b := s.api("POST", "/api/v1/programs/esit-f/cycles/2026/runs", s.Admin, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, b)
	}
	var run service.CycleRun
	json.Unmarshal(b, &run)
	if len(run.Allocation.Awards) != 3 || len(run.Allocation.Waitlist) != 1 {
		t.Fatalf("the run made %d awards with %d waiting; want 3 and 1", len(run.Allocation.Awards), len(run.Allocation.Waitlist))
	}
	page := cb.get(fundsPath(run.ID))
	expectStatus(t, "the run's funds", page, 200)
	bal := section(t, page.Body, `id="balances"`, `id="steps-h"`)
	for _, s := range []string{"language-access", "general", "$9,500.00", "$19,000.00", "$0.00"} {
		if !strings.Contains(bal, s) {
			t.Errorf("the balances lack %s\n%s", s, bal)
		}
	}
	steps := section(t, page.Body, `id="steps"`, "</main>")
	if !strings.Contains(steps, html.EscapeString("Grace Tran")) || !strings.Contains(steps, "The language-access fund pays") || !strings.Contains(steps, "on the waitlist") {
		t.Errorf("the steps\n%s", steps)
	}
	cb.lang = "es"
	if es := cb.get(fundsPath(run.ID)); !strings.Contains(es.Body, "El fondo language-access paga") || !strings.Contains(es.Body, "Saldos") {
		t.Errorf("the Spanish funds page\n%s", es.Body)
	}
	cb.lang = ""
	// The ledger links to the funds.
	lp := cb.get("/web/scholarships/ledger?" + url.Values{"program": {"esit-f"}, "cycle": {"2026"}, "run": {run.ID}}.Encode())
	if !strings.Contains(lp.Body, `id="funds-link"`) {
		t.Errorf("the ledger does not link to the funds\n%s", lp.Body)
	}

	// A general award is declined on the ledger: the applicant waiting is
	// promoted into the general fund.
	var declined string
	for _, a := range run.Allocation.Awards {
		if a.Pool == "general" {
			declined = a.ApplicationID
			break
		}
	}
	waiting := run.Allocation.Waitlist[0].ApplicationID
	ltok := tokenRE.FindStringSubmatch(lp.Body)[1]
	d := cb.post("/web/scholarships/decline", url.Values{"csrf": {ltok}, "program": {"esit-f"}, "cycle": {"2026"}, "run": {run.ID}, "application": {declined}})
	expectStatus(t, "declining", d, http.StatusSeeOther)
	after := section(t, cb.get(fundsPath(run.ID)).Body, `id="steps"`, "</main>")
	if !strings.Contains(after, "You declined the award of $9,500.00; it went back to the general fund") || !strings.Contains(after, "you are now awarded $9,500.00 from the general fund") {
		t.Errorf("the steps after the decline\n%s", after)
	}
	name := map[string]string{}
	for n, id := range apps {
		name[id] = n
	}
	if !strings.Contains(after, html.EscapeString(name[waiting])) {
		t.Errorf("the promoted %s is not among the steps\n%s", name[waiting], after)
	}

	// org-001 reads its own staff's steps, none of org-002's, no balances.
	agencyKey, _ := s.key("agency", "org-001", "")
	ab := s.browser()
	ab.signIn(agencyKey)
	ap := ab.get(fundsPath(run.ID))
	expectStatus(t, "the agency's funds page", ap, 200)
	if !strings.Contains(ap.Body, `id="own"`) || strings.Contains(ap.Body, `id="balances"`) || strings.Contains(ap.Body, apps["other"]) ||
		!strings.Contains(ap.Body, html.EscapeString("Grace Tran")) || strings.Contains(ap.Body, `id="funds-form"`) {
		t.Errorf("the agency's funds page\n%s", ap.Body)
	}
	expectStatus(t, "the agency's form", ab.get(fundsPath("")), 403)
	atok := tokenRE.FindStringSubmatch(ab.get("/web/").Body)[1]
	form.Set("csrf", atok)
	expectStatus(t, "the agency's save", ab.post("/web/scholarships/funds", form), 403)
	evaluatorKey, _ := s.key("evaluator", "", "")
	eb := s.browser()
	eb.signIn(evaluatorKey)
	expectStatus(t, "the evaluator's funds page", eb.get(fundsPath(run.ID)), 403)

	// Emptying every row removes the cycle's funds.
	rm := url.Values{"csrf": {tok}, "program": {"esit-f"}, "cycle": {"2026"}}
	expectStatus(t, "removing the funds", cb.post("/web/scholarships/funds", rm), http.StatusSeeOther)
	if st, _ := s.api("GET", "/api/v1/programs/esit-f/cycles/2026/funds", s.Admin, nil); st != 404 {
		t.Errorf("the funds after removing them = %d; want 404", st)
	}
}
