package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// ReleaseRequest is the body of POST /imports/{id}/release (see
// [service.ReleaseRequest]).
type ReleaseRequest = service.ReleaseRequest

// ImportRelease is an import's release as stored with the import (see
// [service.ImportRelease]).
type ImportRelease = service.ImportRelease

// postRelease sets an import's release, once: 201 with the import; 409
// when the import is not done or already released; 400 naming the field
// of a bad release; 403 for unsuppressed figures released by anyone but
// an administrator (see [service.Surveys.Release]).
func (a *App) postRelease(c echo.Context) error {
	var req ReleaseRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	imp, err := a.svc.Surveys.Release(c.Request().Context(), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, imp)
}
