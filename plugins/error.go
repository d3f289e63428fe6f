package plugins

import (
	"fmt"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// Error is the failure of a plug-in call. It names the plug-in, the rule
// and, when the failure concerns one item of a batch, that item (an
// application's ID, a grouping problem's ID); it wraps a [*bsk.Error] whose
// code says whose fault it is, so that [bsk.ErrorCode] and
// errors.Is(err, bsk.ErrInternal) work on it. A coded error a plug-in
// returns arrives with the same code; a crash, a hang, a panic or a
// malformed answer is [bsk.CodeInternal].
//
// Its text is for the log and the administrators: it names the batch's
// items (which may belong to several agencies), and the cause may name the
// plug-in's file and checksums. Show others only its code.
type Error struct {
	// Plugin is the plug-in's name in the catalog.
	Plugin string
	// Kind and Rule name the rule called; empty for a failure to start.
	Kind Kind
	Rule string
	// Items are the IDs of the batch items concerned: one for a failure of
	// one application, all of the batch's (up to ten) when the whole call
	// failed, none when there were no items.
	Items []string
	// Err is the coded cause.
	Err *bsk.Error
}

// Error renders `plugin "name" kind rule "rule" application "id": cause`.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %q", e.Plugin)
	if e.Rule != "" {
		fmt.Fprintf(&b, " %s rule %q", e.Kind, e.Rule)
	}
	if len(e.Items) > 0 {
		noun := "application"
		if e.Kind == KindGrouping {
			noun = "problem"
		}
		if len(e.Items) > 1 {
			noun += "s"
		}
		fmt.Fprintf(&b, " %s %s", noun, strings.Join(quoteAll(e.Items), ", "))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the coded cause.
func (e *Error) Unwrap() error { return e.Err }

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// firstItems returns at most ten IDs, for naming a batch in an error.
func firstItems(ids []string) []string {
	if len(ids) > 10 {
		return append(ids[:10:10], fmt.Sprintf("and %d more", len(ids)-10))
	}
	return ids
}

// fromWire rebuilds a coded error that crossed the wire, trusting only
// known codes.
func fromWire(w *bsk.Error) *bsk.Error {
	e := &bsk.Error{Code: bsk.CodeInternal, Field: w.Field, Message: w.Message}
	for _, c := range bsk.Codes() {
		if w.Code == c {
			e.Code = c
		}
	}
	if e.Code != w.Code {
		e.Message = fmt.Sprintf("unknown error code %q: %s", w.Code, w.Message)
	}
	if e.Message == "" {
		e.Message = "error with no message"
	}
	return e
}
