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
)

// zoomSession stores a five-hour virtual training session (09:00-14:00 in
// Seattle on 15 January 2026) and five providers: Ximena, who dropped and
// re-joined; two Teodoras of different agencies, whom a name cannot tell
// apart; Baraka, whom the report names "Baraka N."; and Ximena again from
// a tablet under a name that matches no one. It returns the session's ID
// and the providers in that order (Ximena, Teodora of org-001, Teodora of
// org-002, Baraka).
func zoomSession(t *testing.T, s *server) (string, []bsk.Provider) {
	t.Helper()
	off := bsk.Offering{ID: "tr-zoom", Kind: bsk.OfferingTraining, Title: "Attachment and repair", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
		Language: bsk.English, Capacity: 125, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 300}
	if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
		t.Fatalf("offering = %d %s", st, b)
	}
	sess := bsk.Session{ID: "tr-zoom-s1", OfferingID: off.ID, Starts: time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC), Minutes: 300}
	if st, b := s.api("POST", "/api/v1/sessions", s.Admin, sess); st != 201 {
		t.Fatalf("session = %d %s", st, b)
	}
	provs := []bsk.Provider{
		{ID: "org-001-zoom-1", OrganizationID: "org-001", Name: "Ximena Oyelaran", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English}},
		{ID: "org-001-zoom-2", OrganizationID: "org-001", Name: "Teodora Vasquez-Lind", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English}},
		{ID: "org-002-zoom-3", OrganizationID: "org-002", Name: "Teodora Vasquez-Lind", Role: bsk.RoleSupervisor, Languages: []bsk.Language{bsk.English}},
		{ID: "org-002-zoom-4", OrganizationID: "org-002", Name: "Baraka Nyambura", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English}},
	}
	for _, p := range provs {
		if st, b := s.api("POST", "/api/v1/providers", s.Admin, p); st != 201 {
			t.Fatalf("provider %s = %d %s", p.ID, st, b)
		}
	}
	return string(sess.ID), provs
}

// zoomCSV is the session's participants report, in Seattle time. Lines:
// 1-2 the meeting's summary, 3 blank, 4 the header, then one row a line.
const zoomCSV = `Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Attachment and repair,01/15/2026 08:55:01 AM,01/15/2026 02:05:10 PM,host@example.org,310,6

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Ximena Oyelaran,,01/15/2026 09:00:00 AM,01/15/2026 10:30:00 AM,90,No
Teodora Vasquez-Lind,,01/15/2026 09:00:00 AM,01/15/2026 12:00:00 PM,180,Yes
Ximena Oyelaran,,01/15/2026 10:35:00 AM,01/15/2026 01:00:00 PM,145,No
Baraka N.,,01/15/2026 09:10:00 AM,01/15/2026 11:10:00 AM,120,Yes
XO tablet,,01/15/2026 10:00:00 AM,01/15/2026 11:00:00 AM,60,Yes
Room 3 (front desk),,01/15/2026 09:00:00 AM,01/15/2026 09:20:00 AM,20,Yes
`

// sessionAttendance is the session's attendance through the API, by
// provider: hours.
func sessionAttendance(t *testing.T, s *server, session string) map[bsk.ProviderID]float64 {
	t.Helper()
	st, b := s.api("GET", "/api/v1/attendance?parent="+url.QueryEscape(session)+"&limit=500", s.Admin, nil)
	if st != 200 {
		t.Fatalf("attendance = %d %s", st, b)
	}
	var page service.Page[bsk.Attendance]
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	out := map[bsk.ProviderID]float64{}
	for _, a := range page.Items {
		out[a.ProviderID] = a.Hours
	}
	return out
}

var reportFieldRE = regexp.MustCompile(`name="report" value="([^"]*)"`)

