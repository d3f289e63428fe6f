package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/training"
)

// The program year's pages: the month's calendar, publishing a finished
// reflective consultation run, the consultants' invoices, a consultant's
// groups and the attendance form of a session.

type calendarPage struct {
	Month, MonthName, Prev, Next string
	Days                         []calendarDay
	// Unled are the groups meeting this month without a consultant.
	Unled []string
}

type calendarDay struct {
	Date     string
	Sessions []calendarRow
}

type calendarRow struct {
	Time, Title, Leaders, Language, Interpreters string
	OfferingID, SessionID                        string
	Registrations                                int
	Unled                                        bool
}

// calendar shows a month's sessions, day by day, with leader, language,
// interpreters and registrations, and the groups without a consultant.
func (w *Web) calendar(c echo.Context) error {
	l := lang(c)
	loc, _ := time.LoadLocation(service.DefaultTimeZone)
	month := strings.TrimSpace(c.QueryParam("month"))
	if month == "" {
		month = time.Now().In(loc).Format("2006-01")
	}
	cal, err := w.svc.Program.Calendar(c.Request().Context(), month, "")
	if err != nil {
		return w.fail(c, err)
	}
	m, _ := time.Parse("2006-01", cal.Month)
	out := calendarPage{Month: cal.Month, MonthName: l.Month(cal.Month),
		Prev: m.AddDate(0, -1, 0).Format("2006-01"), Next: m.AddDate(0, 1, 0).Format("2006-01")}
	titles := map[bsk.OfferingID]string{}
	for _, s := range cal.Sessions {
		titles[s.OfferingID] = s.Title
		start := s.Starts.In(loc)
		day := l.Date(time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC))
		if len(out.Days) == 0 || out.Days[len(out.Days)-1].Date != day {
			out.Days = append(out.Days, calendarDay{Date: day})
		}
		row := calendarRow{Time: l.clock(start) + "–" + l.clock(start.Add(time.Duration(s.Minutes)*time.Minute)),
			Title: s.Title, OfferingID: string(s.OfferingID), SessionID: string(s.SessionID), Language: l.Language(string(s.Language)),
			Registrations: s.Registrations, Unled: s.Unled, Leaders: l.T("program.no_consultant"), Interpreters: l.Langs(s.Interpretation)}
		if len(s.Leaders) > 0 {
			names := make([]string, len(s.Leaders))
			for i, m := range s.Leaders {
				names[i] = m.Name
			}
			row.Leaders = strings.Join(names, ", ")
		}
		d := &out.Days[len(out.Days)-1]
		d.Sessions = append(d.Sessions, row)
	}
	for _, id := range cal.Unled {
		out.Unled = append(out.Unled, titles[id])
	}
	return w.render(c, http.StatusOK, "program_calendar", "program.calendar_title", out, out.MonthName)
}

type publishedPage struct {
	Pub        service.Publication
	Groups     int
	Unled      []int
	FirstMonth string
}

// publishRun publishes a finished reflective consultation run as the
// program year's groups and shows what it made.
func (w *Web) publishRun(c echo.Context) error {
	months, _ := strconv.Atoi(c.FormValue("months"))
	req := service.PublishRequest{From: strings.TrimSpace(c.FormValue("from")), Months: months}
	pub, err := w.svc.Program.Publish(c.Request().Context(), c.Param("id"), req)
	if err != nil {
		return w.fail(c, err)
	}
	out := publishedPage{Pub: pub, FirstMonth: req.From}
	for _, o := range pub.Offerings {
		if o != "" {
			out.Groups++
		}
	}
	for _, g := range pub.Unled {
		out.Unled = append(out.Unled, g+1)
	}
	return w.render(c, http.StatusCreated, "program_published", "program.published_title", out, pub.RunID)
}

type invoicePage struct {
	Invoice *service.Invoice
	Lines   []invoiceRow
	Total   string
	Month   string
	// CSV and XLSX are the invoice's downloads.
	CSV, XLSX string
}

type invoiceRow struct {
	Consultant, Sessions, Hours, Rate, Amount string
}

// invoices shows the form that creates a month's invoice and opens one
// by its ID.
func (w *Web) invoices(c echo.Context) error {
	if !service.MayInvoice(who(c)) {
		return w.notYours(c, "program.invoices_title", "forms.not_yours.invoices")
	}
	if id := strings.TrimSpace(c.QueryParam("id")); id != "" {
		return c.Redirect(http.StatusSeeOther, Prefix+"/program/invoices/"+url.PathEscape(id))
	}
	loc, _ := time.LoadLocation(service.DefaultTimeZone)
	return w.render(c, http.StatusOK, "program_invoices", "program.invoices_title",
		invoicePage{Month: time.Now().In(loc).AddDate(0, -1, 0).Format("2006-01")})
}

// createInvoice bills a month at an hourly rate in dollars.
func (w *Web) createInvoice(c echo.Context) error {
	dollars, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(c.FormValue("hourly"), "$")), 64)
	if err != nil || math.IsNaN(dollars) || math.IsInf(dollars, 0) || dollars <= 0 || dollars > float64(training.MaxHourlyCents)/100 {
		return w.fail(c, bsk.Errors{bsk.Invalidf("hourly", "%q is not an hourly rate in dollars, such as 120.00", c.FormValue("hourly"))})
	}
	inv, err := w.svc.Program.CreateInvoice(c.Request().Context(), service.InvoiceRequest{Month: strings.TrimSpace(c.FormValue("month")),
		Rates: training.Rates{HourlyCents: int64(math.Round(dollars * 100))}})
	if err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/program/invoices/"+url.PathEscape(inv.ID))
}

