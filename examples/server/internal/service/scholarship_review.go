package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

// The access policy for review, the pipeline and completion, beside
// scholarship_access.go's:
//
//	what                              who
//	reviewer assignment: make, read   admin, coordinator
//	a reviewer's queue (blind view),  consultant: the applications assigned
//	their scores                      to their own provider record only
//	pipeline equity                   admin, coordinator, evaluator
//	                                  (suppressed aggregates only)
//	coursework progress, completion   admin, coordinator
//
// A reviewer reads an application through the program's blind policy for
// their role, and never its demographics: the consultant role does not
// see them. Every view is audited with the fields it hid.

// ReviewerRoles may read a review queue and score it: consultants, the
// role that carries a provider record of its own.
var ReviewerRoles = []Role{RoleConsultant}

// PipelineRoles may read a cycle's pipeline equity.
var PipelineRoles = []Role{RoleAdmin, RoleCoordinator, RoleEvaluator}

// ReviewSetup asks for a cycle's reviewer assignment.
type ReviewSetup struct {
	// Settings are reviewers per application, the supervision depth of a
	// conflict and the blind policy (by role: "consultant").
	Settings scholarship.ReviewSettings `json:"settings"`
	// Reviewers are the people who may review, with their capacities,
	// languages and declared conflicts.
	Reviewers []scholarship.Reviewer `json:"reviewers"`
	// Written is the language each application (by ID) is written in;
	// English when absent.
	Written map[string]bsk.Language `json:"written,omitempty"`
}

// ReviewAssignment is a cycle's reviewer assignment as stored: who asked,
// the setup and the assignment, with each shortfall's reason in the
// reader's language.
type ReviewAssignment struct {
	ProgramID string      `json:"program_id"`
	CycleID   string      `json:"cycle_id"`
	At        time.Time   `json:"at"`
	By        string      `json:"by"`
	Setup     ReviewSetup `json:"setup"`
	scholarship.ReviewAssignment
	// ShortTexts says each of Short's reasons in Language.
	ShortTexts []string `json:"short_texts,omitempty"`
	Language   string   `json:"language,omitempty"`
}

// ReviewQueue is what one reviewer is given to score: each application
// as the blind policy lets them read it, with what was hidden.
type ReviewQueue struct {
	Reviewer string                   `json:"reviewer"`
	Items    []scholarship.ReviewView `json:"items"`
}

// PipelineQuery asks for a run's pipeline equity.
type PipelineQuery struct {
	// Line is the score an award needs: a reviewed application at or above
	// it is "above the line".
	Line float64
}

// CompletionOutcome ends an award's studies: "completed" or "withdrew".
type CompletionOutcome struct {
	Outcome scholarship.EntryKind `json:"outcome" jsonschema:"enum=completed,enum=withdrew"`
	// At is when; now when absent.
	At time.Time `json:"at,omitzero"`
}

// AssignReviewers assigns the cycle's applications (those not withdrawn)
// to reviewers (see [scholarship.AssignReviewers]), reading reporting
// lines from the stored providers, and stores the assignment, replacing
// the cycle's last one.
//
// Errors: invalid (every problem, by field), not_found for the program or
// the cycle, unauthorized for a role other than staff.
func (s *Scholarships) AssignReviewers(ctx context.Context, ref CycleRef, setup ReviewSetup, l scholarship.Lang) (ReviewAssignment, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return ReviewAssignment{}, err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return ReviewAssignment{}, err
	}
	apps, _, err := s.applications(ctx, ref, "")
	if err != nil {
		return ReviewAssignment{}, err
	}
	provs, err := listAll[bsk.Provider](ctx, s.db, store.Providers, "provider", store.Filter{})
	if err != nil {
		return ReviewAssignment{}, err
	}
	got, err := scholarship.AssignReviewers(ctx, scholarship.ReviewRequest{Settings: setup.Settings, Applications: apps,
		Written: setup.Written, Reviewers: setup.Reviewers, Providers: provs})
	if err != nil {
		return ReviewAssignment{}, err
	}
	out := ReviewAssignment{ProgramID: ref.ProgramID, CycleID: ref.CycleID, At: time.Now().UTC(), By: p.KeyID, Setup: setup, ReviewAssignment: got}
	doc, err := encode("review assignment", out)
	if err != nil {
		return ReviewAssignment{}, err
	}
	key := ref.key()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		rec := store.Record{ID: key, Parent: key, Doc: doc}
		if err := tx.Update(ctx, store.ReviewAssignments, rec); bsk.ErrorCode(err) == bsk.CodeNotFound {
			if err := tx.Insert(ctx, store.ReviewAssignments, rec); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "assign", "reviewers", fmt.Sprintf("%s (%d applications, %d short)", key, len(got.Sets), len(got.Short)))
	})
	if err != nil {
		return ReviewAssignment{}, err
	}
	return out.texts(l), nil
}

