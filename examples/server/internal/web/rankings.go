package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/survey"
)

// A release's rankings: each ranking item the release publishes, its
// options in Borda order with their points and top-three shares, or why
// it is hidden.

type rankingsPage struct {
	ImportID string
	// Shown is true once an import is read.
	Shown bool
	Items []rankingItem
}

type rankingItem struct {
	Code, Text  string
	Respondents int
	// Why says why the result is hidden, in the reader's language; ""
	// when it is shown.
	Why     string
	Options []rankedOption
}

type rankedOption struct {
	Place    int
	Label    string
	Tied     bool
	Points   int
	TopThree string
}

// rankings shows a released import's ranking items (evaluators and
// staff, as the service allows).
func (w *Web) rankings(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	out := rankingsPage{ImportID: strings.TrimSpace(c.QueryParam("import"))}
	if out.ImportID == "" {
		if _, err := w.svc.Surveys.Instruments(ctx); err != nil {
			return w.fail(c, err)
		}
		return w.render(c, http.StatusOK, "rankings", "rankings.title", out)
	}
	imp, err := w.svc.Surveys.Import(ctx, out.ImportID)
	if err != nil {
		return w.fail(c, err)
	}
	ins, err := w.svc.Surveys.Instrument(ctx, imp.InstrumentID)
	if err != nil {
		return w.fail(c, err)
	}
	out.Shown = true
	for _, it := range ins.Instrument.Items {
		if it.Kind != survey.Ranking {
			continue
		}
		r, err := w.svc.Surveys.Ranking(ctx, out.ImportID, it.Code, service.ItemQuery{})
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			continue // the release does not publish this item
		}
		if err != nil {
			return w.fail(c, err)
		}
		ri := rankingItem{Code: it.Code, Text: it.Text, Respondents: r.Respondents}
		if r.Suppressed {
			ri.Why = l.rule(r.Rule)
		}
		if !r.Suppressed {
			for _, o := range r.Options {
				ri.Options = append(ri.Options, rankedOption{Place: o.Place, Label: firstNonEmpty(o.Label, o.Code), Tied: o.Tied, Points: o.Points,
					TopThree: strconv.FormatFloat(o.TopThree, 'f', 1, 64)})
			}
		}
		out.Items = append(out.Items, ri)
	}
	return w.render(c, http.StatusOK, "rankings", "rankings.title", out)
}
