package grouping

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// PanicError is the cause (under [errors.As]) of the [bsk.CodeInternal]
// error an entry point of this package returns when it, one of its search
// goroutines, or code the caller handed it (a [Rule], an
// [Options.Progress] function) panicked. The panic never reaches the
// caller's process: Solve, Regroup, AssignLeaders, AssignLeading,
// AssignChoices, AssignCases, CohortOf, Apply, NewProblem, the preset
// builders and the Validate methods recover it. The error's message says
// what was running and how to reproduce it (the seed and the search round,
// for a search); the stack is kept here for the log, not in the message.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Site is where the panic happened: file:line and function.
	Site string
	// Stack is the panicking goroutine's stack.
	Stack []byte
}

// Error returns the panic value and where it happened.
func (e *PanicError) Error() string {
	if e.Site == "" {
		return fmt.Sprintf("panic: %v", e.Value)
	}
	return fmt.Sprintf("panic: %v at %s", e.Value, e.Site)
}

// recovered turns the value of a recovered panic into an internal error:
// what names the operation and carries what reproduces it. It must be
// called from the deferred function that called recover, so that the
// panicking frames are still on the stack.
func recovered(v any, what string) error {
	if what != "" {
		what += ": "
	}
	if f, ok := v.(*foreign); ok {
		return &bsk.Error{Code: bsk.CodeInternal, Message: fmt.Sprintf("%s%s panicked: %v", what, f.who, f.pe), Err: f.pe}
	}
	pe := newPanicError(v)
	return &bsk.Error{Code: bsk.CodeInternal, Message: fmt.Sprintf("%s%v (a bug in the grouping package; please report it with this message)", what, pe), Err: pe}
}

func newPanicError(v any) *PanicError {
	return &PanicError{Value: v, Site: panicSite(), Stack: debug.Stack()}
}

// catch is deferred by entry points that run no goroutine of their own:
// a panic becomes an internal error in *err, described by what.
func catch(err *error, what func() string) {
	if v := recover(); v != nil {
		*err = recovered(v, what())
	}
}

// foreign is a panic in code the caller handed in (a Rule, a Progress
// function): callForeign catches it where it happened, to keep its site,
// and raises it again for the entry point to report as the caller's.
type foreign struct {
	who string
	pe  *PanicError
}

// callForeign calls f, code the caller handed in and names as who.
func callForeign(who string, f func()) {
	defer func() {
		if v := recover(); v != nil {
			panic(&foreign{who: who, pe: newPanicError(v)})
		}
	}()
	f()
}

// panicSite finds the frame that panicked: the first one below the
// runtime's panic machinery and this file's helpers.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	inPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(f.Function, "runtime."):
			name := f.Function
			if i := strings.LastIndex(name, "/"); i >= 0 {
				name = name[i+1:]
			}
			return fmt.Sprintf("%s:%d in %s", filepath.Base(f.File), f.Line, name)
		}
		if !more {
			return ""
		}
	}
}

// shape describes a problem for an error message: its size, nothing
// about its members.
func shape(p *Problem) string {
	if p == nil {
		return "no problem"
	}
	return fmt.Sprintf("%d members, %d groups, %d constraints, %d criteria", len(p.Members), p.Groups, len(p.Constraints), len(p.Criteria))
}
