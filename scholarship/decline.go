package scholarship

import (
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// CodeDeclined is the reason a declined award's decision record gives: the
// applicant declined the award, and its money was offered to the
// applicants waiting. Its parameter "amount" is the award declined, in
// cents. The reason is informational (its outcome is eligible): declining
// does not change whether the application was eligible.
const CodeDeclined = "award_declined"

// StepDeclined is the [DecisionRecord.Step] and the [Unfunded.Code] of an
// application whose award was declined.
const StepDeclined = "declined"

// declineRule is the rule a [CodeDeclined] reason names.
var declineRule = RuleInfo{Name: "decline", Version: "1"}

// Decline applies declined awards to a cycle's result, as [RunCycle] or an
// earlier Decline returned it, and returns the result after them: the new
// allocation, and the decision records that say so. apps are the
// applications the result was made from (in any order; others are
// ignored), c the cycle it was run for. res is not changed.
//
// The money a declined award frees goes back to the pools it came from
// (its own pool, and the pools of its top-ups) and is offered as
// [Allocate] offers money, to the applications still short of their grant
// in rank order (the waitlist, and partial awards, which are topped up):
// each set-aside's money first to those that meet its criterion, then
// what a set-aside cannot use, with the freed general money and the money
// left before, to everyone in rank order. The cycle's fit policy applies
// as in [Allocate], so after a decline, as after an allocation, no money
// is left while an eligible application is short, except an amount under
// [Cycle.MinPartial] that no new award may take and no partial award
// needs. A new award's Step is "reallocation"; a top-up from the award's
// own pool adds to its first part, a top-up from another pool is listed
// in [Award.TopUps]. Every other award stands as it was.
//
// In the records, a decliner's decision has step [StepDeclined], no
// award, and a [CodeDeclined] reason after the rules' reasons (the
// verdicts in [Result.Verdicts] are the rules' and do not change); an
// application funded or topped up from the freed money has step
// "awarded" and its award as in the allocation; every other record is
// returned as it was. [Result.Equity] is counted again.
//
// Declines given in one call are applied together, so their order in
// declined does not matter. Declines made in separate calls are events:
// an award made from the first call's money stands when a later call
// frees more, so the result can depend on their order, as an allocation
// depends on the budget it had. In a cycle without set-asides, under the
// [Partial] policy with no [Cycle.MinPartial], freed money always goes to
// the best-ranked application still short, so declines made one at a
// time, in any order, give every application the same amount as made
// together; with the [SkipToFit] policy, a minimum partial award or
// set-asides, they may not.
//
// Errors are [bsk.Errors] naming every problem: an empty declined list is
// invalid; an ID that is not one of the result's applications is not
// found ("declined[i]"); an application with no award (waitlisted,
// ineligible, needing review), one whose award was already declined, and
// an ID listed twice are conflicts. A ranked application missing from
// apps is not found ("applications"). A cycle that is not the result's
// (then the only problem named), a ranked application with no record,
// and an allocation whose ranks or pools are not the result's or the
// cycle's (such as one read through [Allocation.WithoutDemographics]) are
// invalid inputs.
func Decline(c Cycle, res Result, apps []Application, declined []string) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	in, err := readDeclineInput(c, res, apps, declined)
	if err != nil {
		return Result{}, err
	}
	next, changed := reallocate(c, res.Allocation, in)

	out := res
	out.Allocation = next
	out.Records = slices.Clone(res.Records)
	for _, a := range res.Allocation.Awards {
		if !in.declined[a.ApplicationID] {
			continue
		}
		rec := &out.Records[in.record[a.ApplicationID]]
		rec.Step, rec.Award = StepDeclined, nil
		rec.Reasons = append(slices.Clone(rec.Reasons), Reason{Code: CodeDeclined, Outcome: Eligible,
			Params: map[string]string{"amount": money(a.Amount)}, Rule: declineRule.Name, Version: declineRule.Version})
	}
	for _, k := range changed {
		aw := cloneAward(next.Awards[k])
		rec := &out.Records[in.record[aw.ApplicationID]]
		rec.Step, rec.Award = "awarded", &aw
	}
	judged := make([]Application, len(out.Records))
	verdicts := make([]Verdict, len(out.Records))
	for i, r := range out.Records {
		judged[i] = in.apps[r.ApplicationID]
		verdicts[i] = Verdict{Outcome: r.Outcome, Reasons: r.Reasons}
	}
	out.Equity = Equity(judged, verdicts, next)
	return out, nil
}

