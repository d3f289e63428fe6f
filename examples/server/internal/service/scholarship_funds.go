package service

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

// Several funds for one cycle (see [scholarship.FundPlan]). Funds are
// stored per cycle, under the cycle's key like its reviews, reviewer
// assignment and runs: a cycle is a part of its program's record, not a
// record of its own, and a fund's budget is money for one cycle (the
// library checks the funds against that cycle's budget), so two cycles of
// one program keep funds of their own.
//
// The access policy, beside scholarship_access.go's:
//
//	what                           who
//	a cycle's funds: define,       admin, coordinator
//	change, read, delete
//	a run's funds: balances        admin, coordinator; agency: the steps
//	and steps                      of its own staff's applications only
//	                               (no balances, no other application
//	                               named); every read audited
//
// A run of a cycle with funds allocates through [scholarship.FundPlan]
// and keeps the funds as they were, with every step, beside the run
// (store.FundRuns): later changes to the cycle's funds do not touch it.
// Declining an award, or a recipient withdrawing before the whole award
// was paid, gives its money back to its fund and promotes the waitlist
// across the funds in tier order; each step is written into the decision
// records it concerns (a reason per step, with the fund, its tier and its
// rule) and the run's allocation, from which the ledger is read, follows.
// A cycle without funds runs on its one budget as before.

// maxFunds bounds the funds of one cycle.
const maxFunds = 50

// fundsRule is the rule the decision records' fund reasons name.
var fundsRule = scholarship.RuleInfo{Name: "funds", Version: "1"}

// FundsRequest defines a cycle's funds.
type FundsRequest struct {
	// Funds are the cycle's funds, in the order funds of one tier are
	// drawn on. A fund's rule may not read demographics (the "bipoc"
	// criterion): a fund's name is shown to readers who may not see them.
	Funds []scholarship.Fund `json:"funds"`
}

// CycleFunds is a cycle's funds as stored.
type CycleFunds struct {
	ProgramID string             `json:"program_id"`
	CycleID   string             `json:"cycle_id"`
	Funds     []scholarship.Fund `json:"funds"`
	At        time.Time          `json:"at"`
	By        string             `json:"by"`
}

// FundRun is a funded run's allocation across its funds: the funds as
// they stood when the cycle ran, and every step since.
type FundRun struct {
	RunID      string                     `json:"run_id"`
	Funds      []scholarship.Fund         `json:"funds"`
	Allocation scholarship.FundAllocation `json:"allocation"`
}

// RunFunds is a run's funds as the reader may see them.
type RunFunds struct {
	RunID string `json:"run_id"`
	// Funded is false for a run of a cycle without funds: it drew on the
	// cycle's one budget, and Funds and Steps are empty.
	Funded bool `json:"funded"`
	// Funds are the balances in tier order, with each fund's rule; staff
	// only (empty for an agency).
	Funds []FundView `json:"funds"`
	// Steps are every step in order; an agency reads only its own staff's
	// applications' steps.
	Steps []FundStepView `json:"steps"`
	// Own is true when Steps are limited to the reader's organization's
	// applications.
	Own bool `json:"own,omitempty"`
	// Language is the language of the steps' texts.
	Language string `json:"language"`
}

// FundView is one fund's balance and rule, with its sums in dollars.
type FundView struct {
	scholarship.FundBalance
	Criterion   scholarship.PoolCriterion `json:"criterion,omitempty"`
	Languages   []bsk.Language            `json:"languages,omitempty"`
	BudgetText  string                    `json:"budget_text"`
	AwardedText string                    `json:"awarded_text"`
	LeftText    string                    `json:"left_text"`
}

// FundStepView is one step with what it means in plain language.
type FundStepView struct {
	scholarship.FundStep
	// Text says the step in the reader's language (see
	// [scholarship.FundStep.Text]).
	Text string `json:"text"`
}

// validFunds checks funds for cycle cy: the library's checks (every
// problem, by field) and this server's: at most [maxFunds], and no rule
// that reads demographics.
func validFunds(cy scholarship.Cycle, funds []scholarship.Fund) error {
	var pr bsk.Problems
	if len(funds) > maxFunds {
		pr.Add("funds", "%d funds; at most %d", len(funds), maxFunds)
		return pr.Err()
	}
	for i, f := range funds {
		if f.Criterion.Demographic() {
			pr.Add(bsk.JoinField(bsk.Index("funds", i), "criterion"), "%q reads applicants' demographics: a fund's name is shown to readers who may not see them", f.Criterion)
		}
	}
	pr.Merge("", scholarship.FundPlan{Cycle: cy, Funds: funds}.Validate())
	return pr.Err()
}

