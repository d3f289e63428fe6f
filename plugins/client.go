package plugins

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"
	"github.com/rs/zerolog"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/beststarts/workforce/bsk"
)

// Options tunes the host. The zero value works: nothing is logged, calls
// have a 10 s deadline, plug-ins get 10 s to start, a running plug-in is
// pinged every 10 s, and a crashed one is restarted after 100 ms, doubling
// up to 30 s while it keeps failing.
type Options struct {
	// Logger receives the host's and the plug-ins' log records, each with
	// a "plugin" field naming the plug-in.
	Logger zerolog.Logger
	// CallTimeout bounds every call whose context has no earlier
	// deadline. A plug-in that misses it is killed and restarted.
	CallTimeout time.Duration
	// StartTimeout bounds a plug-in's launch, from exec to ready.
	StartTimeout time.Duration
	// PingInterval is how often a running plug-in is pinged; negative
	// turns pinging and background relaunches off: a plug-in that is down
	// is then launched again by the next call after its backoff.
	PingInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait before a restart.
	MinBackoff, MaxBackoff time.Duration
	// Restarted, when set, is called with the plug-in's name each time a
	// failed plug-in is relaunched (for a server's metrics); it runs
	// under the plug-in's lock, so it must return at once and not call
	// the plug-in.
	Restarted func(plugin string)
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Client is the host's handle on one plug-in: it launches the plug-in's
// process, supervises it (ping, restart with backoff) and carries calls
// under deadlines. The typed rules ([Client.Eligibility], [Client.Criterion],
// [Client.Grouping]) are built on it. A Client is safe for concurrent use.
type Client struct {
	entry Entry
	opts  Options
	log   zerolog.Logger

	mu        sync.Mutex
	proc      *process
	failures  int
	lastErr   error
	nextStart time.Time
	closed    bool
	done      chan struct{}
	wake      chan struct{}
	bg        sync.WaitGroup

	// smu guards what Info and Status read, so that they never wait for a
	// launch, which holds mu.
	smu  sync.Mutex
	info Info
	st   Status
}

// process is one launch of a plug-in.
type process struct {
	pc  *plugin.Client
	w   wire
	pid int
	// exited is closed when the process has exited.
	exited <-chan struct{}
}

// Open registers the plug-in described by e and launches it: e must be
// valid and enabled, its executable must match its checksum, and it must
// answer the handshake and report the same name. The returned Client keeps
// the plug-in running until [Client.Close].
//
// Errors: [bsk.CodeInvalid] for a bad or disabled entry or a plug-in that
// speaks another protocol version; [bsk.CodeNotFound] for a missing
// executable; [bsk.CodeUnauthorized] for a checksum mismatch;
// [bsk.CodeConflict] for a plug-in reporting another name;
// [bsk.CodeInternal] for a plug-in that does not start. Each is an
// [*Error] naming the plug-in.
func Open(ctx context.Context, e Entry, opts Options) (*Client, error) {
	return open(ctx, e, opts, false)
}

// open is [Open]; with keep, a plug-in whose entry is valid and enabled
// but whose launch fails is returned all the same, with the error, and
// retried with backoff until it runs or the Client is closed.
func open(ctx context.Context, e Entry, opts Options, keep bool) (*Client, error) {
	fail := func(err error) error {
		return &Error{Plugin: e.Name, Err: coded(err)}
	}
	if err := e.Validate(); err != nil {
		return nil, fail(err)
	}
	if !e.Enabled {
		return nil, fail(bsk.Invalidf("enabled", "plugin is disabled in the catalog"))
	}
	c := &Client{
		entry: e, opts: opts,
		log:  opts.Logger.With().Str("plugin", e.Name).Logger(),
		done: make(chan struct{}),
		wake: make(chan struct{}, 1),
	}
	c.mu.Lock()
	p, err := c.launch(ctx)
	if err != nil {
		if !keep {
			c.mu.Unlock()
			return nil, fail(err)
		}
		c.failedLocked(err)
		c.log.Error().Err(err).Dur("retry_in", c.backoff()).Msg("plugin did not start; retrying")
	} else {
		c.proc = p
		c.setStatus(func(st *Status) { st.State = StateRunning })
	}
	c.mu.Unlock()
	if c.opts.PingInterval >= 0 {
		c.bg.Add(1)
		go c.supervise()
	}
	if err != nil {
		return c, fail(err)
	}
	return c, nil
}

// coded returns err's *bsk.Error, or wraps err as an internal one.
func coded(err error) *bsk.Error {
	var e *bsk.Error
	if errors.As(err, &e) {
		return e
	}
	return &bsk.Error{Code: bsk.CodeInternal, Message: err.Error(), Err: err}
}

// Name returns the plug-in's name in the catalog.
func (c *Client) Name() string { return c.entry.Name }

// Info returns what the plug-in reported about itself at its latest launch.
// It is zero until the plug-in has started once.
func (c *Client) Info() Info {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.info
}

// PID returns the process ID of the plug-in's current process, or 0 when
// none is running.
func (c *Client) PID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.proc == nil {
		return 0
	}
	return c.proc.pid
}

