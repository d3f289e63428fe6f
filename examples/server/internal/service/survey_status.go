package service

// RunStatus is where a background job (a grouping run, a survey import)
// stands.
type RunStatus string

// The statuses. A job waits "queued" while a limit is reached. A job is
// never left "queued" or "running" across a restart: the next start marks
// it failed.
const (
	RunQueued    RunStatus = "queued"
	RunRunning   RunStatus = "running"
	RunDone      RunStatus = "done"
	RunFailed    RunStatus = "failed"
	RunCancelled RunStatus = "cancelled"
)
