package app

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// ReleaseRequest is the body of POST /imports/{id}/release: what may be
// published from an import, and under which disclosure standard.
type ReleaseRequest struct {
	// Standard names a preset: wa_doh, phskc, nchs, or unsuppressed
	// (administrators only; its figures are then readable by
	// administrators only).
	Standard string `json:"standard"`
	// Population is the eligible population's size; 0 means unknown.
	Population int `json:"population,omitempty"`
	// Race is how multi-race respondents count: alone_or_in_combination
	// (the default) or multiple.
	Race survey.RaceMode `json:"race,omitempty"`
	// Items may be published; empty means every item but free text and
	// numbers.
	Items []string `json:"items,omitempty"`
	// Breakdowns may be published, each a list of dimensions crossed.
	Breakdowns [][]survey.Dimension `json:"breakdowns,omitempty"`
	// Interval names the intervals' method: beta (Korn-Graubard on the
	// design-based effective n, R's svyciprop "beta"), logit, wilson or
	// clopper_pearson; empty takes beta for weighted or designed data and
	// wilson otherwise. Every published cell carries its standard error.
	Interval survey.Interval `json:"interval,omitempty"`
}

// ImportRelease is an import's release as stored with the import: set
// once, by an evaluator or an administrator.
type ImportRelease struct {
	ReleaseRequest
	ReleasedBy string    `json:"released_by"`
	ReleasedAt time.Time `json:"released_at"`
	// WithheldBreakdowns are the requested breakdowns that are not
	// published: with them a hidden cell could not be protected (see
	// survey.Publication.WithheldBreakdowns).
	WithheldBreakdowns [][]survey.Dimension `json:"withheld_breakdowns,omitempty"`
	// WithheldItems are the items not published at all.
	WithheldItems []string `json:"withheld_items,omitempty"`
}

// release turns the stored request into the library's release.
func (r ImportRelease) release() survey.Release {
	d := survey.Presets()[r.Standard]
	return survey.Release{Standard: d, Population: r.Population, Race: r.Race, Items: r.Items, Breakdowns: r.Breakdowns, Interval: r.Interval}
}

// postRelease sets an import's release, once: 201 with the import; 409
// when the import is not done or already released; 400 naming the field
// of a bad release (an unknown standard, item or dimension, more than
// survey.MaxBreakdowns breakdowns or survey.MaxDimensions dimensions in
// one, tables of more than survey.MaxReleaseCells cells); 403 for
// unsuppressed figures released by anyone but an administrator.
func (a *App) postRelease(c echo.Context) error {
	ctx := c.Request().Context()
	var req ReleaseRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	d, ok := survey.Presets()[req.Standard]
	if !ok {
		return bsk.Errors{bsk.Invalidf("standard", "unknown disclosure standard %q (wa_doh, phskc, nchs or unsuppressed)", req.Standard)}
	}
	if d.Off && principal(c).Role != RoleAdmin {
		return bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may release unsuppressed figures")
	}
	id := c.Param("id")
	imp, err := a.loadImport(ctx, id)
	if err != nil {
		return err
	}
	if imp.Release != nil {
		return bsk.Errorf(bsk.CodeConflict, "import %q was released by %s at %s; a release is set once", id, imp.Release.ReleasedBy, imp.Release.ReleasedAt.Format(time.RFC3339))
	}
	s, err := a.setOf(ctx, id)
	if err != nil {
		return err
	}
	rel := ImportRelease{ReleaseRequest: req, ReleasedBy: principal(c).KeyID, ReleasedAt: time.Now().UTC()}
	pub, err := s.Publish(rel.release())
	if err != nil {
		return err
	}
	rel.WithheldBreakdowns, rel.WithheldItems = pub.WithheldBreakdowns, pub.Withheld
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.Get(ctx, store.SurveyImports, id)
		if err != nil {
			return err
		}
		var cur SurveyImport
		if err := json.Unmarshal(rec.Doc, &cur); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored import %q: %w", id, err)
		}
		if cur.Release != nil {
			return bsk.Errorf(bsk.CodeConflict, "import %q was released meanwhile; a release is set once", id)
		}
		cur.Release = &rel
		b, _ := json.Marshal(cur)
		rec.Doc = b
		if err := tx.Update(ctx, store.SurveyImports, rec); err != nil {
			return err
		}
		imp = cur
		return tx.Audit(ctx, principal(c).KeyID, "release", "survey", id)
	})
	if err != nil {
		return err
	}
	a.sets.putPublication(id, pub)
	return c.JSON(http.StatusCreated, imp)
}

// publicationOf returns the published tables of the import the path
// names (see published).
func (a *App) publicationOf(c echo.Context) (*survey.Publication, error) {
	p, _, err := a.published(c, c.Param("id"))
	return p, err
}

