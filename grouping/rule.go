package grouping

import "context"

// Rule is an agency's own rule for a grouping problem. It is asked once per
// problem, with every member, and answers with data the solver then uses in
// process: the solver never calls a rule per move (an out-of-process rule
// costs about 0.2 ms a call).
type Rule interface {
	Amend(ctx context.Context, p *Problem) (Amendment, error)
}

// RuleFunc adapts a function to [Rule].
type RuleFunc func(ctx context.Context, p *Problem) (Amendment, error)

// Amend calls f.
func (f RuleFunc) Amend(ctx context.Context, p *Problem) (Amendment, error) { return f(ctx, p) }

// Amendment is what a rule adds to a problem: hard links, pair score
// adjustments, and members to leave out with a reason.
type Amendment struct {
	// MustLink pairs must share a group.
	MustLink []Pair `json:"must_link,omitempty"`
	// CannotLink pairs must not share a group.
	CannotLink []Pair `json:"cannot_link,omitempty"`
	// PairScores add to the objective when both members share a group.
	PairScores []PairScore `json:"pair_scores,omitempty"`
	// Exclude leaves members out, each with a reason.
	Exclude []Exclusion `json:"exclude,omitempty"`
}

// Apply asks each rule once and returns a copy of p with every amendment
// added. A failing rule is an error naming it; p is not changed. A rule
// that panics is a [bsk.CodeInternal] error naming it, whose cause is a
// [*PanicError]; the panic goes no further.
func Apply(ctx context.Context, p *Problem, rules map[string]Rule) (*Problem, error) {
	out := *p
	out.MustLink = append([]Pair(nil), p.MustLink...)
	out.CannotLink = append([]Pair(nil), p.CannotLink...)
	out.Pairs = append([]PairScore(nil), p.Pairs...)
	out.Exclude = append([]Exclusion(nil), p.Exclude...)
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		a, err := amend(ctx, rules[n], p)
		if err != nil {
			return nil, ruleError(n, err)
		}
		out.MustLink = append(out.MustLink, a.MustLink...)
		out.CannotLink = append(out.CannotLink, a.CannotLink...)
		out.Pairs = append(out.Pairs, a.PairScores...)
		out.Exclude = append(out.Exclude, a.Exclude...)
	}
	return &out, nil
}

// amend asks one rule for its amendment.
func amend(ctx context.Context, r Rule, p *Problem) (a Amendment, err error) {
	defer catch(&err, func() string { return "" })
	callForeign("the rule", func() { a, err = r.Amend(ctx, p) })
	return a, err
}
