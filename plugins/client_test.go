//go:build unix

package plugins_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
)

func TestOpenInfo(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	info := c.Info()
	if info.Name != "faulty" || info.Version != "0.1.0" || info.Agency != "Test Agency" || info.Protocol != plugins.ProtocolVersion {
		t.Errorf("Info() = %+v", info)
	}
	if len(info.Rules) != 15 || !cmp.Equal(info.Rules[0], plugins.RuleInfo{Name: "echo", Kind: "test", Version: "0.1.0", Description: "returns its input"}) {
		t.Errorf("Info().Rules = %+v", info.Rules)
	}
	if c.PID() <= 0 || !alive(c.PID()) {
		t.Errorf("PID() = %d, not a live process", c.PID())
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Errorf("Ping() = %v", err)
	}
}

func TestCallEcho(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	in := map[string]any{"applications": []any{"a-1", "a-2"}, "n": 3.5, "text": "Tigrinya ትግርኛ"}
	var out map[string]any
	if err := c.Call(context.Background(), "test", "echo", nil, in, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("echo (-want +got):\n%s", diff)
	}
}

// callErr calls rule on c with the items and returns the *plugins.Error.
func callErr(t *testing.T, c *plugins.Client, rule string, items ...string) *plugins.Error {
	t.Helper()
	err := c.Call(context.Background(), "test", rule, items, []string{"x"}, nil)
	var pe *plugins.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Call(%s) = %v; want a *plugins.Error", rule, err)
	}
	if pe.Plugin != c.Name() || pe.Rule != rule || !strings.Contains(err.Error(), `plugin "`+c.Name()+`"`) {
		t.Errorf("Call(%s) = %v; want an error naming the plugin and rule", rule, err)
	}
	return pe
}

func TestCallFaults(t *testing.T) {
	opts := testOptions(nil)
	opts.CallTimeout = 500 * time.Millisecond
	c := open(t, entry(t, "faulty"), opts)
	tests := []struct {
		rule     string
		code     bsk.Code
		contains string
		restarts bool
	}{
		{"coded", bsk.CodeNotFound, `applications[0].provider: lookup: no provider "p-9"`, false},
		{"panic", bsk.CodeInternal, "panic: assignment to entry in nil map", false},
		{"missing", bsk.CodeNotFound, `no test rule named "missing"`, false},
		{"hang", bsk.CodeInternal, "no answer within 500ms", true},
		{"crash", bsk.CodeInternal, "exited or dropped the connection", true},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			pid := c.PID()
			pe := callErr(t, c, tt.rule, "app-1", "app-2")
			if got := bsk.ErrorCode(pe); got != tt.code {
				t.Errorf("code = %s; want %s (%v)", got, tt.code, pe)
			}
			if !strings.Contains(pe.Error(), tt.contains) || !strings.Contains(pe.Error(), `applications "app-1", "app-2"`) {
				t.Errorf("error = %q; want it to contain %q and the applications", pe.Error(), tt.contains)
			}
			// The host keeps serving: the next call succeeds, on a new
			// process if the old one crashed or hung.
			var out []string
			if err := c.Call(context.Background(), "test", "echo", nil, []string{"ok"}, &out); err != nil || len(out) != 1 {
				t.Fatalf("echo after %s = %v, %v", tt.rule, out, err)
			}
			if restarted := c.PID() != pid; restarted != tt.restarts {
				t.Errorf("restarted = %v; want %v", restarted, tt.restarts)
			}
			if tt.restarts && !waitGone(pid, 5*time.Second) {
				t.Errorf("old process %d still exists", pid)
			}
		})
	}
}

func TestCallerDeadline(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	pid := c.PID()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := c.Call(ctx, "test", "hang", nil, nil, nil)
	if bsk.ErrorCode(err) != bsk.CodeInternal || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("Call(hang) = %v; want an internal error at the caller's deadline", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Call(hang) took %s; want it cut at the 200ms deadline", d)
	}
	if c.PID() != pid {
		t.Errorf("a caller's own deadline restarted the plugin")
	}
}

func TestMalformedResponse(t *testing.T) {
	c := open(t, entry(t, "faulty", "-mode", "garbage"), testOptions(nil))
	err := c.Call(context.Background(), "test", "echo", []string{"a-7"}, nil, nil)
	if bsk.ErrorCode(err) != bsk.CodeInternal || !strings.Contains(err.Error(), `plugin "faulty" test rule "echo" application "a-7": malformed response`) {
		t.Errorf("Call = %v; want a malformed-response error naming plugin and application", err)
	}
}

