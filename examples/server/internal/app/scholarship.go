package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

// ProgramConfig is a scholarship program as the server runs it: the
// program and its cycles, how applications are scored, and which agencies'
// plug-in rules judge eligibility beside the built-in rules.
type ProgramConfig struct {
	// Program is the program with its cycles' parameters.
	Program scholarship.Program `json:"program"`
	// PriorityWeight is the points each of the seeds' priority criteria is
	// worth (languages, BIPOC, rural or underserved places, lived
	// experience, first generation, need); 0 means 1.
	PriorityWeight float64 `json:"priority_weight,omitempty"`
	// Reviewed are rubric lines reviewers score, on 0 to Max.
	Reviewed []scholarship.Weighted `json:"reviewed,omitempty"`
	// Normalize rescales each reviewer's points (see scholarship.Rubric).
	Normalize bool `json:"normalize,omitempty"`
	// PluginRules are agencies' eligibility rules, as "plugin/rule".
	PluginRules []string `json:"plugin_rules,omitempty"`
	// Disclosure names the disclosure-control standard of the program's
	// equity summaries: "wa_doh" (the default) or "phskc", a standard with
	// a small-counts rule. Staff set it when they create the program; only
	// an administrator may change it, and each cycle run keeps the
	// standard in force when it ran, so that every table of one release
	// is protected the same way and no reader can compare two standards.
	Disclosure string `json:"disclosure,omitempty"`
}

// standard returns the name of the program's disclosure standard.
func (c ProgramConfig) standard() string {
	if c.Disclosure == "" {
		return "wa_doh"
	}
	return c.Disclosure
}

// Validate checks the program, the rubric, the plug-in rule names and the
// disclosure standard.
func (c ProgramConfig) Validate() error {
	var pr bsk.Problems
	pr.Merge("program", c.Program.Validate())
	if c.PriorityWeight < 0 {
		pr.Add("priority_weight", "must be at least 0")
	}
	if d, ok := survey.Presets()[c.standard()]; !ok || d.Off || d.MinCount <= 0 {
		pr.Add("disclosure", "%q is not a standard that hides small counts: equity summaries are counts, use wa_doh or phskc", c.Disclosure)
	}
	pr.Merge("", c.rubric(scholarship.Cycle{}).Validate())
	for i, r := range c.PluginRules {
		if p, n, ok := strings.Cut(r, "/"); !ok || p == "" || n == "" {
			pr.Add(bsk.Index("plugin_rules", i), "%q is not plugin/rule", r)
		}
	}
	return pr.Err()
}

func (c ProgramConfig) rubric(cy scholarship.Cycle) scholarship.Rubric {
	w := c.PriorityWeight
	if w == 0 {
		w = 1
	}
	return scholarship.Rubric{Lines: append(scholarship.PriorityCriteria(w, cy.PriorityLanguages), c.Reviewed...), Normalize: c.Normalize}
}

// CycleRun is one run of a cycle: its counts, ranking and allocation. The
// decision records are stored one per application beside it. Running a
// cycle again makes a new run; the newest is the current one.
type CycleRun struct {
	ID        string                      `json:"id"`
	ProgramID string                      `json:"program_id"`
	CycleID   string                      `json:"cycle_id"`
	At        time.Time                   `json:"at"`
	By        string                      `json:"by"`
	Rules     []scholarship.RuleInfo      `json:"rules"`
	Counts    map[scholarship.Outcome]int `json:"counts"`
	// NeedsReview lists applications a person must look at, such as those
	// whose agency plug-in failed during the run.
	NeedsReview []string               `json:"needs_review"`
	Ranking     []string               `json:"ranking"`
	Allocation  scholarship.Allocation `json:"allocation"`
	Declined    []string               `json:"declined,omitempty"`
	Seconds     float64                `json:"seconds"`
	// Disclosure is the program's disclosure standard when the cycle ran:
	// the run's equity summary is protected by it.
	Disclosure string `json:"disclosure,omitempty"`
	// Skipped lists stored applications the run did not judge: a second
	// application from one person (the earliest is judged) or one that is
	// no longer valid. Staff see them here and withdraw or fix them.
	Skipped []SkippedApplication `json:"skipped,omitempty"`
	// Failures holds the full errors of rules and criteria that failed
	// during the run: for administrators only, as they may name other
	// agencies' applications, plug-in files and checksums. Everyone else
	// reads the failed rule and the error's code in the decisions.
	Failures []RuleFailure `json:"failures,omitempty"`
}

// SkippedApplication is a stored application a run did not judge, and why.
type SkippedApplication struct {
	ApplicationID string `json:"application_id"`
	// Code is "duplicate_person" or "invalid".
	Code string `json:"code"`
	// Other is the application judged instead, for a duplicate.
	Other string `json:"other,omitempty"`
}

