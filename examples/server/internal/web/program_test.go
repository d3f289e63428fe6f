package web_test

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

var sessionLinkRE = regexp.MustCompile(`/web/program/sessions/([^/"]+)/attendance`)

// expectStatus fails unless p has status want.
func expectStatus(t *testing.T, what string, p page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("%s = %d; want %d\n%s", what, p.Status, want, p.Body)
	}
}

// publishedYear finishes a reflective consultation run, publishes it from
// its page as a coordinator (January 2026, three months) and returns the
// coordinator's browser, the run's rosters and two consultants who lead
// groups with members: their provider IDs and the groups they lead.
func publishedYear(t *testing.T, s *server) (coord *browser, rosters []service.Roster, leads []service.Roster) {
	t.Helper()
	runID, rosters := finishedRun(t, s)
	coordKey, _ := s.key("coordinator", "", "")
	coord = s.browser()
	coord.signIn(coordKey)
	run := coord.get("/web/runs/" + runID)
	expectStatus(t, "the run page", run, 200)
	if !strings.Contains(run.Body, `id="publish"`) {
		t.Fatalf("the run page has no publish button\n%s", run.Body)
	}
	tok := tokenRE.FindStringSubmatch(run.Body)[1]
	pub := coord.post("/web/runs/"+runID+"/publish", url.Values{"csrf": {tok}, "from": {"2026-01"}, "months": {"3"}})
	expectStatus(t, "publish", pub, http.StatusCreated)
	formed := 0
	seen := map[bsk.ProviderID]bool{}
	for _, g := range rosters {
		if len(g.Members) == 0 {
			continue
		}
		formed++
		if g.Consultant != nil && !seen[g.Consultant.ID] && len(leads) < 2 {
			seen[g.Consultant.ID] = true
			leads = append(leads, g)
		}
	}
	if !strings.Contains(pub.Body, "Published ") || !strings.Contains(pub.Body, " "+strconv.Itoa(formed)+" groups") {
		t.Fatalf("the publication does not name the %d groups formed\n%s", formed, pub.Body)
	}
	again := coord.post("/web/runs/"+runID+"/publish", url.Values{"csrf": {tok}, "from": {"2026-01"}})
	expectStatus(t, "publishing again", again, http.StatusConflict)
	if len(leads) < 2 {
		t.Fatalf("the run has %d consultants leading groups; want 2", len(leads))
	}
	return coord, rosters, leads
}

// ledBy returns the groups led by the consultant id.
func ledBy(rosters []service.Roster, id bsk.ProviderID) (names []string) {
	for _, g := range rosters {
		if g.Consultant != nil && g.Consultant.ID == id {
			for _, m := range g.Members {
				names = append(names, m.Name)
			}
		}
	}
	return names
}