// published returns a released import's published tables, computed once
// and cached, with the import: not found for an unknown import, 409 before
// the release, 403 to anyone but an administrator for an unsuppressed
// release.
func (a *App) published(c echo.Context, id string) (*survey.Publication, SurveyImport, error) {
	ctx := c.Request().Context()
	imp, err := a.loadImport(ctx, id)
	if err != nil {
		return nil, imp, err
	}
	if imp.Status != RunDone {
		return nil, imp, bsk.Errorf(bsk.CodeConflict, "import %q is %s; reports exist once it is done and released", id, imp.Status)
	}
	if imp.Release == nil {
		return nil, imp, bsk.Errorf(bsk.CodeConflict, "import %q is not released: nothing is published before an evaluator or administrator sets its release (POST /imports/%s/release)", id, id)
	}
	if imp.Release.Standard == "unsuppressed" && principal(c).Role != RoleAdmin {
		return nil, imp, bsk.Errorf(bsk.CodeUnauthorized, "import %q is released unsuppressed: only an administrator may read it", id)
	}
	if p := a.sets.publication(id); p != nil {
		return p, imp, nil
	}
	s, err := a.setOf(ctx, id)
	if err != nil {
		return nil, imp, err
	}
	p, err := s.Publish(imp.Release.release())
	if err != nil {
		return nil, imp, bsk.Errorf(bsk.CodeInternal, "stored release of import %q: %w", id, err)
	}
	a.sets.putPublication(id, p)
	return p, imp, nil
}

// fixedByRelease refuses the parameters a release fixes.
func fixedByRelease(c echo.Context) error {
	var list bsk.Errors
	for _, p := range []string{"standard", "population", "race", "interval"} {
		if _, ok := c.QueryParams()[p]; ok {
			list = append(list, bsk.Invalidf(p, "is fixed by the import's release (GET /imports/%s shows it): remove it", c.Param("id")))
		}
	}
	if len(list) > 0 {
		return list
	}
	return nil
}

// programWide refuses breakdowns of rankings and frequencies, which are
// published program-wide only.
func programWide(c echo.Context) error {
	if _, ok := c.QueryParams()["breakdown"]; ok {
		return bsk.Errors{bsk.Invalidf("breakdown", "rankings and frequencies are published program-wide only")}
	}
	return fixedByRelease(c)
}

// requestedBreakdowns parses ?breakdown= (repeatable, "race,place"
// crosses two) and refuses, before any work, more than
// survey.MaxBreakdowns breakdowns or survey.MaxDimensions dimensions in
// one.
func requestedBreakdowns(c echo.Context) ([][]survey.Dimension, error) {
	raw := c.QueryParams()["breakdown"]
	if len(raw) > survey.MaxBreakdowns {
		return nil, bsk.Errors{bsk.Invalidf("breakdown", "%d breakdowns requested; a request has at most %d", len(raw), survey.MaxBreakdowns)}
	}
	var out [][]survey.Dimension
	for _, b := range raw {
		parts := splitComma(b)
		if len(parts) > survey.MaxDimensions {
			return nil, bsk.Errors{bsk.Invalidf("breakdown", "%q crosses %d dimensions; a breakdown crosses at most %d", b, len(parts), survey.MaxDimensions)}
		}
		var dims []survey.Dimension
		for _, p := range parts {
			dims = append(dims, survey.Dimension(p))
		}
		out = append(out, dims)
	}
	return out, nil
}

// checkReleased refuses breakdowns and items the release does not
// publish, naming the parameter.
func checkReleased(p *survey.Publication, breakdowns [][]survey.Dimension, items []string) error {
	var list bsk.Errors
	for _, b := range breakdowns {
		switch {
		case p.Covers(b):
		case slices.ContainsFunc(p.WithheldBreakdowns, func(w []survey.Dimension) bool { return sameDims(w, b) }):
			list = append(list, bsk.Invalidf("breakdown", "breakdown %v is withheld: its tables cannot be published without revealing a hidden cell", b))
		default:
			list = append(list, bsk.Invalidf("breakdown", "breakdown %v is not in the import's release (releases: %v)", b, p.Release.Breakdowns))
		}
	}
	for _, it := range items {
		if !slices.ContainsFunc(p.Report.Tables, func(t survey.Table) bool { return t.Item == it }) {
			list = append(list, bsk.Invalidf("items", "item %q has no table in the import's release", it))
		}
	}
	if len(list) > 0 {
		return list
	}
	return nil
}

// sameDims reports whether two breakdowns cross the same dimensions, in
// any order.
func sameDims(a, b []survey.Dimension) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(d survey.Dimension) bool { return !slices.Contains(b, d) })
}
