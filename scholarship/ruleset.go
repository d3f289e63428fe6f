package scholarship

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/beststarts/workforce/bsk"
)

// Verdict is a rule set's judgment of one subject: the outcome and every
// reason every rule gave.
type Verdict struct {
	// Outcome is the worst outcome among the reasons, or eligible.
	Outcome Outcome `json:"outcome"`
	// Reasons lists every finding, in rule order.
	Reasons []Reason `json:"reasons"`
}

// RuleSet evaluates every rule on every subject: it never stops at the
// first failing rule, so an applicant hears every reason at once.
type RuleSet[T any] struct {
	// Rules are evaluated in order.
	Rules []Rule[T]
	// OnFailure, when set, receives the full error of each rule that
	// failed (and, in [RunCycle], of a rubric criterion that failed), for
	// the log and the administrators. The reasons subjects get say only
	// which rule failed and the error's code: an error's text may name
	// other subjects of the batch, files or checksums, and reasons are
	// shown to applicants and their agencies.
	OnFailure func(rule RuleInfo, err error)
}

func (s RuleSet[T]) failed(info RuleInfo, err error) {
	if s.OnFailure != nil {
		s.OnFailure(info, err)
	}
}

// Info returns the name and version of each rule, in order. A rule without
// [Describer] is named "rule[i]".
func (s RuleSet[T]) Info() []RuleInfo {
	out := make([]RuleInfo, len(s.Rules))
	for i, r := range s.Rules {
		out[i] = describe(r, i)
	}
	return out
}

func describe[T any](r Rule[T], i int) RuleInfo {
	if d, ok := r.(Describer); ok {
		return d.Describe()
	}
	return RuleInfo{Name: "rule[" + strconv.Itoa(i) + "]", Version: "unknown"}
}

// Evaluate judges the batch with every rule. A rule that fails (returns an
// error, panics, returns the wrong number of results, or a reason without a
// code) does not stop the others: every subject of the batch gets a
// needs-review reason [CodeRuleFailed] whose parameters name the rule and
// the error's code ([bsk.ErrorCode]), never its text, which goes to
// OnFailure; the other rules' findings stand.
func (s RuleSet[T]) Evaluate(ctx context.Context, batch []T) []Verdict {
	// Every rule's findings are gathered first, so each verdict's reasons
	// are allocated once at their final size.
	results := make([][][]Reason, len(s.Rules))
	infos := make([]RuleInfo, len(s.Rules))
	failures := make([]*Reason, len(s.Rules))
	counts := make([]int, len(batch))
	for i, r := range s.Rules {
		info := describe(r, i)
		infos[i] = info
		res, err := safeCheck(ctx, r, batch)
		if err == nil && len(res) != len(batch) {
			err = fmt.Errorf("returned %d results for %d subjects", len(res), len(batch))
		}
		if err == nil {
			err = checkReasons(res)
		}
		if err != nil {
			s.failed(info, err)
			failures[i] = &Reason{
				Code: CodeRuleFailed, Outcome: NeedsReview, Rule: info.Name, Version: info.Version,
				Params: map[string]string{"rule": info.Name, "code": string(bsk.ErrorCode(err))},
			}
			for k := range counts {
				counts[k]++
			}
			continue
		}
		results[i] = res
		for k, reasons := range res {
			counts[k] += len(reasons)
		}
	}
	// Every verdict's reasons share one array, each verdict a full slice
	// of its own part (an append to one never writes into the next).
	total := 0
	for _, n := range counts {
		total += n
	}
	all := make([]Reason, total)
	out := make([]Verdict, len(batch))
	for k := range out {
		out[k] = Verdict{Outcome: Eligible, Reasons: all[0:0:counts[k]]}
		all = all[counts[k]:]
	}
	for i := range s.Rules {
		if f := failures[i]; f != nil {
			for k := range out {
				r := *f
				r.Params = maps.Clone(f.Params) // each subject owns its reason
				out[k].add(r)
			}
			continue
		}
		for k, reasons := range results[i] {
			for _, rs := range reasons {
				if rs.Rule == "" {
					rs.Rule, rs.Version = infos[i].Name, infos[i].Version
				}
				out[k].add(rs)
			}
		}
	}
	return out
}

func (v *Verdict) add(r Reason) {
	v.Reasons = append(v.Reasons, r)
	v.Outcome = Worse(v.Outcome, r.Outcome)
}

func checkReasons(res [][]Reason) error {
	for i, rs := range res {
		for _, r := range rs {
			if err := r.Validate(); err != nil {
				return fmt.Errorf("subject %d: %w", i, err)
			}
		}
	}
	return nil
}

// safeCheck calls the rule and turns a panic into an error.
func safeCheck[T any](ctx context.Context, r Rule[T], batch []T) (res [][]Reason, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	res, err = r.Check(ctx, slices.Clip(batch))
	return res, err
}
