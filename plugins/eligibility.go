package plugins

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// CheckInput is the JSON input of an eligibility call: a batch of subjects
// (applications), each in the JSON form of the rule's subject type.
type CheckInput[T any] struct {
	Subjects []T `json:"subjects"`
}

// CheckOutput is the JSON output of an eligibility call: one result per
// subject, in the batch's order.
type CheckOutput struct {
	Results []CheckResult `json:"results"`
}

// CheckResult is a rule's finding on one subject: its reasons (none when
// the rule found nothing against it), or the error that kept the rule from
// judging it.
type CheckResult struct {
	Reasons []scholarship.Reason `json:"reasons"`
	Error   *bsk.Error           `json:"error,omitempty"`
}

// RuleFailed is the code of the needs-review reason a plug-in rule gives a
// subject it failed to judge; the same code [scholarship.RuleSet] gives
// when a whole rule fails.
const RuleFailed = "rule_failed"

// Rule is an eligibility rule served by a plug-in. It satisfies
// [scholarship.Rule] and [scholarship.Describer], so a rule set cannot tell
// it from an in-process rule. Check sends the batch in calls of BatchSize
// subjects, two calls at a time.
//
// A failure of a whole call (a crash, a hang, a malformed answer, a coded
// error of the plug-in) is Check's error, an [*Error] naming the plug-in,
// the rule and the batch's first subjects; a rule set makes each subject
// of the batch need review. A failure on one subject (the rule panicked on
// it, or gave a reason with no code or an unknown outcome) costs only that
// subject: it gets a needs-review [RuleFailed] reason whose parameters name
// the rule, the plug-in and the error's code; the error itself, naming the
// subject, is logged. Reasons never carry an error's text: the plug-in
// wrote it, it may speak of other subjects of the batch, and reasons are
// shown to applicants and their agencies.
type Rule[T any] struct {
	c     *Client
	info  scholarship.RuleInfo
	texts scholarship.Texts
	id    func(T) string
	// BatchSize is the number of subjects per call; 0 means 1000.
	BatchSize int
}

var _ interface {
	scholarship.Rule[struct{}]
	scholarship.Describer
} = (*Rule[struct{}])(nil)

// NewRule returns the plug-in's eligibility rule named name, judging
// subjects of type T (which must marshal to the JSON the plug-in expects).
// id names a subject in errors; nil names it by its position in the batch.
// A rule the plug-in does not provide is [bsk.CodeNotFound].
func NewRule[T any](c *Client, name string, id func(T) string) (*Rule[T], error) {
	for _, r := range c.Info().Rules {
		if r.Kind == KindEligibility && r.Name == name {
			return &Rule[T]{c: c, id: id, info: scholarship.RuleInfo{Name: name, Version: r.Version, Description: r.Description}, texts: r.ScholarshipTexts()}, nil
		}
	}
	return nil, &Error{Plugin: c.Name(), Kind: KindEligibility, Rule: name, Err: bsk.NotFoundf("rule", "the plugin provides no eligibility rule %q", name)}
}

// Texts returns the texts of the reason codes the rule declares (nil when
// it declares none), for rendering its reasons with
// [scholarship.Texts.Text].
func (r *Rule[T]) Texts() scholarship.Texts { return r.texts }

// Describe returns the rule's name, version and description as the
// plug-in reported them.
func (r *Rule[T]) Describe() scholarship.RuleInfo { return r.info }

