package scholarship

import (
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Party is who pays part of a cost: the scholarship, the recipient or the
// sponsoring employer.
type Party string

// The parties to a cost share.
const (
	PartyScholarship Party = "scholarship"
	PartyRecipient   Party = "recipient"
	PartyEmployer    Party = "employer"
)

var parties = []Party{PartyScholarship, PartyRecipient, PartyEmployer}

// Valid reports whether p is a known party.
func (p Party) Valid() bool { return slices.Contains(parties, p) }

// Enum lists every party code.
func (Party) Enum() []string {
	return []string{string(PartyScholarship), string(PartyRecipient), string(PartyEmployer)}
}

// Payee is who the scholarship pays an amount to.
type Payee string

// The payees.
const (
	// PayRecipient pays the recipient (reimbursement or a stipend). The default.
	PayRecipient Payee = "recipient"
	// PayEmployer pays the employer, as release time is paid in BA Degree Pathways.
	PayEmployer Payee = "employer"
	// PayInstitution pays the college or the endorsing body directly.
	PayInstitution Payee = "institution"
)

var payees = []Payee{PayRecipient, PayEmployer, PayInstitution}

// Valid reports whether p is a known payee.
func (p Payee) Valid() bool { return slices.Contains(payees, p) }

// Enum lists every payee code.
func (Payee) Enum() []string {
	return []string{string(PayRecipient), string(PayEmployer), string(PayInstitution)}
}

// CombinedCap bounds the sum of several categories together, such as
// tuition and fees under one yearly limit.
type CombinedCap struct {
	// Categories are the categories bounded together.
	Categories []Category `json:"categories"`
	// Cap is the most the scholarship pays for them together.
	Cap Cents `json:"cap"`
}

// HourlyItem is a category paid by the hour, such as release time: the
// scholarship pays Rate for each hour a week the application asks for (at
// most MaxHoursPerWeek) for each week (at most MaxWeeks), to Payee.
type HourlyItem struct {
	// Category is the category paid by the hour.
	Category Category `json:"category"`
	// Rate is the pay for one hour.
	Rate Cents `json:"rate"`
	// MaxHoursPerWeek bounds the hours a week paid; 0 means no bound.
	MaxHoursPerWeek float64 `json:"max_hours_per_week,omitempty" jsonschema:"minimum=0,maximum=80"`
	// MaxWeeks bounds the weeks paid; 0 means no bound.
	MaxWeeks int `json:"max_weeks,omitempty" jsonschema:"minimum=0,maximum=104"`
	// Payee is who is paid; empty means the category's payee in
	// [Cycle.Payees], else the recipient.
	Payee Payee `json:"payee,omitempty"`
}

// Hours is an application's request for an hourly category.
type Hours struct {
	// PerWeek is the hours a week asked for.
	PerWeek float64 `json:"per_week" jsonschema:"minimum=0,maximum=80"`
	// Weeks is the number of weeks asked for.
	Weeks int `json:"weeks" jsonschema:"minimum=0,maximum=104"`
}

// CostShare splits the cost of some categories between the parties, in
// basis points (1/100 of a percent) that add up to 10,000: T.E.A.C.H.
// Early Childhood pays 80% of tuition and books, the recipient 10% and the
// sponsoring employer 10%. The recipient's and the employer's parts are
// rounded down to the cent and the scholarship's part is the rest, before
// any cap; a cap that binds lowers the scholarship's part only, and what it
// leaves is the recipient's to pay ([Quote.Uncovered]).
type CostShare struct {
	// Categories are the categories whose cost is shared.
	Categories []Category `json:"categories"`
	// Scholarship is the scholarship's part, in basis points.
	Scholarship int `json:"scholarship" jsonschema:"minimum=0,maximum=10000"`
	// Recipient is the recipient's part, in basis points.
	Recipient int `json:"recipient" jsonschema:"minimum=0,maximum=10000"`
	// Employer is the sponsoring employer's part, in basis points.
	Employer int `json:"employer" jsonschema:"minimum=0,maximum=10000"`
}

// Quote is what a cycle would pay for an application with no shortage of
// money, and how it got there.
type Quote struct {
	// Cost is the cost of each covered category: the amount requested, or
	// for an hourly category the rate times the hours and weeks allowed.
	Cost map[Category]Cents `json:"cost"`
	// ByCategory is the scholarship's payment in each category after cost
	// shares and every cap.
	ByCategory map[Category]Cents `json:"by_category"`
	// Amount is the sum of ByCategory.
	Amount Cents `json:"amount"`
	// Shares is what each party pays of the shared categories' cost; the
	// scholarship's line is its payment in those categories.
	Shares map[Party]Cents `json:"shares,omitempty"`
	// Uncovered is the cost of covered categories that nobody else pays
	// because a cap bound: the recipient's to pay.
	Uncovered Cents `json:"uncovered,omitempty"`
}

// hourly returns the cycle's hourly item for a category.
func (c Cycle) hourly(cat Category) (HourlyItem, bool) {
	for _, h := range c.Hourly {
		if h.Category == cat {
			return h, true
		}
	}
	return HourlyItem{}, false
}

// covered reports whether the cycle pays for the category at all.
func (c Cycle) covered(cat Category) bool {
	if _, ok := c.Caps[cat]; ok {
		return true
	}
	_, ok := c.hourly(cat)
	return ok
}

// share returns the cost share a category is in.
func (c Cycle) share(cat Category) (CostShare, bool) {
	for _, s := range c.Shares {
		if slices.Contains(s.Categories, cat) {
			return s, true
		}
	}
	return CostShare{}, false
}

// PayeeOf returns who the cycle pays a category to: an hourly item's
// payee, else [Cycle.Payees], else the recipient.
func (c Cycle) PayeeOf(cat Category) Payee {
	if h, ok := c.hourly(cat); ok && h.Payee != "" {
		return h.Payee
	}
	if p, ok := c.Payees[cat]; ok {
		return p
	}
	return PayRecipient
}

// cutOrder is the order categories are cut in when a cap binds or the
// money runs out: [Cycle.CutOrder], then the categories it does not list
// from the last of [Category.Enum] to the first.
func (c Cycle) cutOrder() []Category {
	out := slices.Clone(c.CutOrder)
	for i := len(categories) - 1; i >= 0; i-- {
		if !slices.Contains(out, categories[i]) {
			out = append(out, categories[i])
		}
	}
	return out
}

// hourlyCost is rate x hours a week x weeks under the item's bounds,
// rounded down to the cent. Hours are counted in hundredths, so the
// product is exact integer arithmetic.
func hourlyCost(h HourlyItem, req Hours) Cents {
	per := req.PerWeek
	if h.MaxHoursPerWeek > 0 {
		per = min(per, h.MaxHoursPerWeek)
	}
	weeks := req.Weeks
	if h.MaxWeeks > 0 {
		weeks = min(weeks, h.MaxWeeks)
	}
	if !(per > 0) || weeks <= 0 || h.Rate <= 0 {
		return 0
	}
	// Validation bounds every factor; the clamps keep an unvalidated
	// input from overflowing.
	per, weeks = min(per, 80), min(weeks, 104)
	hundredths := int64(math.Floor(per*100 + 1e-9))
	v := int64(min(h.Rate, MaxAmount)) * hundredths * int64(weeks) / 100
	if v > int64(MaxAmount) {
		return MaxAmount
	}
	return Cents(v)
}

// basisPoints returns v x bp / 10,000 rounded down, without overflow for
// amounts up to [MaxAmount].
func basisPoints(v Cents, bp int) Cents { return Cents(int64(v) * int64(bp) / 10_000) }

// QuoteFor computes what the cycle would pay for an application with no
// shortage of money, in this order:
//
//  1. the cost of each covered category: the amount requested, or for an
//     hourly item ([Cycle.Hourly]) the rate times the hours a week and
//     weeks in [Application.Hours] within the item's bounds (an amount
//     requested for an hourly category is not used);
//  2. the scholarship's part of a shared cost ([Cycle.Shares]);
//  3. each category's cap ([Cycle.Caps]), when it has one;
//  4. each combined cap ([Cycle.CombinedCaps]);
//  5. the per-applicant cap, then what the lifetime cap leaves.
//
// A cap that binds in steps 4 and 5 cuts categories in the cycle's cut
// order ([Cycle.CutOrder]).
func QuoteFor(c Cycle, a Application) Quote { return quoteFor(c, &a, c.cutOrder()) }

// quoteFor is [QuoteFor] with the cycle's cut order made once by the caller.
func quoteFor(c Cycle, a *Application, order []Category) Quote {
	q := Quote{Cost: map[Category]Cents{}, ByCategory: map[Category]Cents{}}
	var shared map[Party]Cents
	for _, cat := range categories {
		var cost Cents
		if h, ok := c.hourly(cat); ok {
			cost = hourlyCost(h, a.Hours[cat])
		} else if _, ok := c.Caps[cat]; ok {
			cost = max(0, a.Requested[cat])
		}
		if cost <= 0 {
			continue
		}
		q.Cost[cat] = cost
		pay := cost
		if s, ok := c.share(cat); ok {
			if shared == nil {
				shared = map[Party]Cents{}
			}
			r, e := basisPoints(cost, s.Recipient), basisPoints(cost, s.Employer)
			shared[PartyRecipient] += r
			shared[PartyEmployer] += e
			pay = cost - r - e
		}
		if limit, ok := c.Caps[cat]; ok {
			pay = min(pay, limit)
		}
		q.ByCategory[cat] = pay
	}
	for _, cc := range c.CombinedCaps {
		var sum Cents
		for _, cat := range cc.Categories {
			sum += q.ByCategory[cat]
		}
		if sum > cc.Cap {
			cutIn(q.ByCategory, order, cc.Categories, sum-cc.Cap)
		}
	}
	total := sumCents(q.ByCategory)
	limit := total
	if c.PerApplicantCap > 0 {
		limit = min(limit, c.PerApplicantCap)
	}
	if c.LifetimeCap > 0 {
		limit = min(limit, max(0, c.LifetimeCap-a.PriorAwards))
	}
	cutIn(q.ByCategory, order, nil, total-limit)
	q.Amount = limit
	q.finish(c, shared)
	return q
}

// finish drops empty categories and sets the shares and the uncovered
// cost from the payments.
func (q *Quote) finish(c Cycle, shared map[Party]Cents) {
	var paidShared, others Cents
	for cat, v := range q.ByCategory {
		if v == 0 {
			delete(q.ByCategory, cat)
		}
		if _, ok := c.share(cat); ok {
			paidShared += v
		}
	}
	if shared != nil {
		shared[PartyScholarship] = paidShared
		q.Shares = shared
		others = shared[PartyRecipient] + shared[PartyEmployer]
	}
	var cost Cents
	for _, v := range q.Cost {
		cost += v
	}
	q.Uncovered = max(0, cost-others-q.Amount)
}

// cutIn takes amount off the categories in order (only those in within,
// when within is not nil).
func cutIn(by map[Category]Cents, order, within []Category, amount Cents) {
	for _, cat := range order {
		if amount <= 0 {
			return
		}
		if within != nil && !slices.Contains(within, cat) {
			continue
		}
		cut := min(by[cat], amount)
		by[cat] -= cut
		amount -= cut
	}
}

func sumCents(m map[Category]Cents) Cents {
	var s Cents
	for _, v := range m {
		s += v
	}
	return s
}

// byPayee sums a split by who is paid.
func byPayee(c Cycle, by map[Category]Cents) map[Payee]Cents {
	out := map[Payee]Cents{}
	for cat, v := range by {
		if v > 0 {
			out[c.PayeeOf(cat)] += v
		}
	}
	return out
}

// validateCosts reports problems with the cycle's cost model.
func (c Cycle) validateCosts(p *bsk.Problems) {
	for i, cc := range c.CombinedCaps {
		f := bsk.Index("combined_caps", i)
		if len(cc.Categories) < 2 {
			p.Add(bsk.JoinField(f, "categories"), "a combined cap needs at least two categories")
		}
		checkCategories(p, bsk.JoinField(f, "categories"), cc.Categories)
		checkAmount(p, bsk.JoinField(f, "cap"), cc.Cap)
	}
	seen := map[Category]bool{}
	for i, h := range c.Hourly {
		f := bsk.Index("hourly", i)
		if !h.Category.Valid() {
			p.Add(bsk.JoinField(f, "category"), "unknown category %q", h.Category)
		} else if seen[h.Category] {
			p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "category"), "category %q is already paid by the hour", h.Category)
		}
		seen[h.Category] = true
		checkAmount(p, bsk.JoinField(f, "rate"), h.Rate)
		if !(h.MaxHoursPerWeek >= 0 && h.MaxHoursPerWeek <= 80) {
			p.Add(bsk.JoinField(f, "max_hours_per_week"), "%v is outside 0 to 80", h.MaxHoursPerWeek)
		}
		if h.MaxWeeks < 0 || h.MaxWeeks > 104 {
			p.Add(bsk.JoinField(f, "max_weeks"), "%d is outside 0 to 104", h.MaxWeeks)
		}
		if h.Payee != "" && !h.Payee.Valid() {
			p.Add(bsk.JoinField(f, "payee"), "unknown payee %q", h.Payee)
		}
	}
	inShare := map[Category]int{}
	for i, s := range c.Shares {
		f := bsk.Index("shares", i)
		if len(s.Categories) == 0 {
			p.Add(bsk.JoinField(f, "categories"), "at least one category is required")
		}
		checkCategories(p, bsk.JoinField(f, "categories"), s.Categories)
		for _, cat := range s.Categories {
			if j, dup := inShare[cat]; dup && j != i {
				p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "categories"), "category %q is already shared (shares[%d])", cat, j)
			}
			inShare[cat] = i
		}
		for _, v := range []struct {
			name string
			bp   int
		}{{"scholarship", s.Scholarship}, {"recipient", s.Recipient}, {"employer", s.Employer}} {
			if v.bp < 0 || v.bp > 10_000 {
				p.Add(bsk.JoinField(f, v.name), "%d basis points is outside 0 to 10000", v.bp)
			}
		}
		if s.Scholarship+s.Recipient+s.Employer != 10_000 {
			p.Add(f, "the parts add up to %d basis points, not 10000", s.Scholarship+s.Recipient+s.Employer)
		}
	}
	checkCategories(p, "cut_order", c.CutOrder)
	for _, cat := range sortedCategories(c.Payees) {
		if !cat.Valid() {
			p.Add("payees."+string(cat), "unknown category %q", cat)
		}
		if pe := c.Payees[cat]; !pe.Valid() {
			p.Add("payees."+string(cat), "unknown payee %q", pe)
		}
	}
}

// checkCategories reports unknown and repeated categories in a list.
func checkCategories(p *bsk.Problems, field string, cats []Category) {
	for i, cat := range cats {
		if !cat.Valid() {
			p.Add(bsk.Index(field, i), "unknown category %q", cat)
		} else if slices.Index(cats, cat) < i {
			p.AddCode(bsk.CodeConflict, bsk.Index(field, i), "category %q is listed twice", cat)
		}
	}
}
