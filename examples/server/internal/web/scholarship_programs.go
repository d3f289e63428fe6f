package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// Scholarship programs' pages: the programs, one program with its
// cycles' rules in plain language and budgets in dollars, the form that
// creates or changes a program (staff), and a cycle's page with its runs
// and the form that runs it (staff).

type programsPage struct {
	Programs []programRow
	// Staff may create programs.
	Staff bool
}

type programRow struct {
	ID, Name, Kind string
	// Cycles names the cycles, newest last.
	Cycles string
}

// programs lists the scholarship programs.
func (w *Web) programs(c echo.Context) error {
	l := lang(c)
	page, err := w.svc.Scholarships.Programs(c.Request().Context())
	if err != nil {
		return w.fail(c, err)
	}
	out := programsPage{Staff: who(c).IsStaff()}
	for _, cfg := range page.Items {
		ids := make([]string, len(cfg.Program.Cycles))
		for i, cy := range cfg.Program.Cycles {
			ids[i] = cy.ID
		}
		out.Programs = append(out.Programs, programRow{ID: cfg.Program.ID, Name: cfg.Program.Name, Kind: l.T("program_kind." + string(cfg.Program.Kind)),
			Cycles: strings.Join(ids, ", ")})
	}
	return w.render(c, http.StatusOK, "programs", "programs.title", out)
}

type programPage struct {
	ID, Name, Kind string
	Cycles         []programCycle
	// Agency lists the agencies' own rules every cycle also applies.
	Agency []string
	Staff  bool
	// Done says what the last form did.
	Done string
}

type programCycle struct {
	ID, Effective, Budget string
	// Rules are the eligibility rules in plain language; Terms the money
	// and the commitment.
	Rules, Terms []string
	// Page is the cycle's page; Applications its applications.
	Page, Applications string
}

