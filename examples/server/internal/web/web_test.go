package web_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/examples/server/internal/web"
)

// TestSessionCookie signs in with a key: the session cookie is HttpOnly,
// SameSite=Strict, not Secure over plain HTTP, scoped to the app, and the
// store keeps only its hash.
func TestSessionCookie(t *testing.T) {
	s := start(t, false)
	b := s.browser()
	p := b.signIn(s.Admin)
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/web/" {
		t.Fatalf("sign-in = %d to %q; want 303 to /web/\n%s", p.Status, p.Header.Get("Location"), p.Body)
	}
	c := setCookieFor(p, web.SessionCookie)
	if c == nil {
		t.Fatal("no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/web" || c.MaxAge <= 0 {
		t.Errorf("cookie %+v; want HttpOnly, SameSite=Strict, not Secure over HTTP, Path=/web, a Max-Age", c)
	}
	ctx := context.Background()
	if _, _, err := s.App.DB().SessionByHash(ctx, c.Value); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("the cookie's value is stored as is (err %v); want only its hash", err)
	}
	sess, k, err := s.App.DB().SessionByHash(ctx, sha(c.Value))
	if err != nil {
		t.Fatalf("the session's hash is not stored: %v", err)
	}
	if k.Role != "admin" || sess.ExpiresAt.Before(time.Now().Add(time.Hour)) || sess.ExpiresAt.After(time.Now().Add(9*time.Hour)) {
		t.Errorf("session %+v for key %+v; want an administrator session ending in about 8 hours", sess, k)
	}
	home := b.get("/web/")
	if home.Status != 200 || !strings.Contains(home.Body, "Program year at a glance") {
		t.Fatalf("home = %d\n%s", home.Status, home.Body)
	}
	if csp := home.Header.Get("Content-Security-Policy"); csp != web.CSP {
		t.Errorf("CSP %q; want %q", csp, web.CSP)
	}
	if cc := home.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", cc)
	}
}

// TestSessionCookieSecureOverTLS: over TLS the session cookie is Secure.
func TestSessionCookieSecureOverTLS(t *testing.T) {
	s := start(t, false)
	ts := httptest.NewUnstartedServer(s.App.Handler())
	ts.Listener.Close()
	l, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	ts.Listener = l
	ts.StartTLS()
	defer ts.Close()
	b := s.browser()
	b.s = &server{t: t, URL: ts.URL}
	b.c.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	p := b.signIn(s.Admin)
	c := setCookieFor(p, web.SessionCookie)
	if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie over TLS %+v (status %d); want Secure, HttpOnly, SameSite=Strict", c, p.Status)
	}
}

// TestCSRF: every form needs its token. A sign-in, a sign-out and a run
// start without it (or with another session's) are refused with 403 and
// change nothing.
func TestCSRF(t *testing.T) {
	s := start(t, true)
	b := s.browser()
	if p := b.post("/web/signin", url.Values{"key": {s.Admin}}); p.Status != http.StatusForbidden || b.cookie(web.SessionCookie) != nil {
		t.Fatalf("sign-in without a token = %d (session cookie %v); want 403 and no session", p.Status, b.cookie(web.SessionCookie))
	}
	b.get("/web/signin") // sets the pre-session cookie
	if p := b.post("/web/signin", url.Values{"key": {s.Admin}, "csrf": {"forged"}}); p.Status != http.StatusForbidden {
		t.Fatalf("sign-in with a forged token = %d; want 403", p.Status)
	}
	if p := b.signIn(s.Admin); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-in = %d", p.Status)
	}
	other := s.browser()
	other.signIn(s.Admin)
	otherToken := other.token("/web/runs")

	for _, form := range []url.Values{{}, {"csrf": {""}}, {"csrf": {otherToken}}} {
		if p := b.post("/web/runs", form); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "did not come from this site") {
			t.Errorf("starting a run with token %q = %d; want 403 with the reason\n%s", form.Get("csrf"), p.Status, p.Body)
		}
		if p := b.post("/web/signout", form); p.Status != http.StatusForbidden {
			t.Errorf("signing out with token %q = %d; want 403", form.Get("csrf"), p.Status)
		}
	}
	runs := b.get("/web/runs")
	if !strings.Contains(runs.Body, "No runs yet.") {
		t.Errorf("a refused form started a run:\n%s", runs.Body)
	}
	if p := b.get("/web/"); p.Status != 200 {
		t.Errorf("after refused sign-outs the session is gone: home = %d", p.Status)
	}
	// With the token, the same form works.
	if p := b.post("/web/runs", url.Values{"csrf": {b.token("/web/runs")}, "time_limit_seconds": {"1"}}); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/web/runs/run-") {
		t.Errorf("starting a run with the token = %d to %q; want 303 to the run", p.Status, p.Header.Get("Location"))
	}
}

