package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// getAs sends GET path with a key (when not empty) and an X-Forwarded-For
// header (when not empty), and returns the status, content type and body.
func getAs(t *testing.T, s *server, path, key, forwardedFor string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// notFoundBody is an error body without its request ID, to compare two
// 404s.
func notFoundBody(t *testing.T, b []byte) app.ErrorBody {
	t.Helper()
	var body app.ErrorBody
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	body.Error.RequestID = ""
	return body
}

// TestMetricsAccess: /metrics answers clients of the configured networks
// (loopback by default) and administrators; anyone else gets the same 404
// as a route that does not exist. Behind a trusted proxy the client is
// the one X-Forwarded-For names; without one, the header is ignored.
func TestMetricsAccess(t *testing.T) {
	const outside = "203.0.113.7"
	metricsOK := func(t *testing.T, s *server, key, xff string) {
		t.Helper()
		status, ctype, b := getAs(t, s, "/metrics", key, xff)
		if status != 200 || !strings.HasPrefix(ctype, "text/plain") || !strings.Contains(string(b), "workforce_grouping_runs_started_total") {
			t.Fatalf("GET /metrics (key %t, X-Forwarded-For %q) = %d %s\n%.300s; want 200 with the metrics", key != "", xff, status, ctype, b)
		}
	}
	hidden := func(t *testing.T, s *server, key, xff string) {
		t.Helper()
		status, _, b := getAs(t, s, "/metrics", key, xff)
		if status != 404 {
			t.Fatalf("GET /metrics (X-Forwarded-For %q) = %d\n%.300s; want 404", xff, status, b)
		}
		_, _, none := getAs(t, s, "/no-such-route", key, xff)
		if got, want := notFoundBody(t, b), notFoundBody(t, none); !reflect.DeepEqual(got, want) {
			t.Errorf("the refusal %+v differs from an unknown route's 404 %+v", got, want)
		}
	}

	t.Run("loopback by default", func(t *testing.T) {
		s := start(t, backend{name: "sqlite"}, false)
		metricsOK(t, s, "", "")
		// Without a trusted proxy the header is not believed.
		metricsOK(t, s, "", outside)
	})

	t.Run("behind a proxy", func(t *testing.T) {
		s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), TrustedProxies: []string{"127.0.0.0/8"}})
		agency := s.key("agency", "org-001", "")
		coord := s.key("coordinator", "", "")
		metricsOK(t, s, "", "")       // the proxy's host itself
		hidden(t, s, "", outside)     // a client outside
		hidden(t, s, agency, outside) // with a key that is not an administrator's
		hidden(t, s, coord, outside)
		hidden(t, s, "not-a-key", outside)
		metricsOK(t, s, s.Admin, outside)
	})

	t.Run("configured networks", func(t *testing.T) {
		s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true,
			TrustedProxies: []string{"127.0.0.0/8"}, MetricsFrom: []string{"203.0.113.0/24"}})
		metricsOK(t, s, "", outside)
		hidden(t, s, "", "198.51.100.9")
		// Loopback is no longer allowed once networks are configured.
		hidden(t, s, "", "")
	})

	t.Run("configured networks without a proxy", func(t *testing.T) {
		s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true, MetricsFrom: []string{"203.0.113.0/24"}})
		// A client on loopback cannot claim an allowed address.
		hidden(t, s, "", outside)
	})
}

// TestMetricsBadNetwork: a -metrics-from value that is not CIDR stops the
// server at start, naming it.
func TestMetricsBadNetwork(t *testing.T) {
	_, err := app.New(t.Context(), app.Config{Data: t.TempDir(), NoDemo: true, MetricsFrom: []string{"10.0.0.1"}}, zerolog.Nop())
	if err == nil || !strings.Contains(err.Error(), "10.0.0.1") {
		t.Fatalf("app.New with -metrics-from 10.0.0.1: %v; want an error naming it", err)
	}
}

// scrape reads /metrics from loopback and parses it.
func scrape(t *testing.T, s *server) map[string]*dto.MetricFamily {
	t.Helper()
	status, _, b := getAs(t, s, "/metrics", "", "")
	if status != 200 {
		t.Fatalf("GET /metrics = %d %s", status, b)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("parsing the metrics: %v", err)
	}
	return fams
}

