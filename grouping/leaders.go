package grouping

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/internal/flow"
)

// Leader leads groups: a reflective consultant or a mentor.
type Leader struct {
	// ID identifies the leader.
	ID string `json:"id"`
	// Attrs are categorical attributes, e.g. {"organization": "org-017"}.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Sets are set-valued attributes, e.g. languages and meeting slots.
	Sets map[string][]string `json:"sets,omitempty"`
	// Capacity is the most groups the leader takes, at least 1.
	Capacity int `json:"capacity"`
}

// LeaderScore adds Score to the objective when Leader leads Group (by
// index): continuity with last year's consultant, a coordinator's wish.
type LeaderScore struct {
	Leader string  `json:"leader"`
	Group  int     `json:"group"`
	Score  float64 `json:"score"`
}

// LeaderProblem asks for a leader for each group.
type LeaderProblem struct {
	// Members describes the groups' members (their attributes).
	Members []Member `json:"members"`
	// Groups lists each group's members by ID.
	Groups [][]MemberID `json:"groups"`
	// Leaders are who may lead.
	Leaders []Leader `json:"leaders"`
	// Share lists set attributes a leader must share with every member of
	// the group: a language they all speak, a slot they can all meet in.
	Share []string `json:"share,omitempty"`
	// Conflict lists categorical attributes a leader must not share with
	// any member: never a consultant from the group's own organization.
	Conflict []string `json:"conflict,omitempty"`
	// Forbidden pairs never go together.
	Forbidden []LeaderScore `json:"forbidden,omitempty"`
	// Scores reward pairs.
	Scores []LeaderScore `json:"scores,omitempty"`
	// Balance is the cost of each further group a leader takes (the k-th
	// costs k times Balance), which spreads the load; 0 means 1, negative
	// turns balancing off.
	Balance float64 `json:"balance,omitempty"`
}

// LeaderAssignment gives each group its leader.
type LeaderAssignment struct {
	// Leaders holds each group's leader ID, "" for none.
	Leaders []string `json:"leaders"`
	// Unassigned lists the non-empty groups without a leader, and why.
	Unassigned []UnassignedGroup `json:"unassigned"`
	// Load counts each leader's groups.
	Load map[string]int `json:"load"`
	// Score is the sum of the chosen pairs' scores.
	Score float64 `json:"score"`
}

// UnassignedGroup is a group no leader could take.
type UnassignedGroup struct {
	Group  int    `json:"group"`
	Reason Reason `json:"reason"`
}

// Validate reports every problem with the leader problem.
func (p LeaderProblem) Validate() (err error) {
	defer catch(&err, func() string { return "grouping: validating the leader problem" })
	var pr bsk.Problems
	known := map[MemberID]bool{}
	for i, m := range p.Members {
		if m.ID == "" {
			pr.Add(bsk.Index("members", i)+".id", "is required")
		}
		known[m.ID] = true
	}
	for g, members := range p.Groups {
		for i, id := range members {
			if !known[id] {
				pr.AddCode(bsk.CodeNotFound, bsk.Index(bsk.Index("groups", g), i), "unknown member %q", id)
			}
		}
	}
	leaders := map[string]bool{}
	for i, l := range p.Leaders {
		f := bsk.Index("leaders", i)
		if l.ID == "" {
			pr.Add(f+".id", "is required")
		} else if leaders[l.ID] {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate leader %q", l.ID)
		}
		leaders[l.ID] = true
		if l.Capacity < 1 {
			pr.Add(f+".capacity", "must be at least 1")
		}
	}
	check := func(field string, list []LeaderScore) {
		for i, s := range list {
			f := bsk.Index(field, i)
			if !leaders[s.Leader] {
				pr.AddCode(bsk.CodeNotFound, f+".leader", "unknown leader %q", s.Leader)
			}
			if s.Group < 0 || s.Group >= len(p.Groups) {
				pr.Add(f+".group", "group %d does not exist", s.Group)
			}
			if math.IsNaN(s.Score) || math.Abs(s.Score) > maxScore {
				pr.Add(f+".score", "must be a number from -1e9 to 1e9")
			}
		}
	}
	check("forbidden", p.Forbidden)
	check("scores", p.Scores)
	if math.IsNaN(p.Balance) || math.Abs(p.Balance) > maxBalance {
		pr.Add("balance", "must be a number from -1e6 to 1e6")
	}
	return pr.Err()
}

// Scores and costs are solved exactly in integer thousandths: a score is
// rounded to 0.001, and bounded so that no sum can overflow.
const (
	maxScore   = 1e9
	maxBalance = 1e6
)

func thousandths(x float64) int64 { return int64(math.Round(x * 1000)) }