func (a ReviewAssignment) texts(l scholarship.Lang) ReviewAssignment {
	a.Language = string(l)
	a.ShortTexts = make([]string, len(a.Short))
	for i, sh := range a.Short {
		a.ShortTexts[i] = sh.Reason.Text(l)
	}
	return a
}

// assignment loads a cycle's stored assignment.
func (s *Scholarships) assignment(ctx context.Context, ref CycleRef) (ReviewAssignment, error) {
	rec, err := s.db.Get(ctx, store.ReviewAssignments, ref.key())
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return ReviewAssignment{}, bsk.NotFoundf("review_assignment", "cycle %q has no reviewer assignment", ref.CycleID)
	}
	if err != nil {
		return ReviewAssignment{}, err
	}
	return decode[ReviewAssignment]("review assignment", rec)
}

// Assignment returns the cycle's reviewer assignment.
//
// Errors: not_found for the program, the cycle or an assignment not made,
// unauthorized for a role other than staff.
func (s *Scholarships) Assignment(ctx context.Context, ref CycleRef, l scholarship.Lang) (ReviewAssignment, error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return ReviewAssignment{}, err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return ReviewAssignment{}, err
	}
	a, err := s.assignment(ctx, ref)
	if err != nil {
		return ReviewAssignment{}, err
	}
	return a.texts(l), nil
}

// assignedTo returns the applications assigned to reviewer, in the
// assignment's order.
func (a ReviewAssignment) assignedTo(reviewer string) []string {
	var out []string
	for _, set := range a.Sets {
		if slices.Contains(set.Reviewers, bsk.ProviderID(reviewer)) {
			out = append(out, set.ApplicationID)
		}
	}
	return out
}

// blindFor is the policy a caller reads applications under: the
// program's for the caller's role, with demographics hidden from a role
// that may not see them whatever the program says.
func blindFor(p Principal, policy scholarship.BlindPolicy) scholarship.BlindPolicy {
	role := string(p.Role)
	hide := slices.Clone(policy.Hide[role])
	if !p.SeesDemographics() && !slices.Contains(hide, scholarship.BlindDemographics) {
		hide = append(hide, scholarship.BlindDemographics)
	}
	return scholarship.BlindPolicy{Hide: map[string][]scholarship.BlindField{role: hide}}
}

// ReviewQueue returns the applications assigned to the calling reviewer,
// each as the program's blind policy lets the caller's role read it, and
// never with demographics. Every view is audited with the fields it hid.
//
// Errors: not_found for the program, the cycle or an assignment not made,
// unauthorized for a role other than a reviewer's, or a reviewer without a
// provider record.
func (s *Scholarships) ReviewQueue(ctx context.Context, ref CycleRef) (ReviewQueue, error) {
	p, err := require(ctx, ReviewerRoles...)
	if err != nil {
		return ReviewQueue{}, err
	}
	if p.ProviderID == "" {
		return ReviewQueue{}, bsk.Errorf(bsk.CodeUnauthorized, "a reviewer's key must name the reviewer's provider record")
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return ReviewQueue{}, err
	}
	a, err := s.assignment(ctx, ref)
	if err != nil {
		return ReviewQueue{}, err
	}
	out := ReviewQueue{Reviewer: p.ProviderID, Items: []scholarship.ReviewView{}}
	if len(a.assignedTo(p.ProviderID)) == 0 {
		return out, nil
	}
	if out.Items, err = s.queueViews(ctx, ref, a, p); err != nil {
		return ReviewQueue{}, err
	}
	audit := make([]string, 0, len(out.Items))
	for _, v := range out.Items {
		audit = append(audit, v.Application.ID+" hidden="+strings.Join(v.Hidden, ","))
	}
	if err := s.audit.Reads(ctx, "blind review", audit...); err != nil {
		return ReviewQueue{}, err
	}
	return out, nil
}

