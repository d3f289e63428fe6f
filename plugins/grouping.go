package plugins

import (
	"context"
	"encoding/json"
	"math"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// GroupingRule is a grouping rule served by a plug-in. It satisfies
// [grouping.Rule]: it is asked once per problem, with every member, and
// answers with must-link and cannot-link pairs, pair scores and
// exclusions, which the solver then uses in process.
//
// Amend checks the plug-in's answer before anyone relies on it: every
// member it names must be in the problem, every exclusion must have a
// reason code, every score must be finite. A failure is an [*Error] naming
// the plug-in and the rule: the plug-in's coded errors keep their code,
// and a crash, a hang, a malformed or inconsistent answer are
// [bsk.CodeInternal].
type GroupingRule struct {
	c    *Client
	name string
}

var _ grouping.Rule = (*GroupingRule)(nil)

// NewGroupingRule returns the plug-in's grouping rule named name; one the
// plug-in does not provide is [bsk.CodeNotFound].
func NewGroupingRule(c *Client, name string) (*GroupingRule, error) {
	for _, r := range c.Info().Rules {
		if r.Kind == KindGrouping && r.Name == name {
			return &GroupingRule{c: c, name: name}, nil
		}
	}
	return nil, &Error{Plugin: c.Name(), Kind: KindGrouping, Rule: name, Err: bsk.NotFoundf("rule", "the plugin provides no grouping rule %q", name)}
}

// Amend asks the plug-in once for its amendment to p; see [GroupingRule].
func (r *GroupingRule) Amend(ctx context.Context, p *grouping.Problem) (grouping.Amendment, error) {
	var a grouping.Amendment
	if err := r.c.Call(ctx, KindGrouping, r.name, nil, p, &a); err != nil {
		return grouping.Amendment{}, err
	}
	if err := checkAmendment(p, a); err != nil {
		return grouping.Amendment{}, &Error{Plugin: r.c.Name(), Kind: KindGrouping, Rule: r.name, Err: &bsk.Error{Code: bsk.CodeInternal, Message: "inconsistent amendment: " + strings.ReplaceAll(err.Error(), "\n", "; ")}}
	}
	return a, nil
}

// checkAmendment reports members unknown to p, exclusions without a
// reason code and scores that are not finite.
func checkAmendment(p *grouping.Problem, a grouping.Amendment) error {
	known := make(map[grouping.MemberID]bool, len(p.Members))
	for _, m := range p.Members {
		known[m.ID] = true
	}
	var pr bsk.Problems
	member := func(field string, id grouping.MemberID) {
		if !known[id] {
			pr.Add(field, "unknown member %q", id)
		}
	}
	for i, x := range a.MustLink {
		member(bsk.Index("must_link", i)+".a", x.A)
		member(bsk.Index("must_link", i)+".b", x.B)
	}
	for i, x := range a.CannotLink {
		member(bsk.Index("cannot_link", i)+".a", x.A)
		member(bsk.Index("cannot_link", i)+".b", x.B)
	}
	for i, x := range a.PairScores {
		f := bsk.Index("pair_scores", i)
		member(f+".a", x.A)
		member(f+".b", x.B)
		if math.IsNaN(x.Score) || math.IsInf(x.Score, 0) {
			pr.Add(f+".score", "must be a finite number")
		}
	}
	for i, x := range a.Exclude {
		f := bsk.Index("exclude", i)
		member(f+".member", x.Member)
		if strings.TrimSpace(x.Reason.Code) == "" {
			pr.Add(f+".reason.code", "is required")
		}
	}
	return pr.Err()
}

// Grouping serves a grouping rule from a plug-in (see [Serve]): the
// problem arrives as a [grouping.Problem] and r's amendment is returned.
func Grouping(name, description string, r grouping.Rule) Handler {
	return Handler{
		Kind: KindGrouping, Rule: name, Description: description,
		Func: func(ctx context.Context, input json.RawMessage) (any, error) {
			var p grouping.Problem
			if err := json.Unmarshal(input, &p); err != nil {
				return nil, bsk.Errorf(bsk.CodeInvalid, "decode problem: %v", err)
			}
			return safeCall(ctx, r.Amend, &p)
		},
	}
}
