package app

import (
	"context"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// continuity is the score for keeping a group's consultant from the
// previous run: worth more than any load balancing, less than covering a
// group.
const continuity = 50

// assignLeaders gives each group of a solution a consultant who speaks a
// language every member speaks, can meet at a time they all can, and works
// at none of their organizations, at most capacity groups each, keeping
// previous consultants where it can. It returns the leader of each group
// and the groups left without one, with the reason.
func assignLeaders(ctx context.Context, p *grouping.Problem, sol *grouping.Solution, leaders []bsk.Provider, capacity int, previous []string) ([]string, []grouping.UnassignedGroup, error) {
	lp := grouping.LeaderProblem{
		Members:  p.Members,
		Groups:   sol.Groups,
		Share:    []string{grouping.AttrLanguages, grouping.AttrSlots},
		Conflict: []string{grouping.AttrOrganization},
	}
	slots := grouping.DefaultMeetingSlots(90)
	for _, pv := range leaders {
		m := grouping.MemberOf(pv, slots, false)
		lp.Leaders = append(lp.Leaders, grouping.Leader{ID: string(pv.ID), Capacity: capacity,
			Attrs: map[string]string{grouping.AttrOrganization: m.Attrs[grouping.AttrOrganization]},
			Sets:  map[string][]string{grouping.AttrLanguages: m.Sets[grouping.AttrLanguages], grouping.AttrSlots: m.Sets[grouping.AttrSlots]}})
	}
	known := map[string]bool{}
	for _, l := range lp.Leaders {
		known[l.ID] = true
	}
	for g, id := range previous {
		if id != "" && known[id] && g < len(sol.Groups) {
			lp.Scores = append(lp.Scores, grouping.LeaderScore{Leader: id, Group: g, Score: continuity})
		}
	}
	a, err := grouping.AssignLeaders(ctx, lp)
	if err != nil {
		return nil, nil, err
	}
	return a.Leaders, a.Unassigned, nil
}
