package service

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
)

// Why a job's context ended: context.Cause of a job's context is one of
// these once it is done.
var (
	// ErrCancelled ends a job that was cancelled by request.
	ErrCancelled = errors.New("cancelled by request")
	// ErrShutdown ends a job because the server is shutting down.
	ErrShutdown = errors.New("the server is shutting down")
)

// errClosing refuses new jobs while the server stops.
var errClosing = bsk.Errorf(bsk.CodeConflict, "the server is shutting down")

// RunLimits bound the grouping runs that run at once. A run beyond a limit
// is queued (status "queued") and started, in the order it was asked for,
// when a slot frees; a run beyond the queue's bound is refused with a
// [QueueFullError] (429 over HTTP). The zero value of every field takes
// its default.
type RunLimits struct {
	// PerKey is the most runs one API key has running at once; default 2.
	PerKey int
	// PerRole overrides PerKey for a role (for example, more for the
	// administrator); a role not listed uses PerKey.
	PerRole map[Role]int
	// Total is the most runs running at once in the whole server; default
	// twice the number of CPUs the process may use (4 on 2 cores).
	Total int
	// QueuedPerKey is the most runs one API key has waiting; default 4.
	QueuedPerKey int
	// Queue is the most runs waiting in the whole server; default 32.
	Queue int
}

func (l RunLimits) withDefaults() RunLimits {
	if l.PerKey <= 0 {
		l.PerKey = 2
	}
	if l.Total <= 0 {
		l.Total = 2 * runtime.GOMAXPROCS(0)
	}
	if l.QueuedPerKey <= 0 {
		l.QueuedPerKey = 4
	}
	if l.Queue <= 0 {
		l.Queue = 32
	}
	return l
}

func (l RunLimits) perKey(r Role) int {
	if n, ok := l.PerRole[r]; ok && n > 0 {
		return n
	}
	return l.PerKey
}

// QueueFullError refuses a run beyond the queue's bound (the caller's or
// the server's): nothing was stored; try again once a run finishes. Over
// HTTP it is 429 Too Many Requests.
type QueueFullError struct {
	// Message says which bound was reached.
	Message string
}

// Error returns the refusal's message.
func (e *QueueFullError) Error() string { return e.Message }

// Unwrap gives the refusal its code, rate_limited, for [bsk.ErrorCode].
func (e *QueueFullError) Unwrap() error { return bsk.ErrRateLimited }

// Jobs runs the services' background work (grouping runs, survey imports)
// and can cancel it. Close cancels every job and waits for them, so
// nothing is left running after the server stops; a job that was running
// or queued when the process died is marked failed at the next start (see
// [Grouping.Recover]).
//
// A job that panics does not take the server down: the panic is
// recovered, logged with its stack and the job's ID, and reported to the
// job's failed function as an internal error that names the job and no
// internal detail, for the job's owner to mark its record failed.
type Jobs struct {
	log zerolog.Logger

	mu      sync.Mutex
	cancels map[string]context.CancelCauseFunc
	wg      sync.WaitGroup
	closed  bool

	limits  RunLimits
	running map[string]int // owner -> limited jobs running
	nrun    int            // limited jobs running
	queue   []*queuedJob
}

// job is one piece of background work.
type job struct {
	id string
	fn func(ctx context.Context)
	// failed is called, outside any lock, with the error a panic in fn
	// became; nil ignores it (the panic is still logged).
	failed func(err *bsk.Error)
}

// queuedJob is a limited job waiting for a slot.
type queuedJob struct {
	job
	owner string
	max   int
}

func newJobs(limits RunLimits, log zerolog.Logger) *Jobs {
	return &Jobs{log: log, cancels: map[string]context.CancelCauseFunc{}, running: map[string]int{}, limits: limits.withDefaults()}
}

// Start runs fn in the background at once, with no limit, under a context
// that ends when the job is cancelled or the server closes, with
// [ErrCancelled] or [ErrShutdown] as its cause. If fn panics, failed (when
// not nil) receives the internal error the panic became. Start reports
// false, and runs nothing, when the server is closing.
func (j *Jobs) Start(id string, fn func(ctx context.Context), failed func(err *bsk.Error)) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false
	}
	j.launch(job{id: id, fn: fn, failed: failed}, "")
	return true
}

