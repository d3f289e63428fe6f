package service

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

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
	// Award is the record's award with its amount also written in dollars;
	// nil when no award was made.
	Award *DecisionAward `json:"award,omitempty"`
	// Language is the language of Texts, one of scholarship.Languages, from Accept-Language.
	Language string `json:"language"`
	// Texts says the decision in plain language: for an eligible decision
	// first that the application meets every requirement, then each of
	// Reasons, in order.
	Texts []string `json:"texts"`
}

// DecisionAward is an award as people read it: the amount in cents and
// as dollars ("$2,500.00").
type DecisionAward struct {
	scholarship.Award
	// AmountText is Amount in dollars.
	AmountText string `json:"amount_text"`
}

// DecisionQuery pages through a run's decisions.
type DecisionQuery struct {
	// Cursor is the previous page's NextCursor.
	Cursor string
	// Limit is the page size (1-1000).
	Limit int
	// Lang is the language of the texts (English when empty).
	Lang scholarship.Lang
}

// DeclineRequest lists awards the applicants declined.
type DeclineRequest struct {
	ApplicationIDs []string `json:"application_ids"`
}

// runOf decodes the run read with err, which must belong to the cycle
// ref names.
func runOf(rec store.Record, err error, ref RunRef) (CycleRun, error) {
	if err == nil && rec.Parent != ref.key() {
		err = bsk.NotFoundf("run", "")
	}
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return CycleRun{}, bsk.NotFoundf("run", "no run %q of cycle %q", ref.RunID, ref.CycleID)
	}
	if err != nil {
		return CycleRun{}, err
	}
	return decode[CycleRun]("cycle run", rec)
}

// run loads the program, the cycle and the run ref names.
func (s *Scholarships) run(ctx context.Context, ref RunRef) (ProgramConfig, scholarship.Cycle, CycleRun, error) {
	cfg, cy, err := s.cycle(ctx, ref.CycleRef)
	if err != nil {
		return cfg, cy, CycleRun{}, err
	}
	rec, err := s.db.Get(ctx, store.CycleRuns, ref.RunID)
	run, err := runOf(rec, err, ref)
	return cfg, cy, run, err
}

