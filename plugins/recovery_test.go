//go:build unix

package plugins_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
)

// waitState waits up to d for c to reach state, and returns its status.
func waitState(t *testing.T, c *plugins.Client, want plugins.State, d time.Duration) plugins.Status {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		st := c.Status()
		if st.State == want {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("state = %q (%+v) after %s; want %q", st.State, st, d, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// replaceFile puts src's bytes at dst in one rename, as an administrator
// deploying a binary would.
func replaceFile(t *testing.T, src, dst string) {
	t.Helper()
	tmp := dst + ".new"
	copyFile(t, src, tmp)
	if err := os.Rename(tmp, dst); err != nil {
		t.Fatal(err)
	}
}

// TestHostRetriesRefusedStart: a plug-in whose binary fails its checksum
// at start-up is refused, with a reason that names no path or checksum;
// the host keeps retrying, checking the checksum each time, and once the
// right binary is back it runs, without a new host.
func TestHostRetriesRefusedStart(t *testing.T) {
	good := entry(t, "faulty")
	path := filepath.Join(t.TempDir(), "faulty")
	copyFile(t, filepath.Join(binDir, "sixmonths"), path) // the wrong binary
	e := good
	e.Path = path
	h, err := plugins.NewHost(context.Background(), plugins.Catalog{Plugins: []plugins.Entry{e}}, testOptions(nil))
	defer h.Close()
	if bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Fatalf("NewHost = %v; want unauthorized", err)
	}
	c, err := h.Plugin("faulty")
	if err != nil {
		t.Fatalf("Plugin(faulty) = %v; want the refused plug-in's client", err)
	}
	st := waitState(t, c, plugins.StateRefused, 5*time.Second)
	wrongSum, _ := plugins.Checksum(path)
	for _, secret := range []string{path, good.SHA256, wrongSum} {
		if strings.Contains(st.Reason, secret) {
			t.Errorf("Reason %q names %q", st.Reason, secret)
		}
	}
	if st.Reason == "" || st.Err == nil || !strings.Contains(st.Err.Error(), good.SHA256) {
		t.Errorf("status = %+v; want a reason and the full error", st)
	}
	// Still refused a few retries later: the checksum is checked each time.
	time.Sleep(300 * time.Millisecond)
	if st := c.Status(); st.State != plugins.StateRefused || st.Failures < 2 {
		t.Errorf("status after retries = %+v; want refused after several failures", st)
	}
	if err := c.Call(context.Background(), "test", "echo", nil, 1, nil); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("Call while refused = %v; want unauthorized", err)
	}

	replaceFile(t, filepath.Join(binDir, "faulty"), path)
	st = waitState(t, c, plugins.StateRunning, 10*time.Second)
	if st.Err != nil || st.Reason != "" || c.PID() == 0 || c.Info().Name != "faulty" {
		t.Errorf("status once running = %+v, pid %d, info %+v", st, c.PID(), c.Info())
	}
	var out int
	if err := c.Call(context.Background(), "test", "echo", nil, 7, &out); err != nil || out != 7 {
		t.Errorf("Call once running = %d, %v", out, err)
	}
}

// TestRefusedRelaunchIsNotRunning: a running plug-in whose binary changes
// and which then crashes is refused at its relaunch, and says so, until
// the registered binary is back.
func TestRefusedRelaunchIsNotRunning(t *testing.T) {
	e := entry(t, "faulty")
	e.Path = filepath.Join(t.TempDir(), "faulty")
	copyFile(t, filepath.Join(binDir, "faulty"), e.Path)
	c := open(t, e, testOptions(nil))
	if st := c.Status(); st.State != plugins.StateRunning || st.Restarts != 0 {
		t.Fatalf("status = %+v; want running", st)
	}
	appendByte(t, e.Path)
	if err := syscall.Kill(c.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	st := waitState(t, c, plugins.StateRefused, 5*time.Second)
	if bsk.ErrorCode(st.Err) != bsk.CodeUnauthorized || strings.Contains(st.Reason, e.Path) {
		t.Errorf("status = %+v; want a checksum refusal whose reason names no path", st)
	}
	replaceFile(t, filepath.Join(binDir, "faulty"), e.Path)
	st = waitState(t, c, plugins.StateRunning, 10*time.Second)
	if st.Restarts != 1 {
		t.Errorf("restarts = %d; want 1", st.Restarts)
	}
}

// TestCrashedPluginRestarting: between a crash and its relaunch the
// plug-in reads "restarting", never "running".
func TestCrashedPluginRestarting(t *testing.T) {
	o := testOptions(nil)
	o.MinBackoff, o.MaxBackoff = time.Second, time.Second
	c := open(t, entry(t, "faulty"), o)
	_ = c.Call(context.Background(), "test", "crash", nil, nil, nil)
	if st := c.Status(); st.State != plugins.StateRestarting || st.Reason == "" || st.NextStart.IsZero() {
		t.Errorf("status just after a crash = %+v; want restarting with a reason", st)
	}
	if st := waitState(t, c, plugins.StateRunning, 10*time.Second); st.Restarts != 1 {
		t.Errorf("restarts = %d; want 1", st.Restarts)
	}
}
