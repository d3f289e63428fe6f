package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// RunCancelling is the answer to the cancellation of a running run: it was
// asked to stop, and reads [RunCancelled] once its search has stopped. It
// is never a stored status.
const RunCancelling RunStatus = "cancelling"

// GroupingRunRequest asks for a grouping run: a preset over the providers on
// file, with overrides.
type GroupingRunRequest struct {
	// Preset is the grouping preset.
	Preset grouping.Preset `json:"preset"`
	// Options adjust the preset (group count, sizes, policies, slots).
	// Options.LeaderCapacity is the run's leader capacity.
	Options grouping.PresetOptions `json:"options,omitzero"`
	// OrganizationIDs limits the members to these organizations; empty
	// means every organization.
	OrganizationIDs []string `json:"organization_ids,omitempty"`
	// ProviderIDs, when set, are the members (training attendees, say)
	// instead of everyone the preset would take.
	ProviderIDs []string `json:"provider_ids,omitempty"`
	// LeaderIDs, when set, are exactly the providers who lead the groups
	// (a mentor who is also a reflective consultant, say), whatever their
	// role; they are not members. Only for presets with leaders.
	LeaderIDs []string `json:"leader_ids,omitempty"`
	// Weights override the preset's criterion weights, by criterion name.
	Weights map[string]float64 `json:"weights,omitempty"`
	// Criteria are added to the preset's.
	Criteria []grouping.Criterion `json:"criteria,omitempty"`
	// TimeLimitSeconds bounds the search; default 2, at most 300.
	TimeLimitSeconds float64 `json:"time_limit_seconds,omitempty"`
	// Seed seeds the search.
	Seed uint64 `json:"seed,omitempty"`
	// Starts is how many first groupings the search builds and picks from
	// ([grouping.Options.Starts]): 0 means 8, at most 256. More place more
	// people where languages and meeting times make it hard, at some cost
	// to the objective.
	Starts int `json:"starts,omitempty"`
	// NoLeaders skips assigning consultants (reflective consultation) after
	// the grouping.
	NoLeaders bool `json:"no_leaders,omitempty"`
	// LeaderCapacity is the older spelling of Options.LeaderCapacity, the
	// most groups one consultant leads (0 to 100; 0 means 5, for 97 groups
	// among 20 consultants). Options.LeaderCapacity is authoritative: a
	// request that sets both to different values is refused, and one that
	// sets only this field has it copied there.
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

// RunProgress is a search's progress (see [grouping.Progress], whose
// elapsed and remaining times are in nanoseconds), with those times also
// in seconds.
type RunProgress struct {
	grouping.Progress
	// ElapsedSeconds is the time since the search began, in seconds.
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	// RemainingSeconds is the time left before the search's limit, in
	// seconds (0 once it iterates without a limit).
	RemainingSeconds float64 `json:"remaining_seconds"`
}

func progressOf(p grouping.Progress) *RunProgress {
	return &RunProgress{Progress: p, ElapsedSeconds: p.Elapsed.Seconds(), RemainingSeconds: p.Remaining.Seconds()}
}

// GroupingRun is a grouping run: its request, status, progress while it
// runs, and the solution with explanations when it is done.
type GroupingRun struct {
	// ID names the run: "run-" and a random suffix.
	ID string `json:"id"`
	// Status is where the run stands.
	Status RunStatus `json:"status"`
	// Request is what was asked for.
	Request GroupingRunRequest `json:"request"`
	// PreviousRunID names the run this one re-groups.
	PreviousRunID string `json:"previous_run_id,omitempty"`
	// Progress is the search's progress while it runs, and its last
	// progress once it is done.
	Progress *RunProgress `json:"progress,omitempty"`
	// Error says why a failed run failed.
	Error *bsk.Error `json:"error,omitempty"`
	// Solution is a finished run's groups, with explanations; listings
	// leave it out.
	Solution *grouping.Solution `json:"solution,omitempty"`
	// Leaders gives each group's consultant ("" for none), by group index.
	Leaders []string `json:"leaders,omitempty"`
	// Unled lists groups left without a consultant, and why.
	Unled []UnledGroup `json:"unled,omitempty"`
	// Unplaced lists the solution's unplaced members (Solution.Unplaced)
	// with each reason's text in the reader's language; answers fill it
	// when they hold the solution, stored runs leave it out.
	Unplaced []UnplacedMember `json:"unplaced,omitempty"`
	// Language is the language of the reasons' texts: one of grouping.Languages.
	Language string `json:"language,omitempty"`
	// Diff compares a re-grouping with the previous run.
	Diff *grouping.Diff `json:"diff,omitempty"`
	// CreatedBy is the ID of the key that asked for the run.
	CreatedBy string `json:"created_by"`
	// CreatedAt is when the run was asked for.
	CreatedAt time.Time `json:"created_at"`
	// FinishedAt is when the run ended (done, failed or cancelled).
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// ElapsedSeconds is the time from CreatedAt to FinishedAt (or to now,
	// while the run waits or runs), in seconds.
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// ReasonText is a grouping reason (see [grouping.Reason]) with its text.
type ReasonText struct {
	// Code is the reason's stable code (see [grouping.ReasonCodes]).
	Code string `json:"code"`
	// Params are the values its text is rendered with.
	Params map[string]string `json:"params,omitempty"`
	// Text is the reason as a sentence in the reader's language; answers
	// fill it, stored runs leave it out.
	Text string `json:"text,omitempty"`
}

// UnplacedMember is a member in no group, and why.
type UnplacedMember struct {
	// Member is the provider's ID.
	Member grouping.MemberID `json:"member"`
	// Name is the provider's name as on file, in rosters.
	Name string `json:"name,omitempty"`
	// Reason says why the member is in no group.
	Reason ReasonText `json:"reason"`
}

// UnledGroup is a group without a leader, and why.
type UnledGroup struct {
	// Group is the group's index in the run's solution, from 0.
	Group int `json:"group"`
	// Reason says why no leader leads it.
	Reason ReasonText `json:"reason"`
}

// reasonText is r with its text in language lang.
func reasonText(texts grouping.Texts, r grouping.Reason, lang string) ReasonText {
	return ReasonText{Code: r.Code, Params: r.Params, Text: texts.Text(r, lang)}
}

// unledGroups are the groups a leader assignment leaves unled, as stored.
func unledGroups(in []grouping.UnassignedGroup) []UnledGroup {
	out := make([]UnledGroup, len(in))
	for i, u := range in {
		out[i] = UnledGroup{Group: u.Group, Reason: ReasonText{Code: u.Reason.Code, Params: u.Reason.Params}}
	}
	return out
}

// runSlots are the meeting slots a run's slot codes come from.
func runSlots(req GroupingRunRequest) []bsk.Slot {
	if len(req.Options.Slots) > 0 {
		return req.Options.Slots
	}
	return grouping.DefaultMeetingSlots(90)
}

// In returns the run with its reasons' texts in language lang (as
// grouping.TextLanguage reads it): the unled groups', and, when the run
// holds its solution, the unplaced members'.
func (run GroupingRun) In(lang string) GroupingRun {
	texts := grouping.Texts{Slots: runSlots(run.Request)}
	run.Language = grouping.TextLanguage(lang)
	run.Unled = slices.Clone(run.Unled)
	for i, u := range run.Unled {
		run.Unled[i].Reason = reasonText(texts, grouping.Reason{Code: u.Reason.Code, Params: u.Reason.Params}, lang)
	}
	run.Unplaced = nil
	if run.Solution != nil {
		run.Unplaced = make([]UnplacedMember, len(run.Solution.Unplaced))
		for i, u := range run.Solution.Unplaced {
			run.Unplaced[i] = UnplacedMember{Member: u.Member, Reason: reasonText(texts, u.Reason, lang)}
		}
	}
	return run
}

// In returns the rosters with their reasons' texts in language lang (as
// grouping.TextLanguage reads it).
func (rs RunRosters) In(lang string) RunRosters {
	texts := grouping.Texts{Slots: rs.slots}
	rs.Language = grouping.TextLanguage(lang)
	rs.Rosters = slices.Clone(rs.Rosters)
	for i, r := range rs.Rosters {
		if r.Unled != nil {
			t := reasonText(texts, grouping.Reason{Code: r.Unled.Code, Params: r.Unled.Params}, lang)
			rs.Rosters[i].Unled = &t
		}
	}
	rs.Unplaced = slices.Clone(rs.Unplaced)
	for i, u := range rs.Unplaced {
		rs.Unplaced[i].Reason = reasonText(texts, grouping.Reason{Code: u.Reason.Code, Params: u.Reason.Params}, lang)
	}
	return rs
}

// Cancellation answers a request to cancel a run.
type Cancellation struct {
	// ID names the run.
	ID string `json:"id"`
	// Status is [RunCancelled] for a run that was waiting (it never
	// starts), or [RunCancelling] for a running one (it reads cancelled
	// once its search stops).
	Status RunStatus `json:"status"`
}

// RunRosters are a finished run's groups as people read them.
type RunRosters struct {
	// RunID names the run.
	RunID string `json:"run_id"`
	// Rosters are the groups the caller may see, in group order.
	Rosters []Roster `json:"rosters"`
	// Unplaced lists the members in no group, with their names and why,
	// for callers who see every group (not a consultant).
	Unplaced []UnplacedMember `json:"unplaced,omitempty"`
	// Language is the language of the reasons' texts: one of grouping.Languages.
	Language string `json:"language"`
	// slots are the run's meeting slots, for the texts.
	slots []bsk.Slot
}

// Roster is one group as a consultant sees it.
type Roster struct {
	// Group is the group's index in the run's solution and leaders, from 0.
	Group int `json:"group"`
	// Number is the group's number for people, from 1.
	Number int `json:"number"`
	// Name is the group's name for people: "Group <Number>".
	Name string `json:"name"`
	// Leader is the ID of the group's consultant, when it has one.
	Leader string `json:"leader,omitempty"`
	// Consultant is the group's consultant with their name, when it has one.
	Consultant *RosterMember `json:"consultant,omitempty"`
	// Members are the group's members, with their names.
	Members []RosterMember `json:"members"`
	// Languages are the languages every member (and the leader) speaks.
	Languages []string `json:"languages"`
	// Slots are the weekly meeting times, as codes such as "tue-0900",
	// that every member (and the leader) can make.
	Slots []string `json:"slots"`
	// MeetingTimes are Slots as text, such as "Tuesday 09:00-10:30".
	MeetingTimes []string `json:"meeting_times"`
	// Unled says why the group has no consultant, when the run gave its
	// groups consultants and this one has none.
	Unled *ReasonText `json:"unled,omitempty"`
}

// RosterMember is a member (or the consultant) of a roster.
type RosterMember struct {
	// ID is the provider's ID.
	ID bsk.ProviderID `json:"id"`
	// Name is the provider's name as on file.
	Name string `json:"name"`
	// OrganizationID is the provider's organization.
	OrganizationID bsk.OrganizationID `json:"organization_id"`
	// Role is the provider's role.
	Role bsk.Role `json:"role"`
}

// Grouping serves grouping runs: it starts them as background jobs under
// the run limits, reports their progress, cancels and re-groups them,
// lists rosters, and marks runs a restart interrupted as failed. Every
// method reads its caller from the context and applies the policy of
// grouping_access.go; reads of rosters and of runs formed from
// demographics are audited before they leave the server.
type Grouping struct {
	db       *store.DB
	audit    *Audit
	jobs     *Jobs
	log      zerolog.Logger
	metrics  *Metrics
	progress *progressBoard
	// solve is [grouping.Solve]; a test replaces it.
	solve func(context.Context, *grouping.Problem, grouping.Options) (*grouping.Solution, error)
}

func newGrouping(db *store.DB, audit *Audit, jobs *Jobs, log zerolog.Logger) *Grouping {
	return &Grouping{db: db, audit: audit, jobs: jobs, log: log, progress: &progressBoard{m: map[string]grouping.Progress{}},
		solve: grouping.Solve}
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

// Start stores a new run and starts its search in the background. The
// run starts "running", or "queued" while the caller's or the server's
// run limits are reached.
//
// Errors: invalid (naming the field: /preset, /time_limit_seconds,
// /starts, /leader_capacity, /provider_ids/<i>, ...), not_found (/weights/<name>,
// /provider_ids/<i>), unauthorized (a role that may not run groupings, or
// a run formed from demographics the caller may not see), conflict (the
// server is shutting down), and a [QueueFullError] when the queue is full.
func (g *Grouping) Start(ctx context.Context, req GroupingRunRequest) (GroupingRun, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return GroupingRun{}, err
	}
	limit, err := runLimit(req.TimeLimitSeconds)
	if err != nil {
		return GroupingRun{}, err
	}
	if req.Starts < 0 || req.Starts > grouping.MaxStarts {
		return GroupingRun{}, bsk.Errors{bsk.Invalidf("/starts", "must be from 0 to %d (0 means %d)", grouping.MaxStarts, grouping.DefaultStarts)}
	}
	return g.launch(ctx, p, req, limit, nil, nil)
}

// Regroup re-forms a finished run's groups on the providers now on file,
// as a new run that names the previous one; members move only when they
// must or gain a lot, and consultants keep their groups where they can.
//
// Errors: not_found (a run that does not exist or that the caller may not
// see), invalid, conflict (the run is not done, or the server is shutting
// down), unauthorized, and a [QueueFullError] when the queue is full.
func (g *Grouping) Regroup(ctx context.Context, id string, rr RegroupRequest) (GroupingRun, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return GroupingRun{}, err
	}
	prev, err := g.visibleRun(ctx, p, id)
	if err != nil {
		return GroupingRun{}, err
	}
	limit, err := runLimit(rr.TimeLimitSeconds)
	if err != nil {
		return GroupingRun{}, err
	}
	return g.launch(ctx, p, prev.Request, limit, &prev, &rr)
}

// Get returns a run, with its progress while it runs and its reasons'
// texts in English ([GroupingRun.In] renders them in Spanish). Reads of a
// run formed from demographics are audited.
//
// Errors: not_found (a run that does not exist or that the caller may not
// see), unauthorized.
func (g *Grouping) Get(ctx context.Context, id string) (GroupingRun, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return GroupingRun{}, err
	}
	run, err := g.visibleRun(ctx, p, id)
	if err != nil {
		return GroupingRun{}, err
	}
	if err := g.auditRunReads(ctx, run); err != nil {
		return GroupingRun{}, err
	}
	return g.shown(run), nil
}

