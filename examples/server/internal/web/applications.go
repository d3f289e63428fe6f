package web

import (
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

// Scholarship applications' pages: the applications the caller may see a
// page at a time with filters, one application with its decision and the
// reasons in plain language, and the form that submits one (an agency for
// its own staff, staff for anyone).

type applicationsPage struct {
	Program, Cycle, Status string
	Programs, Statuses     []option
	Applications           []applicationRow
	Next                   string
	// Asked is true when a filter is set.
	Asked bool
}

type applicationRow struct {
	Link, Applicant, Program, Cycle, Submitted string
	Requested, Status, Award                   string
}

// applications lists the applications the caller may see, newest
// identifiers last, filtered by program, cycle and status.
func (w *Web) applications(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	out := applicationsPage{Program: strings.TrimSpace(c.QueryParam("program")), Cycle: strings.TrimSpace(c.QueryParam("cycle")),
		Status: strings.TrimSpace(c.QueryParam("status"))}
	out.Asked = out.Program != "" || out.Cycle != "" || out.Status != ""
	progs, err := w.svc.Scholarships.Programs(ctx)
	if err != nil {
		return w.fail(c, err)
	}
	names := map[string]string{}
	for _, cfg := range progs.Items {
		names[cfg.Program.ID] = cfg.Program.Name
		out.Programs = append(out.Programs, option{Value: cfg.Program.ID, Label: cfg.Program.Name, Selected: cfg.Program.ID == out.Program})
	}
	for _, st := range service.ApplicationStatuses() {
		out.Statuses = append(out.Statuses, option{Value: string(st), Label: l.T("appstatus." + string(st)), Selected: string(st) == out.Status})
	}
	page, err := w.svc.Scholarships.FindApplications(ctx, service.ApplicationQuery{ProgramID: out.Program, CycleID: out.Cycle,
		Status: service.ApplicationStatus(out.Status), Cursor: c.QueryParam("cursor"), Limit: pageSize})
	if err != nil {
		return w.fail(c, err)
	}
	for _, a := range page.Items {
		row := applicationRow{Link: Prefix + "/scholarships/applications/" + url.PathEscape(a.ID), Applicant: a.Applicant, Program: names[a.ProgramID],
			Cycle: a.CycleID, Submitted: l.Date(a.Submitted), Requested: l.Dollars(int64(a.Requested)), Status: l.T("appstatus." + string(a.Status)), Award: "—"}
		if row.Program == "" {
			row.Program = a.ProgramID
		}
		if a.Award > 0 {
			row.Award = l.Dollars(int64(a.Award))
		}
		out.Applications = append(out.Applications, row)
	}
	if page.NextCursor != "" {
		out.Next = Prefix + "/scholarships/applications?" + url.Values{"program": {out.Program}, "cycle": {out.Cycle}, "status": {out.Status}, "cursor": {page.NextCursor}}.Encode()
	}
	return w.render(c, http.StatusOK, "applications", "applications.title", out)
}

type applicationPage struct {
	ID, Program, ProgramLink, Cycle  string
	Applicant, Employer, Submitted   string
	Languages, Status, Withdrawn     string
	Requested                        []labelled
	Documents                        string
	Decided                          bool
	Outcome, Award, RunAt, Decisions string
	Texts                            []string
	Staff                            bool
	// Withdrawable is true before the cycle has judged the application.
	Withdrawable bool
	// Done says what the last form did.
	Done string
}

type labelled struct {
	Label, Value string
}

// application shows one application with where it stands and its
// decision in its cycle's newest run, the reasons in the reader's
// language.
func (w *Web) application(c echo.Context) error {
	l := lang(c)
	v, err := w.svc.Scholarships.Application(c.Request().Context(), c.Param("id"), textLang(l))
	if err != nil {
		return w.fail(c, err)
	}
	a := v.Application
	out := applicationPage{ID: a.ID, Program: v.Program, Cycle: a.CycleID, Applicant: a.Applicant.Name, Submitted: l.Date(a.Submitted),
		Languages: l.Langs(a.Applicant.Languages), Status: l.T("appstatus." + string(v.Status)), Staff: who(c).IsStaff(),
		ProgramLink: Prefix + "/scholarships/programs/" + url.PathEscape(a.ProgramID), Employer: "—"}
	if e := a.Applicant.Employer; e != nil {
		out.Employer = e.Name
	}
	if v.Withdrawn != nil {
		out.Withdrawn = l.Date(v.Withdrawn.At)
	}
	out.Withdrawable = v.Status == service.StatusSubmitted && v.RunID == ""
	if c.QueryParam("done") == "withdrawn" {
		out.Done = "withdrawn"
	}
	for _, cat := range categories {
		if amt, ok := a.Requested[cat]; ok {
			out.Requested = append(out.Requested, labelled{Label: l.T("category." + string(cat)), Value: l.Dollars(int64(amt))})
		}
		if h, ok := a.Hours[cat]; ok {
			out.Requested = append(out.Requested, labelled{Label: l.T("category." + string(cat)),
				Value: l.T("applications.hours_of", strconv.FormatFloat(h.PerWeek, 'f', -1, 64), h.Weeks)})
		}
	}
	out.Documents = l.T("none")
	if len(a.Documents) > 0 {
		out.Documents = strings.Join(a.Documents, ", ")
	}
	if d := v.Decision; d != nil {
		out.Decided = true
		out.Outcome, out.Texts, out.RunAt, out.Award = l.T("outcome."+string(d.Outcome)), d.Texts, l.DateTime(v.RunAt), "—"
		if d.Award != nil {
			out.Award = l.Dollars(int64(d.Award.Amount))
		}
		out.Decisions = Prefix + "/scholarships?" + url.Values{"program": {a.ProgramID}, "cycle": {a.CycleID}, "run": {v.RunID}}.Encode()
	}
	return w.render(c, http.StatusOK, "applications_application", "applications.application_title", out, a.Applicant.Name)
}

type applicationForm struct {
	// Cycles are the cycles to apply to, "program/cycle".
	Cycles []option
	// Chosen is true once a cycle is chosen; the rest is its form.
	Chosen                bool
	Program, Cycle, Name  string
	Choices               []bsk.Provider
	Amounts               []capField
	Hourly                []capField
	Documents, Qualifying []string
}

// applicationFormPage shows the form that submits an application: first
// the cycle, then the provider who applies, the amounts in the cycle's
// covered categories, the documents and the answers.
func (w *Web) applicationFormPage(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	progs, err := w.svc.Scholarships.Programs(ctx)
	if err != nil {
		return w.fail(c, err)
	}
	chosen := c.QueryParam("cycle")
	out := applicationForm{}
	for _, cfg := range progs.Items {
		for _, cy := range cfg.Program.Cycles {
			v := cfg.Program.ID + "/" + cy.ID
			out.Cycles = append(out.Cycles, option{Value: v, Label: l.T("applications.cycle_of", cfg.Program.Name, cy.ID), Selected: v == chosen})
			if v != chosen {
				continue
			}
			out.Chosen, out.Program, out.Cycle, out.Name = true, cfg.Program.ID, cy.ID, l.T("applications.cycle_of", cfg.Program.Name, cy.ID)
			out.Documents, out.Qualifying = cy.RequiredDocuments, cy.QualifyingPrograms
			for _, cat := range categories {
				label := l.T("category." + string(cat))
				if slices.ContainsFunc(cy.Hourly, func(h scholarship.HourlyItem) bool { return h.Category == cat }) {
					out.Hourly = append(out.Hourly, capField{Name: string(cat), Label: label})
				} else if v, ok := cy.Caps[cat]; ok {
					out.Amounts = append(out.Amounts, capField{Name: "amount_" + string(cat), Label: l.T("applications.amount", label, l.Dollars(int64(v)))})
				}
			}
		}
	}
	if chosen != "" && !out.Chosen {
		return w.fail(c, bsk.NotFoundf("cycle", "no cycle %q", chosen))
	}
	if out.Chosen && !who(c).IsStaff() {
		staff, err := w.svc.Workforce.Providers.List(ctx, service.ListQuery{Limit: 1000})
		if err != nil {
			return w.fail(c, err)
		}
		out.Choices = staff.Items
	}
	return w.render(c, http.StatusOK, "applications_form", "applications.new_title", out)
}

// submitApplication submits the form's application and shows it.
func (w *Web) submitApplication(c echo.Context) error {
	ref := service.CycleRef{ProgramID: strings.TrimSpace(c.FormValue("program")), CycleID: strings.TrimSpace(c.FormValue("cycle"))}
	f := service.ApplicationForm{ProviderID: strings.TrimSpace(c.FormValue("provider_id")), Requested: map[scholarship.Category]scholarship.Cents{}}
	var pr bsk.Problems
	if m := strings.TrimSpace(c.FormValue("months_employed")); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			pr.Add("months_employed", "%q is not a number of months", m)
		}
		f.MonthsEmployed = &n
	}
	if h := strings.TrimSpace(c.FormValue("hours_per_week")); h != "" {
		v, err := strconv.ParseFloat(h, 64)
		if err != nil {
			pr.Add("hours_per_week", "%q is not a number of hours", h)
		}
		f.HoursPerWeek = &v
	}
	for _, cat := range categories {
		if s := c.FormValue("amount_" + string(cat)); strings.TrimSpace(s) != "" {
			v, ok := parseDollars(s)
			if !ok {
				pr.Add("amount_"+string(cat), "%q is not an amount in dollars, such as 500.00", s)
			}
			f.Requested[cat] = v
		}
		per, weeks := strings.TrimSpace(c.FormValue("hours_"+string(cat))), strings.TrimSpace(c.FormValue("weeks_"+string(cat)))
		if per == "" && weeks == "" {
			continue
		}
		hp, err1 := strconv.ParseFloat(per, 64)
		wk, err2 := strconv.Atoi(weeks)
		if err1 != nil || err2 != nil {
			pr.Add("hours_"+string(cat), "hours a week and weeks are numbers, such as 3 and 30")
			continue
		}
		if f.Hours == nil {
			f.Hours = map[scholarship.Category]scholarship.Hours{}
		}
		f.Hours[cat] = scholarship.Hours{PerWeek: hp, Weeks: wk}
	}
	form, _ := c.FormParams()
	f.Documents = form["documents"]
	f.Answers = scholarship.Answers{EnrolledProgram: strings.TrimSpace(c.FormValue("enrolled_program")),
		EmployerConfirmed: c.FormValue("employer_confirmed") == "on", FirstGeneration: c.FormValue("first_generation") == "on",
		LivedExperience: c.FormValue("lived_experience") == "on", ServesRural: c.FormValue("serves_rural") == "on"}
	if n := c.FormValue("financial_need"); n != "" {
		v, err := strconv.Atoi(n)
		if err != nil {
			pr.Add("financial_need", "%q is not 0 to 3", n)
		}
		f.Answers.FinancialNeed = v
	}
	if err := pr.Err(); err != nil {
		return w.fail(c, err)
	}
	app, err := w.svc.Scholarships.SubmitForm(c.Request().Context(), ref, f)
	if err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships/applications/"+url.PathEscape(app.ID))
}

// withdrawApplication withdraws an application before its cycle runs
// and shows it.
func (w *Web) withdrawApplication(c echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	v, err := w.svc.Scholarships.Application(ctx, id, textLang(lang(c)))
	if err != nil {
		return w.fail(c, err)
	}
	ref := service.CycleRef{ProgramID: v.Application.ProgramID, CycleID: v.Application.CycleID}
	if _, err := w.svc.Scholarships.Withdraw(ctx, ref, id); err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships/applications/"+url.PathEscape(id)+"?done=withdrawn")
}
