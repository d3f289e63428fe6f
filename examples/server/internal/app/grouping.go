package app

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// RunStatus is where a background run stands (see [service.RunStatus]).
type RunStatus = service.RunStatus

// The run statuses (see [service.RunStatus]).
const (
	RunQueued    = service.RunQueued
	RunRunning   = service.RunRunning
	RunDone      = service.RunDone
	RunFailed    = service.RunFailed
	RunCancelled = service.RunCancelled
)

// GroupingRunRequest asks for a grouping run: a preset over the providers on
// file, with overrides.
type GroupingRunRequest struct {
	// Preset is the grouping preset.
	Preset grouping.Preset `json:"preset"`
	// Options adjust the preset (group count, sizes, policies, slots).
	Options grouping.PresetOptions `json:"options,omitzero"`
	// OrganizationIDs limits the members to these organizations; empty
	// means every organization.
	OrganizationIDs []string `json:"organization_ids,omitempty"`
	// ProviderIDs, when set, are the members (training attendees, say)
	// instead of everyone the preset would take.
	ProviderIDs []string `json:"provider_ids,omitempty"`
	// Weights override the preset's criterion weights, by criterion name.
	Weights map[string]float64 `json:"weights,omitempty"`
	// Criteria are added to the preset's.
	Criteria []grouping.Criterion `json:"criteria,omitempty"`
	// TimeLimitSeconds bounds the search; default 2, at most 300.
	TimeLimitSeconds float64 `json:"time_limit_seconds,omitempty"`
	// Seed seeds the search.
	Seed uint64 `json:"seed,omitempty"`
	// NoLeaders skips assigning consultants (reflective consultation) after
	// the grouping.
	NoLeaders bool `json:"no_leaders,omitempty"`
	// LeaderCapacity is the most groups one consultant leads; default 5
	// (97 groups among 20 consultants).
	LeaderCapacity int `json:"leader_capacity,omitempty"`
}

// RegroupRequest re-forms a finished run's groups on the providers now on
// file: those who left are dropped, those who joined are placed.
type RegroupRequest struct {
	// TimeLimitSeconds bounds the search; default 2, at most 300.
	TimeLimitSeconds float64 `json:"time_limit_seconds,omitempty"`
	// MoveCost is what moving one existing member costs; 0 means the
	// library's default (members move only when they must or gain a lot).
	MoveCost float64 `json:"move_cost,omitempty"`
}