// CreateFunds defines the funds of the cycle ref names.
//
// Errors: invalid (every problem, naming the field), not_found for the
// program or the cycle, conflict for a cycle with funds already (change
// them instead) or a duplicate fund name, unauthorized for a role other
// than staff.
func (s *Scholarships) CreateFunds(ctx context.Context, ref CycleRef, req FundsRequest) (CycleFunds, error) {
	return s.putFunds(ctx, ref, req, true)
}

// UpdateFunds replaces the funds of the cycle ref names. Runs made before
// keep the funds they ran with.
//
// Errors: invalid (every problem, naming the field), not_found for the
// program, the cycle or a cycle without funds, conflict for a duplicate
// fund name, unauthorized for a role other than staff.
func (s *Scholarships) UpdateFunds(ctx context.Context, ref CycleRef, req FundsRequest) (CycleFunds, error) {
	return s.putFunds(ctx, ref, req, false)
}

func (s *Scholarships) putFunds(ctx context.Context, ref CycleRef, req FundsRequest, create bool) (CycleFunds, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return CycleFunds{}, err
	}
	_, cy, err := s.cycle(ctx, ref)
	if err != nil {
		return CycleFunds{}, err
	}
	if err := validFunds(cy, req.Funds); err != nil {
		return CycleFunds{}, err
	}
	out := CycleFunds{ProgramID: ref.ProgramID, CycleID: ref.CycleID, Funds: req.Funds, At: time.Now().UTC().Truncate(time.Second), By: p.KeyID}
	doc, err := encode("funds", out)
	if err != nil {
		return CycleFunds{}, err
	}
	rec := store.Record{ID: ref.key(), Parent: ref.ProgramID, Doc: doc}
	verb := "update"
	if create {
		verb = "create"
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Audit(ctx, p.KeyID, verb, "funds", ref.key()); err != nil {
			return err
		}
		exists, err := tx.Exists(ctx, store.CycleFunds, rec.ID)
		switch {
		case err != nil:
			return err
		case create && exists:
			return bsk.Errorf(bsk.CodeConflict, "cycle %q has funds already: change them instead", ref.CycleID)
		case !create && !exists:
			return bsk.NotFoundf("funds", "cycle %q has no funds", ref.CycleID)
		case create:
			return tx.Insert(ctx, store.CycleFunds, rec)
		}
		return tx.Update(ctx, store.CycleFunds, rec)
	})
	if err != nil {
		return CycleFunds{}, err
	}
	return out, nil
}

// Funds returns the funds of the cycle ref names.
//
// Errors: not_found for the program, the cycle or a cycle without funds,
// unauthorized for a role other than staff.
func (s *Scholarships) Funds(ctx context.Context, ref CycleRef) (CycleFunds, error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return CycleFunds{}, err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return CycleFunds{}, err
	}
	cf, ok, err := s.cycleFunds(ctx, ref)
	if err == nil && !ok {
		err = bsk.NotFoundf("funds", "cycle %q has no funds", ref.CycleID)
	}
	return cf, err
}

// ProgramFunds lists the funds of every cycle of a program that has them.
//
// Errors: not_found for the program, unauthorized for a role other than
// staff.
func (s *Scholarships) ProgramFunds(ctx context.Context, programID string) (Page[CycleFunds], error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return Page[CycleFunds]{}, err
	}
	rec, err := s.db.Get(ctx, store.Programs, programID)
	if _, err := programOf(rec, err, programID); err != nil {
		return Page[CycleFunds]{}, err
	}
	all, err := listAll[CycleFunds](ctx, s.db, store.CycleFunds, "funds", store.Filter{Parent: programID})
	if err != nil {
		return Page[CycleFunds]{}, err
	}
	return Page[CycleFunds]{Items: all}, nil
}

