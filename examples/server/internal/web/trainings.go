package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// The trainings' pages: the offerings, an offering's roster with its
// waitlist and the forms that register and cancel, the interpreters to
// book, an agency's registrations and waitlist notices, reach and
// retention with a chart, and a provider's transcript.

type trainingsPage struct {
	Offerings []offeringRow
	Next      string
}

type offeringRow struct {
	ID, Title, Kind, Language, Starts string
}

// trainings lists the offerings the caller may see, a page at a time.
func (w *Web) trainings(c echo.Context) error {
	l := lang(c)
	page, err := w.svc.Workforce.Offerings.List(c.Request().Context(), service.ListQuery{Cursor: c.QueryParam("cursor"), Limit: pageSize})
	if err != nil {
		return w.fail(c, err)
	}
	var out trainingsPage
	for _, o := range page.Items {
		out.Offerings = append(out.Offerings, offeringRow{ID: string(o.ID), Title: o.Title, Kind: l.T("kind." + string(o.Kind)),
			Language: l.Language(string(o.Language)), Starts: l.Date(o.Starts)})
	}
	if page.NextCursor != "" {
		out.Next = Prefix + "/trainings?cursor=" + urlQuery(page.NextCursor)
	}
	return w.render(c, http.StatusOK, "trainings", "trainings.title", out)
}

type offeringPage struct {
	Offering   bsk.Offering
	Kind       string
	Sessions   []groupSession
	Capacity   string
	Registered []registrationRow
	Waitlist   []registrationRow
	Cancelled  []registrationRow
	// The pagers of the three lists (paging.go).
	RegisteredPrev, RegisteredNext, WaitlistPrev, WaitlistNext, CancelledPrev, CancelledNext string
	Counts                                                                                   service.TrainingRoster
	// Bookings are the interpreters to book (staff).
	Bookings []bookingRow
	Staff    bool
	// Choices are the providers found by name to register (staff find
	// anyone, an agency its own staff), a page at a time.
	Choices   choices
	Languages []langChoice
	// Done says what the last form did.
	Done string
}

type registrationRow struct {
	ID, Name, Session, Interpretation, At string
	Position                              int
	provider                              bsk.ProviderID
}

type bookingRow struct {
	Session, Language, BookBy string
	Interpreters              int
	Registrants               string
}

type langChoice struct{ Code, Name string }