// TestSignOut deletes the session: its cookie no longer opens a page.
func TestSignOut(t *testing.T) {
	s := start(t, false)
	b := s.browser()
	b.signIn(s.Admin)
	c := b.cookie(web.SessionCookie)
	p := b.post("/web/signout", url.Values{"csrf": {b.token("/web/")}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/web/signin" {
		t.Fatalf("sign-out = %d to %q", p.Status, p.Header.Get("Location"))
	}
	if _, _, err := s.App.DB().SessionByHash(context.Background(), sha(c.Value)); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("the session is still stored after sign-out (err %v)", err)
	}
	// A copy of the old cookie does not open the app.
	replay := s.browser()
	u, _ := url.Parse(s.URL + "/web/")
	replay.jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: c.Value, Path: "/web"}})
	if p := replay.get("/web/"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/web/signin" {
		t.Errorf("the signed-out cookie = %d to %q; want 303 to the sign-in page", p.Status, p.Header.Get("Location"))
	}
}

// TestSessionExpiry: an expired session sends the browser to the sign-in
// page and is deleted; so is one whose key was revoked.
func TestSessionExpiry(t *testing.T) {
	s := start(t, false)
	ctx := context.Background()
	_, keyID := s.key("coordinator", "", "")
	now := time.Now().UTC()
	for name, sess := range map[string]store.Session{
		"expired": {KeyID: keyID, CreatedAt: now.Add(-9 * time.Hour), ExpiresAt: now.Add(-time.Hour)},
		"live":    {KeyID: keyID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := s.App.DB().CreateSession(ctx, sha(name+"-secret"), sess); err != nil {
			t.Fatal(err)
		}
	}
	open := func(secret string) page {
		b := s.browser()
		u, _ := url.Parse(s.URL + "/web/")
		b.jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: secret, Path: "/web"}})
		return b.get("/web/")
	}
	if p := open("live-secret"); p.Status != 200 {
		t.Fatalf("a live session = %d; want 200", p.Status)
	}
	if p := open("expired-secret"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/web/signin" {
		t.Errorf("an expired session = %d to %q; want 303 to the sign-in page", p.Status, p.Header.Get("Location"))
	}
	if _, _, err := s.App.DB().SessionByHash(ctx, sha("expired-secret")); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("the expired session is still stored (err %v)", err)
	}
	// Another expired session is swept at the next sign-in.
	if err := s.App.DB().CreateSession(ctx, sha("old-secret"), store.Session{KeyID: keyID, CreatedAt: now.Add(-9 * time.Hour), ExpiresAt: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	s.browser().signIn(s.Admin)
	if _, _, err := s.App.DB().SessionByHash(ctx, sha("old-secret")); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("an expired session outlived the next sign-in (err %v)", err)
	}
	if _, _, err := s.App.DB().SessionByHash(ctx, sha("live-secret")); err != nil {
		t.Errorf("the sweep deleted a live session: %v", err)
	}
	if st, b := s.api("DELETE", "/api/v1/keys/"+keyID, s.Admin, nil); st != 200 {
		t.Fatalf("revoking = %d %s", st, b)
	}
	if p := open("live-secret"); p.Status != http.StatusSeeOther {
		t.Errorf("a session of a revoked key = %d; want 303 to the sign-in page", p.Status)
	}
}

