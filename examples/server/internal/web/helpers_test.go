package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/pgtest"
)

// server is a running app on a loopback port.
type server struct {
	t     testing.TB
	URL   string
	Admin string
	App   *app.App
	logs  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// start runs the app on 127.0.0.1 over SQLite in a fresh directory; demo
// loads the synthetic workforce.
func start(t *testing.T, demo bool) *server { return startTB(t, demo) }

// startB is start for a benchmark: the synthetic workforce's
// organizations and providers.
func startB(b *testing.B) *server { return startTB(b, true) }

func startTB(t testing.TB, demo bool) *server {
	return startCfg(t, app.Config{Data: t.TempDir(), NoDemo: !demo})
}

// startPostgres runs the app on PostgreSQL, in a schema of its own, when
// WORKFORCE_TEST_POSTGRES holds a DSN; otherwise it skips.
func startPostgres(t *testing.T) *server {
	t.Helper()
	return startCfg(t, app.Config{Data: t.TempDir(), NoDemo: true, Postgres: postgresDSN(t)})
}

// postgresDSN returns a DSN of WORKFORCE_TEST_POSTGRES's database set to a
// new schema, dropped when the test ends; without the variable it skips.
func postgresDSN(t *testing.T) string {
	t.Helper()
	dsn, ok := pgtest.Schema(t)
	if !ok {
		t.Skip("WORKFORCE_TEST_POSTGRES is not set: PostgreSQL variant skipped")
	}
	return dsn
}

func startCfg(t testing.TB, cfg app.Config) *server {
	t.Helper()
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, zerolog.New(logs))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
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
	return &server{t: t, URL: "http://" + l.Addr().String(), Admin: strings.TrimSpace(string(key)), App: a, logs: logs}
}

// api calls the JSON API with a key and returns the status and body.
func (s *server) api(method, path, key string, body any) (int, []byte) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// key creates an API key for a role and returns its secret and ID.
func (s *server) key(role, org, provider string) (secret, id string) {
	s.t.Helper()
	st, b := s.api("POST", "/api/v1/keys", s.Admin, map[string]string{"name": role + " key", "role": role, "organization_id": org, "provider_id": provider})
	if st != 201 {
		s.t.Fatalf("creating a %s key = %d\n%s", role, st, b)
	}
	var k app.KeyResponse
	json.Unmarshal(b, &k)
	return k.Key, k.ID
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so tests see each answer.
type browser struct {
	t    testing.TB
	s    *server
	c    *http.Client
	jar  *cookiejar.Jar
	lang string
}

func (s *server) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, s: s, jar: jar, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer.
type page struct {
	Status int
	Body   string
	Header http.Header
	resp   *http.Response
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, Body: string(body), Header: resp.Header, resp: resp}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.s.URL+path, nil)
	return b.do(req)
}

// post sends a form; the token is added unless form sets csrf itself.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload sends a multipart form with a file field.
func (b *browser) upload(path, token, field, name string, data []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", token)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.s.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var tokenRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token is the form token of the page at path.
func (b *browser) token(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := tokenRE.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("GET %s = %d: no form token\n%s", path, p.Status, p.Body)
	}
	return m[1]
}

// signIn exchanges key for a session.
func (b *browser) signIn(key string) page {
	b.t.Helper()
	tok := b.token("/web/signin")
	return b.post("/web/signin", url.Values{"csrf": {tok}, "key": {key}})
}

// cookie returns the browser's cookie name for /web/, or nil.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.s.URL + "/web/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// setCookieFor returns the response's Set-Cookie for name.
func setCookieFor(p page, name string) *http.Cookie {
	for _, c := range p.resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