// offering shows an offering: its sessions, the roster (seats, then the
// waitlist in order), a form to register a provider and a cancel button
// per registration, and for staff the interpreters to book.
func (w *Web) offering(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	p := who(c)
	off, err := w.svc.Workforce.Offerings.Get(ctx, c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	roster, err := w.svc.Trainings.Roster(ctx, string(off.ID), "")
	if err != nil {
		return w.fail(c, err)
	}
	out := offeringPage{Offering: off, Kind: l.T("kind." + string(off.Kind)), Counts: roster, Staff: p.IsStaff(), Capacity: l.T("trainings.no_limit")}
	if roster.Capacity > 0 {
		out.Capacity = strconv.Itoa(roster.Capacity)
	}
	switch c.QueryParam("done") {
	case "registered", "waitlisted", "cancelled":
		out.Done = l.T("trainings.done." + c.QueryParam("done"))
	}
	if n, err := strconv.Atoi(c.QueryParam("promoted")); err == nil && n > 0 {
		out.Done += " " + l.T("trainings.promoted", n)
	}
	sess, err := w.svc.Workforce.Sessions.List(ctx, service.ListQuery{Parent: string(off.ID), Limit: 1000})
	if err != nil {
		return w.fail(c, err)
	}
	slices.SortStableFunc(sess.Items, func(a, b bsk.Session) int { return a.Starts.Compare(b.Starts) })
	when := map[bsk.SessionID]string{}
	for _, s := range sess.Items {
		when[s.ID] = l.DateTime(s.Starts)
		out.Sessions = append(out.Sessions, groupSession{ID: string(s.ID), When: when[s.ID]})
	}
	names := map[bsk.ProviderID]string{}
	name := func(id bsk.ProviderID) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := string(id)
		if v, err := w.svc.Workforce.Providers.Get(ctx, string(id)); err == nil {
			n = v.Name
		}
		names[id] = n
		return n
	}
	for _, g := range roster.Registrations {
		row := registrationRow{ID: string(g.ID), provider: g.ProviderID, Session: l.T("trainings.every_session"), At: l.DateTime(g.At)}
		if g.SessionID != "" {
			row.Session = when[g.SessionID]
		}
		if g.Interpretation != "" {
			row.Interpretation = l.Language(string(g.Interpretation))
		}
		switch g.Status {
		case bsk.RegistrationRegistered:
			out.Registered = append(out.Registered, row)
		case bsk.RegistrationWaitlisted:
			row.Position = len(out.Waitlist) + 1
			out.Waitlist = append(out.Waitlist, row)
		default:
			out.Cancelled = append(out.Cancelled, row)
		}
	}
	// Each list a page at a time (paging.go); names are read for the rows
	// shown.
	out.Registered, out.RegisteredPrev, out.RegisteredNext = offsetPage(c, out.Registered, "seats_page")
	out.Waitlist, out.WaitlistPrev, out.WaitlistNext = offsetPage(c, out.Waitlist, "waiting_page")
	out.Cancelled, out.CancelledPrev, out.CancelledNext = offsetPage(c, out.Cancelled, "cancelled_page")
	for _, rows := range [][]registrationRow{out.Registered, out.Waitlist, out.Cancelled} {
		for i := range rows {
			rows[i].Name = name(rows[i].provider)
		}
	}
	if p.IsStaff() {
		plan, err := w.svc.Trainings.Interpretation(ctx, string(off.ID), 0)
		if err != nil {
			return w.fail(c, err)
		}
		for _, b := range plan {
			who := make([]string, len(b.Registrants))
			for i, id := range b.Registrants {
				who[i] = name(id)
			}
			out.Bookings = append(out.Bookings, bookingRow{Session: when[b.SessionID], Language: l.Language(string(b.Language)),
				Interpreters: b.Interpreters, Registrants: strings.Join(who, ", "), BookBy: l.Date(b.BookBy)})
		}
	}
	if out.Choices, err = w.providerChoices(c, Prefix+"/trainings/"+url.PathEscape(string(off.ID)), "#register-h"); err != nil { // paging.go
		return w.fail(c, err)
	}
	for code := range languageNames[l] {
		out.Languages = append(out.Languages, langChoice{Code: code, Name: l.Language(code)})
	}
	slices.SortFunc(out.Languages, func(a, b langChoice) int { return strings.Compare(a.Name, b.Name) })
	return w.render(c, http.StatusOK, "trainings_offering", "trainings.offering_title", out, off.Title)
}