// listedRun is a stored run as a listing reads it: everything but the
// solution, which the decoder steps over without building it (a run at
// the county's scale holds megabytes of solution).
type listedRun struct {
	GroupingRun
	Solution skipJSON `json:"solution,omitempty"`
}

// skipJSON is a JSON value read and dropped.
type skipJSON struct{}

// UnmarshalJSON drops the value.
func (*skipJSON) UnmarshalJSON([]byte) error { return nil }

// List lists the runs the caller may see, in ID order, without their
// solutions. Reads of runs formed from demographics are audited, one entry
// per run.
//
// Errors: unauthorized.
func (g *Grouping) List(ctx context.Context, q ListQuery) (Page[GroupingRun], error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return Page[GroupingRun]{}, err
	}
	recs, err := g.db.List(ctx, store.GroupingRuns, store.Filter{After: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[GroupingRun]{}, err
	}
	page := Page[GroupingRun]{Items: []GroupingRun{}}
	for _, rec := range recs {
		listed, err := decode[listedRun]("grouping run", rec)
		if err != nil {
			return Page[GroupingRun]{}, err
		}
		run := listed.GroupingRun
		if !CanReadRun(p, run) {
			continue
		}
		page.Items = append(page.Items, g.shown(run))
	}
	if len(recs) == q.Limit && q.Limit > 0 {
		page.NextCursor = recs[len(recs)-1].ID
	}
	if err := g.auditRunReads(ctx, page.Items...); err != nil {
		return Page[GroupingRun]{}, err
	}
	return page, nil
}

