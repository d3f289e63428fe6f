package app

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/training"
)

// The program year's types are the service's (see [service.Program]).
type (
	// PublishRequest says when a published run's groups meet.
	PublishRequest = service.PublishRequest
	// Publication is a published run.
	Publication = service.Publication
	// Enrolment is a member's place in a group.
	Enrolment = service.Enrolment
	// GroupAttendance is who attended a session of a group.
	GroupAttendance = service.GroupAttendance
	// InvoiceRequest asks for a month's consultants' invoice.
	InvoiceRequest = service.InvoiceRequest
	// Invoice is a month's consultants' invoice.
	Invoice = service.Invoice
	// Calendar is a month's sessions.
	Calendar = service.Calendar
	// RCRunRequest starts a reflective consultation run.
	RCRunRequest = service.RCRunRequest
	// RCRun is a started run with the consultants who may not lead yet.
	RCRun = service.RCRun
	// CommunityRequest places participants in communities of practice.
	CommunityRequest = service.CommunityRequest
	// CommunityPlacement is where they were placed.
	CommunityPlacement = service.CommunityPlacement
	// Community is a community of practice that may open.
	Community = service.Community
	// CommunityRanking is one participant's ranking.
	CommunityRanking = service.CommunityRanking
	// Attendee is one member at a session.
	Attendee = service.Attendee
	// CalendarSession is one session of the calendar.
	CalendarSession = service.CalendarSession
	// IneligibleLeader is a consultant who may not lead yet.
	IneligibleLeader = service.IneligibleLeader
)

// EnrolmentList answers a listing of enrolments.
type EnrolmentList struct {
	// Items are the enrolments, in ID order.
	Items []Enrolment `json:"items"`
}

// RecordedAttendance answers recorded attendance.
type RecordedAttendance struct {
	// Items are the attendance records stored, in the request's order.
	Items []bsk.Attendance `json:"items"`
}

// programYear is the program year's path under /api/v1.
const programYear = "/program-year"

// programRoutes serves the program year over [service.Program].
func (a *App) programRoutes(g *echo.Group) {
	staff := allow(service.ProgramRoles...)
	g.POST(programYear+"/rc-runs", a.startRC, staff)
	g.POST(programYear+"/rc-runs/:id/publish", a.publishRun, staff)
	g.GET(programYear+"/enrolments", a.enrolments, allow(service.EnrolmentRoles...))
	g.POST(programYear+"/sessions/:id/attendance", a.recordGroupAttendance, allow(service.AttendanceRoles...))
	g.POST(programYear+"/invoices", a.createInvoice, staff)
	g.GET(programYear+"/invoices/:id", a.getInvoice, staff)
	g.POST(programYear+"/communities/placements", a.placeCommunities, staff)
	g.GET(programYear+"/calendar", a.calendar, allow(service.CalendarRoles...))
}

func (a *App) startRC(c echo.Context) error {
	var req RCRunRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	out, err := a.svc.Program.StartRC(service.WithLanguage(c.Request().Context(), lang(c)), req)
	if err != nil {
		return queueFull(err)
	}
	out.Run = out.Run.In(string(lang(c)))
	return c.JSON(http.StatusAccepted, out)
}

func (a *App) publishRun(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req PublishRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	pub, err := a.svc.Program.Publish(c.Request().Context(), id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, pub)
}

func (a *App) enrolments(c echo.Context) error {
	list, err := a.svc.Program.Enrolments(c.Request().Context(), service.EnrolmentQuery{OfferingID: c.QueryParam("offering_id")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, EnrolmentList{Items: list})
}

func (a *App) recordGroupAttendance(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in GroupAttendance
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	out, err := a.svc.Program.RecordAttendance(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, RecordedAttendance{Items: out})
}

func (a *App) createInvoice(c echo.Context) error {
	var req InvoiceRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	inv, err := a.svc.Program.CreateInvoice(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, inv)
}

// getInvoice answers an invoice as JSON, or as CSV or an Excel workbook
// (?format=csv, ?format=xlsx) for the coordinator's approval.
func (a *App) getInvoice(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return bsk.Errors{bsk.Invalidf("format", "unknown format %q (json, csv or xlsx)", format)}
	}
	inv, err := a.svc.Program.GetInvoice(c.Request().Context(), id)
	if err != nil {
		return err
	}
	switch format {
	case "csv":
		var b bytes.Buffer
		if err := training.WriteInvoiceCSV(&b, inv.Lines); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "writing the invoice: %w", err)
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", inv.ID+".csv"))
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
	case "xlsx":
		b, err := invoiceWorkbook(inv)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", inv.ID+".xlsx"))
		return c.Blob(http.StatusOK, xlsxType, b)
	}
	return c.JSON(http.StatusOK, inv)
}

// xlsxType is an Excel workbook's media type.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// invoiceWorkbook writes an invoice as a workbook: the CSV's columns,
// minutes and hours as numbers, rate and amount as numbers of dollars, and
// a total row.
func invoiceWorkbook(inv Invoice) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Invoice"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err)
	}
	rows := [][]any{make([]any, len(training.InvoiceHeader))}
	for i, h := range training.InvoiceHeader {
		rows[0][i] = h
	}
	for _, l := range inv.Lines {
		sessions := ""
		for i, s := range l.Sessions {
			if i > 0 {
				sessions += " "
			}
			sessions += string(s)
		}
		rows = append(rows, []any{string(l.Consultant), l.Month, sessions, l.Minutes, l.Hours(),
			float64(l.RateCents) / 100, float64(l.AmountCents) / 100})
	}
	rows = append(rows, []any{"total", inv.Month, "", nil, nil, nil, float64(inv.TotalCents) / 100})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func (a *App) placeCommunities(c echo.Context) error {
	var req CommunityRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	l := string(lang(c))
	out, err := a.svc.Program.PlaceCommunities(c.Request().Context(), req, l)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", out.Language)
	return c.JSON(http.StatusOK, out)
}

func (a *App) calendar(c echo.Context) error {
	cal, err := a.svc.Program.Calendar(c.Request().Context(), c.QueryParam("month"), c.QueryParam("time_zone"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cal)
}
