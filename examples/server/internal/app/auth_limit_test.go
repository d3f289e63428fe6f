package app_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// attempt sends GET path with a key and extra headers, and returns the
// status and the Retry-After header.
func (s *server) attempt(path, key string, header map[string]string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// The limits the server documents: 10 failures at once per client.
const failureBurst = 10

func TestFailedSignInsLimited(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			var wrong []string
			statuses := map[int]int{}
			for i := range 40 {
				key := "bsk_wrong_" + strconv.Itoa(i) + "_secretvalue"
				wrong = append(wrong, key)
				status, retry := s.attempt("/api/v1/providers", key, nil)
				statuses[status]++
				if status == http.StatusTooManyRequests {
					if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 60 {
						t.Errorf("429 with Retry-After %q; want whole seconds, 1 to 60", retry)
					}
				}
				if i < failureBurst && status != http.StatusUnauthorized {
					t.Fatalf("failed attempt %d = %d; want 401 within the burst", i+1, status)
				}
				// A valid key from the same address is never held back.
				if i%10 == 9 {
					s.expect(200, "GET", "/api/v1/providers?limit=1", s.Admin, nil)
				}
			}
			// Over loopback 40 attempts take far less than the 6 s that
			// refills one failure, so at most one or two more get through.
			if statuses[401] < failureBurst || statuses[401] > failureBurst+2 || statuses[429] != 40-statuses[401] {
				t.Errorf("statuses %v; want %d-%d 401s and the rest 429", statuses, failureBurst, failureBurst+2)
			}
			// A request with no key guesses nothing: it is told 401, and
			// is neither limited nor audited.
			if st, _ := s.attempt("/api/v1/providers", "", nil); st != http.StatusUnauthorized {
				t.Errorf("no key at all after the burst = %d; want 401", st)
			}

			// Every 401 is in the audit log, with the client and no secret.
			log := s.auditLog()
			var failed []store.AuditEntry
			for _, e := range log {
				if e.Action == "auth_failed" {
					failed = append(failed, e)
				}
			}
			if len(failed) != statuses[401] {
				t.Errorf("%d auth_failed entries; want one per 401 (%d)", len(failed), statuses[401])
			}
			for _, e := range failed {
				if e.KeyID != "anonymous" || e.Client != "127.0.0.1" || e.Detail != "unknown key" || e.EntityID != "" {
					t.Errorf("auth_failed entry = %+v; want key anonymous, client 127.0.0.1, detail unknown key", e)
				}
			}
			raw := string(s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", s.Admin, nil).Body)
			for _, w := range wrong {
				if strings.Contains(raw, w) || strings.Contains(raw, "secretvalue") {
					t.Fatalf("the audit log holds a presented key")
				}
			}
		})
	}
}

func TestForwardedForTrustedOnlyFromProxies(t *testing.T) {
	// Without a trusted proxy, X-Forwarded-For changes nothing: the
	// attempts all come from 127.0.0.1 and share its limit.
	s := start(t, backend{name: "sqlite"}, false)
	got429 := false
	for i := range failureBurst + 5 {
		st, _ := s.attempt("/api/v1/providers", "bsk_wrong", map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i)})
		got429 = got429 || st == http.StatusTooManyRequests
	}
	if !got429 {
		t.Errorf("rotating X-Forwarded-For escaped the limit without a trusted proxy")
	}
	for _, e := range s.auditLog() {
		if e.Action == "auth_failed" && e.Client != "127.0.0.1" {
			t.Errorf("client %q recorded from an untrusted X-Forwarded-For", e.Client)
		}
	}

	// Behind a trusted proxy on loopback, each forwarded client has its own limit.
	p := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true, TrustedProxies: []string{"127.0.0.1/32"}})
	for i := range failureBurst + 5 {
		st, _ := p.attempt("/api/v1/providers", "bsk_wrong", map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i)})
		if st != http.StatusUnauthorized {
			t.Fatalf("forwarded client %d = %d; want 401", i, st)
		}
	}
	for i := range failureBurst + 2 {
		st, _ := p.attempt("/api/v1/providers", "bsk_wrong", map[string]string{"X-Forwarded-For": "198.51.100.7"})
		if want := http.StatusUnauthorized; i >= failureBurst+1 && st != http.StatusTooManyRequests || i < failureBurst && st != want {
			t.Fatalf("attempt %d of one forwarded client = %d", i+1, st)
		}
	}
	seen := map[string]bool{}
	for _, e := range p.auditLog() {
		seen[e.Client] = true
	}
	if !seen["203.0.113.3"] || !seen["198.51.100.7"] || seen["127.0.0.1"] {
		t.Errorf("clients recorded behind the proxy: %v", seen)
	}
}