// Cancel stops a run: a queued run is cancelled at once and never starts;
// a running one is asked to stop and reads cancelled once its search has
// stopped.
//
// Errors: not_found (a run that does not exist or that the caller may not
// see), conflict (the run has ended), unauthorized.
func (g *Grouping) Cancel(ctx context.Context, id string) (Cancellation, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return Cancellation{}, err
	}
	run, err := g.visibleRun(ctx, p, id)
	if err != nil {
		return Cancellation{}, err
	}
	if run.Status != RunRunning && run.Status != RunQueued {
		return Cancellation{}, bsk.Errorf(bsk.CodeConflict, "run %q is %s, not running or queued", id, run.Status)
	}
	running, queued := g.jobs.cancel(id)
	switch {
	case queued:
		// It never started: it is cancelled now.
		now := time.Now().UTC()
		run.Status, run.FinishedAt = RunCancelled, &now
		if err := g.save(ctx, run, false); err != nil {
			return Cancellation{}, err
		}
		g.metrics.runFinished(RunCancelled, time.Time{})
		return Cancellation{ID: id, Status: RunCancelled}, nil
	case running:
		return Cancellation{ID: id, Status: RunCancelling}, nil
	}
	return Cancellation{}, bsk.Errorf(bsk.CodeConflict, "run %q has just finished", id)
}

