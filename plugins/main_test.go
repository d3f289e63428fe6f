//go:build unix

package plugins_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/plugins"
)

// binDir holds the plug-ins built once for this test binary.
var binDir string

// built lists the plug-in packages TestMain builds, by binary name.
var built = []string{
	"./internal/testplugins/faulty",
	"./examples/sixmonths",
	"./examples/prioritylanguages",
	"./examples/noreports",
	"./examples/minhours",
}

func TestMain(m *testing.M) {
	if os.Getenv("PLUGINS_TEST_HELPER") != "" {
		helperHost()
		return
	}
	dir, err := os.MkdirTemp("", "plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	args := append([]string{"build", "-o", dir + string(filepath.Separator)}, built...)
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building test plug-ins:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// entry returns a catalog entry for the built binary name, with the
// binary's true checksum.
func entry(tb testing.TB, name string, args ...string) plugins.Entry {
	tb.Helper()
	path := filepath.Join(binDir, name)
	sum, err := plugins.Checksum(path)
	if err != nil {
		tb.Fatal(err)
	}
	return plugins.Entry{Agency: "Test Agency", Name: name, Path: path, SHA256: sum, Args: args, Enabled: true}
}

// syncBuffer is a log sink safe for the plug-in's logging goroutines.
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

// open starts a plug-in for one test and closes it at the end, checking
// that its process is gone.
func open(tb testing.TB, e plugins.Entry, opts plugins.Options) *plugins.Client {
	tb.Helper()
	c, err := plugins.Open(context.Background(), e, opts)
	if err != nil {
		tb.Fatalf("Open(%s) = %v", e.Name, err)
	}
	tb.Cleanup(func() {
		pid := c.PID()
		c.Close()
		if pid != 0 && alive(pid) {
			tb.Errorf("plugin process %d survives Close", pid)
		}
	})
	return c
}

// testOptions are quick to fail and log to w (or nowhere).
func testOptions(w io.Writer) plugins.Options {
	o := plugins.Options{
		CallTimeout:  5 * time.Second,
		StartTimeout: 20 * time.Second,
		MinBackoff:   10 * time.Millisecond,
		MaxBackoff:   100 * time.Millisecond,
	}
	if w != nil {
		o.Logger = zerolog.New(w).Level(zerolog.DebugLevel)
	}
	return o
}

// alive reports whether a process (or an unreaped zombie) exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// waitGone waits up to d for pid to disappear.
func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return !alive(pid)
}
