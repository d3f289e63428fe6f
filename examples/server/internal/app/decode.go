package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/schema"
)

const (
	defaultPage = 50
	maxPage     = 500
)

// readBody reads the request body, which the body-limit middleware bounds,
// and rejects invalid UTF-8.
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is too large")
		}
		return nil, bsk.Invalidf("", "reading the body: %v", err)
	}
	if !utf8.Valid(b) {
		return nil, bsk.Errors{bsk.Invalidf("", "the body is not valid UTF-8")}
	}
	return b, nil
}

// decodeStrict decodes a JSON body into v, rejecting unknown fields and
// trailing data.
func decodeStrict(c echo.Context, v any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	return unmarshalStrict(b, v)
}

// unmarshalStrict decodes b into v, rejecting duplicate keys, unknown
// fields and trailing data.
func unmarshalStrict(b []byte, v any) error {
	if err := checkDuplicateKeys(b); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return bsk.Errors{bsk.Invalidf(unknownFieldPointer(b, reflect.TypeOf(v)), "malformed JSON: %v", err)}
	}
	if d.More() {
		return bsk.Errors{bsk.Invalidf("", "malformed JSON: data after the document")}
	}
	return nil
}

// decodeValidated checks a body against the named JSON Schema, decodes it,
// and runs the value's Validate. Problems come back as bsk.Errors with JSON
// pointers (schema) or field paths (Validate).
func decodeValidated[T interface{ Validate() error }](c echo.Context, schemaName string) (T, []byte, error) {
	var v T
	b, err := readBody(c)
	if err != nil {
		return v, nil, err
	}
	if err := checkDuplicateKeys(b); err != nil {
		return v, nil, err
	}
	if err := schema.Validate(schemaName, b); err != nil {
		return v, nil, err
	}
	if err := unmarshalStrict(b, &v); err != nil {
		return v, nil, err
	}
	if err := v.Validate(); err != nil {
		return v, nil, err
	}
	return v, b, nil
}

// maxDepth bounds the nesting of a JSON body.
const maxDepth = 100

// checkDuplicateKeys refuses a JSON document in which an object holds the
// same key twice: decoders disagree on which value wins (encoding/json
// keeps the last, others the first), so a checker and a user of the same
// body could read different values. The problem names the second
// occurrence by its JSON pointer. Malformed JSON is left to the decoder,
// which reports it.
func checkDuplicateKeys(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	type frame struct {
		object  bool
		wantKey bool // an object expects a key or its end
		keys    map[string]bool
		key     string // an object's current member
		index   int    // an array's next element
		path    string // the container's pointer
	}
	var stack []*frame
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	// valueDone moves the container on after one of its values.
	valueDone := func() {
		if f := top(); f != nil {
			if f.object {
				f.wantKey = true
			} else {
				f.index++
			}
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil // the end, or malformed JSON the decoder reports
		}
		f := top()
		if f != nil && f.object && f.wantKey {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				valueDone()
				continue
			}
			k, _ := tok.(string)
			if f.keys[k] {
				return bsk.Errors{bsk.Invalidf(f.path+"/"+escapePointer(k), "duplicate key %q", k)}
			}
			f.keys[k], f.key, f.wantKey = true, k, false
			continue
		}
		if tok == json.Delim(']') {
			stack = stack[:len(stack)-1]
			valueDone()
			continue
		}
		path := ""
		if f != nil {
			if f.object {
				path = f.path + "/" + escapePointer(f.key)
			} else {
				path = f.path + "/" + strconv.Itoa(f.index)
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxDepth {
				return bsk.Errors{bsk.Invalidf(path, "nested deeper than %d levels", maxDepth)}
			}
			obj := tok == json.Delim('{')
			stack = append(stack, &frame{object: obj, wantKey: obj, keys: map[string]bool{}, path: path})
		default:
			valueDone()
		}
	}
}

// escapePointer escapes a key as a JSON pointer token (RFC 6901).
func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// pageLimit reads ?limit=, default 50, at most 500.
func pageLimit(c echo.Context) (int, error) {
	s := c.QueryParam("limit")
	if s == "" {
		return defaultPage, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPage {
		return 0, bsk.Errors{bsk.Invalidf("limit", "must be a whole number from 1 to %d", maxPage)}
	}
	return n, nil
}

// Page is one page of a listing (see [service.Page]).
type Page[T any] = service.Page[T]

// unknownFieldPointer returns the JSON pointer of a key in the document b
// that the Go type t has no field for (the first in key order at the
// shallowest object that has one), or "" when there is none: the decoder's
// own error names the key but not where it is.
func unknownFieldPointer(b []byte, t reflect.Type) string {
	var doc any
	if json.Unmarshal(b, &doc) != nil {
		return ""
	}
	p, _ := unknownIn(doc, t, "")
	return p
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

func unknownIn(doc any, t reflect.Type, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "", false
	}
	switch v := doc.(type) {
	case map[string]any:
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range v {
				if !yield(k) {
					return
				}
			}
		})
		switch t.Kind() {
		case reflect.Map:
			for _, k := range keys {
				if p, ok := unknownIn(v[k], t.Elem(), path+"/"+escapePointer(k)); ok {
					return p, true
				}
			}
		case reflect.Struct:
			fields := jsonFields(t)
			for _, k := range keys {
				if _, ok := fieldFor(fields, k); !ok {
					return path + "/" + escapePointer(k), true
				}
			}
			for _, k := range keys {
				f, _ := fieldFor(fields, k)
				if p, ok := unknownIn(v[k], f, path+"/"+escapePointer(k)); ok {
					return p, true
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, x := range v {
				if p, ok := unknownIn(x, t.Elem(), path+"/"+strconv.Itoa(i)); ok {
					return p, true
				}
			}
		}
	}
	return "", false
}

// jsonFields maps the JSON names of a struct's fields, those of embedded
// structs included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for k, v := range jsonFields(ft) {
				if _, dup := out[k]; !dup {
					out[k] = v
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// fieldFor finds a key's field as encoding/json does: the exact name
// first, then without regard to case.
func fieldFor(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	if t, ok := fields[key]; ok {
		return t, true
	}
	for name, t := range fields {
		if strings.EqualFold(name, key) {
			return t, true
		}
	}
	return nil, false
}