// TestProgramYearPages: a coordinator publishes a run from its page and
// reads the calendar; a consultant sees the groups they lead and records
// a session's attendance, and cannot open or post another consultant's
// session; the coordinator invoices the month and downloads it; roles
// without a page's service get 403.
func TestProgramYearPages(t *testing.T) {
	s := start(t, true)
	coord, rosters, leads := publishedYear(t, s)

	cal := coord.get("/web/program/calendar?month=2026-01")
	expectStatus(t, "the calendar", cal, 200)
	for _, g := range leads {
		if !strings.Contains(cal.Body, html.EscapeString(g.Consultant.Name)) {
			t.Errorf("the calendar lacks the consultant %q", g.Consultant.Name)
		}
	}
	if strings.Contains(cal.Body, `id="no-sessions"`) {
		t.Error("January 2026 shows no sessions after publishing from January")
	}
	if es := coord.get("/web/program/calendar?month=2026-01&lang=es"); !strings.Contains(es.Body, "Calendario del programa: enero de 2026") || !strings.Contains(es.Body, "de enero de 2026") {
		t.Errorf("the calendar in Spanish\n%s", es.Body)
	}
	coord.get("/web/?lang=en")
	if p := coord.get("/web/program/calendar?month=2026-13"); p.Status != 400 {
		t.Errorf("a month 2026-13 = %d; want 400", p.Status)
	}

	// Each consultant's groups: their members, no one else's.
	a, b := leads[0], leads[1]
	keyA, _ := s.key("consultant", "", string(a.Consultant.ID))
	keyB, _ := s.key("consultant", "", string(b.Consultant.ID))
	ca, cb := s.browser(), s.browser()
	ca.signIn(keyA)
	cb.signIn(keyB)
	ga := ca.get("/web/program/groups")
	expectStatus(t, "A's groups", ga, 200)
	mineA := ledBy(rosters, a.Consultant.ID)
	for _, n := range mineA {
		if !strings.Contains(ga.Body, html.EscapeString(n)) {
			t.Errorf("A's groups lack their member %q", n)
		}
	}
	for _, n := range ledBy(rosters, b.Consultant.ID) {
		if !strings.Contains(strings.Join(mineA, "|"), n) && strings.Contains(ga.Body, html.EscapeString(n)) {
			t.Errorf("A's groups show B's member %q", n)
		}
	}
	linksA := sessionLinkRE.FindAllStringSubmatch(ga.Body, -1)
	linksB := sessionLinkRE.FindAllStringSubmatch(cb.get("/web/program/groups").Body, -1)
	if len(linksA) == 0 || len(linksB) == 0 {
		t.Fatalf("sessions linked: A %d, B %d", len(linksA), len(linksB))
	}
	sessA, sessB := linksA[0][1], linksB[0][1]

	// A cannot open or post B's session: it reads as not found.
	expectStatus(t, "A opening B's session", ca.get("/web/program/sessions/"+sessB+"/attendance"), 404)
	form := ca.get("/web/program/sessions/" + sessA + "/attendance")
	expectStatus(t, "A's session form", form, 200)
	tok := tokenRE.FindStringSubmatch(form.Body)[1]
	member := a.Members[0]
	expectStatus(t, "A posting B's session", ca.post("/web/program/sessions/"+sessB+"/attendance", url.Values{"csrf": {tok}, "attended": {string(b.Members[0].ID)}}), 404)
	if !strings.Contains(form.Body, `value="`+string(member.ID)+`"`) {
		t.Fatalf("A's session form has no box for %s\n%s", member.ID, form.Body)
	}
	done := ca.post("/web/program/sessions/"+sessA+"/attendance", url.Values{"csrf": {tok}, "attended": {string(member.ID)}})
	expectStatus(t, "recording", done, http.StatusSeeOther)
	after := ca.get(done.Header.Get("Location"))
	if !strings.Contains(after.Body, "Recorded the attendance of 1 members.") || !strings.Contains(after.Body, "(recorded)") {
		t.Errorf("after recording, the form reads\n%s", after.Body)
	}
	st, body := s.api("GET", "/api/v1/attendance?parent="+url.QueryEscape(sessA), s.Admin, nil)
	var recs service.Page[bsk.Attendance]
	json.Unmarshal(body, &recs)
	if st != 200 || len(recs.Items) != 1 || recs.Items[0].ProviderID != member.ID {
		t.Fatalf("attendance of %s on file = %d %s; want %s's", sessA, st, body, member.ID)
	}
	expectStatus(t, "recording twice", ca.post("/web/program/sessions/"+sessA+"/attendance", url.Values{"csrf": {tok}, "attended": {string(member.ID)}}), 409)
	expectStatus(t, "recording without a token", ca.post("/web/program/sessions/"+sessA+"/attendance", url.Values{"attended": {string(member.ID)}}), 403)

	// Roles: the calendar and invoices are not the consultant's.
	expectStatus(t, "a consultant's calendar", ca.get("/web/program/calendar"), 403)
	agencyKey, _ := s.key("agency", "org-001", "")
	ag := s.browser()
	ag.signIn(agencyKey)
	expectStatus(t, "an agency's calendar", ag.get("/web/program/calendar?month=2026-01"), 200)
	expectStatus(t, "an agency's groups", ag.get("/web/program/groups"), 403)
	expectStatus(t, "an agency's session form", ag.get("/web/program/sessions/"+sessA+"/attendance"), 403)

	// The invoice of January: one session of 90 minutes at $120.00.
	inv := coord.get("/web/program/invoices")
	expectStatus(t, "the invoices page", inv, 200)
	tok = tokenRE.FindStringSubmatch(inv.Body)[1]
	expectStatus(t, "a bad rate", coord.post("/web/program/invoices", url.Values{"csrf": {tok}, "month": {"2026-01"}, "hourly": {"lots"}}), 400)
	made := coord.post("/web/program/invoices", url.Values{"csrf": {tok}, "month": {"2026-01"}, "hourly": {"120"}})
	expectStatus(t, "creating the invoice", made, http.StatusSeeOther)
	page := coord.get(made.Header.Get("Location"))
	expectStatus(t, "the invoice", page, 200)
	if !strings.Contains(page.Body, html.EscapeString(a.Consultant.Name)) || !strings.Contains(page.Body, "$180.00") {
		t.Errorf("the invoice does not bill %s $180.00\n%s", a.Consultant.Name, page.Body)
	}
	csv := coord.get(made.Header.Get("Location") + "/csv")
	if csv.Status != 200 || !strings.Contains(csv.Body, string(a.Consultant.ID)) || !strings.Contains(csv.Body, sessA) {
		t.Errorf("the CSV = %d\n%s", csv.Status, csv.Body)
	}
	xl := coord.get(made.Header.Get("Location") + "/xlsx")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xl.Body)))
	if err != nil {
		t.Fatalf("the Excel download = %d, not a workbook: %v", xl.Status, err)
	}
	rows, _ := f.GetRows("Invoice")
	if len(rows) != 3 || rows[1][0] != string(a.Consultant.ID) || rows[2][len(rows[2])-1] != "180" {
		t.Errorf("workbook rows %q", rows)
	}
	expectStatus(t, "a second invoice of the month", coord.post("/web/program/invoices", url.Values{"csrf": {tok}, "month": {"2026-01"}, "hourly": {"99"}}), 409)
	expectStatus(t, "an agency's invoice", ag.get(made.Header.Get("Location")), 403)
	expectStatus(t, "a consultant's invoice download", ca.get(made.Header.Get("Location")+"/csv"), 403)

	// The member's transcript shows the session: staff, their agency and
	// not another agency or consultant.
	tr := coord.get("/web/providers/" + string(member.ID) + "/transcript")
	expectStatus(t, "the transcript", tr, 200)
	if !strings.Contains(tr.Body, "1.50") {
		t.Errorf("the transcript lacks the 1.50 hours recorded\n%s", tr.Body)
	}
	own, _ := s.key("agency", string(member.OrganizationID), "")
	other := "org-001"
	if member.OrganizationID == "org-001" {
		other = "org-002"
	}
	otherKey, _ := s.key("agency", other, "")
	ob, ab := s.browser(), s.browser()
	ob.signIn(otherKey)
	ab.signIn(own)
	expectStatus(t, "the member's agency's transcript", ab.get("/web/providers/"+string(member.ID)+"/transcript"), 200)
	expectStatus(t, "another agency's transcript", ob.get("/web/providers/"+string(member.ID)+"/transcript"), 404)
	expectStatus(t, "a consultant reading another's transcript", cb.get("/web/providers/"+string(member.ID)+"/transcript"), 404)
}
