package grouping

import (
	"context"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/internal/flow"
)

// Leading gives a problem its leaders (reflective consultants, mentors)
// and the rules that pair a leader with a group. With it, [Solve] forms
// only groups some leader can lead, and gives each group its leader
// exactly (see [Solution.Leaders]).
type Leading struct {
	// Leaders are who may lead, each at most Capacity groups.
	Leaders []Leader `json:"leaders"`
	// Share lists set attributes a group's leader shares with every
	// member: a language they all speak, a slot they can all meet in.
	Share []string `json:"share,omitempty"`
	// Conflict lists categorical attributes a leader must not share with
	// any member: never a consultant from a member's own organization.
	Conflict []string `json:"conflict,omitempty"`
	// Balance is the cost of each further group a leader takes (the k-th
	// costs k times Balance) in the final assignment; 0 means 1, negative
	// turns balancing off.
	Balance float64 `json:"balance,omitempty"`
}

// Reason codes of members and groups the leaders leave out.
const (
	// ReasonNoLeaderFits: no leader with capacity left can lead any group
	// the member could join; or, when every group has a leader, no leader
	// at all could lead the member, whatever the groups (none shares a
	// language with them; or none of those who do shares a meeting time).
	// Params: "constraint" ("leader_share" or "leader_conflict"), "attr",
	// "values", the member's values, "full_groups" when some groups are
	// full, and "given" with "given_values" naming the attribute the
	// leaders who share one with the member were narrowed by first.
	ReasonNoLeaderFits = "no_leader_fits"
	// ReasonBelowMinimum: the member's group could not reach its minimum
	// size and no other group could take them. Params: "group", "size",
	// "min", and "allow" naming the problem field that would keep such a
	// group ("allow_underfilled").
	ReasonBelowMinimum = "group_below_minimum"
)

// The kinds leader checks report in a reason's "constraint" parameter.
const (
	leaderShare    ConstraintKind = "leader_share"
	leaderConflict ConstraintKind = "leader_conflict"
)

// validate adds l's faults to pr.
func (l *Leading) validate(p *Problem, pr *bsk.Problems) {
	ids := map[string]int{}
	for i, ld := range l.Leaders {
		f := "leading." + bsk.Index("leaders", i)
		if ld.ID == "" {
			pr.Add(f+".id", "is required")
		} else if j, dup := ids[ld.ID]; dup {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate leader %q (also leaders[%d])", ld.ID, j)
		} else {
			ids[ld.ID] = i
		}
		if ld.Capacity < 1 {
			pr.Add(f+".capacity", "must be at least 1")
		}
	}
	for i, a := range l.Share {
		f := "leading." + bsk.Index("share", i)
		if a == "" {
			pr.Add(f, "is required")
		} else if cat, _, num := attrKind(p, a); cat || num {
			pr.Add(f, "attribute %q must be a set attribute", a)
		}
	}
	for i, a := range l.Conflict {
		f := "leading." + bsk.Index("conflict", i)
		if a == "" {
			pr.Add(f, "is required")
		} else if _, set, num := attrKind(p, a); set || num {
			pr.Add(f, "attribute %q must be a categorical attribute", a)
		}
	}
	if math.IsNaN(l.Balance) || math.Abs(l.Balance) > maxBalance {
		pr.Add("leading.balance", "must be a number from -1e6 to 1e6")
	}
}

// leaderCheck is the hard constraint that a group's leader can lead it:
// for a Share attribute, some value of the leader's is held by every
// member; for a Conflict attribute, no member holds the leader's value.
// Each group's leader lives in the state (lead); a group without one
// (lead -1) is unconstrained.
type leaderCheck struct {
	*counts
	kind  ConstraintKind // leaderShare or leaderConflict
	attr  string
	sizes []int
	lead  []int   // per group: leader index or -1; the state's
	lvals [][]int // per leader: its interned values of attr
}

func newLeaderChecks(m *model) []*leaderCheck {
	l := m.p.Leading
	var out []*leaderCheck
	build := func(attr string, kind ConstraintKind) {
		var in intern
		vals := unitValues(m, attr, kind == leaderShare, &in)
		c := &leaderCheck{kind: kind, attr: attr, lvals: make([][]int, len(l.Leaders))}
		for i, ld := range l.Leaders {
			if kind == leaderShare {
				for _, v := range ld.Sets[attr] {
					c.lvals[i] = append(c.lvals[i], in.id(v))
				}
			} else if v, ok := ld.Attrs[attr]; ok {
				c.lvals[i] = []int{in.id(v)}
			}
		}
		c.counts = newCounts(m, vals, len(in.vals))
		out = append(out, c)
	}
	for _, a := range l.Share {
		build(a, leaderShare)
	}
	for _, a := range l.Conflict {
		build(a, leaderConflict)
	}
	return out
}