// Rosters lists a finished run's groups with the names of their members
// and consultants, the languages they share and the meeting times they
// can all make, why a group has no consultant, and (for callers who see
// every group) who is in no group and why, in English ([RunRosters.In]
// renders Spanish). A consultant sees only the groups they lead. Every
// read is audited.
//
// Errors: not_found (a run that does not exist or whose rosters the caller
// may not read), conflict (the run is not done), unauthorized.
func (g *Grouping) Rosters(ctx context.Context, id string) (RunRosters, error) {
	p, err := require(ctx, RosterRoles...)
	if err != nil {
		return RunRosters{}, err
	}
	run, err := g.load(ctx, id)
	if err != nil {
		return RunRosters{}, err
	}
	if !CanReadRoster(p, run) {
		// Consultants learn nothing of runs they lead no group in, and
		// nobody of runs formed from demographics they may not see.
		return RunRosters{}, notFoundRun(id)
	}
	if run.Status != RunDone || run.Solution == nil {
		return RunRosters{}, bsk.Errorf(bsk.CodeConflict, "run %q is %s; rosters exist once it is done", id, run.Status)
	}
	if err := g.audit.Reads(ctx, "grouping_run", id); err != nil {
		return RunRosters{}, err
	}
	people, err := g.providers(ctx)
	if err != nil {
		return RunRosters{}, err
	}
	byID := make(map[grouping.MemberID]bsk.Provider, len(people))
	for _, pv := range people {
		byID[grouping.MemberID(pv.ID)] = pv
	}
	slots := runSlots(run.Request)
	out := RunRosters{RunID: id, Rosters: []Roster{}, slots: slots}
	unled := map[int]ReasonText{}
	for _, u := range run.Unled {
		unled[u.Group] = u.Reason
	}
	for gi, members := range run.Solution.Groups {
		leader := ""
		if gi < len(run.Leaders) {
			leader = run.Leaders[gi]
		}
		if p.Role == RoleConsultant && leader != p.ProviderID {
			continue
		}
		r := rosterOf(gi, members, leader, byID, slots)
		if u, ok := unled[gi]; ok {
			r.Unled = &u
		}
		out.Rosters = append(out.Rosters, r)
	}
	if p.Role != RoleConsultant {
		for _, u := range run.Solution.Unplaced {
			out.Unplaced = append(out.Unplaced, UnplacedMember{Member: u.Member, Name: byID[u.Member].Name,
				Reason: ReasonText{Code: u.Reason.Code, Params: u.Reason.Params}})
		}
	}
	return out.In(grouping.EnglishText), nil
}