// queueViews are the applications of assignment a assigned to reviewer
// as (a reviewer's principal), each as the program's blind policy lets
// as read it; an application withdrawn since the assignment is left out.
func (s *Scholarships) queueViews(ctx context.Context, ref CycleRef, a ReviewAssignment, as Principal) ([]scholarship.ReviewView, error) {
	apps, _, err := s.applications(ctx, ref, "")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]scholarship.Application, len(apps))
	for _, app := range apps {
		byID[app.ID] = app
	}
	policy := blindFor(as, a.Setup.Settings.Blind)
	views := []scholarship.ReviewView{}
	for _, id := range a.assignedTo(as.ProviderID) {
		if app, ok := byID[id]; ok {
			views = append(views, policy.BlindView(app, bsk.ProviderID(as.ProviderID), string(as.Role)))
		}
	}
	return views, nil
}

// PostQueueReviews stores the calling reviewer's scores of applications
// assigned to them: the reviewer of each is the caller (a review naming
// someone else is refused), and a new score of a criterion replaces the
// old one.
//
// Errors: invalid (naming the review), not_found for the program, the
// cycle, an assignment not made, a criterion the program does not review
// or an application not assigned to the caller, unauthorized for a role
// other than a reviewer's.
func (s *Scholarships) PostQueueReviews(ctx context.Context, ref CycleRef, reviews []scholarship.Review) (int, error) {
	p, err := require(ctx, ReviewerRoles...)
	if err != nil {
		return 0, err
	}
	if p.ProviderID == "" {
		return 0, bsk.Errorf(bsk.CodeUnauthorized, "a reviewer's key must name the reviewer's provider record")
	}
	cfg, _, err := s.cycle(ctx, ref)
	if err != nil {
		return 0, err
	}
	a, err := s.assignment(ctx, ref)
	if err != nil {
		return 0, err
	}
	mine := a.assignedTo(p.ProviderID)
	var pr bsk.Problems
	for i, r := range reviews {
		f := bsk.Index("", i)
		if r.Reviewer == "" {
			reviews[i].Reviewer = p.ProviderID
		} else if r.Reviewer != p.ProviderID {
			pr.Add(f+".reviewer", "a reviewer scores as themselves (%q)", p.ProviderID)
		}
		if !slices.Contains(mine, r.ApplicationID) {
			pr.AddCode(bsk.CodeNotFound, f+".application_id", "no application %q assigned to you", r.ApplicationID)
		}
		if !slices.ContainsFunc(cfg.Reviewed, func(w scholarship.Weighted) bool { return w.Name == r.Criterion }) {
			pr.AddCode(bsk.CodeNotFound, f+".criterion", "the program has no reviewed criterion %q", r.Criterion)
		}
	}
	if len(reviews) == 0 {
		pr.Add("", "at least one review is required")
	}
	if err := pr.Err(); err != nil {
		return 0, err
	}
	key := ref.key()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		for _, r := range reviews {
			doc, err := encode("review", r)
			if err != nil {
				return err
			}
			rec := store.Record{ID: key + "/" + r.ApplicationID + "/" + r.Reviewer + "/" + r.Criterion, Parent: key, Doc: doc}
			if err := tx.Update(ctx, store.Reviews, rec); bsk.ErrorCode(err) == bsk.CodeNotFound {
				if err := tx.Insert(ctx, store.Reviews, rec); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
		}
		return tx.Audit(ctx, p.KeyID, "create", "reviews", fmt.Sprintf("%s (%d by %s)", key, len(reviews), p.ProviderID))
	})
	if err != nil {
		return 0, err
	}
	return len(reviews), nil
}