// Check judges the batch; see [Rule].
func (r *Rule[T]) Check(ctx context.Context, batch []T) ([][]scholarship.Reason, error) {
	size := r.BatchSize
	if size <= 0 {
		size = 1000
	}
	out := make([][]scholarship.Reason, len(batch))
	err := inChunks(len(batch), size, func(start, end int) error {
		res, err := r.check(ctx, batch[start:end], start)
		copy(out[start:end], res)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// inChunks calls f on consecutive chunks of [0, n) of the given size, two
// at a time, so that the host encodes one chunk while the plug-in works on
// another; it returns the first chunk's error.
func inChunks(n, size int, f func(start, end int) error) error {
	var chunks [][2]int
	for start := 0; start < n; start += size {
		chunks = append(chunks, [2]int{start, min(start+size, n)})
	}
	errs := make([]error, len(chunks))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, ch := range chunks {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = f(ch[0], ch[1])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Rule[T]) ids(chunk []T, offset int) []string {
	ids := make([]string, len(chunk))
	for i, s := range chunk {
		if r.id != nil {
			ids[i] = r.id(s)
		} else {
			ids[i] = "#" + strconv.Itoa(offset+i)
		}
	}
	return ids
}

func (r *Rule[T]) check(ctx context.Context, chunk []T, offset int) ([][]scholarship.Reason, error) {
	ids := r.ids(chunk, offset)
	var res CheckOutput
	if err := r.c.Call(ctx, KindEligibility, r.info.Name, ids, CheckInput[T]{Subjects: chunk}, &res); err != nil {
		return nil, err
	}
	if len(res.Results) != len(chunk) {
		return nil, &Error{Plugin: r.c.Name(), Kind: KindEligibility, Rule: r.info.Name, Items: firstItems(ids),
			Err: bsk.Errorf(bsk.CodeInternal, "returned %d results for %d subjects", len(res.Results), len(chunk))}
	}
	out := make([][]scholarship.Reason, len(chunk))
	for i, x := range res.Results {
		err := x.Error
		if err == nil {
			for k := range x.Reasons {
				if x.Reasons[k].Rule == "" {
					x.Reasons[k].Rule, x.Reasons[k].Version = r.info.Name, r.info.Version
				}
				if verr := x.Reasons[k].Validate(); verr != nil {
					err = &bsk.Error{Code: bsk.CodeInternal, Field: bsk.Index("reasons", k), Message: verr.Error()}
					break
				}
				if _, ok := r.texts[x.Reasons[k].Code]; r.texts != nil && !ok {
					err = &bsk.Error{Code: bsk.CodeInternal, Field: bsk.Index("reasons", k) + ".code",
						Message: fmt.Sprintf("the rule gave the code %q, which it declares no text for", x.Reasons[k].Code)}
					break
				}
			}
		} else {
			err = fromWire(err)
		}
		if err != nil {
			pe := &Error{Plugin: r.c.Name(), Kind: KindEligibility, Rule: r.info.Name, Items: []string{ids[i]}, Err: err}
			r.c.log.Error().Err(pe).Msg("rule failed on one subject")
			out[i] = []scholarship.Reason{{
				Code: RuleFailed, Outcome: scholarship.NeedsReview, Rule: r.info.Name, Version: r.info.Version,
				Params: map[string]string{"rule": r.info.Name, "plugin": r.c.Name(), "code": string(err.Code)},
			}}
			continue
		}
		out[i] = x.Reasons
	}
	return out, nil
}

// Eligibility serves an eligibility rule from a plug-in (see [Serve]):
// subjects arrive as JSON of type T. info names the rule; when it is zero
// and r is a [scholarship.Describer], r describes itself. The reasons r
// returns are stamped with the rule's name and version when they have
// none. If r panics on a batch, the batch is judged again one subject at a
// time, so that only the subjects it panics on fail.
func Eligibility[T any](info scholarship.RuleInfo, r scholarship.Rule[T]) Handler {
	if d, ok := r.(scholarship.Describer); ok && info.Name == "" {
		info = d.Describe()
	}
	return Handler{
		Kind: KindEligibility, Rule: info.Name, Version: info.Version, Description: info.Description,
		Func: func(ctx context.Context, input json.RawMessage) (any, error) {
			var in CheckInput[T]
			if err := json.Unmarshal(input, &in); err != nil {
				return nil, bsk.Errorf(bsk.CodeInvalid, "decode subjects: %v", err)
			}
			res, err := safeCall(ctx, r.Check, in.Subjects)
			if err != nil && isPanic(err) {
				return checkOneByOne(ctx, info, r, in.Subjects), nil
			}
			if err != nil {
				return nil, err
			}
			if len(res) != len(in.Subjects) {
				return nil, bsk.Errorf(bsk.CodeInternal, "rule returned %d results for %d subjects", len(res), len(in.Subjects))
			}
			out := CheckOutput{Results: make([]CheckResult, len(res))}
			for i, rs := range res {
				out.Results[i].Reasons = stamp(info, rs)
			}
			return out, nil
		},
	}
}

func isPanic(err error) bool {
	e, ok := err.(*bsk.Error)
	return ok && e.Code == bsk.CodeInternal && len(e.Message) > 6 && e.Message[:6] == "panic:"
}

func checkOneByOne[T any](ctx context.Context, info scholarship.RuleInfo, r scholarship.Rule[T], subjects []T) CheckOutput {
	out := CheckOutput{Results: make([]CheckResult, len(subjects))}
	for i := range subjects {
		res, err := safeCall(ctx, r.Check, subjects[i:i+1:i+1])
		switch {
		case err != nil:
			out.Results[i].Error = wireError(err)
		case len(res) != 1:
			out.Results[i].Error = bsk.Errorf(bsk.CodeInternal, "rule returned %d results for 1 subject", len(res))
		default:
			out.Results[i].Reasons = stamp(info, res[0])
		}
	}
	return out
}

func stamp(info scholarship.RuleInfo, rs []scholarship.Reason) []scholarship.Reason {
	if rs == nil {
		return []scholarship.Reason{}
	}
	for k := range rs {
		if rs[k].Rule == "" {
			rs[k].Rule, rs[k].Version = info.Name, info.Version
		}
	}
	return rs
}

// String names the rule for logs.
func (r *Rule[T]) String() string { return fmt.Sprintf("plugin %q rule %q", r.c.Name(), r.info.Name) }
