package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// The funds' types live in the service layer (see
// [service.Scholarships.CreateFunds] and [service.Scholarships.RunFunds]).
type (
	// FundsRequest defines a cycle's funds.
	FundsRequest = service.FundsRequest
	// CycleFunds is a cycle's funds as stored.
	CycleFunds = service.CycleFunds
	// RunFunds is a run's fund balances and steps as the reader may see them.
	RunFunds = service.RunFunds
	// FundView is one fund's balance and rule.
	FundView = service.FundView
)

// scholarshipFundRoutes: a cycle's funds (staff), and a run's balances
// and steps (staff; an agency its own staff's steps).
func (a *App) scholarshipFundRoutes(g *echo.Group) {
	staff := allow(RoleAdmin, RoleCoordinator)
	c := "/programs/:id/cycles/:cycle"
	g.GET("/programs/:id/funds", a.programFunds, staff)
	g.POST(c+"/funds", a.createFunds, staff)
	g.GET(c+"/funds", a.getFunds, staff)
	g.PUT(c+"/funds", a.updateFunds, staff)
	g.DELETE(c+"/funds", a.deleteFunds, staff)
	g.GET(c+"/runs/:run/funds", a.runFunds, allow(RoleAdmin, RoleCoordinator, RoleAgency))
}

func (a *App) programFunds(c echo.Context) error {
	page, err := a.svc.Scholarships.ProgramFunds(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *App) createFunds(c echo.Context) error {
	var req FundsRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	out, err := a.svc.Scholarships.CreateFunds(c.Request().Context(), cycleRef(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (a *App) getFunds(c echo.Context) error {
	out, err := a.svc.Scholarships.Funds(c.Request().Context(), cycleRef(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *App) updateFunds(c echo.Context) error {
	var req FundsRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	out, err := a.svc.Scholarships.UpdateFunds(c.Request().Context(), cycleRef(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *App) deleteFunds(c echo.Context) error {
	if err := a.svc.Scholarships.DeleteFunds(c.Request().Context(), cycleRef(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// runFunds is a run's fund balances and steps in the reader's language
// (see [service.Scholarships.RunFunds]).
func (a *App) runFunds(c echo.Context) error {
	l := lang(c)
	out, err := a.svc.Scholarships.RunFunds(c.Request().Context(), runRef(c), l)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", string(l))
	return c.JSON(http.StatusOK, out)
}
