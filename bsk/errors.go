package bsk

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an [Error]. The set is closed and shared by every package
// of this module, by the plug-in protocol and by the example server, which
// maps each code to one HTTP status in one place.
type Code string

// The error codes.
const (
	// CodeInvalid: the input breaks a rule (a field, a bound, a format).
	CodeInvalid Code = "invalid"
	// CodeNotFound: a referenced thing does not exist.
	CodeNotFound Code = "not_found"
	// CodeConflict: the input clashes with what exists (a duplicate ID, a stale version).
	CodeConflict Code = "conflict"
	// CodeUnauthorized: the caller may not do this.
	CodeUnauthorized Code = "unauthorized"
	// CodeInternal: a fault that is not the caller's (a bug, a crashed plug-in, an I/O failure).
	CodeInternal Code = "internal"
	// CodeRateLimited: the caller is over a limit (too many attempts, a full
	// queue); the same request may succeed later.
	CodeRateLimited Code = "rate_limited"
)

// Codes lists every error code in a stable order.
func Codes() []Code {
	return []Code{CodeInvalid, CodeNotFound, CodeConflict, CodeUnauthorized, CodeInternal, CodeRateLimited}
}

// Sentinel errors, one per code. They match any [*Error] of the same code
// under [errors.Is]:
//
//	if errors.Is(err, bsk.ErrInvalid) { ... }
var (
	ErrInvalid      = &Error{Code: CodeInvalid}
	ErrNotFound     = &Error{Code: CodeNotFound}
	ErrConflict     = &Error{Code: CodeConflict}
	ErrUnauthorized = &Error{Code: CodeUnauthorized}
	ErrInternal     = &Error{Code: CodeInternal}
	ErrRateLimited  = &Error{Code: CodeRateLimited}
)

// Error is the library's one coded error. Field, when set, is the path of
// the offending value relative to the value that was validated, in the form
// `providers[3].languages[0]`; Message is lowercase with no final period.
type Error struct {
	Code    Code   `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Err is the underlying cause, if any. It is not serialized.
	Err error `json:"-"`
}

// Error renders "field: message", or just the message when there is no field.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = string(e.Code)
		if e.Err != nil {
			msg = e.Err.Error()
		}
	}
	if e.Field == "" {
		return msg
	}
	return e.Field + ": " + msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is a sentinel (an *Error with only a Code) of the
// same code as e.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Field != "" || t.Message != "" || t.Err != nil {
		return false
	}
	return t.Code == e.Code
}

// Errorf returns an [*Error] with the given code and a formatted message. A
// %w verb in format sets Err, as with [fmt.Errorf].
func Errorf(code Code, format string, args ...any) *Error {
	wrapped := fmt.Errorf(format, args...)
	e := &Error{Code: code, Message: wrapped.Error()}
	if u := errors.Unwrap(wrapped); u != nil {
		e.Err = u
	}
	return e
}

// Invalidf returns a [CodeInvalid] error for field.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a [CodeNotFound] error for field.
func NotFoundf(field, format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first [*Error] in err's tree, or
// [CodeInternal] for any other non-nil error, or "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Errors holds every problem found in one operation, such as a Validate
// call. It is an error itself, with Unwrap() []error so that [errors.Is] and
// [errors.As] see each problem. Build one with [Problems].
type Errors []*Error

// Error joins the problems, one per line.
func (l Errors) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns each problem.
func (l Errors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Problems accumulates validation problems with field paths. The zero value
// is ready to use. Err returns nil when nothing was added.
//
//	var p bsk.Problems
//	if x.ID == "" {
//		p.Add("id", "is required")
//	}
//	p.Merge("languages[0]", lang.Validate())
//	return p.Err()
type Problems struct {
	list Errors
}

// Add records a [CodeInvalid] problem at field.
func (p *Problems) Add(field, format string, args ...any) {
	p.list = append(p.list, Invalidf(field, format, args...))
}

// AddCode records a problem with the given code at field.
func (p *Problems) AddCode(code Code, field, format string, args ...any) {
	p.list = append(p.list, &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge records every problem in err under the prefix field: an [Errors] or
// [*Error] keeps its codes and has its field paths prefixed; any other error
// is recorded as [CodeInvalid] at prefix. A nil err is ignored.
func (p *Problems) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var list Errors
	var one *Error
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			c := *e
			c.Field = JoinField(prefix, e.Field)
			p.list = append(p.list, &c)
		}
	case errors.As(err, &one):
		c := *one
		c.Field = JoinField(prefix, one.Field)
		p.list = append(p.list, &c)
	default:
		p.list = append(p.list, &Error{Code: CodeInvalid, Field: prefix, Message: err.Error(), Err: err})
	}
}

// Len reports how many problems were recorded.
func (p *Problems) Len() int { return len(p.list) }

// Err returns the problems as [Errors], or nil when there are none.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	out := make(Errors, len(p.list))
	copy(out, p.list)
	return out
}

// JoinField joins two field paths: JoinField("providers[3]", "languages[0]")
// is "providers[3].languages[0]"; an index suffix joins without a dot.
func JoinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case strings.HasPrefix(field, "["):
		return prefix + field
	default:
		return prefix + "." + field
	}
}

// Index returns the path of element i of field: Index("languages", 0) is
// "languages[0]".
func Index(field string, i int) string {
	return fmt.Sprintf("%s[%d]", field, i)
}
