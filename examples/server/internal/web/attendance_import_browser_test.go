package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAttendanceImport drives Chromium through a participants
// report's review: a coordinator opens the session from its offering,
// uploads the report, picks the person for the ambiguous row and types
// one for a tablet's, confirms, and reads the session's attendance; each
// page is scanned with axe-core.
func TestBrowserAttendanceImport(t *testing.T) {
	chromium(t)
	s := start(t, true)
	_, provs := zoomSession(t, s)
	report := filepath.Join(t.TempDir(), "participants.csv")
	if err := os.WriteFile(report, []byte(zoomCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	coord, _ := s.key("coordinator", "", "")
	b := newBrowser(t, s)
	b.signIn(coord)
	b.open("/web/trainings/tr-zoom")
	b.do("open the session", chromedp.Click(chromedp.CSS(`a[href="/web/sessions/tr-zoom-s1/zoom"]`)), chromedp.WaitVisible(chromedp.CSS("#review")))
	b.do("choose the report", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{report}))
	b.submit("review", "#review")
	b.do("wait for the review", chromedp.WaitVisible(chromedp.CSS("#review-rows")))
	b.expectText("#matched", provs[0].Name)
	b.expectText("#not-yet", "Nothing is recorded yet")
	b.do("pick Teodora of org-002", chromedp.SetValue(chromedp.CSS("#pick-6"), string(provs[2].ID)))
	b.do("pick Baraka", chromedp.SetValue(chromedp.CSS("#pick-8"), string(provs[3].ID)))
	b.do("type Ximena's ID for the tablet", chromedp.SendKeys(chromedp.CSS("#id-9"), string(provs[0].ID)))
	b.shot("attendance-import-review")
	b.submit("confirm", "#confirm")
	b.do("wait for the attendance", chromedp.WaitVisible(chromedp.CSS("#attended")))
	b.expectText("#recorded", "Attendance recorded: 3.")
	b.expectText("#attended", provs[2].Name)
	b.expectText("#attended", "4.00")
	b.shot("attendance-import")
}
