package scholarship

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/beststarts/workforce/bsk"
)

// Fund is one source of money a cycle draws on, with its own budget, its
// own rule for who may draw on it and its priority tier: a
// language-access fund in tier 1, say, and the general fund in tier 2.
type Fund struct {
	// Name identifies the fund, e.g. "language-access".
	Name string `json:"name"`
	// Tier orders the funds: an applicant draws on the lowest tier they
	// qualify for that has money enough; funds of one tier in the order
	// listed.
	Tier int `json:"tier" jsonschema:"minimum=0,maximum=100"`
	// Budget is the fund's money for the cycle.
	Budget Cents `json:"budget"`
	// Criterion, when set, limits the fund to applicants who meet it (in
	// the cycle, [Cycle.Meets]); empty means every eligible applicant.
	Criterion PoolCriterion `json:"criterion,omitempty"`
	// Languages, when set, limits the fund to applicants who work in one
	// of them.
	Languages []bsk.Language `json:"languages,omitempty"`
}

// qualifies reports whether the fund's rules admit the application.
func (f Fund) qualifies(c Cycle, a Application) bool {
	if f.Criterion != "" && !c.Meets(Pool{Name: f.Name, Criterion: f.Criterion}, a) {
		return false
	}
	if len(f.Languages) > 0 && !slices.ContainsFunc(a.Applicant.Languages, func(l bsk.Language) bool { return slices.Contains(f.Languages, l) }) {
		return false
	}
	return true
}

// FundStepKind is what one step of a several-fund allocation did.
type FundStepKind string

// The steps of a several-fund allocation.
const (
	// FundAwarded: an award made at allocation.
	FundAwarded FundStepKind = "awarded"
	// FundWaitlisted: an eligible application no fund could pay at
	// allocation.
	FundWaitlisted FundStepKind = "waitlisted"
	// FundDeclined: an award declined; its money went back to its fund.
	FundDeclined FundStepKind = "declined"
	// FundReturned: part or all of an award given back; that money went
	// back to its fund.
	FundReturned FundStepKind = "returned"
	// FundPromoted: a waitlisted application awarded with money a decline
	// or return freed.
	FundPromoted FundStepKind = "promoted"
)

// FundStep is one step, in the order made.
type FundStep struct {
	// Seq is the step's place, from 1.
	Seq           int          `json:"seq"`
	Kind          FundStepKind `json:"kind"`
	ApplicationID string       `json:"application_id"`
	// Fund is the fund paid from or paid back to ("" for waitlisted).
	Fund string `json:"fund,omitempty"`
	// Amount is the money awarded, declined or returned.
	Amount Cents `json:"amount,omitempty"`
	Rank   int   `json:"rank"`
	// Cause is the application whose decline or return freed the money a
	// promotion used.
	Cause string `json:"cause,omitempty"`
}

// FundAward is an award from one fund.
type FundAward struct {
	ApplicationID string `json:"application_id"`
	Fund          string `json:"fund"`
	Amount        Cents  `json:"amount"`
	Rank          int    `json:"rank"`
}

// FundBalance is a fund's money.
type FundBalance struct {
	Name   string `json:"name"`
	Tier   int    `json:"tier"`
	Budget Cents  `json:"budget"`
	// Awarded is the money of the fund's current awards.
	Awarded Cents `json:"awarded"`
	// Left is Budget less Awarded.
	Left Cents `json:"left"`
}

// FundAllocation is a cycle's awards across its funds, the waitlist and
// every step that made them.
type FundAllocation struct {
	CycleID string `json:"cycle_id"`
	// Funds in tier order.
	Funds []FundBalance `json:"funds"`
	// Awards are the current awards, in rank order.
	Awards []FundAward `json:"awards"`
	// Waitlist holds eligible applications not funded, in rank order.
	Waitlist []Unfunded `json:"waitlist"`
	// Closed lists the applications that declined or gave back all of
	// their award, in the order they did: none is offered money again.
	Closed []string `json:"closed,omitempty"`
	// Steps are every step, in order.
	Steps []FundStep `json:"steps"`
}

