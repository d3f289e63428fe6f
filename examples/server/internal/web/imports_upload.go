package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// The survey import's pages: an upload form (a REDCap export or the
// project's CSV, for an instrument on file) and the import's status page,
// which polls while the import runs and then lists every bad row. The
// import is all or nothing, as the service runs it: a file with a bad row
// stores no response.

// problemsPerPage is the bad rows a status page lists at a time.
const problemsPerPage = 25

type surveyUploadPage struct {
	Instruments []instrumentChoice
	// Instrument, Format and Event are the form's values, kept when an
	// upload is refused.
	Instrument, Format, Event string
	// Problems say why an upload was refused.
	Problems []rowProblem
}

type instrumentChoice struct {
	ID, Label string
	REDCap    bool
}

// surveyUploadForm shows the upload form to the roles that import survey
// responses.
func (w *Web) surveyUploadForm(c echo.Context) error {
	return w.surveyUpload(c, http.StatusOK, surveyUploadPage{Format: "redcap"})
}

// surveyUpload renders the upload form with the instruments on file.
func (w *Web) surveyUpload(c echo.Context, status int, page surveyUploadPage) error {
	ins, err := w.svc.Surveys.UploadChoices(c.Request().Context())
	if err != nil {
		return w.fail(c, err)
	}
	l := lang(c)
	for _, si := range ins.Items {
		label := si.Instrument.ID
		if si.Instrument.Cycle != "" {
			label = l.T("upload.instrument_cycle", si.Instrument.ID, si.Instrument.Cycle)
		}
		page.Instruments = append(page.Instruments, instrumentChoice{ID: si.Instrument.ID, Label: label, REDCap: si.RecordID != ""})
	}
	return w.render(c, status, "survey_upload", "upload.title", page)
}

// uploadSurvey starts an import of the uploaded file and sends the
// browser to its status page; a refused upload shows the form again with
// every problem.
func (w *Web) uploadSurvey(c echo.Context) error {
	l := lang(c)
	req := service.ImportRequest{InstrumentID: strings.TrimSpace(c.FormValue("instrument")), Format: c.FormValue("format"),
		Event: strings.TrimSpace(c.FormValue("event"))}
	page := surveyUploadPage{Instrument: req.InstrumentID, Format: req.Format, Event: req.Event}
	var data []byte
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return w.fail(c, err)
		}
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return w.fail(c, err)
		}
	} else {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			page.Problems = []rowProblem{{Where: l.T("upload.file"), What: l.T("upload.too_large")}}
			return w.surveyUpload(c, http.StatusRequestEntityTooLarge, page)
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		page.Problems = []rowProblem{{Where: l.T("upload.file"), What: l.T("upload.no_file")}}
		return w.surveyUpload(c, http.StatusBadRequest, page)
	}
	imp, err := w.svc.Surveys.StartImport(c.Request().Context(), req, bytes.NewReader(data))
	if code := bsk.ErrorCode(err); code == bsk.CodeInvalid || code == bsk.CodeNotFound {
		for _, e := range errorList(err) {
			page.Problems = append(page.Problems, rowProblem{Where: l.uploadField(e.Field), What: e.Message})
		}
		return w.surveyUpload(c, http.StatusBadRequest, page)
	}
	if err != nil {
		return w.fail(c, err)
	}
	to := Prefix + "/imports/" + url.PathEscape(imp.ID)
	if n := dataRows(data); n > 0 {
		to += "?of=" + strconv.Itoa(n)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// uploadField names a field of the upload form in words.
func (l Lang) uploadField(field string) string {
	switch field {
	case "format":
		return l.T("upload.format")
	case "id", "instrument_id":
		return l.T("upload.instrument")
	}
	return field
}

// dataRows counts a CSV file's records after its header, or 0 when the
// file does not read as CSV (the import says why).
func dataRows(data []byte) int {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	n := 0
	for {
		if _, err := cr.Read(); err == io.EOF {
			break
		} else if err != nil {
			return 0
		}
		n++
	}
	return max(n-1, 0)
}

// errorList is an error's problems: each of a [bsk.Errors], or the one.
func errorList(err error) bsk.Errors {
	var list bsk.Errors
	if errors.As(err, &list) {
		return list
	}
	var one *bsk.Error
	if errors.As(err, &one) {
		return bsk.Errors{one}
	}
	return bsk.Errors{{Code: bsk.CodeInternal, Message: err.Error()}}
}

type surveyStatusPage struct {
	Import             service.SurveyImport
	Started, Finished  string
	Of, Percent        int
	Imported, Released bool
	// Problems are this page's bad rows; Total counts them all, Capped
	// says the import stopped listing at its limit.
	Problems        []badRow
	Total, From, To int
	Capped          bool
	Prev, Next      string
	Self            string
}

type badRow struct {
	Row, Column, What string
}

// Refreshes reports that the page polls while the import waits or runs.
func (p surveyStatusPage) Refreshes() bool {
	return p.Import.Status == service.RunRunning || p.Import.Status == service.RunQueued
}

// surveyImport shows an import: its progress while it runs (the rows read
// of the file's, when the upload counted them), what it stored when done,
// and every bad row when it failed, a page at a time.
func (w *Web) surveyImport(c echo.Context) error {
	l := lang(c)
	imp, err := w.svc.Surveys.Import(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	out := surveyStatusPage{Import: imp, Started: l.DateTime(imp.CreatedAt), Released: imp.Release != nil,
		Self: Prefix + "/imports/" + url.PathEscape(imp.ID) + "?" + c.QueryParams().Encode()}
	if imp.FinishedAt != nil {
		out.Finished = l.DateTime(*imp.FinishedAt)
	}
	if of, err := strconv.Atoi(c.QueryParam("of")); err == nil && of > 0 && of <= 1<<30 {
		out.Of = max(of, imp.Rows)
		out.Percent = imp.Rows * 100 / out.Of
	}
	out.Total = len(imp.Problems)
	out.Capped = out.Total >= 100
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	pages := (out.Total + problemsPerPage - 1) / problemsPerPage
	pg = min(max(pg, 1), max(pages, 1))
	from, to := (pg-1)*problemsPerPage, min(pg*problemsPerPage, out.Total)
	for _, p := range imp.Problems[from:to] {
		row, col := l.rowAndColumn(p.Field)
		what := p.Message
		if p.Hidden {
			what = l.T("upload.reason_hidden")
		}
		out.Problems = append(out.Problems, badRow{Row: row, Column: col, What: what})
	}
	out.From, out.To = from+1, to
	link := func(n int) string {
		q := url.Values{"page": {strconv.Itoa(n)}}
		if out.Of > 0 {
			q.Set("of", strconv.Itoa(out.Of))
		}
		return Prefix + "/imports/" + url.PathEscape(imp.ID) + "?" + q.Encode()
	}
	if pg > 1 {
		out.Prev = link(pg - 1)
	}
	if pg < pages {
		out.Next = link(pg + 1)
	}
	return w.render(c, http.StatusOK, "survey_upload_status", "upload.status_title", out, imp.ID)
}

// rowAndColumn splits a problem's field ("rows[3].respected") into its
// row number and column, in words when the problem is of the whole file
// or a whole row.
func (l Lang) rowAndColumn(field string) (row, col string) {
	rest, ok := strings.CutPrefix(field, "rows[")
	if !ok {
		if field == "" {
			return l.T("upload.whole_file"), "—"
		}
		return "—", field
	}
	row, col, _ = strings.Cut(rest, "]")
	col = strings.TrimPrefix(col, ".")
	if col == "" {
		col = l.T("upload.whole_row")
	}
	return row, col
}