// rosterOf builds group gi's roster from the providers on file.
func rosterOf(gi int, members []grouping.MemberID, leader string, byID map[grouping.MemberID]bsk.Provider, slots []bsk.Slot) Roster {
	r := Roster{Group: gi, Number: gi + 1, Name: fmt.Sprintf("Group %d", gi+1), Leader: leader, Members: []RosterMember{}}
	everyone := slices.Clone(members)
	if leader != "" {
		everyone = append(everyone, grouping.MemberID(leader))
		pv := byID[grouping.MemberID(leader)]
		r.Consultant = &RosterMember{ID: bsk.ProviderID(leader), Name: pv.Name, OrganizationID: pv.OrganizationID, Role: pv.Role}
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
	r.MeetingTimes = meetingTimes(r.Slots, slots)
	return r
}

// dayNames are the days' names for people.
var dayNames = map[bsk.Day]string{bsk.Monday: "Monday", bsk.Tuesday: "Tuesday", bsk.Wednesday: "Wednesday",
	bsk.Thursday: "Thursday", bsk.Friday: "Friday", bsk.Saturday: "Saturday", bsk.Sunday: "Sunday"}

// meetingTimes renders slot codes (see [grouping.SlotCode]) as text, such
// as "Tuesday 09:00-10:30", from the run's meeting slots.
func meetingTimes(codes []string, slots []bsk.Slot) []string {
	out := make([]string, 0, len(codes))
	for _, code := range codes {
		i := slices.IndexFunc(slots, func(s bsk.Slot) bool { return grouping.SlotCode(s) == code })
		if i < 0 {
			out = append(out, code)
			continue
		}
		s := slots[i]
		out = append(out, dayNames[s.Day]+" "+clock(s.Start)+"-"+clock(s.End))
	}
	return out
}

// clock renders minutes since midnight as "09:30".
func clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// Recover marks the runs a previous process left queued or running as
// failed: their searches ended with that process. The server calls it as
// [System] at start, before it serves. Administrator only.
//
// Errors: unauthorized, internal.
func (g *Grouping) Recover(ctx context.Context) error {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return err
	}
	var runs []GroupingRun
	after := ""
	for {
		recs, err := g.db.List(ctx, store.GroupingRuns, store.Filter{After: after, Limit: 1000})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			run, err := decode[GroupingRun]("grouping run", rec)
			if err != nil {
				return err
			}
			if run.Status == RunRunning || run.Status == RunQueued {
				runs = append(runs, run)
			}
		}
		if len(recs) < 1000 {
			break
		}
		after = recs[len(recs)-1].ID
	}
	for _, run := range runs {
		now := time.Now().UTC()
		run.Status, run.FinishedAt = RunFailed, &now
		run.Error = bsk.Errorf(bsk.CodeInternal, "the server stopped while the run was in progress; start a new run")
		if err := g.save(ctx, run, false); err != nil {
			return err
		}
		g.log.Warn().Str("run", run.ID).Msg("marked an interrupted grouping run failed")
	}
	return nil
}