// TestAttendanceImportReview: a coordinator uploads a participants report
// and reviews it: the matched people with their joins, and every row the
// names did not settle with its candidates; nothing is recorded until the
// coordinator confirms, with a person picked for the ambiguous row, an ID
// typed for a tablet's row (whose hour overlaps that person's own joins
// and is counted once), and a guest left out. A pick of an unknown
// provider records nothing; a report with a bad time lists its line and
// column; other roles may not import.
func TestAttendanceImportReview(t *testing.T) {
	s := start(t, true)
	sessionID, provs := zoomSession(t, s)
	ximena, teoA, teoB, baraka := provs[0], provs[1], provs[2], provs[3]
	base := "/web/sessions/" + sessionID + "/zoom"
	coord, _ := s.key("coordinator", "", "")
	b := s.browser()
	b.signIn(coord)

	first := b.get(base)
	expectStatus(t, "the session's attendance page", first, 200)
	if !strings.Contains(first.Body, `id="none-attended"`) {
		t.Fatalf("a session without attendance does not say so\n%s", first.Body)
	}
	tok := tokenRE.FindStringSubmatch(first.Body)[1]
	review := b.upload(base, tok, "file", "participants.csv", []byte(zoomCSV))
	expectStatus(t, "reviewing the report", review, 200)
	body := review.Body
	// Nothing is recorded by the review.
	if got := sessionAttendance(t, s, sessionID); len(got) != 0 {
		t.Fatalf("the review recorded attendance: %v", got)
	}
	// Ximena matched, with both joins; 90 + 145 minutes.
	matched := section(t, body, `id="matched"`, "</table>")
	if !strings.Contains(matched, ximena.Name) || !strings.Contains(matched, "<td>3.92</td><td>2</td>") {
		t.Errorf("the matched table does not show Ximena's 3.92 hours in 2 joins\n%s", matched)
	}
	rows := section(t, body, `id="review-rows"`, "</table>")
	// The ambiguous row (line 6) offers both Teodoras; Baraka's (line 8)
	// offers Baraka; the tablet (line 9) and the front desk (line 10) are
	// there too.
	for _, want := range []string{
		`id="pick-6"`, `<option value="` + string(teoA.ID) + `">`, `<option value="` + string(teoB.ID) + `">`,
		`id="pick-8"`, `<option value="` + string(baraka.ID) + `">`, `id="pick-9"`, `id="pick-10"`,
		"Several people on file have this name.", "No one on file has this name or email.",
	} {
		if !strings.Contains(rows, want) {
			t.Errorf("the rows to review lack %s\n%s", html.UnescapeString(want), rows)
		}
	}
	if strings.Contains(rows, `id="pick-5"`) || strings.Contains(rows, `id="pick-7"`) {
		t.Errorf("Ximena's matched rows are listed for review\n%s", rows)
	}
	report := html.UnescapeString(reportFieldRE.FindStringSubmatch(body)[1])
	// In Spanish, the reasons are words, never their codes.
	b.lang = "es"
	es := b.upload(base, tok, "file", "participants.csv", []byte(zoomCSV))
	b.lang = ""
	expectStatus(t, "the review in Spanish", es, 200)
	if !strings.Contains(es.Body, "Varias personas registradas tienen este nombre.") || strings.Contains(es.Body, "ambiguous_name") || strings.Contains(es.Body, "no_match") {
		t.Errorf("the Spanish review does not give its reasons in words\n%s", es.Body)
	}
	confirm := func(form url.Values) page {
		form.Set("csrf", tok)
		form.Set("report", report)
		form.Set("time_zone", "America/Los_Angeles")
		return b.post(base+"/confirm", form)
	}

	// An unknown provider typed for a row: refused, nothing recorded, the
	// review shown again with the choice kept.
	bad := confirm(url.Values{"pick-6": {string(teoB.ID)}, "id-9": {"no-such-provider"}})
	expectStatus(t, "confirming with an unknown provider", bad, 400)
	if !strings.Contains(bad.Body, `id="confirm-problems"`) || !strings.Contains(bad.Body, "no-such-provider") {
		t.Errorf("the refused confirmation does not name the unknown provider\n%s", bad.Body)
	}
	if got := sessionAttendance(t, s, sessionID); len(got) != 0 {
		t.Fatalf("a refused confirmation recorded attendance: %v", got)
	}

	// Other roles may not review or confirm.
	agency, _ := s.key("agency", "org-001", "")
	consultant, _ := s.key("consultant", "", "consultant-01")
	evaluator, _ := s.key("evaluator", "", "")
	for role, key := range map[string]string{"agency": agency, "consultant": consultant, "evaluator": evaluator} {
		o := s.browser()
		o.signIn(key)
		otok := o.token("/web/")
		expectStatus(t, role+" reading the page", o.get(base), 403)
		expectStatus(t, role+" reviewing", o.upload(base, otok, "file", "participants.csv", []byte(zoomCSV)), 403)
		expectStatus(t, role+" confirming", o.post(base+"/confirm", url.Values{"csrf": {otok}, "report": {report}, "pick-6": {string(teoA.ID)}}), 403)
	}
	expectStatus(t, "confirming without a token", b.post(base+"/confirm", url.Values{"report": {report}}), 403)
	if got := sessionAttendance(t, s, sessionID); len(got) != 0 {
		t.Fatalf("refused requests recorded attendance: %v", got)
	}

	// Confirmed: Teodora of org-002 for line 6, Baraka for line 8, Ximena
	// typed for the tablet's line 9, the front desk left out.
	ok := confirm(url.Values{"pick-6": {string(teoB.ID)}, "pick-8": {string(baraka.ID)}, "id-9": {string(ximena.ID)}, "pick-10": {""}})
	expectStatus(t, "confirming", ok, http.StatusSeeOther)
	if loc := ok.Header.Get("Location"); !strings.Contains(loc, "imported=3") || !strings.Contains(loc, "left=1") {
		t.Errorf("the confirmation leads to %q; want 3 imported and 1 left out", loc)
	}
	// 09:00-10:30, 10:00-11:00 and 10:35-13:00 cover 09:00-13:00: 4 hours,
	// not the 4.92 of their sum.
	want := map[bsk.ProviderID]float64{ximena.ID: 4, teoB.ID: 3, baraka.ID: 2}
	got := sessionAttendance(t, s, sessionID)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recorded %v; want %v", got, want)
	}
	after := b.get(ok.Header.Get("Location"))
	expectStatus(t, "the session's attendance after the import", after, 200)
	att := section(t, after.Body, `id="attended"`, "</table>")
	for _, p := range []bsk.Provider{ximena, teoB, baraka} {
		if !strings.Contains(att, html.EscapeString(p.Name)) {
			t.Errorf("the attendance lacks %s\n%s", p.Name, att)
		}
	}
	if !strings.Contains(after.Body, "Attendance recorded: 3.") {
		t.Errorf("the page does not say what was recorded\n%s", after.Body)
	}

	// The same report again, Teodora of org-001 picked for line 6: she is
	// added; Ximena and Baraka, on file, keep their records (Ximena her 4
	// hours, though her own rows without the tablet's cover 3.92).
	again := confirm(url.Values{"pick-6": {string(teoA.ID)}, "pick-8": {string(baraka.ID)}})
	expectStatus(t, "confirming again", again, http.StatusSeeOther)
	if loc := again.Header.Get("Location"); !strings.Contains(loc, "imported=1") || !strings.Contains(loc, "kept=2") {
		t.Errorf("the second confirmation leads to %q; want 1 imported and Ximena's and Baraka's kept", loc)
	}
	if got := sessionAttendance(t, s, sessionID); len(got) != 4 || got[ximena.ID] != 4 {
		t.Errorf("after the second confirmation: %v", got)
	}

	// A report with a leave time that is not a time: its line and column.
	broken := strings.Replace(zoomCSV, "01/15/2026 11:10:00 AM", "later", 1)
	r := b.upload(base, tok, "file", "participants.csv", []byte(broken))
	expectStatus(t, "a report with a bad time", r, 400)
	probs := section(t, r.Body, `id="report-problems"`, "</table>")
	if !strings.Contains(probs, "<td>8</td><td>leave_time</td>") {
		t.Errorf("the problems do not name line 8's leave_time\n%s", probs)
	}
}

