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
	// Pool is the set-aside that funded it, or "general".
	Pool string `json:"pool"`
	// Rank is the application's place in the ranking, from 1.
	Rank int `json:"rank"`
	// Partial is true when the award is less than the application's grant
	// because the money ran out.
	Partial bool `json:"partial,omitempty"`
	// Step says when it was made: "allocation" or "reallocation".
	Step string `json:"step"`
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
// money: each covered category up to its cap, then the per-applicant cap,
// then what the lifetime cap leaves. Categories are cut in a fixed order
// (the order of [Category.Enum]) when a cap binds.
func Grant(c Cycle, a Application) (Cents, map[Category]Cents) {
	by := map[Category]Cents{}
	var total Cents
	for _, cat := range categories {
		req, ok := a.Requested[cat]
		limit, covered := c.Caps[cat]
		if !ok || !covered || req <= 0 {
			continue
		}
		g := min(req, limit)
		by[cat] = g
		total = addCents(total, g)
	}
	limit := total
	if c.PerApplicantCap > 0 {
		limit = min(limit, c.PerApplicantCap)
	}
	if c.LifetimeCap > 0 {
		limit = min(limit, max(0, c.LifetimeCap-a.PriorAwards))
	}
	return limit, trim(by, limit)
}

// trim cuts a split down to total, taking from the last categories first.
func trim(by map[Category]Cents, total Cents) map[Category]Cents {
	var sum Cents
	for _, v := range by {
		sum += v
	}
	for i := len(categories) - 1; i >= 0 && sum > total; i-- {
		cat := categories[i]
		cut := min(by[cat], sum-total)
		by[cat] -= cut
		sum -= cut
		if by[cat] == 0 {
			delete(by, cat)
		}
	}
	return by
}

// Allocate awards money to candidates in rank order. Set-aside pools are
// filled first, each with the best-ranked eligible candidates that meet its
// criterion; the money a pool does not use then joins the general pool,
// which funds everyone else in rank order. An award that no longer fits is
// skipped for the next that fits, or with the [Partial] policy granted in
// part (when at least MinPartial) after which allocation stops. Eligible
// candidates not funded are waitlisted in rank order; every other candidate
// is listed as unfunded with why. Awards never exceed the budget, a pool,
// or a cap.
func Allocate(c Cycle, ranked []Candidate) (Allocation, error) {
	if err := c.Validate(); err != nil {
		return Allocation{}, err
	}
	al := Allocation{CycleID: c.ID, Awards: []Award{}, Waitlist: []Unfunded{}, Unfunded: []Unfunded{}}
	grants := make([]Cents, len(ranked))
	splits := make([]map[Category]Cents, len(ranked))
	funded := make([]bool, len(ranked))
	open := make([]bool, len(ranked))
	for i, cand := range ranked {
		switch cand.Verdict.Outcome {
		case Eligible:
			grants[i], splits[i] = Grant(c, cand.Application)
			open[i] = grants[i] > 0
		}
	}
	var pooled Cents
	for _, p := range c.Pools {
		pooled += p.Amount
	}
	general := c.Budget - pooled
	for _, p := range c.Pools {
		left := p.Amount
		left = fill(&al, c, ranked, grants, splits, funded, open, left, p.Name, func(a Application) bool { return p.Criterion.Meets(a) })
		general += left
	}
	general = fill(&al, c, ranked, grants, splits, funded, open, general, "general", func(Application) bool { return true })
	for i, cand := range ranked {
		if funded[i] {
			continue
		}
		u := Unfunded{ApplicationID: cand.Application.ID, Rank: i + 1}
		switch {
		case cand.Verdict.Outcome == Eligible && grants[i] > 0:
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

// fill funds open candidates meeting cond from money, in rank order, and
// returns what is left.
func fill(al *Allocation, c Cycle, ranked []Candidate, grants []Cents, splits []map[Category]Cents, funded, open []bool, money Cents, pool string, cond func(Application) bool) Cents {
	for i, cand := range ranked {
		if !open[i] || funded[i] || !cond(cand.Application) {
			continue
		}
		amount, partial := grants[i], false
		if amount > money {
			if c.Fit != Partial {
				continue
			}
			if money < max(1, c.MinPartial) {
				break
			}
			amount, partial = money, true
		}
		money -= amount
		funded[i] = true
		al.Awards = append(al.Awards, Award{ApplicationID: cand.Application.ID, Amount: amount, ByCategory: trim(clone(splits[i]), amount),
			Pool: pool, Rank: i + 1, Partial: partial, Step: "allocation"})
		al.Spent += amount
		if partial {
			break
		}
	}
	return money
}

func clone(m map[Category]Cents) map[Category]Cents {
	out := make(map[Category]Cents, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Reallocate handles declined awards: every other award stands exactly as
// it was, and the money the declined awards free is offered down the
// waitlist in rank order under the cycle's fit policy. ranked must be the
// ranking the allocation was made from.
func Reallocate(c Cycle, prev Allocation, ranked []Candidate, declined []string) (Allocation, error) {
	byID := map[string]int{}
	for i, cand := range ranked {
		byID[cand.Application.ID] = i
	}
	var p bsk.Problems
	for i, id := range declined {
		if !slices.ContainsFunc(prev.Awards, func(a Award) bool { return a.ApplicationID == id }) {
			p.AddCode(bsk.CodeNotFound, bsk.Index("declined", i), "application %q has no award to decline", id)
		}
	}
	if err := p.Err(); err != nil {
		return Allocation{}, err
	}
	next := Allocation{CycleID: prev.CycleID, Awards: []Award{}, Unfunded: slices.Clone(prev.Unfunded), Waitlist: []Unfunded{}}
	money := prev.Left
	for _, a := range prev.Awards {
		if slices.Contains(declined, a.ApplicationID) {
			money += a.Amount
			next.Unfunded = append(next.Unfunded, Unfunded{ApplicationID: a.ApplicationID, Rank: a.Rank, Code: "declined"})
			continue
		}
		next.Awards = append(next.Awards, a)
		next.Spent += a.Amount
	}
	for _, w := range prev.Waitlist {
		i, ok := byID[w.ApplicationID]
		if !ok {
			next.Waitlist = append(next.Waitlist, w)
			continue
		}
		grant, split := Grant(c, ranked[i].Application)
		amount, partial := grant, false
		if amount > money {
			if c.Fit != Partial || money < max(1, c.MinPartial) {
				next.Waitlist = append(next.Waitlist, w)
				continue
			}
			amount, partial = money, true
		}
		money -= amount
		next.Awards = append(next.Awards, Award{ApplicationID: w.ApplicationID, Amount: amount, ByCategory: trim(split, amount),
			Pool: "general", Rank: w.Rank, Partial: partial, Step: "reallocation"})
		next.Spent += amount
	}
	slices.SortStableFunc(next.Unfunded, func(a, b Unfunded) int { return a.Rank - b.Rank })
	next.Left = money
	return next, nil
}
