package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// status maps the library's error codes to HTTP status. It is the only
// place that does.
var status = map[bsk.Code]int{
	bsk.CodeInvalid:      http.StatusBadRequest,
	bsk.CodeNotFound:     http.StatusNotFound,
	bsk.CodeConflict:     http.StatusConflict,
	bsk.CodeUnauthorized: http.StatusForbidden,
	bsk.CodeInternal:     http.StatusInternalServerError,
	bsk.CodeRateLimited:  http.StatusTooManyRequests,
}

// defaultRetryAfter is the Retry-After, in seconds, of a 429 whose
// handler named no wait of its own (a full run queue frees as runs end,
// which no one can foretell).
const defaultRetryAfter = "5"

// errUnauthenticated is a missing or unknown API key: 401, not 403.
var errUnauthenticated = service.ErrUnauthenticated

// Problem is one problem in an error response.
type Problem struct {
	// Field is the JSON pointer or field path of the offending value.
	Field string `json:"field"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error struct {
		// Code is one of invalid, not_found, conflict, unauthorized,
		// internal, rate_limited (with status 429 and Retry-After).
		Code bsk.Code `json:"code"`
		// Message summarizes the error.
		Message string `json:"message"`
		// Problems lists every problem, for invalid input.
		Problems []Problem `json:"problems,omitempty"`
		// RequestID identifies the request in the server's logs.
		RequestID string `json:"request_id,omitempty"`
	} `json:"error"`
}

// errorHandler renders every error as an [ErrorBody]. Library errors map by
// code; Echo's own errors (unknown route, body too large, a limit's 429)
// keep their status; anything else is a 500 whose details go to the log,
// never to the client. Every 429 carries Retry-After.
func errorHandler(log zerolog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var body ErrorBody
		body.Error.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		code := http.StatusInternalServerError
		var he *echo.HTTPError
		var list bsk.Errors
		var be *bsk.Error
		switch {
		case errors.Is(err, errUnauthenticated):
			code = http.StatusUnauthorized
			body.Error.Code = bsk.CodeUnauthorized
			body.Error.Message = err.Error()
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="workforce"`)
		case errors.As(err, &he):
			code = he.Code
			body.Error.Code = codeForStatus(code)
			body.Error.Message = http.StatusText(code)
			if m, ok := he.Message.(string); ok && code < 500 {
				body.Error.Message = m
			}
		case errors.As(err, &list) && len(list) > 0:
			body.Error.Code = list[0].Code
			code = status[list[0].Code]
			body.Error.Message = "the request has problems"
			for _, e := range list {
				body.Error.Problems = append(body.Error.Problems, Problem{e.Field, e.Message})
			}
		case errors.As(err, &be):
			body.Error.Code = be.Code
			code = status[be.Code]
			body.Error.Message = be.Error()
		default:
			body.Error.Code = bsk.CodeInternal
		}
		if code >= 500 {
			log.Error().Err(err).Str("request_id", body.Error.RequestID).Msg("internal error")
			body.Error.Code = bsk.CodeInternal
			body.Error.Message = "internal error"
			body.Error.Problems = nil
		}
		if code == http.StatusTooManyRequests && c.Response().Header().Get("Retry-After") == "" {
			// Every 429 says when to try again.
			c.Response().Header().Set("Retry-After", defaultRetryAfter)
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(code)
			return
		}
		c.JSON(code, body)
	}
}

func codeForStatus(s int) bsk.Code {
	switch {
	case s == http.StatusNotFound || s == http.StatusMethodNotAllowed:
		return bsk.CodeNotFound
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return bsk.CodeUnauthorized
	case s == http.StatusConflict:
		return bsk.CodeConflict
	case s == http.StatusTooManyRequests:
		return bsk.CodeRateLimited
	case s < 500:
		return bsk.CodeInvalid
	}
	return bsk.CodeInternal
}
