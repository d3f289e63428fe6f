package grouping

import (
	"context"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
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
func (p LeaderProblem) Validate() error {
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
			if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) {
				pr.Add(f+".score", "must be a finite number")
			}
		}
	}
	check("forbidden", p.Forbidden)
	check("scores", p.Scores)
	if math.IsNaN(p.Balance) || math.IsInf(p.Balance, 0) {
		pr.Add("balance", "must be a finite number")
	}
	return pr.Err()
}

// AssignLeaders gives as many groups as possible a leader, exactly: the
// most groups covered, then the highest total score less the balancing
// cost, by a min-cost flow. Empty groups get no leader and no reason;
// other groups left without one are listed with the reason.
func AssignLeaders(ctx context.Context, p LeaderProblem) (*LeaderAssignment, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
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
	// why[g] tallies why leaders cannot take g, to explain a group left out.
	type tally struct {
		share                         map[string]int
		conflict, forbidden, eligible int
	}
	why := make([]tally, G)
	eligible := func(l Leader, li, g int) bool {
		members := p.Groups[g]
		for _, attr := range p.Share {
			ok := false
			for _, v := range l.Sets[attr] {
				all := true
				for _, id := range members {
					if !slices.Contains(byID[id].Sets[attr], v) {
						all = false
						break
					}
				}
				if all {
					ok = true
					break
				}
			}
			if !ok {
				if why[g].share == nil {
					why[g].share = map[string]int{}
				}
				why[g].share[attr]++
				return false
			}
		}
		for _, attr := range p.Conflict {
			lv, ok := l.Attrs[attr]
			if !ok {
				continue
			}
			for _, id := range members {
				if byID[id].Attrs[attr] == lv {
					why[g].conflict++
					return false
				}
			}
		}
		if forbidden[[2]int{li, g}] {
			why[g].forbidden++
			return false
		}
		why[g].eligible++
		return true
	}
	balance := p.Balance
	if balance == 0 {
		balance = 1
	}
	if balance < 0 {
		balance = 0
	}
	// Nodes: source, groups, leaders, sink. Scores become negative costs;
	// a large reward per group covered makes coverage come first.
	maxAbs := 0.0
	for _, s := range score {
		maxAbs = max(maxAbs, math.Abs(s))
	}
	cover := 1 + 2*maxAbs + 2*balance*float64(G+1)
	src, sink := 0, 1+G+L
	net := newFlowNet(G + L + 2)
	arcs := map[int][2]int{}
	for g := range G {
		if len(p.Groups[g]) == 0 {
			continue
		}
		net.edge(src, 1+g, 1, -cover)
		for li, l := range p.Leaders {
			if eligible(l, li, g) {
				e := net.edge(1+g, 1+G+li, 1, -score[[2]int{li, g}])
				arcs[e] = [2]int{g, li}
			}
		}
	}
	for li, l := range p.Leaders {
		for k := range min(l.Capacity, G) {
			net.edge(1+G+li, sink, 1, balance*float64(k))
		}
	}
	net.run(src, sink)
	out := &LeaderAssignment{Leaders: make([]string, G), Unassigned: []UnassignedGroup{}, Load: map[string]int{}}
	for _, l := range p.Leaders {
		out.Load[l.ID] = 0
	}
	for e, gl := range arcs {
		if net.flow(e) > 0 {
			g, li := gl[0], gl[1]
			out.Leaders[g] = p.Leaders[li].ID
			out.Load[p.Leaders[li].ID]++
			out.Score += score[[2]int{li, g}]
		}
	}
	for g := range G {
		if out.Leaders[g] != "" || len(p.Groups[g]) == 0 {
			continue
		}
		r := Reason{Code: "all_eligible_leaders_full"}
		switch t := why[g]; {
		case L == 0:
			r = Reason{Code: "no_leaders"}
		case t.eligible > 0:
		case t.conflict > 0 && t.conflict+t.forbidden == L:
			r = Reason{Code: "only_conflicting_leaders"}
		default:
			attr, n := "", -1
			for _, a := range p.Share {
				if t.share[a] > n {
					attr, n = a, t.share[a]
				}
			}
			if n > 0 {
				r = Reason{Code: "no_leader_shares_" + attr}
			} else {
				r = Reason{Code: "no_eligible_leader"}
			}
		}
		out.Unassigned = append(out.Unassigned, UnassignedGroup{Group: g, Reason: r})
	}
	return out, nil
}
