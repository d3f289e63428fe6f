package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// expectLimited fails the test unless r is a 429 whose body carries the
// code rate_limited and whose Retry-After is whole seconds, 1 to 60.
func expectLimited(t *testing.T, what string, status int, retry string, body app.ErrorBody) {
	t.Helper()
	if status != http.StatusTooManyRequests {
		t.Fatalf("%s = %d; want 429", what, status)
	}
	if body.Error.Code != bsk.CodeRateLimited {
		t.Errorf("%s: error code %q; want %q", what, body.Error.Code, bsk.CodeRateLimited)
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 60 {
		t.Errorf("%s: Retry-After %q; want whole seconds, 1 to 60", what, retry)
	}
}

// TestRateLimitedCode checks both of the server's 429s: failed sign-ins
// beyond the limit and a grouping run beyond the queue's bound each answer
// the code rate_limited (not conflict, which is a clash with stored state)
// and say when to retry.
func TestRateLimitedCode(t *testing.T) {
	s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(),
		Runs: app.RunLimits{PerKey: 1, Total: 1, QueuedPerKey: 1, Queue: 1}})

	// Failed sign-ins: the burst is answered 401, the next ones 429.
	var resp *http.Response
	var r response
	for i := range failureBurst + 5 {
		if resp, r = roundTrip(t, s, "GET", "/api/v1/providers", "bsk_wrong_"+strconv.Itoa(i)+"_secretvalue", nil); r.Status == http.StatusTooManyRequests {
			break
		}
	}
	var body app.ErrorBody
	r.json(t, &body)
	expectLimited(t, "failed sign-in beyond the burst", r.Status, resp.Header.Get("Retry-After"), body)

	// A run beyond the queue's bound.
	c := s.key("coordinator", "", "")
	run := func() (*http.Response, response) {
		t.Helper()
		return roundTrip(t, s, "POST", "/api/v1/grouping-runs", c, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 300, NoLeaders: true})
	}
	var ids []string
	for range 2 {
		_, r := run()
		if r.Status != http.StatusAccepted {
			t.Fatalf("run within the limits = %d; want 202\n%s", r.Status, r.Body)
		}
		var g app.GroupingRun
		r.json(t, &g)
		ids = append(ids, g.ID)
	}
	resp, r = run()
	body = app.ErrorBody{}
	r.json(t, &body)
	expectLimited(t, "a run beyond the queue's bound", r.Status, resp.Header.Get("Retry-After"), body)
	for _, id := range ids {
		s.do("POST", "/api/v1/grouping-runs/"+id+"/cancel", c, nil)
		waitFinished(t, s, c, id)
	}
}

// roundTrip sends a request like [server.do] and returns the response's
// headers with its status and body.
func roundTrip(t *testing.T, s *server, method, path, key string, body any) (*http.Response, response) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, response{resp.StatusCode, b}
}
