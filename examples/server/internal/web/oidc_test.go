package web_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/oauth2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/web"
)

// provider is a real OpenID provider (zitadel's op package, over the
// in-memory storage of its example server) on a loopback port. Its login
// page signs in, without a form, as the user named in user. The tests'
// users carry the claims a directory gives them.
type provider struct {
	t     *testing.T
	URL   string
	store *storage.Storage
	op    *op.Provider

	mu       sync.Mutex
	user     string
	lifetime time.Duration
	clients  map[string]*opClient
	claims   map[string]map[string]any
	ended    []string
	rewrite  func(idToken string) string
}

// The users: their IDs are the ID tokens' subjects.
var opUsers = map[string]*storage.User{
	"u-admin":  {ID: "u-admin", Username: "ada", Password: "pw", FirstName: "Ada", LastName: "Admin"},
	"u-agency": {ID: "u-agency", Username: "agnes", Password: "pw", FirstName: "Agnes", LastName: "Agency"},
	"u-none":   {ID: "u-none", Username: "nobody", Password: "pw", FirstName: "No", LastName: "Body"},
	"u-two":    {ID: "u-two", Username: "two", Password: "pw", FirstName: "Two", LastName: "Roles"},
	"u-lost":   {ID: "u-lost", Username: "lost", Password: "pw", FirstName: "Lost", LastName: "Agency"},
	"u-coach":  {ID: "u-coach", Username: "coach", Password: "pw", FirstName: "Cora", LastName: "Consultant"},
}

type opUserStore struct{}

func (opUserStore) GetUserByID(id string) *storage.User { return opUsers[id] }
func (opUserStore) GetUserByUsername(name string) *storage.User {
	for _, u := range opUsers {
		if u.Username == name {
			return u
		}
	}
	return nil
}
func (opUserStore) ExampleClientID() string { return "service" }

// opStorage is the example storage with the tests' clients, the users'
// directory claims in their ID tokens, and a record of ended sessions.
type opStorage struct {
	*storage.Storage
	p *provider
}

func (s opStorage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if c, ok := s.p.clients[id]; ok {
		return c, nil
	}
	return nil, oidc.ErrInvalidClient().WithDescription("no client %q", id)
}

func (s opStorage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if c, ok := s.p.clients[id]; ok && c.secret == secret {
		return nil
	}
	return oidc.ErrInvalidClient().WithDescription("wrong client or secret")
}

func (s opStorage) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	for k, v := range s.p.claims[req.GetSubject()] {
		ui.AppendClaims(k, v)
	}
	return nil
}

func (s opStorage) TerminateSession(ctx context.Context, userID, clientID string) error {
	s.p.mu.Lock()
	s.p.ended = append(s.p.ended, clientID)
	s.p.mu.Unlock()
	return s.Storage.TerminateSession(ctx, userID, clientID)
}

// opClient is a confidential web client registered at the provider.
type opClient struct {
	p                    *provider
	id, secret           string
	redirects, loggedOut []string
}

func (c *opClient) GetID() string                       { return c.id }
func (c *opClient) RedirectURIs() []string              { return c.redirects }
func (c *opClient) PostLogoutRedirectURIs() []string    { return c.loggedOut }
func (c *opClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *opClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *opClient) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *opClient) LoginURL(id string) string            { return "/login?authRequestID=" + url.QueryEscape(id) }
func (c *opClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *opClient) DevMode() bool                        { return true } // http redirect URIs on loopback
func (c *opClient) IsScopeAllowed(string) bool           { return false }
func (c *opClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *opClient) ClockSkew() time.Duration             { return 0 }
func (c *opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IDTokenLifetime is the provider's current lifetime, which a test may
// shorten (or make negative, for tokens born expired).
func (c *opClient) IDTokenLifetime() time.Duration {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	return c.p.lifetime
}

// startProvider runs the provider on a loopback port until the test ends.
func startProvider(t *testing.T) *provider {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{t: t, URL: "http://" + l.Addr().String(), lifetime: time.Hour,
		clients: map[string]*opClient{}, claims: map[string]map[string]any{}}
	p.store = storage.NewStorageWithClients(opUserStore{}, map[string]*storage.Client{})
	key := sha256.Sum256([]byte("provider test key"))
	p.op, err = op.NewProvider(&op.Config{CryptoKey: key, CodeMethodS256: true, DefaultLogoutRedirectURI: "/logged-out"},
		opStorage{Storage: p.store, p: p}, op.StaticIssuer(p.URL), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", op.NewIssuerInterceptor(p.op.IssuerFromRequest).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("authRequestID")
		p.mu.Lock()
		user := p.user
		p.mu.Unlock()
		if err := p.store.CheckUsernamePassword(user, "pw", id); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, op.AuthCallbackURL(p.op)(r.Context(), id), http.StatusFound)
	}))
	mux.HandleFunc("/logged-out", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "signed out") })
	mux.Handle("/", p.op)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return p
}

