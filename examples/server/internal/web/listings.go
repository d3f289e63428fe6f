package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

type importsPage struct {
	Imports []importRow
	Next    string
}

type importRow struct {
	ID, Instrument string
	Status         service.RunStatus
	Rows           int
	Started        string
	// Released is the release's standard in words, "" before a release.
	Released string
}

// imports lists the survey imports the caller may read (evaluators and
// staff), newest first within a page, each linked to its report once it
// is released.
func (w *Web) imports(c echo.Context) error {
	l := lang(c)
	page, err := w.svc.Surveys.Imports(c.Request().Context(), service.ListQuery{Cursor: c.QueryParam("cursor"), Limit: pageSize})
	if err != nil {
		return w.fail(c, err)
	}
	slices.Reverse(page.Items)
	out := importsPage{}
	for _, imp := range page.Items {
		row := importRow{ID: imp.ID, Instrument: imp.InstrumentID, Status: imp.Status, Rows: imp.Rows, Started: l.DateTime(imp.CreatedAt)}
		if imp.Release != nil {
			row.Released = l.standard(imp.Release.Standard)
		}
		out.Imports = append(out.Imports, row)
	}
	if page.NextCursor != "" {
		out.Next = Prefix + "/imports?cursor=" + urlQuery(page.NextCursor)
	}
	return w.render(c, http.StatusOK, "imports", "imports.title", out)
}
