package cel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/interpreter"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// RuleFailed is the code of the needs-review reason a rule gives a
// subject it failed to judge (an expression exceeded its cost limit or
// failed, e.g. on a missing map key); the same code
// [scholarship.RuleSet] gives when a whole rule fails.
const RuleFailed = scholarship.CodeRuleFailed

// Rule is a compiled eligibility rule file. It satisfies
// [scholarship.Rule] and [scholarship.Describer]: a rule set cannot tell it
// from a built-in rule or a plug-in's. It is safe for concurrent use.
//
// Check judges each application with each check in order. A failure on one
// application (an expression over its cost limit, a missing key, a
// division by zero) costs only that application: it gets a needs-review
// [RuleFailed] reason naming the rule and the error's code, and the error
// goes to OnError. A call past its timeout, or whose context ends, is
// Check's error.
type Rule struct {
	c *compiled
	// OnError, when set, receives the full error of each application the
	// rule failed to judge, with the application's ID; reasons carry only
	// the error's code.
	OnError func(applicationID string, err error)
}

var _ interface {
	scholarship.Rule[scholarship.Application]
	scholarship.Describer
} = (*Rule)(nil)

// Compile compiles an eligibility rule file (see [File]). Every problem
// is reported at once, as [bsk.Errors] of [bsk.CodeInvalid]: each names
// the file's field (e.g. "checks[0].require") and the rule, with the line
// and column in the file of the problem (for an expression, of the place
// in it CEL points at).
func Compile(data []byte, opts Options) (*Rule, error) {
	c, err := compileFile(data, Eligibility, opts)
	if err != nil {
		return nil, err
	}
	return &Rule{c: c}, nil
}

// Load reads and compiles the eligibility rule file at path. A missing
// file is [bsk.CodeNotFound].
func Load(path string, opts Options) (*Rule, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	r, err := Compile(data, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, bsk.NotFoundf("", "no rule file %s", path)
	}
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "reading %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "reading %s: %w", path, err)
	}
	return data, nil
}

// Describe returns the rule's name, version and description.
func (r *Rule) Describe() scholarship.RuleInfo { return r.c.info }

// Texts returns the texts of each reason code the rule gives, by
// language, with {param} placeholders.
func (r *Rule) Texts() map[string]map[string]string { return cloneTexts(r.c.texts) }

// Text renders a reason of this rule in language lang, falling back to
// English; a code the rule does not give renders as "".
func (r *Rule) Text(reason scholarship.Reason, lang string) string {
	return r.c.text(reason.Code, lang, reason.Params)
}

func (c *compiled) text(code, lang string, params map[string]string) string {
	t := c.texts[code]
	if s, ok := t[lang]; ok {
		return render(s, params)
	}
	return render(t["en"], params)
}

func cloneTexts(m map[string]map[string]string) map[string]map[string]string {
	out := make(map[string]map[string]string, len(m))
	for code, t := range m {
		c := make(map[string]string, len(t))
		for k, v := range t {
			c[k] = v
		}
		out[code] = c
	}
	return out
}

// appActivation resolves the variables of one application, each once.
type appActivation struct {
	a    *scholarship.Application
	item ref.Val
	vals []ref.Val // by index in appVars; nil until resolved
}

// reset points the activation at the next application.
func (v *appActivation) reset(a *scholarship.Application) {
	v.a, v.item = a, nil
	clear(v.vals)
}

func (v *appActivation) ResolveName(name string) (any, bool) {
	if name == "item" && v.item != nil {
		return v.item, true
	}
	i, ok := appIndex[name]
	if !ok {
		return nil, false
	}
	if v.vals[i] == nil {
		v.vals[i] = appVars[i].get(v.a)
	}
	return v.vals[i], true
}

func (v *appActivation) Parent() interpreter.Activation { return nil }

// Check judges the batch; see [Rule].
func (r *Rule) Check(ctx context.Context, batch []scholarship.Application) ([][]scholarship.Reason, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.opts.timeout())
	defer cancel()
	out := make([][]scholarship.Reason, len(batch))
	act := &appActivation{vals: make([]ref.Val, len(appVars))}
	for i := range batch {
		if ctx.Err() != nil {
			return nil, r.c.stopped(ctx)
		}
		act.reset(&batch[i])
		rs, err := r.c.judge(&run{ctx: ctx, act: act, limit: r.c.opts.costLimit(), small: smallApplication(&batch[i])}, func(a ref.Val) { act.item = a })
		if err != nil {
			if ctx.Err() != nil {
				return nil, r.c.stopped(ctx)
			}
			if r.OnError != nil {
				r.OnError(batch[i].ID, err)
			}
			rs = []scholarship.Reason{r.c.failed(err)}
		}
		out[i] = rs
	}
	return out, nil
}

// smallApplication reports whether no list or map variable of a has more
// than smallList elements.
func smallApplication(a *scholarship.Application) bool {
	return len(a.Applicant.Languages) <= smallList && len(a.Documents) <= smallList &&
		len(a.Requested) <= smallList && len(a.Applicant.Demographics.Race) <= smallList
}

