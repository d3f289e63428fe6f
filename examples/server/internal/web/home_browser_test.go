package web_test

import (
	"net/url"
	"testing"
)

// TestBrowserYearLedgerRankings drives Chromium through the coordinator's
// home with the program year at a glance, a scholarship run's ledger
// with its decline forms, and a release's rankings, in English and
// Spanish, and scans each with axe-core.
func TestBrowserYearLedgerRankings(t *testing.T) {
	chromium(t)
	s := start(t, true)
	runID, _ := waitlistedRun(t, s)
	imp := rankingRelease(t, s, "topics-axe", 40)
	b := newBrowser(t, s)
	coord, _ := s.key("coordinator", "", "")
	b.signIn(coord)

	b.open("/web/")
	b.expectText("#next", "Next sessions")
	b.axe("home-year")
	b.open("/web/?lang=es")
	b.expectText("#next", "Próximas sesiones")
	b.axe("home-year-es")
	b.open("/web/scholarships/ledger?lang=en&" + url.Values{"program": {"esit-l"}, "cycle": {"2026"}, "run": {runID}}.Encode())
	b.expectText("#waitlist-h", "Waitlist")
	b.axe("ledger")
	b.open("/web/scholarships/ledger?lang=es&" + url.Values{"program": {"esit-l"}, "cycle": {"2026"}, "run": {runID}}.Encode())
	b.axe("ledger-es")
	b.open("/web/reports/rankings?import=" + url.QueryEscape(imp))
	b.expectText("#ranking-topics", "Reflective supervision")
	b.axe("rankings")
}
