package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// ReadyStatus answers /readyz: "ready", with the status of the database
// and of each plug-in in the catalog (name and status only).
type ReadyStatus struct {
	Status string               `json:"status"`
	Checks []service.ReadyCheck `json:"checks"`
}

// readyTimeout bounds a readiness check, plug-in pings included.
const readyTimeout = 3 * time.Second

// readyz answers 200 when the database and every enabled plug-in answer,
// and 503 naming the parts that do not.
func (a *App) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	checks := a.svc.Readiness(ctx)
	var down []string
	for _, ch := range checks {
		if !ch.OK {
			down = append(down, ch.Name+" "+ch.Status)
		}
	}
	if len(down) > 0 {
		// Rendered here: the error handler hides the message of a 5xx,
		// and this one names only parts and statuses.
		var body ErrorBody
		body.Error.Code = bsk.CodeInternal
		body.Error.Message = "not ready: " + strings.Join(down, "; ")
		body.Error.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		return c.JSON(http.StatusServiceUnavailable, body)
	}
	return c.JSON(http.StatusOK, ReadyStatus{Status: "ready", Checks: checks})
}