// TestSignInFailures: a wrong key is told so, audited with the client's
// address, and limited like the API's failures (429 past the burst).
func TestSignInFailures(t *testing.T) {
	s := start(t, false)
	b := s.browser()
	var statuses []int
	for range 12 {
		p := b.signIn("bsk_wrong")
		statuses = append(statuses, p.Status)
		if p.Status == http.StatusUnauthorized && !strings.Contains(p.Body, "That key did not work") {
			t.Fatalf("refused page lacks its message:\n%s", p.Body)
		}
	}
	if statuses[0] != 401 || statuses[9] != 401 || statuses[11] != 429 {
		t.Errorf("statuses %v; want 401 for the first 10 failures and 429 after", statuses)
	}
	st, body := s.api("GET", "/api/v1/audit?order=desc&limit=50", s.Admin, nil)
	if st != 200 || strings.Count(string(body), "web sign-in: unknown key") < 10 || !strings.Contains(string(body), "127.0.0.1") {
		t.Errorf("audit = %d; want 10 entries of failed web sign-ins from 127.0.0.1\n%s", st, body)
	}
}

// TestSignInLink: the administrator's one-time link signs in once; the
// second use is refused, and so is an unknown token.
func TestSignInLink(t *testing.T) {
	s := start(t, false)
	if s.App.SignInPath == "" {
		t.Fatal("no sign-in link")
	}
	use := func() page {
		b := s.browser()
		tok := b.token(s.App.SignInPath)
		u, _ := url.Parse(s.URL + s.App.SignInPath)
		return b.post("/web/signin/link", url.Values{"csrf": {tok}, "token": {u.Query().Get("token")}})
	}
	first := use()
	if first.Status != http.StatusSeeOther || setCookieFor(first, web.SessionCookie) == nil {
		t.Fatalf("first use = %d; want 303 with a session\n%s", first.Status, first.Body)
	}
	second := use()
	if second.Status != http.StatusUnauthorized || setCookieFor(second, web.SessionCookie) != nil || !strings.Contains(second.Body, "has been used") {
		t.Errorf("second use = %d; want 401 without a session\n%s", second.Status, second.Body)
	}
	b := s.browser()
	tok := b.token("/web/signin/link?token=x")
	if p := b.post("/web/signin/link", url.Values{"csrf": {tok}, "token": {"made-up"}}); p.Status != http.StatusUnauthorized {
		t.Errorf("unknown link = %d; want 401", p.Status)
	}
}

// TestAgencyOtherProvider: an agency sees its own provider's page; another
// agency's provider reads "not found", the same as one that does not exist.
func TestAgencyOtherProvider(t *testing.T) {
	s := start(t, true)
	key, _ := s.key("agency", "org-001", "")
	b := s.browser()
	b.signIn(key)
	if p := b.get("/web/providers/prov-00001"); p.Status != 200 || !strings.Contains(p.Body, "Grace Tran") {
		t.Fatalf("own provider = %d\n%s", p.Status, p.Body)
	}
	theirs := b.get("/web/providers/prov-00008")
	nobody := b.get("/web/providers/prov-99999")
	for _, p := range []page{theirs, nobody} {
		if p.Status != http.StatusNotFound || !strings.Contains(p.Body, "Not found") {
			t.Errorf("= %d; want 404 not found\n%s", p.Status, p.Body)
		}
	}
	if strings.Contains(theirs.Body, "Aisha Flores") || strings.Contains(theirs.Body, "org-002") {
		t.Errorf("the not-found page names the other agency's provider:\n%s", theirs.Body)
	}
	if list := b.get("/web/providers?org=org-002"); strings.Contains(list.Body, "prov-00008") {
		t.Errorf("the agency's listing shows another agency's staff")
	}
}

