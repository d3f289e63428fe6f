package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// appProgram creates the program "esit-a" with a 2026 cycle that funds
// one $9,000 tuition award, as the administrator.
func appProgram(t *testing.T, s *server) {
	t.Helper()
	prog := service.ProgramConfig{Program: scholarship.Program{ID: "esit-a", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
		Cycles: []scholarship.Cycle{{ID: "2026", Effective: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Budget: 9_000_00,
			Caps: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00}, CommitmentMonths: 12}}}}
	if st, b := s.api("POST", "/api/v1/programs", s.Admin, prog); st != 201 {
		t.Fatalf("program = %d %s", st, b)
	}
}

var appLinkRE = regexp.MustCompile(`href="/web/scholarships/applications/([^"?/]+)"`)

// listed returns the application IDs a listing page links to.
func listed(body string) []string {
	var ids []string
	for _, m := range appLinkRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "new" {
			ids = append(ids, m[1])
		}
	}
	return ids
}

var anyTagRE = regexp.MustCompile(`<[^>]*>`)

// visible is the text of an HTML fragment a reader sees, without its tags
// (and so without the values of its form fields).
func visible(fragment string) string {
	return html.UnescapeString(anyTagRE.ReplaceAllString(fragment, " "))
}

// audited reports whether the audit log holds an entry of key's with the
// action on the entity and ID.
func audited(s *server, key, action, entity, id string) bool {
	for _, e := range s.auditFor(key) {
		if e["action"] == action && e["entity"] == entity && e["entity_id"] == id {
			return true
		}
	}
	return false
}

// otherAgencyProvider returns a provider who is not org-001's.
func otherAgencyProvider(t *testing.T, s *server, org string) bsk.Provider {
	t.Helper()
	for _, p := range allProviders(t, s) {
		if string(p.OrganizationID) != org && p.OrganizationID != "" {
			return p
		}
	}
	t.Fatal("every provider is " + org + "'s")
	return bsk.Provider{}
}

