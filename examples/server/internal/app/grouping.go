package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// The grouping runs' types are the service's (see [service.Grouping]).
type (
	// RunStatus is where a background run stands.
	RunStatus = service.RunStatus
	// GroupingRunRequest asks for a grouping run.
	GroupingRunRequest = service.GroupingRunRequest
	// RegroupRequest re-forms a finished run's groups.
	RegroupRequest = service.RegroupRequest
	// GroupingRun is a grouping run.
	GroupingRun = service.GroupingRun
	// RunProgress is a search's progress.
	RunProgress = service.RunProgress
	// Roster is one group as a consultant sees it.
	Roster = service.Roster
	// RosterMember is a member of a roster.
	RosterMember = service.RosterMember
)

// The run statuses (see [service.RunStatus]).
const (
	RunQueued    = service.RunQueued
	RunRunning   = service.RunRunning
	RunDone      = service.RunDone
	RunFailed    = service.RunFailed
	RunCancelled = service.RunCancelled
)

// groupingRoutes serves grouping runs over [service.Grouping].
func (a *App) groupingRoutes(g *echo.Group) {
	runners := allow(service.RunRoles...)
	g.POST("/grouping-runs", a.createGroupingRun, runners)
	g.GET("/grouping-runs", a.listGroupingRuns, runners)
	g.GET("/grouping-runs/:id", a.getGroupingRun, runners)
	g.POST("/grouping-runs/:id/cancel", a.cancelGroupingRun, runners)
	g.POST("/grouping-runs/:id/regroup", a.regroup, runners)
	g.GET("/grouping-runs/:id/rosters", a.rosters, allow(service.RosterRoles...))
}

// queueFull answers a run refused because the queue is full with 429.
func queueFull(err error) error {
	var qf *service.QueueFullError
	if errors.As(err, &qf) {
		return echo.NewHTTPError(http.StatusTooManyRequests, qf.Message)
	}
	return err
}

func (a *App) createGroupingRun(c echo.Context) error {
	var req GroupingRunRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	run, err := a.svc.Grouping.Start(c.Request().Context(), req)
	if err != nil {
		return queueFull(err)
	}
	return runJSON(c, http.StatusAccepted, run)
}

func (a *App) getGroupingRun(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	run, err := a.svc.Grouping.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return runJSON(c, http.StatusOK, run)
}

// listGroupingRuns lists runs without their solutions.
func (a *App) listGroupingRuns(c echo.Context) error {
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	page, err := a.svc.Grouping.List(c.Request().Context(), service.ListQuery{Cursor: c.QueryParam("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	l := string(lang(c))
	for i, run := range page.Items {
		page.Items[i] = run.In(l)
	}
	c.Response().Header().Set("Content-Language", l)
	return c.JSON(http.StatusOK, page)
}

// cancelGroupingRun answers 200 for a queued run (cancelled at once) and
// 202 for a running one (cancelling).
func (a *App) cancelGroupingRun(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	res, err := a.svc.Grouping.Cancel(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if res.Status == service.RunCancelling {
		return c.JSON(http.StatusAccepted, res)
	}
	return c.JSON(http.StatusOK, res)
}

func (a *App) regroup(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req RegroupRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	run, err := a.svc.Grouping.Regroup(c.Request().Context(), id, req)
	if err != nil {
		return queueFull(err)
	}
	return runJSON(c, http.StatusAccepted, run)
}

// rosters lists a finished run's groups with names, and why a group has
// no consultant or a member no group, in the reader's language; a
// consultant sees only the groups they lead.
func (a *App) rosters(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	rs, err := a.svc.Grouping.Rosters(c.Request().Context(), id)
	if err != nil {
		return err
	}
	l := string(lang(c))
	c.Response().Header().Set("Content-Language", l)
	return c.JSON(http.StatusOK, rs.In(l))
}

// runJSON answers a run with its reasons' texts in the reader's language
// (Accept-Language, as [lang] reads it).
func runJSON(c echo.Context, status int, run GroupingRun) error {
	l := string(lang(c))
	c.Response().Header().Set("Content-Language", l)
	return c.JSON(status, run.In(l))
}
