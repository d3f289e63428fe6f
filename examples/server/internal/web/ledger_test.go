package web_test

import (
	"encoding/json"
	"fmt"
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

// waitlistedRun creates a program whose 2026 cycle funds two of three
// eligible applications from org-001, runs it as a coordinator and returns
// the run's ID and the applications' IDs by name.
func waitlistedRun(t *testing.T, s *server) (runID string, apps map[string]string) {
	t.Helper()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	prog := service.ProgramConfig{
		Program: scholarship.Program{ID: "esit-l", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
			Cycles: []scholarship.Cycle{{ID: "2026", Effective: start, Budget: 19_000_00,
				Caps:             map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
				CommitmentMonths: 12}}},
		PriorityWeight: 10,
	}
	if st, b := s.api("POST", "/api/v1/programs", s.Admin, prog); st != 201 {
		t.Fatalf("program = %d %s", st, b)
	}
	agencyKey, _ := s.key("agency", "org-001", "")
	apps = map[string]string{}
	for i, name := range []string{"Grace Tran", "Zahra Jackson", "Amara Okafor"} {
		app := scholarship.Application{
			Applicant: scholarship.Applicant{PersonID: fmt.Sprintf("prov-0000%d", i+1), ProviderID: bsk.ProviderID(fmt.Sprintf("prov-0000%d", i+1)), Name: name,
				MonthsEmployed: 24 - i, HoursPerWeek: 40, Languages: []bsk.Language{bsk.English}},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: start,
		}
		st, b := s.api("POST", "/api/v1/programs/esit-l/cycles/2026/applications", agencyKey, app)
		if st != 201 {
			t.Fatalf("application %d = %d %s", i, st, b)
		}
		var got scholarship.Application
		json.Unmarshal(b, &got)
		apps[name] = got.ID
	}
	st, b := s.api("POST", "/api/v1/programs/esit-l/cycles/2026/runs", s.Admin, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, b)
	}
	var run service.CycleRun
	json.Unmarshal(b, &run)
	if len(run.Allocation.Awards) != 2 || len(run.Allocation.Waitlist) != 1 {
		t.Fatalf("the run made %d awards with %d waiting; want 2 and 1", len(run.Allocation.Awards), len(run.Allocation.Waitlist))
	}
	return run.ID, apps
}

