package app

import (
	"context"
	"errors"
	"sync"
)

// Why a job's context ended.
var (
	errCancelled = errors.New("cancelled by request")
	errShutdown  = errors.New("the server is shutting down")
)

// jobs runs background work (grouping runs, survey imports) and can cancel
// it. Close cancels every job and waits for them, so nothing is left
// running after the server stops; a job that was running when the process
// died is marked failed at the next start (see recoverRuns).
type jobs struct {
	mu      sync.Mutex
	cancels map[string]context.CancelCauseFunc
	wg      sync.WaitGroup
	closed  bool
}

func newJobs() *jobs { return &jobs{cancels: map[string]context.CancelCauseFunc{}} }

// start runs fn in the background under a context that cancel(id) or close
// ends, with errCancelled or errShutdown as the cause. It reports false when the server is closing.
func (j *jobs) start(id string, fn func(ctx context.Context)) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	j.cancels[id] = cancel
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() {
			j.mu.Lock()
			delete(j.cancels, id)
			j.mu.Unlock()
			cancel(nil)
		}()
		fn(ctx)
	}()
	return true
}

// cancel ends job id; it reports whether the job was running.
func (j *jobs) cancel(id string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.cancels[id]
	if ok {
		c(errCancelled)
	}
	return ok
}

// close cancels every job and waits for them to finish.
func (j *jobs) close() {
	j.mu.Lock()
	j.closed = true
	for _, c := range j.cancels {
		c(errShutdown)
	}
	j.mu.Unlock()
	j.wg.Wait()
}