// Run judges, scores, ranks and allocates a cycle's applications through
// the built-in rules and the program's agency plug-ins. An application
// whose plug-in fails needs review, with the reason; the rest are
// decided. Withdrawn applications are left out, and so are stored
// applications the run cannot judge (a person's later applications, an
// application no longer valid), listed in the run as skipped: stored data
// never stops a cycle from running. Running again makes a new run. The
// run is stored only if the cycle's applications are still the ones it
// judged: an application submitted or withdrawn while it ran is a
// conflict, and the cycle is run again.
//
// Errors: not_found for the program, the cycle or a plug-in that is not
// running, conflict for a cycle without applications or whose
// applications changed during the run, unauthorized for a role other than
// staff, internal.
func (s *Scholarships) Run(ctx context.Context, ref CycleRef) (CycleRun, error) {
	start := time.Now()
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return CycleRun{}, err
	}
	cfg, cy, err := s.cycle(ctx, ref)
	if err != nil {
		return CycleRun{}, err
	}
	key, err := s.key.get()
	if err != nil {
		return CycleRun{}, err
	}
	stored, storedOrgs, err := s.applications(ctx, ref, "")
	if err != nil {
		return CycleRun{}, err
	}
	apps, orgs, skipped := judgeable(stored, storedOrgs)
	if len(apps) == 0 {
		return CycleRun{}, bsk.Errorf(bsk.CodeConflict, "cycle %q has no applications", cy.ID)
	}
	reviews, err := listAll[scholarship.Review](ctx, s.db, store.Reviews, "review", store.Filter{Parent: ref.key()})
	if err != nil {
		return CycleRun{}, err
	}
	rules := scholarship.BuiltinRules(cfg.Program, cy)
	extra, err := s.agencyRules(cfg)
	if err != nil {
		return CycleRun{}, err
	}
	rules = append(rules, extra...)
	runID := "cyc-" + store.NewID()
	var failures []RuleFailure
	onFailure := func(r scholarship.RuleInfo, err error) {
		// The full error may name other agencies' applications, plug-in
		// files and checksums: the log and the administrators read it.
		s.log.Error().Str("run", runID).Str("rule", r.Name).Err(err).Msg("rule failed during a cycle run")
		failures = append(failures, RuleFailure{Rule: r.Name, Version: r.Version, Code: bsk.ErrorCode(err), Error: err.Error()})
	}
	res, err := scholarship.RunCycle(ctx, scholarship.Run{Program: cfg.Program, CycleID: cy.ID, Applications: apps,
		Rules:  scholarship.RuleSet[scholarship.Application]{Rules: rules, OnFailure: onFailure},
		Rubric: cfg.rubric(cy), Reviews: reviews, HashKey: key})
	if err != nil {
		return CycleRun{}, err
	}
	funds, err := s.allocateFunds(ctx, ref, cy, apps, &res)
	if err != nil {
		return CycleRun{}, err
	}
	run := CycleRun{ID: runID, ProgramID: cfg.Program.ID, CycleID: cy.ID, At: time.Now().UTC(), By: p.KeyID,
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
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it takes the lock every write takes, so
		// the applications compared below are every one committed.
		if err := tx.Audit(ctx, run.By, "run", "cycle", run.ID); err != nil {
			return err
		}
		if err := sameApplications(ctx, tx, ref, stored); err != nil {
			return err
		}
		for _, rec := range res.Records {
			b, err := rec.JSON()
			if err != nil {
				return bsk.Errorf(bsk.CodeInternal, "encoding the decision of %q: %w", rec.ApplicationID, err)
			}
			if err := tx.Insert(ctx, store.Decisions, store.Record{ID: run.ID + "/" + rec.ApplicationID, Org: orgOf[rec.ApplicationID], Parent: run.ID, Doc: b}); err != nil {
				return err
			}
		}
		if err := insertFundRun(ctx, tx, ref, run.ID, funds); err != nil {
			return err
		}
		doc, err := encode("cycle run", run)
		if err != nil {
			return err
		}
		return tx.Insert(ctx, store.CycleRuns, store.Record{ID: run.ID, Parent: ref.key(), Doc: doc})
	})
	if err != nil {
		return CycleRun{}, err
	}
	run.Seconds = time.Since(start).Seconds()
	return showRun(p, cy, run), nil
}

// sameApplications fails with a conflict when the cycle's applications not
// withdrawn, read in tx, are not judged (the ones a run read before).
func sameApplications(ctx context.Context, tx *store.Tx, ref CycleRef, judged []scholarship.Application) error {
	want := make(map[string]bool, len(judged))
	for _, app := range judged {
		want[app.ID] = true
	}
	n := 0
	err := scanAll(ctx, tx, store.Applications, store.Filter{Parent: ref.key()}, func(rec store.Record) error {
		st, err := decode[storedApplication]("application", rec)
		if err != nil || st.Withdrawn != nil {
			return err
		}
		if !want[st.ID] {
			return bsk.Errorf(bsk.CodeConflict, "application %q of cycle %q arrived while the cycle ran: run it again", st.ID, ref.CycleID)
		}
		n++
		return nil
	})
	if err == nil && n != len(want) {
		err = bsk.Errorf(bsk.CodeConflict, "an application of cycle %q was withdrawn while the cycle ran: run it again", ref.CycleID)
	}
	return err
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

// GetRun returns one run of a cycle as the caller may see it (see
// [showRun]).
//
// Errors: not_found for the program, the cycle or the run, unauthorized
// for a role other than staff.
func (s *Scholarships) GetRun(ctx context.Context, ref RunRef) (CycleRun, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return CycleRun{}, err
	}
	_, cy, run, err := s.run(ctx, ref)
	if err != nil {
		return CycleRun{}, err
	}
	return showRun(p, cy, run), nil
}