// Pipeline returns, for the run, each race, place, language and
// agency-kind group's counts at every step from applied to completed, with
// rates and the four-fifths ratio, under the program's disclosure standard
// as of the run (see [scholarship.Pipeline]). An application counts as
// reviewed when a reviewer scored it, or, in a program without reviewed
// criteria, when it was eligible (scored automatically).
//
// Errors: conflict for a run that awarded an application no reviewer
// scored or one below the line (without naming it), not_found for the
// program, the cycle or the run,
// unauthorized for a role other than admin, coordinator or evaluator,
// internal.
func (s *Scholarships) Pipeline(ctx context.Context, ref RunRef, q PipelineQuery) (scholarship.PipelineTable, error) {
	p, err := require(ctx, PipelineRoles...)
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	cfg, cy, run, err := s.run(ctx, ref)
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	d, err := equityDisclosure(p, cfg, run, EquityQuery{})
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	apps, _, err := s.applications(ctx, ref.CycleRef, "")
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	recs, err := listAll[scholarship.DecisionRecord](ctx, s.db, store.Decisions, "decision", store.Filter{Parent: run.ID})
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	byApp := make(map[string]scholarship.DecisionRecord, len(recs))
	for _, r := range recs {
		byApp[r.ApplicationID] = r
	}
	res := scholarship.Result{Allocation: run.Allocation}
	var judged []scholarship.Application
	for _, app := range apps {
		r, ok := byApp[app.ID]
		if !ok {
			continue
		}
		judged = append(judged, app)
		res.Verdicts = append(res.Verdicts, scholarship.Verdict{Outcome: r.Outcome})
		res.Scores = append(res.Scores, r.Score)
		res.Records = append(res.Records, scholarship.DecisionRecord{ApplicationID: r.ApplicationID, Step: r.Step})
	}
	var reviews []scholarship.Review
	if len(cfg.Reviewed) == 0 {
		for _, app := range judged {
			reviews = append(reviews, scholarship.Review{ApplicationID: app.ID})
		}
	} else if reviews, err = listAll[scholarship.Review](ctx, s.db, store.Reviews, "review", store.Filter{Parent: ref.key()}); err != nil {
		return scholarship.PipelineTable{}, err
	}
	entries, err := listAll[scholarship.Entry](ctx, s.db, store.LedgerEntries, "ledger entry", store.Filter{Parent: run.ID})
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	l, err := ledger(cy, run, entries)
	if err != nil {
		return scholarship.PipelineTable{}, err
	}
	es, err := scholarship.PipelineEntries(scholarship.PipelineInput{Applications: judged, Result: res, Reviews: reviews, Line: q.Line,
		Declined: run.Declined, Completion: scholarship.NewCompletion(l)})
	if err != nil {
		// The library names the application; the reader may see only
		// aggregates.
		e := bsk.Errorf(bsk.CodeConflict, "the run awarded an application that no reviewer scored or that scored below %v: the steps are counted in order", q.Line)
		e.Field = "line"
		return scholarship.PipelineTable{}, bsk.Errors{e}
	}
	return scholarship.Pipeline(es, d)
}

// completionTx reads, in a write transaction, a run's ledger and its
// coursework progress into a [scholarship.Completion].
func (s *Scholarships) completionTx(ctx context.Context, tx *store.Tx, ref RunRef, cy scholarship.Cycle) (CycleRun, *scholarship.Completion, []scholarship.CourseProgress, error) {
	rec, err := tx.Get(ctx, store.CycleRuns, ref.RunID)
	run, err := runOf(rec, err, ref)
	if err != nil {
		return run, nil, nil, err
	}
	entries, err := listAllTx[scholarship.Entry](ctx, tx, store.LedgerEntries, "ledger entry", store.Filter{Parent: run.ID})
	if err != nil {
		return run, nil, nil, err
	}
	l, err := ledger(cy, run, entries)
	if err != nil {
		return run, nil, nil, err
	}
	progress, err := listAllTx[scholarship.CourseProgress](ctx, tx, store.CourseProgress, "progress", store.Filter{Parent: run.ID})
	if err != nil {
		return run, nil, nil, err
	}
	c := scholarship.NewCompletion(l)
	for _, pg := range progress {
		if _, err := c.Record(pg); err != nil {
			return run, nil, nil, bsk.Errorf(bsk.CodeInternal, "stored progress of %q: %w", pg.ApplicationID, err)
		}
	}
	return run, c, progress, nil
}