// FundDecision is one application's outcome across the funds, with every
// step that concerned it: its record of a several-fund cycle.
type FundDecision struct {
	ApplicationID string `json:"application_id"`
	Rank          int    `json:"rank"`
	// Step is the latest: "awarded", "promoted", "waitlisted", "declined",
	// "returned" (all of it given back) or "" for an application that was
	// never eligible for money.
	Step FundStepKind `json:"step,omitempty"`
	// Award is the current award, if any.
	Award   *FundAward `json:"award,omitempty"`
	History []FundStep `json:"history"`
}

// FundPlan is a cycle that draws on several funds: the cycle (for the
// amount each application is granted, [Grant]), the funds and the ranked
// candidates ([Rank]'s order).
type FundPlan struct {
	Cycle  Cycle
	Funds  []Fund
	Ranked []Candidate
}

// Validate reports every problem with the funds: missing or duplicate
// names, amounts out of range, unknown criteria or languages, and funds
// that together exceed the cycle's budget.
func (p FundPlan) Validate() error {
	var pr bsk.Problems
	if len(p.Funds) == 0 {
		pr.Add("funds", "at least one fund is required")
	}
	seen := map[string]int{}
	var total Cents
	for i, f := range p.Funds {
		fld := bsk.Index("funds", i)
		if msg := bsk.IDProblem(f.Name); msg != "" {
			pr.Add(bsk.JoinField(fld, "name"), "%s", msg)
		}
		if j, dup := seen[f.Name]; dup {
			pr.AddCode(bsk.CodeConflict, bsk.JoinField(fld, "name"), "duplicate fund %q (also funds[%d])", f.Name, j)
		}
		seen[f.Name] = i
		if f.Tier < 0 || f.Tier > 100 {
			pr.Add(bsk.JoinField(fld, "tier"), "%d is outside 0 to 100", f.Tier)
		}
		checkAmount(&pr, bsk.JoinField(fld, "budget"), f.Budget)
		if f.Criterion != "" && !f.Criterion.Valid() {
			pr.Add(bsk.JoinField(fld, "criterion"), "unknown pool criterion %q", f.Criterion)
		}
		for j, l := range f.Languages {
			if !l.Valid() {
				pr.Add(bsk.Index(bsk.JoinField(fld, "languages"), j), "unknown language code %q", l)
			}
		}
		total = addCents(total, f.Budget)
	}
	if p.Cycle.Budget > 0 && total > p.Cycle.Budget {
		pr.Add("funds", "funds total %s, more than the cycle's budget %s", total, p.Cycle.Budget)
	}
	ids := map[string]bool{}
	for i, c := range p.Ranked {
		if ids[c.Application.ID] {
			pr.AddCode(bsk.CodeConflict, bsk.JoinField(bsk.Index("ranked", i), "application.id"), "duplicate application %q", c.Application.ID)
		}
		ids[c.Application.ID] = true
	}
	return pr.Err()
}

// fundState is the plan's working state.
type fundState struct {
	plan   FundPlan
	order  []int // funds in tier order
	left   []Cents
	award  map[string]*FundAward
	grant  map[string]Cents
	rank   map[string]int
	out    *FundAllocation
	refuse map[string]bool // closed: never offered again
}

