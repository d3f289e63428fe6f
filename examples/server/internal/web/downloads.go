package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
)

// A download holds the cells of the page it comes from, for the same
// reader: it is built from the same service answer by the same code, so a
// hidden cell reads "suppressed" in the file as on the page, and nothing
// the reader's role may not see is in it.

// sheet is a download's table: a header row and its rows, all text.
type sheet struct {
	Name   string
	Header []string
	Rows   [][]string
}

// sendTable answers with the sheets as CSV (one after another, each a
// line with its name, its header and its rows) or as an Excel workbook (one
// worksheet each), by format "csv" or "xlsx".
func (w *Web) sendTable(c echo.Context, format, file string, sheets []sheet) error {
	var body []byte
	var ctype string
	switch format {
	case "csv":
		var buf bytes.Buffer
		buf.WriteString("\ufeff") // a byte-order mark: spreadsheets read the file as UTF-8
		cw := csv.NewWriter(&buf)
		for _, s := range sheets {
			cw.Write(csvSafe([]string{s.Name}))
			cw.Write(csvSafe(s.Header))
			for _, r := range s.Rows {
				cw.Write(csvSafe(r))
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the CSV file: %w", err))
		}
		body, ctype = buf.Bytes(), "text/csv; charset=utf-8"
	default:
		f := excelize.NewFile()
		defer f.Close()
		used := map[string]bool{}
		for i, s := range sheets {
			name := sheetName(s.Name, i, used)
			if i == 0 {
				if err := f.SetSheetName("Sheet1", name); err != nil {
					return w.fail(c, bsk.Errorf(bsk.CodeInternal, "naming a worksheet: %w", err))
				}
			} else if _, err := f.NewSheet(name); err != nil {
				return w.fail(c, bsk.Errorf(bsk.CodeInternal, "adding a worksheet: %w", err))
			}
			rows := append([][]string{s.Header}, s.Rows...)
			for r, cells := range rows {
				vals := make([]any, len(cells))
				for k, v := range cells {
					vals[k] = v
				}
				cell, _ := excelize.CoordinatesToCellName(1, r+1)
				if err := f.SetSheetRow(name, cell, &vals); err != nil {
					return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err))
				}
			}
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err))
		}
		body, ctype = buf.Bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		format = "xlsx"
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", file+"."+format))
	return c.Blob(http.StatusOK, ctype, body)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula: text that
// begins with =, +, - or @ (a name typed by an applicant, say) is written
// with a leading apostrophe.
func csvSafe(row []string) []string {
	out := make([]string, len(row))
	for i, v := range row {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			v = "'" + v
		}
		out[i] = v
	}
	return out
}

// sheetName is a valid, unique worksheet name: at most 31 characters,
// none of []:*?/\.
func sheetName(name string, i int, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 28 {
		name = string(r[:28])
	}
	if name == "" || used[name] {
		name = fmt.Sprintf("%s %d", name, i+1)
	}
	used[name] = true
	return name
}

// format is the download's format from the route: ".csv" or ".xlsx".
func format(c echo.Context) string {
	if strings.HasSuffix(c.Path(), ".csv") {
		return "csv"
	}
	return "xlsx"
}

// reportDownload sends a survey report's tables as on the page.
func (w *Web) reportDownload(c echo.Context) error {
	l := lang(c)
	rep, err := w.reportOf(c)
	if err == nil && rep.ImportID == "" {
		err = bsk.Errors{bsk.Invalidf("import", "name the released import to download")}
	}
	if err != nil {
		return w.fail(c, err)
	}
	var sheets []sheet
	for _, t := range rep.Tables {
		s := sheet{Name: t.Caption}
		if len(t.Dims) > 0 {
			s.Header = append(s.Header, t.Dims...)
		} else {
			s.Header = append(s.Header, l.T("report.group"))
		}
		s.Header = append(s.Header, l.T("report.n"), l.T("report.percent"), l.T("report.interval"), l.T("report.note"))
		for _, r := range t.Rows {
			row := append([]string{}, r.Group...)
			if len(r.Group) == 0 {
				row = append(row, l.T("report.everyone"))
			}
			if r.Hidden != "" {
				row = append(row, r.N, r.Hidden, "—", r.Why)
			} else {
				row = append(row, r.N, or(r.Percent, "—"), or(r.Interval, "—"), "")
			}
			s.Rows = append(s.Rows, row)
		}
		sheets = append(sheets, s)
	}
	name := "report-" + rep.ImportID
	if rep.By != "" {
		name += "-" + strings.ReplaceAll(rep.By, "+", "-")
	}
	return w.sendTable(c, format(c), name, sheets)
}

// equityDownload sends a scholarship run's equity tables as on the page.
func (w *Web) equityDownload(c echo.Context) error {
	l := lang(c)
	eq, err := w.equityOf(c)
	if err == nil && !eq.Asked {
		err = bsk.Errors{bsk.Invalidf("run", "name the program, cycle and run to download")}
	}
	if err != nil {
		return w.fail(c, err)
	}
	s := sheet{Name: l.T("equity.title"), Header: []string{l.T("equity.dimension"), l.T("report.group"), l.T("equity.applicants"), l.T("equity.eligible"), l.T("equity.awarded"), l.T("equity.amount"), l.T("report.note")}}
	t := eq.Total
	s.Rows = append(s.Rows, []string{l.T("equity.all"), t.Group, t.Applicants.Text, t.Eligible.Text, t.Awarded.Text, t.Amount, ""})
	for _, d := range eq.Dimensions {
		for _, r := range d.Rows {
			s.Rows = append(s.Rows, []string{d.Name, r.Group, r.Applicants.Text, r.Eligible.Text, r.Awarded.Text, r.Amount, r.Why})
		}
	}
	return w.sendTable(c, format(c), "equity-"+eq.Program+"-"+eq.Cycle+"-"+eq.Run, []sheet{s})
}

// decisionsDownload sends every decision of a scholarship run the reader
// may see (an agency: its own staff's), with the page's columns.
func (w *Web) decisionsDownload(c echo.Context) error {
	l := lang(c)
	var all decisionsPage
	cursor, names := "", map[string]string{}
	for range 10_000 {
		page, err := w.decisionsOf(c, cursor, 1000, names)
		if err == nil && page.Run == "" {
			err = bsk.Errors{bsk.Invalidf("run", "name the program, cycle and run to download")}
		}
		if err != nil {
			return w.fail(c, err)
		}
		all.Program, all.Cycle, all.Run = page.Program, page.Cycle, page.Run
		all.Decisions = append(all.Decisions, page.Decisions...)
		if page.cursor == "" {
			break
		}
		cursor = page.cursor
	}
	s := sheet{Name: l.T("decisions.title"), Header: []string{l.T("decisions.applicant"), l.T("decisions.outcome"), l.T("decisions.award"), l.T("decisions.why")}}
	for _, d := range all.Decisions {
		s.Rows = append(s.Rows, []string{d.Applicant, d.Outcome, d.Award, strings.Join(d.Texts, "\n")})
	}
	return w.sendTable(c, format(c), "decisions-"+all.Program+"-"+all.Cycle+"-"+all.Run, []sheet{s})
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