// RuleFailure is the full error of a rule (or "rubric") that failed in a run.
type RuleFailure struct {
	Rule    string   `json:"rule"`
	Version string   `json:"version,omitempty"`
	Code    bsk.Code `json:"code"`
	Error   string   `json:"error"`
}

// Withdrawal records that an application was withdrawn.
type Withdrawal struct {
	ApplicationID string    `json:"application_id"`
	At            time.Time `json:"at"`
	By            string    `json:"by"`
}

// storedApplication is an application as stored: the application, and its
// withdrawal once withdrawn.
type storedApplication struct {
	scholarship.Application
	Withdrawn *Withdrawal `json:"withdrawn,omitempty"`
}

// DecisionCheck is the answer of verifying a decision record against the
// stored application and the deployment's key.
type DecisionCheck struct {
	ApplicationID string `json:"application_id"`
	InputsHash    string `json:"inputs_hash"`
	// Matches is true when the record was made from the stored application.
	Matches bool `json:"matches"`
}

// Decision is a decision record with its reasons in the reader's language,
// as the reader may see it: a reader who may not see the applicant's
// demographics (a coordinator) reads it without the score lines derived
// from them, with a total that is the sum of the lines shown, and without
// the name of a demographic set-aside (see
// scholarship.DecisionRecord.WithoutDemographics).
type Decision struct {
	scholarship.DecisionRecord
	// Language is the language of Texts: "en" or "es", from Accept-Language.
	Language string `json:"language"`
	// Texts renders Reasons, in order.
	Texts []string `json:"texts"`
}

// DeclineRequest lists awards the applicants declined.
type DeclineRequest struct {
	ApplicationIDs []string `json:"application_ids"`
}

func (a *App) scholarshipRoutes(g *echo.Group) {
	staff := allow(RoleAdmin, RoleCoordinator)
	applicants := allow(RoleAdmin, RoleCoordinator, RoleAgency)
	g.POST("/programs", a.putProgram, staff)
	g.PUT("/programs/:id", a.putProgram, staff)
	g.GET("/programs", a.listPrograms, applicants)
	g.GET("/programs/:id", a.getProgram, applicants)
	c := "/programs/:id/cycles/:cycle"
	g.POST(c+"/applications", a.submitApplication, applicants)
	g.GET(c+"/applications", a.listApplications, applicants)
	g.POST(c+"/applications/:app/withdraw", a.withdrawApplication, applicants)
	g.POST(c+"/reviews", a.postReviews, staff)
	g.POST(c+"/runs", a.runCycle, staff)
	g.GET(c+"/runs/:run", a.getCycleRun, staff)
	g.GET(c+"/runs/:run/decisions", a.listDecisions, applicants)
	g.GET(c+"/runs/:run/decisions/:app/verify", a.verifyDecision, allow(RoleAdmin))
	g.POST(c+"/runs/:run/declines", a.decline, staff)
	g.POST(c+"/runs/:run/ledger", a.appendLedger, staff)
	g.GET(c+"/runs/:run/ledger", a.listLedger, staff)
	g.GET(c+"/runs/:run/ledger/:app/owed", a.owed, staff)
	g.GET(c+"/runs/:run/equity", a.equity, staff)
}

// disclosureFor reads ?standard= (wa_doh by default). Unsuppressed figures
// are for administrators only.
func disclosureFor(c echo.Context) (survey.Disclosure, error) {
	name := c.QueryParam("standard")
	if name == "" {
		name = "wa_doh"
	}
	d, ok := survey.Presets()[name]
	if !ok {
		return d, bsk.Errors{bsk.Invalidf("standard", "unknown disclosure standard %q (wa_doh, phskc, nchs or unsuppressed)", name)}
	}
	if d.Off && principal(c).Role != RoleAdmin {
		return d, bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may read unsuppressed figures")
	}
	return d, nil
}

// equityDisclosure is the standard of a run's equity summary: the one the
// program had when the cycle ran (the program's for older runs). A reader
// does not choose it: ?standard= and ?population= are refused. An
// administrator may ask for the figures unsuppressed (?unsuppressed=true).
func equityDisclosure(c echo.Context, cfg ProgramConfig, run CycleRun) (survey.Disclosure, error) {
	var pr bsk.Problems
	for _, q := range []string{"standard", "population"} {
		if c.QueryParams().Has(q) {
			pr.Add(q, "is not accepted: the disclosure standard belongs to the program and its runs, set by staff, not to the reader")
		}
	}
	if u := c.QueryParam("unsuppressed"); c.QueryParams().Has("unsuppressed") && u != "true" {
		pr.Add("unsuppressed", "must be true when given")
	}
	if err := pr.Err(); err != nil {
		return survey.Disclosure{}, err
	}
	if c.QueryParam("unsuppressed") == "true" {
		if principal(c).Role != RoleAdmin {
			return survey.Disclosure{}, bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may read unsuppressed figures")
		}
		return survey.Unsuppressed(), nil
	}
	name := run.Disclosure
	if name == "" {
		name = cfg.standard()
	}
	d, ok := survey.Presets()[name]
	if !ok || d.Off {
		return d, bsk.Errorf(bsk.CodeInternal, "run %q has disclosure standard %q", run.ID, name)
	}
	return d, nil
}

