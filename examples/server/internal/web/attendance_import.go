package web

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/training"
)

// The attendance import's pages, for staff: a session's attendance with a
// form to upload the video meeting's participants report; a review of the
// report (the matched people, re-joins merged, and every row the names did
// not settle, with its candidates and a choice of person); and the
// confirmation, which records the attendance. Nothing is recorded before
// it. The report travels with the review form (encoded), so the server
// keeps nothing between the two steps and reads the report again on
// confirmation.

type zoomSessionPage struct {
	Offering        bsk.Offering
	SessionID, When string
	Attended        []attendedRow
	TimeZone        string
	Problems        []badRow
	Imported, Kept  int
	Left            int
	ShowOutcome     bool
}

type attendedRow struct {
	Name, Hours, Credit string
}

type zoomReviewPage struct {
	Offering        bsk.Offering
	SessionID, When string
	// Report is the report, base64, for the confirmation form.
	Report, TimeZone string
	Rows, Merged     int
	Matched          []matchedRow
	Review           []reviewRow
	Problems         []badRow
}

type matchedRow struct {
	Name, Hours string
	Joins       int
	Recorded    bool
}

type reviewRow struct {
	Row                    int
	Name, Email, Minutes   string
	Why                    string
	Pickable               bool
	Candidates             []candidateChoice
	Picked, TypedID        string
	SelectLabel, TypeLabel string
}

type candidateChoice struct {
	ID, Label string
}

// zoomSession shows a session's attendance and the upload form.
func (w *Web) zoomSession(c echo.Context) error {
	out := zoomSessionPage{TimeZone: service.DefaultTimeZone}
	q := c.QueryParams()
	if q.Has("imported") {
		out.ShowOutcome = true
		out.Imported, _ = strconv.Atoi(q.Get("imported"))
		out.Kept, _ = strconv.Atoi(q.Get("kept"))
		out.Left, _ = strconv.Atoi(q.Get("left"))
	}
	return w.renderZoomSession(c, http.StatusOK, out)
}

func (w *Web) renderZoomSession(c echo.Context, status int, out zoomSessionPage) error {
	l := lang(c)
	sa, err := w.svc.Trainings.SessionAttendance(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	out.Offering, out.SessionID, out.When = sa.Offering, string(sa.Session.ID), sessionWhen(l, sa.Session)
	for _, a := range sa.Attended {
		out.Attended = append(out.Attended, attendedRow{Name: a.Name, Hours: strconv.FormatFloat(a.Hours, 'f', 2, 64), Credit: l.T("credit." + string(a.Credit))})
	}
	return w.render(c, status, "attendance_import", "zoom.title", out, sa.Offering.Title)
}

// sessionWhen is a session's day and time where the program meets.
func sessionWhen(l Lang, s bsk.Session) string {
	loc, err := time.LoadLocation(service.DefaultTimeZone)
	if err != nil {
		loc = time.UTC
	}
	return l.Date(s.Starts) + ", " + s.Starts.In(loc).Format("15:04")
}

// readZoomForm reads the report (an uploaded file, or the review's
// encoded copy) and its time zone; a problem is returned as a bad row.
func readZoomForm(c echo.Context, l Lang) (report []byte, tz string, loc *time.Location, problem *badRow) {
	tz = strings.TrimSpace(c.FormValue("time_zone"))
	if tz == "" {
		tz = service.DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || strings.EqualFold(tz, "local") {
		return nil, tz, nil, &badRow{Row: "—", Column: l.T("zoom.time_zone"), What: l.T("zoom.bad_time_zone", tz)}
	}
	if enc := c.FormValue("report"); enc != "" {
		report, err = base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return nil, tz, loc, &badRow{Row: "—", Column: l.T("zoom.file"), What: l.T("zoom.no_file")}
		}
	} else if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > service.ZoomReportLimit {
			return nil, tz, loc, &badRow{Row: "—", Column: l.T("zoom.file"), What: l.T("zoom.too_large", service.ZoomReportLimit>>10)}
		}
		f, err := fh.Open()
		if err == nil {
			report, err = io.ReadAll(io.LimitReader(f, service.ZoomReportLimit+1))
			f.Close()
		}
		if err != nil {
			return nil, tz, loc, &badRow{Row: "—", Column: l.T("zoom.file"), What: l.T("zoom.no_file")}
		}
	}
	if len(strings.TrimSpace(string(report))) == 0 {
		return nil, tz, loc, &badRow{Row: "—", Column: l.T("zoom.file"), What: l.T("zoom.no_file")}
	}
	return report, tz, loc, nil
}

// reviewZoom reads an uploaded report and shows it for review; nothing is
// recorded. A report with problems shows the upload form with every one.
func (w *Web) reviewZoom(c echo.Context) error {
	l := lang(c)
	report, tz, loc, bad := readZoomForm(c, l)
	if bad != nil {
		return w.renderZoomSession(c, http.StatusBadRequest, zoomSessionPage{TimeZone: tz, Problems: []badRow{*bad}})
	}
	prev, err := w.svc.Trainings.PreviewZoom(c.Request().Context(), c.Param("id"), report, loc)
	if bsk.ErrorCode(err) == bsk.CodeInvalid || bsk.ErrorCode(err) == bsk.CodeConflict {
		return w.renderZoomSession(c, http.StatusBadRequest, zoomSessionPage{TimeZone: tz, Problems: l.badRows(err)})
	}
	if err != nil {
		return w.fail(c, err)
	}
	return w.renderReview(c, http.StatusOK, prev, report, tz, nil, nil)
}