func (p *provider) register(c *opClient) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c.p = p
	p.clients[c.id] = c
}

// as makes the login page sign in as username.
func (p *provider) as(username string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user = username
}

// withLifetime sets the ID tokens' lifetime until the test ends.
func (p *provider) withLifetime(t *testing.T, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lifetime = d
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.lifetime = time.Hour
	})
}

// withRewrite changes the ID token in the provider's token answers, on
// their way to the app, until the test ends.
func (p *provider) withRewrite(t *testing.T, f func(string) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rewrite = f
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.rewrite = nil
	})
}

// RoundTrip carries the app's requests to the provider, passing token
// answers through the rewrite a test set.
func (p *provider) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	p.mu.Lock()
	rewrite := p.rewrite
	p.mu.Unlock()
	if err != nil || rewrite == nil || !strings.HasSuffix(req.URL.Path, "/token") || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var answer map[string]any
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, err
	}
	raw, _ := answer["id_token"].(string)
	answer["id_token"] = rewrite(raw)
	body, _ = json.Marshal(answer)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return resp, nil
}

// ssoServer is the app with single sign-on through p, as client
// "workforce", over the synthetic workforce in SQLite.
func ssoServer(t *testing.T, p *provider) *server {
	return ssoServerCfg(t, p, app.Config{Data: t.TempDir()})
}

