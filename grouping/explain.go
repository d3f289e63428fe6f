package grouping

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Solution is a grouping with its objective, broken down and explained.
type Solution struct {
	// Groups lists each group's members, in member order.
	Groups [][]MemberID `json:"groups"`
	// Unplaced lists members in no group, each with the reason.
	Unplaced []Unplaced `json:"unplaced"`
	// Objective is the weighted sum of every criterion and pair score.
	Objective float64 `json:"objective"`
	// Breakdown gives each criterion's part of the objective, by group.
	Breakdown []CriterionScore `json:"breakdown"`
	// Unmet lists the soft criteria left unmet, and for whom.
	Unmet []Unmet `json:"unmet,omitempty"`
	// Placements says why each placed member sits where they do.
	Placements []Placement `json:"placements"`
	// Underfilled lists groups below their minimum size: groups not
	// formed (empty) and, only with [Problem.AllowUnderfilled], groups the
	// hard constraints let no one else into.
	Underfilled []int `json:"underfilled,omitempty"`
	// Leaders, with [Problem.Leading], holds each group's leader ID, ""
	// for none (an empty group, or one no arrangement could lead).
	Leaders []string `json:"leaders,omitzero"`
	// Unled, with [Problem.Leading], lists the non-empty groups without a
	// leader, each with the reason (as [AssignLeaders] gives it); it is
	// empty, not absent, when every group is led.
	Unled []UnassignedGroup `json:"unled,omitzero"`
	// Seed is the seed of the search that found the solution.
	Seed uint64 `json:"seed"`
	// Iterations counts rounds of perturbation and local search.
	Iterations int `json:"iterations"`
	// Seconds is the time the solve took.
	Seconds float64 `json:"seconds"`
}

// Unplaced is a member in no group.
type Unplaced struct {
	Member MemberID `json:"member"`
	Reason Reason   `json:"reason"`
}

// CriterionScore is one criterion's part of the objective.
type CriterionScore struct {
	// Criterion is the criterion's name ("pairs" for pair scores).
	Criterion string `json:"criterion"`
	// Weight is its weight.
	Weight float64 `json:"weight"`
	// Score is the unweighted score over all groups.
	Score float64 `json:"score"`
	// Weighted is Weight * Score.
	Weighted float64 `json:"weighted"`
	// ByGroup is the unweighted score of each group.
	ByGroup []float64 `json:"by_group"`
}

// Unmet is a soft criterion a group leaves unmet for some members.
type Unmet struct {
	Criterion string     `json:"criterion"`
	Group     int        `json:"group"`
	Members   []MemberID `json:"members"`
	// Code says how: "isolated" (the only one of their value), "no_peer"
	// (no one else alike, for similar), "unbalanced" (far from the average).
	Code string `json:"code"`
}

// Placement explains one member's group.
type Placement struct {
	Member MemberID `json:"member"`
	Group  int      `json:"group"`
	// Why lists stable reasons: "pinned", "must_link:<member>",
	// "shares:<attr>=<values>", "same:<attr>=<value>", "with_alike:<attr>=<n>".
	Why []string `json:"why"`
}

// explain builds the solution of an assignment of units; why holds the
// search's reasons for units it left out.
func explain(m *model, assign []int, why map[int]Reason) *Solution {
	s := newState(m)
	s.load(assign)
	sol := &Solution{Groups: make([][]MemberID, m.groups), Unplaced: []Unplaced{}, Placements: []Placement{}}
	groupOf := make([]int, m.n)
	for i := range groupOf {
		groupOf[i] = -1
	}
	for u, g := range assign {
		for _, i := range m.units[u] {
			groupOf[i] = g
		}
	}
	for i, mem := range m.p.Members {
		if g := groupOf[i]; g >= 0 {
			sol.Groups[g] = append(sol.Groups[g], mem.ID)
		}
	}
	for g := range sol.Groups {
		if sol.Groups[g] == nil {
			sol.Groups[g] = []MemberID{}
		}
	}
	// Unplaced: exclusions, then the search's reasons.
	reasons := map[int]Reason{}
	for i, r := range m.excluded {
		reasons[i] = r
	}
	for i := range m.p.Members {
		if _, ex := m.excluded[i]; ex || groupOf[i] >= 0 {
			continue
		}
		if r, ok := why[m.unitOf[i]]; ok {
			reasons[i] = r
		} else {
			reasons[i] = unplacedReason(m, s, m.unitOf[i])
		}
	}
	for i, mem := range m.p.Members {
		if r, ok := reasons[i]; ok {
			sol.Unplaced = append(sol.Unplaced, Unplaced{mem.ID, r})
		}
	}
	for g := range m.groups {
		if s.sizes[g] < m.bounds[g].Min {
			sol.Underfilled = append(sol.Underfilled, g)
		}
	}
	sol.Objective = Evaluate(m.p, sol.Groups)
	for _, t := range m.terms {
		cs := CriterionScore{Criterion: t.criterion().label(), Weight: t.weight(), ByGroup: make([]float64, m.groups)}
		for g := range m.groups {
			cs.ByGroup[g] = t.score(g)
			cs.Score += cs.ByGroup[g]
		}
		cs.Weighted = cs.Weight * cs.Score
		sol.Breakdown = append(sol.Breakdown, cs)
	}
	if m.mat != nil {
		cs := CriterionScore{Criterion: "pairs", Weight: 1, ByGroup: make([]float64, m.groups)}
		for g := range m.groups {
			cs.ByGroup[g] = m.mat.groupTotal(g)
			cs.Score += cs.ByGroup[g]
		}
		cs.Weighted = cs.Score
		sol.Breakdown = append(sol.Breakdown, cs)
	}
	sol.Unmet = unmet(m, sol.Groups)
	sol.Placements = placements(m, sol.Groups, groupOf)
	return sol
}

