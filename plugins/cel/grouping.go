package cel

import (
	"context"
	"fmt"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/interpreter"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// GroupingRule is a compiled grouping rule file: a [grouping.Rule] that
// runs its checks on each member of the problem, in member order, and
// adds an exclusion (with the check's reason), a cannot-link or a
// must-link pair ({a: with, b: the member}) for each check that holds. It
// is safe for concurrent use.
//
// Unlike an eligibility rule, a failure on one member fails the whole
// amendment (a grouping problem is solved whole): the error names the
// rule, the member and the check. A link whose with is not another member
// of the problem is such a failure.
type GroupingRule struct {
	c *compiled
}

var _ grouping.Rule = (*GroupingRule)(nil)

// CompileGrouping compiles a grouping rule file (kind: grouping); see
// [Compile] for the errors.
func CompileGrouping(data []byte, opts Options) (*GroupingRule, error) {
	c, err := compileFile(data, Grouping, opts)
	if err != nil {
		return nil, err
	}
	return &GroupingRule{c: c}, nil
}

// Info returns the rule's name, version and description.
func (r *GroupingRule) Info() (name, version, description string) {
	return r.c.info.Name, r.c.info.Version, r.c.info.Description
}

// Texts returns the texts of each exclusion code the rule gives, by
// language, with {param} placeholders.
func (r *GroupingRule) Texts() map[string]map[string]string { return cloneTexts(r.c.texts) }

// Text renders an exclusion reason of this rule in language lang, falling
// back to English; a code the rule does not give renders as "".
func (r *GroupingRule) Text(reason grouping.Reason, lang string) string {
	return r.c.text(reason.Code, lang, reason.Params)
}

// memberActivation resolves the variables of one member.
type memberActivation struct {
	m       *grouping.Member
	ids     map[grouping.MemberID]bool
	members ref.Val
	item    ref.Val
}

func (v *memberActivation) ResolveName(name string) (any, bool) {
	if name == "item" && v.item != nil {
		return v.item, true
	}
	for i := range memberVars {
		if memberVars[i].Name == name {
			return memberVars[i].get(v), true
		}
	}
	return nil, false
}

func (v *memberActivation) Parent() interpreter.Activation { return nil }

// Amend runs the checks on every member; see [GroupingRule].
func (r *GroupingRule) Amend(ctx context.Context, p *grouping.Problem) (grouping.Amendment, error) {
	ctx, cancel := context.WithTimeout(ctx, r.c.opts.timeout())
	defer cancel()
	ids := make(map[grouping.MemberID]bool, len(p.Members))
	names := make(map[string]bool, len(p.Members))
	for _, m := range p.Members {
		ids[m.ID], names[string(m.ID)] = true, true
	}
	act := &memberActivation{ids: ids, members: types.DefaultTypeAdapter.NativeToValue(names)}
	var a grouping.Amendment
	for i := range p.Members {
		if ctx.Err() != nil {
			return grouping.Amendment{}, r.c.stopped(ctx)
		}
		act.m, act.item = &p.Members[i], nil
		m := &p.Members[i]
		small := len(ids) <= smallList && len(m.Attrs) <= smallList && len(m.Sets) <= smallList && len(m.Nums) <= smallList
		if err := r.member(&run{ctx: ctx, act: act, limit: r.c.opts.costLimit(), small: small}, act, &a); err != nil {
			if ctx.Err() != nil {
				return grouping.Amendment{}, r.c.stopped(ctx)
			}
			return grouping.Amendment{}, bsk.Errorf(bsk.CodeInternal, "rule %q on member %q: %w", r.c.info.Name, p.Members[i].ID, err)
		}
	}
	return a, nil
}

// member runs every check on one member.
func (r *GroupingRule) member(rn *run, act *memberActivation, a *grouping.Amendment) error {
	id := act.m.ID
	for k := range r.c.checks {
		ch := &r.c.checks[k]
		items := []ref.Val{nil}
		if ch.forEach != nil {
			list, err := ch.forEach.eval(rn)
			if err != nil {
				return checkError(k, "for_each", err)
			}
			items = items[:0]
			l, ok := list.(traits.Lister)
			if !ok {
				return checkError(k, "for_each", fmt.Errorf("gave %s, not a list", list.Type().TypeName()))
			}
			for it := l.Iterator(); it.HasNext() == types.True; {
				items = append(items, it.Next())
			}
		}
		for _, item := range items {
			act.item = item
			rs, ok, err := r.c.one(rn, ch, k)
			if err != nil || !ok {
				act.item = nil
				if err != nil {
					return err
				}
				continue
			}
			switch ch.action {
			case Exclude:
				a.Exclude = append(a.Exclude, grouping.Exclusion{Member: id, Reason: grouping.Reason{Code: rs.Code, Params: rs.Params}})
			default:
				w, err := ch.with.eval(rn)
				if err != nil {
					return checkError(k, "with", err)
				}
				ws, ok := w.(types.String)
				if !ok {
					return checkError(k, "with", fmt.Errorf("gave %s, not a member ID", w.Type().TypeName()))
				}
				other := grouping.MemberID(ws)
				if other == id || !act.ids[other] {
					return fmt.Errorf("checks[%d].with: %q is not another member of the problem", k, other)
				}
				pair := grouping.Pair{A: other, B: id}
				if ch.action == CannotLink {
					a.CannotLink = append(a.CannotLink, pair)
				} else {
					a.MustLink = append(a.MustLink, pair)
				}
			}
		}
		act.item = nil
	}
	return nil
}