// equity is the cycle's equity summary after disclosure control.
func (a *App) equity(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	d, err := equityDisclosure(c, cfg, run)
	if err != nil {
		return err
	}
	apps, _, err := a.applicationsOf(ctx, cfg.Program.ID, cy.ID, "")
	if err != nil {
		return err
	}
	recs, err := allOfParent[scholarship.DecisionRecord](ctx, a.db, store.Decisions, run.ID)
	if err != nil {
		return err
	}
	outcome := map[string]scholarship.Verdict{}
	for _, r := range recs {
		outcome[r.ApplicationID] = scholarship.Verdict{Outcome: r.Outcome, Reasons: r.Reasons}
	}
	var judged []scholarship.Application
	var verdicts []scholarship.Verdict
	for _, app := range apps {
		if v, ok := outcome[app.ID]; ok {
			judged = append(judged, app)
			verdicts = append(verdicts, v)
		}
	}
	p, err := scholarship.Equity(judged, verdicts, run.Allocation).Protect(d)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (a *App) putProgram(c echo.Context) error {
	ctx := c.Request().Context()
	var cfg ProgramConfig
	if err := decodeStrict(c, &cfg); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	id := c.Param("id")
	if id != "" && id != cfg.Program.ID {
		return bsk.Errors{bsk.Invalidf("program.id", "%q differs from the path's %q", cfg.Program.ID, id)}
	}
	p := principal(c)
	if id != "" && p.Role != RoleAdmin {
		old, err := a.loadProgram(ctx, id)
		if err != nil {
			return err
		}
		if old.standard() != cfg.standard() {
			return bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may change a program's disclosure standard (%s)", old.standard())
		}
	}
	b, _ := json.Marshal(cfg)
	rec := store.Record{ID: cfg.Program.ID, Doc: b}
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if id == "" {
			err = tx.Insert(ctx, store.Programs, rec)
		} else {
			err = tx.Update(ctx, store.Programs, rec)
		}
		if err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, map[bool]string{true: "create", false: "update"}[id == ""], "program", cfg.Program.ID)
	})
	if err != nil {
		return err
	}
	if id == "" {
		return c.JSON(http.StatusCreated, cfg)
	}
	return c.JSON(http.StatusOK, cfg)
}

func (a *App) loadProgram(ctx context.Context, id string) (ProgramConfig, error) {
	var cfg ProgramConfig
	rec, err := a.db.Get(ctx, store.Programs, id)
	if err != nil {
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return cfg, bsk.NotFoundf("id", "no program %q", id)
		}
		return cfg, err
	}
	if err := json.Unmarshal(rec.Doc, &cfg); err != nil {
		return cfg, bsk.Errorf(bsk.CodeInternal, "stored program %q: %w", id, err)
	}
	return cfg, nil
}

func (a *App) getProgram(c echo.Context) error {
	cfg, err := a.loadProgram(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cfg)
}

func (a *App) listPrograms(c echo.Context) error {
	all, err := allOf[ProgramConfig](c.Request().Context(), a.db, store.Programs)
	if err != nil {
		return err
	}
	if all == nil {
		all = []ProgramConfig{}
	}
	return c.JSON(http.StatusOK, Page[ProgramConfig]{Items: all})
}

// cycleOf loads the program and the cycle named in the path.
func (a *App) cycleOf(c echo.Context) (ProgramConfig, scholarship.Cycle, error) {
	cfg, err := a.loadProgram(c.Request().Context(), c.Param("id"))
	if err != nil {
		return cfg, scholarship.Cycle{}, err
	}
	cy, err := cfg.Program.Cycle(c.Param("cycle"))
	if err != nil {
		return cfg, cy, bsk.NotFoundf("cycle", "program %q has no cycle %q", cfg.Program.ID, c.Param("cycle"))
	}
	return cfg, cy, nil
}

func cycleKey(program, cycle string) string { return program + "/" + cycle }

