package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// shot scans the page with axe-core and, with -screenshots, writes the
// whole page (not the window only: its tables run long) to the docs as
// web-<name>.png.
func (b *tab) shot(name string) {
	b.t.Helper()
	b.axe(name)
	if !*screenshots {
		return
	}
	b.eval("blur", `document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), ""`)
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "web-"+name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserSurveyUpload drives Chromium through the survey upload: an
// evaluator chooses a REDCap export whose rows were entered before the
// project validated them, follows the import to its end and reads every
// bad row, in English and in Spanish; each page is scanned with axe-core.
func TestBrowserSurveyUpload(t *testing.T) {
	chromium(t)
	s := start(t, true)
	redcapInstrument(t, s, "ppv", "potentially-problematic-values")
	redcapInstrument(t, s, "checkboxes", "checkboxes-1")
	file, err := filepath.Abs("../../../../survey/testdata/redcap/potentially-problematic-values/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	evaluator, _ := s.key("evaluator", "", "")
	b := newBrowser(t, s)
	b.signIn(evaluator)
	b.do("open the upload page", chromedp.Click(chromedp.CSS(`nav a[href="/web/imports/upload"]`)), chromedp.WaitVisible(chromedp.CSS("#upload")))
	b.expectText("h1", "Upload survey responses")
	b.shot("survey-upload")
	b.do("choose the instrument", chromedp.SetValue(chromedp.CSS("#instrument"), "ppv"))
	b.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	b.submit("upload", "#upload")
	b.do("wait for the import to end", chromedp.WaitVisible(chromedp.CSS("#bad-rows")))
	b.expectText("#status", "failed")
	b.expectText("#nothing-stored", "Nothing was stored")
	b.expectText("#bad-rows", "integer_before_validation")
	b.shot("survey-upload-problems")
	b.do("switch to Spanish", chromedp.Click(chromedp.CSS(`a[hreflang="es"]`)), chromedp.WaitVisible(chromedp.CSS("#bad-rows")))
	b.expectText("#nothing-stored", "No se guardó nada")
	b.expectText("#bad-rows", "Qué está mal")
	b.axe("survey-upload-problems-es")
}
