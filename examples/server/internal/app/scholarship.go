package app

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// The scholarship types live in the service layer (see
// [service.Scholarships]); these names keep the API's types in one place
// for the handlers and their tests.
type (
	// ProgramConfig is a scholarship program as the server runs it.
	ProgramConfig = service.ProgramConfig
	// CycleRun is one run of a cycle.
	CycleRun = service.CycleRun
	// SkippedApplication is a stored application a run did not judge.
	SkippedApplication = service.SkippedApplication
	// RuleFailure is the full error of a rule that failed in a run.
	RuleFailure = service.RuleFailure
	// Withdrawal records that an application was withdrawn.
	Withdrawal = service.Withdrawal
	// DecisionCheck is the answer of verifying a decision record.
	DecisionCheck = service.DecisionCheck
	// Decision is a decision record as the reader may see it.
	Decision = service.Decision
	// DeclineRequest lists awards the applicants declined.
	DeclineRequest = service.DeclineRequest
)

func (a *App) scholarshipRoutes(g *echo.Group) {
	staff := allow(RoleAdmin, RoleCoordinator)
	applicants := allow(RoleAdmin, RoleCoordinator, RoleAgency)
	g.POST("/programs", a.createProgram, staff)
	g.PUT("/programs/:id", a.updateProgram, staff)
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

// cycleRef is the program and cycle named in the path.
func cycleRef(c echo.Context) service.CycleRef {
	return service.CycleRef{ProgramID: c.Param("id"), CycleID: c.Param("cycle")}
}

// runRef is the run named in the path.
func runRef(c echo.Context) service.RunRef {
	return service.RunRef{CycleRef: cycleRef(c), RunID: c.Param("run")}
}

func (a *App) createProgram(c echo.Context) error {
	var cfg ProgramConfig
	if err := decodeStrict(c, &cfg); err != nil {
		return err
	}
	cfg, err := a.svc.Scholarships.CreateProgram(c.Request().Context(), cfg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cfg)
}

func (a *App) updateProgram(c echo.Context) error {
	var cfg ProgramConfig
	if err := decodeStrict(c, &cfg); err != nil {
		return err
	}
	cfg, err := a.svc.Scholarships.UpdateProgram(c.Request().Context(), c.Param("id"), cfg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cfg)
}

func (a *App) getProgram(c echo.Context) error {
	cfg, err := a.svc.Scholarships.Program(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cfg)
}

func (a *App) listPrograms(c echo.Context) error {
	page, err := a.svc.Scholarships.Programs(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// submitApplication stores an application (see
// [service.Scholarships.Submit]).
func (a *App) submitApplication(c echo.Context) error {
	var app scholarship.Application
	if err := decodeStrict(c, &app); err != nil {
		return err
	}
	app, err := a.svc.Scholarships.Submit(c.Request().Context(), cycleRef(c), app)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, app)
}

func (a *App) listApplications(c echo.Context) error {
	page, err := a.svc.Scholarships.Applications(c.Request().Context(), cycleRef(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// withdrawApplication withdraws an application before its cycle runs (see
// [service.Scholarships.Withdraw]).
func (a *App) withdrawApplication(c echo.Context) error {
	w, err := a.svc.Scholarships.Withdraw(c.Request().Context(), cycleRef(c), c.Param("app"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (a *App) postReviews(c echo.Context) error {
	var reviews []scholarship.Review
	if err := decodeStrict(c, &reviews); err != nil {
		return err
	}
	n, err := a.svc.Scholarships.PostReviews(c.Request().Context(), cycleRef(c), reviews)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int{"stored": n})
}

// runCycle runs a cycle (see [service.Scholarships.Run]).
func (a *App) runCycle(c echo.Context) error {
	run, err := a.svc.Scholarships.Run(c.Request().Context(), cycleRef(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, run)
}

func (a *App) getCycleRun(c echo.Context) error {
	run, err := a.svc.Scholarships.GetRun(c.Request().Context(), runRef(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}

// lang picks the language of reasons from Accept-Language: the best match,
// q-values honored, among [scholarship.Languages] (the languages the county
// serves); English when none matches.
func lang(c echo.Context) scholarship.Lang {
	tags, _, err := language.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return scholarship.EnglishText
	}
	_, i, conf := reasonLanguages.Match(tags...)
	if conf == language.No {
		return scholarship.EnglishText
	}
	return scholarship.Languages()[i]
}

// reasonLanguages matches requests against [scholarship.Languages], in
// order.
var reasonLanguages = func() language.Matcher {
	var tags []language.Tag
	for _, l := range scholarship.Languages() {
		tags = append(tags, language.MustParse(string(l)))
	}
	return language.NewMatcher(tags)
}()

// listDecisions lists a run's decisions in the reader's language (see
// [service.Scholarships.Decisions]).
func (a *App) listDecisions(c echo.Context) error {
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	l := lang(c)
	page, err := a.svc.Scholarships.Decisions(c.Request().Context(), runRef(c), service.DecisionQuery{Cursor: c.QueryParam("cursor"), Limit: limit, Lang: l})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", string(l))
	return c.JSON(http.StatusOK, page)
}

// verifyDecision checks a decision record against the stored application
// and the deployment's key (see [service.Scholarships.Verify]).
func (a *App) verifyDecision(c echo.Context) error {
	check, err := a.svc.Scholarships.Verify(c.Request().Context(), runRef(c), c.Param("app"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, check)
}

// decline records declined awards (see [service.Scholarships.Decline]).
func (a *App) decline(c echo.Context) error {
	var req DeclineRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	run, err := a.svc.Scholarships.Decline(c.Request().Context(), runRef(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}

func (a *App) appendLedger(c echo.Context) error {
	var e scholarship.Entry
	if err := decodeStrict(c, &e); err != nil {
		return err
	}
	out, err := a.svc.Scholarships.AppendLedger(c.Request().Context(), runRef(c), e)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (a *App) listLedger(c echo.Context) error {
	page, err := a.svc.Scholarships.Ledger(c.Request().Context(), runRef(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *App) owed(c echo.Context) error {
	asOf, err := asOfParam(c)
	if err != nil {
		return err
	}
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	r, err := a.svc.Scholarships.Owed(c.Request().Context(), runRef(c), c.Param("app"), asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// equity is the cycle's equity summary after disclosure control (see
// [service.Scholarships.Equity]). A reader does not choose the standard:
// ?standard= and ?population= are refused; an administrator may ask for
// the figures unsuppressed (?unsuppressed=true).
func (a *App) equity(c echo.Context) error {
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
		return err
	}
	p, err := a.svc.Scholarships.Equity(c.Request().Context(), runRef(c), service.EquityQuery{Unsuppressed: c.QueryParam("unsuppressed") == "true"})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
