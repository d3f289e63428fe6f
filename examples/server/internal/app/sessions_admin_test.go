package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/examples/server/internal/web"
)

// webBrowser is a browser of the web app over loopback: a cookie jar and
// no redirects followed.
type webBrowser struct {
	t   *testing.T
	s   *server
	jar *cookiejar.Jar
	c   *http.Client
}

func newWebBrowser(t *testing.T, s *server) *webBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &webBrowser{t: t, s: s, jar: jar, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs in to the web app with an API key, as a person does on the
// sign-in page, and returns the session cookie's value.
func (b *webBrowser) signIn(key string) string {
	b.t.Helper()
	resp, err := b.c.Get(b.s.URL + "/web/signin")
	if err != nil {
		b.t.Fatal(err)
	}
	body := drainBody(b.t, resp)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("GET /web/signin = %d: no form token", resp.StatusCode)
	}
	resp, err = b.c.PostForm(b.s.URL+"/web/signin", url.Values{"csrf": {m[1]}, "key": {key}})
	if err != nil {
		b.t.Fatal(err)
	}
	drainBody(b.t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/web/" {
		b.t.Fatalf("POST /web/signin = %d to %q; want 303 to /web/", resp.StatusCode, resp.Header.Get("Location"))
	}
	return b.cookie()
}

// cookie is the browser's session cookie, "" for none.
func (b *webBrowser) cookie() string {
	u, _ := url.Parse(b.s.URL + "/web/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == web.SessionCookie {
			return c.Value
		}
	}
	return ""
}

// signedIn reports whether the home page answers (200) rather than
// sending the browser to sign in (303).
func (b *webBrowser) signedIn() bool {
	b.t.Helper()
	resp, err := b.c.Get(b.s.URL + "/web/")
	if err != nil {
		b.t.Fatal(err)
	}
	drainBody(b.t, resp)
	switch {
	case resp.StatusCode == http.StatusOK:
		return true
	case resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/web/signin":
		return false
	}
	b.t.Fatalf("GET /web/ = %d to %q; want 200 or 303 to /web/signin", resp.StatusCode, resp.Header.Get("Location"))
	return false
}

func drainBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			return sb.String()
		}
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestAdminEndsWebSessions: the administrator lists a person's web
// sessions (no secret, no stored hash) and ends one, then all of them, of
// an API key's sessions and of a single sign-on session; each ending
// takes effect at the browser's next request, leaves other people's
// sessions alone, and is audited.
func TestAdminEndsWebSessions(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	var coord, other app.KeyResponse
	s.expect(201, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": "coordinator", "role": "coordinator"}).json(t, &coord)
	s.expect(201, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": "evaluator", "role": "evaluator"}).json(t, &other)

	first, second, bystander := newWebBrowser(t, s), newWebBrowser(t, s), newWebBrowser(t, s)
	secrets := []string{first.signIn(coord.Key), second.signIn(coord.Key), bystander.signIn(other.Key)}
	for i, b := range []*webBrowser{first, second, bystander} {
		if !b.signedIn() {
			t.Fatalf("browser %d is not signed in", i+1)
		}
	}
	// A single sign-on session, stored as the sign-in callback stores one.
	sso := newWebBrowser(t, s)
	ssoSecret := "sso-session-secret-0123456789abcdefghijklmnop"
	now := time.Now().UTC()
	if err := s.App.DB().CreateSession(context.Background(), sha256Hex(ssoSecret), store.Session{Subject: "entra-4711", Name: "Ana Ruiz",
		Role: "coordinator", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.URL + "/web/")
	sso.jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: ssoSecret, Path: "/web"}})
	if !sso.signedIn() {
		t.Fatal("the single sign-on browser is not signed in")
	}
	secrets = append(secrets, ssoSecret)

	list := func(query string) (app.WebSessionList, string) {
		t.Helper()
		r := s.expect(200, "GET", "/api/v1/web-sessions"+query, s.Admin, nil)
		for _, secret := range secrets {
			if strings.Contains(string(r.Body), secret) || strings.Contains(string(r.Body), sha256Hex(secret)) {
				t.Fatalf("GET /api/v1/web-sessions%s shows a session's secret or its stored hash: %s", query, r.Body)
			}
		}
		var l app.WebSessionList
		r.json(t, &l)
		return l, string(r.Body)
	}
	l, _ := list("?key_id=" + coord.ID)
	if len(l.Sessions) != 2 {
		t.Fatalf("sessions of %s = %d; want 2", coord.ID, len(l.Sessions))
	}
	for _, ws := range l.Sessions {
		if ws.KeyID != coord.ID || ws.Role != app.RoleCoordinator || ws.ID == "" || !ws.ExpiresAt.After(now) {
			t.Errorf("session %+v; want the coordinator key's, with an ID and an expiry ahead", ws)
		}
	}
	if all, _ := list(""); len(all.Sessions) != 4 {
		t.Errorf("every session = %d; want 4", len(all.Sessions))
	}
	s.expect(403, "GET", "/api/v1/web-sessions?key_id="+coord.ID, coord.Key, nil)
	s.expect(403, "DELETE", "/api/v1/web-sessions/"+l.Sessions[0].ID, coord.Key, nil)

	// Which listed session is the first browser's: end the one, then see
	// which browser lost its session.
	var ended app.WebSession
	s.expect(200, "DELETE", "/api/v1/web-sessions/"+l.Sessions[0].ID, s.Admin, nil).json(t, &ended)
	if ended.ID != l.Sessions[0].ID {
		t.Errorf("ended %q; want %q", ended.ID, l.Sessions[0].ID)
	}
	still := []bool{first.signedIn(), second.signedIn()}
	if still[0] == still[1] {
		t.Fatalf("after ending one of two sessions, signed in: %v; want exactly one", still)
	}
	if !bystander.signedIn() || !sso.signedIn() {
		t.Error("ending a coordinator's session ended another person's")
	}
	s.expect(404, "DELETE", "/api/v1/web-sessions/"+l.Sessions[0].ID, s.Admin, nil)
	if l, _ = list("?key_id=" + coord.ID); len(l.Sessions) != 1 {
		t.Fatalf("sessions of %s after ending one = %d; want 1", coord.ID, len(l.Sessions))
	}
	remaining := l.Sessions[0].ID

	// All of a key's sessions.
	s.expect(400, "DELETE", "/api/v1/web-sessions", s.Admin, nil)
	s.expect(400, "DELETE", "/api/v1/web-sessions?key_id="+coord.ID+"&subject=entra-4711", s.Admin, nil)
	var all app.WebSessionList
	s.expect(200, "DELETE", "/api/v1/web-sessions?key_id="+coord.ID, s.Admin, nil).json(t, &all)
	if len(all.Sessions) != 1 || all.Sessions[0].ID != remaining {
		t.Errorf("ending every session of %s ended %+v; want %s", coord.ID, all.Sessions, remaining)
	}
	if first.signedIn() || second.signedIn() {
		t.Error("a coordinator's browser is still signed in after all its sessions were ended")
	}
	if !bystander.signedIn() || !sso.signedIn() {
		t.Error("ending a coordinator's sessions ended another person's")
	}

	// A single sign-on person's sessions, by subject.
	l, body := list("?subject=entra-4711")
	if len(l.Sessions) != 1 || l.Sessions[0].Name != "Ana Ruiz" || l.Sessions[0].Role != app.RoleCoordinator || l.Sessions[0].KeyID != "" {
		t.Fatalf("sessions of subject entra-4711 = %s; want Ana Ruiz's one coordinator session", body)
	}
	s.expect(200, "DELETE", "/api/v1/web-sessions?subject=entra-4711", s.Admin, nil)
	if sso.signedIn() {
		t.Error("the single sign-on browser is still signed in after its sessions were ended")
	}
	if !bystander.signedIn() {
		t.Error("ending a single sign-on session ended another person's")
	}

	// Every ending is in the audit log, by the administrator.
	var audited []string
	for _, e := range s.auditLog() {
		if e.Action == "end" && e.Entity == "web_session" {
			audited = append(audited, e.EntityID)
		}
	}
	want := []string{ended.ID, remaining, l.Sessions[0].ID}
	if !slices.Equal(audited, want) {
		t.Errorf("audited endings %v; want %v", audited, want)
	}
}