// TestAttendanceImportLargeReport: a report near the review's limit (a
// person's thousands of joins) goes through the review and its
// confirmation, whose form carries it, within the server's limit for
// ordinary requests; a report over the limit is refused with the reason.
func TestAttendanceImportLargeReport(t *testing.T) {
	s := start(t, true)
	sessionID, provs := zoomSession(t, s)
	base := "/web/sessions/" + sessionID + "/zoom"
	coord, _ := s.key("coordinator", "", "")
	b := s.browser()
	b.signIn(coord)
	tok := b.token(base)
	var csv strings.Builder
	csv.WriteString("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n")
	start := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	for i := 0; csv.Len() < 500<<10; i++ {
		j := start.Add(time.Duration(i) * time.Second)
		fmt.Fprintf(&csv, "Ximena Oyelaran,,%s,%s,1,No\n", j.Format("01/02/2006 03:04:05 PM"), j.Add(time.Minute).Format("01/02/2006 03:04:05 PM"))
	}
	review := b.upload(base, tok, "file", "participants.csv", []byte(csv.String()))
	expectStatus(t, "reviewing a large report", review, 200)
	report := html.UnescapeString(reportFieldRE.FindStringSubmatch(review.Body)[1])
	ok := b.post(base+"/confirm", url.Values{"csrf": {tok}, "report": {report}, "time_zone": {"America/Los_Angeles"}})
	expectStatus(t, "confirming a large report", ok, http.StatusSeeOther)
	if got := sessionAttendance(t, s, sessionID); len(got) != 1 || got[provs[0].ID] <= 0 {
		t.Errorf("recorded %v; want Ximena's attendance", got)
	}
	over := b.upload(base, tok, "file", "participants.csv", []byte(csv.String()+strings.Repeat("x", 20<<10)))
	expectStatus(t, "a report over the limit", over, 400)
	if !strings.Contains(over.Body, "The report is larger than 512 KiB.") {
		t.Errorf("the refusal does not give the limit\n%s", over.Body)
	}
}