func runLimit(seconds float64) (time.Duration, error) {
	if math.IsNaN(seconds) || seconds < 0 || seconds > 300 {
		return 0, bsk.Errors{bsk.Invalidf("/time_limit_seconds", "must be from 0 to 300")}
	}
	if seconds == 0 {
		seconds = 2
	}
	return time.Duration(seconds * float64(time.Second)), nil
}

// withCapacity makes Options.LeaderCapacity the request's one leader
// capacity: LeaderCapacity, the older spelling, is copied there when only
// it is set, and a request that sets both differently is refused.
func withCapacity(req GroupingRunRequest) (GroupingRunRequest, error) {
	top, opt := req.LeaderCapacity, req.Options.LeaderCapacity
	switch {
	case top < 0 || top > 100:
		return req, bsk.Errors{bsk.Invalidf("/leader_capacity", "must be from 0 to 100")}
	case top != 0 && opt != 0 && top != opt:
		return req, bsk.Errors{bsk.Invalidf("/leader_capacity",
			"is %d but /options/leader_capacity is %d: set only options.leader_capacity, the run's leader capacity", top, opt)}
	case top != 0:
		req.Options.LeaderCapacity = top
	}
	return req, nil
}

// problemFor builds the run's problem from the providers on file, and
// returns the request with its one leader capacity (see withCapacity) and
// the consultants who may lead its groups.
func (g *Grouping) problemFor(ctx context.Context, p Principal, req GroupingRunRequest) (GroupingRunRequest, *grouping.Problem, []bsk.Provider, error) {
	if !req.Preset.Valid() {
		return req, nil, nil, bsk.Errors{bsk.Invalidf("/preset", "unknown preset %q (one of %v)", req.Preset, req.Preset.Enum())}
	}
	if err := mayStartRun(p, req); err != nil {
		return req, nil, nil, err
	}
	req, err := withCapacity(req)
	if err != nil {
		return req, nil, nil, err
	}
	all, err := g.providers(ctx)
	if err != nil {
		return req, nil, nil, err
	}
	sel := grouping.Selection{}
	for _, id := range req.ProviderIDs {
		sel.ProviderIDs = append(sel.ProviderIDs, bsk.ProviderID(id))
	}
	for _, id := range req.LeaderIDs {
		sel.LeaderIDs = append(sel.LeaderIDs, bsk.ProviderID(id))
	}
	for _, id := range req.OrganizationIDs {
		sel.OrganizationIDs = append(sel.OrganizationIDs, bsk.OrganizationID(id))
	}
	cohort, err := grouping.CohortOf(req.Preset, all, sel)
	if err != nil {
		return req, nil, nil, err
	}
	leaders := cohort.Leaders
	// The run's leader capacity (req.Options.LeaderCapacity, see
	// withCapacity) is the one its groups are formed for.
	prob, err := grouping.NewProblem(req.Preset, cohort.Participants, leaders, req.Options)
	if err != nil {
		return req, nil, nil, optionPointers(err)
	}
	var pr bsk.Problems
	for name, w := range req.Weights {
		i := slices.IndexFunc(prob.Criteria, func(c grouping.Criterion) bool { return c.Name == name })
		if i < 0 {
			pr.AddCode(bsk.CodeNotFound, "/weights/"+pointerToken.Replace(name), "the preset has no criterion %q", name)
			continue
		}
		prob.Criteria[i].Weight = w
	}
	own := len(prob.Criteria)
	prob.Criteria = append(prob.Criteria, req.Criteria...)
	if err := pr.Err(); err != nil {
		return req, nil, nil, err
	}
	if err := prob.Validate(); err != nil {
		return req, nil, nil, criteriaPointers(err, prob.Criteria, own)
	}
	// Groups get leaders when the problem has them: reflective
	// consultation, and small-group mentorship (a leader capacity).
	if prob.Leading == nil || req.NoLeaders {
		leaders = nil
	}
	return req, prob, leaders, nil
}

