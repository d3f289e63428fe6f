package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
)

// Staff preview of a reviewer's blind queue: what the reviewer named
// would read, with the same fields hidden and never demographics, marked
// as a preview and without score forms (see
// service.Scholarships.PreviewQueue, which audits it).

type previewPage struct {
	Program, Cycle, Reviewer string
	// Asked is true once a reviewer is named; Items their queue.
	Asked bool
	Items []queueItem
}

// reviewPreview shows a reviewer's queue as they would read it (staff).
func (w *Web) reviewPreview(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	ref := cycleRef(c)
	out := previewPage{Program: ref.ProgramID, Cycle: ref.CycleID, Reviewer: strings.TrimSpace(c.QueryParam("reviewer"))}
	if p := who(c); !p.IsStaff() {
		return w.fail(c, bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not preview a reviewer's queue", p.Role))
	}
	if ref.ProgramID == "" || ref.CycleID == "" || out.Reviewer == "" {
		return w.render(c, http.StatusOK, "review_preview", "preview.title", out)
	}
	q, err := w.svc.Scholarships.PreviewQueue(ctx, ref, out.Reviewer)
	if err != nil {
		return w.fail(c, err)
	}
	out.Asked = true
	hidden := l.T("review.hidden")
	for _, v := range q.Items {
		a := v.Application
		it := queueItem{ID: a.ID, Name: a.Applicant.Name, Months: strconv.Itoa(a.Applicant.MonthsEmployed), Languages: l.Langs(a.Applicant.Languages), Hidden: v.Hidden}
		if a.Applicant.Employer != nil {
			it.Employer = a.Applicant.Employer.Name
		}
		var total int64
		for _, cents := range a.Requested {
			total += int64(cents)
		}
		it.Requested = l.Dollars(total)
		for _, h := range v.Hidden {
			switch h {
			case "applicant.name":
				it.Name = hidden
			case "applicant.employer":
				it.Employer = hidden
			case "applicant.months_employed":
				it.Months = hidden
			}
		}
		out.Items = append(out.Items, it)
	}
	return w.render(c, http.StatusOK, "review_preview", "preview.title", out)
}