// declineInput is a result's indexes, checked against each other and
// against the declines asked for.
type declineInput struct {
	rank     map[string]int // application ID -> place in the ranking, from 0
	record   map[string]int // application ID -> index in the records
	apps     map[string]Application
	declined map[string]bool
}

// readDeclineInput indexes a result and checks it and the declines.
func readDeclineInput(c Cycle, res Result, apps []Application, declined []string) (declineInput, error) {
	in := declineInput{rank: make(map[string]int, len(res.Ranking)), record: make(map[string]int, len(res.Records)),
		apps: make(map[string]Application, len(apps)), declined: map[string]bool{}}
	al := res.Allocation
	if al.CycleID != c.ID {
		return in, bsk.Errors{bsk.Invalidf("cycle", "cycle %q is not the result's cycle %q", c.ID, al.CycleID)}
	}
	var p bsk.Problems
	for k, id := range res.Ranking {
		in.rank[id] = k
	}
	for i, r := range res.Records {
		in.record[r.ApplicationID] = i
	}
	for _, a := range apps {
		if _, ok := in.rank[a.ID]; ok {
			in.apps[a.ID] = a
		}
	}
	if len(res.Records) != len(res.Ranking) {
		p.Add("records", "the result has %d records for %d ranked applications", len(res.Records), len(res.Ranking))
	}
	for _, id := range res.Ranking {
		if _, ok := in.record[id]; !ok {
			p.Add("records", "no decision record for ranked application %q", id)
		}
		if _, ok := in.apps[id]; !ok {
			p.AddCode(bsk.CodeNotFound, "applications", "no application %q, which the result ranks", id)
		}
	}
	pools := map[string]bool{"general": true}
	for _, pl := range c.Pools {
		pools[pl.Name] = true
	}
	awarded := map[string]bool{}
	for i, a := range al.Awards {
		field := bsk.Index("allocation.awards", i)
		awarded[a.ApplicationID] = true
		if k, ok := in.rank[a.ApplicationID]; !ok || k+1 != a.Rank {
			p.Add(field+".rank", "award to %q at rank %d does not match the ranking", a.ApplicationID, a.Rank)
		}
		if !pools[a.Pool] {
			p.Add(field+".pool", "pool %q is not one of the cycle's (an allocation without demographics cannot be reallocated)", a.Pool)
		}
		for j, u := range a.TopUps {
			if !pools[u.Pool] {
				p.Add(bsk.Index(field+".top_ups", j)+".pool", "pool %q is not one of the cycle's", u.Pool)
			}
		}
	}
	for i, w := range al.Waitlist {
		if k, ok := in.rank[w.ApplicationID]; !ok || k+1 != w.Rank {
			p.Add(bsk.Index("allocation.waitlist", i)+".rank", "waitlisted %q at rank %d does not match the ranking", w.ApplicationID, w.Rank)
		}
	}
	why := map[string]string{}
	for _, u := range al.Waitlist {
		why[u.ApplicationID] = u.Code
	}
	for _, u := range al.Unfunded {
		why[u.ApplicationID] = u.Code
	}
	if len(declined) == 0 {
		p.Add("declined", "at least one application is required")
	}
	first := map[string]int{}
	for i, id := range declined {
		field := bsk.Index("declined", i)
		if j, dup := first[id]; dup {
			p.AddCode(bsk.CodeConflict, field, "application %q is listed twice (also declined[%d])", id, j)
			continue
		}
		first[id] = i
		switch _, ranked := in.rank[id]; {
		case !ranked:
			p.AddCode(bsk.CodeNotFound, field, "no application %q in cycle %q", id, al.CycleID)
		case awarded[id]:
			in.declined[id] = true
		case why[id] == StepDeclined:
			p.AddCode(bsk.CodeConflict, field, "application %q has already declined its award", id)
		default:
			p.AddCode(bsk.CodeConflict, field, "application %q has no award to decline (%s)", id, why[id])
		}
	}
	return in, p.Err()
}

