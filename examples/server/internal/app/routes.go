package app

import (
	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// The workforce records' routes: each kind is a resource over its
// service (see [service.Workforce]).

func (a *App) organizationRoutes(g *echo.Group) {
	(&resource[bsk.Organization]{svc: a.svc.Workforce.Organizations, schema: "organization"}).register(g, "/organizations")
}

func (a *App) providerRoutes(g *echo.Group) {
	g.POST("/providers/import", a.importProviders, allow(service.Writers(store.Providers)...))
	(&resource[bsk.Provider]{svc: a.svc.Workforce.Providers, schema: "provider"}).register(g, "/providers")
}

func (a *App) offeringRoutes(g *echo.Group) {
	(&resource[bsk.Offering]{svc: a.svc.Workforce.Offerings, schema: "offering"}).register(g, "/offerings")
	(&resource[bsk.Session]{svc: a.svc.Workforce.Sessions, schema: "session"}).register(g, "/sessions")
	a.trainingRoutes(g)
}

func (a *App) attendanceRoutes(g *echo.Group) {
	r := &resource[bsk.Attendance]{svc: a.svc.Workforce.Attendance, schema: "attendance"}
	// Attendance IDs join the session and provider IDs, so records are
	// listed (?parent=<session id>) and created, not addressed one by one.
	g.GET("/attendance", r.list)
	g.POST("/attendance", r.create, allow(service.Writers(store.Attendance)...))
}
