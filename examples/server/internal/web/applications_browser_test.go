package web_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

func init() {
	for _, n := range []string{"programs", "program", "program-form", "cycle", "applications", "application", "application-form",
		"ledger", "rankings"} {
		mainPages[n] = true
	}
}

// top scrolls the page so that the element sel begins at the top of the
// window, for the screenshot to show the page's main part.
func top(b *tab, sel string) {
	b.t.Helper()
	b.do("scroll to "+sel, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+"`"+sel+"`"+`).scrollIntoView({block: "start"})`))
}

// TestBrowserScholarshipPrograms drives Chromium through the scholarship
// programs' and applications' pages and scans each with axe-core: the
// administrator creates a program from its form and reads it; an agency
// submits an application for one of its staff from the form; a
// coordinator runs the cycle from its page, lists the applications and
// reads one with its decision in English and Spanish; then the
// administrator's home, the run's ledger and a release's rankings.
func TestBrowserScholarshipPrograms(t *testing.T) {
	chromium(t)
	s := start(t, true)
	b := newBrowser(t, s)
	b.signIn(s.Admin)

	b.open("/web/scholarships/programs/new")
	for sel, v := range map[string]string{"#id": "esit-b", "#name": "ESIT Career Pathways", "#cycle": "2026", "#effective": "2026-09-01",
		"#budget": "9,500", "#cap_tuition": "9000", "#cap_books": "500", "#commitment_months": "12", "#priority_weight": "10"} {
		b.do("fill "+sel, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	b.do("fill the documents", chromedp.SetValue(chromedp.CSS("#documents"), "transcript"))
	b.axe("program-form")
	b.submit("create the program", "#save-program")
	b.expectText("#done", "The program is created.")
	b.expectText(".rules", "King County agency")
	b.expectText(".terms", "$9,000.00")
	b.axe("program")
	b.open("/web/scholarships/programs")
	b.expectText("#programs", "ESIT Career Pathways")
	b.axe("programs")

	agency, _ := s.key("agency", "org-001", "")
	b.clearCookies()
	b.signIn(agency)
	b.open("/web/scholarships/applications/new")
	b.submit("choose the cycle", "#choose")
	b.do("wait for the form", chromedp.WaitVisible(chromedp.CSS("#submit-application")))
	b.do("months", chromedp.SetValue(chromedp.CSS("#months_employed"), "24"))
	b.do("hours", chromedp.SetValue(chromedp.CSS("#hours_per_week"), "40"))
	b.do("tuition", chromedp.SetValue(chromedp.CSS("#amount_tuition"), "9000"))
	b.do("transcript", chromedp.Click(chromedp.CSS("#doc-0")))
	b.do("confirmed", chromedp.Click(chromedp.CSS("#employer_confirmed")))
	b.axe("application-form")
	b.submit("submit the application", "#submit-application")
	b.expectText("#status", "submitted, not yet decided")
	b.axe("application-submitted")

	coord, _ := s.key("coordinator", "", "")
	b.clearCookies()
	b.signIn(coord)
	b.open("/web/scholarships/programs/esit-b/cycles/2026")
	b.expectText("#no-runs", "not run yet")
	b.axe("cycle-empty")
	b.submit("run the cycle", "#run-cycle")
	b.expectText("#decisions", "$9,000.00")
	run := b.eval("the run", `new URLSearchParams(location.search).get("run")`)
	b.open("/web/scholarships/programs/esit-b/cycles/2026")
	b.expectText("#cycle-runs", "$9,000.00")
	top(b, "#run-h")
	b.axe("cycle")
	b.open("/web/scholarships/applications")
	b.expectText("#applications", "awarded")
	top(b, "#filter")
	b.axe("applications")
	b.do("open the application", chromedp.Click(chromedp.CSS("#applications tbody a")))
	b.do("wait for the decision", chromedp.WaitVisible(chromedp.CSS("#reasons")))
	b.expectText("#reasons", "$9,000.00")
	top(b, "#requested")
	b.axe("application")
	b.open(b.eval("the page", "location.pathname") + "?lang=es")
	b.expectText("#decision-h", "Decisión")
	b.axe("application-es")
	b.open("/web/?lang=en")

	b.clearCookies()
	b.signIn(s.Admin)
	b.open("/web/")
	b.axe("home-admin")
	b.open("/web/scholarships/ledger?" + url.Values{"program": {"esit-b"}, "cycle": {"2026"}, "run": {run}}.Encode())
	b.expectText("#awards", "$9,000.00")
	top(b, "p:has(+ #awards-h), #awards-h")
	b.axe("ledger")
	imp := rankingRelease(t, s, "topics-axe", 40)
	b.open("/web/reports/rankings?import=" + url.QueryEscape(imp))
	b.expectText("#ranking-topics", "Reflective supervision")
	top(b, "main h2")
	b.axe("rankings")
}