// TestLedgerAndDeclines: a coordinator reads a run's ledger (the awards
// with what was disbursed in dollars, the waitlist, the entries), records
// that an awarded applicant declined with the award's form, and the
// waitlisted applicant is funded; the form needs its token; agencies,
// consultants and evaluators are refused the page and the form.
func TestLedgerAndDeclines(t *testing.T) {
	s := start(t, true)
	runID, apps := waitlistedRun(t, s)
	var run service.CycleRun
	_, b := s.api("GET", "/api/v1/programs/esit-l/cycles/2026/runs/"+runID, s.Admin, nil)
	json.Unmarshal(b, &run)
	first := run.Allocation.Awards[0].ApplicationID
	waiting := run.Allocation.Waitlist[0].ApplicationID
	name := map[string]string{}
	for n, id := range apps {
		name[id] = n
	}
	entry := scholarship.Entry{ApplicationID: first, Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 4_250_75}
	if st, b := s.api("POST", "/api/v1/programs/esit-l/cycles/2026/runs/"+runID+"/ledger", s.Admin, entry); st != 201 {
		t.Fatalf("disbursement = %d %s", st, b)
	}

	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)
	path := "/web/scholarships/ledger?" + url.Values{"program": {"esit-l"}, "cycle": {"2026"}, "run": {runID}}.Encode()
	lp := cb.get(path)
	expectStatus(t, "the ledger", lp, 200)
	awards := section(t, lp.Body, `id="awards"`, `id="waitlist-h"`)
	for _, a := range run.Allocation.Awards {
		if !strings.Contains(awards, html.EscapeString(name[a.ApplicationID])) || !strings.Contains(awards, `name="application" value="`+a.ApplicationID+`"`) {
			t.Errorf("the awards lack %s and its decline form\n%s", name[a.ApplicationID], awards)
		}
	}
	if !strings.Contains(awards, "$4,250.75") {
		t.Errorf("the awards do not show the $4,250.75 disbursed\n%s", awards)
	}
	if w := section(t, lp.Body, `id="waitlist-h"`, `id="entries-h"`); !strings.Contains(w, html.EscapeString(name[waiting])) {
		t.Errorf("the waitlist lacks %s\n%s", name[waiting], w)
	}
	if e := section(t, lp.Body, `id="entries-h"`, "</main>"); !strings.Contains(e, "disbursement") || !strings.Contains(e, "2026-fall") {
		t.Errorf("the entries lack the disbursement\n%s", e)
	}
	cb.lang = "es"
	if es := cb.get(path); !strings.Contains(es.Body, "Lista de espera") || !strings.Contains(es.Body, "$4,250.75") {
		t.Errorf("the Spanish ledger\n%s", es.Body)
	}
	cb.lang = ""

	tok := tokenRE.FindStringSubmatch(lp.Body)[1]
	form := url.Values{"program": {"esit-l"}, "cycle": {"2026"}, "run": {runID}, "application": {first}}
	expectStatus(t, "declining without a token", cb.post("/web/scholarships/decline", form), 403)

	agencyKey, _ := s.key("agency", "org-001", "")
	consultantKey, _ := s.key("consultant", "", string(allProviders(t, s)[0].ID))
	evaluatorKey, _ := s.key("evaluator", "", "")
	for role, key := range map[string]string{"agency": agencyKey, "consultant": consultantKey, "evaluator": evaluatorKey} {
		ob := s.browser()
		ob.signIn(key)
		expectStatus(t, "the "+role+"'s ledger", ob.get(path), 403)
		expectStatus(t, "the "+role+"'s empty ledger form", ob.get("/web/scholarships/ledger"), 403)
		otok := tokenRE.FindStringSubmatch(ob.get("/web/").Body)[1]
		f := url.Values{"csrf": {otok}}
		for k, v := range form {
			f[k] = v
		}
		expectStatus(t, "the "+role+"'s decline", ob.post("/web/scholarships/decline", f), 403)
	}

	// An award already paid out cannot be declined: its ledger would lose
	// the award its entries belong to. The ledger stays readable.
	form.Set("csrf", tok)
	expectStatus(t, "declining an award with a disbursement", cb.post("/web/scholarships/decline", form), http.StatusConflict)
	expectStatus(t, "the ledger after a refused decline", cb.get(path), 200)

	declined := run.Allocation.Awards[1].ApplicationID
	form.Set("application", declined)
	d := cb.post("/web/scholarships/decline", form)
	expectStatus(t, "declining", d, http.StatusSeeOther)
	after := cb.get(d.Header.Get("Location"))
	expectStatus(t, "the ledger after declining", after, 200)
	if !strings.Contains(after.Body, `id="done"`) {
		t.Errorf("the ledger does not say the award was declined\n%s", after.Body)
	}
	awards = section(t, after.Body, `id="awards"`, `id="waitlist-h"`)
	if !strings.Contains(awards, `value="`+waiting+`"`) {
		t.Errorf("the waitlisted %s is not funded after the decline\n%s", name[waiting], awards)
	}
	if d := section(t, after.Body, `id="waitlist-h"`, `id="entries-h"`); !strings.Contains(d, `id="declined"`) || !strings.Contains(d, html.EscapeString(name[declined])) {
		t.Errorf("the declined award is not listed\n%s", d)
	}
	form.Set("application", "no-such-application")
	expectStatus(t, "declining an unknown application", cb.post("/web/scholarships/decline", form), 404)
}

// section is body from the first from to the next to after it.
func section(t *testing.T, body, from, to string) string {
	t.Helper()
	i := strings.Index(body, from)
	if i < 0 {
		t.Fatalf("the page lacks %s\n%s", from, body)
	}
	j := strings.Index(body[i:], to)
	if j < 0 {
		t.Fatalf("the page lacks %s after %s\n%s", to, from, body)
	}
	return body[i : i+j]
}