// launch stores a new run and starts its search in the background;
// previous, when set, makes it a re-grouping of that run.
func (g *Grouping) launch(ctx context.Context, p Principal, req GroupingRunRequest, limit time.Duration, previous *GroupingRun, regroup *RegroupRequest) (GroupingRun, error) {
	req, prob, leaders, err := g.problemFor(ctx, p, req)
	if err != nil {
		return GroupingRun{}, err
	}
	run := GroupingRun{ID: "run-" + store.NewID(), Status: RunRunning, Request: req, CreatedBy: p.KeyID, CreatedAt: time.Now().UTC()}
	if previous != nil {
		if previous.Status != RunDone || previous.Solution == nil {
			return GroupingRun{}, bsk.Errorf(bsk.CodeConflict, "run %q is %s; only a finished run can be re-grouped", previous.ID, previous.Status)
		}
		run.PreviousRunID = previous.ID
	}
	// The job waits until the run's record is stored with the status it
	// starts with, so it never writes before the record exists.
	ready := make(chan struct{})
	jb := job{id: run.ID, failed: func(e *bsk.Error) { g.panicked(run.ID, e) }}
	jb.fn = func(jctx context.Context) {
		<-ready
		if jctx.Err() != nil && !errors.Is(context.Cause(jctx), ErrShutdown) {
			return // the record was never stored
		}
		g.execute(jctx, run, prob, leaders, limit, previous, regroup)
	}
	queued, err := g.jobs.submit(jb, p.KeyID, p.Role)
	if err != nil {
		return GroupingRun{}, err
	}
	if queued {
		run.Status = RunQueued
	}
	if err := g.save(ctx, run, true); err != nil {
		g.jobs.cancel(run.ID)
		close(ready)
		return GroupingRun{}, err
	}
	close(ready)
	g.metrics.runStarted()
	return g.shown(run), nil
}

// execute solves, assigns leaders and stores the outcome. Cancelled runs
// are marked cancelled; runs stopped by shutdown are marked failed.
func (g *Grouping) execute(ctx context.Context, run GroupingRun, prob *grouping.Problem, leaders []bsk.Provider, limit time.Duration, previous *GroupingRun, regroup *RegroupRequest) {
	defer g.progress.drop(run.ID)
	began := time.Now()
	if run.Status == RunQueued {
		// A slot freed: the run leaves the queue.
		run.Status = RunRunning
		if err := g.save(ctx, run, false); err != nil && ctx.Err() == nil {
			g.log.Error().Err(err).Str("run", run.ID).Msg("starting a queued grouping run")
		}
	}
	opts := grouping.Options{TimeLimit: limit, Seed: run.Request.Seed, Starts: run.Request.Starts, Progress: func(pr grouping.Progress) { g.progress.set(run.ID, pr) }}
	var sol *grouping.Solution
	var err error
	if previous != nil {
		var rg *grouping.Regrouping
		rg, err = grouping.Regroup(ctx, prob, previous.Solution.Groups, grouping.RegroupOptions{Options: opts, MoveCost: regroup.MoveCost})
		if err == nil {
			sol, run.Diff = rg.Solution, &rg.Diff
		}
	} else {
		sol, err = g.solve(ctx, prob, opts)
	}
	if err == nil && ctx.Err() == nil && len(leaders) > 0 {
		var prevLeaders []string
		if previous != nil {
			prevLeaders = previous.Leaders
		}
		var lead *grouping.LeaderAssignment
		if lead, err = grouping.AssignLeading(ctx, prob, sol.Groups, prevLeaders); err == nil {
			run.Leaders, run.Unled = lead.Leaders, unledGroups(lead.Unassigned)
		}
	}
	now := time.Now().UTC()
	run.FinishedAt = &now
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, ErrCancelled):
		run.Status = RunCancelled
	case cause != nil:
		run.Status = RunFailed
		run.Error = bsk.Errorf(bsk.CodeInternal, "%v", cause)
	case err != nil:
		run.Status = RunFailed
		run.Error = runError(err)
		if run.Error.Code == bsk.CodeInternal {
			// The details are for the log, not for the run's readers.
			g.log.Error().Err(err).Str("run", run.ID).Msg("grouping run failed")
			run.Error = errJobInternal(run.ID)
		}
	default:
		run.Status, run.Solution = RunDone, sol
		if pr, ok := g.progress.get(run.ID); ok {
			run.Progress = progressOf(pr)
		}
	}
	// The run's record must reach the store even while the server stops.
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.save(wctx, run, false); err != nil {
		g.log.Error().Err(err).Str("run", run.ID).Msg("storing a grouping run")
	}
	g.metrics.runFinished(run.Status, began)
}

// panicked marks a run whose job panicked failed, with e, an error that
// names no internal detail (the panic is in the log).
func (g *Grouping) panicked(id string, e *bsk.Error) {
	g.progress.drop(id)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	run, err := g.load(ctx, id)
	if err == nil {
		now := time.Now().UTC()
		run.Status, run.FinishedAt, run.Error, run.Solution, run.Progress = RunFailed, &now, e, nil, nil
		err = g.save(ctx, run, false)
	}
	if err != nil {
		g.log.Error().Err(err).Str("job", id).Msg("marking a panicked grouping run failed")
	}
	g.metrics.runFinished(RunFailed, time.Time{})
}

