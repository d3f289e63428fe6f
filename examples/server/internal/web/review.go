package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// Scholarship review's pages: the reviewer assignment (staff), a
// consultant's blind review queue with its score form, and a run's
// pipeline equity.

func textLang(l Lang) scholarship.Lang {
	if l == Spanish {
		return scholarship.SpanishText
	}
	return scholarship.EnglishText
}

func cycleRef(c echo.Context) service.CycleRef {
	return service.CycleRef{ProgramID: strings.TrimSpace(c.QueryParam("program")), CycleID: strings.TrimSpace(c.QueryParam("cycle"))}
}

type assignmentPage struct {
	Program, Cycle string
	Assignment     *service.ReviewAssignment
	Sets           []assignedSet
	Loads          []assignedLoad
}

type assignedSet struct {
	Application, Reviewers string
}

type assignedLoad struct {
	Reviewer           string
	Assigned, Capacity int
	Excluded           bool
}

// assignment shows a cycle's reviewer assignment, if one was made, and
// the form that makes a new one.
func (w *Web) assignment(c echo.Context) error {
	if !service.MayAssignReviewers(who(c)) {
		return w.notYours(c, "review.assignment_title", "forms.not_yours.assignment")
	}
	ref := cycleRef(c)
	out := assignmentPage{Program: ref.ProgramID, Cycle: ref.CycleID}
	if ref.ProgramID != "" && ref.CycleID != "" {
		a, err := w.svc.Scholarships.Assignment(c.Request().Context(), ref, textLang(lang(c)))
		if err != nil && bsk.ErrorCode(err) != bsk.CodeNotFound {
			return w.fail(c, err)
		}
		if err == nil {
			w.fillAssignment(c, &out, a)
		}
	}
	return w.render(c, http.StatusOK, "review_assignment", "review.assignment_title", out)
}

func (w *Web) fillAssignment(c echo.Context, out *assignmentPage, a service.ReviewAssignment) {
	ctx := c.Request().Context()
	names := map[bsk.ProviderID]string{}
	name := func(id bsk.ProviderID) string {
		if _, ok := names[id]; !ok {
			names[id] = string(id)
			if v, err := w.svc.Workforce.Providers.Get(ctx, string(id)); err == nil {
				names[id] = v.Name
			}
		}
		return names[id]
	}
	out.Assignment = &a
	for _, s := range a.Sets {
		who := make([]string, len(s.Reviewers))
		for i, id := range s.Reviewers {
			who[i] = name(id)
		}
		out.Sets = append(out.Sets, assignedSet{Application: s.ApplicationID, Reviewers: strings.Join(who, ", ")})
	}
	for _, ld := range a.Loads {
		out.Loads = append(out.Loads, assignedLoad{Reviewer: name(ld.Reviewer), Assigned: ld.Assigned, Capacity: ld.Capacity, Excluded: ld.Excluded})
	}
}

// assign makes a cycle's reviewer assignment from the form: reviewers
// per application, the fields hidden from consultants, and one reviewer a
// line ("prov-00012 5 es vi": provider ID, capacity, languages besides
// English).
func (w *Web) assign(c echo.Context) error {
	ref := service.CycleRef{ProgramID: strings.TrimSpace(c.FormValue("program")), CycleID: strings.TrimSpace(c.FormValue("cycle"))}
	per, _ := strconv.Atoi(c.FormValue("per_application"))
	setup := service.ReviewSetup{Settings: scholarship.ReviewSettings{PerApplication: per}}
	form, _ := c.FormParams()
	for _, f := range form["hide"] {
		if setup.Settings.Blind.Hide == nil {
			setup.Settings.Blind.Hide = map[string][]scholarship.BlindField{}
		}
		setup.Settings.Blind.Hide[string(service.RoleConsultant)] = append(setup.Settings.Blind.Hide[string(service.RoleConsultant)], scholarship.BlindField(f))
	}
	var problems bsk.Problems
	for i, line := range strings.Split(c.FormValue("reviewers"), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		r := scholarship.Reviewer{ID: bsk.ProviderID(fields[0]), Capacity: 1}
		if len(fields) > 1 {
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				problems.Add(bsk.Index("reviewers", i), "line %d: %q is not a capacity", i+1, fields[1])
				continue
			}
			r.Capacity = n
		}
		for _, code := range fields[min(2, len(fields)):] {
			r.Languages = append(r.Languages, bsk.Language(code))
		}
		setup.Reviewers = append(setup.Reviewers, r)
	}
	if err := problems.Err(); err != nil {
		return w.fail(c, err)
	}
	a, err := w.svc.Scholarships.AssignReviewers(c.Request().Context(), ref, setup, textLang(lang(c)))
	if err != nil {
		return w.fail(c, err)
	}
	out := assignmentPage{Program: ref.ProgramID, Cycle: ref.CycleID}
	w.fillAssignment(c, &out, a)
	return w.render(c, http.StatusOK, "review_assignment", "review.assignment_title", out)
}

type queuePage struct {
	Program, Cycle string
	Asked          bool
	Items          []queueItem
	Criteria       []service.ReviewCriterion
	Saved          int
}

type queueItem struct {
	ID, Name, Employer, Months, Languages, Requested string
	// Hidden lists the fields the reviewer was not shown.
	Hidden []string
}

