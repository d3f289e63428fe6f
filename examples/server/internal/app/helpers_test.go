package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
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
	Dir   string
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

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// backend is a database the tests run against.
type backend struct {
	name     string
	postgres string
}

// backends returns SQLite always, and PostgreSQL when
// WORKFORCE_TEST_POSTGRES holds a DSN (the CI script sets it). Each
// PostgreSQL test gets a schema of its own.
func backends(t *testing.T) []backend {
	t.Helper()
	out := []backend{{name: "sqlite"}}
	dsn, ok := pgtest.Schema(t)
	if !ok {
		t.Log("WORKFORCE_TEST_POSTGRES is not set: PostgreSQL variant skipped")
		return out
	}
	return append(out, backend{name: "postgres", postgres: dsn})
}

// start runs the app on 127.0.0.1 with a fresh data directory; demo loads
// the synthetic workforce.
func start(t *testing.T, b backend, demo bool) *server {
	t.Helper()
	return startIn(t, b, demo, t.TempDir())
}

// startIn runs the app on a given data directory, which may hold the
// database of an earlier start.
func startIn(t *testing.T, b backend, demo bool, dir string) *server {
	t.Helper()
	return startWith(t, b, app.Config{Data: dir, Postgres: b.postgres, NoDemo: !demo})
}

// startWith runs the app with a configuration.
func startWith(t testing.TB, b backend, cfg app.Config) *server {
	t.Helper()
	dir := cfg.Data
	logs := &syncBuffer{}
	log := zerolog.New(logs)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, log)
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
	return &server{t: t, URL: "http://" + l.Addr().String(), Admin: strings.TrimSpace(string(key)), App: a, Dir: dir, logs: logs}
}

// response is a decoded reply.
type response struct {
	Status int
	Body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// problems returns the fields of an error body's problems.
func (r response) problems(t testing.TB) []string {
	t.Helper()
	var body app.ErrorBody
	r.json(t, &body)
	var out []string
	for _, p := range body.Error.Problems {
		out = append(out, p.Field)
	}
	return out
}

func (s *server) do(method, path, key string, body any) response {
	s.t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
		ctype = "text/csv"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, b}
}

// expect fails the test unless the status is want.
func (s *server) expect(want int, method, path, key string, body any) response {
	s.t.Helper()
	r := s.do(method, path, key, body)
	if r.Status != want {
		s.t.Fatalf("%s %s = %d; want %d\n%s", method, path, r.Status, want, r.Body)
	}
	return r
}

// key creates an API key for a role.
func (s *server) key(role, org, provider string) string {
	s.t.Helper()
	r := s.expect(201, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": role + " key", "role": role, "organization_id": org, "provider_id": provider})
	var k app.KeyResponse
	r.json(s.t, &k)
	return k.Key
}