func (p FundPlan) state(prev *FundAllocation) (*fundState, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s := &fundState{plan: p, left: make([]Cents, len(p.Funds)), award: map[string]*FundAward{}, grant: map[string]Cents{},
		rank: map[string]int{}, refuse: map[string]bool{}}
	s.order = make([]int, len(p.Funds))
	for i := range s.order {
		s.order[i] = i
	}
	slices.SortStableFunc(s.order, func(a, b int) int { return cmp.Compare(p.Funds[a].Tier, p.Funds[b].Tier) })
	for i, f := range p.Funds {
		s.left[i] = f.Budget
	}
	for i, c := range p.Ranked {
		s.rank[c.Application.ID] = i + 1
		if c.Verdict.Outcome == Eligible {
			s.grant[c.Application.ID], _ = Grant(p.Cycle, c.Application)
		}
	}
	s.out = &FundAllocation{CycleID: p.Cycle.ID}
	if prev == nil {
		return s, nil
	}
	if prev.CycleID != p.Cycle.ID {
		return nil, bsk.Invalidf("cycle_id", "the allocation is of cycle %q, not %q", prev.CycleID, p.Cycle.ID)
	}
	s.out.Steps = slices.Clone(prev.Steps)
	s.out.Closed = slices.Clone(prev.Closed)
	for _, d := range prev.Closed {
		s.refuse[d] = true
	}
	for _, aw := range prev.Awards {
		fi := slices.IndexFunc(p.Funds, func(f Fund) bool { return f.Name == aw.Fund })
		if fi < 0 {
			return nil, bsk.NotFoundf("awards", "award %q is from fund %q, which the plan does not have", aw.ApplicationID, aw.Fund)
		}
		if _, ok := s.rank[aw.ApplicationID]; !ok {
			return nil, bsk.NotFoundf("awards", "award %q is for an application the plan does not rank", aw.ApplicationID)
		}
		if aw.Amount > s.left[fi] {
			return nil, bsk.Invalidf("awards", "the awards from fund %q exceed its budget %s", aw.Fund, p.Funds[fi].Budget)
		}
		s.left[fi] -= aw.Amount
		cp := aw
		s.award[aw.ApplicationID] = &cp
	}
	return s, nil
}

func (s *fundState) step(st FundStep) {
	st.Seq = len(s.out.Steps) + 1
	st.Rank = s.rank[st.ApplicationID]
	s.out.Steps = append(s.out.Steps, st)
}

// place pays an application from the first fund in tier order it
// qualifies for with money enough; false when none can.
func (s *fundState) place(c Candidate, kind FundStepKind, cause string) bool {
	id := c.Application.ID
	amt := s.grant[id]
	for _, fi := range s.order {
		f := s.plan.Funds[fi]
		if s.left[fi] >= amt && f.qualifies(s.plan.Cycle, c.Application) {
			s.left[fi] -= amt
			s.award[id] = &FundAward{ApplicationID: id, Fund: f.Name, Amount: amt, Rank: s.rank[id]}
			s.step(FundStep{Kind: kind, ApplicationID: id, Fund: f.Name, Amount: amt, Cause: cause})
			return true
		}
	}
	return false
}

// promote offers freed money down the waitlist in rank order, each
// application to the funds in tier order, skipping one that fits none.
func (s *fundState) promote(cause string) {
	for _, c := range s.plan.Ranked {
		id := c.Application.ID
		if s.grant[id] <= 0 || s.award[id] != nil || s.refuse[id] {
			continue
		}
		s.place(c, FundPromoted, cause)
	}
}

func (s *fundState) finish() FundAllocation {
	out := s.out
	out.Funds = make([]FundBalance, 0, len(s.order))
	for _, fi := range s.order {
		f := s.plan.Funds[fi]
		out.Funds = append(out.Funds, FundBalance{Name: f.Name, Tier: f.Tier, Budget: f.Budget, Awarded: f.Budget - s.left[fi], Left: s.left[fi]})
	}
	out.Awards, out.Waitlist = []FundAward{}, []Unfunded{}
	for _, c := range s.plan.Ranked {
		id := c.Application.ID
		switch {
		case s.award[id] != nil:
			out.Awards = append(out.Awards, *s.award[id])
		case s.grant[id] > 0 && !s.refuse[id]:
			out.Waitlist = append(out.Waitlist, Unfunded{ApplicationID: id, Rank: s.rank[id], Code: "waitlisted"})
		}
	}
	return *out
}

// Allocate awards each eligible candidate, in rank order, its grant from
// the first fund in tier order whose rules admit it and which has money
// enough, and waitlists the rest (in rank order). Every award and
// waitlisting is a step.
//
// Errors: invalid for a bad plan (every problem, by field).
func (p FundPlan) Allocate() (FundAllocation, error) {
	s, err := p.state(nil)
	if err != nil {
		return FundAllocation{}, err
	}
	for _, c := range p.Ranked {
		if s.grant[c.Application.ID] <= 0 {
			continue
		}
		if !s.place(c, FundAwarded, "") {
			s.step(FundStep{Kind: FundWaitlisted, ApplicationID: c.Application.ID})
		}
	}
	return s.finish(), nil
}

