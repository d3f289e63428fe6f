package app

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// surveyTrendRoutes registers the change between two released imports.
func (a *App) surveyTrendRoutes(g *echo.Group, readers echo.MiddlewareFunc) {
	g.GET("/imports/:id/trend", a.surveyTrend, readers)
	g.GET("/imports/:id/paired", a.surveyPaired, readers)
}

// releasedPublication is publicationOf for an import named by a query
// parameter: 404 naming the parameter for an unknown import, 409 before
// its release, 403 to anyone but an administrator for an unsuppressed
// release.
func (a *App) releasedPublication(c echo.Context, param, id string) (*survey.Publication, SurveyImport, error) {
	p, imp, err := a.published(c, id)
	switch bsk.ErrorCode(err) {
	case bsk.CodeNotFound:
		return nil, imp, bsk.NotFoundf(param, "no import %q (?%s=)", id, param)
	case bsk.CodeConflict:
		return nil, imp, bsk.Errorf(bsk.CodeConflict, "import %q (?%s=) is not released: a trend or a paired comparison uses released imports only", id, param)
	}
	return p, imp, err
}

// otherImport reads a required query parameter naming another import.
func otherImport(c echo.Context, param string) (string, error) {
	id := c.QueryParam(param)
	if id == "" {
		return "", bsk.Errors{bsk.Invalidf(param, "names the earlier import: ?%s={import id}", param)}
	}
	return id, nil
}

// sameItems reports whether two instruments have the same item codes,
// each of the same kind.
func sameItems(a, b survey.Instrument) bool {
	if len(a.Items) != len(b.Items) {
		return false
	}
	for _, it := range a.Items {
		o, ok := b.Item(it.Code)
		if !ok || o.Kind != it.Kind {
			return false
		}
	}
	return true
}

// surveyTrend gives the change of every cell between two released
// imports: GET /imports/{id}/trend?from={earlier import id}, with
// ?breakdown= (repeatable, "race,place" crosses two) and ?items= as the
// report. Both imports must be released, and their instruments must have
// the same item codes, each of the same kind (the instrument of each
// cycle has its own ID; its items stay the same): 400 naming "from"
// otherwise. Only the two releases' published figures are compared, so a
// cell hidden in either has no figure (survey.CompareReleases). 404 for
// an unknown import, 409 before either release, 400 for a breakdown or
// item outside either release. Both reads are audited.
func (a *App) surveyTrend(c echo.Context) error {
	if err := fixedByRelease(c); err != nil {
		return err
	}
	bds, err := requestedBreakdowns(c)
	if err != nil {
		return err
	}
	var items []string
	if v := c.QueryParam("items"); v != "" {
		items = splitComma(v)
	}
	fromID, err := otherImport(c, "from")
	if err != nil {
		return err
	}
	to, err := a.publicationOf(c)
	if err != nil {
		return err
	}
	from, _, err := a.releasedPublication(c, "from", fromID)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	fs, err := a.setOf(ctx, fromID)
	if err != nil {
		return err
	}
	ts, err := a.setOf(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if !sameItems(fs.Instrument(), ts.Instrument()) {
		return bsk.Errors{bsk.Invalidf("from", "import %q is of instrument %q, whose items differ from those of %q: a trend compares cycles of one instrument (the same item codes and kinds)",
			fromID, fs.Instrument().ID, ts.Instrument().ID)}
	}
	if err := checkReleased(to, bds, items); err != nil {
		return err
	}
	if err := checkReleased(from, bds, items); err != nil {
		return err
	}
	tr, err := survey.CompareReleases(from, to, items, bds)
	if err != nil {
		return err
	}
	if err := a.auditRead(c, "survey_report", c.Param("id")); err != nil {
		return err
	}
	if err := a.auditRead(c, "survey_report", fromID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tr)
}

// surveyPaired compares one item between two released imports of the same
// people: GET /imports/{id}/paired?before={import id}&item={code}, the
// respondents matched by ID (survey.ComparePaired), under the disclosure
// standard of the later import's ({id}'s) release. The item must be
// published with a table, not withheld, by both releases. 400 without
// before or item, or for an item either release does not publish; 404
// for an unknown import or item; 409 before either release. Both reads are audited.
func (a *App) surveyPaired(c echo.Context) error {
	if err := programWide(c); err != nil {
		return err
	}
	beforeID, err := otherImport(c, "before")
	if err != nil {
		return err
	}
	item := c.QueryParam("item")
	if item == "" {
		return bsk.Errors{bsk.Invalidf("item", "names the item to compare: ?item={code}")}
	}
	after, err := a.publicationOf(c)
	if err != nil {
		return err
	}
	before, _, err := a.releasedPublication(c, "before", beforeID)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	bs, err := a.setOf(ctx, beforeID)
	if err != nil {
		return err
	}
	as, err := a.setOf(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	for _, s := range []*survey.Set{bs, as} {
		if _, ok := s.Instrument().Item(item); !ok {
			return bsk.NotFoundf("item", "no item %q in instrument %q", item, s.Instrument().ID)
		}
	}
	for _, p := range []*survey.Publication{before, after} {
		switch {
		case slices.Contains(p.Withheld, item):
			return bsk.Errors{bsk.Invalidf("item", "item %q is withheld by a release: its figures cannot be published", item)}
		case !slices.ContainsFunc(p.Report.Tables, func(t survey.Table) bool { return t.Item == item }):
			return bsk.Errors{bsk.Invalidf("item", "item %q is not published with a table by both releases", item)}
		}
	}
	res, err := survey.ComparePaired(bs, as, item, after.Release.Standard)
	if err != nil {
		return err
	}
	if err := a.auditRead(c, "survey_report", c.Param("id")); err != nil {
		return err
	}
	if err := a.auditRead(c, "survey_report", beforeID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