// submitApplication stores an application. The applicant's person_id is a
// provider on file: for an agency, one of its own staff (another agency's
// provider reads as unknown); for staff, any provider. The employer is the
// provider's organization as on file: an employer in the body is ignored
// and replaced, so no one can make an applicant eligible with an employer
// record of their own. A person has at most one application (not
// withdrawn) per cycle.
func (a *App) submitApplication(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return err
	}
	var app scholarship.Application
	if err := decodeStrict(c, &app); err != nil {
		return err
	}
	p := principal(c)
	if app.ID == "" {
		app.ID = "app-" + store.NewID()
	} else if p.Role == RoleAgency && !strings.HasPrefix(app.ID, p.OrganizationID+"-") {
		// Application IDs are unique server-wide: a conflict would tell one
		// agency which IDs another uses.
		return bsk.Errors{bsk.Invalidf("/id", "an agency's application IDs must begin with %q (or leave id empty)", p.OrganizationID+"-")}
	}
	if app.ProgramID == "" {
		app.ProgramID = cfg.Program.ID
	}
	if app.CycleID == "" {
		app.CycleID = cy.ID
	}
	if app.Submitted.IsZero() {
		app.Submitted = time.Now().UTC().Truncate(time.Second)
	}
	var pr bsk.Problems
	if app.ProgramID != cfg.Program.ID {
		pr.Add("program_id", "%q differs from the path's program %q", app.ProgramID, cfg.Program.ID)
	}
	if app.CycleID != cy.ID {
		pr.Add("cycle_id", "%q differs from the path's cycle %q", app.CycleID, cy.ID)
	}
	// The employer is the provider's organization on file: whatever the
	// body says is ignored, not even validated.
	app.Applicant.Employer = nil
	if pid := app.Applicant.ProviderID; pid != "" && string(pid) != app.Applicant.PersonID {
		pr.Add("/applicant/provider_id", "%q differs from person_id %q: the applicant is the provider named by person_id", pid, app.Applicant.PersonID)
	}
	pr.Merge("", app.Validate())
	if err := pr.Err(); err != nil {
		return err
	}
	person := app.Applicant.PersonID
	unknown := bsk.Errors{bsk.NotFoundf("/applicant/person_id", "no provider %q", person)}
	prov, err := a.db.Get(ctx, store.Providers, person)
	switch {
	case bsk.ErrorCode(err) == bsk.CodeNotFound, err == nil && p.Role == RoleAgency && prov.Org != p.OrganizationID:
		return unknown
	case err != nil:
		return err
	}
	org := prov.Org
	app.Applicant.ProviderID = bsk.ProviderID(person)
	if org != "" {
		orec, err := a.db.Get(ctx, store.Organizations, org)
		if err != nil {
			return err
		}
		var o bsk.Organization
		if err := json.Unmarshal(orec.Doc, &o); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored organization %q: %w", org, err)
		}
		app.Applicant.Employer = &o
	}
	existing, _, err := a.applicationsOf(ctx, cfg.Program.ID, cy.ID, "")
	if err != nil {
		return err
	}
	for _, e := range existing {
		if e.Applicant.PersonID == person {
			return bsk.Errors{{Code: bsk.CodeConflict, Field: "/applicant/person_id", Message: fmt.Sprintf("provider %q already has an application in cycle %q: withdraw it first", person, cy.ID)}}
		}
	}
	b, _ := json.Marshal(storedApplication{Application: app})
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Insert(ctx, store.Applications, store.Record{ID: app.ID, Org: org, Parent: cycleKey(cfg.Program.ID, cy.ID), Doc: b}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "create", "application", app.ID)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a.showApplication(p, app))
}

// showApplication hides demographics from everyone but administrators and
// the applicant's own agency.
func (a *App) showApplication(p Principal, app scholarship.Application) scholarship.Application {
	if !seesDemographics(p) {
		app.Applicant.Demographics = bsk.Demographics{}
	}
	return app
}

// applicationsOf returns a cycle's applications not withdrawn, all of them
// or one organization's.
func (a *App) applicationsOf(ctx context.Context, program, cycle, org string) ([]scholarship.Application, []string, error) {
	var apps []scholarship.Application
	var orgs []string
	after := ""
	for {
		recs, err := a.db.List(ctx, store.Applications, store.Filter{Parent: cycleKey(program, cycle), Org: org, After: after, Limit: 1000})
		if err != nil {
			return nil, nil, err
		}
		for _, rec := range recs {
			var st storedApplication
			if err := json.Unmarshal(rec.Doc, &st); err != nil {
				return nil, nil, bsk.Errorf(bsk.CodeInternal, "stored application %q: %w", rec.ID, err)
			}
			if st.Withdrawn != nil {
				continue
			}
			apps = append(apps, st.Application)
			orgs = append(orgs, rec.Org)
		}
		if len(recs) < 1000 {
			return apps, orgs, nil
		}
		after = recs[len(recs)-1].ID
	}
}

func (a *App) listApplications(c echo.Context) error {
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return err
	}
	p := principal(c)
	org := ""
	if p.Role == RoleAgency {
		org = p.OrganizationID
	}
	apps, _, err := a.applicationsOf(c.Request().Context(), cfg.Program.ID, cy.ID, org)
	if err != nil {
		return err
	}
	out := make([]scholarship.Application, len(apps))
	for i, app := range apps {
		out[i] = a.showApplication(p, app)
	}
	return c.JSON(http.StatusOK, Page[scholarship.Application]{Items: out})
}

