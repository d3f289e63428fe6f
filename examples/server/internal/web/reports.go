package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/survey"
)

type reportPage struct {
	// ImportID and By are what was asked for; Breakdowns what the release
	// publishes, each as its dimensions joined by "+".
	ImportID   string
	By         string
	Breakdowns []string
	Standard   string
	Tables     []reportTable
	Sentences  []string
	// CSV and XLSX are the tables' downloads.
	CSV, XLSX string
}

type reportTable struct {
	Caption string
	Dims    []string
	Rows    []reportRow
	// Chart draws the rows' estimates with their intervals.
	Chart template.HTML
}

type reportRow struct {
	Group    []string
	N        string
	Percent  string
	Interval string
	// Hidden is "suppressed" (or the range) in words; Why its rule's
	// meaning, in the reader's language.
	Hidden string
	Why    string
	// pct, low and high are the shown figures the chart draws; nil for a
	// hidden cell.
	pct, low, high *float64
}

// report shows a released survey's tables, total or by one of the
// release's breakdowns. A hidden cell reads "suppressed" with what the
// rule means, never a figure or a bar.
func (w *Web) report(c echo.Context) error {
	out, err := w.reportOf(c)
	if err != nil {
		return w.fail(c, err)
	}
	q := url.Values{"import": {out.ImportID}, "by": {out.By}}.Encode()
	out.CSV, out.XLSX = Prefix+"/reports.csv?"+q, Prefix+"/reports.xlsx?"+q
	for i := range out.Tables {
		out.Tables[i].Chart = lang(c).surveyChart(out.Tables[i], "chart-"+strconv.Itoa(i))
	}
	return w.render(c, http.StatusOK, "report", "report.title", out)
}

// reportOf reads the report the request asks for, as the page and its
// downloads show it; no import asked for gives an empty page.
func (w *Web) reportOf(c echo.Context) (reportPage, error) {
	ctx, l := c.Request().Context(), lang(c)
	out := reportPage{ImportID: strings.TrimSpace(c.QueryParam("import")), By: c.QueryParam("by")}
	if out.ImportID == "" {
		return out, nil
	}
	imp, err := w.svc.Surveys.Import(ctx, out.ImportID)
	if err != nil {
		return out, err
	}
	if imp.Release == nil {
		return out, bsk.Errorf(bsk.CodeConflict, "import %q is not released yet: nothing of it is published", out.ImportID)
	}
	out.Standard = l.standard(imp.Release.Standard)
	for _, b := range imp.Release.Breakdowns {
		out.Breakdowns = append(out.Breakdowns, joinDims(b))
	}
	var q service.ReportQuery
	if out.By != "" {
		var dims []survey.Dimension
		for _, d := range strings.Split(out.By, "+") {
			dims = append(dims, survey.Dimension(d))
		}
		q.Breakdowns = [][]survey.Dimension{dims}
	}
	rep, err := w.svc.Surveys.Report(ctx, out.ImportID, q)
	if err != nil {
		return out, err
	}
	for _, t := range rep.Tables {
		rt := reportTable{Caption: t.Text}
		for _, d := range t.Dimensions {
			rt.Dims = append(rt.Dims, l.T("dim."+string(d)))
		}
		for _, cell := range t.Cells {
			row := reportRow{N: intText(cell.N)}
			for _, g := range cell.Group {
				row.Group = append(row.Group, l.groupValue(g))
			}
			switch {
			case cell.Suppressed:
				row.Hidden, row.Why = l.T("report.suppressed"), l.rule(cell.Rule)
			case cell.Range != "":
				row.Hidden, row.Why = cell.Range, l.rule(cell.Rule)
			default:
				if cell.Percent != nil {
					row.Percent = strconv.FormatFloat(*cell.Percent, 'f', 1, 64) + "%"
					row.pct = cell.Percent
				}
				if cell.Low != nil && cell.High != nil {
					row.low, row.high = cell.Low, cell.High
					row.Interval = strconv.FormatFloat(*cell.Low, 'f', 1, 64) + "–" + strconv.FormatFloat(*cell.High, 'f', 1, 64) + "%"
				}
			}
			rt.Rows = append(rt.Rows, row)
		}
		out.Tables = append(out.Tables, rt)
	}
	if l == English {
		for _, s := range rep.Sentences {
			out.Sentences = append(out.Sentences, s.Sentence)
		}
	}
	return out, nil
}

func joinDims(ds []survey.Dimension) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, "+")
}

func intText(n *int) string {
	if n == nil {
		return "—"
	}
	return strconv.Itoa(*n)
}

// groupValue names a breakdown's value: "" is everyone (a margin); race
// codes have names; other values (places) are shown as recorded, with
// underscores as spaces.
func (l Lang) groupValue(v string) string {
	if v == "" {
		return l.T("report.everyone")
	}
	if _, ok := catalog[English]["race."+v]; ok {
		return l.T("race." + v)
	}
	return strings.ReplaceAll(v, "_", " ")
}

// standard names a disclosure standard.
func (l Lang) standard(code string) string {
	if _, ok := catalog[English]["standard."+code]; ok {
		return l.T("standard." + code)
	}
	return code
}

// rule says what a published cell's rule ("wa_doh:suppressed") means.
func (l Lang) rule(rule string) string {
	std, reason, _ := strings.Cut(rule, ":")
	name := l.standard(std)
	for _, prefix := range []string{"pairs_under_", "count_under_", "respondents_under_"} {
		if n, ok := strings.CutPrefix(reason, prefix); ok {
			if _, err := strconv.Atoi(n); err == nil {
				return l.T("rule."+strings.TrimSuffix(prefix, "_"), name, n)
			}
		}
	}
	switch reason {
	case survey.RuleTopCoded, survey.RuleSuppressed:
		return l.T("rule."+reason, name)
	}
	return l.T("rule.other", name)
}

// Dims names a breakdown written as its dimensions joined by "+".
func (l Lang) Dims(joined string) string {
	parts := strings.Split(joined, "+")
	for i, d := range parts {
		parts[i] = l.T("dim." + d)
	}
	return strings.Join(parts, " × ")
}
