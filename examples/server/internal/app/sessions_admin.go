package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// WebSession describes a signed-in web session (see [service.WebSession]).
type WebSession = service.WebSession

// WebSessionList answers the listing, and the ending, of web sessions.
type WebSessionList struct {
	Sessions []WebSession `json:"sessions"`
}

// webSessionParams name whose web sessions: one of them, not both.
var webSessionParams = []param{queryString("key_id", "the API key whose sessions"), queryString("subject", "the single sign-on subject (the provider's sub claim) whose sessions")}

// webSessionRoutes serve the administrator's view of who is signed in to
// the web app, and ending a session before it expires.
func (a *App) webSessionRoutes(g *echo.Group) {
	admin := allow(RoleAdmin)
	g.GET("/web-sessions", a.listWebSessions, admin)
	g.DELETE("/web-sessions", a.endWebSessions, admin)
	g.DELETE("/web-sessions/:id", a.endWebSession, admin)
}

func webSessionFilter(c echo.Context) service.WebSessionFilter {
	return service.WebSessionFilter{KeyID: c.QueryParam("key_id"), Subject: c.QueryParam("subject")}
}

// listWebSessions lists the sessions that work now (see
// [service.Keys.WebSessions]).
func (a *App) listWebSessions(c echo.Context) error {
	list, err := a.svc.Keys.WebSessions(c.Request().Context(), webSessionFilter(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, WebSessionList{Sessions: list})
}

// endWebSessions ends every session of a key or a subject (see
// [service.Keys.EndWebSessions]).
func (a *App) endWebSessions(c echo.Context) error {
	list, err := a.svc.Keys.EndWebSessions(c.Request().Context(), webSessionFilter(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, WebSessionList{Sessions: list})
}

// endWebSession ends one session (see [service.Keys.EndWebSession]).
func (a *App) endWebSession(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	s, err := a.svc.Keys.EndWebSession(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}