// TestApplicationPages: an agency submits an application for one of its
// staff from the form (the applicant's name from the record on file) and
// reads it; its form for another agency's provider reads "not found",
// and so do another agency's application by URL and its listing, which
// holds only its own. Staff list every application, filter by program
// and status, and after a run read each application's decision with the
// run's reasons in English and Spanish. The form needs its token.
func TestApplicationPages(t *testing.T) {
	s := start(t, true)
	appProgram(t, s)
	keyA, keyAID := s.key("agency", "org-001", "")
	keyB, _ := s.key("agency", "org-002", "")
	a := s.browser()
	a.signIn(keyA)

	chooser := a.get("/web/scholarships/applications/new")
	expectStatus(t, "the application form", chooser, 200)
	if !strings.Contains(chooser.Body, `value="esit-a/2026"`) || strings.Contains(chooser.Body, `id="provider_id"`) {
		t.Errorf("the form before a cycle is chosen\n%s", chooser.Body)
	}
	form := a.get("/web/scholarships/applications/new?cycle=esit-a%2F2026")
	expectStatus(t, "the cycle's application form", form, 200)
	own := allProviders(t, s)
	var staff []bsk.Provider
	for _, p := range own {
		if p.OrganizationID == "org-001" {
			staff = append(staff, p)
		}
	}
	for _, p := range staff {
		if !strings.Contains(form.Body, `<option value="`+string(p.ID)+`">`) {
			t.Errorf("the agency's form does not offer its staff member %s", p.ID)
		}
	}
	other := otherAgencyProvider(t, s, "org-001")
	if strings.Contains(form.Body, `value="`+string(other.ID)+`"`) {
		t.Errorf("the agency's form offers another agency's provider %s", other.ID)
	}
	if !strings.Contains(form.Body, `id="amount_tuition"`) || strings.Contains(form.Body, `id="amount_fees"`) {
		t.Errorf("the form does not ask for exactly the cycle's covered amounts\n%s", form.Body)
	}
	tok := tokenRE.FindStringSubmatch(form.Body)[1]
	submit := func(b *browser, tok, provider, months string) page {
		return b.post("/web/scholarships/applications", url.Values{"csrf": {tok}, "program": {"esit-a"}, "cycle": {"2026"},
			"provider_id": {provider}, "months_employed": {months}, "hours_per_week": {"40"}, "amount_tuition": {"9,000"},
			"employer_confirmed": {"on"}, "financial_need": {"2"}})
	}
	f := url.Values{"program": {"esit-a"}, "cycle": {"2026"}, "provider_id": {string(staff[0].ID)}, "amount_tuition": {"9000"}}
	expectStatus(t, "submitting without the token", a.post("/web/scholarships/applications", f), http.StatusForbidden)
	if p := submit(a, tok, string(other.ID), "24"); p.Status != 404 || !strings.Contains(p.Body, "Not found") {
		t.Errorf("the agency's application for another agency's provider = %d; want 404\n%s", p.Status, p.Body)
	}
	first := submit(a, tok, string(staff[0].ID), "24")
	expectStatus(t, "submitting", first, http.StatusSeeOther)
	firstID := strings.TrimPrefix(first.Header.Get("Location"), "/web/scholarships/applications/")
	second := submit(a, tok, string(staff[1].ID), "1")
	expectStatus(t, "submitting a second", second, http.StatusSeeOther)
	secondID := strings.TrimPrefix(second.Header.Get("Location"), "/web/scholarships/applications/")
	if p := submit(a, tok, string(staff[0].ID), "24"); p.Status != http.StatusConflict || !strings.Contains(p.Body, "already has an application") {
		t.Errorf("a second application for one person = %d; want 409\n%s", p.Status, p.Body)
	}

	// The record's demographics went into the application the agency is
	// shown: the record's read is audited.
	if !audited(s, keyAID, "read", "provider", string(staff[0].ID)) {
		t.Errorf("the agency's application for %s left no audited read of the record", staff[0].ID)
	}

	var stored service.Page[scholarship.Application]
	_, b := s.api("GET", "/api/v1/programs/esit-a/cycles/2026/applications", s.Admin, nil)
	json.Unmarshal(b, &stored)
	if len(stored.Items) != 2 {
		t.Fatalf("stored %d applications; want 2", len(stored.Items))
	}
	for _, app := range stored.Items {
		if app.ID == firstID && (app.Applicant.Name != staff[0].Name || app.Requested[scholarship.Tuition] != 9_000_00 ||
			app.Applicant.MonthsEmployed != 24 || !app.Answers.EmployerConfirmed || app.Answers.FinancialNeed != 2 ||
			app.Applicant.Employer == nil || app.Applicant.Employer.ID != "org-001") {
			t.Errorf("the stored application is not the form's: %+v", app)
		}
	}

	page := a.get("/web/scholarships/applications/" + firstID)
	expectStatus(t, "the agency's application", page, 200)
	for _, want := range []string{html.EscapeString(staff[0].Name), "submitted, not yet decided", "$9,000.00", "No run has decided this application yet."} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the application page lacks %q\n%s", want, page.Body)
		}
	}

	// Another agency: not found by URL, and not listed.
	bb := s.browser()
	bb.signIn(keyB)
	if p := bb.get("/web/scholarships/applications/" + firstID); p.Status != 404 || strings.Contains(p.Body, html.EscapeString(staff[0].Name)) {
		t.Errorf("another agency's application = %d; want 404 without the name\n%s", p.Status, p.Body)
	}
	if ids := listed(bb.get("/web/scholarships/applications").Body); len(ids) != 0 {
		t.Errorf("another agency lists %v", ids)
	}
	if ids := listed(a.get("/web/scholarships/applications").Body); !sameSet(ids, []string{firstID, secondID}) {
		t.Errorf("the agency lists %v; want its two", ids)
	}

	// Staff list everything; a run decides; the page says why in words.
	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)
	ctok := cb.token("/web/scholarships/programs/esit-a/cycles/2026")
	ran := cb.post("/web/scholarships/programs/esit-a/cycles/2026/runs", url.Values{"csrf": {ctok}})
	expectStatus(t, "running the cycle", ran, http.StatusSeeOther)
	loc, _ := url.Parse(ran.Header.Get("Location"))
	runID := loc.Query().Get("run")
	var decisions service.Page[service.Decision]
	_, b = s.api("GET", "/api/v1/programs/esit-a/cycles/2026/runs/"+runID+"/decisions?limit=10", s.Admin, nil)
	json.Unmarshal(b, &decisions)
	outcome := map[string]service.Decision{}
	for _, d := range decisions.Items {
		outcome[d.ApplicationID] = d
	}
	if outcome[firstID].Award == nil || outcome[secondID].Outcome != scholarship.Ineligible {
		t.Fatalf("the run's decisions: %+v", decisions.Items)
	}
	short := cb.get("/web/scholarships/applications/" + secondID)
	expectStatus(t, "staff's application page", short, 200)
	reasons := html.UnescapeString(section(t, short.Body, `id="reasons"`, "</ul>"))
	if len(outcome[secondID].Texts) == 0 {
		t.Fatal("the decision has no texts")
	}
	for _, text := range outcome[secondID].Texts {
		if !strings.Contains(reasons, text) {
			t.Errorf("the application page's reasons lack %q\n%s", text, reasons)
		}
	}
	if !strings.Contains(short.Body, "not eligible") {
		t.Errorf("the application page lacks its outcome\n%s", short.Body)
	}
	cb.lang = "es"
	if es := cb.get("/web/scholarships/applications/" + secondID); !strings.Contains(es.Body, "no elegible") || !strings.Contains(es.Body, "Decisión") {
		t.Errorf("the Spanish application page\n%s", es.Body)
	}
	cb.lang = ""
	if p := a.get("/web/scholarships/applications/" + firstID); !strings.Contains(p.Body, "$9,000.00") || !strings.Contains(p.Body, ">awarded<") {
		t.Errorf("the agency's awarded application\n%s", p.Body)
	}
	if !audited(s, keyAID, "read", "decision", runID+"/"+firstID) {
		t.Errorf("the agency's read of its decision on the application's page is not audited")
	}
	if ids := listed(a.get("/web/scholarships/applications?status=awarded").Body); !sameSet(ids, []string{firstID}) {
		t.Errorf("the agency's awarded applications: %v", ids)
	}
	if !audited(s, keyAID, "read", "decisions", runID) {
		t.Errorf("the statuses the agency listed, read from the run's decisions, are not audited")
	}

	all := cb.get("/web/scholarships/applications")
	if ids := listed(all.Body); !sameSet(ids, []string{firstID, secondID}) {
		t.Errorf("staff list %v", ids)
	}
	if ids := listed(cb.get("/web/scholarships/applications?program=esit-a&status=ineligible").Body); !sameSet(ids, []string{secondID}) {
		t.Errorf("the not eligible applications: %v; want %s", ids, secondID)
	}
	if ids := listed(cb.get("/web/scholarships/applications?program=esit-a&cycle=2026&status=awarded").Body); !sameSet(ids, []string{firstID}) {
		t.Errorf("the awarded applications: %v; want %s", ids, firstID)
	}
	if ids := listed(cb.get("/web/scholarships/applications?program=other").Body); len(ids) != 0 {
		t.Errorf("another program's applications: %v", ids)
	}
	expectStatus(t, "an unknown status", cb.get("/web/scholarships/applications?status=bogus"), 400)
	for _, raw := range []string{"needs_review", "nothing_to_award", "ineligible", "esit_career_pathways"} {
		if strings.Contains(visible(section(t, all.Body, "<main", "</main>")), raw) {
			t.Errorf("the applications page shows the code %q", raw)
		}
	}
}

