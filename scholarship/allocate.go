package scholarship

import (
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Candidate is an application in rank order with its verdict.
type Candidate struct {
	Application Application
	Verdict     Verdict
}

// Award is money granted to one application.
type Award struct {
	// ApplicationID is the application funded.
	ApplicationID string `json:"application_id"`
	// Amount is the money granted.
	Amount Cents `json:"amount"`
	// ByCategory splits Amount by expense category.
	ByCategory map[Category]Cents `json:"by_category"`
	// ByPayee splits Amount by who is paid ([Cycle.PayeeOf]).
	ByPayee map[Payee]Cents `json:"by_payee,omitempty"`
	// Shares is what each party pays of the categories whose cost the
	// cycle shares ([Cycle.Shares]); the scholarship's line is this award's
	// part of them.
	Shares map[Party]Cents `json:"shares,omitempty"`
	// Pool is the set-aside that funded it first, or "general".
	Pool string `json:"pool"`
	// TopUps are later additions to a partial award from other pools (the
	// general pool, or a later set-aside), in the order made.
	TopUps []TopUp `json:"top_ups,omitempty"`
	// Rank is the application's place in the ranking, from 1.
	Rank int `json:"rank"`
	// Partial is true when the award is less than the application's grant
	// because the money ran out.
	Partial bool `json:"partial,omitempty"`
	// Step says when it was made: "allocation" or "reallocation".
	Step string `json:"step"`
}

// TopUp is money added to a partial award from another pool.
type TopUp struct {
	// Pool is the pool the money came from.
	Pool string `json:"pool"`
	// Amount is the money added.
	Amount Cents `json:"amount"`
}

// Unfunded is an application that got no award, with why.
type Unfunded struct {
	ApplicationID string `json:"application_id"`
	Rank          int    `json:"rank"`
	// Code is why: "waitlisted" (eligible, money ran out), "ineligible",
	// "needs_review", or "nothing_to_award" (no covered amount left).
	Code string `json:"code"`
}

// Allocation is a cycle's awards, waitlist and the rest.
type Allocation struct {
	CycleID string `json:"cycle_id"`
	// Awards in the order they were made.
	Awards []Award `json:"awards"`
	// Waitlist holds eligible applications not funded, in rank order.
	Waitlist []Unfunded `json:"waitlist"`
	// Unfunded holds every other application not funded, in rank order.
	Unfunded []Unfunded `json:"unfunded"`
	// Spent is the sum of the awards.
	Spent Cents `json:"spent"`
	// Left is the budget not awarded.
	Left Cents `json:"left"`
}

// Grant is what the cycle would pay for an application with no shortage of
// money, and its split by category: [QuoteFor]'s amount and split.
func Grant(c Cycle, a Application) (Cents, map[Category]Cents) {
	q := QuoteFor(c, a)
	return q.Amount, q.ByCategory
}

// trim cuts a split down to total in the cycle's cut order.
func trim(c Cycle, by map[Category]Cents, total Cents) map[Category]Cents {
	cutIn(by, c.cutOrder(), nil, sumCents(by)-total)
	for cat, v := range by {
		if v == 0 {
			delete(by, cat)
		}
	}
	return by
}

// Allocate awards money to candidates in rank order. Set-aside pools are
// filled first, each with the best-ranked eligible candidates that meet its
// criterion in the cycle ([Cycle.Meets]); the money a pool does not use
// then joins the general pool, which funds everyone else in rank order. An
// award that no longer fits is skipped for the next that fits, or with the
// [Partial] policy granted in part (when at least MinPartial), after which
// the pool is spent; with that policy, when what is left is under
// MinPartial, nobody ranked below gets a new award from the pool. A
// partial award is topped up, with any amount, by the pools that come
// after (the general pool last) in rank order, so no money is left while
// an eligible candidate is short, except an amount under MinPartial that
// no new award may take and no partial award needs.
// Eligible candidates not funded are waitlisted in rank order; every other
// candidate is listed as unfunded with why. Awards never exceed the
// budget, a pool, or a cap.
func Allocate(c Cycle, ranked []Candidate) (Allocation, error) {
	if err := c.Validate(); err != nil {
		return Allocation{}, err
	}
	al := Allocation{CycleID: c.ID, Awards: []Award{}, Waitlist: []Unfunded{}, Unfunded: []Unfunded{}}
	st := allocState{c: c, ranked: ranked, al: &al, quotes: make([]Quote, len(ranked)), got: make([]Cents, len(ranked)),
		award: make([]int, len(ranked)), order: c.cutOrder()}
	for i := range ranked {
		cand := &ranked[i] // a candidate holds a whole application: not copied
		st.award[i] = -1
		if cand.Verdict.Outcome == Eligible {
			st.quotes[i] = quoteFor(c, &ranked[i].Application, st.order)
		}
	}
	var pooled Cents
	for _, p := range c.Pools {
		pooled += p.Amount
	}
	general := c.Budget - pooled
	for _, p := range c.Pools {
		general += st.fill(p.Amount, p.Name, func(a Application) bool { return c.Meets(p, a) })
	}
	general = st.fill(general, "general", func(Application) bool { return true })
	var waitlisted, unfunded int
	for i := range ranked {
		cand := &ranked[i] // a candidate holds a whole application: not copied
		switch {
		case st.award[i] >= 0:
		case cand.Verdict.Outcome == Eligible && st.quotes[i].Amount > 0:
			waitlisted++
		default:
			unfunded++
		}
	}
	al.Waitlist, al.Unfunded = make([]Unfunded, 0, waitlisted), make([]Unfunded, 0, unfunded)
	for i := range ranked {
		cand := &ranked[i] // a candidate holds a whole application: not copied
		if st.award[i] >= 0 {
			continue
		}
		u := Unfunded{ApplicationID: cand.Application.ID, Rank: i + 1}
		switch {
		case cand.Verdict.Outcome == Eligible && st.quotes[i].Amount > 0:
			u.Code = "waitlisted"
			al.Waitlist = append(al.Waitlist, u)
			continue
		case cand.Verdict.Outcome == Eligible:
			u.Code = "nothing_to_award"
		default:
			u.Code = string(cand.Verdict.Outcome)
		}
		al.Unfunded = append(al.Unfunded, u)
	}
	al.Left = general
	return al, nil
}

// allocState is an allocation in progress.
type allocState struct {
	c      Cycle
	ranked []Candidate
	al     *Allocation
	quotes []Quote
	got    []Cents // money awarded so far, by candidate
	award  []int   // index of the candidate's award in al.Awards, or -1
	order  []Category
}

// fill funds open candidates meeting cond from money, in rank order: it
// tops up partial awards and makes new ones, and returns what is left.
func (s *allocState) fill(money Cents, pool string, cond func(Application) bool) Cents {
	noNew := false // with the partial policy, once a new award cannot be made
	for i := range s.ranked {
		cand := &s.ranked[i]
		need := s.quotes[i].Amount - s.got[i]
		if need <= 0 || !cond(cand.Application) || (noNew && s.award[i] < 0) {
			continue
		}
		amount, partial := need, false
		if amount > money {
			// A top-up takes whatever is left; a new award only with the
			// partial policy and at least MinPartial. When a new award
			// cannot be made, those ranked below it get none either (they
			// are waitlisted behind it), but a partial award below it is
			// still topped up.
			if s.award[i] < 0 && (s.c.Fit != Partial || money < max(1, s.c.MinPartial)) {
				noNew = s.c.Fit == Partial
				continue
			}
			amount, partial = money, true
		}
		if amount <= 0 {
			break
		}
		money -= amount
		s.got[i] += amount
		s.al.Spent += amount
		q := s.quotes[i]
		by := trim(s.c, clone(q.ByCategory), s.got[i])
		if k := s.award[i]; k >= 0 {
			aw := &s.al.Awards[k]
			aw.Amount, aw.ByCategory, aw.ByPayee = s.got[i], by, byPayee(s.c, by)
			aw.Shares = shares(s.c, q, by)
			aw.Partial = s.got[i] < q.Amount
			aw.TopUps = append(aw.TopUps, TopUp{Pool: pool, Amount: amount})
		} else {
			s.award[i] = len(s.al.Awards)
			s.al.Awards = append(s.al.Awards, Award{ApplicationID: cand.Application.ID, Amount: amount, ByCategory: by,
				ByPayee: byPayee(s.c, by), Shares: shares(s.c, q, by), Pool: pool, Rank: i + 1, Partial: partial, Step: "allocation"})
		}
		if partial {
			break
		}
	}
	return money
}

// shares is the quote's cost shares with the scholarship's line set to
// what a (possibly partial) split pays in the shared categories.
func shares(c Cycle, q Quote, by map[Category]Cents) map[Party]Cents {
	if q.Shares == nil {
		return nil
	}
	out := clone(q.Shares)
	var paid Cents
	for cat, v := range by {
		if _, ok := c.share(cat); ok {
			paid += v
		}
	}
	out[PartyScholarship] = paid
	return out
}

func clone[K comparable](m map[K]Cents) map[K]Cents {
	out := make(map[K]Cents, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Reallocate handles declined awards at the level of the allocation: the
// declined awards' money goes back to the pools it came from and is
// offered as [Allocate] offers money (each set-aside's money to its own
// waiting applicants first, in rank order, then everyone's; standing
// partial awards are topped up first, under the cycle's fit policy);
// every other award stands. ranked must be the ranking the allocation was
// made from. It is [Decline] without the decision records: use Decline
// for a cycle's [Result].
func Reallocate(c Cycle, prev Allocation, ranked []Candidate, declined []string) (Allocation, error) {
	in := declineInput{rank: make(map[string]int, len(ranked)), apps: make(map[string]Application, len(ranked)), declined: map[string]bool{}}
	for i, cand := range ranked {
		in.rank[cand.Application.ID] = i
		in.apps[cand.Application.ID] = cand.Application
	}
	var p bsk.Problems
	for i, id := range declined {
		switch {
		case in.declined[id]:
			p.AddCode(bsk.CodeConflict, bsk.Index("declined", i), "application %q is listed twice", id)
		case !slices.ContainsFunc(prev.Awards, func(a Award) bool { return a.ApplicationID == id }):
			p.AddCode(bsk.CodeNotFound, bsk.Index("declined", i), "application %q has no award to decline", id)
		default:
			if _, ok := in.rank[id]; !ok {
				p.AddCode(bsk.CodeNotFound, bsk.Index("declined", i), "application %q is not in the ranking", id)
			}
		}
		in.declined[id] = true
	}
	for _, a := range prev.Awards {
		if _, ok := in.rank[a.ApplicationID]; !ok {
			p.Add("ranked", "the award of %q has no candidate in the ranking it was made from", a.ApplicationID)
		}
	}
	for _, w := range prev.Waitlist {
		if _, ok := in.rank[w.ApplicationID]; !ok {
			p.Add("ranked", "the waitlisted %q has no candidate in the ranking", w.ApplicationID)
		}
	}
	if err := p.Err(); err != nil {
		return Allocation{}, err
	}
	next, _ := reallocate(c, prev, in)
	return next, nil
}