// GroupingRun is a grouping run: its request, status, progress while it
// runs, and the solution with explanations when it is done.
type GroupingRun struct {
	ID            string             `json:"id"`
	Status        RunStatus          `json:"status"`
	Request       GroupingRunRequest `json:"request"`
	PreviousRunID string             `json:"previous_run_id,omitempty"`
	Progress      *grouping.Progress `json:"progress,omitempty"`
	Error         *bsk.Error         `json:"error,omitempty"`
	Solution      *grouping.Solution `json:"solution,omitempty"`
	// Leaders gives each group's consultant ("" for none), by group index.
	Leaders []string `json:"leaders,omitempty"`
	// Unled lists groups left without a consultant, and why.
	Unled []grouping.UnassignedGroup `json:"unled,omitempty"`
	// Diff compares a re-grouping with the previous run.
	Diff       *grouping.Diff `json:"diff,omitempty"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  time.Time      `json:"created_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// Roster is one group as a consultant sees it.
type Roster struct {
	Group   int            `json:"group"`
	Leader  string         `json:"leader,omitempty"`
	Members []RosterMember `json:"members"`
	// Languages are the languages every member (and the leader) speaks.
	Languages []string `json:"languages"`
	// Slots are the weekly meeting times, as codes such as "tue-0900",
	// that every member (and the leader) can make.
	Slots []string `json:"slots"`
}

// RosterMember is a member of a roster.
type RosterMember struct {
	ID             bsk.ProviderID     `json:"id"`
	Name           string             `json:"name"`
	OrganizationID bsk.OrganizationID `json:"organization_id"`
	Role           bsk.Role           `json:"role"`
}

// progressBoard keeps running searches' progress in memory.
type progressBoard struct {
	mu sync.Mutex
	m  map[string]grouping.Progress
}

func (b *progressBoard) set(id string, p grouping.Progress) {
	b.mu.Lock()
	b.m[id] = p
	b.mu.Unlock()
}

func (b *progressBoard) get(id string) (grouping.Progress, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.m[id]
	return p, ok
}

func (b *progressBoard) drop(id string) {
	b.mu.Lock()
	delete(b.m, id)
	b.mu.Unlock()
}

func (a *App) groupingRoutes(g *echo.Group) {
	runners := allow(runRoles...)
	g.POST("/grouping-runs", a.createGroupingRun, runners)
	g.GET("/grouping-runs", a.listGroupingRuns, runners)
	g.GET("/grouping-runs/:id", a.getGroupingRun, runners)
	g.POST("/grouping-runs/:id/cancel", a.cancelGroupingRun, runners)
	g.POST("/grouping-runs/:id/regroup", a.regroup, runners)
	g.GET("/grouping-runs/:id/rosters", a.rosters, allow(rosterRoles...))
}

func limitOf(seconds float64) (time.Duration, error) {
	if math.IsNaN(seconds) || seconds < 0 || seconds > 300 {
		return 0, bsk.Errors{bsk.Invalidf("/time_limit_seconds", "must be from 0 to 300")}
	}
	if seconds == 0 {
		seconds = 2
	}
	return time.Duration(seconds * float64(time.Second)), nil
}

// problemFor builds the run's problem from the providers on file, and
// returns the consultants who may lead its groups.
func (a *App) problemFor(ctx context.Context, p Principal, req GroupingRunRequest) (*grouping.Problem, []bsk.Provider, error) {
	if !req.Preset.Valid() {
		return nil, nil, bsk.Errors{bsk.Invalidf("/preset", "unknown preset %q (one of %v)", req.Preset, req.Preset.Enum())}
	}
	if err := mayStartRun(p, req); err != nil {
		return nil, nil, err
	}
	all, err := allOf[bsk.Provider](ctx, a.db, store.Providers)
	if err != nil {
		return nil, nil, err
	}
	sel := grouping.Selection{}
	for _, id := range req.ProviderIDs {
		sel.ProviderIDs = append(sel.ProviderIDs, bsk.ProviderID(id))
	}
	for _, id := range req.OrganizationIDs {
		sel.OrganizationIDs = append(sel.OrganizationIDs, bsk.OrganizationID(id))
	}
	cohort, err := grouping.CohortOf(req.Preset, all, sel)
	if err != nil {
		return nil, nil, err
	}
	leaders := cohort.Leaders
	// The run's leader capacity is the one its groups are formed for.
	opts := req.Options
	if req.LeaderCapacity > 0 && req.LeaderCapacity <= 100 {
		opts.LeaderCapacity = req.LeaderCapacity
	}
	prob, err := grouping.NewProblem(req.Preset, cohort.Participants, leaders, opts)
	if err != nil {
		return nil, nil, err
	}
	var pr bsk.Problems
	for name, w := range req.Weights {
		i := slices.IndexFunc(prob.Criteria, func(c grouping.Criterion) bool { return c.Name == name })
		if i < 0 {
			pr.AddCode(bsk.CodeNotFound, "/weights/"+name, "the preset has no criterion %q", name)
			continue
		}
		prob.Criteria[i].Weight = w
	}
	prob.Criteria = append(prob.Criteria, req.Criteria...)
	if err := pr.Err(); err != nil {
		return nil, nil, err
	}
	if err := prob.Validate(); err != nil {
		return nil, nil, err
	}
	if req.Preset != grouping.ReflectiveConsultationPreset || req.NoLeaders {
		leaders = nil
	}
	if req.LeaderCapacity < 0 || req.LeaderCapacity > 100 {
		return nil, nil, bsk.Errors{bsk.Invalidf("/leader_capacity", "must be from 0 to 100")}
	}
	return prob, leaders, nil
}

func (a *App) createGroupingRun(c echo.Context) error {
	var req GroupingRunRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	return a.launchRun(c, req, "", nil)
}

// launchRun stores a new run and starts its search in the background;
// previous, when set, makes it a re-grouping of that run.
func (a *App) launchRun(c echo.Context, req GroupingRunRequest, previousID string, regroup *RegroupRequest) error {
	ctx := c.Request().Context()
	p := principal(c)
	seconds := req.TimeLimitSeconds
	if regroup != nil {
		seconds = regroup.TimeLimitSeconds
	}
	limit, err := limitOf(seconds)
	if err != nil {
		return err
	}
	prob, leaders, err := a.problemFor(ctx, p, req)
	if err != nil {
		return err
	}
	var previous *GroupingRun
	if previousID != "" {
		prev, err := a.visibleRun(ctx, p, previousID)
		if err != nil {
			return err
		}
		if prev.Status != RunDone || prev.Solution == nil {
			return bsk.Errorf(bsk.CodeConflict, "run %q is %s; only a finished run can be re-grouped", previousID, prev.Status)
		}
		previous = &prev
	}
	run := GroupingRun{ID: "run-" + store.NewID(), Status: RunRunning, Request: req, PreviousRunID: previousID,
		CreatedBy: p.KeyID, CreatedAt: time.Now().UTC()}
	// The job waits until the run's record is stored with the status it
	// starts with, so it never writes before the record exists.
	ready := make(chan struct{})
	queued, err := a.jobs.submit(run.ID, p.KeyID, p.Role, func(jctx context.Context) {
		<-ready
		if jctx.Err() != nil && !errors.Is(context.Cause(jctx), errShutdown) {
			return // the record was never stored
		}
		a.executeRun(jctx, run, prob, leaders, limit, previous, regroup)
	})
	if err != nil {
		return err
	}
	if queued {
		run.Status = RunQueued
	}
	if err := a.saveRun(ctx, run, true); err != nil {
		a.jobs.cancel(run.ID)
		close(ready)
		return err
	}
	close(ready)
	return c.JSON(http.StatusAccepted, run)
}

// executeRun solves, assigns leaders and stores the outcome. Cancelled
// runs are marked cancelled; runs stopped by shutdown are marked failed.
func (a *App) executeRun(ctx context.Context, run GroupingRun, prob *grouping.Problem, leaders []bsk.Provider, limit time.Duration, previous *GroupingRun, regroup *RegroupRequest) {
	defer a.progress.drop(run.ID)
	if run.Status == RunQueued {
		// A slot freed: the run leaves the queue.
		run.Status = RunRunning
		if err := a.saveRun(ctx, run, false); err != nil && ctx.Err() == nil {
			a.log.Error().Err(err).Str("run", run.ID).Msg("starting a queued grouping run")
		}
	}
	opts := grouping.Options{TimeLimit: limit, Seed: run.Request.Seed, Progress: func(pr grouping.Progress) { a.progress.set(run.ID, pr) }}
	var sol *grouping.Solution
	var err error
	if previous != nil {
		var rg *grouping.Regrouping
		rg, err = grouping.Regroup(ctx, prob, previous.Solution.Groups, grouping.RegroupOptions{Options: opts, MoveCost: regroup.MoveCost})
		if err == nil {
			sol, run.Diff = rg.Solution, &rg.Diff
		}
	} else {
		sol, err = grouping.Solve(ctx, prob, opts)
	}
	if err == nil && ctx.Err() == nil && len(leaders) > 0 {
		var prevLeaders []string
		if previous != nil {
			prevLeaders = previous.Leaders
		}
		var lead *grouping.LeaderAssignment
		if lead, err = grouping.AssignLeading(ctx, prob, sol.Groups, prevLeaders); err == nil {
			run.Leaders, run.Unled = lead.Leaders, lead.Unassigned
		}
	}
	now := time.Now().UTC()
	run.FinishedAt = &now
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errCancelled):
		run.Status = RunCancelled
	case cause != nil:
		run.Status = RunFailed
		run.Error = bsk.Errorf(bsk.CodeInternal, "%v", cause)
	case err != nil:
		run.Status = RunFailed
		run.Error = asBskError(err)
		if run.Error.Code == bsk.CodeInternal {
			// The details are for the log, not for the run's readers.
			a.log.Error().Err(err).Str("run", run.ID).Msg("grouping run failed")
			run.Error = errJobInternal(run.ID)
		}
	default:
		run.Status, run.Solution = RunDone, sol
		if pr, ok := a.progress.get(run.ID); ok {
			run.Progress = &pr
		}
	}
	// The run's record must reach the store even while the server stops.
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.saveRun(wctx, run, false); err != nil {
		a.log.Error().Err(err).Str("run", run.ID).Msg("storing a grouping run")
	}
}