func (c *leaderCheck) constraint() Constraint { return Constraint{Kind: c.kind, Attr: c.attr} }

func (c *leaderCheck) ok(g int) bool { return c.okAfter(g, -1, -1) }

// okAfter reports whether group x's leader can lead it once simple unit
// in joins it and simple unit out leaves it (-1 for none: the group as
// it is).
func (c *leaderCheck) okAfter(x, in, out int) bool {
	l := c.lead[x]
	n := c.sizes[x]
	if l < 0 || n == 0 {
		return true
	}
	row := c.c[x]
	count := func(y int) int {
		k := row[y]
		if in >= 0 && has(c.vals[in], y) {
			k++
		}
		if out >= 0 && has(c.vals[out], y) {
			k--
		}
		return k
	}
	if c.kind == leaderShare {
		for _, v := range c.lvals[l] {
			if count(v) == n {
				return true
			}
		}
		return false
	}
	for _, v := range c.lvals[l] {
		if count(v) > 0 {
			return false
		}
	}
	return true
}

// swapOK reports whether both groups' leaders can still lead them once
// simple units u (in g) and v (in h) trade groups.
func (c *leaderCheck) swapOK(u, v, g, h int) bool {
	return c.okAfter(g, v, u) && c.okAfter(h, u, v)
}

// initialLeaders gives groups leaders in turn, one group per leader per
// round while capacity lasts, so that loads start even; groups beyond the
// leaders' total capacity get none (-1). It returns each group's leader
// and each leader's capacity left.
func initialLeaders(m *model) (lead, spare []int) {
	lead = make([]int, m.groups)
	for g := range lead {
		lead[g] = -1
	}
	if m.p.Leading == nil {
		return lead, nil
	}
	ls := m.p.Leading.Leaders
	spare = make([]int, len(ls))
	for i, l := range ls {
		spare[i] = l.Capacity
	}
	groups := make([]int, m.groups)
	for g := range groups {
		groups[g] = g
	}
	leadInTurn(groups, spare, func(g, l int) { lead[g] = l; spare[l]-- })
	return lead, spare
}

// leadInTurn gives groups leaders in turn, one group per leader per
// round, in order, while the capacity left in spare lasts; groups beyond
// it get none. give(g, l) makes l group g's leader and takes one from
// spare[l].
func leadInTurn(groups, spare []int, give func(g, l int)) {
	for len(groups) > 0 {
		gave := false
		for l := range spare {
			if len(groups) > 0 && spare[l] > 0 {
				give(groups[0], l)
				groups = groups[1:]
				gave = true
			}
		}
		if !gave {
			return
		}
	}
}

// setLead makes l (-1 for none) group g's leader, keeping capacities.
func (s *state) setLead(g, l int) {
	old := s.lead[g]
	if old == l {
		return
	}
	if s.logging {
		s.journal = append(s.journal, op{u: -1, v: g, from: old})
	}
	if old >= 0 {
		s.spare[old]++
		gs := s.led[old]
		i := slices.Index(gs, g)
		gs[i] = gs[len(gs)-1]
		s.led[old] = gs[:len(gs)-1]
	}
	if l >= 0 {
		s.spare[l]--
		s.led[l] = append(s.led[l], g)
	}
	s.lead[g] = l
}

// leadOK reports whether group g's leader can lead it.
func (s *state) leadOK(g int) bool {
	for _, c := range s.m.leads {
		if !c.ok(g) {
			return false
		}
	}
	return true
}

// fitsLeader reports whether group g's leader could lead it with unit u
// in it too.
func (s *state) fitsLeader(u, g int) bool {
	s.raw(u, g, +1)
	ok := s.leadOK(g)
	s.raw(u, g, -1)
	return ok
}

// fitEmpty gives empty group h a leader who could lead unit u, when its
// own could not: a leader with capacity left, or the leader of another
// empty group (empty groups differ only by their leaders). It reports
// whether h's leader now fits u.
func (s *state) fitEmpty(u, h int) bool {
	if len(s.m.leads) == 0 || s.sizes[h] != 0 || s.fitsLeader(u, h) {
		return true
	}
	old := s.lead[h]
	for l, left := range s.spare {
		if left == 0 || l == old {
			continue
		}
		s.setLead(h, l)
		if s.fitsLeader(u, h) {
			return true
		}
		s.setLead(h, old)
	}
	for e := range s.m.groups {
		if e == h || s.sizes[e] != 0 || s.lead[e] == old || s.lead[e] < 0 {
			continue
		}
		s.swapLeads(h, e)
		if s.fitsLeader(u, h) {
			return true
		}
		s.swapLeads(h, e)
	}
	return false
}