// DeleteFunds removes the funds of the cycle ref names: its next run
// draws on the cycle's one budget. Runs made before keep their funds.
//
// Errors: not_found for the program, the cycle or a cycle without funds,
// unauthorized for a role other than staff.
func (s *Scholarships) DeleteFunds(ctx context.Context, ref CycleRef) error {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Audit(ctx, p.KeyID, "delete", "funds", ref.key()); err != nil {
			return err
		}
		err := tx.Delete(ctx, store.CycleFunds, ref.key())
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return bsk.NotFoundf("funds", "cycle %q has no funds", ref.CycleID)
		}
		return err
	})
}

// cycleFunds reads a cycle's funds; false when it has none.
func (s *Scholarships) cycleFunds(ctx context.Context, ref CycleRef) (CycleFunds, bool, error) {
	rec, err := s.db.Get(ctx, store.CycleFunds, ref.key())
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return CycleFunds{}, false, nil
	}
	if err != nil {
		return CycleFunds{}, false, err
	}
	cf, err := decode[CycleFunds]("funds", rec)
	return cf, err == nil, err
}

// allocateFunds allocates a run's result across the cycle's funds, when
// it has any: res's allocation and records are replaced by the funds' (see
// [fundRecord]). It returns nil, and leaves res alone, for a cycle without
// funds.
func (s *Scholarships) allocateFunds(ctx context.Context, ref CycleRef, cy scholarship.Cycle, apps []scholarship.Application, res *scholarship.Result) (*FundRun, error) {
	cf, ok, err := s.cycleFunds(ctx, ref)
	if err != nil || !ok {
		return nil, err
	}
	plan := scholarship.FundPlan{Cycle: cy, Funds: cf.Funds, Ranked: candidates(res.Ranking, res.Records, apps)}
	fa, err := plan.Allocate()
	if err != nil {
		// The funds were valid when stored; the cycle may have changed
		// since (a smaller budget): staff fix the funds.
		return nil, bsk.Errorf(bsk.CodeConflict, "the funds of cycle %q no longer fit it (change them): %w", cy.ID, err)
	}
	res.Allocation = fundAllocation(plan, fa, res.Allocation)
	fundRecords(plan, fa, res.Records)
	return &FundRun{Funds: cf.Funds, Allocation: fa}, nil
}

// candidates are the ranked applications with their verdicts, as a
// [scholarship.FundPlan] takes them, from a run's ranking and records.
func candidates(ranking []string, recs []scholarship.DecisionRecord, apps []scholarship.Application) []scholarship.Candidate {
	byID := make(map[string]scholarship.Application, len(apps))
	for _, a := range apps {
		byID[a.ID] = a
	}
	outcome := make(map[string]scholarship.Outcome, len(recs))
	for _, r := range recs {
		outcome[r.ApplicationID] = r.Outcome
	}
	out := make([]scholarship.Candidate, 0, len(ranking))
	for _, id := range ranking {
		a, ok := byID[id]
		if !ok {
			// Not a judged application any more: it cannot be paid.
			a = scholarship.Application{ID: id}
		}
		out = append(out, scholarship.Candidate{Application: a, Verdict: scholarship.Verdict{Outcome: outcome[id]}})
	}
	return out
}

// fundAward is the award a fund award stands for in the run's
// allocation, which the ledger, the pipeline and the equity summary read:
// its pool is the fund, its split the grant's cut down to the amount.
func fundAward(plan scholarship.FundPlan, aw scholarship.FundAward, promoted bool) scholarship.Award {
	out := scholarship.Award{ApplicationID: aw.ApplicationID, Amount: aw.Amount, Pool: aw.Fund, Rank: aw.Rank, Step: "allocation"}
	if promoted {
		out.Step = "reallocation"
	}
	if aw.Rank >= 1 && aw.Rank <= len(plan.Ranked) {
		_, by := scholarship.Grant(plan.Cycle, plan.Ranked[aw.Rank-1].Application)
		out.ByCategory = cutTo(by, aw.Amount)
	}
	return out
}

// cutTo cuts a split down to total, from the last category (by name)
// up; a new map.
func cutTo(by map[scholarship.Category]scholarship.Cents, total scholarship.Cents) map[scholarship.Category]scholarship.Cents {
	out := make(map[scholarship.Category]scholarship.Cents, len(by))
	cats := make([]scholarship.Category, 0, len(by))
	var sum scholarship.Cents
	for c, v := range by {
		out[c] = v
		cats = append(cats, c)
		sum += v
	}
	slices.Sort(cats)
	for i := len(cats) - 1; i >= 0 && sum > total; i-- {
		cut := min(out[cats[i]], sum-total)
		out[cats[i]] -= cut
		sum -= cut
		if out[cats[i]] == 0 {
			delete(out, cats[i])
		}
	}
	return out
}