func runError(err error) *bsk.Error {
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

// save stores run; insert creates its record (audited), otherwise the
// record is replaced.
func (g *Grouping) save(ctx context.Context, run GroupingRun, insert bool) error {
	doc, err := encode("grouping run", run)
	if err != nil {
		return err
	}
	rec := store.Record{ID: run.ID, Parent: run.PreviousRunID, Doc: doc}
	return g.db.Write(ctx, func(tx *store.Tx) error {
		if insert {
			if err := tx.Insert(ctx, store.GroupingRuns, rec); err != nil {
				return err
			}
			return tx.Audit(ctx, run.CreatedBy, "create", "grouping_run", run.ID)
		}
		return tx.Update(ctx, store.GroupingRuns, rec)
	})
}

// load reads a run, whoever may see it.
func (g *Grouping) load(ctx context.Context, id string) (GroupingRun, error) {
	rec, err := g.db.Get(ctx, store.GroupingRuns, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return GroupingRun{}, notFoundRun(id)
	}
	if err != nil {
		return GroupingRun{}, err
	}
	return decode[GroupingRun]("grouping run", rec)
}

// visibleRun loads a run the caller may see; a run it may not see reads
// exactly like one that does not exist.
func (g *Grouping) visibleRun(ctx context.Context, p Principal, id string) (GroupingRun, error) {
	run, err := g.load(ctx, id)
	if err != nil {
		return GroupingRun{}, err
	}
	if !CanReadRun(p, run) {
		return GroupingRun{}, notFoundRun(id)
	}
	return run, nil
}

func notFoundRun(id string) error { return bsk.NotFoundf("id", "no grouping run %q", id) }

// shown is run as it is answered: the progress of a running search, the
// times in seconds, and the reasons' texts in English (see
// [GroupingRun.In] for another language).
func (g *Grouping) shown(run GroupingRun) GroupingRun {
	if run.Status == RunRunning {
		if pr, ok := g.progress.get(run.ID); ok {
			run.Progress = progressOf(pr)
		}
	}
	if run.Progress != nil {
		run.Progress = progressOf(run.Progress.Progress)
	}
	end := time.Now().UTC()
	if run.FinishedAt != nil {
		end = *run.FinishedAt
	}
	if !run.CreatedAt.IsZero() && end.After(run.CreatedAt) {
		run.ElapsedSeconds = end.Sub(run.CreatedAt).Seconds()
	}
	return run.In(grouping.EnglishText)
}

// auditRunReads records reads of runs formed from demographics, one entry
// per run, before they leave the server.
func (g *Grouping) auditRunReads(ctx context.Context, runs ...GroupingRun) error {
	var ids []string
	for _, r := range runs {
		if UsesDemographics(r.Request) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return g.audit.Reads(ctx, "grouping_run", ids...)
}

// providers reads every provider on file, a page at a time.
func (g *Grouping) providers(ctx context.Context) ([]bsk.Provider, error) {
	var out []bsk.Provider
	after := ""
	for {
		recs, err := g.db.List(ctx, store.Providers, store.Filter{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			v, err := decode[bsk.Provider]("provider", rec)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if len(recs) < 1000 {
			return out, nil
		}
		after = recs[len(recs)-1].ID
	}
}

// presetOptionFields are the fields of [grouping.PresetOptions] a preset
// names in its errors.
var presetOptionFields = []string{"groups", "size", "slots", "roles", "organization", "language", "leader_capacity"}

// optionPointers names the preset options' fields in a preset's error as
// the request's JSON pointers (size is /options/size, slots[2].end is
// /options/slots/2/end), so that a client finds the field it sent; other
// fields are left as the library names them.
func optionPointers(err error) error {
	return renameFields(listOf(err), func(field string) string {
		head, _, _ := strings.Cut(field, ".")
		head, _, _ = strings.Cut(head, "[")
		if slices.Contains(presetOptionFields, head) {
			return "/options/" + pointerPath.Replace(field)
		}
		return field
	})
}

// criteriaPointers names the request's parts in a problem's validation
// error: the problem's criteria are the preset's own (own of them), whose
// weights the request's weights set, then the request's criteria, so
// criteria[own+1].attr is /criteria/1/attr and a preset criterion's weight
// is /weights/<name>. Other fields are left as the library names them.
func criteriaPointers(err error, criteria []grouping.Criterion, own int) error {
	return renameFields(err, func(field string) string {
		rest, ok := strings.CutPrefix(field, "criteria[")
		if !ok {
			return field
		}
		num, tail, _ := strings.Cut(rest, "]")
		k, bad := strconv.Atoi(num)
		switch {
		case bad != nil || k < 0 || k >= len(criteria):
			return field
		case k >= own:
			return "/criteria/" + strconv.Itoa(k-own) + pointerPath.Replace(tail)
		case tail == ".weight":
			return "/weights/" + pointerToken.Replace(criteria[k].Name)
		}
		return field
	})
}