func asBskError(err error) *bsk.Error {
	var e *bsk.Error
	if errors.As(err, &e) {
		return e
	}
	var list bsk.Errors
	if errors.As(err, &list) && len(list) > 0 {
		return list[0]
	}
	return bsk.Errorf(bsk.CodeInternal, "%v", err)
}

func (a *App) saveRun(ctx context.Context, run GroupingRun, insert bool) error {
	b, err := json.Marshal(run)
	if err != nil {
		return err
	}
	rec := store.Record{ID: run.ID, Parent: run.PreviousRunID, Doc: b}
	return a.db.Write(ctx, func(tx *store.Tx) error {
		if insert {
			if err := tx.Insert(ctx, store.GroupingRuns, rec); err != nil {
				return err
			}
			return tx.Audit(ctx, run.CreatedBy, "create", "grouping_run", run.ID)
		}
		return tx.Update(ctx, store.GroupingRuns, rec)
	})
}

func (a *App) loadRun(ctx context.Context, id string) (GroupingRun, error) {
	var run GroupingRun
	rec, err := a.db.Get(ctx, store.GroupingRuns, id)
	if err != nil {
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return run, bsk.NotFoundf("id", "no grouping run %q", id)
		}
		return run, err
	}
	if err := json.Unmarshal(rec.Doc, &run); err != nil {
		return run, bsk.Errorf(bsk.CodeInternal, "stored grouping run %q: %w", id, err)
	}
	if run.Status == RunRunning {
		if pr, ok := a.progress.get(id); ok {
			run.Progress = &pr
		}
	}
	return run, nil
}