// queue shows the calling consultant's blind review queue: each
// application as the program's blind policy lets them read it, the
// fields hidden from them listed as hidden, and a score form.
func (w *Web) queue(c echo.Context) error {
	if !service.MayReview(who(c)) {
		return w.notYours(c, "review.queue_title", "forms.not_yours.queue")
	}
	ctx, l := c.Request().Context(), lang(c)
	ref := cycleRef(c)
	out := queuePage{Program: ref.ProgramID, Cycle: ref.CycleID}
	out.Saved, _ = strconv.Atoi(c.QueryParam("saved"))
	if ref.ProgramID == "" || ref.CycleID == "" {
		return w.render(c, http.StatusOK, "review_queue", "review.queue_title", out)
	}
	out.Asked = true
	q, err := w.svc.Scholarships.ReviewQueue(ctx, ref)
	if err != nil {
		return w.fail(c, err)
	}
	if out.Criteria, err = w.svc.Scholarships.ReviewCriteria(ctx, ref); err != nil {
		return w.fail(c, err)
	}
	out.Items = queueItems(l, q.Items)
	return w.render(c, http.StatusOK, "review_queue", "review.queue_title", out)
}

// queueItems are a queue's applications as the reviewer reads them, the
// fields hidden from them written as hidden.
func queueItems(l Lang, views []scholarship.ReviewView) []queueItem {
	hidden := l.T("review.hidden")
	items := make([]queueItem, 0, len(views))
	for _, v := range views {
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
		items = append(items, it)
	}
	return items
}

// score stores the calling reviewer's scores of one application: a field
// per criterion, empty ones skipped.
func (w *Web) score(c echo.Context) error {
	ref := service.CycleRef{ProgramID: strings.TrimSpace(c.FormValue("program")), CycleID: strings.TrimSpace(c.FormValue("cycle"))}
	app := c.FormValue("application")
	form, _ := c.FormParams()
	var reviews []scholarship.Review
	var problems bsk.Problems
	for k, vs := range form {
		crit, ok := strings.CutPrefix(k, "score:")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		pts, err := strconv.ParseFloat(strings.TrimSpace(vs[0]), 64)
		if err != nil {
			problems.Add(crit, "%q is not a number", vs[0])
			continue
		}
		reviews = append(reviews, scholarship.Review{ApplicationID: app, Criterion: crit, Points: pts})
	}
	if err := problems.Err(); err != nil {
		return w.fail(c, err)
	}
	n, err := w.svc.Scholarships.PostQueueReviews(c.Request().Context(), ref, reviews)
	if err != nil {
		return w.fail(c, err)
	}
	q := url.Values{"program": {ref.ProgramID}, "cycle": {ref.CycleID}, "saved": {strconv.Itoa(n)}}
	return c.Redirect(http.StatusSeeOther, Prefix+"/review/queue?"+q.Encode())
}

type pipelinePage struct {
	Program, Cycle, Run, Line string
	Asked                     bool
	Standard                  string
	Steps                     []string
	Total                     pipelineRow
	Dimensions                []pipelineDim
}

type pipelineDim struct {
	Name string
	Rows []pipelineRow
}

type pipelineRow struct {
	Group string
	Cells []pipelineCell
}

type pipelineCell struct {
	Count, Rate string
	Below       bool
}

// pipeline shows where each group of a run's applicants falls away, step
// by step, with rates and the four-fifths check, after disclosure
// control.
func (w *Web) pipeline(c echo.Context) error {
	if !service.MayReadPipeline(who(c)) {
		return w.notYours(c, "review.pipeline_title", "forms.not_yours.pipeline")
	}
	l := lang(c)
	ref := cycleRef(c)
	out := pipelinePage{Program: ref.ProgramID, Cycle: ref.CycleID, Run: strings.TrimSpace(c.QueryParam("run")), Line: strings.TrimSpace(c.QueryParam("line"))}
	if ref.ProgramID == "" || ref.CycleID == "" || out.Run == "" {
		return w.render(c, http.StatusOK, "review_pipeline", "review.pipeline_title", out)
	}
	out.Asked = true
	line := 0.0
	if out.Line != "" {
		v, err := strconv.ParseFloat(out.Line, 64)
		if err != nil {
			return w.fail(c, bsk.Errors{bsk.Invalidf("line", "%q is not a score", out.Line)})
		}
		line = v
	}
	t, err := w.svc.Scholarships.Pipeline(c.Request().Context(), service.RunRef{CycleRef: ref, RunID: out.Run}, service.PipelineQuery{Line: line})
	if err != nil {
		return w.fail(c, err)
	}
	out.Standard = l.standard(t.Disclosure)
	for _, s := range t.Steps {
		out.Steps = append(out.Steps, l.T("step."+string(s)))
	}
	row := func(r scholarship.PipelineRow) pipelineRow {
		pr := pipelineRow{Group: l.groupValue(r.Group)}
		for _, cell := range r.Cells {
			pc := pipelineCell{Count: l.figure(cell.Count).Text, Rate: "—", Below: cell.BelowFourFifths}
			if cell.Rate != nil {
				pc.Rate = strconv.FormatFloat(100**cell.Rate, 'f', 0, 64) + "%"
			}
			pr.Cells = append(pr.Cells, pc)
		}
		return pr
	}
	out.Total = row(t.Total)
	out.Total.Group = l.T("report.everyone")
	at := map[string]int{}
	for _, r := range t.Rows {
		i, ok := at[r.Dimension]
		if !ok {
			i = len(out.Dimensions)
			at[r.Dimension] = i
			out.Dimensions = append(out.Dimensions, pipelineDim{Name: l.T("pipeline.dim." + r.Dimension)})
		}
		out.Dimensions[i].Rows = append(out.Dimensions[i].Rows, row(r))
	}
	return w.render(c, http.StatusOK, "review_pipeline", "review.pipeline_title", out)
}