// register registers a provider for the offering (or one session), or
// puts them on its waitlist when it is full.
func (w *Web) register(c echo.Context) error {
	req := service.RegistrationRequest{ProviderID: bsk.ProviderID(strings.TrimSpace(c.FormValue("provider_id"))),
		SessionID: bsk.SessionID(strings.TrimSpace(c.FormValue("session_id"))), Interpretation: bsk.Language(c.FormValue("interpretation"))}
	g, err := w.svc.Trainings.Register(service.WithLanguage(c.Request().Context(), scholarship.Lang(lang(c))), c.Param("id"), req)
	if err != nil {
		return w.fail(c, err)
	}
	done := "registered"
	if g.Status == bsk.RegistrationWaitlisted {
		done = "waitlisted"
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/trainings/"+url.PathEscape(c.Param("id"))+"?done="+done)
}

// cancelRegistration cancels a registration; the first on the waitlist
// takes a freed seat.
func (w *Web) cancelRegistration(c echo.Context) error {
	res, err := w.svc.Trainings.Cancel(c.Request().Context(), c.Param("id"), c.FormValue("registration"))
	if err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/trainings/"+url.PathEscape(c.Param("id"))+"?done=cancelled&promoted="+strconv.Itoa(len(res.Notices)))
}

type staffRegsPage struct {
	Registrations []staffReg
	Notices       []staffNotice
	// The pagers of each list (paging.go).
	RegsPrev, RegsNext, NoticesPrev, NoticesNext string
}

type staffReg struct {
	Name, OfferingID, Offering, Status, At string
}

type staffNotice struct {
	Name, OfferingID, Offering, At string
	Position                       int
}

// staffRegistrations lists the registrations and waitlist notices the
// caller may see: an agency its own staff's.
func (w *Web) staffRegistrations(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	// A page of each list at a time, read alone; names are read for the
	// rows shown.
	regs, err := w.svc.Trainings.StaffRegistrationsPage(ctx, pageFrom(c, "page"), pageFrom(c, "notices_page"), pageSize)
	if err != nil {
		return w.fail(c, err)
	}
	var shown []bsk.ProviderID
	for _, g := range regs.Registrations {
		shown = append(shown, g.ProviderID)
	}
	for _, n := range regs.Notices {
		shown = append(shown, n.ProviderID)
	}
	names, err := w.svc.Workforce.ProviderNames(ctx, shown)
	if err != nil {
		return w.fail(c, err)
	}
	titles := map[bsk.OfferingID]string{}
	name := func(id bsk.ProviderID) string {
		if n, ok := names[id]; ok {
			return n
		}
		return string(id)
	}
	title := func(id bsk.OfferingID) string {
		if _, ok := titles[id]; !ok {
			titles[id] = string(id)
			if v, err := w.svc.Workforce.Offerings.Get(ctx, string(id)); err == nil {
				titles[id] = v.Title
			}
		}
		return titles[id]
	}
	var out staffRegsPage
	_, _, out.RegsPrev, out.RegsNext = pageOf(c, regs.RegistrationsTotal, "page")
	_, _, out.NoticesPrev, out.NoticesNext = pageOf(c, regs.NoticesTotal, "notices_page")
	for _, g := range regs.Registrations {
		out.Registrations = append(out.Registrations, staffReg{Name: name(g.ProviderID), OfferingID: string(g.OfferingID), Offering: title(g.OfferingID),
			Status: l.T("registration." + string(g.Status)), At: l.DateTime(g.At)})
	}
	for _, n := range regs.Notices {
		out.Notices = append(out.Notices, staffNotice{Name: name(n.ProviderID), OfferingID: string(n.OfferingID), Offering: title(n.OfferingID),
			At: l.DateTime(n.At), Position: n.Position})
	}
	return w.render(c, http.StatusOK, "trainings_registrations", "trainings.registrations_title", out)
}

type reachPage struct {
	Standard string
	Months   []reachMonth
	Chart    template.HTML
}

type reachMonth struct {
	Month                          string
	Attendees, Returned, FirstTime equityFigure
	Rate                           string
	Why                            string
}

// reach shows who the trainings reach and keep, month by month, after
// disclosure control, with a chart of the attendees.
func (w *Web) reach(c echo.Context) error {
	l := lang(c)
	r, err := w.svc.Trainings.Reach(c.Request().Context(), nil)
	if err != nil {
		return w.fail(c, err)
	}
	out := reachPage{Standard: l.standard(r.Disclosure)}
	rates := map[string]*float64{}
	for _, mr := range r.ReturnRate {
		rates[mr.Month] = mr.Rate
	}
	t := r.Months
	col := func(name string) int { return slices.Index(t.Columns, name) }
	cell := func(i, j int) (equityFigure, string) {
		if j < 0 || i >= len(t.Counts) || j >= len(t.Counts[i]) {
			return equityFigure{Text: "—"}, ""
		}
		why := ""
		if t.Counts[i][j] == nil && i < len(t.Rules) && j < len(t.Rules[i]) && t.Rules[i][j] != "" {
			why = l.rule(t.Rules[i][j])
		}
		return l.figure(t.Counts[i][j]), why
	}
	for i, month := range t.Rows {
		m := reachMonth{Month: monthName(l, month), Rate: "—"}
		var w1, w2, w3 string
		m.Attendees, w1 = cell(i, col("attendees"))
		m.Returned, w2 = cell(i, col("returned_next_month"))
		m.FirstTime, w3 = cell(i, col("first_time"))
		m.Why = firstNonEmpty(w1, w2, w3)
		if rt := rates[month]; rt != nil {
			m.Rate = strconv.FormatFloat(100**rt, 'f', 0, 64) + "%"
		}
		out.Months = append(out.Months, m)
	}
	out.Chart = l.reachChart(out.Months, "reach-chart")
	return w.render(c, http.StatusOK, "trainings_reach", "trainings.reach_title", out)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// monthName writes "2026-03" as "March 2026" or "marzo de 2026".
func monthName(l Lang, m string) string { return l.Month(m) }

// reachChart draws the attendees of each month as bars on the scale of
// the largest month shown; a hidden count is written, never drawn.
func (l Lang) reachChart(rows []reachMonth, id string) template.HTML {
	h := chartTop + rowHeight*float64(len(rows)) + 8
	var b strings.Builder
	svgOpen(&b, id, h, l.T("trainings.reach_chart"), l.T("chart.reach_desc"))
	top := 1
	for _, r := range rows {
		if r.Attendees.n != nil {
			top = max(top, *r.Attendees.n)
		}
	}
	axis(&b, h, []float64{0, float64(top) / 2, float64(top)}, float64(top), func(x float64) string { return strconv.Itoa(int(x + 0.5)) })
	for i, r := range rows {
		y := chartTop + rowHeight*float64(i)
		fmt.Fprintf(&b, `<g class="row"><text class="label" x="%s" y="%s" text-anchor="end">%s</text>`, num(labelWidth-8), num(y+rowHeight/2+5), esc(r.Month))
		if r.Attendees.n == nil {
			fmt.Fprintf(&b, `<text class="hidden-mark" x="%s" y="%s">%s</text>`, num(labelWidth+4), num(y+rowHeight/2+5), esc(r.Attendees.Text))
		} else {
			bw := plotWidth * float64(*r.Attendees.n) / float64(top)
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s"/>`, num(labelWidth), num(y+6), num(bw), num(rowHeight-12))
			fmt.Fprintf(&b, `<text class="value" x="%s" y="%s">%s</text>`, num(labelWidth+bw+6), num(y+rowHeight/2+5), esc(r.Attendees.Text))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

type transcriptPage struct {
	Provider             bsk.Provider
	Lines                []transcriptLine
	Training, Reflective string
	ByCompetency         []keyedHours
	ByYear               []keyedHours
}

type transcriptLine struct {
	On, Title, Competency, Hours, Credit string
}

type keyedHours struct {
	Key, Training, Reflective string
}

func hours(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// transcript shows a provider's transcript: each session attended with
// its hours and kind of credit, and hours by competency area and year.
// Staff, the provider's agency and the consultant themself may read it
// (the service decides); endorsement progress is not offered by the
// service, so the page shows the transcript alone.
func (w *Web) transcript(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	tr, err := w.svc.Trainings.Transcript(ctx, c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	prov, err := w.svc.Workforce.Providers.Get(ctx, c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	out := transcriptPage{Provider: prov, Training: hours(tr.Total.Training), Reflective: hours(tr.Total.Reflective)}
	for _, ln := range tr.Lines {
		comp := ln.Competency
		if comp == "" {
			comp = "—"
		}
		out.Lines = append(out.Lines, transcriptLine{On: l.Date(ln.On), Title: ln.Title, Competency: comp, Hours: hours(ln.Hours), Credit: l.T("credit." + string(ln.Credit))})
	}
	for _, k := range tr.ByCompetency {
		out.ByCompetency = append(out.ByCompetency, keyedHours{Key: k.Key, Training: hours(k.Training), Reflective: hours(k.Reflective)})
	}
	for _, k := range tr.ByYear {
		out.ByYear = append(out.ByYear, keyedHours{Key: k.Key, Training: hours(k.Training), Reflective: hours(k.Reflective)})
	}
	return w.render(c, http.StatusOK, "trainings_transcript", "trainings.transcript_title", out, prov.Name)
}
