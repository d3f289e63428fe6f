package web_test

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

//go:embed testdata/axe.min.js
var axeSource string

var screenshots = flag.Bool("screenshots", false, "write PNG screenshots of the main pages to examples/server/docs")

// mainPages are the pages whose screenshots the docs keep.
var mainPages = map[string]bool{"signin": true, "home-admin": true, "home-agency": true, "providers": true,
	"import-problems": true, "run": true, "run-es": true, "rosters": true, "report": true, "decisions": true,
	"run-moved": true, "equity": true, "report-charts": true, "imports": true, "runs-consultant": true, "providers-name": true}

// chromium finds a Chromium to drive, or skips the test saying why.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("no Chromium found (/usr/bin/chromium, or set CHROMIUM): the browser tests need one (apt-get install chromium)")
	return ""
}

// tab is a browser tab on the server.
type tab struct {
	t   *testing.T
	ctx context.Context
	s   *server
}

func newBrowser(t *testing.T, s *server) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1100, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The first call starts the browser and must not carry a timeout.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "en"}}); err != nil {
		t.Fatal(err)
	}
	tctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	return &tab{t: t, ctx: tctx, s: s}
}

func (b *tab) fatal(what string, err error) {
	b.t.Helper()
	html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	b.t.Fatalf("%s: %v\n%s", what, err, html)
}

// do runs steps, failing the test with the page's main part on error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.fatal(what, err)
	}
}

// submit clicks sel and waits for the page it leads to.
func (b *tab) submit(what, sel string) {
	b.t.Helper()
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.fatal(what, err)
	}
}

func (b *tab) open(path string) { b.t.Helper(); b.do("open "+path, chromedp.Navigate(b.s.URL+path)) }

// eval evaluates a script (awaiting a promise) and returns its string.
func (b *tab) eval(what, script string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatal(what, err)
	}
	return v
}

// text is the text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fatal("read "+sel, err)
	}
	return v
}

// expectText fails unless the element sel holds want.
func (b *tab) expectText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Fatalf("%s reads %q; want it to contain %q", sel, got, want)
	}
}

