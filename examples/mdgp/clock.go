//go:build unix

package main

import (
	"context"
	"syscall"
	"time"
)

// cpuSeconds is this process's CPU time, user and system, in all threads.
func cpuSeconds() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// cpuLimit returns a context cancelled once this process has used limit
// more CPU time than it had at the call, checked every 2ms, so that a
// search's time limit counts the time it ran rather than the time it
// waited for a core on a loaded machine.
func cpuLimit(parent context.Context, limit time.Duration) (context.Context, context.CancelFunc, error) {
	start, err := cpuSeconds()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(parent)
	go func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if now, err := cpuSeconds(); err != nil || now-start >= limit {
					cancel()
					return
				}
			}
		}
	}()
	return ctx, cancel, nil
}
