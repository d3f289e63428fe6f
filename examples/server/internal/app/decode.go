package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
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

func unmarshalStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return bsk.Errors{bsk.Invalidf("", "malformed JSON: %v", err)}
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

// Page is a list response. NextCursor, when not empty, is passed as
// ?cursor= to get the next page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}