// reallocate takes the declined awards out of prev and offers their money
// as [Decline] says. It returns the new allocation and the indexes of its
// awards that are new or were topped up.
func reallocate(c Cycle, prev Allocation, in declineInput) (Allocation, []int) {
	n := len(in.rank)
	ranked := make([]Candidate, n)
	for id, k := range in.rank {
		ranked[k] = Candidate{Application: in.apps[id]}
	}
	next := Allocation{CycleID: prev.CycleID, Awards: []Award{}, Waitlist: []Unfunded{}, Unfunded: slices.Clone(prev.Unfunded), Spent: prev.Spent}
	st := allocState{c: c, ranked: ranked, al: &next, quotes: make([]Quote, n), got: make([]Cents, n), award: make([]int, n), order: c.cutOrder()}
	for k := range st.award {
		st.award[k] = -1
	}
	// Only the applications still short get a quote: the fills below
	// pass over everyone else (a full award, a declined one, anyone not
	// eligible or with nothing to award).
	freed := map[string]Cents{}
	for _, a := range prev.Awards {
		k := in.rank[a.ApplicationID]
		if in.declined[a.ApplicationID] {
			first := a.Amount
			for _, u := range a.TopUps {
				freed[u.Pool] += u.Amount
				first -= u.Amount
			}
			freed[a.Pool] += first
			next.Spent -= a.Amount
			next.Unfunded = append(next.Unfunded, Unfunded{ApplicationID: a.ApplicationID, Rank: a.Rank, Code: StepDeclined})
			continue
		}
		st.award[k], st.got[k] = len(next.Awards), a.Amount
		if a.Partial {
			st.quotes[k] = QuoteFor(c, ranked[k].Application)
		}
		next.Awards = append(next.Awards, cloneAward(a))
	}
	for _, w := range prev.Waitlist {
		k := in.rank[w.ApplicationID]
		st.quotes[k] = QuoteFor(c, ranked[k].Application)
	}
	kept := len(next.Awards)
	before := make([]Award, kept)
	copy(before, next.Awards)

	general := prev.Left + freed["general"]
	for _, p := range c.Pools {
		if money := freed[p.Name]; money > 0 {
			general += st.fill(money, p.Name, func(a Application) bool { return c.Meets(p, a) })
		}
	}
	next.Left = st.fill(general, "general", func(Application) bool { return true })

	var changed []int
	for k := range next.Awards {
		aw := &next.Awards[k]
		if k >= kept {
			aw.Step = "reallocation"
			changed = append(changed, k)
			continue
		}
		if aw.Amount == before[k].Amount {
			continue
		}
		// A top-up from the award's own pool adds to its first part: the
		// pool's share of an award is its amount less its top-ups.
		old := len(before[k].TopUps)
		tops := aw.TopUps[:old]
		for _, u := range aw.TopUps[old:] {
			if u.Pool != aw.Pool {
				tops = append(tops, u)
			}
		}
		if len(tops) == 0 {
			tops = nil
		}
		aw.TopUps = tops
		changed = append(changed, k)
	}
	for _, w := range prev.Waitlist {
		if st.award[in.rank[w.ApplicationID]] < 0 {
			next.Waitlist = append(next.Waitlist, w)
		}
	}
	slices.SortStableFunc(next.Unfunded, func(a, b Unfunded) int { return a.Rank - b.Rank })
	return next, changed
}

// cloneAward copies an award with its maps and top-ups, so that changing
// the copy leaves the original as it was.
func cloneAward(a Award) Award {
	if a.ByCategory != nil {
		a.ByCategory = clone(a.ByCategory)
	}
	if a.ByPayee != nil {
		a.ByPayee = clone(a.ByPayee)
	}
	if a.Shares != nil {
		a.Shares = clone(a.Shares)
	}
	a.TopUps = slices.Clone(a.TopUps)
	return a
}