// visibleRun loads a run the caller may see; a run it may not see reads
// exactly like one that does not exist.
func (a *App) visibleRun(ctx context.Context, p Principal, id string) (GroupingRun, error) {
	run, err := a.loadRun(ctx, id)
	if err != nil {
		return run, err
	}
	if !canReadRun(p, run) {
		return GroupingRun{}, bsk.NotFoundf("id", "no grouping run %q", id)
	}
	return run, nil
}

// auditRunRead records a read of runs formed from demographics.
func (a *App) auditRunRead(c echo.Context, runs ...GroupingRun) error {
	var ids []string
	for _, r := range runs {
		if usesDemographics(r.Request) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return a.auditRead(c, "grouping_run", strings.Join(ids, ","))
}

func (a *App) getGroupingRun(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	run, err := a.visibleRun(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	if err := a.auditRunRead(c, run); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}

// listGroupingRuns lists runs without their solutions.
func (a *App) listGroupingRuns(c echo.Context) error {
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	recs, err := a.db.List(c.Request().Context(), store.GroupingRuns, store.Filter{After: c.QueryParam("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	p := principal(c)
	page := Page[GroupingRun]{Items: []GroupingRun{}}
	for _, rec := range recs {
		var run GroupingRun
		if err := json.Unmarshal(rec.Doc, &run); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored grouping run %q: %w", rec.ID, err)
		}
		if !canReadRun(p, run) {
			continue
		}
		run.Solution = nil
		page.Items = append(page.Items, run)
	}
	if len(recs) == limit {
		page.NextCursor = recs[len(recs)-1].ID
	}
	if err := a.auditRunRead(c, page.Items...); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (a *App) cancelGroupingRun(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	run, err := a.visibleRun(ctx, principal(c), id)
	if err != nil {
		return err
	}
	if run.Status != RunRunning && run.Status != RunQueued {
		return bsk.Errorf(bsk.CodeConflict, "run %q is %s, not running or queued", id, run.Status)
	}
	running, queued := a.jobs.cancel(id)
	switch {
	case queued:
		// It never started: it is cancelled now.
		now := time.Now().UTC()
		run.Status, run.FinishedAt = RunCancelled, &now
		if err := a.saveRun(ctx, run, false); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]string{"id": id, "status": string(RunCancelled)})
	case running:
		return c.JSON(http.StatusAccepted, map[string]string{"id": id, "status": "cancelling"})
	}
	return bsk.Errorf(bsk.CodeConflict, "run %q has just finished", id)
}

func (a *App) regroup(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req RegroupRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	prev, err := a.visibleRun(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return a.launchRun(c, prev.Request, id, &req)
}

// rosters lists a finished run's groups with names; a consultant sees only
// the groups they lead.
func (a *App) rosters(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	run, err := a.loadRun(ctx, id)
	if err != nil {
		return err
	}
	p := principal(c)
	if !canReadRoster(p, run) {
		// Consultants learn nothing of runs they lead no group in, and
		// nobody of runs formed from demographics they may not see.
		return bsk.NotFoundf("id", "no grouping run %q", id)
	}
	if run.Status != RunDone {
		return bsk.Errorf(bsk.CodeConflict, "run %q is %s; rosters exist once it is done", id, run.Status)
	}
	if err := a.auditRead(c, "grouping_run", id); err != nil {
		return err
	}
	people, err := allOf[bsk.Provider](ctx, a.db, store.Providers)
	if err != nil {
		return err
	}
	byID := map[grouping.MemberID]bsk.Provider{}
	for _, pv := range people {
		byID[grouping.MemberID(pv.ID)] = pv
	}
	slots := run.Request.Options.Slots
	if len(slots) == 0 {
		slots = grouping.DefaultMeetingSlots(90)
	}
	out := []Roster{}
	for g, members := range run.Solution.Groups {
		leader := ""
		if g < len(run.Leaders) {
			leader = run.Leaders[g]
		}
		if p.Role == RoleConsultant && leader != p.ProviderID {
			continue
		}
		r := Roster{Group: g, Leader: leader, Members: []RosterMember{}}
		everyone := slices.Clone(members)
		if leader != "" {
			everyone = append(everyone, grouping.MemberID(leader))
		}
		for i, m := range everyone {
			pv := byID[m]
			if i < len(members) {
				r.Members = append(r.Members, RosterMember{ID: bsk.ProviderID(m), Name: pv.Name, OrganizationID: pv.OrganizationID, Role: pv.Role})
			}
			mm := grouping.MemberOf(pv, slots, false)
			if i == 0 {
				r.Languages, r.Slots = mm.Sets[grouping.AttrLanguages], mm.Sets[grouping.AttrSlots]
				continue
			}
			r.Languages = slices.DeleteFunc(r.Languages, func(v string) bool { return !slices.Contains(mm.Sets[grouping.AttrLanguages], v) })
			r.Slots = slices.DeleteFunc(r.Slots, func(v string) bool { return !slices.Contains(mm.Sets[grouping.AttrSlots], v) })
		}
		if r.Languages == nil {
			r.Languages = []string{}
		}
		if r.Slots == nil {
			r.Slots = []string{}
		}
		out = append(out, r)
	}
	return c.JSON(http.StatusOK, map[string]any{"run_id": id, "rosters": out})
}

// recoverRuns marks runs left running by a previous process as failed.
func (a *App) recoverRuns(ctx context.Context) error {
	runs, err := allOf[GroupingRun](ctx, a.db, store.GroupingRuns)
	if err != nil {
		return err
	}
	for _, run := range runs {
		if run.Status != RunRunning && run.Status != RunQueued {
			continue
		}
		now := time.Now().UTC()
		run.Status, run.FinishedAt = RunFailed, &now
		run.Error = bsk.Errorf(bsk.CodeInternal, "the server stopped while the run was in progress; start a new run")
		if err := a.saveRun(ctx, run, false); err != nil {
			return err
		}
		a.log.Warn().Str("run", run.ID).Msg("marked an interrupted grouping run failed")
	}
	return nil
}

// allOf decodes every record of a kind, page by page.
func allOf[T any](ctx context.Context, db *store.DB, k store.Kind) ([]T, error) {
	var out []T
	after := ""
	for {
		recs, err := db.List(ctx, k, store.Filter{After: after, Limit: 1000})
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