// launch starts a process; c.mu is held.
func (c *Client) launch(ctx context.Context) (*process, error) {
	e := c.entry
	if err := e.verify(); err != nil {
		return nil, err
	}
	sum, _ := hex.DecodeString(e.SHA256)
	hl := newZlog(c.opts.Logger, e.Name)
	var pr *procRunner
	pc := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		VersionedPlugins: pluginSets(nil),
		RunnerFunc: func(_ hclog.Logger, spec *exec.Cmd, _ string) (runner.Runner, error) {
			// Check the checksum again right before exec, with go-plugin's
			// own SecureConfig (which go-plugin itself skips for a runner).
			sc := &plugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
			if ok, err := sc.Check(e.Path); err != nil || !ok {
				return nil, plugin.ErrChecksumsDoNotMatch
			}
			var err error
			pr, err = newProcRunner(e.Path, e.Args, spec.Env)
			return pr, err
		},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true, // the plug-in gets none of the host's environment, so none of its secrets
		StartTimeout:     orDefault(c.opts.StartTimeout, 10*time.Second),
		Logger:           hl,
		SyncStdout:       &lineWriter{log: func(s string) { hl.Info(s, "stream", "stdout") }},
		SyncStderr:       &lineWriter{log: func(s string) { hl.Info(s, "stream", "stderr") }},
	})
	rpc, err := pc.Client()
	if err != nil {
		pc.Kill()
		return nil, startError(err)
	}
	raw, err := rpc.Dispense(pluginSetName)
	if err != nil {
		pc.Kill()
		return nil, bsk.Errorf(bsk.CodeInternal, "dispense: %v", err)
	}
	p := &process{pc: pc, w: raw.(wire), pid: pr.pid, exited: pr.exited}
	info, err := c.fetchInfo(ctx, p)
	if err != nil {
		c.kill(p)
		return nil, err
	}
	c.smu.Lock()
	c.info = info
	c.smu.Unlock()
	c.log.Debug().Int("pid", p.pid).Str("version", info.Version).Msg("plugin started")
	return p, nil
}

func startError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, plugin.ErrChecksumsDoNotMatch):
		return &bsk.Error{Code: bsk.CodeUnauthorized, Field: "sha256", Message: "the binary changed since it was registered; refusing to run it", Err: err}
	case strings.Contains(msg, "incompatible API version"):
		return &bsk.Error{Code: bsk.CodeInvalid, Message: fmt.Sprintf("plugin speaks another protocol version (host speaks %d): %s", ProtocolVersion, msg), Err: err}
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		return &bsk.Error{Code: bsk.CodeInternal, Message: "the program did not answer the plugin handshake: " + firstLine(msg), Err: err}
	}
	return &bsk.Error{Code: bsk.CodeInternal, Message: "start: " + firstLine(msg), Err: err}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (c *Client) fetchInfo(ctx context.Context, p *process) (Info, error) {
	ctx, cancel := context.WithTimeout(ctx, orDefault(c.opts.CallTimeout, 10*time.Second))
	defer cancel()
	b, err := p.w.invoke(ctx, methodInfo, nil)
	if err != nil {
		return Info{}, bsk.Errorf(bsk.CodeInternal, "info: %s", status.Convert(err).Message())
	}
	var info Info
	if err := json.Unmarshal(b, &info); err != nil {
		return Info{}, bsk.Errorf(bsk.CodeInternal, "info: malformed JSON: %v", err)
	}
	switch {
	case info.Name != c.entry.Name:
		return Info{}, &bsk.Error{Code: bsk.CodeConflict, Field: "name", Message: fmt.Sprintf("the plugin reports the name %q, the catalog %q", info.Name, c.entry.Name)}
	case info.Protocol != ProtocolVersion:
		return Info{}, bsk.Errorf(bsk.CodeInvalid, "the plugin reports protocol version %d, the host speaks %d", info.Protocol, ProtocolVersion)
	}
	if err := checkTexts(info); err != nil {
		return Info{}, err
	}
	return info, nil
}