func TestOpenErrors(t *testing.T) {
	good := entry(t, "faulty")
	changed := filepath.Join(t.TempDir(), "changed")
	copyFile(t, good.Path, changed)
	appendByte(t, changed)

	tests := []struct {
		name     string
		edit     func(*plugins.Entry)
		code     bsk.Code
		contains string
	}{
		{"missing binary", func(e *plugins.Entry) { e.Path = filepath.Join(binDir, "nope") }, bsk.CodeNotFound, "does not exist"},
		{"wrong checksum", func(e *plugins.Entry) { e.Path = changed }, bsk.CodeUnauthorized, "binary changed since it was registered"},
		{"protocol version", func(e *plugins.Entry) { e.Args = []string{"-mode", "protocol2"} }, bsk.CodeInvalid, "another protocol version"},
		{"not a plugin", func(e *plugins.Entry) { e.Args = []string{"-mode", "nohandshake"} }, bsk.CodeInternal, "did not answer the plugin handshake"},
		{"name mismatch", func(e *plugins.Entry) { e.Args = []string{"-name", "other"} }, bsk.CodeConflict, `reports the name "other"`},
		{"disabled", func(e *plugins.Entry) { e.Enabled = false }, bsk.CodeInvalid, "disabled"},
		{"bad entry", func(e *plugins.Entry) { e.SHA256 = "abc" }, bsk.CodeInvalid, "sha256: must be 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good
			tt.edit(&e)
			c, err := plugins.Open(context.Background(), e, testOptions(nil))
			if err == nil {
				c.Close()
				t.Fatalf("Open succeeded; want %s", tt.code)
			}
			var pe *plugins.Error
			if !errors.As(err, &pe) || pe.Plugin != "faulty" {
				t.Errorf("Open = %v; want a *plugins.Error naming the plugin", err)
			}
			if got := bsk.ErrorCode(err); got != tt.code || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Open = %v (%s); want %s containing %q", err, got, tt.code, tt.contains)
			}
		})
	}
}

// TestChecksumBeforeRelaunch changes the binary under a running plug-in:
// the restart after a crash refuses it.
func TestChecksumBeforeRelaunch(t *testing.T) {
	e := entry(t, "faulty")
	e.Path = filepath.Join(t.TempDir(), "faulty")
	copyFile(t, filepath.Join(binDir, "faulty"), e.Path)
	c := open(t, e, testOptions(nil))
	appendByte(t, e.Path)
	_ = c.Call(context.Background(), "test", "crash", nil, nil, nil)
	err := c.Call(context.Background(), "test", "echo", nil, nil, nil)
	if bsk.ErrorCode(err) != bsk.CodeUnauthorized || !strings.Contains(err.Error(), "refusing to run it") {
		t.Errorf("Call after the binary changed = %v; want unauthorized", err)
	}
}

func TestLogsAndFlood(t *testing.T) {
	var logs syncBuffer
	c := open(t, entry(t, "faulty"), testOptions(&logs))
	var out string
	if err := c.Call(context.Background(), "test", "log", nil, "Amharic", &out); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := c.Call(context.Background(), "test", "flood", nil, "after flood", &out); err != nil || out != "after flood" {
			t.Fatalf("flood = %q, %v", out, err)
		}
	}
	// Logs arrive asynchronously.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "hello from the plugin") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	found := false
	for _, line := range strings.Split(logs.String(), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("host log line is not JSON: %.200q", line)
		}
		if rec["plugin"] != "faulty" {
			t.Errorf("log record without the plugin's name: %.200s", line)
		}
		if len(line) > 20<<10 {
			t.Errorf("log record of %d bytes; want plug-in lines cut", len(line))
		}
		if rec["message"] == "hello from the plugin" && rec["input"] == `"Amharic"` && rec["level"] == "warn" {
			found = true
		}
	}
	if !found {
		t.Errorf("the plugin's warning did not reach the host's log:\n%.2000s", logs.String())
	}
}

