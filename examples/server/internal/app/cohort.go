package app

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// The certificate cohort's types are the service's (see
// [service.Program.CreateCohort]).
type (
	// CohortRequest creates a certificate cohort with its modules.
	CohortRequest = service.CohortRequest
	// CohortView is a cohort as the caller may see it.
	CohortView = service.CohortView
	// CohortEnrolment asks for a provider's place in a cohort.
	CohortEnrolment = service.CohortEnrolment
	// CohortWithdrawal is a withdrawn registration and its promotions.
	CohortWithdrawal = service.CohortWithdrawal
	// CohortInterpretation is the interpreters to book for the modules.
	CohortInterpretation = service.CohortInterpretation
	// CohortCompletion is the participants' completion.
	CohortCompletion = service.CohortCompletion
)

// cohorts is the certificate cohorts' path under /api/v1.
const cohorts = programYear + "/cohorts"

// cohortRoutes serves the certificate cohorts over [service.Program].
func (a *App) cohortRoutes(g *echo.Group) {
	staff := allow(service.ProgramRoles...)
	agencies := allow(service.CohortRoles...)
	g.POST(cohorts, a.createCohort, staff)
	g.GET(cohorts+"/:id", a.getCohort, agencies)
	g.POST(cohorts+"/:id/enrolments", a.enrolCohort, agencies)
	g.DELETE(cohorts+"/:id/enrolments/:reg", a.withdrawCohort, agencies)
	g.GET(cohorts+"/:id/interpretation", a.cohortInterpretation, staff)
	g.GET(cohorts+"/:id/completion", a.cohortCompletion, agencies)
}

func (a *App) createCohort(c echo.Context) error {
	var req CohortRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	out, err := a.svc.Program.CreateCohort(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (a *App) getCohort(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Program.Cohort(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *App) enrolCohort(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req CohortEnrolment
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	out, err := a.svc.Program.Enrol(c.Request().Context(), id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (a *App) withdrawCohort(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Program.Withdraw(c.Request().Context(), id, c.Param("reg"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *App) cohortInterpretation(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	out, err := a.svc.Program.CohortInterpreters(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *App) cohortCompletion(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := asOfParam(c)
	if err != nil {
		return err
	}
	var asOf *time.Time
	if !t.IsZero() {
		asOf = &t
	}
	out, err := a.svc.Program.CohortCompletion(c.Request().Context(), id, asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
