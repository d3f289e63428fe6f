package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func init() {
	for _, n := range []string{"calendar", "training", "registrations", "groups", "attendance", "invoice", "reach", "transcript",
		"review-queue", "review-assignment", "pipeline", "trainings"} {
		mainPages[n] = true
	}
}

// TestBrowserProgramYear drives Chromium through the program year's,
// the trainings' and scholarship review's pages and scans each with
// axe-core: the calendar, an offering with its waitlist and interpreters,
// an agency's registrations, a consultant's groups and attendance form
// (recording a member), the month's invoice made from its form, reach, a
// transcript, a reviewer's blind queue, the assignment and the pipeline.
func TestBrowserProgramYear(t *testing.T) {
	chromium(t)
	s := start(t, true)
	_, rosters, leads := publishedYear(t, s)
	a1, a2, _ := trainingWithOneSeat(t, s)
	keyA, _ := s.key("agency", "org-001", "")
	ag := s.browser()
	ag.signIn(keyA)
	tok := tokenRE.FindStringSubmatch(ag.get("/web/trainings/tr-web").Body)[1]
	ag.post("/web/trainings/tr-web/register", url.Values{"csrf": {tok}, "provider_id": {string(a1.ID)}, "interpretation": {"vi"}})
	ag.post("/web/trainings/tr-web/register", url.Values{"csrf": {tok}, "provider_id": {string(a2.ID)}})
	_ = rosters
	for _, p := range []string{string(a1.ID), string(a2.ID)} {
		if st, body := s.api("POST", "/api/v1/attendance", s.Admin, map[string]any{"session_id": "tr-web-s1", "provider_id": p, "hours": 4, "credit": "training"}); st != 201 {
			t.Fatalf("attendance = %d %s", st, body)
		}
	}

	b := newBrowser(t, s)
	coord, _ := s.key("coordinator", "", "")
	b.signIn(coord)
	b.open("/web/program/calendar?month=2026-01")
	b.expectText("#calendar", leads[0].Consultant.Name)
	b.axe("calendar")
	b.open("/web/trainings")
	b.axe("trainings")
	b.open("/web/trainings/tr-web")
	b.expectText("#waitlist", a2.Name)
	b.expectText("#bookings", "Vietnamese")
	b.axe("training")
	b.open("/web/trainings/reach")
	b.expectText("#reach", "February 2026")
	b.axe("reach")

	// A consultant records a session's attendance.
	lead := leads[0]
	key, _ := s.key("consultant", "", string(lead.Consultant.ID))
	b.clearCookies()
	b.signIn(key)
	b.open("/web/program/groups")
	b.expectText("main", lead.Members[0].Name)
	b.axe("groups")
	b.do("open the first session", chromedp.Click(chromedp.CSS(".sessions tbody a")))
	b.do("wait for the form", chromedp.WaitVisible(chromedp.CSS("#record")))
	b.do("check the first member", chromedp.Click(chromedp.CSS("#m0")))
	b.submit("record", "#record")
	b.expectText("#recorded", "Recorded the attendance of 1 members.")
	b.axe("attendance")
	member := b.eval("the member recorded", `document.querySelector('input[disabled]').value`)

	// The coordinator invoices January and reads the member's transcript.
	b.clearCookies()
	b.signIn(coord)
	b.open("/web/program/invoices")
	b.do("month", chromedp.SetValue(chromedp.CSS("#month"), "2026-01"))
	b.do("rate", chromedp.SetValue(chromedp.CSS("#hourly"), "120.00"))
	b.submit("create the invoice", "#create-invoice")
	b.expectText("#invoice", lead.Consultant.Name)
	b.expectText("#invoice", "$180.00")
	b.axe("invoice")
	b.open("/web/providers/" + member + "/transcript")
	b.expectText("#totals", "1.50")
	b.axe("transcript")

	// The agency's registrations.
	b.clearCookies()
	b.signIn(keyA)
	b.open("/web/trainings/registrations")
	b.expectText("#registrations", a2.Name)
	b.axe("registrations")

	// Review: the assignment, a blind queue, the pipeline.
	_, reviewers := reviewedCycle(t, s)
	b.clearCookies()
	b.signIn(coord)
	b.open("/web/review/assignment?program=esit&cycle=2026")
	b.do("reviewers", chromedp.SetValue(chromedp.CSS("#reviewers"), string(reviewers[0].ID)+" 10\n"+string(reviewers[1].ID)+" 10"))
	b.do("one each", chromedp.SetValue(chromedp.CSS("#per_application"), "1"))
	b.submit("assign", "#assign")
	b.expectText("#sets", reviewers[0].Name)
	b.axe("review-assignment")
	rk, _ := s.key("consultant", "", string(reviewers[0].ID))
	b.clearCookies()
	b.signIn(rk)
	b.open("/web/review/queue?program=esit&cycle=2026")
	b.expectText(".hidden-fields", "applicant.name")
	b.do("score", chromedp.SetValue(chromedp.CSS("#queue input[type=number]"), "8"))
	b.submit("save", "#queue button.score")
	b.expectText("#saved", "Saved 1 scores.")
	b.axe("review-queue")
	st, body := s.api("POST", "/api/v1/programs/esit/cycles/2026/runs", coord, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, body)
	}
	run := body[strings.Index(string(body), `"id":"`)+6:]
	run = run[:strings.IndexByte(string(run), '"')]
	b.clearCookies()
	b.signIn(coord)
	b.open("/web/review/pipeline?program=esit&cycle=2026&run=" + url.QueryEscape(string(run)))
	b.axe("pipeline")
}

// TestBrowserSignInSSO scans the sign-in page with single sign-on
// configured; with -screenshots it is the docs' sign-in picture.
func TestBrowserSignInSSO(t *testing.T) {
	chromium(t)
	s := ssoServer(t, startProvider(t))
	b := newBrowser(t, s)
	b.open("/web/signin")
	b.expectText("main", "County ID")
	b.axe("signin")
}