func (b *tab) clearCookies() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		b.t.Fatal(err)
	}
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// axe scans the page with axe-core and fails on any serious or critical
// violation; name is also the screenshot's name.
func (b *tab) axe(name string) {
	b.t.Helper()
	out := b.eval("axe on "+name, axeSource+"\n;axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r))")
	var r axeResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		b.t.Fatalf("axe result: %v", err)
	}
	for _, v := range r.Violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("%s: axe %s (%s): %s at %v", name, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	if *screenshots && mainPages[name] {
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "web-"+name+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// signIn types key into the sign-in form.
func (b *tab) signIn(key string) {
	b.t.Helper()
	b.open("/web/signin")
	b.do("type the key", chromedp.SendKeys(chromedp.CSS("#key"), key))
	b.submit("sign in", "#signin")
	b.do("signed in", chromedp.WaitVisible(chromedp.CSS("nav")))
}

// TestBrowser drives Chromium through the app: sign-in with a key and
// with the one-time link, the reflective consultation flow from a CSV
// import to the Excel rosters, an agency kept from another agency's
// provider, a refused form, sign-out, and an axe-core scan of every page.
func TestBrowser(t *testing.T) {
	chromium(t)
	s := start(t, true)
	b := newBrowser(t, s)

	// Sign-in page, then a coordinator with a key.
	b.open("/web/signin")
	b.axe("signin")
	coord, _ := s.key("coordinator", "", "")
	b.signIn(coord)
	b.expectText("h1", "Program year at a glance")
	b.axe("home-coordinator")
	b.open("/web/?lang=es")
	b.expectText("h1", "El año del programa de un vistazo")
	b.axe("home-coordinator-es")
	b.open("/web/?lang=en")
	b.clearCookies()

	// The administrator with the one-time link; the second use is refused.
	b.open(s.App.SignInPath)
	b.axe("signin-link")
	b.submit("use the link", "#use-link")
	b.expectText("h1", "Program year at a glance")
	b.clearCookies()
	b.open(s.App.SignInPath)
	b.submit("use the link again", "#use-link")
	b.expectText("#problem", "has been used")
	b.signIn(s.Admin)

	// Workforce pages.
	b.open("/web/organizations")
	b.axe("organizations")
	b.open("/web/providers")
	b.axe("providers")
	b.open("/web/providers/prov-00001")
	b.expectText("h1", "Grace Tran")
	b.axe("provider")

	// The import: one bad row is shown and nothing saved; fixed, it imports.
	bad := "id,organization_id,name,role,languages\nprov-b-1,org-001,Lan Tran,direct_service,vi;en\nprov-b-2,org-001,Ana Ruiz,boss,es\n"
	b.open("/web/providers/import")
	b.do("paste a bad file", chromedp.SetValue(chromedp.CSS("#text"), bad))
	b.submit("import a bad file", "#import")
	b.expectText("#problems", "Line 3, column role")
	b.axe("import-problems")
	b.do("paste the fixed file", chromedp.SetValue(chromedp.CSS("#text"), strings.Replace(bad, "boss", "supervisor", 1)))
	b.submit("import the fixed file", "#import")
	b.expectText("#imported", "Imported 2 providers.")

	// A reflective consultation run: start, watch it finish, read it.
	b.open("/web/runs")
	b.axe("runs")
	b.do("time limit", chromedp.SetValue(chromedp.CSS("#time_limit_seconds"), "1"))
	b.submit("start a run", "#start-run")
	// The progress page reloads itself until the run is done.
	b.do("wait for the run", chromedp.WaitVisible(chromedp.CSS("#excel")))
	b.expectText("#status", "done")
	b.expectText(".cards", "Group 1")
	b.expectText(".cards", "Consultant")
	b.expectText("#unplaced", "No group with room shares")
	// The demo's Arabic speakers: no consultant speaks Arabic.
	b.expectText("#unplaced", "No leader with room for another group shares a language with this member (Arabic)")
	b.axe("run")
	runPath := b.eval("run path", "location.pathname")
	b.open(runPath + "/rosters")
	b.expectText("h1", "Rosters of run")
	b.axe("rosters")
	b.open(runPath + "?lang=es")
	b.expectText("h2", "Miembros sin grupo")
	b.axe("run-es")
	b.open("/web/?lang=en")
	b.expectText("#latest", "Latest reflective consultation run")
	b.axe("home-admin")
	b.open(runPath)

	// The Excel download: the browser saves the file, and excelize reads it back.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	b.do("download the rosters", chromedp.Click(chromedp.CSS("a[download]")))
	var data []byte
	for range 100 {
		if matches, _ := filepath.Glob(filepath.Join(dir, "*.xlsx")); len(matches) == 1 {
			if data, _ = os.ReadFile(matches[0]); len(data) > 0 {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(data) == 0 {
		t.Fatal("no workbook downloaded within 10 s")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	rows, err := f.GetRows("Rosters")
	if err != nil || len(rows) < 2 {
		t.Fatalf("workbook rows %d, %v", len(rows), err)
	}
	if got := strings.Join(rows[0], "|"); got != "Consultant|Group|Member|Member ID|Organization|Role|Meeting times|Common languages" {
		t.Errorf("header %q", got)
	}
	rosterText := b.text("main")
	for _, r := range rows[1:6] {
		if len(r) < 3 || !strings.Contains(rosterText, r[2]) || !strings.Contains(rosterText, r[0]) {
			t.Errorf("workbook row %q is not on the rosters page", r)
		}
	}

	// A refused form: the sign-out form without its token.
	b.do("forge", chromedp.Evaluate[chromedp.Void](`document.querySelector('.signout input[name=csrf]').remove()`))
	b.submit("sign out without the token", ".signout button")
	b.expectText("#problem", "did not come from this site")
	b.axe("error")
	// Sign-out, with the token: the app is closed again.
	b.open("/web/")
	b.submit("sign out", ".signout button")
	b.expectText("h1", "Sign in")
	b.open("/web/providers")
	b.expectText("h1", "Sign in")

	// An agency: its staff, and another agency's provider is not found.
	agency, _ := s.key("agency", "org-001", "")
	b.signIn(agency)
	b.expectText("h1", "Your staff")
	b.axe("home-agency")
	b.open("/web/providers/prov-00008")
	b.expectText("#problem", "Not found")
	b.expectText("h1", "Not found")
	// Its scholarship decisions, with reasons in words.
	runID, agencyKey := scholarshipRun(t, s)
	b.clearCookies()
	b.signIn(agencyKey)
	b.open("/web/scholarships?program=esit&cycle=2026&run=" + runID)
	b.expectText("#decisions", "not eligible")
	b.axe("decisions")

	// An evaluator reads a survey table by race: small groups suppressed,
	// with the rule's meaning.
	imp := releasedSurvey(t, s, 80)
	b.clearCookies()
	ev, _ := s.key("evaluator", "", "")
	b.signIn(ev)
	b.expectText("h1", "Your reports")
	b.axe("home-evaluator")
	b.open("/web/reports")
	b.do("type the import", chromedp.SendKeys(chromedp.CSS("#import"), imp))
	b.submit("show the totals", "#show-report")
	b.do("choose race", chromedp.SetValue(chromedp.CSS("#by"), "race"))
	b.submit("show by race", "#show-report")
	b.expectText("main", "suppressed")
	b.expectText("main", "Hidden under the Washington State Department of Health")
	b.do("scroll to a hidden cell", chromedp.ScrollIntoView(chromedp.CSS(".hidden-cell")))
	b.axe("report")
}
