package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// RegistrationRequest asks for a seat (see [service.RegistrationRequest]).
type RegistrationRequest = service.RegistrationRequest

// TrainingRoster is an offering's registrations as the caller may see them
// (see [service.TrainingRoster]).
type TrainingRoster = service.TrainingRoster

// RegistrationCancel is a cancelled registration and the promotions the
// caller may see (see [service.RegistrationCancel]).
type RegistrationCancel = service.RegistrationCancel

// trainingRoutes registers the trainings' routes (see [service.Trainings]).
func (a *App) trainingRoutes(g *echo.Group) {
	registrants := allow(RoleAdmin, RoleCoordinator, RoleAgency)
	g.POST("/offerings/:id/registrations", a.register, registrants)
	g.GET("/offerings/:id/registrations", a.roster, registrants)
	g.DELETE("/offerings/:id/registrations/:reg", a.cancelRegistration, registrants)
	g.GET("/providers/:id/transcript", a.transcript, allow(RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant))
	g.GET("/offerings/:id/audience", a.audience, registrants)
	g.PUT("/offerings/:id/audience", a.setAudience, allow(RoleAdmin, RoleCoordinator))
	g.GET("/providers/:id/progress", a.progress, allow(RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant))
	g.GET("/organizations/:id/progress", a.organizationProgress, registrants)
	g.GET("/trainings/reach", a.reach, allow(RoleAdmin, RoleCoordinator))
	g.POST("/sessions/:id/attendance/zoom", a.importZoom, allow(RoleAdmin, RoleCoordinator))
	g.GET("/offerings/:id/interpretation", a.interpretation, allow(RoleAdmin, RoleCoordinator))
}

// interpretation plans an offering's interpreters: GET
// /offerings/{id}/interpretation (?deadline_days= the days before a
// session to book by, 14 by default).
func (a *App) interpretation(c echo.Context) error {
	days := 0
	if v := c.QueryParam("deadline_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return bsk.Errors{bsk.Invalidf("deadline_days", "%q is not a whole number", v)}
		}
		days = n
	}
	plan, err := a.svc.Trainings.Interpretation(c.Request().Context(), c.Param("id"), days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, plan)
}

// ZoomImport is what an import of a participants report stored (see
// [service.ZoomImport]).
type ZoomImport = service.ZoomImport

// importZoom reads a meeting's participants report (text/csv) for a
// session: POST /sessions/{id}/attendance/zoom, ?time_zone= the IANA zone
// of the report's times (UTC by default). 201 with what was stored and the
// rows left for review; 400 with every problem of the report (nothing
// stored); 404 for an unknown session; 409 when a provider already has
// attendance in the session (nothing stored).
func (a *App) importZoom(c echo.Context) error {
	loc := time.UTC
	if tz := c.QueryParam("time_zone"); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return bsk.Errors{bsk.Invalidf("time_zone", "unknown time zone %q", tz)}
		}
		loc = l
	}
	res, err := a.svc.Trainings.ImportZoom(c.Request().Context(), c.Param("id"), c.Request().Body, loc)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// register gives a provider a seat in an offering, or a place on its
// waitlist: POST /offerings/{id}/registrations with a
// [RegistrationRequest]. 201 with the registration and its status; 400
// with one problem per reason when the offering's rules refuse; 404 for an
// offering, session or provider the caller may not see; 409 when the
// provider is already registered or waiting.
func (a *App) register(c echo.Context) error {
	var req RegistrationRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	reg, err := a.svc.Trainings.Register(service.WithLanguage(c.Request().Context(), lang(c)), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, reg)
}

// roster lists an offering's registrations (?session= for one session's)
// as the caller may see them, with the seats held and the waitlist's
// length.
func (a *App) roster(c echo.Context) error {
	r, err := a.svc.Trainings.Roster(c.Request().Context(), c.Param("id"), bsk.SessionID(c.QueryParam("session")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// cancelRegistration withdraws a registration: DELETE
// /offerings/{id}/registrations/{reg}. 200 with the registration and the
// promotions the caller may see; 404 for a registration the caller may
// not see; 409 for one already cancelled.
func (a *App) cancelRegistration(c echo.Context) error {
	r, err := a.svc.Trainings.Cancel(c.Request().Context(), c.Param("id"), c.Param("reg"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// transcript returns a provider's transcript: GET /providers/{id}/transcript.
func (a *App) transcript(c echo.Context) error {
	t, err := a.svc.Trainings.Transcript(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// OfferingAudience is who may join an offering (see
// [service.OfferingAudience]).
type OfferingAudience = service.OfferingAudience

// audience returns an offering's audience: GET /offerings/{id}/audience.
func (a *App) audience(c echo.Context) error {
	au, err := a.svc.Trainings.Audience(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, au)
}

// setAudience replaces an offering's audience: PUT
// /offerings/{id}/audience with an [OfferingAudience] (its periods; none
// removes the rule). 200 with what is stored; 400 naming the field.
func (a *App) setAudience(c echo.Context) error {
	var req OfferingAudience
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	au, err := a.svc.Trainings.SetAudience(c.Request().Context(), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, au)
}

// ProviderProgress is a provider's endorsement progress (see
// [service.ProviderProgress]).
type ProviderProgress = service.ProviderProgress

// ProgressList is the endorsement progress of an organization's staff (see
// [service.ProgressList]).
type ProgressList = service.ProgressList

// asOfParam reads ?as_of=, a date ("2026-06-30") or an RFC 3339 time
// ("2026-06-30T00:00:00Z"); the zero time when absent, which each caller
// reads as now.
func asOfParam(c echo.Context) (time.Time, error) {
	v := c.QueryParam("as_of")
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, bsk.Errors{bsk.Invalidf("as_of", "%q is neither a date such as 2027-06-30 nor an RFC 3339 time such as 2027-06-30T00:00:00Z", v)}
	}
	return t, nil
}

// progress returns a provider's endorsement progress: GET
// /providers/{id}/progress (?as_of= a date, today by default).
func (a *App) progress(c echo.Context) error {
	asOf, err := asOfParam(c)
	if err != nil {
		return err
	}
	p, err := a.svc.Trainings.Progress(c.Request().Context(), c.Param("id"), asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// organizationProgress returns the endorsement progress of an
// organization's staff: GET /organizations/{id}/progress (?as_of= a date).
func (a *App) organizationProgress(c echo.Context) error {
	asOf, err := asOfParam(c)
	if err != nil {
		return err
	}
	l, err := a.svc.Trainings.OrganizationProgress(c.Request().Context(), c.Param("id"), asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// reach reports who the trainings reach and keep: GET /trainings/reach
// (?kind= repeatable: the offering kinds counted, trainings by default),
// every table suppressed.
func (a *App) reach(c echo.Context) error {
	var kinds []bsk.OfferingKind
	for _, k := range c.QueryParams()["kind"] {
		kinds = append(kinds, bsk.OfferingKind(k))
	}
	r, err := a.svc.Trainings.Reach(c.Request().Context(), kinds)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