// fundAllocation is the run's allocation after the funds' allocation fa:
// the funds' awards and waitlist; every other application as base had it
// (ineligible, needing review, nothing to award); those who declined or
// gave back all of their award closed with that step.
func fundAllocation(plan scholarship.FundPlan, fa scholarship.FundAllocation, base scholarship.Allocation) scholarship.Allocation {
	out := scholarship.Allocation{CycleID: plan.Cycle.ID, Awards: []scholarship.Award{}, Waitlist: fa.Waitlist, Unfunded: []scholarship.Unfunded{}}
	promoted := map[string]bool{}
	last := map[string]scholarship.FundStepKind{}
	for _, st := range fa.Steps {
		last[st.ApplicationID] = st.Kind
		if st.Kind == scholarship.FundPromoted {
			promoted[st.ApplicationID] = true
		}
	}
	placed := map[string]bool{}
	for _, aw := range fa.Awards {
		out.Awards = append(out.Awards, fundAward(plan, aw, promoted[aw.ApplicationID]))
		out.Spent += aw.Amount
		placed[aw.ApplicationID] = true
	}
	for _, u := range fa.Waitlist {
		placed[u.ApplicationID] = true
	}
	rank := map[string]int{}
	for i, c := range plan.Ranked {
		rank[c.Application.ID] = i + 1
	}
	for _, id := range fa.Closed {
		code := scholarship.StepDeclined
		if last[id] == scholarship.FundReturned {
			code = string(scholarship.FundReturned)
		}
		out.Unfunded = append(out.Unfunded, scholarship.Unfunded{ApplicationID: id, Rank: rank[id], Code: code})
		placed[id] = true
	}
	for _, u := range slices.Concat(base.Waitlist, base.Unfunded) {
		if !placed[u.ApplicationID] {
			// Eligible and waitlisted on the one budget, but in no fund's
			// steps: nothing to award.
			if u.Code == "waitlisted" {
				u.Code = "nothing_to_award"
			}
			out.Unfunded = append(out.Unfunded, u)
			placed[u.ApplicationID] = true
		}
	}
	slices.SortStableFunc(out.Unfunded, func(x, y scholarship.Unfunded) int { return cmp.Compare(x.Rank, y.Rank) })
	for _, b := range fa.Funds {
		out.Left += b.Left
	}
	return out
}

// fundRecords writes the funds' decisions into the run's records (in
// place; any order): each record of an application with fund steps gets
// the step and award of its latest step, and a reason per step, after the
// rules' reasons, naming the fund, its tier and its rule. Records without
// fund steps (never eligible for money) are left as they are.
func fundRecords(plan scholarship.FundPlan, fa scholarship.FundAllocation, recs []scholarship.DecisionRecord) {
	funds := map[string]scholarship.Fund{}
	for _, f := range plan.Funds {
		funds[f.Name] = f
	}
	promoted := map[string]bool{}
	for _, st := range fa.Steps {
		if st.Kind == scholarship.FundPromoted {
			promoted[st.ApplicationID] = true
		}
	}
	byID := map[string]scholarship.FundDecision{}
	for _, d := range fa.Decisions(plan.Ranked) {
		byID[d.ApplicationID] = d
	}
	for i := range recs {
		d, ok := byID[recs[i].ApplicationID]
		if !ok || len(d.History) == 0 {
			continue
		}
		r := &recs[i]
		r.Reasons = slices.DeleteFunc(slices.Clone(r.Reasons), func(x scholarship.Reason) bool { return x.Rule == fundsRule.Name })
		for _, st := range d.History {
			r.Reasons = append(r.Reasons, fundReason(st, funds[st.Fund]))
		}
		r.Award = nil
		switch d.Step {
		case scholarship.FundAwarded, scholarship.FundPromoted:
			r.Step = "awarded"
		case scholarship.FundWaitlisted:
			r.Step = "waitlisted"
		case scholarship.FundDeclined:
			r.Step = scholarship.StepDeclined
		default:
			r.Step = string(d.Step)
		}
		if d.Award != nil {
			aw := fundAward(plan, *d.Award, promoted[d.ApplicationID])
			r.Award = &aw
		}
	}
}

