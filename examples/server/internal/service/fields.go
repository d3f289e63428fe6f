package service

import (
	"errors"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// pointerPath turns a library field path into a JSON pointer's tail:
// slots[2].end is slots/2/end.
var pointerPath = strings.NewReplacer("[", "/", "]", "", ".", "/")

// pointerToken escapes a name (a map key) as one JSON pointer token
// (RFC 6901): ~ is ~0 and / is ~1.
var pointerToken = strings.NewReplacer("~", "~0", "/", "~1")

// listOf returns err as a [bsk.Errors] when it holds one, or a single
// [*bsk.Error] as a list of one, so that its field can be renamed and is
// reported among the problems; any other error is returned as it is.
func listOf(err error) error {
	var list bsk.Errors
	if errors.As(err, &list) {
		return list
	}
	var one *bsk.Error
	if errors.As(err, &one) {
		return bsk.Errors{one}
	}
	return err
}

// renameFields returns a copy of the problems of err, a [bsk.Errors], each
// with its field renamed by rename (the request's names for the library's
// fields); any other error is returned as it is.
func renameFields(err error, rename func(field string) string) error {
	var list bsk.Errors
	if !errors.As(err, &list) {
		return err
	}
	out := make(bsk.Errors, len(list))
	for i, e := range list {
		c := *e
		c.Field = rename(c.Field)
		out[i] = &c
	}
	return out
}