// program shows one program: each cycle's rules in plain language, its
// budget and terms in dollars, and links to its runs and applications.
func (w *Web) program(c echo.Context) error {
	l := lang(c)
	cfg, err := w.svc.Scholarships.Program(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	p := cfg.Program
	out := programPage{ID: p.ID, Name: p.Name, Kind: l.T("program_kind." + string(p.Kind)), Staff: who(c).IsStaff()}
	if d := c.QueryParam("done"); d == "created" || d == "saved" {
		out.Done = d
	}
	for _, r := range cfg.PluginRules {
		out.Agency = append(out.Agency, l.T("prule.plugin", r))
	}
	for _, r := range cfg.CELRules {
		out.Agency = append(out.Agency, l.T("prule.cel", r))
	}
	for _, cy := range p.Cycles {
		out.Cycles = append(out.Cycles, programCycle{ID: cy.ID, Effective: l.Date(cy.Effective), Budget: l.Dollars(int64(cy.Budget)),
			Rules: l.cycleRules(p, cy), Terms: l.cycleTerms(cy),
			Page:         Prefix + "/scholarships/programs/" + url.PathEscape(p.ID) + "/cycles/" + url.PathEscape(cy.ID),
			Applications: Prefix + "/scholarships/applications?" + url.Values{"program": {p.ID}, "cycle": {cy.ID}}.Encode()})
	}
	return w.render(c, http.StatusOK, "programs_program", "programs.program_title", out, p.Name)
}

// cycleRules says a cycle's eligibility rules in plain language: the
// built-in rules the library applies to it, in their order, with the
// cycle's thresholds.
func (l Lang) cycleRules(p scholarship.Program, cy scholarship.Cycle) []string {
	var out []string
	months, hours := 3, 10.0
	if e := cy.Eligibility; e != nil {
		months, hours = e.MinMonthsEmployed, e.MinHoursPerWeek
	}
	for _, r := range scholarship.BuiltinRules(p, cy) {
		d, ok := r.(scholarship.Describer)
		if !ok {
			continue
		}
		info := d.Describe()
		switch info.Name {
		case "caps":
			if cy.LifetimeCap > 0 {
				out = append(out, l.T("prule.caps_lifetime", l.Dollars(int64(cy.LifetimeCap))))
			} else {
				out = append(out, l.T("prule.caps"))
			}
		case "required_documents":
			if len(cy.RequiredDocuments) > 0 {
				out = append(out, l.T("prule.required_documents", strings.Join(cy.RequiredDocuments, ", ")))
			}
		case "qualifying_program":
			if len(cy.QualifyingPrograms) > 0 {
				out = append(out, l.T("prule.qualifying_program", strings.Join(cy.QualifyingPrograms, ", ")))
			}
		case "minimum_employment":
			out = append(out, l.T("prule.minimum_employment", months, strconv.FormatFloat(hours, 'f', -1, 64)))
		case "minimum_education":
			out = append(out, l.T("prule.minimum_education", l.T("education."+string(cy.Eligibility.MinEducation))))
		case "ready_for_level":
			out = append(out, l.T("prule.ready_for_level", l.T("level."+string(cy.Level))))
		default:
			if _, known := catalog[English]["prule."+info.Name]; known {
				out = append(out, l.T("prule."+info.Name))
			} else {
				out = append(out, info.Description)
			}
		}
	}
	return out
}

// cycleTerms says a cycle's money and commitment in plain language.
func (l Lang) cycleTerms(cy scholarship.Cycle) []string {
	var out []string
	var caps []string
	for _, cat := range categories {
		if v, ok := cy.Caps[cat]; ok {
			caps = append(caps, l.T("programs.cap_of", l.T("category."+string(cat)), l.Dollars(int64(v))))
		}
	}
	if len(caps) > 0 {
		out = append(out, l.T("programs.caps", strings.Join(caps, "; ")))
	}
	for _, h := range cy.Hourly {
		out = append(out, l.T("programs.hourly", l.T("category."+string(h.Category)), l.Dollars(int64(h.Rate))))
	}
	if cy.PerApplicantCap > 0 {
		out = append(out, l.T("programs.per_applicant", l.Dollars(int64(cy.PerApplicantCap))))
	}
	for _, pool := range cy.Pools {
		out = append(out, l.T("programs.pool", l.Dollars(int64(pool.Amount)), l.T("pool."+string(pool.Criterion))))
	}
	if cy.CommitmentMonths > 0 {
		out = append(out, l.T("programs.commitment", cy.CommitmentMonths))
	}
	if cy.CompletionIncentive > 0 {
		out = append(out, l.T("programs.incentive", l.Dollars(int64(cy.CompletionIncentive)), cy.IncentiveAfterMonths))
	}
	return out
}

// categories are the spending categories in the order the forms list them.
var categories = []scholarship.Category{scholarship.Tuition, scholarship.Fees, scholarship.Books, scholarship.ExamFees,
	scholarship.ReleaseTime, scholarship.TrainingTime, scholarship.TravelExpenses}

var programKinds = []scholarship.ProgramKind{scholarship.ESITCareerPathways, scholarship.EndorsementSupport,
	scholarship.TrainingReimbursement, scholarship.AgencyDefined}

type programForm struct {
	// Edit is true for a program on file (its ID fixed).
	Edit                           bool
	ID, Name, Kind, Weight         string
	Kinds                          []option
	Cycle, Effective, Budget       string
	PerApplicant, Lifetime, Months string
	Documents, Qualifying          string
	Caps                           []capField
	// Cycles are the program's cycles, each a link to edit it.
	Cycles []option
	Action string
}

type option struct {
	Value, Label string
	Selected     bool
}

type capField struct {
	Name, Label, Value string
}

// programFormPage shows the form that creates a program with its first
// cycle, or changes a program on file and one of its cycles (?cycle=, a
// new cycle ID adds it).
func (w *Web) programFormPage(c echo.Context) error {
	l := lang(c)
	if p := who(c); !p.IsStaff() {
		return w.fail(c, bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not create or change a program", p.Role))
	}
	out := programForm{Action: Prefix + "/scholarships/programs", Kind: string(scholarship.ESITCareerPathways), Weight: "1"}
	title := "programs.new_title"
	var args []any
	var cy scholarship.Cycle
	if id := c.Param("id"); id != "" {
		cfg, err := w.svc.Scholarships.Program(c.Request().Context(), id)
		if err != nil {
			return w.fail(c, err)
		}
		title, args = "programs.edit_title", []any{cfg.Program.Name}
		out.Edit, out.Action = true, Prefix+"/scholarships/programs/"+url.PathEscape(id)
		out.ID, out.Name, out.Kind = cfg.Program.ID, cfg.Program.Name, string(cfg.Program.Kind)
		out.Weight = strconv.FormatFloat(cfg.PriorityWeight, 'f', -1, 64)
		if cfg.PriorityWeight == 0 {
			out.Weight = "1"
		}
		want := c.QueryParam("cycle")
		if want == "" && len(cfg.Program.Cycles) > 0 {
			want = cfg.Program.Cycles[len(cfg.Program.Cycles)-1].ID
		}
		for _, k := range cfg.Program.Cycles {
			out.Cycles = append(out.Cycles, option{Value: out.Action + "/edit?" + url.Values{"cycle": {k.ID}}.Encode(), Label: k.ID, Selected: k.ID == want})
			if k.ID == want {
				cy = k
			}
		}
		out.Cycle = want
	}
	for _, k := range programKinds {
		out.Kinds = append(out.Kinds, option{Value: string(k), Label: l.T("program_kind." + string(k)), Selected: string(k) == out.Kind})
	}
	if !cy.Effective.IsZero() {
		out.Effective = cy.Effective.Format(time.DateOnly)
	}
	out.Budget, out.PerApplicant, out.Lifetime = dollarsField(cy.Budget), dollarsField(cy.PerApplicantCap), dollarsField(cy.LifetimeCap)
	if cy.CommitmentMonths > 0 {
		out.Months = strconv.Itoa(cy.CommitmentMonths)
	}
	out.Documents, out.Qualifying = strings.Join(cy.RequiredDocuments, "\n"), strings.Join(cy.QualifyingPrograms, "\n")
	for _, cat := range categories {
		f := capField{Name: "cap_" + string(cat), Label: l.T("category_cap", l.T("category."+string(cat)))}
		if v, ok := cy.Caps[cat]; ok {
			f.Value = dollarsField(v)
		}
		out.Caps = append(out.Caps, f)
	}
	return w.render(c, http.StatusOK, "programs_form", title, out, args...)
}

// dollarsField writes cents for a form's field: "9000.00", "" for 0.
func dollarsField(v scholarship.Cents) string {
	if v == 0 {
		return ""
	}
	return dollarsPlain(v)
}

// parseDollars reads an amount in dollars ("9,000", "$9000.50") as cents,
// exactly; "" is 0.
func parseDollars(s string) (scholarship.Cents, bool) {
	s = strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "$"), ",", "")
	if s == "" {
		return 0, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 13 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if hasFrac {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return scholarship.Cents(w*100 + f), true
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, ln := range strings.Split(s, "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			out = append(out, ln)
		}
	}
	return out
}

// cycleFromForm fills cy with the form's cycle fields, every problem
// named by its field.
func cycleFromForm(c echo.Context, cy *scholarship.Cycle, pr *bsk.Problems) {
	cy.ID = strings.TrimSpace(c.FormValue("cycle"))
	if d := strings.TrimSpace(c.FormValue("effective")); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			pr.Add("effective", "%q is not a date such as 2026-09-01", d)
		}
		cy.Effective = t
	} else {
		cy.Effective = time.Time{}
	}
	money := func(field string) scholarship.Cents {
		v, ok := parseDollars(c.FormValue(field))
		if !ok {
			pr.Add(field, "%q is not an amount in dollars, such as 9000.00", c.FormValue(field))
		}
		return v
	}
	cy.Budget, cy.PerApplicantCap, cy.LifetimeCap = money("budget"), money("per_applicant_cap"), money("lifetime_cap")
	cy.Caps = map[scholarship.Category]scholarship.Cents{}
	for _, cat := range categories {
		if strings.TrimSpace(c.FormValue("cap_"+string(cat))) != "" {
			cy.Caps[cat] = money("cap_" + string(cat))
		}
	}
	cy.CommitmentMonths = 0
	if m := strings.TrimSpace(c.FormValue("commitment_months")); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			pr.Add("commitment_months", "%q is not a number of months", m)
		}
		cy.CommitmentMonths = n
	}
	cy.RequiredDocuments, cy.QualifyingPrograms = lines(c.FormValue("documents")), lines(c.FormValue("qualifying"))
}