// Decline applies a declined award: its money goes back to its fund, and
// the waitlist is promoted automatically across the funds: each
// application waiting, in rank order, is paid from the first fund in tier
// order that admits it and has money enough. The decliner is never
// offered money again in the cycle. prev is not changed.
//
// Errors: invalid for a bad plan or allocation; not found for an
// application without an award.
func (p FundPlan) Decline(prev FundAllocation, applicationID string) (FundAllocation, error) {
	s, err := p.state(&prev)
	if err != nil {
		return FundAllocation{}, err
	}
	aw := s.award[applicationID]
	if aw == nil {
		return FundAllocation{}, bsk.NotFoundf("application_id", "application %q has no award to decline", applicationID)
	}
	s.free(aw, aw.Amount)
	delete(s.award, applicationID)
	s.refuse[applicationID] = true
	s.out.Closed = append(s.out.Closed, applicationID)
	s.step(FundStep{Kind: FundDeclined, ApplicationID: applicationID, Fund: aw.Fund, Amount: aw.Amount})
	s.promote(applicationID)
	return s.finish(), nil
}

// Return applies money given back from an award (a recipient who needed
// less, or left before a term was paid): amount goes back to the award's
// fund, the award shrinks by it (and ends at zero), and the waitlist is
// promoted as after [FundPlan.Decline]. prev is not changed.
//
// Errors: invalid for a bad plan or allocation, or an amount not more than
// 0 or more than the award; not found for an application without an
// award.
func (p FundPlan) Return(prev FundAllocation, applicationID string, amount Cents) (FundAllocation, error) {
	s, err := p.state(&prev)
	if err != nil {
		return FundAllocation{}, err
	}
	aw := s.award[applicationID]
	if aw == nil {
		return FundAllocation{}, bsk.NotFoundf("application_id", "application %q has no award to return money from", applicationID)
	}
	if amount <= 0 || amount > aw.Amount {
		return FundAllocation{}, bsk.Invalidf("amount", "%s is not more than 0 and at most the award of %s", amount, aw.Amount)
	}
	s.free(aw, amount)
	aw.Amount -= amount
	if aw.Amount == 0 {
		delete(s.award, applicationID)
		s.refuse[applicationID] = true
		s.out.Closed = append(s.out.Closed, applicationID)
	}
	s.step(FundStep{Kind: FundReturned, ApplicationID: applicationID, Fund: aw.Fund, Amount: amount})
	s.promote(applicationID)
	return s.finish(), nil
}

func (s *fundState) free(aw *FundAward, amount Cents) {
	fi := slices.IndexFunc(s.plan.Funds, func(f Fund) bool { return f.Name == aw.Fund })
	s.left[fi] += amount
}

// Decisions returns each ranked application's record across the funds,
// in rank order: the latest step, the current award and every step that
// concerned it.
func (fa FundAllocation) Decisions(ranked []Candidate) []FundDecision {
	hist := map[string][]FundStep{}
	for _, st := range fa.Steps {
		hist[st.ApplicationID] = append(hist[st.ApplicationID], st)
	}
	awards := map[string]FundAward{}
	for _, a := range fa.Awards {
		awards[a.ApplicationID] = a
	}
	out := make([]FundDecision, len(ranked))
	for i, c := range ranked {
		id := c.Application.ID
		d := FundDecision{ApplicationID: id, Rank: i + 1, History: hist[id]}
		if d.History == nil {
			d.History = []FundStep{}
		}
		if n := len(d.History); n > 0 {
			d.Step = d.History[n-1].Kind
		}
		if aw, ok := awards[id]; ok {
			d.Award = &aw
			if d.Step == FundReturned {
				// Part given back: the award stands.
				d.Step = FundAwarded
			}
		}
		out[i] = d
	}
	return out
}

// Text says in plain language what a fund step means for the applicant.
func (st FundStep) Text(l Lang) string {
	return Reason{Code: "fund_" + string(st.Kind), Params: map[string]string{
		"fund": st.Fund, "amount": strconv.FormatInt(int64(st.Amount), 10), "rank": strconv.Itoa(st.Rank),
	}}.Text(l)
}