// AssignLeaders gives as many groups as possible a leader, exactly: the
// most groups covered, then the highest total score less the balancing
// cost, by a min-cost flow in integers (scores count to 0.001). Empty
// groups get no leader and no reason; every other group left without one
// is listed with the reason: the first of the rules, in order (each Share
// attribute, then Conflict, then Forbidden), that no leader gets past, or
// "all_eligible_leaders_full".
//
// A panic (a bug) is returned as a [bsk.CodeInternal] error.
func AssignLeaders(ctx context.Context, p LeaderProblem) (_ *LeaderAssignment, err error) {
	defer catch(&err, func() string {
		return fmt.Sprintf("grouping: assigning leaders (%d groups, %d leaders, %d members)", len(p.Groups), len(p.Leaders), len(p.Members))
	})
	if err := p.Validate(); err != nil {
		return nil, err
	}
	byID := map[MemberID]Member{}
	for _, m := range p.Members {
		byID[m.ID] = m
	}
	G, L := len(p.Groups), len(p.Leaders)
	forbidden := map[[2]int]bool{}
	score := map[[2]int]float64{}
	lidx := map[string]int{}
	for i, l := range p.Leaders {
		lidx[l.ID] = i
	}
	for _, f := range p.Forbidden {
		forbidden[[2]int{lidx[f.Leader], f.Group}] = true
	}
	for _, s := range p.Scores {
		score[[2]int{lidx[s.Leader], s.Group}] += s.Score
	}
	// stage is how far leader l gets through the rules for group g: the
	// index of the first rule it fails (Share attributes, then Conflict,
	// then Forbidden), or eligible when it passes them all.
	conflictStage, forbiddenStage, eligible := len(p.Share), len(p.Share)+1, len(p.Share)+2
	stage := func(l Leader, li, g int) int {
		members := p.Groups[g]
		for k, attr := range p.Share {
			ok := false
			for _, v := range l.Sets[attr] {
				if !slices.ContainsFunc(members, func(id MemberID) bool { return !slices.Contains(byID[id].Sets[attr], v) }) {
					ok = true
					break
				}
			}
			if !ok {
				return k
			}
		}
		for _, attr := range p.Conflict {
			if lv, ok := l.Attrs[attr]; ok && slices.ContainsFunc(members, func(id MemberID) bool { return byID[id].Attrs[attr] == lv }) {
				return conflictStage
			}
		}
		if forbidden[[2]int{li, g}] {
			return forbiddenStage
		}
		return eligible
	}
	balance := p.Balance
	if balance == 0 {
		balance = 1
	}
	if balance < 0 {
		balance = 0
	}
	// Nodes: source, groups, leaders, sink. A maximum flow covers the most
	// groups; among those the cheapest has the best score less balancing.
	src, sink := 0, 1+G+L
	net := flow.New(G + L + 2)
	arcs := map[int][2]int{}
	furthest := make([]int, G)
	for g := range G {
		furthest[g] = -1
		if len(p.Groups[g]) == 0 {
			continue
		}
		net.AddArc(src, 1+g, 1, 0)
		for li, l := range p.Leaders {
			st := stage(l, li, g)
			furthest[g] = max(furthest[g], st)
			if st == eligible {
				a := net.AddArc(1+g, 1+G+li, 1, -thousandths(score[[2]int{li, g}]))
				arcs[a] = [2]int{g, li}
			}
		}
	}
	for li, l := range p.Leaders {
		for k := range min(l.Capacity, G) {
			net.AddArc(1+G+li, sink, 1, thousandths(balance*float64(k)))
		}
	}
	if _, _, err := net.Solve(ctx, src, sink, -1); err != nil {
		return nil, err
	}
	out := &LeaderAssignment{Leaders: make([]string, G), Unassigned: []UnassignedGroup{}, Load: map[string]int{}}
	for _, l := range p.Leaders {
		out.Load[l.ID] = 0
	}
	for a, gl := range arcs {
		if net.FlowOn(a) > 0 {
			g, li := gl[0], gl[1]
			out.Leaders[g] = p.Leaders[li].ID
			out.Load[p.Leaders[li].ID]++
		}
	}
	for g, id := range out.Leaders {
		if id != "" {
			out.Score += score[[2]int{lidx[id], g}]
		}
	}
	for g := range G {
		if out.Leaders[g] != "" || len(p.Groups[g]) == 0 {
			continue
		}
		var r Reason
		switch st := furthest[g]; {
		case L == 0:
			r = Reason{Code: "no_leaders"}
		case st == eligible:
			r = Reason{Code: "all_eligible_leaders_full"}
		case st == conflictStage:
			r = Reason{Code: "only_conflicting_leaders"}
		case st == forbiddenStage:
			r = Reason{Code: "no_eligible_leader"}
		default:
			r = Reason{Code: "no_leader_shares_" + p.Share[st]}
		}
		out.Unassigned = append(out.Unassigned, UnassignedGroup{Group: g, Reason: r})
	}
	return out, nil
}
