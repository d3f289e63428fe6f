package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

type decisionsPage struct {
	Program, Cycle, Run string
	Decisions           []decisionRow
	Next                string
	// CSV and XLSX are every decision's downloads; Equity the run's equity
	// page (staff).
	CSV, XLSX, Equity string
	// cursor continues after this page.
	cursor string
}

type decisionRow struct {
	Applicant string
	Outcome   string
	Award     string
	Texts     []string
}

// decisions shows a scholarship run's decisions a page at a time: who,
// the outcome, the award in dollars and the reasons in the reader's
// language, as the service writes them.
func (w *Web) decisions(c echo.Context) error {
	out, err := w.decisionsOf(c, c.QueryParam("cursor"), pageSize, nil)
	if err != nil {
		return w.fail(c, err)
	}
	if out.cursor != "" {
		out.Next = Prefix + "/scholarships?" + url.Values{"program": {out.Program}, "cycle": {out.Cycle}, "run": {out.Run}, "cursor": {out.cursor}}.Encode()
	}
	if out.Run != "" {
		q := url.Values{"program": {out.Program}, "cycle": {out.Cycle}, "run": {out.Run}}.Encode()
		out.CSV, out.XLSX = Prefix+"/scholarships.csv?"+q, Prefix+"/scholarships.xlsx?"+q
		if who(c).IsStaff() {
			out.Equity = Prefix + "/equity?" + q
		}
	}
	return w.render(c, http.StatusOK, "decisions", "decisions.title", out)
}

// decisionsOf reads a page of the decisions the request names, after
// cursor, as the page and its download show them; without a run named it
// gives an empty page. names holds the applicants' names by application,
// read from the service when nil (and filled in).
func (w *Web) decisionsOf(c echo.Context, cursor string, limit int, names map[string]string) (decisionsPage, error) {
	ctx, l := c.Request().Context(), lang(c)
	out := decisionsPage{Program: strings.TrimSpace(c.QueryParam("program")), Cycle: strings.TrimSpace(c.QueryParam("cycle")), Run: strings.TrimSpace(c.QueryParam("run"))}
	if out.Program == "" || out.Cycle == "" || out.Run == "" {
		out.Run = ""
		return out, nil
	}
	ref := service.RunRef{CycleRef: service.CycleRef{ProgramID: out.Program, CycleID: out.Cycle}, RunID: out.Run}
	text := scholarship.EnglishText
	if l == Spanish {
		text = scholarship.SpanishText
	}
	page, err := w.svc.Scholarships.Decisions(ctx, ref, service.DecisionQuery{Cursor: cursor, Limit: limit, Lang: text})
	if err != nil {
		return out, err
	}
	if len(names) == 0 {
		apps, err := w.svc.Scholarships.Applications(ctx, ref.CycleRef)
		if err != nil {
			return out, err
		}
		if names == nil {
			names = make(map[string]string, len(apps.Items))
		}
		for _, a := range apps.Items {
			names[a.ID] = a.Applicant.Name
		}
	}
	for _, d := range page.Items {
		row := decisionRow{Applicant: names[d.ApplicationID], Outcome: l.T("outcome." + string(d.Outcome)), Texts: d.Texts, Award: "—"}
		if row.Applicant == "" {
			row.Applicant = d.ApplicationID
		}
		if d.Award != nil {
			row.Award = d.Award.AmountText
		}
		out.Decisions = append(out.Decisions, row)
	}
	out.cursor = page.NextCursor
	return out, nil
}