// withdrawApplication withdraws an application before its cycle runs: an
// agency its own, staff any. Another agency's application reads as
// unknown. Once the cycle has run, the award is declined instead.
func (a *App) withdrawApplication(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return err
	}
	p := principal(c)
	id, key := c.Param("app"), cycleKey(cfg.Program.ID, cy.ID)
	runs, err := a.db.List(ctx, store.CycleRuns, store.Filter{Parent: key, Limit: 1})
	if err != nil {
		return err
	}
	w := Withdrawal{ApplicationID: id, At: time.Now().UTC().Truncate(time.Second), By: p.KeyID}
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.Get(ctx, store.Applications, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && (rec.Parent != key || (p.Role == RoleAgency && rec.Org != p.OrganizationID))) {
			return bsk.NotFoundf("app", "no application %q in cycle %q", id, cy.ID)
		}
		if err != nil {
			return err
		}
		var st storedApplication
		if err := json.Unmarshal(rec.Doc, &st); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored application %q: %w", id, err)
		}
		if st.Withdrawn != nil {
			return bsk.Errorf(bsk.CodeConflict, "application %q was withdrawn on %s", id, st.Withdrawn.At.Format(time.DateOnly))
		}
		if len(runs) > 0 {
			return bsk.Errorf(bsk.CodeConflict, "cycle %q has run (%s): an award is declined, not withdrawn", cy.ID, runs[0].ID)
		}
		st.Withdrawn = &w
		rec.Doc, _ = json.Marshal(st)
		if err := tx.Update(ctx, store.Applications, rec); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "withdraw", "application", id)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (a *App) postReviews(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return err
	}
	var reviews []scholarship.Review
	if err := decodeStrict(c, &reviews); err != nil {
		return err
	}
	var pr bsk.Problems
	for i, r := range reviews {
		f := bsk.Index("", i)
		if r.ApplicationID == "" || r.Reviewer == "" || r.Criterion == "" {
			pr.Add(f, "application_id, reviewer and criterion are required")
		}
		if !slices.ContainsFunc(cfg.Reviewed, func(w scholarship.Weighted) bool { return w.Name == r.Criterion }) {
			pr.AddCode(bsk.CodeNotFound, f+".criterion", "the program has no reviewed criterion %q", r.Criterion)
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	key := cycleKey(cfg.Program.ID, cy.ID)
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		for i, r := range reviews {
			ok, err := tx.Exists(ctx, store.Applications, r.ApplicationID)
			if err != nil {
				return err
			}
			if !ok {
				return bsk.Errors{bsk.NotFoundf(bsk.Index("", i)+".application_id", "no application %q", r.ApplicationID)}
			}
			b, _ := json.Marshal(r)
			rec := store.Record{ID: key + "/" + r.ApplicationID + "/" + r.Reviewer + "/" + r.Criterion, Parent: key, Doc: b}
			if err := tx.Update(ctx, store.Reviews, rec); bsk.ErrorCode(err) == bsk.CodeNotFound {
				err = tx.Insert(ctx, store.Reviews, rec)
			} else if err != nil {
				return err
			}
		}
		return tx.Audit(ctx, principal(c).KeyID, "create", "reviews", fmt.Sprintf("%s (%d)", key, len(reviews)))
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int{"stored": len(reviews)})
}

