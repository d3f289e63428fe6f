package scholarship

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Outcome is the result of judging one subject: an application, or anyone
// asking to join an offering.
type Outcome string

// The outcomes, from best to worst. A rule set's outcome is the worst of
// its reasons' outcomes; with no blocking reason it is eligible.
const (
	Eligible    Outcome = "eligible"
	NeedsReview Outcome = "needs_review"
	Ineligible  Outcome = "ineligible"
)

var outcomes = []Outcome{Eligible, NeedsReview, Ineligible}

// Valid reports whether o is a known outcome code.
func (o Outcome) Valid() bool { return slices.Contains(outcomes, o) }

// Enum lists every outcome code.
func (Outcome) Enum() []string {
	return []string{string(Eligible), string(NeedsReview), string(Ineligible)}
}

// rank is o's place in outcomes, -1 for an unknown outcome.
func (o Outcome) rank() int {
	switch o {
	case Eligible:
		return 0
	case NeedsReview:
		return 1
	case Ineligible:
		return 2
	}
	return -1
}

// Worse returns the worse of two outcomes.
func Worse(a, b Outcome) Outcome {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Reason explains one finding of a rule about one subject: a stable code
// with parameters, from which text is rendered in English or Spanish (see
// [Reason.Text]), the field it concerns, and the rule and version that
// found it. A reason whose Outcome is eligible is informational.
type Reason struct {
	// Code is the stable identifier of the finding, e.g. "experience_short".
	Code string `json:"code"`
	// Params are the values the text is rendered with, e.g. {"years": "1.5"}.
	Params map[string]string `json:"params,omitempty"`
	// Field is the path of the input the finding concerns, if any.
	Field string `json:"field,omitempty"`
	// Outcome is what the finding means for the subject.
	Outcome Outcome `json:"outcome"`
	// Rule names the rule that found it.
	Rule string `json:"rule"`
	// Version is the rule's version.
	Version string `json:"version"`
}

// Validate reports a reason without a code or with an unknown outcome.
func (r Reason) Validate() error {
	switch {
	case strings.TrimSpace(r.Code) == "":
		return fmt.Errorf("reason from rule %q has no code", r.Rule)
	case !r.Outcome.Valid():
		return fmt.Errorf("reason %q from rule %q has unknown outcome %q", r.Code, r.Rule, r.Outcome)
	}
	return nil
}

// Rule judges a batch of subjects in one call, so that an out-of-process
// rule pays its call cost once per batch. Check returns one list of reasons
// per subject, in the batch's order; an empty list means the rule found
// nothing against the subject. An error, a panic, or a result of the wrong
// length makes every subject of the batch need review, with a reason that
// names the rule (see [RuleSet.Evaluate]).
//
// The machinery is generic so that the same rules machinery serves
// scholarship applications ([Application]) and enrollment in offerings.
type Rule[T any] interface {
	Check(ctx context.Context, batch []T) ([][]Reason, error)
}

// RuleInfo describes a rule: its stable name, its version, and what it checks.
type RuleInfo struct {
	// Name is the rule's stable name, e.g. "king_county_agency".
	Name string `json:"name"`
	// Version changes whenever the rule's logic does.
	Version string `json:"version"`
	// Description says what the rule checks, in a sentence.
	Description string `json:"description,omitempty"`
}

// Describer is the optional ability of a rule to describe itself. Rules
// without it are named by their position in the rule set.
type Describer interface {
	Describe() RuleInfo
}

// RuleFunc adapts a plain function to [Rule].
type RuleFunc[T any] func(ctx context.Context, batch []T) ([][]Reason, error)

// Check calls f.
func (f RuleFunc[T]) Check(ctx context.Context, batch []T) ([][]Reason, error) { return f(ctx, batch) }

// Each builds a described rule from a function that judges one subject at a
// time. The rule stamps its name and version on every reason it returns.
func Each[T any](info RuleInfo, judge func(T) []Reason) Rule[T] {
	return &eachRule[T]{info, judge}
}

type eachRule[T any] struct {
	info  RuleInfo
	judge func(T) []Reason
}

func (r *eachRule[T]) Describe() RuleInfo { return r.info }

func (r *eachRule[T]) Check(ctx context.Context, batch []T) ([][]Reason, error) {
	out := make([][]Reason, len(batch))
	for i := range batch {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rs := r.judge(batch[i])
		for k := range rs {
			rs[k].Rule, rs[k].Version = r.info.Name, r.info.Version
		}
		out[i] = rs
	}
	return out, nil
}