// Decisions lists a run's decisions with reasons rendered in q.Lang; an
// agency sees only its own applicants'. Every read is audited before the
// decisions leave the server. Each decision is shown as the reader may
// see it: whole to the administrator and to the agency whose staff member
// applied (while the person is still on its staff); to everyone else
// without what is derived from demographics (see [Decision]), and without
// the text of a failure. Awards carry their amount in dollars too, and an
// eligible decision says so in plain language.
//
// Errors: not_found for the program, the cycle or the run, unauthorized
// for a role that does not take part in scholarships, internal when the
// read cannot be audited.
func (s *Scholarships) Decisions(ctx context.Context, ref RunRef, q DecisionQuery) (Page[Decision], error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return Page[Decision]{}, err
	}
	_, _, run, err := s.run(ctx, ref)
	if err != nil {
		return Page[Decision]{}, err
	}
	recs, err := s.db.List(ctx, store.Decisions, store.Filter{Parent: run.ID, Org: applicationScope(p), After: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[Decision]{}, err
	}
	sees, err := s.demographicsSeen(ctx, p, ref.CycleRef)
	if err != nil {
		return Page[Decision]{}, err
	}
	if err := s.audit.Reads(ctx, "decisions", run.ID); err != nil {
		return Page[Decision]{}, err
	}
	l := q.Lang
	if l == "" {
		l = scholarship.EnglishText
	}
	page := Page[Decision]{Items: []Decision{}}
	texts := s.plugins.host.texts()
	for _, rec := range recs {
		r, err := decode[scholarship.DecisionRecord]("decision", rec)
		if err != nil {
			return Page[Decision]{}, err
		}
		page.Items = append(page.Items, showDecision(p, sees(r.ApplicationID), r, l, texts))
		s.cel.localize(&page.Items[len(page.Items)-1], l)
	}
	if len(recs) == q.Limit {
		page.NextCursor = recs[len(recs)-1].ID
	}
	return page, nil
}

// showDecision renders a decision record for the caller: without what is
// derived from demographics unless sees, without failure texts for anyone
// but the administrator, in language l.
func showDecision(p Principal, sees bool, r scholarship.DecisionRecord, l scholarship.Lang, texts scholarship.Texts) Decision {
	if !sees {
		r = r.WithoutDemographics()
	}
	if p.Role != RoleAdmin {
		r.Reasons = withoutFailureText(r.Reasons)
	}
	d := Decision{DecisionRecord: r, Language: string(l), Texts: []string{}}
	if r.Award != nil {
		d.Award = &DecisionAward{Award: *r.Award, AmountText: r.Award.Amount.String()}
	}
	if r.Outcome == scholarship.Eligible {
		d.Texts = append(d.Texts, scholarship.EligibleText(r, l))
	}
	if t := scholarship.StepText(r, l); t != "" {
		d.Texts = append(d.Texts, t)
	}
	for _, reason := range r.Reasons {
		d.Texts = append(d.Texts, texts.Text(reason, l))
	}
	return d
}

// Verify checks a decision record against the stored application and the
// deployment's key: whether the record was made from these inputs. The
// read is audited.
//
// Errors: not_found for the program, the cycle, the run, the decision or
// the application, unauthorized for anyone but the administrator,
// internal.
func (s *Scholarships) Verify(ctx context.Context, ref RunRef, appID string) (DecisionCheck, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return DecisionCheck{}, err
	}
	_, cy, run, err := s.run(ctx, ref)
	if err != nil {
		return DecisionCheck{}, err
	}
	rec, err := s.db.Get(ctx, store.Decisions, run.ID+"/"+appID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return DecisionCheck{}, bsk.NotFoundf("app", "run %q has no decision for application %q", run.ID, appID)
	}
	if err != nil {
		return DecisionCheck{}, err
	}
	d, err := decode[scholarship.DecisionRecord]("decision", rec)
	if err != nil {
		return DecisionCheck{}, err
	}
	arec, err := s.db.Get(ctx, store.Applications, appID)
	if err == nil && arec.Parent != ref.key() {
		err = bsk.NotFoundf("app", "")
	}
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return DecisionCheck{}, bsk.NotFoundf("app", "no application %q in cycle %q", appID, cy.ID)
	}
	if err != nil {
		return DecisionCheck{}, err
	}
	st, err := decode[storedApplication]("application", arec)
	if err != nil {
		return DecisionCheck{}, err
	}
	key, err := s.key.get()
	if err != nil {
		return DecisionCheck{}, err
	}
	if err := s.audit.Reads(ctx, "decision", rec.ID); err != nil {
		return DecisionCheck{}, err
	}
	return DecisionCheck{ApplicationID: appID, InputsHash: d.InputsHash, Matches: scholarship.VerifyInputsHash(key, st.Application, d.InputsHash)}, nil
}