// runCycle judges, scores, ranks and allocates a cycle's applications
// through the built-in rules and the program's agency plug-ins. An
// application whose plug-in fails needs review, with the reason; the rest
// are decided. Withdrawn applications are left out, and so are stored
// applications the run cannot judge (a person's later applications, an
// application no longer valid), listed in the run as skipped: stored data
// never stops a cycle from running. Running again makes a new run.
func (a *App) runCycle(c echo.Context) error {
	ctx := c.Request().Context()
	start := time.Now()
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return err
	}
	key, err := a.hashKey()
	if err != nil {
		return err
	}
	stored, storedOrgs, err := a.applicationsOf(ctx, cfg.Program.ID, cy.ID, "")
	if err != nil {
		return err
	}
	apps, orgs, skipped := judgeable(stored, storedOrgs)
	if len(apps) == 0 {
		return bsk.Errorf(bsk.CodeConflict, "cycle %q has no applications", cy.ID)
	}
	reviews, err := allOfParent[scholarship.Review](ctx, a.db, store.Reviews, cycleKey(cfg.Program.ID, cy.ID))
	if err != nil {
		return err
	}
	rules := scholarship.BuiltinRules(cfg.Program, cy)
	extra, err := a.pluginRules(cfg.PluginRules)
	if err != nil {
		return err
	}
	rules = append(rules, extra...)
	runID := "cyc-" + store.NewID()
	var failures []RuleFailure
	onFailure := func(r scholarship.RuleInfo, err error) {
		// The full error may name other agencies' applications, plug-in
		// files and checksums: the log and the administrators read it.
		a.log.Error().Str("run", runID).Str("rule", r.Name).Err(err).Msg("rule failed during a cycle run")
		failures = append(failures, RuleFailure{Rule: r.Name, Version: r.Version, Code: bsk.ErrorCode(err), Error: err.Error()})
	}
	res, err := scholarship.RunCycle(ctx, scholarship.Run{Program: cfg.Program, CycleID: cy.ID, Applications: apps,
		Rules:  scholarship.RuleSet[scholarship.Application]{Rules: rules, OnFailure: onFailure},
		Rubric: cfg.rubric(cy), Reviews: reviews, HashKey: key})
	if err != nil {
		return err
	}
	run := CycleRun{ID: runID, ProgramID: cfg.Program.ID, CycleID: cy.ID, At: time.Now().UTC(), By: principal(c).KeyID,
		Counts: map[scholarship.Outcome]int{}, NeedsReview: []string{}, Ranking: res.Ranking, Allocation: res.Allocation,
		Disclosure: cfg.standard(), Skipped: skipped, Failures: failures}
	if len(res.Records) > 0 {
		run.Rules = res.Records[0].Rules
	}
	for i, v := range res.Verdicts {
		run.Counts[v.Outcome]++
		if v.Outcome == scholarship.NeedsReview {
			run.NeedsReview = append(run.NeedsReview, apps[i].ID)
		}
	}
	orgOf := map[string]string{}
	for i, app := range apps {
		orgOf[app.ID] = orgs[i]
	}
	run.Seconds = time.Since(start).Seconds()
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		for _, rec := range res.Records {
			b, err := rec.JSON()
			if err != nil {
				return err
			}
			if err := tx.Insert(ctx, store.Decisions, store.Record{ID: run.ID + "/" + rec.ApplicationID, Org: orgOf[rec.ApplicationID], Parent: run.ID, Doc: b}); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(run)
		if err := tx.Insert(ctx, store.CycleRuns, store.Record{ID: run.ID, Parent: cycleKey(cfg.Program.ID, cy.ID), Doc: b}); err != nil {
			return err
		}
		return tx.Audit(ctx, run.By, "run", "cycle", run.ID)
	})
	if err != nil {
		return err
	}
	run.Seconds = time.Since(start).Seconds()
	return c.JSON(http.StatusCreated, showRun(principal(c), cy, run))
}

// judgeable returns the applications a run judges: each person's earliest
// valid application (by submission, then ID). The rest are skipped, with
// why, so that stored data cannot stop a cycle from running.
func judgeable(apps []scholarship.Application, orgs []string) ([]scholarship.Application, []string, []SkippedApplication) {
	order := make([]int, len(apps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := apps[x].Submitted.Compare(apps[y].Submitted); c != 0 {
			return c
		}
		return strings.Compare(apps[x].ID, apps[y].ID)
	})
	keep := make([]bool, len(apps))
	first := map[string]string{}
	var skipped []SkippedApplication
	for _, i := range order {
		app := apps[i]
		if app.Validate() != nil {
			skipped = append(skipped, SkippedApplication{ApplicationID: app.ID, Code: "invalid"})
			continue
		}
		if other, dup := first[app.Applicant.PersonID]; dup {
			skipped = append(skipped, SkippedApplication{ApplicationID: app.ID, Code: "duplicate_person", Other: other})
			continue
		}
		first[app.Applicant.PersonID] = app.ID
		keep[i] = true
	}
	var outApps []scholarship.Application
	var outOrgs []string
	for i, k := range keep {
		if k {
			outApps = append(outApps, apps[i])
			outOrgs = append(outOrgs, orgs[i])
		}
	}
	return outApps, outOrgs, skipped
}

// showRun returns a run as the reader may see it: the rules' full errors
// for administrators only, and for readers who may not see demographics
// an allocation that does not name a demographic set-aside.
func showRun(p Principal, cy scholarship.Cycle, run CycleRun) CycleRun {
	if p.Role != RoleAdmin {
		run.Failures = nil
		run.Allocation = run.Allocation.WithoutDemographics(cy)
	}
	return run
}

func (a *App) loadCycleRun(c echo.Context) (ProgramConfig, scholarship.Cycle, CycleRun, error) {
	var run CycleRun
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return cfg, cy, run, err
	}
	rec, err := a.db.Get(c.Request().Context(), store.CycleRuns, c.Param("run"))
	if err != nil || rec.Parent != cycleKey(cfg.Program.ID, cy.ID) {
		if err == nil || bsk.ErrorCode(err) == bsk.CodeNotFound {
			return cfg, cy, run, bsk.NotFoundf("run", "no run %q of cycle %q", c.Param("run"), cy.ID)
		}
		return cfg, cy, run, err
	}
	if err := json.Unmarshal(rec.Doc, &run); err != nil {
		return cfg, cy, run, bsk.Errorf(bsk.CodeInternal, "stored cycle run %q: %w", rec.ID, err)
	}
	return cfg, cy, run, nil
}

