package app

import (
	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/store"
)

// auditRead records that the caller read personal or protected data:
// demographics, survey reports, decisions, rosters, dialogue runs. The
// entry names what was read, never its contents. A read whose audit entry
// cannot be written fails, so nothing protected leaves the server
// unrecorded.
func (a *App) auditRead(c echo.Context, entity, id string) error {
	ctx := c.Request().Context()
	return a.db.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, principal(c).KeyID, "read", entity, id)
	})
}
