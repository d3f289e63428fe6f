package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMovesChartsDownloads drives Chromium through the pages of
// hand moves, charts, downloads and listings, and scans each with
// axe-core: a coordinator moves a member on a run's page (the first move
// the rules allow) and reads the new run; the equity page with its charts
// and download links; a report with its charts; the survey imports; a
// consultant's runs; the providers found by name.
func TestBrowserMovesChartsDownloads(t *testing.T) {
	chromium(t)
	s := start(t, true)
	runID, rosters := finishedRun(t, s)
	b := newBrowser(t, s)
	coord, _ := s.key("coordinator", "", "")
	b.signIn(coord)

	// A move: try members of the largest groups into the smallest of the
	// same role until the rules allow one.
	b.open("/web/runs/" + runID)
	b.axe("run-move")
	moved := false
	for _, from := range rosters {
		for _, to := range rosters {
			if moved || from.Group == to.Group || len(from.Members) <= 6 || len(to.Members) == 0 || len(to.Members) >= 8 || from.Members[0].Role != to.Members[0].Role {
				continue
			}
			b.open("/web/runs/" + runID)
			b.do("choose the member", chromedp.SetValue(chromedp.CSS("#member"), string(from.Members[0].ID)))
			b.do("choose the group", chromedp.SetValue(chromedp.CSS("#to"), strconv.Itoa(to.Number)))
			b.submit("move", "#move")
			moved = strings.Contains(b.text("h1"), "Run ")
		}
	}
	if !moved {
		t.Fatal("no move was accepted")
	}
	b.expectText("#moved", "moved from group")
	b.expectText("#score", "Score of these groups")
	b.axe("run-moved")

	// Equity, with its charts and downloads.
	eqRun, _ := equityRun(t, s)
	b.open("/web/equity?program=esit&cycle=2026&run=" + url.QueryEscape(eqRun))
	b.expectText("main", "suppressed")
	b.expectText(".downloads", "Excel")
	b.do("scroll to the charts", chromedp.ScrollIntoView(chromedp.CSS("section.dimension")))
	b.axe("equity")
	b.open("/web/scholarships?program=esit&cycle=2026&run=" + url.QueryEscape(eqRun))
	b.expectText("#equity-link", "Equity by group")
	b.axe("decisions-downloads")

	// A report with its charts, and the imports.
	imp := releasedSurvey(t, s, 80)
	b.open("/web/reports?import=" + url.QueryEscape(imp) + "&by=race")
	if n := b.eval("count the charts", `String(document.querySelectorAll('svg[role=img] > title + desc').length)`); n == "0" {
		t.Error("the report has no chart with a title and a description")
	}
	b.expectText("main", "suppressed")
	b.do("scroll to a chart", chromedp.ScrollIntoView(chromedp.CSS("figure.chart:nth-of-type(2)")))
	b.axe("report-charts")
	b.open("/web/imports")
	b.expectText("#imports", imp)
	b.axe("imports")

	// The providers found by name.
	b.open("/web/providers?name=tran")
	b.expectText("main", "Tran")
	b.axe("providers-name")

	// A consultant's runs.
	var lead string
	for _, r := range rosters {
		if r.Consultant != nil && len(r.Members) > 0 {
			lead = string(r.Consultant.ID)
			break
		}
	}
	key, _ := s.key("consultant", "", lead)
	b.clearCookies()
	b.signIn(key)
	b.open("/web/runs")
	b.expectText("#led", runID)
	b.axe("runs-consultant")
}