// fundReason is one fund step as a decision's reason: informational (the
// outcome stays eligible), with the fund that paid or was paid back, its
// tier and its rule ("criterion", "languages"), the amount and the rank.
func fundReason(st scholarship.FundStep, f scholarship.Fund) scholarship.Reason {
	params := map[string]string{"rank": strconv.Itoa(st.Rank)}
	if st.Fund != "" {
		params["fund"] = st.Fund
		params["tier"] = strconv.Itoa(f.Tier)
		if f.Criterion != "" {
			params["criterion"] = string(f.Criterion)
		}
		if len(f.Languages) > 0 {
			ls := make([]string, len(f.Languages))
			for i, l := range f.Languages {
				ls[i] = string(l)
			}
			params["languages"] = strings.Join(ls, ",")
		}
	}
	if st.Amount != 0 {
		params["amount"] = strconv.FormatInt(int64(st.Amount), 10)
	}
	return scholarship.Reason{Code: "fund_" + string(st.Kind), Outcome: scholarship.Eligible, Rule: fundsRule.Name, Version: fundsRule.Version, Params: params}
}

// insertFundRun stores a funded run's allocation beside the run; nothing
// for a run without funds.
func insertFundRun(ctx context.Context, tx *store.Tx, ref CycleRef, runID string, fr *FundRun) error {
	if fr == nil {
		return nil
	}
	fr.RunID = runID
	doc, err := encode("fund run", fr)
	if err != nil {
		return err
	}
	return tx.Insert(ctx, store.FundRuns, store.Record{ID: runID, Parent: ref.key(), Doc: doc})
}

// fundRunTx reads a run's funds in tx; false for a run without funds.
func fundRunTx(ctx context.Context, tx *store.Tx, runID string) (FundRun, bool, error) {
	rec, err := tx.Get(ctx, store.FundRuns, runID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return FundRun{}, false, nil
	}
	if err != nil {
		return FundRun{}, false, err
	}
	fr, err := decode[FundRun]("fund run", rec)
	return fr, err == nil, err
}

// funded reports whether a run drew on funds: fixed when it ran.
func (s *Scholarships) funded(ctx context.Context, runID string) (bool, error) {
	_, err := s.db.Get(ctx, store.FundRuns, runID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return false, nil
	}
	return err == nil, err
}

// fundEvent is what a decline or a return reads and writes in its
// transaction.
type fundEvent struct {
	run  CycleRun
	fr   FundRun
	plan scholarship.FundPlan
	recs []scholarship.DecisionRecord
}

// readFundEvent reads, in tx, a funded run with its funds, the cycle's
// applications not withdrawn and the run's decision records.
func readFundEvent(ctx context.Context, tx *store.Tx, ref RunRef, cy scholarship.Cycle) (fundEvent, error) {
	var ev fundEvent
	rec, err := tx.Get(ctx, store.CycleRuns, ref.RunID)
	if ev.run, err = runOf(rec, err, ref); err != nil {
		return ev, err
	}
	fr, ok, err := fundRunTx(ctx, tx, ev.run.ID)
	if err != nil {
		return ev, err
	}
	if !ok {
		return ev, bsk.Errorf(bsk.CodeInternal, "run %q has no funds", ev.run.ID)
	}
	ev.fr = fr
	apps, err := activeApplicationsTx(ctx, tx, ref.CycleRef)
	if err != nil {
		return ev, err
	}
	if ev.recs, err = listAllTx[scholarship.DecisionRecord](ctx, tx, store.Decisions, "decision", store.Filter{Parent: ev.run.ID}); err != nil {
		return ev, err
	}
	ev.plan = scholarship.FundPlan{Cycle: cy, Funds: fr.Funds, Ranked: candidates(ev.run.Ranking, ev.recs, apps)}
	return ev, nil
}

