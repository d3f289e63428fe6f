package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// The review, pipeline and completion types live in the service layer.
type (
	// ReviewSetup asks for a cycle's reviewer assignment.
	ReviewSetup = service.ReviewSetup
	// ReviewAssignment is a cycle's stored reviewer assignment.
	ReviewAssignment = service.ReviewAssignment
	// ReviewQueue is one reviewer's applications, blind.
	ReviewQueue = service.ReviewQueue
	// CompletionOutcome ends an award's studies.
	CompletionOutcome = service.CompletionOutcome
)

// scholarshipReviewRoutes: reviewer assignment (staff), a reviewer's blind
// queue and scores (consultants), pipeline equity (staff and evaluators)
// and completion (staff).
func (a *App) scholarshipReviewRoutes(g *echo.Group) {
	staff := allow(RoleAdmin, RoleCoordinator)
	c := "/programs/:id/cycles/:cycle"
	g.POST(c+"/review-assignment", a.assignReviewers, staff)
	g.GET(c+"/review-assignment", a.getAssignment, staff)
	g.GET(c+"/review-queue", a.reviewQueue, allow(service.ReviewerRoles...))
	g.POST(c+"/review-queue/reviews", a.postQueueReviews, allow(service.ReviewerRoles...))
	g.GET(c+"/runs/:run/pipeline", a.pipeline, allow(service.PipelineRoles...))
	g.POST(c+"/runs/:run/completion/:app/progress", a.recordProgress, staff)
	g.POST(c+"/runs/:run/completion/:app/outcome", a.endStudies, staff)
	g.GET(c+"/runs/:run/completion/:app", a.completionStatus, staff)
}

// assignReviewers assigns the cycle's reviewers (see
// [service.Scholarships.AssignReviewers]).
func (a *App) assignReviewers(c echo.Context) error {
	var setup ReviewSetup
	if err := decodeStrict(c, &setup); err != nil {
		return err
	}
	l := lang(c)
	out, err := a.svc.Scholarships.AssignReviewers(c.Request().Context(), cycleRef(c), setup, l)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", string(l))
	return c.JSON(http.StatusCreated, out)
}

func (a *App) getAssignment(c echo.Context) error {
	l := lang(c)
	out, err := a.svc.Scholarships.Assignment(c.Request().Context(), cycleRef(c), l)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", string(l))
	return c.JSON(http.StatusOK, out)
}

// reviewQueue is the calling reviewer's applications, blind (see
// [service.Scholarships.ReviewQueue]).
func (a *App) reviewQueue(c echo.Context) error {
	q, err := a.svc.Scholarships.ReviewQueue(c.Request().Context(), cycleRef(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

func (a *App) postQueueReviews(c echo.Context) error {
	var reviews []scholarship.Review
	if err := decodeStrict(c, &reviews); err != nil {
		return err
	}
	n, err := a.svc.Scholarships.PostQueueReviews(c.Request().Context(), cycleRef(c), reviews)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ReviewsStored{Stored: n})
}

// pipeline is the run's pipeline equity (see
// [service.Scholarships.Pipeline]); ?line= is the score an award needs.
// The reader does not choose the disclosure standard.
func (a *App) pipeline(c echo.Context) error {
	var pr bsk.Problems
	for _, q := range []string{"standard", "population", "unsuppressed"} {
		if c.QueryParams().Has(q) {
			pr.Add(q, "is not accepted: the disclosure standard belongs to the program and its runs")
		}
	}
	var q service.PipelineQuery
	if s := c.QueryParam("line"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v != v || v < -1e9 || v > 1e9 {
			pr.Add("line", "must be a number")
		}
		q.Line = v
	}
	if err := pr.Err(); err != nil {
		return err
	}
	t, err := a.svc.Scholarships.Pipeline(c.Request().Context(), runRef(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (a *App) recordProgress(c echo.Context) error {
	var p scholarship.CourseProgress
	if err := decodeStrict(c, &p); err != nil {
		return err
	}
	out, err := a.svc.Scholarships.RecordProgress(c.Request().Context(), runRef(c), c.Param("app"), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (a *App) endStudies(c echo.Context) error {
	var o CompletionOutcome
	if err := decodeStrict(c, &o); err != nil {
		return err
	}
	out, err := a.svc.Scholarships.EndStudies(c.Request().Context(), runRef(c), c.Param("app"), o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (a *App) completionStatus(c echo.Context) error {
	asOf, err := asOfParam(c)
	if err != nil {
		return err
	}
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	st, err := a.svc.Scholarships.CompletionStatus(c.Request().Context(), runRef(c), c.Param("app"), asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