// TestImport: a CSV with a bad row shows the row's problem and saves
// nothing; fixed, it imports.
func TestImport(t *testing.T) {
	s := start(t, true)
	b := s.browser()
	b.signIn(s.Admin)
	bad := "id,organization_id,name,role,languages\n" +
		"prov-web-1,org-001,Lan Tran,direct_service,vi;en\n" +
		"prov-web-2,org-001,Ana Ruiz,boss,es\n"
	p := b.upload("/web/providers/import", b.token("/web/providers/import"), "file", "staff.csv", []byte(bad))
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "Line 3, column role") || !strings.Contains(p.Body, "Nothing was saved") {
		t.Fatalf("bad import = %d; want 400 naming line 3's role\n%s", p.Status, p.Body)
	}
	if st, _ := s.api("GET", "/api/v1/providers/prov-web-1", s.Admin, nil); st != 404 {
		t.Errorf("a good row of a refused file was saved: GET = %d", st)
	}
	good := strings.Replace(bad, "boss", "supervisor", 1)
	p = b.upload("/web/providers/import", b.token("/web/providers/import"), "file", "staff.csv", []byte(good))
	if p.Status != 200 || !strings.Contains(p.Body, "Imported 2 providers.") {
		t.Fatalf("fixed import = %d\n%s", p.Status, p.Body)
	}
	if st, _ := s.api("GET", "/api/v1/providers/prov-web-2", s.Admin, nil); st != 200 {
		t.Errorf("imported provider: GET = %d", st)
	}
	// Search by ID prefix finds them, and only them.
	list := b.get("/web/providers?q=prov-web-")
	if !strings.Contains(list.Body, "Lan Tran") || !strings.Contains(list.Body, "Ana Ruiz") || strings.Contains(list.Body, "prov-00001") {
		t.Errorf("search for prov-web- :\n%s", list.Body)
	}
}

// TestLanguage: Accept-Language with q-values picks Spanish; the switch
// overrides it and is kept.
func TestLanguage(t *testing.T) {
	s := start(t, false)
	b := s.browser()
	b.lang = "fr-CA;q=0.9, es-MX;q=0.8, en;q=0.1"
	if p := b.get("/web/signin"); !strings.Contains(p.Body, `<html lang="es">`) || !strings.Contains(p.Body, "Iniciar sesión") {
		t.Fatalf("Accept-Language %q did not give Spanish:\n%s", b.lang, p.Body)
	}
	b.lang = "en;q=0.2, es;q=0.9"
	if p := b.get("/web/signin"); !strings.Contains(p.Body, "Clave de API") {
		t.Errorf("q-values not honoured:\n%s", p.Body)
	}
	if p := b.get("/web/signin?lang=en"); !strings.Contains(p.Body, `<html lang="en">`) {
		t.Errorf("the switch did not give English")
	}
	if p := b.get("/web/signin"); !strings.Contains(p.Body, "API key") {
		t.Errorf("the switch was not kept")
	}
	// The switch keeps the page's query.
	if p := b.get("/web/signin/link?token=abc"); !strings.Contains(p.Body, `href="/web/signin/link?lang=es&amp;token=abc"`) {
		t.Errorf("the switch to Spanish loses the page's query:\n%s", p.Body)
	}
}

