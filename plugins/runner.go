package plugins

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"

	"github.com/hashicorp/go-plugin/runner"
)

// maxPipeLine bounds a line read from a plug-in's standard output or
// error before go-plugin sees it: longer lines are cut into pieces, so
// that go-plugin's line scanner never fails and stops draining the pipe.
const maxPipeLine = 4 << 10

// procRunner runs a plug-in's process for go-plugin. It differs from
// go-plugin's own runner in three ways: the process gets a parent-death
// signal on Linux; its standard output and error are cut into bounded
// lines; and log records on standard error whose hclog fields have the
// wrong types (which go-plugin would panic on) are passed as plain text.
type procRunner struct {
	cmd            *exec.Cmd
	stdout, stderr io.ReadCloser
	pid            int
	// exited is closed when the process has exited and been reaped.
	exited   chan struct{}
	exitOnce sync.Once
}

var _ runner.Runner = (*procRunner)(nil)

func newProcRunner(path string, args, env []string) (*procRunner, error) {
	cmd := exec.Command(path, args...)
	cmd.Env = env
	setParentDeathSignal(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	return &procRunner{
		cmd:    cmd,
		exited: make(chan struct{}),
		stdout: &lineFilter{r: bufio.NewReaderSize(stdout, maxPipeLine), c: stdout},
		stderr: &lineFilter{r: bufio.NewReaderSize(stderr, maxPipeLine), c: stderr, fix: safeLogLine},
	}, nil
}

func (r *procRunner) Start(context.Context) error {
	if err := r.cmd.Start(); err != nil {
		return err
	}
	r.pid = r.cmd.Process.Pid
	return nil
}

func (r *procRunner) Wait(context.Context) error {
	err := r.cmd.Wait()
	r.exitOnce.Do(func() { close(r.exited) })
	return err
}

func (r *procRunner) Kill(context.Context) error {
	if r.cmd.Process == nil {
		return nil
	}
	if err := r.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

func (r *procRunner) Stdout() io.ReadCloser           { return r.stdout }
func (r *procRunner) Stderr() io.ReadCloser           { return r.stderr }
func (r *procRunner) Name() string                    { return r.cmd.Path }
func (r *procRunner) ID() string                      { return strconv.Itoa(r.pid) }
func (r *procRunner) Diagnose(context.Context) string { return "" }

func (r *procRunner) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

func (r *procRunner) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}

// lineFilter passes a stream through line by line, each at most
// maxPipeLine bytes, optionally rewriting each line.
type lineFilter struct {
	r       *bufio.Reader
	c       io.Closer
	fix     func([]byte) []byte
	pending []byte
}

func (f *lineFilter) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		line, err := f.r.ReadSlice('\n')
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte("\n"))
			if f.fix != nil {
				line = f.fix(line)
			}
			f.pending = append(append(f.pending[:0], line...), '\n')
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return 0, err
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

func (f *lineFilter) Close() error { return f.c.Close() }

// safeLogLine returns line unless it is a JSON object whose "@message",
// "@level" or "@timestamp" go-plugin could not read, in which case it
// returns the line as plain text.
func safeLogLine(line []byte) []byte {
	if len(line) == 0 || line[0] != '{' {
		return line
	}
	var raw map[string]any
	if json.Unmarshal(line, &raw) != nil {
		return line
	}
	for _, k := range []string{"@message", "@level", "@timestamp"} {
		if v, ok := raw[k]; ok {
			if _, isString := v.(string); !isString {
				return append([]byte("[WARN] malformed log record: "), line[1:]...)
			}
		}
	}
	return line
}
