package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// QueuePreview is a reviewer's queue as staff preview it.
type QueuePreview = service.QueuePreview

// scholarshipPreviewRoutes: staff preview a reviewer's blind queue.
func (a *App) scholarshipPreviewRoutes(g *echo.Group) {
	g.GET("/programs/:id/cycles/:cycle/review-queue/preview", a.previewQueue, allow(service.PreviewRoles...))
}

// previewQueue is what the reviewer named by ?reviewer= would see in
// their blind queue (see [service.Scholarships.PreviewQueue]).
func (a *App) previewQueue(c echo.Context) error {
	q, err := a.svc.Scholarships.PreviewQueue(c.Request().Context(), cycleRef(c), c.QueryParam("reviewer"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}
