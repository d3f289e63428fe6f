package training

import (
	"strconv"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// CompletionStatus is where a participant stands in a cohort.
type CompletionStatus string

// The completion statuses.
const (
	// Completed: attended the modules required.
	Completed CompletionStatus = "completed"
	// InProgress: not yet, and enough modules remain to.
	InProgress CompletionStatus = "in_progress"
	// Incomplete: too few modules remain to reach the required ones.
	Incomplete CompletionStatus = "incomplete"
	// Withdrawn: left the cohort (or its waitlist).
	Withdrawn CompletionStatus = "withdrawn"
)

var completionStatuses = []CompletionStatus{Completed, InProgress, Incomplete, Withdrawn}

// Enum lists every completion status code.
func (CompletionStatus) Enum() []string {
	out := make([]string, len(completionStatuses))
	for i, s := range completionStatuses {
		out[i] = string(s)
	}
	return out
}

// The reasons of a completion status, each with the parameters
// "attended", "required" and "remaining" (the modules not yet begun).
const (
	// ReasonModulesAttended: completed, having attended the required.
	ReasonModulesAttended = "modules_attended"
	// ReasonModulesRemaining: in progress, the modules remaining enough.
	ReasonModulesRemaining = "modules_remaining"
	// ReasonCannotComplete: incomplete, attended and remaining together
	// below the required.
	ReasonCannotComplete = "cannot_complete"
	// ReasonWithdrew: withdrawn; "attended" counts the modules attended
	// before.
	ReasonWithdrew = "withdrew"
)

// CompletionReason is the typed reason of a completion status: a stable
// code and its parameters.
type CompletionReason struct {
	// Code is one of the Reason constants of this file.
	Code string `json:"code"`
	// Params are the figures the reason rests on.
	Params map[string]string `json:"params"`
}

// Completion is one participant's standing in a cohort.
type Completion struct {
	// ProviderID is the participant.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// RegistrationID is their registration.
	RegistrationID bsk.RegistrationID `json:"registration_id"`
	// Status is where they stand.
	Status CompletionStatus `json:"status"`
	// Attended counts the modules they attended, Required those they
	// attend to complete, Remaining the modules not yet begun.
	Attended  int `json:"attended"`
	Required  int `json:"required"`
	Remaining int `json:"remaining"`
	// Modules lists the modules attended, in time order.
	Modules []bsk.SessionID `json:"modules"`
	// Reason says why, with its figures.
	Reason CompletionReason `json:"reason"`
}

// Completion returns the standing at time at of every participant who
// holds a seat or withdrew, in the order enrolled (those still waiting
// are not participants yet). A module counts as attended when the
// attendance records hold any hours of the participant at its session;
// records of other sessions are ignored. A participant who attended the
// required modules has completed, whatever remains; one who can no longer
// reach them is incomplete.
func (c *Cohort) Completion(attendance []bsk.Attendance, at time.Time) []Completion {
	index := make(map[bsk.SessionID]int, len(c.modules))
	remaining := 0
	for i, m := range c.modules {
		index[m.ID] = i
		if m.Starts.After(at) {
			remaining++
		}
	}
	attended := map[bsk.ProviderID][]bool{}
	for _, a := range attendance {
		i, ok := index[a.SessionID]
		if !ok || a.Hours <= 0 {
			continue
		}
		row := attended[a.ProviderID]
		if row == nil {
			row = make([]bool, len(c.modules))
			attended[a.ProviderID] = row
		}
		row[i] = true
	}
	out := []Completion{}
	for _, reg := range c.roster.Registrations() {
		if reg.Status == bsk.RegistrationWaitlisted {
			continue
		}
		cp := Completion{ProviderID: reg.ProviderID, RegistrationID: reg.ID, Required: c.required, Remaining: remaining, Modules: []bsk.SessionID{}}
		for i, ok := range attended[reg.ProviderID] {
			if ok {
				cp.Attended++
				cp.Modules = append(cp.Modules, c.modules[i].ID)
			}
		}
		code := ReasonModulesRemaining
		switch {
		case reg.Status == bsk.RegistrationCancelled:
			cp.Status, code = Withdrawn, ReasonWithdrew
		case cp.Attended >= c.required:
			cp.Status, code = Completed, ReasonModulesAttended
		case cp.Attended+remaining < c.required:
			cp.Status, code = Incomplete, ReasonCannotComplete
		default:
			cp.Status = InProgress
		}
		cp.Reason = CompletionReason{Code: code, Params: map[string]string{
			"attended": strconv.Itoa(cp.Attended), "required": strconv.Itoa(c.required), "remaining": strconv.Itoa(remaining)}}
		out = append(out, cp)
	}
	return out
}

// CompletionCounts counts completions by status.
func CompletionCounts(cs []Completion) map[CompletionStatus]int {
	out := make(map[CompletionStatus]int, len(completionStatuses))
	for _, s := range completionStatuses {
		out[s] = 0
	}
	for _, c := range cs {
		out[c.Status]++
	}
	return out
}

// ReasonText renders a completion reason in language lang (a
// [scholarship.Lang] code: "en", "es", ...) from the package's catalogs,
// English where the language has no text; see [Text].
func (r CompletionReason) ReasonText(lang string) string {
	return Text(scholarship.Reason{Code: r.Code, Params: r.Params}, scholarship.Lang(lang))
}