// Decline records declined awards: the library's Decline offers the freed
// money as the allocation would and returns the decision records after
// it; the records it changed are stored with the run. The run, its
// decisions and the applications are read in the write transaction, so
// two declines at once cannot lose one another.
//
// Errors: invalid (no application named); not_found for the program,
// the cycle, the run or an application not in it; conflict (an
// application without an award, one declined already or named twice, or
// an award with ledger entries: record a withdrawal instead); unauthorized
// for a role other than staff (see [scholarship.Decline]).
func (s *Scholarships) Decline(ctx context.Context, ref RunRef, req DeclineRequest) (CycleRun, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return CycleRun{}, err
	}
	_, cy, _, err := s.run(ctx, ref)
	if err != nil {
		return CycleRun{}, err
	}
	if funded, err := s.funded(ctx, ref.RunID); err != nil || funded {
		if err != nil {
			return CycleRun{}, err
		}
		return s.declineFunds(ctx, ref, req)
	}
	if len(req.ApplicationIDs) == 0 {
		return CycleRun{}, bsk.Errors{bsk.Invalidf("application_ids", "at least one application is required")}
	}
	var run CycleRun
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it takes the lock every write takes, so
		// the run read below is the newest.
		if err := tx.Audit(ctx, p.KeyID, "decline", "cycle", ref.RunID); err != nil {
			return err
		}
		rec, err := tx.Get(ctx, store.CycleRuns, ref.RunID)
		if run, err = runOf(rec, err, ref); err != nil {
			return err
		}
		// An award with ledger entries stays: the ledger is rebuilt from
		// the allocation, and its entries would belong to no award.
		entries, err := listAllTx[scholarship.Entry](ctx, tx, store.LedgerEntries, "ledger entry", store.Filter{Parent: run.ID})
		if err != nil {
			return err
		}
		for _, e := range entries {
			if slices.Contains(req.ApplicationIDs, e.ApplicationID) {
				return bsk.Errorf(bsk.CodeConflict, "application_ids: application %q has ledger entries (%s): record that the recipient withdrew instead", e.ApplicationID, e.Kind)
			}
		}
		apps, err := activeApplicationsTx(ctx, tx, ref.CycleRef)
		if err != nil {
			return err
		}
		recs, err := listAllTx[scholarship.DecisionRecord](ctx, tx, store.Decisions, "decision", store.Filter{Parent: run.ID})
		if err != nil {
			return err
		}
		res, err := scholarship.Decline(cy, scholarship.Result{Ranking: run.Ranking, Allocation: run.Allocation, Records: recs}, apps, req.ApplicationIDs)
		if err != nil {
			return err
		}
		run.Allocation = res.Allocation
		run.Declined = append(run.Declined, req.ApplicationIDs...)
		for i, r := range res.Records {
			// Decline returns every record it did not change as it was.
			if reflect.DeepEqual(r, recs[i]) {
				continue
			}
			b, err := r.JSON()
			if err != nil {
				return bsk.Errorf(bsk.CodeInternal, "encoding the decision of %q: %w", r.ApplicationID, err)
			}
			drec, err := tx.Get(ctx, store.Decisions, run.ID+"/"+r.ApplicationID)
			if err != nil {
				return err
			}
			drec.Doc = b
			if err := tx.Update(ctx, store.Decisions, drec); err != nil {
				return err
			}
		}
		doc, err := encode("cycle run", run)
		if err != nil {
			return err
		}
		return tx.Update(ctx, store.CycleRuns, store.Record{ID: run.ID, Parent: ref.key(), Doc: doc})
	})
	if err != nil {
		return CycleRun{}, err
	}
	return showRun(p, cy, run), nil
}