// renderReview shows a report's review; picks keep the reviewer's
// choices when a confirmation is refused.
func (w *Web) renderReview(c echo.Context, status int, prev service.ZoomPreview, report []byte, tz string, picks map[int]string, problems []badRow) error {
	l := lang(c)
	sa, err := w.svc.Trainings.SessionAttendance(c.Request().Context(), string(prev.SessionID))
	if err != nil {
		return w.fail(c, err)
	}
	out := zoomReviewPage{Offering: sa.Offering, SessionID: string(prev.SessionID), When: sessionWhen(l, sa.Session),
		Report: base64.StdEncoding.EncodeToString(report), TimeZone: tz, Rows: prev.Rows, Merged: prev.Merged, Problems: problems}
	for _, m := range prev.Matched {
		out.Matched = append(out.Matched, matchedRow{Name: m.Name, Hours: strconv.FormatFloat(m.Hours, 'f', 2, 64), Joins: m.Joins, Recorded: m.Recorded})
	}
	for _, u := range prev.Review {
		r := reviewRow{Row: u.Row, Name: u.Name, Email: u.Email, Minutes: strconv.FormatFloat(u.Minutes, 'f', 0, 64),
			Why: l.T("zoom.why." + u.Code), Pickable: u.Code != training.CodeNoTime}
		if r.Name == "" {
			r.Name = "—"
		}
		who := u.Name
		if who == "" {
			who = u.Email
		}
		r.SelectLabel, r.TypeLabel = l.T("zoom.pick_for", u.Row, who), l.T("zoom.type_for", u.Row, who)
		for _, cand := range u.Candidates {
			r.Candidates = append(r.Candidates, candidateChoice{ID: string(cand.ProviderID), Label: l.T("zoom.candidate", cand.Name, cmp.Or(cand.Organization, string(cand.OrganizationID)), cand.ProviderID)})
		}
		if v, ok := picks[u.Row]; ok {
			r.Picked = v
			r.TypedID = v
			for _, cand := range r.Candidates {
				if cand.ID == v {
					r.TypedID = ""
				}
			}
		}
		out.Review = append(out.Review, r)
	}
	return w.render(c, status, "attendance_import_review", "zoom.review_title", out, sa.Offering.Title)
}

// confirmZoom records the reviewed report's attendance with the people
// picked for its rows, and sends the browser to the session's attendance.
func (w *Web) confirmZoom(c echo.Context) error {
	l := lang(c)
	report, tz, loc, bad := readZoomForm(c, l)
	if bad != nil {
		return w.renderZoomSession(c, http.StatusBadRequest, zoomSessionPage{TimeZone: tz, Problems: []badRow{*bad}})
	}
	form, err := c.FormParams()
	if err != nil {
		return w.fail(c, bsk.Errors{bsk.Invalidf("form", "%v", err)})
	}
	picks, typed := map[int]bsk.ProviderID{}, map[int]string{}
	for k, v := range form {
		var row int
		if _, err := fmt.Sscanf(k, "pick-%d", &row); err == nil && len(v) > 0 && strings.TrimSpace(v[0]) != "" {
			if _, set := picks[row]; !set {
				picks[row] = bsk.ProviderID(strings.TrimSpace(v[0]))
			}
		}
		if _, err := fmt.Sscanf(k, "id-%d", &row); err == nil && len(v) > 0 && strings.TrimSpace(v[0]) != "" {
			typed[row] = strings.TrimSpace(v[0])
		}
	}
	for row, id := range typed { // a typed ID wins over the list's choice
		picks[row] = bsk.ProviderID(id)
	}
	ctx := c.Request().Context()
	done, err := w.svc.Trainings.ConfirmZoom(ctx, c.Param("id"), report, picks, loc)
	if code := bsk.ErrorCode(err); code == bsk.CodeInvalid || code == bsk.CodeNotFound && ofRows(err) {
		prev, perr := w.svc.Trainings.PreviewZoom(ctx, c.Param("id"), report, loc)
		if code := bsk.ErrorCode(perr); code == bsk.CodeInvalid || code == bsk.CodeConflict {
			return w.renderZoomSession(c, http.StatusBadRequest, zoomSessionPage{TimeZone: tz, Problems: l.badRows(perr)})
		}
		if perr != nil {
			return w.fail(c, perr)
		}
		kept := map[int]string{}
		for r, id := range picks {
			kept[r] = string(id)
		}
		return w.renderReview(c, http.StatusBadRequest, prev, report, tz, kept, l.badRows(err))
	}
	if err != nil {
		return w.fail(c, err)
	}
	q := url.Values{"imported": {strconv.Itoa(done.Imported)}, "kept": {strconv.Itoa(len(done.Kept))}, "left": {strconv.Itoa(len(done.Unmatched))}}
	return c.Redirect(http.StatusSeeOther, Prefix+"/sessions/"+url.PathEscape(c.Param("id"))+"/zoom?"+q.Encode())
}

// badRows lists an error's problems as rows, lines and columns.
func (l Lang) badRows(err error) []badRow {
	var out []badRow
	for _, e := range errorList(err) {
		row, col := l.rowAndColumn(e.Field)
		out = append(out, badRow{Row: row, Column: col, What: e.Message})
	}
	return out
}

// ofRows reports whether every problem of err names a row of the report
// (a pick of an unknown provider), not the session.
func ofRows(err error) bool {
	for _, e := range errorList(err) {
		if !strings.HasPrefix(e.Field, "rows[") {
			return false
		}
	}
	return true
}
