package plugins

import (
	"errors"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// State is what a plug-in's process is doing.
type State string

// The states of a plug-in.
const (
	// StateRunning: a process is up and answered its launch.
	StateRunning State = "running"
	// StateRestarting: no process; it crashed, hung or did not start,
	// and the host launches it again at [Status.NextStart].
	StateRestarting State = "restarting"
	// StateRefused: the last launch was refused before exec, because the
	// binary is missing or no longer matches the catalog's checksum, or
	// the plug-in described itself in a way the host refuses (another
	// name or protocol version, a reason code without an English text).
	// The host keeps retrying with backoff and checks the checksum each
	// time, so putting the registered binary back recovers it.
	StateRefused State = "refused"
	// StateClosed: [Client.Close] was called.
	StateClosed State = "closed"
)

// Status is a plug-in's state for a status page: what it is doing, how
// often it was relaunched, and why it is down.
type Status struct {
	// State is what the plug-in is doing.
	State State
	// Restarts counts the successful relaunches since the first start.
	Restarts int
	// Failures counts the failures since the plug-in last answered a
	// call: crashes, missed deadlines and failed launches.
	Failures int
	// NextStart is when the next launch is due, for a plug-in that is not
	// running.
	NextStart time.Time
	// Reason says in a sentence why a plug-in is not running. It names
	// no path, checksum or application, so any role that may know the
	// plug-in's state may read it.
	Reason string
	// Err is the last failure in full (it may name the binary's path and
	// checksums, and the applications of a failed batch): for the log
	// and the administrators. Nil while running.
	Err error
}

// reasonFor returns the sentence a [Status] shows for err.
func reasonFor(err error) string {
	var te *textsError
	if errors.As(err, &te) {
		return te.reason
	}
	switch bsk.ErrorCode(err) {
	case bsk.CodeNotFound:
		return "the plug-in's binary is missing"
	case bsk.CodeUnauthorized:
		return "the plug-in's binary does not match the checksum registered in the catalog"
	case bsk.CodeInvalid:
		return "the plug-in speaks another protocol version or describes itself in a way the host refuses"
	case bsk.CodeConflict:
		return "the plug-in reports a name other than its catalog entry's"
	}
	return "the plug-in crashed, missed a deadline or did not start"
}

// refused reports whether err keeps a plug-in from being launched at all,
// as opposed to a process that failed.
func refused(err error) bool {
	switch bsk.ErrorCode(err) {
	case bsk.CodeNotFound, bsk.CodeUnauthorized, bsk.CodeInvalid, bsk.CodeConflict:
		return true
	}
	return false
}

// Status returns what the plug-in is doing. It never waits for a launch
// in progress.
func (c *Client) Status() Status {
	c.smu.Lock()
	defer c.smu.Unlock()
	st := c.st
	switch {
	case st.State == StateClosed || st.State == StateRunning:
		st.Reason, st.Err, st.NextStart = "", nil, time.Time{}
	case st.Err != nil:
		st.Reason = reasonFor(st.Err)
	}
	return st
}

// setStatus updates the published status under its own lock, so that
// readers never wait for a launch.
func (c *Client) setStatus(f func(*Status)) {
	c.smu.Lock()
	f(&c.st)
	c.smu.Unlock()
}
