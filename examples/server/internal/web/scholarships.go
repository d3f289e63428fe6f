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
	ctx, l := c.Request().Context(), lang(c)
	out := decisionsPage{Program: strings.TrimSpace(c.QueryParam("program")), Cycle: strings.TrimSpace(c.QueryParam("cycle")), Run: strings.TrimSpace(c.QueryParam("run"))}
	if out.Program == "" || out.Cycle == "" || out.Run == "" {
		return w.render(c, http.StatusOK, "decisions", "decisions.title", out)
	}
	ref := service.RunRef{CycleRef: service.CycleRef{ProgramID: out.Program, CycleID: out.Cycle}, RunID: out.Run}
	text := scholarship.EnglishText
	if l == Spanish {
		text = scholarship.SpanishText
	}
	page, err := w.svc.Scholarships.Decisions(ctx, ref, service.DecisionQuery{Cursor: c.QueryParam("cursor"), Limit: pageSize, Lang: text})
	if err != nil {
		return w.fail(c, err)
	}
	apps, err := w.svc.Scholarships.Applications(ctx, ref.CycleRef)
	if err != nil {
		return w.fail(c, err)
	}
	names := make(map[string]string, len(apps.Items))
	for _, a := range apps.Items {
		names[a.ID] = a.Applicant.Name
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
	if page.NextCursor != "" {
		out.Next = Prefix + "/scholarships?" + url.Values{"program": {out.Program}, "cycle": {out.Cycle}, "run": {out.Run}, "cursor": {page.NextCursor}}.Encode()
	}
	return w.render(c, http.StatusOK, "decisions", "decisions.title", out)
}