// unplacedReason recovers why a unit is out: the construction's reason when
// it could not be placed anywhere.
func unplacedReason(m *model, s *state, u int) Reason {
	r := &search{m: m}
	return r.whyUnplaceable(s, u)
}

func index(p *Problem) map[MemberID]int {
	out := make(map[MemberID]int, len(p.Members))
	for i, m := range p.Members {
		out[m.ID] = i
	}
	return out
}

// unmet lists isolated members and members with no alike peer.
func unmet(m *model, groups [][]MemberID) []Unmet {
	idx := index(m.p)
	var out []Unmet
	for _, c := range m.p.Criteria {
		if c.Weight == 0 || (c.Kind != Isolation && c.Kind != Similar) {
			continue
		}
		for g, members := range groups {
			if len(members) < 2 {
				continue
			}
			count := map[string]int{}
			for _, id := range members {
				for _, v := range values(m.p.Members[idx[id]], c.Attr) {
					count[v]++
				}
			}
			var who []MemberID
			for _, id := range members {
				vals := values(m.p.Members[idx[id]], c.Attr)
				alone := len(vals) > 0
				for _, v := range vals {
					if c.Kind == Isolation && len(c.Values) > 0 && !slices.Contains(c.Values, v) {
						alone = false
						break
					}
					if count[v] > 1 {
						alone = false
					}
				}
				if alone {
					who = append(who, id)
				}
			}
			if len(who) > 0 {
				code := "no_peer"
				if c.Kind == Isolation {
					code = "isolated"
				}
				out = append(out, Unmet{Criterion: c.label(), Group: g, Members: who, Code: code})
			}
		}
	}
	return out
}

func values(mem Member, attr string) []string {
	if v, ok := mem.Attrs[attr]; ok {
		return []string{v}
	}
	return mem.Sets[attr]
}

// placements explains each placed member's group.
func placements(m *model, groups [][]MemberID, groupOf []int) []Placement {
	idx := index(m.p)
	partners := map[int][]MemberID{}
	for _, l := range m.p.MustLink {
		a, b := idx[l.A], idx[l.B]
		partners[a] = append(partners[a], l.B)
		partners[b] = append(partners[b], l.A)
	}
	// The values every member of a group holds, per Share constraint: a
	// member shares with the group what the whole group holds, so each
	// group's intersection is computed once rather than once per member.
	common := make([][]map[string]bool, len(m.p.Constraints))
	for k, c := range m.p.Constraints {
		if c.Kind != Share {
			continue
		}
		common[k] = make([]map[string]bool, len(groups))
		for g, members := range groups {
			var in map[string]bool
			for j, id := range members {
				vals := m.p.Members[idx[id]].Sets[c.Attr]
				if j == 0 {
					in = make(map[string]bool, len(vals))
					for _, v := range vals {
						in[v] = true
					}
					continue
				}
				for v := range in {
					if !slices.Contains(vals, v) {
						delete(in, v)
					}
				}
			}
			common[k][g] = in
		}
	}
	var out []Placement
	for i, mem := range m.p.Members {
		g := groupOf[i]
		if g < 0 {
			continue
		}
		pl := Placement{Member: mem.ID, Group: g, Why: []string{}}
		if mem.Pin != nil {
			pl.Why = append(pl.Why, "pinned")
		}
		for _, q := range partners[i] {
			pl.Why = append(pl.Why, "must_link:"+string(q))
		}
		for k, c := range m.p.Constraints {
			switch c.Kind {
			case Share:
				shared := slices.DeleteFunc(slices.Clone(mem.Sets[c.Attr]), func(v string) bool { return !common[k][g][v] })
				slices.Sort(shared)
				pl.Why = append(pl.Why, fmt.Sprintf("shares:%s=%s", c.Attr, strings.Join(shared, ",")))
			case Same:
				pl.Why = append(pl.Why, fmt.Sprintf("same:%s=%s", c.Attr, mem.Attrs[c.Attr]))
			}
		}
		for _, c := range m.p.Criteria {
			if c.Kind != Similar || c.Weight == 0 {
				continue
			}
			alike := 0
			mine := values(mem, c.Attr)
			for _, id := range groups[g] {
				if id == mem.ID {
					continue
				}
				for _, v := range values(m.p.Members[idx[id]], c.Attr) {
					if slices.Contains(mine, v) {
						alike++
						break
					}
				}
			}
			pl.Why = append(pl.Why, fmt.Sprintf("with_alike:%s=%d", c.Attr, alike))
		}
		out = append(out, pl)
	}
	return out
}