// finishedRun starts a reflective consultation run through the API and
// waits (bounded) for it to finish; it returns the run's ID and rosters.
func finishedRun(t testing.TB, s *server) (string, []service.Roster) {
	t.Helper()
	st, body := s.api("POST", "/api/v1/grouping-runs", s.Admin, map[string]any{"preset": "reflective_consultation", "time_limit_seconds": 1})
	if st != 202 {
		t.Fatalf("starting a run = %d %s", st, body)
	}
	var run service.GroupingRun
	json.Unmarshal(body, &run)
	for range 120 {
		_, body = s.api("GET", "/api/v1/grouping-runs/"+run.ID, s.Admin, nil)
		json.Unmarshal(body, &run)
		if run.Status != service.RunQueued && run.Status != service.RunRunning {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if run.Status != service.RunDone {
		t.Fatalf("run %s is %s", run.ID, run.Status)
	}
	var r service.RunRosters
	_, body = s.api("GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", s.Admin, nil)
	json.Unmarshal(body, &r)
	return run.ID, r.Rosters
}

// TestConsultantAndEvaluatorHomes: a consultant sees only the groups they
// lead in a run, and another consultant's groups not at all; the evaluator
// has a home page; neither may open the staff's run pages.
func TestConsultantAndEvaluatorHomes(t *testing.T) {
	s := start(t, true)
	runID, rosters := finishedRun(t, s)
	lead := map[string][]int{}
	for _, r := range rosters {
		if r.Consultant != nil && len(r.Members) > 0 {
			lead[string(r.Consultant.ID)] = append(lead[string(r.Consultant.ID)], r.Number)
		}
	}
	var mine string
	for id := range lead {
		if mine == "" || id < mine {
			mine = id
		}
	}
	if mine == "" {
		t.Fatal("no group has a consultant")
	}
	key, _ := s.key("consultant", "", mine)
	b := s.browser()
	b.signIn(key)
	if p := b.get("/web/"); p.Status != 200 || !strings.Contains(p.Body, "Show my groups") {
		t.Fatalf("consultant home = %d\n%s", p.Status, p.Body)
	}
	p := b.get("/web/?run=" + url.QueryEscape(runID))
	if p.Status != 200 {
		t.Fatalf("consultant's groups = %d\n%s", p.Status, p.Body)
	}
	for _, r := range rosters {
		shown := strings.Contains(p.Body, ">Group "+strconv.Itoa(r.Number)+"<")
		if want := r.Consultant != nil && string(r.Consultant.ID) == mine && len(r.Members) > 0; shown != want {
			t.Errorf("group %d shown = %v; want %v (consultant %v)", r.Number, shown, want, r.Consultant)
		}
	}
	rp := b.get("/web/runs/" + runID + "/rosters")
	if rp.Status != 200 || strings.Count(rp.Body, "<caption>") != len(lead[mine]) {
		t.Errorf("consultant's rosters page = %d with %d groups; want %d", rp.Status, strings.Count(rp.Body, "<caption>"), len(lead[mine]))
	}
	if p := b.get("/web/runs/" + runID); p.Status != http.StatusForbidden {
		t.Errorf("consultant opening the run page = %d; want 403", p.Status)
	}
	if p := b.get("/web/?run=run-nosuch"); p.Status != http.StatusNotFound {
		t.Errorf("consultant asking for an unknown run = %d; want 404", p.Status)
	}
	ev, _ := s.key("evaluator", "", "")
	e := s.browser()
	e.signIn(ev)
	if p := e.get("/web/"); p.Status != 200 || !strings.Contains(p.Body, "Your reports") {
		t.Errorf("evaluator home = %d\n%s", p.Status, p.Body)
	}
	if p := e.get("/web/providers"); p.Status != http.StatusForbidden {
		t.Errorf("evaluator listing providers = %d; want 403", p.Status)
	}
}

// TestSurveyReport: a release's table by race shows the figures of large
// groups, and each small group as "suppressed" with its rule's meaning, in
// the reader's language, never a figure.
func TestSurveyReport(t *testing.T) {
	s := start(t, false)
	id := releasedSurvey(t, s, 80)
	var rep service.SurveyReport
	st, body := s.api("GET", "/api/v1/imports/"+id+"/report?breakdown=race", s.Admin, nil)
	if st != 200 {
		t.Fatalf("API report = %d %s", st, body)
	}
	json.Unmarshal(body, &rep)
	hidden, shown := 0, 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			if c.Suppressed {
				hidden++
			} else if c.Percent != nil {
				shown++
			}
		}
	}
	if hidden == 0 || shown == 0 {
		t.Fatalf("the data gives %d hidden and %d shown cells; the test needs both", hidden, shown)
	}
	key, _ := s.key("evaluator", "", "")
	b := s.browser()
	b.signIn(key)
	p := b.get("/web/reports?import=" + id + "&by=race")
	if p.Status != 200 {
		t.Fatalf("report page = %d\n%s", p.Status, p.Body)
	}
	if got := strings.Count(p.Body, `<td class="hidden-cell">suppressed</td>`); got != hidden {
		t.Errorf("%d cells read suppressed; the API hides %d", got, hidden)
	}
	if !strings.Contains(p.Body, "Hidden under the Washington State Department of Health&#39;s small-numbers standard") {
		t.Errorf("the page does not say what the rule means:\n%s", p.Body)
	}
	for _, code := range []string{">wa_doh:", ">native_hawaiian_pacific_islander<", ">suppressed:"} {
		if strings.Contains(p.Body, code) {
			t.Errorf("the page shows the raw code %q", code)
		}
	}
	b.lang = "es"
	b.get("/web/?lang=es")
	p = b.get("/web/reports?import=" + id + "&by=race")
	if got := strings.Count(p.Body, `<td class="hidden-cell">suprimida</td>`); got != hidden || !strings.Contains(p.Body, "Oculta según la norma de números pequeños") {
		t.Errorf("Spanish: %d cells read suprimida; want %d, with the rule in Spanish", got, hidden)
	}
	if p := b.get("/web/reports?import=imp-nosuch"); p.Status != http.StatusNotFound {
		t.Errorf("unknown import = %d; want 404", p.Status)
	}
}