func TestConcurrentCallsAcrossCrash(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 8; i++ {
				var out int
				err := c.Call(context.Background(), "test", "echo", nil, i, &out)
				if err == nil && out != i {
					err = fmt.Errorf("echo(%d) = %d", i, out)
				}
				if err != nil && bsk.ErrorCode(err) != bsk.CodeInternal {
					errs <- err
				}
			}
		}()
	}
	_ = c.Call(context.Background(), "test", "crash", nil, nil, nil)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := c.Call(context.Background(), "test", "echo", nil, 1, nil); err != nil {
		t.Errorf("echo after the storm = %v", err)
	}
}

func TestSupervisorRestartsCrashedPlugin(t *testing.T) {
	opts := testOptions(nil)
	opts.PingInterval = 50 * time.Millisecond
	c := open(t, entry(t, "faulty"), opts)
	pid := c.PID()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for (c.PID() == 0 || c.PID() == pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if c.PID() == 0 || c.PID() == pid {
		t.Fatalf("the killed plugin was not restarted")
	}
}

func TestCloseLeavesNoProcess(t *testing.T) {
	h, err := plugins.NewHost(context.Background(), plugins.Catalog{Plugins: []plugins.Entry{
		entry(t, "faulty"),
		func() plugins.Entry { e := entry(t, "faulty", "-name", "second"); e.Name = "second"; return e }(),
		func() plugins.Entry { e := entry(t, "faulty"); e.Name = "third"; e.Enabled = false; return e }(),
	}}, testOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, c := range h.Plugins() {
		pids = append(pids, c.PID())
	}
	if len(pids) != 2 {
		t.Fatalf("running plugins = %d; want 2 (the third is disabled)", len(pids))
	}
	// A hung call in flight must not keep Close from ending the process.
	c, _ := h.Plugin("second")
	go func() { _ = c.Call(context.Background(), "test", "hang", nil, nil, nil) }()
	time.Sleep(50 * time.Millisecond)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("plugin process %d survives Host.Close", pid)
		}
	}
	if err := c.Call(context.Background(), "test", "echo", nil, 1, nil); bsk.ErrorCode(err) != bsk.CodeInternal {
		t.Errorf("Call after Close = %v; want an internal error", err)
	}
}

func TestNewHostKeepsGoodPlugins(t *testing.T) {
	bad := entry(t, "faulty")
	bad.Name = "broken"
	bad.Path = filepath.Join(binDir, "does-not-exist")
	h, err := plugins.NewHost(context.Background(), plugins.Catalog{Plugins: []plugins.Entry{bad, entry(t, "faulty")}}, testOptions(nil))
	defer h.Close()
	if bsk.ErrorCode(err) != bsk.CodeNotFound || !strings.Contains(err.Error(), `plugin "broken"`) {
		t.Errorf("NewHost = %v; want not found for broken", err)
	}
	if _, err := h.Plugin("faulty"); err != nil {
		t.Errorf("Plugin(faulty) = %v", err)
	}
	// The broken plug-in is kept, refused, and retried.
	if c, err := h.Plugin("broken"); err != nil || c.Status().State != plugins.StateRefused {
		t.Errorf("Plugin(broken) = %v; want the refused plug-in", err)
	}
	if _, err := h.Plugin("unknown"); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("Plugin(unknown) = %v; want not found", err)
	}
}

// TestHostKilled kills a host process with SIGKILL and checks that its
// plug-in does not outlive it.
func TestHostKilled(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the parent-death signal is Linux only; the plug-in's own watch takes up to a second elsewhere")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	e := entry(t, "faulty")
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "PLUGINS_TEST_HELPER="+e.Path+"|"+e.SHA256)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var line [32]byte
	n, _ := stdout.Read(line[:])
	pid, err := strconv.Atoi(strings.TrimSpace(string(line[:n])))
	if err != nil || !alive(pid) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper host printed %q (%v)", line[:n], err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if !waitGone(pid, 5*time.Second) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("plugin %d outlived its killed host", pid)
	}
}

// helperHost is the host that TestHostKilled kills: it starts a plug-in,
// prints its PID and waits.
func helperHost() {
	path, sum, _ := strings.Cut(os.Getenv("PLUGINS_TEST_HELPER"), "|")
	c, err := plugins.Open(context.Background(), plugins.Entry{Agency: "Test Agency", Name: "faulty", Path: path, SHA256: sum, Enabled: true}, plugins.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(c.PID())
	time.Sleep(time.Minute)
	os.Exit(1)
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		tb.Fatal(err)
	}
}

// appendByte replaces the file at path by a copy with one more byte, the
// way an installer would replace a binary in use.
func appendByte(tb testing.TB, path string) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, append(b, 0), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
}