// TestApplicationsPaging: the listing shows 50 applications a page, and
// its next page holds the rest, none twice.
func TestApplicationsPaging(t *testing.T) {
	s := start(t, true)
	appProgram(t, s)
	var want []string
	for i := 1; i <= 57; i++ {
		id := fmt.Sprintf("prov-%05d", i)
		app := scholarship.Application{Applicant: scholarship.Applicant{PersonID: id, Name: "Applicant " + id},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Books: 100_00}, Submitted: time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)}
		st, b := s.api("POST", "/api/v1/programs/esit-a/cycles/2026/applications", s.Admin, app)
		if st != 201 {
			t.Fatalf("application %d = %d %s", i, st, b)
		}
		var got scholarship.Application
		json.Unmarshal(b, &got)
		want = append(want, got.ID)
	}
	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)
	first := cb.get("/web/scholarships/applications?program=esit-a")
	ids := listed(first.Body)
	if len(ids) != 50 {
		t.Fatalf("the first page lists %d; want 50", len(ids))
	}
	m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("the first page has no next page")
	}
	second := cb.get(html.UnescapeString(m[1]))
	more := listed(second.Body)
	if len(more) != 7 || strings.Contains(second.Body, `rel="next"`) {
		t.Errorf("the second page lists %d (want 7) and ends: %v", len(more), !strings.Contains(second.Body, `rel="next"`))
	}
	got := append(ids, more...)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the pages list %v; want %v", got, want)
	}
}

