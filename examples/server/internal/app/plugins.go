package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// PluginStatus describes one catalog entry for administrators.
type PluginStatus = service.PluginStatus

// PluginHealth is the answer of a health check.
type PluginHealth = service.PluginHealth

func (a *App) pluginRoutes(g *echo.Group) {
	g.GET("/plugins", a.listPlugins, allow(RoleAdmin))
	g.GET("/plugins/:name/health", a.pluginHealth, allow(RoleAdmin))
}

func (a *App) listPlugins(c echo.Context) error {
	out, err := a.svc.Plugins.Status(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"plugins": out})
}

func (a *App) pluginHealth(c echo.Context) error {
	h, err := a.svc.Plugins.Health(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}
