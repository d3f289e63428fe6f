package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// surveyTrendRoutes registers the change between two released imports.
func (a *App) surveyTrendRoutes(g *echo.Group, readers echo.MiddlewareFunc) {
	g.GET("/imports/:id/trend", a.surveyTrend, readers)
	g.GET("/imports/:id/paired", a.surveyPaired, readers)
}

// surveyTrend gives the change of every cell between two released
// imports: GET /imports/{id}/trend?from={earlier import id}, with
// ?breakdown= (repeatable, "race,place" crosses two) and ?items= as the
// report. Both imports must be released, and their instruments must have
// the same item codes, each of the same kind: 400 naming "from"
// otherwise. 404 for an unknown import, 409 before either release, 400
// for a breakdown or item outside either release. Both reads are audited
// (see [service.Surveys.Trend]).
func (a *App) surveyTrend(c echo.Context) error {
	q := service.TrendQuery{Overrides: overrides(c), From: c.QueryParam("from"), Breakdowns: breakdowns(c)}
	if v := c.QueryParam("items"); v != "" {
		q.Items = splitComma(v)
	}
	tr, err := a.svc.Surveys.Trend(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tr)
}

// surveyPaired compares one item between two released imports of the same
// people: GET /imports/{id}/paired?before={import id}&item={code}, under
// the disclosure standard of the later import's ({id}'s) release. 400
// without before or item, or for an item either release does not
// publish; 404 for an unknown import or item; 409 before either release.
// Both reads are audited (see [service.Surveys.Paired]).
func (a *App) surveyPaired(c echo.Context) error {
	res, err := a.svc.Surveys.Paired(c.Request().Context(), c.Param("id"), service.PairedQuery{
		Overrides: overrides(c), Before: c.QueryParam("before"), Item: c.QueryParam("item"), Breakdowns: breakdowns(c)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
