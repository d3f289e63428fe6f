package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
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
}

// Validate checks the program, the rubric and the plug-in rule names.
func (c ProgramConfig) Validate() error {
	var pr bsk.Problems
	pr.Merge("program", c.Program.Validate())
	if c.PriorityWeight < 0 {
		pr.Add("priority_weight", "must be at least 0")
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
}

// Decision is a decision record with its reasons in the reader's language.
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
	g.POST(c+"/reviews", a.postReviews, staff)
	g.POST(c+"/runs", a.runCycle, staff)
	g.GET(c+"/runs/:run", a.getCycleRun, staff)
	g.GET(c+"/runs/:run/decisions", a.listDecisions, applicants)
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

// equity is the cycle's equity summary after disclosure control.
func (a *App) equity(c echo.Context) error {
	ctx := c.Request().Context()
	cfg, cy, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	d, err := disclosureFor(c)
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
	b, _ := json.Marshal(cfg)
	rec := store.Record{ID: cfg.Program.ID, Doc: b}
	p := principal(c)
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

// submitApplication stores an application. An agency submits only for its
// own staff: the applicant's provider record must be the agency's.
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
	if app.ID == "" {
		app.ID = "app-" + store.NewID()
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
	pr.Merge("", app.Validate())
	if err := pr.Err(); err != nil {
		return err
	}
	p := principal(c)
	org := ""
	if app.Applicant.ProviderID != "" {
		rec, err := a.db.Get(ctx, store.Providers, string(app.Applicant.ProviderID))
		if err != nil {
			if bsk.ErrorCode(err) == bsk.CodeNotFound {
				return bsk.Errors{bsk.NotFoundf("applicant.provider_id", "no provider %q", app.Applicant.ProviderID)}
			}
			return err
		}
		org = rec.Org
		if app.Applicant.Employer == nil && org != "" {
			// The employer is the provider's organization, as on file.
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
	} else if app.Applicant.Employer != nil {
		org = string(app.Applicant.Employer.ID)
	}
	if p.Role == RoleAgency && (org == "" || org != p.OrganizationID) {
		return bsk.Errorf(bsk.CodeUnauthorized, "an agency applies only for its own staff: applicant.provider_id must be one of %s's providers", p.OrganizationID)
	}
	b, _ := json.Marshal(app)
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

// applicationsOf returns a cycle's applications, all of them or one
// organization's.
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
			var app scholarship.Application
			if err := json.Unmarshal(rec.Doc, &app); err != nil {
				return nil, nil, bsk.Errorf(bsk.CodeInternal, "stored application %q: %w", rec.ID, err)
			}
			apps = append(apps, app)
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
// are decided. Running again makes a new run.
func (a *App) runCycle(c echo.Context) error {
	ctx := c.Request().Context()
	start := time.Now()
	cfg, cy, err := a.cycleOf(c)
	if err != nil {
		return err
	}
	apps, orgs, err := a.applicationsOf(ctx, cfg.Program.ID, cy.ID, "")
	if err != nil {
		return err
	}
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
	res, err := scholarship.RunCycle(ctx, scholarship.Run{Program: cfg.Program, CycleID: cy.ID, Applications: apps,
		Rules: scholarship.RuleSet[scholarship.Application]{Rules: rules}, Rubric: cfg.rubric(cy), Reviews: reviews})
	if err != nil {
		return err
	}
	run := CycleRun{ID: "cyc-" + store.NewID(), ProgramID: cfg.Program.ID, CycleID: cy.ID, At: time.Now().UTC(), By: principal(c).KeyID,
		Counts: map[scholarship.Outcome]int{}, NeedsReview: []string{}, Ranking: res.Ranking, Allocation: res.Allocation}
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
	return c.JSON(http.StatusCreated, run)
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
	_, _, run, err := a.loadCycleRun(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
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
// reader's language; an agency sees only its own applicants'.
func (a *App) listDecisions(c echo.Context) error {
	_, _, run, err := a.loadCycleRun(c)
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
	recs, err := a.db.List(c.Request().Context(), store.Decisions, store.Filter{Parent: run.ID, Org: org, After: c.QueryParam("cursor"), Limit: limit})
	if err != nil {
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

// decline records declined awards and offers the freed money down the
// waitlist; every other award stands.
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
	byID := map[string]scholarship.Application{}
	for _, app := range apps {
		byID[app.ID] = app
	}
	records := map[string]scholarship.DecisionRecord{}
	recs, err := allOfParent[scholarship.DecisionRecord](ctx, a.db, store.Decisions, run.ID)
	if err != nil {
		return err
	}
	for _, r := range recs {
		records[r.ApplicationID] = r
	}
	ranked := make([]scholarship.Candidate, 0, len(run.Ranking))
	for _, id := range run.Ranking {
		r := records[id]
		ranked = append(ranked, scholarship.Candidate{Application: byID[id], Verdict: scholarship.Verdict{Outcome: r.Outcome, Reasons: r.Reasons}})
	}
	al, err := scholarship.Reallocate(cy, run.Allocation, ranked, req.ApplicationIDs)
	if err != nil {
		return err
	}
	run.Allocation = al
	run.Declined = append(run.Declined, req.ApplicationIDs...)
	awards := map[string]scholarship.Award{}
	for _, aw := range al.Awards {
		awards[aw.ApplicationID] = aw
	}
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		// Update the decision records whose award changed.
		for id, r := range records {
			aw, has := awards[id]
			switch {
			case has && (r.Award == nil || r.Award.Amount != aw.Amount || r.Award.Step != aw.Step):
				r.Award, r.Step = &aw, "awarded"
			case !has && r.Award != nil:
				r.Award, r.Step = nil, "declined"
			default:
				continue
			}
			b, err := r.JSON()
			if err != nil {
				return err
			}
			rec, err := tx.Get(ctx, store.Decisions, run.ID+"/"+id)
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
	return c.JSON(http.StatusOK, run)
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
