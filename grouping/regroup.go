package grouping

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Regrouping is a new solution after members joined and left, with the
// difference from the previous grouping.
type Regrouping struct {
	// Solution is the new grouping. Its objective includes MoveCost for
	// every member kept in place (as a "prefer" part of the breakdown).
	Solution *Solution `json:"solution"`
	// Diff says who moved, joined and left.
	Diff Diff `json:"diff"`
	// Problem is the problem solved: the given one plus a preference per
	// existing member for their previous group, so that [Evaluate] on it
	// recomputes Solution.Objective.
	Problem *Problem `json:"-"`
}

// Diff compares a new grouping with the previous one.
type Diff struct {
	// Stayed counts members in the same group as before.
	Stayed int `json:"stayed"`
	// Moved lists members who changed groups, or were in a group and are
	// now unplaced (To is -1).
	Moved []Move `json:"moved"`
	// Joined lists members new to the grouping and where they went (To is
	// -1 when they could not be placed).
	Joined []Move `json:"joined"`
	// Left lists members of the previous grouping no longer in the problem.
	Left []MemberID `json:"left"`
}

// Move is one member's change of group; From or To is -1 for none.
type Move struct {
	Member MemberID `json:"member"`
	From   int      `json:"from"`
	To     int      `json:"to"`
}

// RegroupOptions tune [Regroup].
type RegroupOptions struct {
	Options
	// MoveCost is what moving one existing member costs in the objective
	// (the score each earns by staying); 0 means 10 times the largest
	// criterion weight, or 10 when there are no criteria, so that members
	// move only when the criteria gain a lot or a hard constraint forces
	// it. Use a small value to let the criteria reshape the groups.
	MoveCost float64 `json:"move_cost,omitempty"`
}

// Regroup re-forms groups mid-year. p holds the members as they are now
// (those who left are simply absent, those who joined are present) and
// previous is last grouping's groups, by index. Each member of previous
// still in p earns opts.MoveCost for staying in their group, so the new
// solution moves as few existing members as the criteria allow; the
// result lists who stayed, moved, joined and left. Previous groups beyond
// p.Groups are dissolved: their members must move. Like [Solve], it
// returns a panic as a [bsk.CodeInternal] error.
func Regroup(ctx context.Context, p *Problem, previous [][]MemberID, opts RegroupOptions) (_ *Regrouping, err error) {
	defer catch(&err, func() string {
		return fmt.Sprintf("grouping: re-grouping (seed %d, %d previous groups; %s)", opts.Seed, len(previous), shape(p))
	})
	if math.IsNaN(opts.MoveCost) || math.IsInf(opts.MoveCost, 0) || opts.MoveCost < 0 {
		return nil, bsk.Invalidf("move_cost", "must be a finite number at least 0")
	}
	cost := opts.MoveCost
	if cost == 0 {
		cost = 10
		for _, c := range p.Criteria {
			cost = max(cost, 10*c.Weight)
		}
	}
	present := map[MemberID]bool{}
	for _, m := range p.Members {
		present[m.ID] = true
	}
	before := map[MemberID]int{}
	var left []MemberID
	var pr bsk.Problems
	for g, members := range previous {
		for i, id := range members {
			if _, dup := before[id]; dup {
				pr.AddCode(bsk.CodeConflict, bsk.Index(bsk.Index("previous", g), i), "member %q is in two previous groups", id)
				continue
			}
			before[id] = g
			if !present[id] {
				left = append(left, id)
			}
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	q := *p
	q.Prefer = slices.Clone(p.Prefer)
	for _, m := range p.Members {
		if g, ok := before[m.ID]; ok && g < p.Groups {
			q.Prefer = append(q.Prefer, Preference{Member: m.ID, Group: g, Score: cost})
		}
	}
	sol, err := Solve(ctx, &q, opts.Options)
	if err != nil {
		return nil, err
	}
	after := map[MemberID]int{}
	for g, members := range sol.Groups {
		for _, id := range members {
			after[id] = g
		}
	}
	d := Diff{Moved: []Move{}, Joined: []Move{}, Left: left}
	if d.Left == nil {
		d.Left = []MemberID{}
	}
	for _, m := range p.Members {
		to, placed := after[m.ID]
		if !placed {
			to = -1
		}
		from, was := before[m.ID]
		switch {
		case !was:
			d.Joined = append(d.Joined, Move{m.ID, -1, to})
		case from == to:
			d.Stayed++
		default:
			d.Moved = append(d.Moved, Move{m.ID, from, to})
		}
	}
	return &Regrouping{Solution: sol, Diff: d, Problem: &q}, nil
}