func (a *App) getCycleRun(c echo.Context) error {
	_, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, showRun(principal(c), cy, run))
}

// lang picks English or Spanish from Accept-Language, English by default.
func lang(c echo.Context) scholarship.Lang {
	for _, part := range strings.Split(c.Request().Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "es"):
			return scholarship.SpanishText
		case strings.HasPrefix(tag, "en"):
			return scholarship.EnglishText
		}
	}
	return scholarship.EnglishText
}

// listDecisions lists a run's decisions with reasons rendered in the
// reader's language; an agency sees only its own applicants'. Every read
// is audited. Each decision is shown as the reader may see it: whole to
// the administrator and to the agency whose staff member applied (while
// the person is still on its staff); to everyone else without what is
// derived from demographics (see [Decision]), and without the text of a
// failure.
func (a *App) listDecisions(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	p := principal(c)
	org := ""
	if p.Role == RoleAgency {
		org = p.OrganizationID
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	recs, err := a.db.List(ctx, store.Decisions, store.Filter{Parent: run.ID, Org: org, After: c.QueryParam("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	sees, err := a.demographicsSeen(ctx, p, cfg.Program.ID, cy.ID)
	if err != nil {
		return err
	}
	if err := a.auditRead(c, "decisions", run.ID); err != nil {
		return err
	}
	l := lang(c)
	c.Response().Header().Set("Content-Language", string(l))
	page := Page[Decision]{Items: []Decision{}}
	for _, rec := range recs {
		var d Decision
		if err := json.Unmarshal(rec.Doc, &d.DecisionRecord); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored decision %q: %w", rec.ID, err)
		}
		if !sees(d.ApplicationID) {
			d.DecisionRecord = d.WithoutDemographics()
		}
		if p.Role != RoleAdmin {
			d.Reasons = withoutFailureText(d.Reasons)
		}
		d.Language = string(l)
		d.Texts = []string{}
		for _, r := range d.Reasons {
			d.Texts = append(d.Texts, r.Text(l))
		}
		page.Items = append(page.Items, d)
	}
	if len(recs) == limit {
		page.NextCursor = recs[len(recs)-1].ID
	}
	return c.JSON(http.StatusOK, page)
}

// demographicsSeen returns whether the reader may see what a decision
// derives from its applicant's demographics: the administrator always; an
// agency for applications of people who are its staff now; nobody else.
func (a *App) demographicsSeen(ctx context.Context, p Principal, program, cycle string) (func(appID string) bool, error) {
	switch p.Role {
	case RoleAdmin:
		return func(string) bool { return true }, nil
	case RoleAgency:
	default:
		return func(string) bool { return false }, nil
	}
	apps, _, err := a.applicationsOf(ctx, program, cycle, p.OrganizationID)
	if err != nil {
		return nil, err
	}
	own := map[string]bool{}
	for after := ""; ; {
		recs, err := a.db.List(ctx, store.Providers, store.Filter{Org: p.OrganizationID, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			own[r.ID] = true
		}
		if len(recs) < 1000 {
			break
		}
		after = recs[len(recs)-1].ID
	}
	ok := map[string]bool{}
	for _, app := range apps {
		ok[app.ID] = own[app.Applicant.PersonID]
	}
	return func(id string) bool { return ok[id] }, nil
}

// withoutFailureText drops the text of a failure from reasons that records
// made before reasons carried only the failure's code may still hold.
func withoutFailureText(rs []scholarship.Reason) []scholarship.Reason {
	out := make([]scholarship.Reason, len(rs))
	for i, r := range rs {
		if _, has := r.Params["error"]; has && (r.Code == scholarship.CodeRuleFailed || r.Code == scholarship.CodeCriterionFailed) {
			params := map[string]string{}
			for k, v := range r.Params {
				if k != "error" {
					params[k] = v
				}
			}
			r.Params = params
		}
		out[i] = r
	}
	return out
}

// verifyDecision checks a decision record against the stored application
// and the deployment's key: whether the record was made from these
// inputs. For administrators.
func (a *App) verifyDecision(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	id := c.Param("app")
	rec, err := a.db.Get(ctx, store.Decisions, run.ID+"/"+id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return bsk.NotFoundf("app", "run %q has no decision for application %q", run.ID, id)
	}
	if err != nil {
		return err
	}
	var d scholarship.DecisionRecord
	if err := json.Unmarshal(rec.Doc, &d); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "stored decision %q: %w", rec.ID, err)
	}
	arec, err := a.db.Get(ctx, store.Applications, id)
	if err != nil || arec.Parent != cycleKey(cfg.Program.ID, cy.ID) {
		if err == nil || bsk.ErrorCode(err) == bsk.CodeNotFound {
			return bsk.NotFoundf("app", "no application %q in cycle %q", id, cy.ID)
		}
		return err
	}
	var st storedApplication
	if err := json.Unmarshal(arec.Doc, &st); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "stored application %q: %w", id, err)
	}
	key, err := a.hashKey()
	if err != nil {
		return err
	}
	if err := a.auditRead(c, "decision", rec.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DecisionCheck{ApplicationID: id, InputsHash: d.InputsHash, Matches: scholarship.VerifyInputsHash(key, st.Application, d.InputsHash)})
}

