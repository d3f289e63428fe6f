// Command noreports is the plug-in of an agency that never puts a
// supervisor in the same reflective consultation group as their own direct
// reports, so that staff can speak freely. It provides one grouping rule,
// "no_direct_reports": for each member whose supervisor is also a member
// of the problem, the pair cannot share a group.
//
// A member names its supervisor's member ID in an attribute; the county's
// catalog starts the plug-in with optional arguments:
//
//	-attr supervisor   the attribute holding the supervisor's member ID
package main

import (
	"context"
	"flag"

	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins"
)

// rule keeps each member apart from their supervisor, in member order.
func rule(attr string) grouping.Rule {
	return grouping.RuleFunc(func(_ context.Context, p *grouping.Problem) (grouping.Amendment, error) {
		in := make(map[grouping.MemberID]bool, len(p.Members))
		for _, m := range p.Members {
			in[m.ID] = true
		}
		var a grouping.Amendment
		for _, m := range p.Members {
			boss := grouping.MemberID(m.Attrs[attr])
			if boss != "" && boss != m.ID && in[boss] {
				a.CannotLink = append(a.CannotLink, grouping.Pair{A: boss, B: m.ID})
			}
		}
		return a, nil
	})
}

func main() {
	attr := flag.String("attr", "supervisor", "the member attribute holding the supervisor's member ID")
	flag.Parse()
	plugins.Serve(plugins.Plugin{
		Name:    "noreports",
		Version: "1.0.0",
		Agency:  "Example Early Learning Network",
		Handlers: []plugins.Handler{
			plugins.Grouping("no_direct_reports", "keeps every supervisor out of their direct reports' group", rule(*attr)),
		},
	})
}