// BenchmarkScholarshipPages reads the scholarship programs' and
// applications' pages over loopback HTTP, signed in as a coordinator, with
// 500 applications to one cycle and a run of them: the first page of the
// applications, the awarded ones, one application with its decision, the
// program and the cycle. Each sub-benchmark reports the 95th percentile
// of its page's time, from request to the last byte, as p95-ms.
//
//	go test -run '^$' -bench ScholarshipPages -benchtime 100x ./examples/server/internal/web/
func BenchmarkScholarshipPages(b *testing.B) {
	s := startB(b)
	prog := service.ProgramConfig{Program: scholarship.Program{ID: "esit-a", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
		Cycles: []scholarship.Cycle{{ID: "2026", Effective: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Budget: 100_000_00,
			Caps: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00}, CommitmentMonths: 12}}}}
	if st, body := s.api("POST", "/api/v1/programs", s.Admin, prog); st != 201 {
		b.Fatalf("program = %d %s", st, body)
	}
	var last string
	for i := 1; i <= 500; i++ {
		id := fmt.Sprintf("prov-%05d", i)
		app := scholarship.Application{Applicant: scholarship.Applicant{PersonID: id, Name: "Applicant " + id, MonthsEmployed: i % 30, HoursPerWeek: 40},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: scholarship.Cents(1000_00 + i*10_00)},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)}
		st, body := s.api("POST", "/api/v1/programs/esit-a/cycles/2026/applications", s.Admin, app)
		if st != 201 {
			b.Fatalf("application %d = %d %s", i, st, body)
		}
		var got scholarship.Application
		json.Unmarshal(body, &got)
		last = got.ID
	}
	if st, body := s.api("POST", "/api/v1/programs/esit-a/cycles/2026/runs", s.Admin, nil); st != 201 {
		b.Fatalf("run = %d %s", st, body)
	}
	coord, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coord)
	for _, pg := range []struct{ name, path string }{
		{"applications", "/web/scholarships/applications"},
		{"applications-awarded", "/web/scholarships/applications?program=esit-a&cycle=2026&status=awarded"},
		{"application", "/web/scholarships/applications/" + last},
		{"program", "/web/scholarships/programs/esit-a"},
		{"cycle", "/web/scholarships/programs/esit-a/cycles/2026"},
	} {
		b.Run(pg.name, func(b *testing.B) { benchPage(b, cb, pg.path) })
	}
}

// TestWithdrawApplication: an agency withdraws its staff member's
// application from its page before the cycle runs, and the person may
// apply again; another agency's withdrawal reads "not found" and changes
// nothing; the form needs its token; once the cycle has run there is no
// form, and a withdrawal is refused.
func TestWithdrawApplication(t *testing.T) {
	s := start(t, true)
	appProgram(t, s)
	keyA, _ := s.key("agency", "org-001", "")
	keyB, _ := s.key("agency", "org-002", "")
	app := scholarship.Application{Applicant: scholarship.Applicant{PersonID: "prov-00001", Name: "Grace Tran", MonthsEmployed: 24, HoursPerWeek: 40},
		Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00}, Answers: scholarship.Answers{EmployerConfirmed: true},
		Submitted: time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)}
	submit := func() string {
		st, body := s.api("POST", "/api/v1/programs/esit-a/cycles/2026/applications", keyA, app)
		if st != 201 {
			t.Fatalf("application = %d %s", st, body)
		}
		var got scholarship.Application
		json.Unmarshal(body, &got)
		return got.ID
	}
	id := submit()
	path := "/web/scholarships/applications/" + id
	a := s.browser()
	a.signIn(keyA)
	pg := a.get(path)
	if !strings.Contains(pg.Body, `id="withdraw"`) {
		t.Fatalf("the application's page has no withdraw form\n%s", pg.Body)
	}
	tok := tokenRE.FindStringSubmatch(pg.Body)[1]

	bb := s.browser()
	bb.signIn(keyB)
	btok := tokenRE.FindStringSubmatch(bb.get("/web/").Body)[1]
	expectStatus(t, "another agency's withdrawal", bb.post(path+"/withdraw", url.Values{"csrf": {btok}}), 404)
	expectStatus(t, "withdrawing without the token", a.post(path+"/withdraw", url.Values{}), http.StatusForbidden)
	if !strings.Contains(a.get(path).Body, "submitted, not yet decided") {
		t.Fatal("a refused withdrawal changed the application")
	}
	done := a.post(path+"/withdraw", url.Values{"csrf": {tok}})
	expectStatus(t, "withdrawing", done, http.StatusSeeOther)
	after := a.get(done.Header.Get("Location"))
	if !strings.Contains(after.Body, "The application is withdrawn.") || !strings.Contains(section(t, after.Body, `id="status"`, "</dd>"), "withdrawn") ||
		strings.Contains(after.Body, `id="withdraw"`) {
		t.Errorf("the page after withdrawing\n%s", after.Body)
	}
	if ids := listed(a.get("/web/scholarships/applications?status=withdrawn").Body); !sameSet(ids, []string{id}) {
		t.Errorf("the withdrawn applications: %v", ids)
	}
	again := submit()
	expectStatus(t, "withdrawing again", a.post(path+"/withdraw", url.Values{"csrf": {tok}}), http.StatusConflict)

	if st, body := s.api("POST", "/api/v1/programs/esit-a/cycles/2026/runs", s.Admin, nil); st != 201 {
		t.Fatalf("run = %d %s", st, body)
	}
	ran := a.get("/web/scholarships/applications/" + again)
	if strings.Contains(ran.Body, `id="withdraw"`) {
		t.Errorf("a judged application's page offers to withdraw it\n%s", ran.Body)
	}
	if p := a.post("/web/scholarships/applications/"+again+"/withdraw", url.Values{"csrf": {tok}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "declined, not withdrawn") {
		t.Errorf("withdrawing after the run = %d; want 409\n%s", p.Status, p.Body)
	}
}