// fitEmptyAll gives empty group h a leader who could lead all of units
// together, as fitEmpty does for one, and reports whether it found one.
func (s *state) fitEmptyAll(units []int, h int) bool {
	if len(s.m.leads) == 0 || s.sizes[h] != 0 {
		return true
	}
	fits := func() bool {
		for _, u := range units {
			s.raw(u, h, +1)
		}
		ok := s.leadOK(h)
		for _, u := range units {
			s.raw(u, h, -1)
		}
		return ok
	}
	if fits() {
		return true
	}
	old := s.lead[h]
	for l, left := range s.spare {
		if left == 0 || l == old {
			continue
		}
		s.setLead(h, l)
		if fits() {
			return true
		}
		s.setLead(h, old)
	}
	for e := range s.m.groups {
		if e == h || s.sizes[e] != 0 || s.lead[e] == old || s.lead[e] < 0 {
			continue
		}
		s.swapLeads(h, e)
		if fits() {
			return true
		}
		s.swapLeads(h, e)
	}
	return false
}

// leadStart gives the empty groups a warm start fills leaders who can
// lead all of the units listed for them, by a maximum matching, when one
// covers every such group (a start the leaders could lead, such as last
// year's groups); otherwise it changes nothing, and warm chooses leaders
// group by group (fitEmptyAll). Choosing group by group can give a group
// the one leader a later group needed, and the later group's members
// would then be lost. With the matching, the other empty groups get
// leaders in turn from the capacity left, as initialLeaders gives them.
func (s *state) leadStart(groups [][]int) {
	L := len(s.spare)
	if len(s.m.leads) == 0 || L == 0 {
		return
	}
	var gs, empty []int // empty groups the start fills; all empty groups
	for g := range s.m.groups {
		if s.sizes[g] == 0 {
			empty = append(empty, g)
			if g < len(groups) && len(groups[g]) > 0 {
				gs = append(gs, g)
			}
		}
	}
	if len(gs) == 0 {
		return
	}
	// Each leader's capacity counting the empty groups it leads now; the
	// last entry counts the empty groups beyond the leaders' capacity,
	// which have none and need none.
	capacity := append(slices.Clone(s.spare), 0)
	for _, g := range empty {
		if l := s.lead[g]; l >= 0 {
			capacity[l]++
		} else {
			capacity[L]++
		}
	}
	// Nodes: source, the start's groups, leaders, sink. A maximum
	// matching leads as many of the groups as can be led; the rest need
	// to be among the groups with no leader.
	src, sink := 0, 1+len(gs)+L
	net := flow.New(len(gs) + L + 2)
	arcs := map[int][2]int{}
	for i, g := range gs {
		net.AddArc(src, 1+i, 1, 0)
		for _, u := range groups[g] {
			s.raw(u, g, +1)
		}
		old := s.lead[g]
		for l, c := range capacity[:L] {
			if c == 0 {
				continue
			}
			s.setLead(g, l)
			if s.leadOK(g) {
				arcs[net.AddArc(1+i, 1+len(gs)+l, 1, 0)] = [2]int{g, l}
			}
		}
		s.setLead(g, old)
		for _, u := range groups[g] {
			s.raw(u, g, -1)
		}
	}
	for l, c := range capacity[:L] {
		if c > 0 {
			net.AddArc(1+len(gs)+l, sink, c, 0)
		}
	}
	// Without costs the flow is a plain maximum matching, one path per
	// leader's group; it cannot fail without a context.
	led, _, err := net.Solve(context.Background(), src, sink, -1)
	if err != nil {
		panic(err)
	}
	if len(gs)-led > capacity[L] {
		return
	}
	for _, g := range empty {
		s.setLead(g, -1)
	}
	for a, gl := range arcs {
		if net.FlowOn(a) > 0 {
			s.setLead(gl[0], gl[1])
		}
	}
	// The start's groups left unmatched stay without a leader (there are
	// that many groups beyond the leaders' capacity); the other empty
	// groups get leaders in turn.
	inStart := make([]bool, s.m.groups)
	for _, g := range gs {
		inStart[g] = true
	}
	leadInTurn(slices.DeleteFunc(empty, func(g int) bool { return inStart[g] }), s.spare, s.setLead)
}

