package web

import (
	"net/http"
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
	out.Items = queueItems(l, q.Items)
	return w.render(c, http.StatusOK, "review_preview", "preview.title", out)
}