// stopped is the error of a call whose context ended.
func (c *compiled) stopped(ctx context.Context) error {
	return bsk.Errorf(bsk.CodeInternal, "rule %q stopped: %w", c.info.Name, context.Cause(ctx))
}

func (c *compiled) failed(err error) scholarship.Reason {
	return scholarship.Reason{Code: RuleFailed, Outcome: scholarship.NeedsReview, Rule: c.info.Name, Version: c.info.Version,
		Params: map[string]string{"rule": c.info.Name, "code": string(bsk.ErrorCode(err))}}
}

// judge runs every check on one subject; setItem binds item in the
// activation for a for_each check.
func (c *compiled) judge(r *run, setItem func(ref.Val)) ([]scholarship.Reason, error) {
	var out []scholarship.Reason
	for k := range c.checks {
		ch := &c.checks[k]
		if ch.forEach == nil {
			setItem(nil)
			rs, ok, err := c.one(r, ch, k)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, rs)
			}
			continue
		}
		list, err := ch.forEach.eval(r)
		if err != nil {
			return nil, checkError(k, "for_each", err)
		}
		l, ok := list.(traits.Lister)
		if !ok {
			return nil, checkError(k, "for_each", fmt.Errorf("gave %s, not a list", list.Type().TypeName()))
		}
		it := l.Iterator()
		for it.HasNext() == types.True {
			setItem(it.Next())
			rs, ok, err := c.one(r, ch, k)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, rs)
			}
		}
		setItem(nil)
	}
	return out, nil
}

// one evaluates a check's condition and, when it gives a reason, the
// reason.
func (c *compiled) one(r *run, ch *check, k int) (scholarship.Reason, bool, error) {
	v, err := ch.cond.eval(r)
	if err != nil {
		return scholarship.Reason{}, false, checkError(k, "condition", err)
	}
	b, isBool := v.(types.Bool)
	if !isBool {
		return scholarship.Reason{}, false, checkError(k, "condition", fmt.Errorf("gave %s, not true or false", v.Type().TypeName()))
	}
	if bool(b) != ch.negate {
		rs := scholarship.Reason{Code: ch.code, Field: ch.field, Outcome: ch.outcome, Rule: c.info.Name, Version: c.info.Version}
		if ch.fieldExpr != nil {
			f, err := ch.fieldExpr.eval(r)
			if err != nil {
				return rs, false, checkError(k, "field_expr", err)
			}
			fs, isText := f.(types.String)
			if !isText {
				return rs, false, checkError(k, "field_expr", fmt.Errorf("gave %s, not a text", f.Type().TypeName()))
			}
			rs.Field = string(fs)
		}
		if len(ch.params) > 0 {
			rs.Params = make(map[string]string, len(ch.params))
			for _, p := range ch.params {
				pv, err := p.e.eval(r)
				if err == nil {
					rs.Params[p.name], err = text(pv)
				}
				if err != nil {
					return rs, false, checkError(k, "params."+p.name, err)
				}
			}
		}
		return rs, true, nil
	}
	return scholarship.Reason{}, false, nil
}

func checkError(k int, what string, err error) error {
	return &bsk.Error{Code: bsk.CodeInternal, Field: bsk.JoinField(bsk.Index("checks", k), what), Message: err.Error(), Err: err}
}

// run is the evaluation of a rule's checks on one subject: the cost
// spent on it so far, and its limit.
type run struct {
	ctx          context.Context
	act          interpreter.Activation
	spent, limit uint64
	// small: no list or map variable of the subject has more than
	// smallList elements.
	small bool
}

// eval evaluates the expression on the run's subject and adds its cost to
// the run's. An expression bounded before it runs costs its estimate; any
// other is tracked, and stopped past the cost limit or when the context
// ends. A run whose cost passes the limit fails.
func (e *expr) eval(r *run) (ref.Val, error) {
	var v ref.Val
	var err error
	switch {
	case e.bounded:
		v, _, err = e.prg.Eval(r.act)
		r.spent += e.cost
	case e.small != nil && r.small:
		v, _, err = e.small.Eval(r.act)
		r.spent += e.smallCost
	default:
		var det *cel.EvalDetails
		v, det, err = e.prg.ContextEval(r.ctx, r.act)
		if det != nil && det.ActualCost() != nil {
			r.spent += *det.ActualCost()
		}
	}
	if err != nil {
		return nil, err
	}
	if r.spent > r.limit {
		return nil, fmt.Errorf("the evaluations cost %d, more than the limit %d", r.spent, r.limit)
	}
	return v, nil
}

// text writes a param's value: a text as it is, numbers in decimal
// without exponent (as strconv's 'f' format with the fewest digits).
func text(v ref.Val) (string, error) {
	switch x := v.(type) {
	case types.String:
		return string(x), nil
	case types.Int:
		return strconv.FormatInt(int64(x), 10), nil
	case types.Uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case types.Double:
		return strconv.FormatFloat(float64(x), 'f', -1, 64), nil
	case types.Bool:
		return strconv.FormatBool(bool(x)), nil
	}
	return "", fmt.Errorf("the value is a %s, not a text, a number or true/false", v.Type().TypeName())
}