// kill ends p's process at once and reaps it; the caller must not hold on
// to p.
func (c *Client) kill(p *process) {
	if !p.pc.Exited() && p.pid > 0 {
		if proc, err := os.FindProcess(p.pid); err == nil {
			_ = proc.Kill()
		}
	}
	p.pc.Kill()
}

// running returns the running process, launching one (after the backoff,
// if the last one failed) when there is none.
func (c *Client) running(ctx context.Context) (*process, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if c.closed {
			return nil, bsk.Errorf(bsk.CodeInternal, "plugin is closed")
		}
		if c.proc != nil && !c.proc.pc.Exited() {
			return c.proc, nil
		}
		if c.proc != nil {
			c.discardLocked(c.proc, "exited")
		}
		if wait := time.Until(c.nextStart); wait > 0 {
			if refused(c.lastErr) {
				// Refused until the binary is fixed: answer at once rather
				// than hold the call for the backoff.
				return nil, c.lastErr
			}
			c.mu.Unlock()
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
			case <-c.done:
			}
			t.Stop()
			c.mu.Lock()
			if ctx.Err() != nil {
				return nil, bsk.Errorf(bsk.CodeInternal, "plugin is restarting after a failure; %v", ctx.Err())
			}
			continue
		}
		p, err := c.launch(ctx)
		if err != nil {
			c.failedLocked(err)
			c.log.Error().Err(err).Dur("retry_in", c.backoff()).Msg("plugin restart failed")
			return nil, err
		}
		c.proc, c.lastErr = p, nil
		c.setStatus(func(st *Status) { st.State, st.Restarts = StateRunning, st.Restarts+1 })
		c.log.Warn().Int("pid", p.pid).Int("failures", c.failures).Msg("plugin restarted")
		if c.opts.Restarted != nil {
			c.opts.Restarted(c.entry.Name)
		}
		return p, nil
	}
}

func (c *Client) backoff() time.Duration {
	lo := orDefault(c.opts.MinBackoff, 100*time.Millisecond)
	hi := orDefault(c.opts.MaxBackoff, 30*time.Second)
	d := lo
	for i := 1; i < c.failures && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

// failedLocked counts a failure, err, and sets the next launch after the
// backoff; c.mu is held.
func (c *Client) failedLocked(err error) {
	c.failures++
	c.lastErr = err
	c.nextStart = time.Now().Add(c.backoff())
	c.setStatus(func(st *Status) {
		st.State = StateRestarting
		if refused(err) {
			st.State = StateRefused
		}
		st.Failures, st.NextStart, st.Err = c.failures, c.nextStart, err
	})
}

// discard retires p (if it is still current) after a failure: it is
// killed in the background and the next call launches a new process.
func (c *Client) discard(p *process, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.discardLocked(p, why)
}

func (c *Client) discardLocked(p *process, why string) {
	if c.proc != p {
		return
	}
	c.proc = nil
	c.failedLocked(bsk.Errorf(bsk.CodeInternal, "%s", why))
	c.log.Error().Int("pid", p.pid).Str("why", why).Dur("restart_in", c.backoff()).Msg("plugin failed")
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		c.kill(p)
	}()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// succeeded resets the backoff.
func (c *Client) succeeded() {
	c.mu.Lock()
	c.failures = 0
	c.mu.Unlock()
	c.setStatus(func(st *Status) { st.Failures = 0 })
}

// supervise pings the running plug-in and relaunches one that is down as
// soon as its backoff ends (the launch checks the checksum again), until
// Close.
func (c *Client) supervise() {
	defer c.bg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-c.done
		cancel()
	}()
	every := orDefault(c.opts.PingInterval, 10*time.Second)
	for {
		c.mu.Lock()
		p, due := c.proc, c.nextStart
		c.mu.Unlock()
		wait := every
		var exited <-chan struct{}
		if p == nil {
			wait = max(time.Until(due), 0)
		} else {
			exited = p.exited
		}
		t := time.NewTimer(wait)
		select {
		case <-c.done:
			t.Stop()
			return
		case <-c.wake:
			t.Stop()
			continue
		case <-exited:
			// A crash between calls is noticed at once, not at the next
			// ping, so the status is true and the relaunch is quick.
			t.Stop()
			c.discard(p, "exited")
			continue
		case <-t.C:
		}
		if p != nil {
			if err := c.ping(ctx, p); err != nil && ctx.Err() == nil {
				c.discard(p, "ping: "+err.Error())
			}
			continue
		}
		_, _ = c.running(ctx)
	}
}