// write stores the event's outcome fa in tx: the records it changed, the
// run's allocation and the funds' steps.
func (ev fundEvent) write(ctx context.Context, tx *store.Tx, ref RunRef, fa scholarship.FundAllocation) error {
	before := make([]scholarship.DecisionRecord, len(ev.recs))
	for i, r := range ev.recs {
		before[i] = r
		before[i].Reasons = slices.Clone(r.Reasons)
	}
	fundRecords(ev.plan, fa, ev.recs)
	for i, r := range ev.recs {
		if reflect.DeepEqual(r, before[i]) {
			continue
		}
		b, err := r.JSON()
		if err != nil {
			return bsk.Errorf(bsk.CodeInternal, "encoding the decision of %q: %w", r.ApplicationID, err)
		}
		drec, err := tx.Get(ctx, store.Decisions, ev.run.ID+"/"+r.ApplicationID)
		if err != nil {
			return err
		}
		drec.Doc = b
		if err := tx.Update(ctx, store.Decisions, drec); err != nil {
			return err
		}
	}
	ev.run.Allocation = fundAllocation(ev.plan, fa, ev.run.Allocation)
	doc, err := encode("cycle run", ev.run)
	if err != nil {
		return err
	}
	if err := tx.Update(ctx, store.CycleRuns, store.Record{ID: ev.run.ID, Parent: ref.key(), Doc: doc}); err != nil {
		return err
	}
	ev.fr.Allocation = fa
	if doc, err = encode("fund run", ev.fr); err != nil {
		return err
	}
	return tx.Update(ctx, store.FundRuns, store.Record{ID: ev.run.ID, Parent: ref.key(), Doc: doc})
}

// declineFunds records declined awards of a funded run (see
// [Scholarships.Decline]): each, in the order given, gives its money back
// to its fund, and the waitlist is promoted across the funds in tier
// order ([scholarship.FundPlan.Decline]).
func (s *Scholarships) declineFunds(ctx context.Context, ref RunRef, req DeclineRequest) (CycleRun, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return CycleRun{}, err
	}
	_, cy, err := s.cycle(ctx, ref.CycleRef)
	if err != nil {
		return CycleRun{}, err
	}
	var pr bsk.Problems
	if len(req.ApplicationIDs) == 0 {
		pr.Add("application_ids", "at least one application is required")
	}
	for i, id := range req.ApplicationIDs {
		if slices.Index(req.ApplicationIDs, id) < i {
			pr.AddCode(bsk.CodeConflict, bsk.Index("application_ids", i), "application %q is named twice", id)
		}
	}
	if err := pr.Err(); err != nil {
		return CycleRun{}, err
	}
	var run CycleRun
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it takes the lock every write takes, so
		// the run and its funds read below are the newest.
		if err := tx.Audit(ctx, p.KeyID, "decline", "cycle", ref.RunID); err != nil {
			return err
		}
		ev, err := readFundEvent(ctx, tx, ref, cy)
		if err != nil {
			return err
		}
		entries, err := listAllTx[scholarship.Entry](ctx, tx, store.LedgerEntries, "ledger entry", store.Filter{Parent: ev.run.ID})
		if err != nil {
			return err
		}
		for _, e := range entries {
			if slices.Contains(req.ApplicationIDs, e.ApplicationID) {
				return bsk.Errorf(bsk.CodeConflict, "application_ids: application %q has ledger entries (%s): record that the recipient withdrew instead", e.ApplicationID, e.Kind)
			}
		}
		fa := ev.fr.Allocation
		for i, id := range req.ApplicationIDs {
			f := bsk.Index("application_ids", i)
			if !slices.Contains(ev.run.Ranking, id) {
				return bsk.Errors{bsk.NotFoundf(f, "run %q has no application %q", ev.run.ID, id)}
			}
			if !slices.ContainsFunc(fa.Awards, func(a scholarship.FundAward) bool { return a.ApplicationID == id }) {
				return bsk.Errors{{Code: bsk.CodeConflict, Field: f, Message: fmt.Sprintf("application %q has no award to decline", id)}}
			}
			if fa, err = ev.plan.Decline(fa, id); err != nil {
				return err
			}
		}
		ev.run.Declined = append(ev.run.Declined, req.ApplicationIDs...)
		if err := ev.write(ctx, tx, ref, fa); err != nil {
			return err
		}
		run = ev.run
		run.Allocation = fundAllocation(ev.plan, fa, ev.run.Allocation)
		return nil
	})
	if err != nil {
		return CycleRun{}, err
	}
	return showRun(p, cy, run), nil
}

