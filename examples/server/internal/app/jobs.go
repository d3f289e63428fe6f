package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Why a job's context ended.
var (
	errCancelled = errors.New("cancelled by request")
	errShutdown  = errors.New("the server is shutting down")
)

// RunLimits bound the grouping runs that run at once. A run beyond a limit
// is queued (status "queued") and started, in the order it was asked for,
// when a slot frees; a run beyond the queue's bound is refused with 429.
// The zero value of every field takes its default.
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

// errQueueFull is the answer to a run beyond the queue's bound.
func errQueueFull(msg string) error {
	return echo.NewHTTPError(http.StatusTooManyRequests, msg)
}

// jobs runs background work (grouping runs) and can cancel
// it. Close cancels every job and waits for them, so nothing is left
// running after the server stops; a job that was running or queued when
// the process died is marked failed at the next start (see recoverRuns).
//
// A job that panics does not take the server down: the panic is recovered,
// logged with its stack and the job's ID, and reported to onPanic, which
// marks the job's record failed.
type jobs struct {
	mu      sync.Mutex
	cancels map[string]context.CancelCauseFunc
	wg      sync.WaitGroup
	closed  bool

	limits  RunLimits
	running map[string]int // owner -> limited jobs running
	nrun    int            // limited jobs running
	queue   []*queuedJob

	// onPanic is called, outside any lock, with the ID of a job that
	// panicked, what it panicked with and the stack.
	onPanic func(id string, v any, stack []byte)
}

// queuedJob is a limited job waiting for a slot.
type queuedJob struct {
	id, owner string
	max       int
	fn        func(ctx context.Context)
}

func newJobs(limits RunLimits, onPanic func(id string, v any, stack []byte)) *jobs {
	return &jobs{cancels: map[string]context.CancelCauseFunc{}, running: map[string]int{},
		limits: limits.withDefaults(), onPanic: onPanic}
}

// start runs fn in the background at once, with no limit, under a context
// that cancel(id) or close ends, with errCancelled or errShutdown as the
// cause. It reports false when the server is closing.
func (j *jobs) start(id string, fn func(ctx context.Context)) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false
	}
	j.launch(id, "", fn)
	return true
}

// submit runs fn like start when owner has fewer than its limit of jobs
// running and the server fewer than the total; otherwise it queues fn,
// to start in order when a slot frees. It reports whether fn was queued,
// and fails with 429 when the queue (the owner's or the server's) is full
// and with a conflict when the server is closing.
func (j *jobs) submit(id, owner string, role Role, fn func(ctx context.Context)) (queued bool, err error) {
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
		j.launch(id, owner, fn)
		return false, nil
	}
	switch {
	case waiting >= j.limits.QueuedPerKey:
		return false, errQueueFull(fmt.Sprintf("this key already has %d runs waiting: wait for one to finish or cancel one", waiting))
	case len(j.queue) >= j.limits.Queue:
		return false, errQueueFull(fmt.Sprintf("%d runs are already waiting: try again later", len(j.queue)))
	}
	j.queue = append(j.queue, &queuedJob{id: id, owner: owner, max: max, fn: fn})
	return true, nil
}

// launch starts fn; j.mu is held. A limited job (owner != "") frees its
// slot when it ends, and the queue moves.
func (j *jobs) launch(id, owner string, fn func(ctx context.Context)) {
	ctx, cancel := context.WithCancelCause(context.Background())
	j.cancels[id] = cancel
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() {
			j.mu.Lock()
			delete(j.cancels, id)
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
		j.run(ctx, id, fn)
	}()
}

// run calls fn and recovers a panic in it.
func (j *jobs) run(ctx context.Context, id string, fn func(ctx context.Context)) {
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			if j.onPanic != nil {
				j.onPanic(id, v, stack)
			}
		}
	}()
	fn(ctx)
}

// advance starts queued jobs, in order, while there are slots; a job whose
// owner is at its limit waits without holding back the others. j.mu is
// held.
func (j *jobs) advance() {
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
		j.launch(q.id, q.owner, q.fn)
	}
}

// cancel ends job id. It reports whether the job was running, and whether
// it was waiting in the queue (it is then removed and never starts).
func (j *jobs) cancel(id string) (running, queued bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if c, ok := j.cancels[id]; ok {
		c(errCancelled)
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
func (j *jobs) close() {
	j.mu.Lock()
	j.closed = true
	j.queue = nil
	for _, c := range j.cancels {
		c(errShutdown)
	}
	j.mu.Unlock()
	j.wg.Wait()
}

// errClosing refuses new jobs while the server stops.
var errClosing = bsk.Errorf(bsk.CodeConflict, "the server is shutting down")

// errJobInternal is what a job's readers see of an internal failure: the
// job's ID, to find the details in the server's log, and nothing else.
func errJobInternal(id string) *bsk.Error {
	return bsk.Errorf(bsk.CodeInternal, "an internal error stopped job %s; the server's log has the details", id)
}

// jobPanicked logs a job's panic with its stack and marks the job's record
// (a grouping run) failed, with an error that names no
// internal detail.
func (a *App) jobPanicked(id string, v any, stack []byte) {
	a.log.Error().Str("job", id).Str("panic", fmt.Sprint(v)).Bytes("stack", stack).Msg("background job panicked")
	a.progress.drop(id)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := time.Now().UTC()
	if rec, err := a.db.Get(ctx, store.GroupingRuns, id); err == nil {
		var run GroupingRun
		if err := json.Unmarshal(rec.Doc, &run); err == nil {
			run.Status, run.FinishedAt, run.Error, run.Solution = RunFailed, &now, errJobInternal(id), nil
			err = a.saveRun(ctx, run, false)
		}
		if err != nil {
			a.log.Error().Err(err).Str("job", id).Msg("marking a panicked grouping run failed")
		}
	}
}