// programFromForm fills cfg's program fields from the form.
func programFromForm(c echo.Context, cfg *service.ProgramConfig, pr *bsk.Problems) {
	cfg.Program.Name = strings.TrimSpace(c.FormValue("name"))
	cfg.Program.Kind = scholarship.ProgramKind(c.FormValue("kind"))
	if w := strings.TrimSpace(c.FormValue("priority_weight")); w != "" {
		v, err := strconv.ParseFloat(w, 64)
		if err != nil {
			pr.Add("priority_weight", "%q is not a number", w)
		}
		cfg.PriorityWeight = v
	}
}

// createProgram creates a program with its first cycle from the form.
func (w *Web) createProgram(c echo.Context) error {
	var pr bsk.Problems
	var cfg service.ProgramConfig
	cfg.Program.ID = strings.TrimSpace(c.FormValue("id"))
	programFromForm(c, &cfg, &pr)
	var cy scholarship.Cycle
	cycleFromForm(c, &cy, &pr)
	cfg.Program.Cycles = []scholarship.Cycle{cy}
	if err := pr.Err(); err != nil {
		return w.fail(c, err)
	}
	if _, err := w.svc.Scholarships.CreateProgram(c.Request().Context(), cfg); err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships/programs/"+url.PathEscape(cfg.Program.ID)+"?done=created")
}

