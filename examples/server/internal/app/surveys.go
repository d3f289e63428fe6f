package app

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/survey"
)

// The survey routes: each handler parses the request, calls one method of
// [service.Surveys] (which owns who may import, release and read, the
// imports running in the background, the releases and the read audit)
// and renders its answer.

// StoredInstrument is a survey instrument as the server keeps it (see
// [service.StoredInstrument]).
type StoredInstrument = service.StoredInstrument

// SurveyImport is an import of survey responses (see
// [service.SurveyImport]).
type SurveyImport = service.SurveyImport

func (a *App) surveyRoutes(g *echo.Group) {
	editors := allow(service.SurveyEditors()...)
	readers := allow(service.SurveyReaders()...)
	g.POST("/instruments", a.postInstrument, editors)
	g.POST("/instruments/from-redcap", a.instrumentFromREDCap, editors)
	g.GET("/instruments", a.listInstruments, readers)
	g.GET("/instruments/:id", a.getInstrument, readers)
	g.POST("/instruments/:id/imports", a.startImport, editors)
	g.GET("/imports/:id", a.getImport, readers)
	g.POST("/imports/:id/release", a.postRelease, editors)
	g.GET("/imports/:id/report", a.surveyReport, readers)
	g.GET("/imports/:id/rankings/:item", a.surveyRanking, readers)
	g.GET("/imports/:id/frequencies/:item", a.surveyFrequencies, readers)
	a.surveyTrendRoutes(g, readers)
}

func (a *App) postInstrument(c echo.Context) error {
	var in survey.Instrument
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	si, err := a.svc.Surveys.CreateInstrument(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, si)
}

// instrumentFromREDCap builds an instrument from a REDCap data dictionary
// (the request body, CSV) with ?id= and optional ?cycle= and ?population=.
func (a *App) instrumentFromREDCap(c echo.Context) error {
	req := service.REDCapInstrument{ID: c.QueryParam("id"), Cycle: c.QueryParam("cycle"), Population: c.QueryParam("population")}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	si, err := a.svc.Surveys.InstrumentFromREDCap(c.Request().Context(), req, bytes.NewReader(body))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, si)
}

func (a *App) getInstrument(c echo.Context) error {
	si, err := a.svc.Surveys.Instrument(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, si)
}

func (a *App) listInstruments(c echo.Context) error {
	page, err := a.svc.Surveys.Instruments(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// startImport streams the uploaded file, up to the import limit, to the
// service, which imports it in the background; the import's status and
// progress are at /imports/{id}.
func (a *App) startImport(c echo.Context) error {
	req := service.ImportRequest{InstrumentID: c.Param("id"), Format: c.QueryParam("format"), Event: c.QueryParam("event")}
	if v := c.QueryParam("skip_bad_rows"); v != "" {
		skip, err := strconv.ParseBool(v)
		if err != nil {
			return bsk.Errors{bsk.Invalidf("skip_bad_rows", "%q is not true or false", v)}
		}
		req.SkipBadRows = skip
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, parseLimit(a.cfg.ImportLimit))
	imp, err := a.svc.Surveys.StartImport(c.Request().Context(), req, body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the file is larger than the import limit")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, imp)
}

func (a *App) getImport(c echo.Context) error {
	imp, err := a.svc.Surveys.Import(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, imp)
}

// surveyReport gives a released import's tables: ?breakdown=race
// (repeatable; "race,place" crosses two), each one of the release's;
// ?items=a,b; ?format=csv. The standard, population, race mode and
// interval are the release's: ?standard=, ?population=, ?race= and
// ?interval= are refused. Every read is audited.
func (a *App) surveyReport(c echo.Context) error {
	q := service.ReportQuery{Overrides: overrides(c), Breakdowns: breakdowns(c)}
	if v := c.QueryParam("items"); v != "" {
		q.Items = splitComma(v)
	}
	rep, err := a.svc.Surveys.Report(c.Request().Context(), c.Param("id"), q)
	if err != nil {
		return err
	}
	if c.QueryParam("format") == "csv" {
		c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		c.Response().Header().Set("Content-Disposition", `attachment; filename="`+c.Param("id")+`.csv"`)
		c.Response().WriteHeader(http.StatusOK)
		return rep.WriteCSV(c.Response())
	}
	return c.JSON(http.StatusOK, rep)
}

// surveyRanking gives a released ranking item's result; audited.
func (a *App) surveyRanking(c echo.Context) error {
	r, err := a.svc.Surveys.Ranking(c.Request().Context(), c.Param("id"), c.Param("item"),
		service.ItemQuery{Overrides: overrides(c), Breakdowns: breakdowns(c)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// surveyFrequencies gives a released multi-select item's frequencies;
// audited.
func (a *App) surveyFrequencies(c echo.Context) error {
	f, err := a.svc.Surveys.Frequencies(c.Request().Context(), c.Param("id"), c.Param("item"),
		service.ItemQuery{Overrides: overrides(c), Breakdowns: breakdowns(c)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// overrides are the parameters a release fixes that the request sets,
// for the service to refuse.
func overrides(c echo.Context) service.Overrides {
	param := func(name string) *string {
		v, ok := c.QueryParams()[name]
		if !ok {
			return nil
		}
		s := strings.Join(v, ",")
		return &s
	}
	return service.Overrides{Standard: param("standard"), Population: param("population"), Race: param("race"), Interval: param("interval")}
}

// breakdowns parses ?breakdown= (repeatable, "race,place" crosses two);
// nil when the request has none. The service bounds them.
func breakdowns(c echo.Context) [][]survey.Dimension {
	raw, ok := c.QueryParams()["breakdown"]
	if !ok {
		return nil
	}
	out := make([][]survey.Dimension, 0, len(raw))
	for _, b := range raw {
		var dims []survey.Dimension
		for _, p := range splitComma(b) {
			dims = append(dims, survey.Dimension(p))
		}
		out = append(out, dims)
	}
	return out
}

// splitComma splits a list parameter, trimming spaces.
func splitComma(v string) []string {
	parts := strings.Split(v, ",")
	for k := range parts {
		parts[k] = strings.TrimSpace(parts[k])
	}
	return parts
}

// recoverImports marks imports left running by a previous process failed
// and removes the uploads a crash left behind (see
// [service.Surveys.RecoverImports]).
func (a *App) recoverImports(ctx context.Context) error {
	return a.svc.Surveys.RecoverImports(service.WithPrincipal(ctx, service.System))
}