// ssoServerCfg is ssoServer over cfg's database.
func ssoServerCfg(t *testing.T, p *provider, cfg app.Config) *server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	p.register(&opClient{id: "workforce", secret: "wf-secret", redirects: []string{base + "/web/signin/sso/callback"}, loggedOut: []string{base + "/web/signin"}})
	p.register(&opClient{id: "other-app", secret: "other-secret", redirects: []string{"http://127.0.0.1:9/callback"}})
	mapping, err := web.ParseClaimMapping(strings.NewReader(`{
		"claims": {
			"roles": {"Workforce.Admin": "admin", "Workforce.Evaluator": "evaluator"},
			"groups": {"0b7c5e2a-agency": "agency", "9d1e-consultants": "consultant"}
		},
		"organization_claim": "org",
		"provider_claim": "provider"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	sso := &web.SSO{Name: "County ID", Issuer: p.URL, ClientID: "workforce", ClientSecret: "wf-secret",
		RedirectURL: base + "/web/signin/sso/callback", Mapping: mapping, HTTPClient: &http.Client{Transport: p, Timeout: 10 * time.Second}}

	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	cfg.SSO = sso
	a, err := app.New(ctx, cfg, zerolog.New(logs))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		a.Close()
	})
	key, err := os.ReadFile(a.AdminKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	return &server{t: t, URL: base, Admin: strings.TrimSpace(string(key)), App: a, logs: logs}
}

// fresh is a new browser at an address of its own in 127.0.0.0/8, so
// that the refused sign-ins of one case do not spend another's allowance
// of failures (the sign-in limit is per address).
func fresh(s *server) *browser {
	b := s.browser()
	n := addresses.Add(1)
	local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+n/250), byte(2+n%250))}
	b.c.Transport = &http.Transport{DialContext: (&net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}).DialContext}
	return b
}

var addresses atomic.Int64

// getURL fetches an absolute URL.
func (b *browser) getURL(u string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return b.do(req)
}

// toCallback presses the sign-in button and follows the redirects through
// the provider as a browser does, up to the provider's redirect back to
// the app, which it returns unfollowed.
func (b *browser) toCallback() *url.URL {
	b.t.Helper()
	return b.follow(b.get("/web/signin/sso"))
}

// follow follows redirects from p up to the provider's redirect back to
// the app, which it returns unfollowed.
func (b *browser) follow(p page) *url.URL {
	b.t.Helper()
	for range 10 {
		if p.Status != http.StatusFound && p.Status != http.StatusSeeOther {
			b.t.Fatalf("sign-in stopped at %d before the callback\n%s", p.Status, p.Body)
		}
		u, err := p.resp.Request.URL.Parse(p.Header.Get("Location"))
		if err != nil {
			b.t.Fatal(err)
		}
		if u.Path == "/web/signin/sso/callback" && strings.HasPrefix(u.String(), b.s.URL) {
			return u
		}
		p = b.getURL(u.String())
	}
	b.t.Fatal("no callback after 10 redirects")
	return nil
}

// ssoSignIn signs in through the provider as username and returns the
// app's answer to the callback.
func (b *browser) ssoSignIn(p *provider, username string) page {
	b.t.Helper()
	p.as(username)
	return b.getURL(b.toCallback().String())
}

// tokenFor runs a sign-in of username at the provider for client id (a
// flow of its own, with the nonce given) and returns the ID token issued.
func (p *provider) tokenFor(t *testing.T, b *browser, id, secret, redirect, username, nonce string) string {
	t.Helper()
	p.as(username)
	conf := &oauth2.Config{ClientID: id, ClientSecret: secret, RedirectURL: redirect, Scopes: []string{"openid"},
		Endpoint: oauth2.Endpoint{AuthURL: p.URL + "/authorize", TokenURL: p.URL + "/oauth/token"}}
	verifier := oauth2.GenerateVerifier()
	next := conf.AuthCodeURL("some-state", oauth2.SetAuthURLParam("nonce", nonce), oauth2.S256ChallengeOption(verifier))
	for range 10 {
		pg := b.getURL(next)
		u, err := pg.resp.Request.URL.Parse(pg.Header.Get("Location"))
		if err != nil || pg.Header.Get("Location") == "" {
			t.Fatalf("flow for %s stopped at %d: %v\n%s", id, pg.Status, err, pg.Body)
		}
		if strings.HasPrefix(u.String(), redirect) {
			tok, err := conf.Exchange(context.Background(), u.Query().Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("exchange for %s: %v", id, err)
			}
			raw, _ := tok.Extra("id_token").(string)
			if raw == "" {
				t.Fatalf("no ID token for %s", id)
			}
			return raw
		}
		next = u.String()
	}
	t.Fatalf("no code for %s after 10 redirects", id)
	return ""
}

// payload decodes a JWT's claims.
func payload(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encodeClaims(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// auditFor returns the audit entries naming who, newest first.
func (s *server) auditFor(who string) []map[string]any {
	s.t.Helper()
	st, body := s.api("GET", "/api/v1/audit?order=desc&limit=200", s.Admin, nil)
	if st != 200 {
		s.t.Fatalf("audit = %d\n%s", st, body)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		s.t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range page.Items {
		if e["key_id"] == who || e["entity_id"] == who {
			out = append(out, e)
		}
	}
	return out
}

// auditSays checks that an audit entry naming who says text.
func (s *server) auditSays(who, text string) {
	s.t.Helper()
	for _, e := range s.auditFor(who) {
		if strings.Contains(toString(e["detail"]), text) {
			return
		}
	}
	s.t.Errorf("no audit entry of %s says %q", who, text)
}

// providersOf returns a provider ID of organization org, and one of another
// organization.
func (s *server) providersOf(org string) (own, other string) {
	s.t.Helper()
	st, body := s.api("GET", "/api/v1/providers?limit=200", s.Admin, nil)
	if st != 200 {
		s.t.Fatalf("providers = %d\n%s", st, body)
	}
	var page struct{ Items []bsk.Provider }
	json.Unmarshal(body, &page)
	for _, p := range page.Items {
		switch {
		case string(p.OrganizationID) == org && own == "":
			own = string(p.ID)
		case string(p.OrganizationID) != org && other == "":
			other = string(p.ID)
		}
	}
	if own == "" || other == "" {
		s.t.Fatalf("no providers of %s and of another organization in the first 200", org)
	}
	return own, other
}

// refused checks a refused sign-in: status, the page's text, no session.
func refused(t *testing.T, b *browser, p page, status int, text string) {
	t.Helper()
	if p.Status != status || !strings.Contains(p.Body, text) {
		t.Errorf("callback = %d; want %d with %q\n%s", p.Status, status, text, p.Body)
	}
	if c := setCookieFor(p, web.SessionCookie); c != nil && c.Value != "" {
		t.Errorf("a refused sign-in set a session cookie: %v", c)
	}
	if h := b.get("/web/"); h.Status != http.StatusSeeOther || h.Header.Get("Location") != "/web/signin" {
		t.Errorf("after a refused sign-in, home = %d %s; want a redirect to sign in", h.Status, h.Header.Get("Location"))
	}
}

func TestSSO(t *testing.T) {
	p := startProvider(t)
	s := ssoServer(t, p)

	// The directory: an organization of the synthetic workforce for the
	// agency user, and claims the mapping does not know.
	st, body := s.api("GET", "/api/v1/organizations?limit=1", s.Admin, nil)
	var orgs struct{ Items []bsk.Organization }
	if json.Unmarshal(body, &orgs); st != 200 || len(orgs.Items) != 1 {
		t.Fatalf("organizations = %d\n%s", st, body)
	}
	org := string(orgs.Items[0].ID)
	p.mu.Lock()
	p.claims["u-admin"] = map[string]any{"roles": []string{"Workforce.Admin"}, "name": "Ada Admin"}
	p.claims["u-agency"] = map[string]any{"groups": []string{"f00d-unrelated", "0b7c5e2a-agency"}, "org": org, "name": "Agnes Agency"}
	p.claims["u-none"] = map[string]any{"roles": []string{"Payroll.Reader"}, "groups": []string{"g-unrelated-7731"}, "org": "org-secret-9"}
	p.claims["u-two"] = map[string]any{"roles": []string{"Workforce.Admin", "Workforce.Evaluator"}}
	p.claims["u-lost"] = map[string]any{"groups": []string{"0b7c5e2a-agency"}, "org": "org-that-is-not-here"}
	coach, _ := s.providersOf(org)
	p.claims["u-coach"] = map[string]any{"groups": []string{"9d1e-consultants"}, "org": org, "provider": coach}
	p.mu.Unlock()

	t.Run("button", func(t *testing.T) {
		pg := fresh(s).get("/web/signin")
		if pg.Status != 200 || !strings.Contains(pg.Body, `href="/web/signin/sso"`) || !strings.Contains(pg.Body, "Sign in with County ID") {
			t.Errorf("sign-in page = %d; want a Sign in with County ID button\n%s", pg.Status, pg.Body)
		}
		if !strings.Contains(pg.Body, `name="key"`) {
			t.Error("the sign-in page lost its API key form")
		}
	})

	t.Run("authorization request", func(t *testing.T) {
		pg := fresh(s).get("/web/signin/sso")
		u, err := url.Parse(pg.Header.Get("Location"))
		if pg.Status != http.StatusSeeOther || err != nil || !strings.HasPrefix(u.String(), p.URL+"/") {
			t.Fatalf("start = %d %s; want a redirect to the provider", pg.Status, pg.Header.Get("Location"))
		}
		q := u.Query()
		for k, want := range map[string]string{"client_id": "workforce", "response_type": "code", "code_challenge_method": "S256",
			"redirect_uri": s.URL + "/web/signin/sso/callback"} {
			if q.Get(k) != want {
				t.Errorf("%s = %q; want %q", k, q.Get(k), want)
			}
		}
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 32 {
				t.Errorf("%s = %q; want a fresh random value", k, q.Get(k))
			}
		}
		if !strings.Contains(q.Get("scope"), "openid") {
			t.Errorf("scope = %q; want openid", q.Get("scope"))
		}
		c := setCookieFor(pg, "bsk_sso")
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 || c.MaxAge > 600 {
			t.Errorf("flow cookie = %+v; want HttpOnly, SameSite=Lax, for at most 10 minutes", c)
		}
		if c != nil && (strings.Contains(c.Value, q.Get("code_challenge")) || !strings.Contains(c.Value, q.Get("state"))) {
			t.Error("the flow cookie should hold the state and the verifier, never the challenge")
		}
	})

	t.Run("admin end to end", func(t *testing.T) {
		b := fresh(s)
		pg := b.ssoSignIn(p, "ada")
		c := setCookieFor(pg, web.SessionCookie)
		if pg.Status != 200 || c == nil || c.Value == "" || !strings.Contains(pg.Body, `http-equiv="refresh" content="0; url=/web/"`) {
			t.Fatalf("callback = %d, session cookie %v; want 200 with a session and a page moving on home\n%s", pg.Status, c, pg.Body)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.MaxAge > 3600 || c.MaxAge < 3500 {
			t.Errorf("session cookie = %+v; want HttpOnly, Strict, ending with the one-hour token (not the 8-hour session)", c)
		}
		if b.cookie("bsk_sso") != nil {
			t.Error("the flow cookie outlived the sign-in")
		}
		home := b.get("/web/")
		if home.Status != 200 || !strings.Contains(home.Body, "Signed in as administrator") {
			t.Fatalf("home = %d; want the administrator's\n%s", home.Status, home.Body)
		}
		own, _ := s.providersOf(org)
		if pv := b.get("/web/providers/" + own); pv.Status != 200 {
			t.Fatalf("provider page = %d\n%s", pv.Status, pv.Body)
		}
		// The administrator's read of a provider is audited under the
		// signed-in subject.
		var read bool
		for _, e := range s.auditFor("sso:u-admin") {
			read = read || e["key_id"] == "sso:u-admin" && e["action"] == "read" && e["entity_id"] == own
		}
		if !read {
			t.Errorf("no audit entry of sso:u-admin reading %s: %v", own, s.auditFor("sso:u-admin"))
		}
	})

	t.Run("agency with its organization", func(t *testing.T) {
		b := fresh(s)
		if pg := b.ssoSignIn(p, "agnes"); pg.Status != 200 {
			t.Fatalf("callback = %d\n%s", pg.Status, pg.Body)
		}
		home := b.get("/web/")
		if home.Status != 200 || !strings.Contains(home.Body, "Signed in as agency") {
			t.Fatalf("home = %d; want the agency's\n%s", home.Status, home.Body)
		}
		own, other := s.providersOf(org)
		if pg := b.get("/web/providers/" + own); pg.Status != 200 {
			t.Errorf("own organization's provider = %d; want 200", pg.Status)
		}
		if pg := b.get("/web/providers/" + other); pg.Status != 404 {
			t.Errorf("another organization's provider = %d; want 404", pg.Status)
		}
	})

	t.Run("consultant with a provider record", func(t *testing.T) {
		b := fresh(s)
		if pg := b.ssoSignIn(p, "coach"); pg.Status != 200 {
			t.Fatalf("callback = %d\n%s", pg.Status, pg.Body)
		}
		if home := b.get("/web/"); home.Status != 200 || !strings.Contains(home.Body, "Signed in as consultant") {
			t.Fatalf("home = %d; want the consultant's\n%s", home.Status, home.Body)
		}
	})

	t.Run("no role mapped", func(t *testing.T) {
		b := fresh(s)
		pg := b.ssoSignIn(p, "nobody")
		refused(t, b, pg, http.StatusForbidden, "your account has no role in this app")
		for _, v := range []string{"Payroll.Reader", "g-unrelated-7731", "org-secret-9", "u-none"} {
			if strings.Contains(pg.Body, v) {
				t.Errorf("the refusal shows the claim value %q", v)
			}
		}
		var audited bool
		for _, e := range s.auditFor("sso:u-none") {
			audited = audited || e["action"] == "auth_failed" && strings.Contains(toString(e["detail"]), "no_role")
		}
		if !audited {
			t.Errorf("the refusal is not audited for sso:u-none: %v", s.auditFor("sso:u-none"))
		}
	})

	t.Run("more than one role", func(t *testing.T) {
		b := fresh(s)
		refused(t, b, b.ssoSignIn(p, "two"), http.StatusForbidden, "more than one role")
	})

	t.Run("unknown organization", func(t *testing.T) {
		b := fresh(s)
		pg := b.ssoSignIn(p, "lost")
		refused(t, b, pg, http.StatusForbidden, "the organization your account names is not known here")
		if strings.Contains(pg.Body, "org-that-is-not-here") {
			t.Error("the refusal shows the claim's value")
		}
	})

	t.Run("expired token", func(t *testing.T) {
		p.withLifetime(t, -time.Minute)
		b := fresh(s)
		refused(t, b, b.ssoSignIn(p, "ada"), http.StatusUnauthorized, "did not confirm who you are")
		var audited bool
		for _, e := range s.auditFor("anonymous") {
			audited = audited || strings.Contains(toString(e["detail"]), "token is expired")
		}
		if !audited {
			t.Error("no audit entry says the token was expired")
		}
	})

	t.Run("tampered token", func(t *testing.T) {
		// The person with no role makes their token say admin; the
		// provider's signature no longer matches.
		p.withRewrite(t, func(raw string) string {
			parts := strings.Split(raw, ".")
			claims := payload(t, raw)
			claims["roles"] = []string{"Workforce.Admin"}
			return parts[0] + "." + encodeClaims(t, claims) + "." + parts[2]
		})
		b := fresh(s)
		refused(t, b, b.ssoSignIn(p, "nobody"), http.StatusUnauthorized, "did not confirm who you are")
		s.auditSays("anonymous", "failed to verify signature")
	})

	t.Run("token signed by another key", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		p.withRewrite(t, func(raw string) string {
			parts := strings.Split(raw, ".")
			claims := payload(t, raw)
			claims["roles"] = []string{"Workforce.Admin"}
			signed := parts[0] + "." + encodeClaims(t, claims) // the provider's header and key ID
			h := sha256.Sum256([]byte(signed))
			sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
			if err != nil {
				t.Fatal(err)
			}
			return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
		})
		b := fresh(s)
		refused(t, b, b.ssoSignIn(p, "nobody"), http.StatusUnauthorized, "did not confirm who you are")
		s.auditSays("anonymous", "failed to verify signature")
	})

	t.Run("wrong audience", func(t *testing.T) {
		// A real token of the administrator with the browser's own nonce,
		// issued to another app.
		b := fresh(s)
		start := b.get("/web/signin/sso")
		nonce := mustURL(t, start.Header.Get("Location")).Query().Get("nonce")
		other := p.tokenFor(t, fresh(s), "other-app", "other-secret", "http://127.0.0.1:9/callback", "ada", nonce)
		if claims := payload(t, other); toString(claims["aud"]) != "other-app" || claims["nonce"] != nonce {
			t.Fatalf("the other app's token has aud %v and nonce %v", claims["aud"], claims["nonce"])
		}
		p.withRewrite(t, func(string) string { return other })
		p.as("nobody")
		refused(t, b, b.getURL(b.follow(start).String()), http.StatusUnauthorized, "did not confirm who you are")
		var audited bool
		for _, e := range s.auditFor("anonymous") {
			audited = audited || strings.Contains(toString(e["detail"]), "audience")
		}
		if !audited {
			t.Error("no audit entry says the audience was wrong")
		}
	})

	t.Run("wrong nonce", func(t *testing.T) {
		// A real token of the administrator for this app, from a flow
		// the browser did not start.
		replayed := p.tokenFor(t, fresh(s), "workforce", "wf-secret", s.URL+"/web/signin/sso/callback", "ada", "a-nonce-of-another-flow")
		p.withRewrite(t, func(string) string { return replayed })
		b := fresh(s)
		refused(t, b, b.ssoSignIn(p, "nobody"), http.StatusUnauthorized, "did not confirm who you are")
		var audited bool
		for _, e := range s.auditFor("sso:u-admin") {
			audited = audited || strings.Contains(toString(e["detail"]), "nonce does not match")
		}
		if !audited {
			t.Error("no audit entry says the nonce did not match")
		}
	})

	t.Run("wrong state", func(t *testing.T) {
		b := fresh(s)
		p.as("ada")
		cb := b.toCallback()
		q := cb.Query()
		q.Set("state", "an-attackers-state-"+strings.Repeat("x", 30))
		cb.RawQuery = q.Encode()
		refused(t, b, b.getURL(cb.String()), http.StatusUnauthorized, "was not started here")
	})

	t.Run("callback in another browser", func(t *testing.T) {
		// An attacker's own callback, with its code and state, sent to a
		// victim's browser (login CSRF): no flow cookie, no session.
		p.as("ada")
		cb := fresh(s).toCallback()
		victim := fresh(s)
		refused(t, victim, victim.getURL(cb.String()), http.StatusUnauthorized, "was not started here")
	})

	t.Run("callback replayed", func(t *testing.T) {
		b := fresh(s)
		p.as("ada")
		cb := b.toCallback()
		if pg := b.getURL(cb.String()); pg.Status != 200 {
			t.Fatalf("callback = %d\n%s", pg.Status, pg.Body)
		}
		again := b.getURL(cb.String())
		if c := setCookieFor(again, web.SessionCookie); again.Status != http.StatusUnauthorized || c != nil && c.Value != "" {
			t.Errorf("the same callback again = %d, session cookie %v; want 401 and no new session", again.Status, c)
		}
	})

	t.Run("sign out at the provider", func(t *testing.T) {
		b := fresh(s)
		if pg := b.ssoSignIn(p, "ada"); pg.Status != 200 {
			t.Fatalf("callback = %d\n%s", pg.Status, pg.Body)
		}
		session := b.cookie(web.SessionCookie).Value
		tok := b.token("/web/")
		out := b.post("/web/signout", url.Values{"csrf": {tok}})
		u, err := url.Parse(out.Header.Get("Location"))
		if out.Status != http.StatusSeeOther || err != nil || !strings.HasPrefix(u.String(), p.URL+"/") {
			t.Fatalf("sign-out = %d %s; want a redirect to the provider's end_session_endpoint", out.Status, out.Header.Get("Location"))
		}
		if u.Query().Get("client_id") != "workforce" || u.Query().Get("post_logout_redirect_uri") != s.URL+"/web/signin" {
			t.Errorf("end-session request %s; want client_id and post_logout_redirect_uri", u)
		}
		if csp := out.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+p.URL+";") {
			t.Errorf("sign-out CSP %q does not admit the redirect to %s", csp, p.URL)
		}
		if c := setCookieFor(out, web.SessionCookie); c == nil || c.MaxAge >= 0 {
			t.Errorf("sign-out session cookie = %v; want it cleared", c)
		}
		p.mu.Lock()
		before := len(p.ended)
		p.mu.Unlock()
		back := b.getURL(u.String())
		if back.Status != http.StatusFound || back.Header.Get("Location") != s.URL+"/web/signin" {
			t.Errorf("the provider's end session = %d %s; want a redirect back to the sign-in page", back.Status, back.Header.Get("Location"))
		}
		p.mu.Lock()
		ended := p.ended[before:]
		p.mu.Unlock()
		if len(ended) != 1 || ended[0] != "workforce" {
			t.Errorf("sessions ended at the provider: %v; want the workforce app's", ended)
		}
		// The old cookie no longer works: the session is gone.
		replay := fresh(s)
		replay.jar.SetCookies(mustURL(t, s.URL+"/web/"), []*http.Cookie{{Name: web.SessionCookie, Value: session, Path: "/web"}})
		if pg := replay.get("/web/"); pg.Status != http.StatusSeeOther || pg.Header.Get("Location") != "/web/signin" {
			t.Errorf("the signed-out session = %d; want a redirect to sign in", pg.Status)
		}
	})

	t.Run("session ends with the token", func(t *testing.T) {
		p.withLifetime(t, 3*time.Second)
		b := fresh(s)
		pg := b.ssoSignIn(p, "ada")
		c := setCookieFor(pg, web.SessionCookie)
		if pg.Status != 200 || c == nil || c.MaxAge > 3 {
			t.Fatalf("callback = %d, cookie %v; want a session of at most 3 seconds", pg.Status, c)
		}
		if home := b.get("/web/"); home.Status != 200 {
			t.Fatalf("home = %d", home.Status)
		}
		time.Sleep(3500 * time.Millisecond)
		// The browser would drop the cookie; the server must refuse it too.
		replay := fresh(s)
		replay.jar.SetCookies(mustURL(t, s.URL+"/web/"), []*http.Cookie{{Name: web.SessionCookie, Value: c.Value, Path: "/web"}})
		if pg := replay.get("/web/"); pg.Status != http.StatusSeeOther || pg.Header.Get("Location") != "/web/signin" {
			t.Errorf("a session past its token = %d; want a redirect to sign in", pg.Status)
		}
	})

	t.Run("keys still sign in", func(t *testing.T) {
		b := fresh(s)
		if pg := b.signIn(s.Admin); pg.Status != http.StatusSeeOther {
			t.Errorf("API key sign-in = %d", pg.Status)
		}
		if home := b.get("/web/"); home.Status != 200 {
			t.Errorf("home after an API key sign-in = %d", home.Status)
		}
	})
}

// TestSSONotConfigured: without single sign-on, no button and no flow.
func TestSSONotConfigured(t *testing.T) {
	s := start(t, false)
	b := s.browser()
	if pg := b.get("/web/signin"); strings.Contains(pg.Body, "/web/signin/sso") {
		t.Error("a sign-in page without single sign-on shows its button")
	}
	for _, path := range []string{"/web/signin/sso", "/web/signin/sso/callback?code=x&state=y"} {
		if pg := b.get(path); pg.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", path, pg.Status)
		}
	}
}

// TestSSOPostgres: a single sign-on session is kept, read and ended in
// PostgreSQL as in SQLite.
func TestSSOPostgres(t *testing.T) {
	dsn := postgresDSN(t)
	db, err := sql.Open("pgx", dsn) // its search_path is the test's schema
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := startProvider(t)
	s := ssoServerCfg(t, p, app.Config{Data: t.TempDir(), NoDemo: true, Postgres: dsn})
	p.mu.Lock()
	p.claims["u-admin"] = map[string]any{"roles": []string{"Workforce.Admin"}, "name": "Ada Admin"}
	p.mu.Unlock()

	b := fresh(s)
	pg := b.ssoSignIn(p, "ada")
	c := setCookieFor(pg, web.SessionCookie)
	if pg.Status != 200 || c == nil || c.MaxAge > 3600 {
		t.Fatalf("callback = %d, cookie %v; want a session ending with the token", pg.Status, c)
	}
	if home := b.get("/web/"); home.Status != 200 || !strings.Contains(home.Body, "Signed in as administrator") {
		t.Fatalf("home = %d\n%s", home.Status, home.Body)
	}
	var subject, role string
	if err := db.QueryRow("SELECT subject, role FROM web_sessions WHERE hash = $1", sha(c.Value)).Scan(&subject, &role); err != nil || subject != "u-admin" || role != "admin" {
		t.Errorf("stored session = %q %q, %v; want u-admin as admin, under the secret's hash", subject, role, err)
	}
	out := b.post("/web/signout", url.Values{"csrf": {b.token("/web/")}})
	if out.Status != http.StatusSeeOther || !strings.HasPrefix(out.Header.Get("Location"), p.URL+"/") {
		t.Errorf("sign-out = %d %s; want the provider's end session", out.Status, out.Header.Get("Location"))
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM web_sessions").Scan(&n); err != nil || n != 0 {
		t.Errorf("sessions left after sign-out: %d, %v", n, err)
	}
}

// TestSSOProviderUnreachable: a provider that does not answer gets a
// page saying so, and no sign-in starts.
func TestSSOProviderUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	mapping, _ := web.ParseClaimMapping(strings.NewReader(`{"claims": {"roles": {"Workforce.Admin": "admin"}}}`))
	s := startCfg(t, app.Config{Data: t.TempDir(), NoDemo: true, SSO: &web.SSO{Name: "County ID", Issuer: closed, ClientID: "workforce",
		ClientSecret: "x", RedirectURL: "http://127.0.0.1:9/web/signin/sso/callback", Mapping: mapping}})
	pg := s.browser().get("/web/signin/sso")
	if pg.Status != http.StatusBadGateway || !strings.Contains(pg.Body, "County ID cannot be reached right now") {
		t.Errorf("start = %d; want 502 saying the provider cannot be reached\n%s", pg.Status, pg.Body)
	}
	if setCookieFor(pg, "bsk_sso") != nil {
		t.Error("a sign-in that did not start set the flow cookie")
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var s []string
		for _, e := range v {
			s = append(s, toString(e))
		}
		return strings.Join(s, " ")
	}
	return ""
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
