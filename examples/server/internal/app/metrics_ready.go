package app

import (
	"context"
	"net/http"
	"strings"
	"sync"
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

// readyCache keeps the last readiness result for a while, so that a storm
// of probes checks the database and pings the plug-ins once, not once per
// probe. Probes that arrive while a check runs wait for its result instead
// of starting checks of their own.
type readyCache struct {
	keep  time.Duration
	check func(context.Context) []service.ReadyCheck

	mu     sync.Mutex // held while a check runs
	at     time.Time
	checks []service.ReadyCheck
}

// get returns a result no older than keep, checking anew when there is
// none. The check runs under its own deadline, not the probe's: a probe
// that gives up does not fail the result the others wait for.
func (r *readyCache) get() []service.ReadyCheck {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.checks != nil && r.keep > 0 && time.Since(r.at) < r.keep {
		return r.checks
	}
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	r.checks, r.at = r.check(ctx), time.Now()
	return r.checks
}

// readyz answers 200 when the database and every enabled plug-in answer,
// and 503 naming the parts that do not. The answer is kept for cache
// (see [Config.ReadyCache]).
func (a *App) readyz(cache time.Duration) echo.HandlerFunc {
	rc := &readyCache{keep: cache, check: a.svc.Readiness}
	return func(c echo.Context) error {
		checks := rc.get()
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
}