// TestProvidersPaging: the providers list comes 50 at a time, and
// following "Next page" visits every provider once; the search by ID
// prefix gives exactly the IDs with the prefix.
func TestProvidersPaging(t *testing.T) {
	s := start(t, true)
	b := s.browser()
	b.signIn(s.Admin)
	rowRE := regexp.MustCompile(`<td>([^<]+)</td><td><a href="/web/providers/`)
	nextRE := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	seen := map[string]bool{}
	path := "/web/providers"
	pages := 0
	for ; path != "" && pages < 100; pages++ {
		p := b.get(html.UnescapeString(path))
		rows := rowRE.FindAllStringSubmatch(p.Body, -1)
		if len(rows) > 50 {
			t.Fatalf("page %d has %d rows; want at most 50", pages+1, len(rows))
		}
		for _, r := range rows {
			if seen[r[1]] {
				t.Errorf("provider %s on two pages", r[1])
			}
			seen[r[1]] = true
		}
		path = ""
		if m := nextRE.FindStringSubmatch(p.Body); m != nil {
			path = m[1]
		}
	}
	var all service.Page[bsk.Provider]
	for cursor := ""; ; {
		st, body := s.api("GET", "/api/v1/providers?limit=100&cursor="+url.QueryEscape(cursor), s.Admin, nil)
		var pg service.Page[bsk.Provider]
		if err := json.Unmarshal(body, &pg); st != 200 || err != nil {
			t.Fatalf("API providers = %d %s", st, body)
		}
		all.Items = append(all.Items, pg.Items...)
		if cursor = pg.NextCursor; cursor == "" || len(all.Items) > 100_000 {
			break
		}
	}
	if len(seen) != len(all.Items) || pages < 2 {
		t.Errorf("the pages showed %d providers in %d pages; the API lists %d", len(seen), pages, len(all.Items))
	}
	var want []string
	for _, v := range all.Items {
		if strings.HasPrefix(string(v.ID), "prov-0001") {
			want = append(want, string(v.ID))
		}
	}
	p := b.get("/web/providers?q=prov-0001")
	var got []string
	for _, r := range rowRE.FindAllStringSubmatch(p.Body, -1) {
		got = append(got, r[1])
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 || nextRE.MatchString(p.Body) {
		t.Errorf("search prov-0001 = %v; want %v and no next page", got, want)
	}
}

// TestScholarshipDecisions: the agency reads its run's decisions with the
// award in dollars and the reasons in words, in Spanish when asked; the
// one employed two months is refused with the reason, never a code.
func TestScholarshipDecisions(t *testing.T) {
	s := start(t, true)
	runID, agency := scholarshipRun(t, s)
	b := s.browser()
	b.signIn(agency)
	path := "/web/scholarships?program=esit&cycle=2026&run=" + url.QueryEscape(runID)
	p := b.get(path)
	if p.Status != 200 {
		t.Fatalf("decisions = %d\n%s", p.Status, p.Body)
	}
	for _, want := range []string{"Grace Tran", "Grace Nguyen", "not eligible", "$9,500.00"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the decisions page lacks %q\n%s", want, p.Body)
		}
	}
	if strings.Contains(p.Body, ">ineligible<") || strings.Contains(p.Body, "employment_too_short") {
		t.Errorf("the page shows a raw code:\n%s", p.Body)
	}
	why := regexp.MustCompile(`Grace Nguyen</th><td>[^<]*</td><td>[^<]*</td><td><ul><li>([^<]+)</li>`)
	en := why.FindStringSubmatch(p.Body)
	b.lang = "es"
	b.get("/web/?lang=es")
	p = b.get(path)
	es := why.FindStringSubmatch(p.Body)
	if !strings.Contains(p.Body, "no elegible") || !strings.Contains(p.Body, `<html lang="es">`) || en == nil || es == nil || en[1] == es[1] {
		t.Errorf("the refusal's reason in English %q and Spanish %q; want both, in different words\n%s", en, es, p.Body)
	}
	if p := b.get("/web/scholarships?program=esit&cycle=2026&run=run-nosuch"); p.Status != http.StatusNotFound {
		t.Errorf("unknown run = %d; want 404", p.Status)
	}
	// The coordinator's home names the open cycle with its budget in dollars.
	coord, _ := s.key("coordinator", "", "")
	c := s.browser()
	c.signIn(coord)
	if p := c.get("/web/"); !strings.Contains(p.Body, "ESIT Career Pathways: cycle 2026, open since September 1, 2026, budget $19,000.00.") {
		t.Errorf("the coordinator's home lacks the open cycle:\n%s", p.Body)
	}
}