func (c *Client) ping(ctx context.Context, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, orDefault(c.opts.CallTimeout, 10*time.Second))
	defer cancel()
	_, err := grpc_health_v1.NewHealthClient(p.w.conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: plugin.GRPCServiceName})
	return err
}

// Ping checks that the plug-in answers, launching it if it is down.
// Errors are [*Error] with [bsk.CodeInternal].
func (c *Client) Ping(ctx context.Context) error {
	p, err := c.running(ctx)
	if err == nil {
		err = c.ping(ctx, p)
	}
	if err != nil {
		return &Error{Plugin: c.entry.Name, Err: coded(err)}
	}
	return nil
}

// Call sends one batch to a rule of the plug-in: in is marshaled as the
// request's JSON input and the response's output is unmarshaled into out.
// The typed rules are built on it; call it directly for a kind this
// package has no type for. items names the batch's items for errors.
//
// Every failure is an [*Error] naming the plug-in, the rule and the items:
// the plug-in's own coded errors keep their code; a crash during the call,
// a missed deadline (the plug-in is then restarted), a panic and a
// malformed answer are [bsk.CodeInternal].
func (c *Client) Call(ctx context.Context, kind Kind, rule string, items []string, in, out any) error {
	fail := func(err *bsk.Error) error {
		return &Error{Plugin: c.entry.Name, Kind: kind, Rule: rule, Items: firstItems(items), Err: err}
	}
	input, err := json.Marshal(in)
	if err != nil {
		return fail(bsk.Errorf(bsk.CodeInvalid, "marshal input: %v", err))
	}
	body := encodeRequest(kind, rule, input)
	b, err := c.invoke(ctx, methodCall, body)
	if err != nil {
		return fail(coded(err))
	}
	var resp Response
	if err := json.Unmarshal(b, &resp); err != nil {
		return fail(bsk.Errorf(bsk.CodeInternal, "malformed response: %v", err))
	}
	if resp.Error != nil {
		return fail(fromWire(resp.Error))
	}
	if out != nil {
		if err := json.Unmarshal(resp.Output, out); err != nil {
			return fail(bsk.Errorf(bsk.CodeInternal, "malformed output: %v", err))
		}
	}
	return nil
}

// invoke carries one RPC under the deadline and turns transport failures
// into coded errors, retiring a process that crashed or hung.
func (c *Client) invoke(ctx context.Context, method string, body []byte) ([]byte, error) {
	p, err := c.running(ctx)
	if err != nil {
		return nil, err
	}
	timeout := orDefault(c.opts.CallTimeout, 10*time.Second)
	// When the caller's own deadline comes first, a deadline error is the
	// caller's, not the plug-in's: gRPC may report it a moment before the
	// caller's context says so.
	dl, has := ctx.Deadline()
	callerFirst := has && dl.Before(time.Now().Add(timeout))
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b, err := p.w.invoke(cctx, method, body)
	if err == nil {
		c.succeeded()
		return b, nil
	}
	st := status.Convert(err)
	switch {
	case ctx.Err() != nil:
		return nil, bsk.Errorf(bsk.CodeInternal, "call abandoned: %v", ctx.Err())
	case callerFirst && (cctx.Err() != nil || st.Code() == codes.DeadlineExceeded):
		return nil, bsk.Errorf(bsk.CodeInternal, "call abandoned: %v", context.DeadlineExceeded)
	case cctx.Err() != nil || st.Code() == codes.DeadlineExceeded:
		c.discard(p, "missed its deadline")
		return nil, bsk.Errorf(bsk.CodeInternal, "no answer within %s; the plugin is restarted", timeout)
	case st.Code() == codes.Unavailable || st.Code() == codes.Canceled || p.pc.Exited():
		c.discard(p, "connection lost: "+st.Message())
		return nil, bsk.Errorf(bsk.CodeInternal, "the plugin exited or dropped the connection during the call")
	case st.Code() == codes.ResourceExhausted:
		return nil, bsk.Errorf(bsk.CodeInternal, "message too large: %s", st.Message())
	}
	return nil, bsk.Errorf(bsk.CodeInternal, "call failed: %s: %s", st.Code(), st.Message())
}

// Close stops the plug-in's process, waits until it is gone and stops
// supervising it. Calls after Close fail. Close is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.done)
	c.setStatus(func(st *Status) { st.State = StateClosed })
	p := c.proc
	c.proc = nil
	c.mu.Unlock()
	if p != nil {
		p.pc.Kill()
	}
	c.bg.Wait()
	return nil
}
