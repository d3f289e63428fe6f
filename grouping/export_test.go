package grouping

import "time"

// SetClock makes the solver read the time from now, for the benchmarks
// that count time limits in CPU time, until restore is called. It must
// not be called while a Solve runs.
func SetClock(now func() time.Time) (restore func()) {
	old := timeNow
	timeNow = now
	return func() { timeNow = old }
}