// TestSessionsPostgres runs the session store on PostgreSQL: sign-in with
// a key, the one-time link once, sign-out, and the sweep of an expired
// session.
func TestSessionsPostgres(t *testing.T) {
	s := startPostgres(t)
	ctx := context.Background()
	b := s.browser()
	if p := b.signIn(s.Admin); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-in = %d\n%s", p.Status, p.Body)
	}
	c := b.cookie(web.SessionCookie)
	if p := b.get("/web/"); p.Status != 200 {
		t.Fatalf("home = %d", p.Status)
	}
	u, _ := url.Parse(s.URL + s.App.SignInPath)
	for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
		l := s.browser()
		tok := l.token(s.App.SignInPath)
		if p := l.post("/web/signin/link", url.Values{"csrf": {tok}, "token": {u.Query().Get("token")}}); p.Status != want {
			t.Errorf("link use %d = %d; want %d", i+1, p.Status, want)
		}
	}
	if p := b.post("/web/signout", url.Values{"csrf": {b.token("/web/")}}); p.Status != http.StatusSeeOther {
		t.Errorf("sign-out = %d", p.Status)
	}
	if _, _, err := s.App.DB().SessionByHash(ctx, sha(c.Value)); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("session after sign-out: %v", err)
	}
	now := time.Now().UTC()
	_, keyID := s.key("coordinator", "", "")
	if err := s.App.DB().CreateSession(ctx, sha("old"), store.Session{KeyID: keyID, CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.App.DB().DeleteExpiredSessions(ctx, now); err != nil || n < 1 {
		t.Errorf("sweep = %d, %v; want the expired session deleted", n, err)
	}
}
