package cel

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Options bound what a compiled rule may cost and read. The zero value
// works.
type Options struct {
	// CostLimit bounds the cost of one evaluation of one expression, in
	// CEL's cost units (about one per operation or element visited);
	// 0 means [DefaultCostLimit]. An expression that exceeds it fails on
	// that subject.
	CostLimit uint64
	// Timeout bounds one call of Check or Amend; 0 means [DefaultTimeout].
	Timeout time.Duration
	// Demographics allows an eligibility rule to read the applicant's
	// self-reported demographics (the [Variable]s marked Demographic).
	// Off, a rule that declares one does not compile.
	Demographics bool
}

// The default limits.
const (
	DefaultCostLimit = 100_000
	DefaultTimeout   = 10 * time.Second
	// MaxExpression is the longest expression, in code points.
	MaxExpression = 4096
	// MaxChecks is the most checks a file may hold.
	MaxChecks = 100
	// MaxRange is the longest list lists.range may make.
	MaxRange = 1000
)

func (o Options) costLimit() uint64 {
	if o.CostLimit == 0 {
		return DefaultCostLimit
	}
	return o.CostLimit
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// expr is one compiled expression.
type expr struct {
	prg     cel.Program
	out     *cel.Type
	bounded bool   // its cost is at most boundedCost, whatever the input
	cost    uint64 // when bounded, the most it costs, at least 1
	// small, when set, is the program without the tracker for a small
	// subject (no list or map variable over smallList elements), whose
	// cost is then at most smallCost.
	small     cel.Program
	smallCost uint64
}

// boundedCost is the largest estimated cost of an expression evaluated
// without cost tracking and context checks.
const boundedCost = 1000

// noSizes estimates nothing: a list or map of the input has unknown size.
type noSizes struct{}

// smallList is the most elements a list or map variable may have for a
// subject to be small (see [smallInputs]).
const smallList = 32

// smallInputs estimates each list or map variable of the input to have at
// most smallList elements. The item of a for_each is not of the input: it
// keeps an unknown size.
type smallInputs struct{ noSizes }

func (smallInputs) EstimateSize(n checker.AstNode) *checker.SizeEstimate {
	if p := n.Path(); len(p) == 1 && p[0] != "item" {
		switch n.Type().Kind() {
		case types.ListKind, types.MapKind:
			return &checker.SizeEstimate{Min: 0, Max: smallList}
		}
	}
	return nil
}

func (noSizes) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }

func (noSizes) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

type param struct {
	name string
	e    *expr
}

// check is a compiled [Check].
type check struct {
	forEach, cond, fieldExpr, with *expr
	negate                         bool // Require: a reason when false
	outcome                        scholarship.Outcome
	action                         Action
	code, field                    string
	params                         []param
}

// compiled is a compiled rule file of either kind.
type compiled struct {
	info   scholarship.RuleInfo
	checks []check
	texts  map[string]map[string]string // code -> language -> template
	opts   Options
}