// Evaluate computes the objective of a grouping of p from scratch, pair by
// pair and group by group, straight from the criteria's definitions. It is
// independent of the solver's incremental bookkeeping, so tests and
// auditors can check a solution's reported objective with it. Members not
// in any group count for nothing, and so do IDs in groups that are not
// p's members and pair scores naming them; matrix entries beyond a
// matrix too small for p count as 0. It never panics: a grouping it could
// not score (a bug) gives NaN.
func Evaluate(p *Problem, groups [][]MemberID) (total float64) {
	defer func() {
		if recover() != nil {
			total = math.NaN()
		}
	}()
	idx := index(p)
	// Each group's members that p has; other IDs are dropped.
	known := make([][]MemberID, len(groups))
	for g, members := range groups {
		for _, id := range members {
			if _, ok := idx[id]; ok {
				known[g] = append(known[g], id)
			}
		}
	}
	groups = known
	for _, c := range p.Criteria {
		if c.Weight == 0 {
			continue
		}
		cat, set, num := attrKind(p, c.Attr)
		score := 0.0
		switch c.Kind {
		case Similar, Diverse:
			for _, members := range groups {
				for a := range members {
					for b := a + 1; b < len(members); b++ {
						ma, mb := p.Members[idx[members[a]]], p.Members[idx[members[b]]]
						switch {
						case num && !cat && !set:
							xa, oka := ma.Nums[c.Attr]
							xb, okb := mb.Nums[c.Attr]
							if oka && okb {
								score += (xa - xb) * (xa - xb)
							}
						case set:
							// Similar counts shared values; diverse counts the
							// pair and subtracts its shared values.
							shared := 0.0
							for _, v := range ma.Sets[c.Attr] {
								if slices.Contains(mb.Sets[c.Attr], v) {
									shared++
								}
							}
							if c.Kind == Similar {
								score += shared
							} else {
								score += 1 - shared
							}
						default:
							// A pair where either lacks the attribute differs.
							va, oka := ma.Attrs[c.Attr]
							vb, okb := mb.Attrs[c.Attr]
							same := oka && okb && va == vb
							if (c.Kind == Similar) == same {
								score++
							}
						}
					}
				}
			}
			if num && !cat && !set && c.Kind == Similar {
				score = -score
			}
		case Balance:
			totalAll := 0.0
			per := make([]float64, len(groups))
			holds := func(m Member) bool {
				v, ok := m.Attrs[c.Attr]
				return (ok && v == c.Value) || slices.Contains(m.Sets[c.Attr], c.Value)
			}
			for _, m := range p.Members {
				if num && !cat && !set {
					totalAll += m.Nums[c.Attr]
				} else if holds(m) {
					totalAll++
				}
			}
			for g, members := range groups {
				for _, id := range members {
					m := p.Members[idx[id]]
					if num && !cat && !set {
						per[g] += m.Nums[c.Attr]
					} else if holds(m) {
						per[g]++
					}
				}
			}
			mean := totalAll / float64(p.Groups)
			for _, x := range per {
				score -= (x - mean) * (x - mean)
			}
		case Isolation:
			for _, members := range groups {
				if len(members) < 2 {
					continue
				}
				count := map[string]int{}
				for _, id := range members {
					for _, v := range values(p.Members[idx[id]], c.Attr) {
						count[v]++
					}
				}
				for v, n := range count {
					if n == 1 && (len(c.Values) == 0 || slices.Contains(c.Values, v)) {
						score--
					}
				}
			}
		}
		total += c.Weight * score
	}
	if len(p.Prefer) > 0 {
		at := map[MemberID]int{}
		for g, members := range groups {
			for _, id := range members {
				at[id] = g
			}
		}
		for _, pr := range p.Prefer {
			if g, ok := at[pr.Member]; ok && g == pr.Group {
				total += pr.Score
			}
		}
	}
	if p.Matrix != nil || len(p.Pairs) > 0 {
		pair := map[[2]int]float64{}
		for _, s := range p.Pairs {
			a, oka := idx[s.A]
			b, okb := idx[s.B]
			if oka && okb {
				pair[[2]int{min(a, b), max(a, b)}] += s.Score
			}
		}
		for _, members := range groups {
			for a := range members {
				for b := a + 1; b < len(members); b++ {
					i, j := idx[members[a]], idx[members[b]]
					if i < len(p.Matrix) && j < len(p.Matrix[i]) {
						total += p.Matrix[i][j]
					}
					total += pair[[2]int{min(i, j), max(i, j)}]
				}
			}
		}
	}
	return total
}