// updateProgram changes a program on file and one of its cycles (a new
// cycle ID adds a cycle); what the form does not show is kept.
func (w *Web) updateProgram(c echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	cfg, err := w.svc.Scholarships.Program(ctx, id)
	if err != nil {
		return w.fail(c, err)
	}
	var pr bsk.Problems
	programFromForm(c, &cfg, &pr)
	want := strings.TrimSpace(c.FormValue("cycle"))
	at := -1
	for i, cy := range cfg.Program.Cycles {
		if cy.ID == want {
			at = i
		}
	}
	if at < 0 {
		cfg.Program.Cycles = append(cfg.Program.Cycles, scholarship.Cycle{})
		at = len(cfg.Program.Cycles) - 1
	}
	cycleFromForm(c, &cfg.Program.Cycles[at], &pr)
	if err := pr.Err(); err != nil {
		return w.fail(c, err)
	}
	if _, err := w.svc.Scholarships.UpdateProgram(ctx, id, cfg); err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships/programs/"+url.PathEscape(id)+"?done=saved")
}

type cyclePage struct {
	Program, ProgramName, Cycle string
	Effective, Budget           string
	Rules, Terms                []string
	Runs                        []cycleRunRow
	Applications                string
	ProgramPage                 string
	Action                      string
}

type cycleRunRow struct {
	ID, At, Spent, Left string
	Awards, Waitlisted  int
	Counts              string
	Decisions, Ledger   string
}

// cycle shows one cycle of a program with its runs, each linked to its
// decisions and ledger, and the form that runs the cycle (staff).
func (w *Web) cycle(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	ref := service.CycleRef{ProgramID: c.Param("id"), CycleID: c.Param("cycle")}
	runs, err := w.svc.Scholarships.CycleRuns(ctx, ref)
	if err != nil {
		return w.fail(c, err)
	}
	cfg, err := w.svc.Scholarships.Program(ctx, ref.ProgramID)
	if err != nil {
		return w.fail(c, err)
	}
	cy, err := cfg.Program.Cycle(ref.CycleID)
	if err != nil {
		return w.fail(c, err)
	}
	base := Prefix + "/scholarships/programs/" + url.PathEscape(ref.ProgramID)
	out := cyclePage{Program: ref.ProgramID, ProgramName: cfg.Program.Name, Cycle: cy.ID, Effective: l.Date(cy.Effective), Budget: l.Dollars(int64(cy.Budget)),
		Rules: l.cycleRules(cfg.Program, cy), Terms: l.cycleTerms(cy), ProgramPage: base,
		Applications: Prefix + "/scholarships/applications?" + url.Values{"program": {ref.ProgramID}, "cycle": {cy.ID}}.Encode(),
		Action:       base + "/cycles/" + url.PathEscape(cy.ID) + "/runs"}
	for _, r := range runs {
		q := url.Values{"program": {ref.ProgramID}, "cycle": {cy.ID}, "run": {r.ID}}.Encode()
		var counts []string
		for _, o := range []scholarship.Outcome{scholarship.Eligible, scholarship.NeedsReview, scholarship.Ineligible} {
			if n := r.Counts[o]; n > 0 {
				counts = append(counts, l.T("cycle.count", n, l.T("outcome."+string(o))))
			}
		}
		out.Runs = append(out.Runs, cycleRunRow{ID: r.ID, At: l.DateTime(r.At), Spent: l.Dollars(int64(r.Spent)), Left: l.Dollars(int64(r.Left)),
			Awards: r.Awards, Waitlisted: r.Waitlisted, Counts: strings.Join(counts, ", "),
			Decisions: Prefix + "/scholarships?" + q, Ledger: Prefix + "/scholarships/ledger?" + q})
	}
	return w.render(c, http.StatusOK, "cycle_run", "cycle.title", out, cfg.Program.Name, cy.ID)
}

// runCycle runs a cycle from its form and shows the run's decisions.
func (w *Web) runCycle(c echo.Context) error {
	ref := service.CycleRef{ProgramID: c.Param("id"), CycleID: c.Param("cycle")}
	run, err := w.svc.Scholarships.Run(c.Request().Context(), ref)
	if err != nil {
		return w.fail(c, err)
	}
	q := url.Values{"program": {ref.ProgramID}, "cycle": {ref.CycleID}, "run": {run.ID}}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships?"+q.Encode())
}