// swapLeads trades groups g's and h's leaders.
func (s *state) swapLeads(g, h int) {
	lg, lh := s.lead[g], s.lead[h]
	s.setLead(g, -1)
	s.setLead(h, lg)
	s.setLead(g, lh)
}

// relead gives group g another leader who can lead it, at random: one
// with capacity left, or one whose group can take g's leader in exchange.
// It reports whether g's leader changed and marks the groups it changed.
func (r *search) relead(s *state, g int, touched []bool) bool {
	L := len(s.spare)
	if L < 2 {
		return false
	}
	old := s.lead[g]
	l := r.rng.IntN(L)
	if l == old {
		return false
	}
	if s.spare[l] > 0 {
		s.setLead(g, l)
		if s.leadOK(g) {
			if touched != nil {
				touched[g] = true
			}
			return true
		}
		s.setLead(g, old)
		return false
	}
	// Exchange with one of l's groups, at random (l leads none of g's,
	// since it is not g's leader).
	gs := s.led[l]
	if len(gs) == 0 {
		return false
	}
	h := gs[r.rng.IntN(len(gs))]
	s.swapLeads(g, h)
	if s.leadOK(g) && s.leadOK(h) {
		if touched != nil {
			touched[g], touched[h] = true, true
		}
		return true
	}
	s.swapLeads(g, h)
	return false
}

// assignLeaders gives the solution's groups their leaders exactly: the
// most groups led, then the load spread, by AssignLeaders' min-cost flow.
// The search's own leaders are one feasible assignment, so the flow leads
// at least as many groups.
func assignLeaders(ctx context.Context, p *Problem, sol *Solution) error {
	l := p.Leading
	lp := LeaderProblem{Members: p.Members, Groups: sol.Groups, Leaders: l.Leaders,
		Share: l.Share, Conflict: l.Conflict, Balance: l.Balance}
	a, err := AssignLeaders(ctx, lp)
	if err != nil {
		return err
	}
	sol.Leaders = a.Leaders
	sol.Unled = a.Unassigned
	return nil
}

// noLeaderFor reports why no leader could lead unit u in any group, when
// every group has a leader (a group without one admits anyone the
// members' own constraints admit) and the leader checks turn every leader
// away from u alone. Capacity is not asked: no grouping of the members
// would place u, and the reason names what would. The checks are asked in
// turn of the leaders the earlier ones let through: the reason names the
// check that turns the last of them away ("no leader shares a language
// with them"), and, when one earlier check had narrowed them, that check
// too, as "given" with u's values as "given_values" ("no leader who shares
// a language with them shares a meeting time"). Where two earlier checks
// had narrowed them, or the last is a Conflict check after a narrowing,
// ok is false and the groups' own reason stands.
func (r *search) noLeaderFor(s *state, u int) (why Reason, ok bool) {
	if len(r.m.leads) == 0 || slices.Contains(s.lead, -1) {
		return Reason{}, false
	}
	n := len(r.m.units[u])
	pass := make([]int, len(r.m.p.Leading.Leaders))
	for l := range pass {
		pass[l] = l
	}
	var given []*leaderCheck
	for _, c := range r.m.leads {
		next := slices.DeleteFunc(slices.Clone(pass), func(l int) bool { return !c.unitFits(u, n, l) })
		if len(next) > 0 {
			if len(next) < len(pass) {
				given = append(given, c)
			}
			pass = next
			continue
		}
		if len(given) > 1 || len(given) == 1 && c.kind != leaderShare {
			return Reason{}, false
		}
		params := map[string]string{"constraint": string(c.kind), "attr": c.attr}
		if vals := r.unitAttr(u, c.attr); vals != "" {
			params["values"] = vals
		}
		if len(given) == 1 {
			params["given"] = given[0].attr
			if vals := r.unitAttr(u, given[0].attr); vals != "" {
				params["given_values"] = vals
			}
		}
		return Reason{Code: ReasonNoLeaderFits, Params: params}, true
	}
	return Reason{}, false
}

// unitFits reports whether leader l could lead a group of unit u's n
// members alone: for a Share attribute, some value of the leader's is
// held by every member; for a Conflict attribute, no member holds the
// leader's value.
func (c *leaderCheck) unitFits(u, n, l int) bool {
	for _, v := range c.lvals[l] {
		k := 0
		for _, x := range c.vals[u] {
			if x == v {
				k++
			}
		}
		if c.kind == leaderConflict && k > 0 {
			return false
		}
		if c.kind == leaderShare && k >= n {
			return true
		}
	}
	return c.kind == leaderConflict
}
