package bsk_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

func TestErrorIsMatchesCodeOnly(t *testing.T) {
	err := fmt.Errorf("loading: %w", bsk.Invalidf("providers[0].id", "is required"))
	if !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("errors.Is(%v, ErrInvalid) = false; want true", err)
	}
	for _, s := range []error{bsk.ErrNotFound, bsk.ErrConflict, bsk.ErrUnauthorized, bsk.ErrInternal} {
		if errors.Is(err, s) {
			t.Errorf("errors.Is(%v, %v) = true; want false", err, s)
		}
	}
	// A non-sentinel *Error is not a wildcard.
	if errors.Is(err, bsk.Invalidf("other", "x")) {
		t.Errorf("errors.Is matched a non-sentinel error")
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		err  error
		want bsk.Code
	}{
		{nil, ""},
		{errors.New("plain"), bsk.CodeInternal},
		{bsk.Errorf(bsk.CodeConflict, "dup"), bsk.CodeConflict},
		{fmt.Errorf("wrap: %w", bsk.NotFoundf("id", "gone")), bsk.CodeNotFound},
		{bsk.Errors{bsk.Invalidf("a", "b")}, bsk.CodeInvalid},
	}
	for _, tt := range tests {
		if got := bsk.ErrorCode(tt.err); got != tt.want {
			t.Errorf("ErrorCode(%v) = %q; want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrorfKeepsCause(t *testing.T) {
	cause := errors.New("disk full")
	err := bsk.Errorf(bsk.CodeInternal, "saving: %w", cause)
	if !errors.Is(err, cause) {
		t.Errorf("Errorf lost the %%w cause")
	}
	if got, want := err.Error(), "saving: disk full"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

func TestProblemsMergePrefixesAndKeepsCodes(t *testing.T) {
	var inner bsk.Problems
	inner.Add("languages[0]", "unknown language code %q", "xx")
	inner.AddCode(bsk.CodeConflict, "id", "duplicate")
	var outer bsk.Problems
	outer.Merge("providers[3]", inner.Err())
	outer.Merge("orgs", errors.New("plain"))
	outer.Merge("skip", nil)
	err := outer.Err()
	var list bsk.Errors
	if !errors.As(err, &list) {
		t.Fatalf("Err() = %T; want bsk.Errors", err)
	}
	want := []struct {
		field string
		code  bsk.Code
	}{
		{"providers[3].languages[0]", bsk.CodeInvalid},
		{"providers[3].id", bsk.CodeConflict},
		{"orgs", bsk.CodeInvalid},
	}
	if len(list) != len(want) {
		t.Fatalf("got %d problems; want %d: %v", len(list), len(want), err)
	}
	for i, w := range want {
		if list[i].Field != w.field || list[i].Code != w.code {
			t.Errorf("problem %d = (%q, %q); want (%q, %q)", i, list[i].Field, list[i].Code, w.field, w.code)
		}
	}
	if !errors.Is(err, bsk.ErrConflict) || !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("errors.Is does not see every problem's code")
	}
	var empty bsk.Problems
	if empty.Err() != nil {
		t.Errorf("empty Problems.Err() != nil")
	}
}

func TestJoinField(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"", "id", "id"},
		{"providers[3]", "", "providers[3]"},
		{"providers", "[3]", "providers[3]"},
		{"providers[3]", "languages[0]", "providers[3].languages[0]"},
	}
	for _, tt := range tests {
		if got := bsk.JoinField(tt.a, tt.b); got != tt.want {
			t.Errorf("JoinField(%q, %q) = %q; want %q", tt.a, tt.b, got, tt.want)
		}
	}
}