// value returns the value of family name's series with the labels (a
// counter's or gauge's value, a histogram's count), and whether there is
// one.
func value(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// TestMetricsAfterTraffic scrapes /metrics after a provider read, a
// grouping run and a survey import, and checks that their counters moved
// and that no label carries an ID.
func TestMetricsAfterTraffic(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	before := scrape(t, s)
	for _, name := range []string{"workforce_grouping_runs_started_total", "workforce_survey_imports_started_total"} {
		if v, ok := value(before, name, nil); !ok || v != 0 {
			t.Fatalf("%s = %v (present %t) before any work; want 0", name, v, ok)
		}
	}

	var providers app.Page[bsk.Provider]
	s.expect(200, "GET", "/api/v1/providers?limit=1", s.Admin, nil).json(t, &providers)
	if len(providers.Items) == 0 {
		t.Fatal("the demo workforce has no providers")
	}
	provider := string(providers.Items[0].ID)
	s.expect(200, "GET", "/api/v1/providers/"+provider, s.Admin, nil)
	s.expect(404, "GET", "/api/v1/providers/prov-none", s.Admin, nil)

	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", s.Admin, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.3, NoLeaders: true}).json(t, &run)
	if run = waitRun(t, s, s.Admin, run.ID); run.Status != app.RunDone {
		t.Fatalf("run = %+v", run)
	}

	eval := s.key("evaluator", "", "")
	s.expect(201, "POST", "/api/v1/instruments", eval, annual)
	imp := upload(t, s, eval, "/api/v1/instruments/annual-2026/imports", annualCSV(50, 1))
	if imp = waitImport(t, s, eval, imp.ID); imp.Status != app.RunDone {
		t.Fatalf("import = %+v", imp)
	}

	after := scrape(t, s)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"workforce_http_requests_total", map[string]string{"method": "GET", "route": "/api/v1/providers/:id", "code": "2xx"}, 1},
		{"workforce_http_requests_total", map[string]string{"method": "GET", "route": "/api/v1/providers/:id", "code": "4xx"}, 1},
		{"workforce_http_requests_total", map[string]string{"method": "POST", "route": "/api/v1/grouping-runs", "code": "2xx"}, 1},
		{"workforce_http_requests_total", map[string]string{"method": "POST", "route": "/api/v1/instruments/:id/imports", "code": "2xx"}, 1},
		{"workforce_http_request_duration_seconds", map[string]string{"method": "GET", "route": "/api/v1/providers/:id"}, 2},
		{"workforce_grouping_runs_started_total", nil, 1},
		{"workforce_grouping_runs_finished_total", map[string]string{"outcome": "done"}, 1},
		{"workforce_grouping_runs_finished_total", map[string]string{"outcome": "failed"}, 0},
		{"workforce_grouping_run_duration_seconds", map[string]string{"outcome": "done"}, 1},
		{"workforce_grouping_runs_running", nil, 0},
		{"workforce_grouping_runs_queued", nil, 0},
		{"workforce_survey_imports_started_total", nil, 1},
		{"workforce_survey_imports_finished_total", map[string]string{"outcome": "done"}, 1},
		{"workforce_survey_imports_running", nil, 0},
		{"workforce_survey_import_duration_seconds", map[string]string{"outcome": "done"}, 1},
	} {
		if got, ok := value(after, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %t); want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	// The audit log took the reads and the key: entries in batches.
	entries, _ := value(after, "workforce_audit_entries_appended_total", nil)
	batches, _ := value(after, "workforce_audit_append_batch_entries", nil)
	if entries < 3 || batches < 1 || batches > entries {
		t.Errorf("audit: %v entries in %v batches; want at least 3 entries, in at most as many batches", entries, batches)
	}
	// Both SQLite pools are reported.
	for _, pool := range []string{"read", "write"} {
		if _, ok := value(after, "go_sql_open_connections", map[string]string{"db_name": pool}); !ok {
			t.Errorf("no go_sql_open_connections for the %s pool", pool)
		}
	}

	ids := []string{provider, run.ID, imp.ID, "prov-", "run-", "imp-", "key_", "annual-2026"}
	for name, f := range after {
		for _, m := range f.Metric {
			for _, l := range m.Label {
				for _, id := range ids {
					if strings.Contains(l.GetValue(), id) {
						t.Errorf("%s has label %s=%q, which carries %q", name, l.GetName(), l.GetValue(), id)
					}
				}
			}
		}
	}
}
