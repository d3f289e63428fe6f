package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/plugins"
)

// TestReadyReportsPlugins: /readyz names the database and each catalogued
// plug-in with its status, and nothing else of them (no path, no
// checksum); a plug-in that did not start, or a database that does not
// answer, makes it 503 naming the part.
func TestReadyReportsPlugins(t *testing.T) {
	faulty := faultyPlugin(t)
	sum, err := plugins.Checksum(faulty)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("running", func(t *testing.T) {
		s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true,
			PluginCatalog: catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "faulty", Path: faulty, Enabled: true})})
		r := s.expect(200, "GET", "/readyz", "", nil)
		var got app.ReadyStatus
		r.json(t, &got)
		want := []service.ReadyCheck{{Name: "database", Status: "ok"}, {Name: "plugin faulty", Status: "running"}}
		if got.Status != "ready" || len(got.Checks) != len(want) {
			t.Fatalf("/readyz = %s; want ready with %v", r.Body, want)
		}
		for i := range want {
			if got.Checks[i].Name != want[i].Name || got.Checks[i].Status != want[i].Status {
				t.Errorf("check %d = %+v; want %+v", i, got.Checks[i], want[i])
			}
		}
		for _, secret := range []string{faulty, sum, "Test Agency"} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("/readyz shows %q: %s", secret, r.Body)
			}
		}
	})

	t.Run("did not start", func(t *testing.T) {
		s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true,
			PluginCatalog: catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "faulty", Path: faulty, Enabled: true, SHA256: strings.Repeat("0", 64)})})
		r := s.expect(503, "GET", "/readyz", "", nil)
		var body app.ErrorBody
		r.json(t, &body)
		if !strings.Contains(body.Error.Message, "plugin faulty refused") || strings.Contains(body.Error.Message, "database") {
			t.Errorf("/readyz = %s; want 503 naming the plug-in alone", r.Body)
		}
		for _, secret := range []string{faulty, sum} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("/readyz shows %q: %s", secret, r.Body)
			}
		}
	})

	t.Run("database down", func(t *testing.T) {
		s := start(t, backend{name: "sqlite"}, false)
		s.expect(200, "GET", "/readyz", "", nil)
		if err := s.App.DB().Close(); err != nil {
			t.Fatal(err)
		}
		r := s.expect(503, "GET", "/readyz", "", nil)
		var body app.ErrorBody
		r.json(t, &body)
		if !strings.Contains(body.Error.Message, "database unavailable") {
			t.Errorf("/readyz = %s; want 503 naming the database", r.Body)
		}
	})
}

// pluginProcess returns the process ID of this process's child running
// the executable at path.
func pluginProcess(t *testing.T, path string) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var found []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || exe != path {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err == nil && strings.Contains(string(status), fmt.Sprintf("\nPPid:\t%d\n", os.Getpid())) {
			found = append(found, pid)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d running processes of %s: %v; want 1", len(found), path, found)
	}
	return found[0]
}

// TestPluginMetrics: a scholarship run's calls of an agency's plug-in
// rule are timed by plug-in, and a plug-in killed under the server is
// restarted, counted, and reported ready again.
func TestPluginMetrics(t *testing.T) {
	faulty := faultyPlugin(t)
	catalog := catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "faulty", Path: faulty, Enabled: true})
	w := newScholarshipWorld(t, app.Config{PluginCatalog: catalog}, esitProgram(19_000_00, "faulty/telltale"))
	w.apply(t, w.agency, w.staff[0], "ana")
	w.run(t)
	fams := scrape(t, w.s)
	if n, ok := value(fams, "workforce_plugin_rule_call_duration_seconds", map[string]string{"plugin": "faulty", "outcome": "ok"}); !ok || n < 1 {
		t.Errorf("rule calls of faulty = %v (present %t); want at least 1", n, ok)
	}
	if n, ok := value(fams, "workforce_plugin_restarts_total", map[string]string{"plugin": "faulty"}); ok && n != 0 {
		t.Fatalf("faulty restarted %v times before it was killed", n)
	}

	pid := pluginProcess(t, faulty)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := w.s.do("GET", "/readyz", "", nil)
		if r.Status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d %s 15 s after the plug-in was killed", r.Status, r.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n, _ := value(scrape(t, w.s), "workforce_plugin_restarts_total", map[string]string{"plugin": "faulty"}); n != 1 {
		t.Errorf("faulty restarted %v times after one kill; want 1", n)
	}
	if pluginProcess(t, faulty) == pid {
		t.Error("the killed process is still the plug-in's")
	}
}