// RecordProgress records an award's coursework progress (see
// [scholarship.Completion.Record]), checked against the stored reports and
// the ledger in the write transaction.
//
// Errors: invalid (naming the field), not_found for the program, the
// cycle, the run or an application without an award, conflict for a
// report out of line with the others or after the studies ended,
// unauthorized for a role other than staff.
func (s *Scholarships) RecordProgress(ctx context.Context, ref RunRef, appID string, pg scholarship.CourseProgress) (scholarship.CourseProgress, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return scholarship.CourseProgress{}, err
	}
	if pg.ApplicationID != "" && pg.ApplicationID != appID {
		return scholarship.CourseProgress{}, bsk.Errors{bsk.Invalidf("application_id", "is %q; the path names %q", pg.ApplicationID, appID)}
	}
	pg.ApplicationID = appID
	if pg.At.IsZero() {
		pg.At = time.Now().UTC()
	}
	_, cy, err := s.cycle(ctx, ref.CycleRef)
	if err != nil {
		return scholarship.CourseProgress{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Audit(ctx, p.KeyID, "progress", "award", appID); err != nil {
			return err
		}
		run, c, all, err := s.completionTx(ctx, tx, ref, cy)
		if err != nil {
			return err
		}
		if pg, err = c.Record(pg); err != nil {
			return err
		}
		doc, err := encode("progress", pg)
		if err != nil {
			return err
		}
		return tx.Insert(ctx, store.CourseProgress, store.Record{ID: fmt.Sprintf("%s/%s/%06d", run.ID, appID, len(all)+1), Parent: run.ID, Doc: doc})
	})
	if err != nil {
		return scholarship.CourseProgress{}, err
	}
	return pg, nil
}

// EndStudies records that an award's recipient completed or withdrew: a
// ledger entry, which decides what is owed back (see
// [scholarship.Completion.Complete] and [scholarship.Completion.Withdraw]).
// A completion needs the last coursework report, if any, to show every
// credit required.
//
// Errors: invalid for an outcome other than completed or withdrew,
// not_found for the program, the cycle, the run or an application without
// an award, conflict for coursework short of the credits or a ledger that
// refuses the entry, unauthorized for a role other than staff.
func (s *Scholarships) EndStudies(ctx context.Context, ref RunRef, appID string, o CompletionOutcome) (LedgerEntry, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return LedgerEntry{}, err
	}
	if o.Outcome != scholarship.Completed && o.Outcome != scholarship.Withdrew {
		return LedgerEntry{}, bsk.Errors{bsk.Invalidf("outcome", "%q is not completed or withdrew", o.Outcome)}
	}
	if o.At.IsZero() {
		o.At = time.Now().UTC()
	}
	_, cy, err := s.cycle(ctx, ref.CycleRef)
	if err != nil {
		return LedgerEntry{}, err
	}
	var e scholarship.Entry
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Audit(ctx, p.KeyID, string(o.Outcome), "ledger", appID); err != nil {
			return err
		}
		run, c, _, err := s.completionTx(ctx, tx, ref, cy)
		if err != nil {
			return err
		}
		if o.Outcome == scholarship.Completed {
			e, err = c.Complete(appID, o.At)
		} else {
			e, err = c.Withdraw(appID, o.At)
		}
		if err != nil {
			return err
		}
		if err := insertEntry(ctx, tx, run.ID, e); err != nil || e.Kind != scholarship.Withdrew {
			return err
		}
		return returnUnpaid(ctx, tx, ref, cy, appID)
	})
	if err != nil {
		return LedgerEntry{}, err
	}
	return ledgerEntry(e), nil
}

// CompletionStatus says where an award's studies and commitment stand as
// of a time: its coursework, completion or withdrawal, what is owed back
// and the incentive.
//
// Errors: not_found for the program, the cycle, the run or an application
// without an award, unauthorized for a role other than staff, internal.
func (s *Scholarships) CompletionStatus(ctx context.Context, ref RunRef, appID string, asOf time.Time) (scholarship.CompletionStatus, error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return scholarship.CompletionStatus{}, err
	}
	l, err := s.readLedger(ctx, ref)
	if err != nil {
		return scholarship.CompletionStatus{}, err
	}
	_, _, run, err := s.run(ctx, ref)
	if err != nil {
		return scholarship.CompletionStatus{}, err
	}
	progress, err := listAll[scholarship.CourseProgress](ctx, s.db, store.CourseProgress, "progress", store.Filter{Parent: run.ID})
	if err != nil {
		return scholarship.CompletionStatus{}, err
	}
	c := scholarship.NewCompletion(l)
	for _, pg := range progress {
		if _, err := c.Record(pg); err != nil {
			return scholarship.CompletionStatus{}, bsk.Errorf(bsk.CodeInternal, "stored progress of %q: %w", pg.ApplicationID, err)
		}
	}
	return c.Status(appID, asOf)
}