// decline records declined awards: the library's Decline offers the freed
// money as the allocation would and returns the decision records after
// it; the records it changed are stored with the run.
func (a *App) decline(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	var req DeclineRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	if len(req.ApplicationIDs) == 0 {
		return bsk.Errors{bsk.Invalidf("application_ids", "at least one application is required")}
	}
	apps, _, err := a.applicationsOf(ctx, cfg.Program.ID, cy.ID, "")
	if err != nil {
		return err
	}
	recs, err := allOfParent[scholarship.DecisionRecord](ctx, a.db, store.Decisions, run.ID)
	if err != nil {
		return err
	}
	res, err := scholarship.Decline(cy, scholarship.Result{Ranking: run.Ranking, Allocation: run.Allocation, Records: recs}, apps, req.ApplicationIDs)
	if err != nil {
		return err
	}
	run.Allocation = res.Allocation
	run.Declined = append(run.Declined, req.ApplicationIDs...)
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		for i, r := range res.Records {
			// Decline returns every record it did not change as it was.
			if reflect.DeepEqual(r, recs[i]) {
				continue
			}
			b, err := r.JSON()
			if err != nil {
				return err
			}
			rec, err := tx.Get(ctx, store.Decisions, run.ID+"/"+r.ApplicationID)
			if err != nil {
				return err
			}
			rec.Doc = b
			if err := tx.Update(ctx, store.Decisions, rec); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(run)
		if err := tx.Update(ctx, store.CycleRuns, store.Record{ID: run.ID, Parent: cycleKey(cfg.Program.ID, cy.ID), Doc: b}); err != nil {
			return err
		}
		return tx.Audit(ctx, principal(c).KeyID, "decline", "cycle", run.ID)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, showRun(principal(c), cy, run))
}

// ledgerOf rebuilds a run's ledger from its stored entries.
func (a *App) ledgerOf(ctx context.Context, cy scholarship.Cycle, run CycleRun) (*scholarship.Ledger, error) {
	entries, err := allOfParent[scholarship.Entry](ctx, a.db, store.LedgerEntries, run.ID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(entries, func(x, y scholarship.Entry) int { return x.Seq - y.Seq })
	l := scholarship.NewLedger(cy, run.Allocation)
	for _, e := range entries {
		if _, err := l.Append(e); err != nil {
			return nil, bsk.Errorf(bsk.CodeInternal, "stored ledger entry %d: %w", e.Seq, err)
		}
	}
	return l, nil
}

func (a *App) appendLedger(c echo.Context) error {
	ctx := c.Request().Context()
	_, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	var e scholarship.Entry
	if err := decodeStrict(c, &e); err != nil {
		return err
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	l, err := a.ledgerOf(ctx, cy, run)
	if err != nil {
		return err
	}
	e, err = l.Append(e)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(e)
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Insert(ctx, store.LedgerEntries, store.Record{ID: fmt.Sprintf("%s/%08d", run.ID, e.Seq), Parent: run.ID, Doc: b}); err != nil {
			return err
		}
		return tx.Audit(ctx, principal(c).KeyID, string(e.Kind), "ledger", e.ApplicationID)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

func (a *App) listLedger(c echo.Context) error {
	_, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	l, err := a.ledgerOf(c.Request().Context(), cy, run)
	if err != nil {
		return err
	}
	entries := l.Entries()
	if entries == nil {
		entries = []scholarship.Entry{}
	}
	return c.JSON(http.StatusOK, Page[scholarship.Entry]{Items: entries})
}

func (a *App) owed(c echo.Context) error {
	_, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	asOf := time.Now().UTC()
	if s := c.QueryParam("as_of"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return bsk.Errors{bsk.Invalidf("as_of", "must be an RFC 3339 time, such as 2027-06-30T00:00:00Z")}
		}
		asOf = t
	}
	l, err := a.ledgerOf(c.Request().Context(), cy, run)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l.Owed(c.Param("app"), asOf))
}

// allOfParent decodes every record of a kind under one parent.
func allOfParent[T any](ctx context.Context, db *store.DB, k store.Kind, parent string) ([]T, error) {
	var out []T
	after := ""
	for {
		recs, err := db.List(ctx, k, store.Filter{Parent: parent, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			var v T
			if err := json.Unmarshal(rec.Doc, &v); err != nil {
				return nil, bsk.Errorf(bsk.CodeInternal, "stored %s %q: %w", k, rec.ID, err)
			}
			out = append(out, v)
		}
		if len(recs) < 1000 {
			return out, nil
		}
		after = recs[len(recs)-1].ID
	}
}
