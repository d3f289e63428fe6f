package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

type equityPage struct {
	Program, Cycle, Run string
	// Asked is set once a run was asked for.
	Asked    bool
	Standard string
	// Total is every application once: applicants, eligible, awarded and
	// the amount, as words.
	Total      equityRow
	Dimensions []equityDimension
	// CSV and XLSX are the tables' downloads.
	CSV, XLSX string
}

type equityDimension struct {
	Name  string
	Rows  []equityRow
	Chart template.HTML
}

type equityRow struct {
	Group                         string
	Applicants, Eligible, Awarded equityFigure
	Amount                        string
	// Why says what the hidden figures' rule means; "" when none is hidden.
	Why string
}

// equityFigure is a count as shown: its text ("suppressed" when hidden)
// and, when shown, its value for the chart.
type equityFigure struct {
	Text string
	n    *int
}

// equity shows a scholarship run's equity summary by demographic group
// after disclosure control (staff only: the service decides), a table and
// a chart per dimension.
func (w *Web) equity(c echo.Context) error {
	out, err := w.equityOf(c)
	if err != nil {
		return w.fail(c, err)
	}
	l := lang(c)
	total := 0
	if out.Total.Applicants.n != nil {
		total = *out.Total.Applicants.n
	}
	for i := range out.Dimensions {
		out.Dimensions[i].Chart = l.equityChart(out.Dimensions[i], total, "equity-chart-"+strconv.Itoa(i))
	}
	return w.render(c, http.StatusOK, "equity", "equity.title", out)
}

// equityOf reads the equity summary the request asks for, as the page and
// its downloads show it.
func (w *Web) equityOf(c echo.Context) (equityPage, error) {
	l := lang(c)
	out := equityPage{Program: strings.TrimSpace(c.QueryParam("program")), Cycle: strings.TrimSpace(c.QueryParam("cycle")), Run: strings.TrimSpace(c.QueryParam("run"))}
	if out.Program == "" || out.Cycle == "" || out.Run == "" {
		return out, nil
	}
	out.Asked = true
	ref := service.RunRef{CycleRef: service.CycleRef{ProgramID: out.Program, CycleID: out.Cycle}, RunID: out.Run}
	eq, err := w.svc.Scholarships.Equity(c.Request().Context(), ref, service.EquityQuery{})
	if err != nil {
		return out, err
	}
	out.Standard = l.standard(eq.Disclosure)
	t := eq.Total
	out.Total = equityRow{Group: l.T("report.everyone"), Applicants: shownCount(t.Applicants), Eligible: shownCount(t.Eligible),
		Awarded: shownCount(t.Awarded), Amount: l.Dollars(int64(t.Amount))}
	at := map[string]int{}
	for _, r := range eq.Rows {
		i, ok := at[r.Dimension]
		if !ok {
			i = len(out.Dimensions)
			at[r.Dimension] = i
			out.Dimensions = append(out.Dimensions, equityDimension{Name: l.T("equity.dim." + r.Dimension)})
		}
		row := equityRow{Group: l.groupValue(r.Group), Applicants: l.figure(r.Applicants), Eligible: l.figure(r.Eligible), Awarded: l.figure(r.Awarded), Amount: l.T("report.suppressed")}
		if r.Amount != nil {
			row.Amount = l.Dollars(int64(*r.Amount))
		}
		for _, col := range []string{"applicants", "eligible", "awarded"} {
			if rule, ok := r.Hidden[col]; ok {
				row.Why = l.rule(rule)
				break
			}
		}
		out.Dimensions[i].Rows = append(out.Dimensions[i].Rows, row)
	}
	q := url.Values{"program": {out.Program}, "cycle": {out.Cycle}, "run": {out.Run}}.Encode()
	out.CSV, out.XLSX = Prefix+"/equity.csv?"+q, Prefix+"/equity.xlsx?"+q
	return out, nil
}

func shownCount(n int) equityFigure { return equityFigure{Text: strconv.Itoa(n), n: &n} }

// figure is a protected count: its number, or "suppressed".
func (l Lang) figure(n *int) equityFigure {
	if n == nil {
		return equityFigure{Text: l.T("report.suppressed")}
	}
	return shownCount(*n)
}