// returnUnpaid runs in the transaction that records a recipient's
// withdrawal from a funded run: the part of the award not disbursed goes
// back to its fund, and the waitlist is promoted across the funds
// ([scholarship.FundPlan.Return]); the award shrinks to what was paid, so
// the ledger's sums stand. Nothing for a run without funds, or an award
// paid in full.
//
// Errors: conflict for an award of which nothing was paid (decline it
// instead: the ledger's entries would belong to no award).
func returnUnpaid(ctx context.Context, tx *store.Tx, ref RunRef, cy scholarship.Cycle, appID string) error {
	if _, ok, err := fundRunTx(ctx, tx, ref.RunID); err != nil || !ok {
		return err
	}
	ev, err := readFundEvent(ctx, tx, ref, cy)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ev.fr.Allocation.Awards, func(a scholarship.FundAward) bool { return a.ApplicationID == appID })
	if i < 0 {
		return nil
	}
	entries, err := listAllTx[scholarship.Entry](ctx, tx, store.LedgerEntries, "ledger entry", store.Filter{Parent: ev.run.ID})
	if err != nil {
		return err
	}
	var paid scholarship.Cents
	for _, e := range entries {
		if e.ApplicationID == appID && e.Kind == scholarship.Disbursement {
			paid += e.Amount
		}
	}
	award := ev.fr.Allocation.Awards[i].Amount
	if paid >= award {
		return nil
	}
	if paid == 0 {
		return bsk.Errorf(bsk.CodeConflict, "nothing of the award of %q was paid: decline the award instead, and its money goes down the waitlist", appID)
	}
	fa, err := ev.plan.Return(ev.fr.Allocation, appID, award-paid)
	if err != nil {
		return err
	}
	return ev.write(ctx, tx, ref, fa)
}

// RunFunds returns a run's fund balances and steps as the reader may see
// them, each step also in plain language (l): staff read every fund and
// step; an agency reads the steps of its own staff's applications only,
// without balances, and a promotion's cause only when it is one of its
// own. A run of a cycle without funds reads as not funded. The read is
// audited.
//
// Errors: not_found for the program, the cycle or the run, unauthorized
// for a role that does not take part in scholarships, internal when the
// read cannot be audited.
func (s *Scholarships) RunFunds(ctx context.Context, ref RunRef, l scholarship.Lang) (RunFunds, error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return RunFunds{}, err
	}
	_, _, run, err := s.run(ctx, ref)
	if err != nil {
		return RunFunds{}, err
	}
	if l == "" {
		l = scholarship.EnglishText
	}
	out := RunFunds{RunID: run.ID, Funds: []FundView{}, Steps: []FundStepView{}, Language: string(l)}
	rec, err := s.db.Get(ctx, store.FundRuns, run.ID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return out, nil
	}
	if err != nil {
		return RunFunds{}, err
	}
	fr, err := decode[FundRun]("fund run", rec)
	if err != nil {
		return RunFunds{}, err
	}
	out.Funded = true
	mine := func(string) bool { return true }
	if org := applicationScope(p); org != "" {
		out.Own = true
		own := map[string]bool{}
		err := s.scan(ctx, store.Decisions, store.Filter{Parent: run.ID, Org: org}, func(r store.Record) error {
			own[strings.TrimPrefix(r.ID, run.ID+"/")] = true
			return nil
		})
		if err != nil {
			return RunFunds{}, err
		}
		mine = func(id string) bool { return own[id] }
	} else {
		rules := map[string]scholarship.Fund{}
		for _, f := range fr.Funds {
			rules[f.Name] = f
		}
		for _, b := range fr.Allocation.Funds {
			out.Funds = append(out.Funds, FundView{FundBalance: b, Criterion: rules[b.Name].Criterion, Languages: rules[b.Name].Languages,
				BudgetText: b.Budget.String(), AwardedText: b.Awarded.String(), LeftText: b.Left.String()})
		}
	}
	for _, st := range fr.Allocation.Steps {
		if !mine(st.ApplicationID) {
			continue
		}
		if st.Cause != "" && !mine(st.Cause) {
			st.Cause = ""
		}
		out.Steps = append(out.Steps, FundStepView{FundStep: st, Text: st.Text(l)})
	}
	if err := s.audit.Reads(ctx, "fund steps", run.ID); err != nil {
		return RunFunds{}, err
	}
	return out, nil
}