// invoice shows an invoice's lines with the consultants' names, and its
// downloads.
func (w *Web) invoice(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	inv, err := w.svc.Program.GetInvoice(ctx, c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	out := invoicePage{Invoice: &inv, Month: l.Month(inv.Month), Total: l.Dollars(inv.TotalCents),
		CSV: Prefix + "/program/invoices/" + url.PathEscape(inv.ID) + "/csv", XLSX: Prefix + "/program/invoices/" + url.PathEscape(inv.ID) + "/xlsx"}
	for _, ln := range inv.Lines {
		name := string(ln.Consultant)
		if v, err := w.svc.Workforce.Providers.Get(ctx, string(ln.Consultant)); err == nil {
			name = v.Name
		}
		out.Lines = append(out.Lines, invoiceRow{Consultant: name, Sessions: strconv.Itoa(len(ln.Sessions)),
			Hours: strconv.FormatFloat(ln.Hours(), 'f', 2, 64), Rate: l.Dollars(ln.RateCents), Amount: l.Dollars(ln.AmountCents)})
	}
	return w.render(c, http.StatusOK, "program_invoice", "program.invoice_title", out, inv.ID)
}

// invoiceDownload sends an invoice as CSV (the API's columns) or as an
// Excel workbook with the same columns and a total row.
func (w *Web) invoiceDownload(c echo.Context) error {
	inv, err := w.svc.Program.GetInvoice(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	if strings.HasSuffix(c.Path(), "/csv") {
		var b bytes.Buffer
		if err := training.WriteInvoiceCSV(&b, inv.Lines); err != nil {
			return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the invoice: %w", err))
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", inv.ID+".csv"))
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Invoice"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err))
	}
	rows := [][]any{make([]any, len(training.InvoiceHeader))}
	for i, h := range training.InvoiceHeader {
		rows[0][i] = h
	}
	for _, ln := range inv.Lines {
		ids := make([]string, len(ln.Sessions))
		for i, s := range ln.Sessions {
			ids[i] = string(s)
		}
		rows = append(rows, []any{string(ln.Consultant), ln.Month, strings.Join(ids, " "), ln.Minutes, ln.Hours(),
			float64(ln.RateCents) / 100, float64(ln.AmountCents) / 100})
	}
	rows = append(rows, []any{"total", inv.Month, "", nil, nil, nil, float64(inv.TotalCents) / 100})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err))
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err))
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", inv.ID+".xlsx"))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

type groupsPage struct {
	Groups []ledGroup
}

type ledGroup struct {
	OfferingID, Title string
	Members           []groupMember
	Sessions          []groupSession
}

type groupMember struct {
	Name, Since, Until string
}

type groupSession struct {
	ID, When string
}

// myGroups lists the groups the caller records attendance for (a
// consultant: the groups they lead; staff: every group), each with its
// members and its sessions, each linked to its attendance form.
func (w *Web) myGroups(c echo.Context) error {
	l := lang(c)
	groups, err := w.svc.Program.Groups(c.Request().Context())
	if err != nil {
		return w.fail(c, err)
	}
	var out groupsPage
	for _, g := range groups {
		lg := ledGroup{OfferingID: string(g.Offering.ID), Title: g.Offering.Title}
		for _, s := range g.Sessions {
			lg.Sessions = append(lg.Sessions, groupSession{ID: string(s.ID), When: l.DateTime(s.Starts)})
		}
		for _, m := range g.Members {
			gm := groupMember{Name: m.Name, Since: l.Date(m.From)}
			if m.Until != nil {
				gm.Until = l.Date(*m.Until)
			}
			lg.Members = append(lg.Members, gm)
		}
		out.Groups = append(out.Groups, lg)
	}
	return w.render(c, http.StatusOK, "program_groups", "program.groups_title", out)
}

type attendancePage struct {
	Sheet    service.AttendanceSheet
	When     string
	Members  []attendee
	Recorded int
}

type attendee struct {
	ID, Name string
	Done     bool
}

// attendanceForm shows a session's members with a box each: who came.
// A session of a group the caller does not lead reads "not found" (the
// service decides).
func (w *Web) attendanceForm(c echo.Context) error {
	l := lang(c)
	sheet, err := w.svc.Program.AttendanceSheet(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	out := attendancePage{Sheet: sheet, When: l.DateTime(sheet.Session.Starts)}
	out.Recorded, _ = strconv.Atoi(c.QueryParam("recorded"))
	for _, m := range sheet.Members {
		out.Members = append(out.Members, attendee{ID: string(m.ID), Name: m.Name, Done: slices.Contains(sheet.Recorded, m.ID)})
	}
	return w.render(c, http.StatusOK, "program_attendance", "program.attendance_title", out, sheet.Offering.Title)
}

// recordAttendance records the members checked as attending the whole
// session.
func (w *Web) recordAttendance(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return w.fail(c, bsk.Errors{bsk.Invalidf("attended", "the form could not be read")})
	}
	var in service.GroupAttendance
	for _, id := range form["attended"] {
		in.Attended = append(in.Attended, service.Attendee{ProviderID: bsk.ProviderID(id)})
	}
	got, err := w.svc.Program.RecordAttendance(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/program/sessions/"+url.PathEscape(c.Param("id"))+"/attendance?recorded="+strconv.Itoa(len(got)))
}