// submit runs jb like Start when owner has fewer than role's limit of
// jobs running and the server fewer than the total; otherwise it queues
// jb, to start in order when a slot frees. It reports whether jb was
// queued, and fails with a [QueueFullError] when the queue (the owner's or
// the server's) is full and with a conflict when the server is closing.
func (j *Jobs) submit(jb job, owner string, role Role) (queued bool, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false, errClosing
	}
	max := j.limits.perKey(role)
	waiting := 0
	for _, q := range j.queue {
		if q.owner == owner {
			waiting++
		}
	}
	// The queue holds only jobs blocked by a limit (advance starts the
	// rest), so a job starts at once unless its owner's earlier jobs wait.
	if waiting == 0 && j.running[owner] < max && j.nrun < j.limits.Total {
		j.running[owner]++
		j.nrun++
		j.launch(jb, owner)
		return false, nil
	}
	switch {
	case waiting >= j.limits.QueuedPerKey:
		return false, &QueueFullError{fmt.Sprintf("this key already has %d runs waiting: wait for one to finish or cancel one", waiting)}
	case len(j.queue) >= j.limits.Queue:
		return false, &QueueFullError{fmt.Sprintf("%d runs are already waiting: try again later", len(j.queue))}
	}
	j.queue = append(j.queue, &queuedJob{job: jb, owner: owner, max: max})
	return true, nil
}

// launch starts jb; j.mu is held. A limited job (owner != "") frees its
// slot when it ends, and the queue moves.
func (j *Jobs) launch(jb job, owner string) {
	ctx, cancel := context.WithCancelCause(context.Background())
	j.cancels[jb.id] = cancel
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() {
			j.mu.Lock()
			delete(j.cancels, jb.id)
			if owner != "" {
				j.running[owner]--
				if j.running[owner] == 0 {
					delete(j.running, owner)
				}
				j.nrun--
				j.advance()
			}
			j.mu.Unlock()
			cancel(nil)
		}()
		j.run(ctx, jb)
	}()
}

// run calls jb.fn and recovers a panic in it.
func (j *Jobs) run(ctx context.Context, jb job) {
	defer func() {
		if v := recover(); v != nil {
			j.log.Error().Str("job", jb.id).Str("panic", fmt.Sprint(v)).Bytes("stack", debug.Stack()).Msg("background job panicked")
			if jb.failed != nil {
				jb.failed(errJobInternal(jb.id))
			}
		}
	}()
	jb.fn(ctx)
}

// advance starts queued jobs, in order, while there are slots; a job whose
// owner is at its limit waits without holding back the others. j.mu is
// held.
func (j *Jobs) advance() {
	if j.closed {
		return
	}
	for i := 0; i < len(j.queue) && j.nrun < j.limits.Total; {
		q := j.queue[i]
		if j.running[q.owner] >= q.max {
			i++
			continue
		}
		j.queue = append(j.queue[:i], j.queue[i+1:]...)
		j.running[q.owner]++
		j.nrun++
		j.launch(q.job, q.owner)
	}
}

// cancel ends job id. It reports whether the job was running, and whether
// it was waiting in the queue (it is then removed and never starts).
func (j *Jobs) cancel(id string) (running, queued bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if c, ok := j.cancels[id]; ok {
		c(ErrCancelled)
		return true, false
	}
	for i, q := range j.queue {
		if q.id == id {
			j.queue = append(j.queue[:i], j.queue[i+1:]...)
			return false, true
		}
	}
	return false, false
}

// close cancels every job, drops the queue and waits for running jobs to
// finish.
func (j *Jobs) close() {
	j.mu.Lock()
	j.closed = true
	j.queue = nil
	for _, c := range j.cancels {
		c(ErrShutdown)
	}
	j.mu.Unlock()
	j.wg.Wait()
}

// errJobInternal is what a job's readers see of an internal failure: the
// job's ID, to find the details in the server's log, and nothing else.
func errJobInternal(id string) *bsk.Error {
	return bsk.Errorf(bsk.CodeInternal, "an internal error stopped job %s; the server's log has the details", id)
}
