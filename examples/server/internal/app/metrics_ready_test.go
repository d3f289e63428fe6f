package app_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
		// The ready answer is kept for a second (-ready-cache).
		r := s.do("GET", "/readyz", "", nil)
		for deadline := time.Now().Add(10 * time.Second); r.Status == 200 && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			r = s.do("GET", "/readyz", "", nil)
		}
		if r.Status != 503 {
			t.Fatalf("/readyz with the database closed = %d; want 503\n%s", r.Status, r.Body)
		}
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

var pingcountOnce struct {
	sync.Once
	path string
	err  error
}

// pingcountPlugin builds the plug-in that counts the health checks it
// answers (testdata/pingcount) and returns its path.
func pingcountPlugin(t *testing.T) string {
	t.Helper()
	pingcountOnce.Do(func() {
		pingcountOnce.path = filepath.Join(pluginDir, "pingcount")
		out, err := exec.Command("go", "build", "-o", pingcountOnce.path, "./testdata/pingcount").CombinedOutput()
		if err != nil {
			pingcountOnce.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if pingcountOnce.err != nil {
		t.Fatalf("building the pingcount plug-in: %v", pingcountOnce.err)
	}
	return pingcountOnce.path
}

// pings reads how many health checks the pingcount plug-in answered.
func pings(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

// TestReadyCached: a storm of /readyz calls, at once and one after
// another, pings a real plug-in once while the result is fresh, and the
// next call after it ages pings again.
func TestReadyCached(t *testing.T) {
	bin := pingcountPlugin(t)
	serve := func(t *testing.T, cache time.Duration) (*server, string) {
		count := filepath.Join(t.TempDir(), "pings")
		s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true, ReadyCache: cache,
			// The host's own pings between calls would blur the count.
			Plugins:       service.PluginOptions{PingInterval: time.Hour},
			PluginCatalog: catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "pingcount", Path: bin, Args: []string{"-count", count}, Enabled: true})})
		return s, count
	}

	t.Run("fresh", func(t *testing.T) {
		s, count := serve(t, time.Minute)
		before := pings(t, count)
		const n = 20
		var wg sync.WaitGroup
		statuses := make([]int, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = s.do("GET", "/readyz", "", nil).Status
			}()
		}
		wg.Wait()
		for range n {
			statuses = append(statuses, s.do("GET", "/readyz", "", nil).Status)
		}
		for i, st := range statuses {
			if st != 200 {
				t.Fatalf("/readyz call %d = %d; want 200", i+1, st)
			}
		}
		if got := pings(t, count) - before; got != 1 {
			t.Errorf("%d /readyz calls pinged the plug-in %d times; want once", 2*n, got)
		}
	})

	t.Run("aged", func(t *testing.T) {
		s, count := serve(t, 50*time.Millisecond)
		s.expect(200, "GET", "/readyz", "", nil)
		first := pings(t, count)
		for deadline := time.Now().Add(10 * time.Second); pings(t, count) == first; {
			if time.Now().After(deadline) {
				t.Fatal("/readyz never pinged the plug-in again after its result aged")
			}
			time.Sleep(100 * time.Millisecond)
			s.expect(200, "GET", "/readyz", "", nil)
		}
	})
}