var (
	identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,63}$`)
	langRE  = regexp.MustCompile(`^[a-z]{2,3}$`)
	holeRE  = regexp.MustCompile(`\{([^{}]*)\}`)
)

// compiler holds what compiling one file needs.
type compiler struct {
	src  *source
	kind Kind
	opts Options
	env  *cel.Env
	p    bsk.Problems
	name string
}

// addAt records a problem at a file field, with the file's line and
// column of the node (or of a place inside it).
func (c *compiler) addAt(field string, path []any, line, col int, format string, args ...any) {
	l, k := c.src.position(c.src.node(path...), line, col)
	where := c.name
	if l > 0 {
		where += fmt.Sprintf(", line %d, column %d", l, k)
	}
	c.p.Add(field, "%s: %s", where, fmt.Sprintf(format, args...))
}

// add records a problem at the start of the node at path.
func (c *compiler) add(field string, path []any, format string, args ...any) {
	where := c.name
	if n := c.src.node(path...); n != nil {
		where += fmt.Sprintf(", line %d, column %d", n.Line, n.Column)
	}
	c.p.Add(field, "%s: %s", where, fmt.Sprintf(format, args...))
}

func fieldOf(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

// compileFile parses and compiles a rule file of the given kind.
func compileFile(data []byte, kind Kind, opts Options) (*compiled, error) {
	src, err := parse(data)
	if err != nil {
		var e *bsk.Error
		if errors.As(err, &e) {
			return nil, bsk.Errors{e}
		}
		return nil, err
	}
	c := &compiler{src: src, kind: kind, opts: opts, name: "rule file"}
	f := src.File
	if f.Name != "" {
		c.name = fmt.Sprintf("rule %q", f.Name)
	}
	c.header()
	env := c.environment()
	out := &compiled{info: scholarship.RuleInfo{Name: f.Name, Version: f.Version, Description: f.Description},
		texts: map[string]map[string]string{}, opts: opts}
	if env != nil {
		c.env = env
		for i := range f.Checks {
			if ch, ok := c.check(i, out.texts); ok {
				out.checks = append(out.checks, ch)
			}
		}
	}
	if err := c.p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// header checks the name, version, kind and the number of checks.
func (c *compiler) header() {
	f := c.src.File
	if !identRE.MatchString(f.Name) {
		c.add("name", []any{"name"}, "the name %q must be lowercase letters, digits and _ (at most 64)", f.Name)
	}
	if strings.TrimSpace(f.Version) == "" {
		c.add("version", []any{"version"}, "a version is required")
	}
	kind := f.Kind
	if kind == "" {
		kind = Eligibility
	}
	if kind != c.kind {
		c.add("kind", []any{"kind"}, "the kind is %q; want %q", kind, c.kind)
	}
	switch {
	case len(f.Checks) == 0:
		c.add("checks", []any{"checks"}, "at least one check is required")
	case len(f.Checks) > MaxChecks:
		c.add("checks", []any{"checks"}, "%d checks, more than %d", len(f.Checks), MaxChecks)
	}
}

// environment declares the file's variables and settings.
func (c *compiler) environment() *cel.Env {
	f := c.src.File
	opts := []cel.EnvOption{
		ext.Lists(ext.ListsMaxRangeSize(MaxRange)), ext.Strings(),
		cel.ParserExpressionSizeLimit(MaxExpression), cel.ParserRecursionLimit(64),
		cel.CrossTypeNumericComparisons(true),
	}
	declared := map[string]bool{"item": true}
	for i, name := range f.Variables {
		path := []any{"variables", i}
		if declared[name] {
			c.add(fieldOf(path), path, "%q is declared twice or is reserved", name)
			continue
		}
		declared[name] = true
		v, ok := c.lookup(name)
		switch {
		case !ok:
			c.add(fieldOf(path), path, "unknown variable %q (see the package's list of variables)", name)
		case v.Demographic && !c.opts.Demographics:
			// Declared all the same, so that it is the one problem reported.
			c.add(fieldOf(path), path, "%q is a demographic, which this program's rules may not read", name)
			opts = append(opts, cel.Variable(name, v.typ))
		default:
			opts = append(opts, cel.Variable(name, v.typ))
		}
	}
	names := make([]string, 0, len(f.Settings))
	for n := range f.Settings {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		path := []any{"settings", n}
		if !identRE.MatchString(n) || declared[n] {
			c.add(fieldOf(path), path, "setting %q must be a new name of lowercase letters, digits and _", n)
			continue
		}
		if _, ok := c.lookup(n); ok {
			c.add(fieldOf(path), path, "setting %q has the name of a variable", n)
			continue
		}
		t, v, ok := setting(f.Settings[n])
		if !ok {
			c.add(fieldOf(path), path, "setting %q must be a number, a text, true or false, or a list of texts", n)
			continue
		}
		declared[n] = true
		opts = append(opts, cel.Constant(n, t, v))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		c.add("", nil, "declaring the variables: %v", err)
		return nil
	}
	return env
}

func (c *compiler) lookup(name string) (Variable, bool) {
	if c.kind == Grouping {
		v, ok := findVar(memberVars, func(v memberVar) string { return v.Name }, name)
		return v.Variable, ok
	}
	v, ok := findVar(appVars, func(v appVar) string { return v.Name }, name)
	return v.Variable, ok
}

// setting types a YAML value.
func setting(v any) (*cel.Type, ref.Val, bool) {
	switch x := v.(type) {
	case int:
		return cel.IntType, types.Int(x), true
	case float64:
		return cel.DoubleType, types.Double(x), true
	case string:
		return cel.StringType, types.String(x), true
	case bool:
		return cel.BoolType, types.Bool(x), true
	case []any:
		l := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, nil, false
			}
			l[i] = s
		}
		return listString, types.NewStringList(types.DefaultTypeAdapter, l), true
	}
	return nil, nil, false
}

// compile compiles the expression at path in env and checks its type
// with want (nil accepts any type).
func (c *compiler) compile(env *cel.Env, path []any, text string, want func(*cel.Type) bool, wantName string) *expr {
	field := fieldOf(path)
	if len(text) > MaxExpression {
		c.add(field, path, "the expression has %d bytes, more than %d", len(text), MaxExpression)
		return nil
	}
	ast, iss := env.Compile(text)
	if iss != nil && iss.Err() != nil {
		for _, e := range iss.Errors() {
			c.addAt(field, path, e.Location.Line(), e.Location.Column(), "%s", strings.TrimSuffix(e.Message, " (in container '')"))
		}
		return nil
	}
	if want != nil && !want(ast.OutputType()) {
		c.add(field, path, "the expression gives %s; want %s", ast.OutputType(), wantName)
		return nil
	}
	// An expression whose cost is bounded before it runs (no loop over
	// a list of unknown size) needs neither the cost tracker nor the
	// context: it is evaluated the fast way.
	est, err := env.EstimateCost(ast, noSizes{})
	bounded := err == nil && est.Max <= boundedCost && est.Max <= c.opts.costLimit()
	popts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	if !bounded {
		popts = append(popts, cel.CostLimit(c.opts.costLimit()), cel.InterruptCheckFrequency(64))
	}
	prg, err := env.Program(ast, popts...)
	if err != nil {
		c.add(field, path, "%v", err)
		return nil
	}
	e := &expr{prg: prg, out: ast.OutputType(), bounded: bounded, cost: max(1, est.Max)}
	if bounded {
		return e
	}
	// Bounded when the subject's lists and maps are small: a second
	// program for those subjects, again without the tracker.
	if est, err := env.EstimateCost(ast, smallInputs{}); err == nil && est.Max <= boundedCost && est.Max <= c.opts.costLimit() {
		if small, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize)); err == nil {
			e.small, e.smallCost = small, max(1, est.Max)
		}
	}
	return e
}

func isType(t *cel.Type) func(*cel.Type) bool {
	return func(o *cel.Type) bool { return o.IsExactType(t) }
}

func paramType(t *cel.Type) bool {
	for _, ok := range []*cel.Type{cel.StringType, cel.IntType, cel.UintType, cel.DoubleType, cel.BoolType, cel.DynType} {
		if t.IsExactType(ok) {
			return true
		}
	}
	return false
}

// check compiles checks[i], adding its texts to texts.
func (c *compiler) check(i int, texts map[string]map[string]string) (check, bool) {
	in := c.src.Checks[i]
	at := func(p ...any) []any { return append([]any{"checks", i}, p...) }
	before := c.p.Len()
	out := check{code: in.Code, field: in.Field, outcome: in.Outcome, action: in.Action}
	env := c.env
	if in.ForEach != "" {
		out.forEach = c.compile(env, at("for_each"), in.ForEach, func(t *cel.Type) bool { return t.Kind() == types.ListKind }, "a list")
		if out.forEach != nil {
			elem := cel.DynType
			if ps := out.forEach.out.Parameters(); len(ps) == 1 {
				elem = ps[0]
			}
			var err error
			if env, err = env.Extend(cel.Variable("item", elem)); err != nil {
				c.add(fieldOf(at("for_each")), at("for_each"), "%v", err)
				return out, false
			}
		}
	}
	switch {
	case (in.Require == "") == (in.When == ""):
		c.add(fieldOf(at()), at(), "give exactly one of require and when")
	case in.Require != "":
		out.cond, out.negate = c.compile(env, at("require"), in.Require, isType(cel.BoolType), "true or false"), true
	default:
		out.cond = c.compile(env, at("when"), in.When, isType(cel.BoolType), "true or false")
	}
	if in.Field != "" && in.FieldExpr != "" {
		c.add(fieldOf(at("field_expr")), at("field_expr"), "give at most one of field and field_expr")
	} else if in.FieldExpr != "" {
		out.fieldExpr = c.compile(env, at("field_expr"), in.FieldExpr, isType(cel.StringType), "a text")
	}
	needsReason := c.kindRules(in, &out, env, at)
	if needsReason || in.Code != "" || len(in.Params) > 0 || len(in.Text) > 0 {
		c.reason(in, &out, env, at, texts, needsReason)
	}
	return out, c.p.Len() == before
}

// kindRules checks the keys of one kind of rule and reports whether the
// check gives a reason.
func (c *compiler) kindRules(in Check, out *check, env *cel.Env, at func(...any) []any) bool {
	if c.kind == Eligibility {
		if !in.Outcome.Valid() {
			c.add(fieldOf(at("outcome")), at("outcome"), "the outcome %q must be ineligible, needs_review or eligible", in.Outcome)
		}
		if in.Action != "" || in.With != "" {
			c.add(fieldOf(at("action")), at("action"), "action and with belong to grouping rules")
		}
		return true
	}
	if in.Outcome != "" {
		c.add(fieldOf(at("outcome")), at("outcome"), "outcome belongs to eligibility rules")
	}
	switch in.Action {
	case "", Exclude:
		out.action = Exclude
		if in.With != "" {
			c.add(fieldOf(at("with")), at("with"), "with belongs to cannot_link and must_link")
		}
		return true
	case CannotLink, MustLink:
		if in.With == "" {
			c.add(fieldOf(at("with")), at("with"), "%s needs with, the other member's ID", in.Action)
		} else {
			out.with = c.compile(env, at("with"), in.With, isType(cel.StringType), "a member ID (a text)")
		}
		if in.Code != "" || len(in.Params) > 0 || len(in.Text) > 0 || in.Field != "" || in.FieldExpr != "" {
			c.add(fieldOf(at("code")), at("code"), "%s gives no reason: code, field, params and text belong to exclude", in.Action)
		}
		return false
	}
	c.add(fieldOf(at("action")), at("action"), "the action %q must be exclude, cannot_link or must_link", in.Action)
	return false
}

// reason compiles a check's code, params and texts.
func (c *compiler) reason(in Check, out *check, env *cel.Env, at func(...any) []any, texts map[string]map[string]string, needed bool) {
	if !identRE.MatchString(in.Code) {
		c.add(fieldOf(at("code")), at("code"), "the code %q must be lowercase letters, digits and _", in.Code)
	}
	names := make([]string, 0, len(in.Params))
	for n := range in.Params {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		path := at("params", n)
		if !identRE.MatchString(n) {
			c.add(fieldOf(path), path, "the param name %q must be lowercase letters, digits and _", n)
			continue
		}
		if e := c.compile(env, path, in.Params[n], paramType, "a text, a number or true/false"); e != nil {
			out.params = append(out.params, param{n, e})
		}
	}
	if in.Text["en"] == "" {
		c.add(fieldOf(at("text")), at("text"), "an English text (en) is required")
	}
	langs := make([]string, 0, len(in.Text))
	for l := range in.Text {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		path := at("text", l)
		if !langRE.MatchString(l) {
			c.add(fieldOf(path), path, "%q is not a language code such as en or es", l)
		}
		for _, m := range holeRE.FindAllStringSubmatch(in.Text[l], -1) {
			if _, ok := in.Params[m[1]]; !ok {
				c.add(fieldOf(path), path, "the text names {%s}, which is not one of the params", m[1])
			}
		}
	}
	if old, ok := texts[in.Code]; ok && !mapsEqual(old, in.Text) {
		c.add(fieldOf(at("text")), at("text"), "the code %q has another text in an earlier check", in.Code)
		return
	}
	texts[in.Code] = in.Text
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// render fills a template's {param} placeholders.
func render(tmpl string, params map[string]string) string {
	return holeRE.ReplaceAllStringFunc(tmpl, func(h string) string {
		if v, ok := params[h[1:len(h)-1]]; ok {
			return v
		}
		return h
	})
}
