package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// auditRead records that the caller read personal or protected data (see
// [service.Audit.Reads]).
func (a *App) auditRead(c echo.Context, entity, id string) error {
	return a.auditReads(c, entity, id)
}

// auditReads records reads of several records of one kind as one batch.
func (a *App) auditReads(c echo.Context, entity string, ids ...string) error {
	return a.svc.Audit.Reads(c.Request().Context(), entity, ids...)
}

// startReads queues the entries of reads and returns a function that waits
// for their commit.
func (a *App) startReads(c echo.Context, entity string, ids ...string) (wait func() error, err error) {
	return a.svc.Audit.StartReads(c.Request().Context(), entity, ids...)
}

// listAudit serves the audit log, newest first or with ?order=asc oldest
// first, each entry with its key's name and role.
func (a *App) listAudit(c echo.Context) error {
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	q := service.AuditQuery{Cursor: c.QueryParam("cursor"), Limit: limit}
	switch c.QueryParam("order") {
	case "", "desc":
	case "asc":
		q.OldestFirst = true
	default:
		return bsk.Errors{bsk.Invalidf("order", "%q is not asc or desc", c.QueryParam("order"))}
	}
	page, err := a.svc.Audit.Log(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// auditHead serves the chain's head, to be kept outside the database.
func (a *App) auditHead(c echo.Context) error {
	h, err := a.svc.Audit.Head(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}
