package grouping

// state is an assignment of units to groups with every aggregate the
// deltas need.
type state struct {
	m      *model
	assign []int // per unit: group, or -1 when unplaced
	sizes  []int // per group: members
	obj    float64
	// members lists each group's units (in no particular order) and pos
	// each unit's index in its group's list, for neighborhoods that look
	// inside a group.
	members [][]int
	pos     []int
	// journal, while logging, records every move and swap, so that rewind
	// can return to the state it was started from in time proportional to
	// the changes rather than to the problem.
	journal []op
	logging bool
	// lead is each group's leader (-1 for none), spare each leader's
	// capacity left and led the groups each leads, with leaders (see
	// lead.go).
	lead  []int
	spare []int
	led   [][]int
	// ver counts each group's changes of members, and fit holds, parallel
	// to the model's checks, the masks of the Share checks that have them
	// (see fit_search.go).
	ver []uint64
	fit []*fitIndex
	// sep holds, parallel to the model's checks, the masks of the
	// Separate checks that have them, for swaps and simple units' moves
	// (see sepIndex).
	sep []*sepIndex
	// fastMove is set when every check's verdict on a simple unit's move
	// follows from the quick tests moveDelta makes first, and every term
	// has a move delta from the counts (see moveFast).
	fastMove bool
	// checkOrder is the order swapChecksFast asks the checks in, once
	// checkCalls reaches orderCalls: the checks that turn most swaps down
	// first (orderChecks), counted from the checks that failed on each of
	// the first calls (checkFails), which ask every check. The checks'
	// verdicts are joined by "and", so the order changes the cost only.
	checkOrder []int
	checkFails []uint64
	checkCalls int
}

// orderCalls is how many swaps swapChecksFast asks every check about
// before it orders them.
const orderCalls = 4096

// op is one logged change: unit u moved from group from, or, with v >= 0,
// units u and v swapped, or, with u = -1, group v's leader changed from
// leader from.
type op struct{ u, v, from int }

// record starts (or restarts) the journal at the current state.
func (s *state) record() {
	s.journal = s.journal[:0]
	s.logging = true
}

// rewind undoes every change since record, and sets the objective to obj,
// the objective the state had then.
func (s *state) rewind(obj float64) {
	s.logging = false
	for i := len(s.journal) - 1; i >= 0; i-- {
		o := s.journal[i]
		if o.u < 0 {
			s.setLead(o.v, o.from)
		} else if o.v >= 0 {
			s.swap(o.u, o.v, 0)
		} else {
			s.move(o.u, o.from, 0)
		}
	}
	s.obj = obj
	s.record()
}

func newState(m *model) *state {
	s := &state{m: m, assign: make([]int, len(m.units)), sizes: make([]int, m.groups), members: make([][]int, m.groups), pos: make([]int, len(m.units)),
		ver: make([]uint64, m.groups), fit: newFitIndexes(m), sep: newSepIndexes(m)}
	s.fastMove = fastMoves(m, s.fit)
	for u := range s.assign {
		s.assign[u] = -1
	}
	s.lead, s.spare = initialLeaders(m)
	s.led = make([][]int, len(s.spare))
	for g, l := range s.lead {
		if l >= 0 {
			s.led[l] = append(s.led[l], g)
		}
	}
	for _, c := range m.leads {
		c.sizes, c.lead = s.sizes, s.lead
		for g := range c.c {
			clear(c.c[g])
		}
	}
	for _, t := range m.terms {
		t.reset(s.sizes)
	}
	for _, c := range m.checks {
		if cc, ok := c.(*catCheck); ok {
			cc.sizes = s.sizes
			for g := range cc.c {
				clear(cc.c[g])
			}
		}
	}
	if m.mat != nil {
		clear(m.mat.w)
		for i := range m.mat.groupOf {
			m.mat.groupOf[i] = -1
		}
	}
	return s
}

// load sets the state to an assignment, with the initial leaders.
func (s *state) load(assign []int) { s.loadLed(assign, nil) }

// loadLed sets the state to an assignment and its groups' leaders (lead
// as state.lead holds them; nil keeps the initial leaders).
func (s *state) loadLed(assign, lead []int) {
	*s = *newState(s.m)
	for g, l := range lead {
		s.setLead(g, l)
	}
	for u, g := range assign {
		if g >= 0 {
			s.place(u, g)
		}
	}
	s.obj = s.objective()
}

// regroup records unit u leaving group from (-1 for none) for group to
// (-1 for none) in the member lists.
func (s *state) regroup(u, from, to int) {
	if from >= 0 {
		s.ver[from]++
		l := s.members[from]
		i := s.pos[u]
		last := l[len(l)-1]
		l[i], s.pos[last] = last, i
		s.members[from] = l[:len(l)-1]
	}
	if to >= 0 {
		s.ver[to]++
		s.pos[u] = len(s.members[to])
		s.members[to] = append(s.members[to], u)
	}
}

func (s *state) unitSize(u int) int { return len(s.m.units[u]) }

// raw adds or removes unit u at group g in every aggregate except pairs.
func (s *state) raw(u, g, sign int) {
	s.sizes[g] += sign * s.unitSize(u)
	for _, t := range s.m.terms {
		t.add(u, g, sign)
	}
	for _, c := range s.m.checks {
		c.add(u, g, sign)
	}
}

// place puts an unplaced unit into g.
func (s *state) place(u, g int) {
	s.raw(u, g, +1)
	s.regroup(u, -1, g)
	s.assign[u] = g
	if s.m.mat != nil {
		s.m.mat.move(u, -1, g)
	}
}

// unplace takes unit u out of its group.
func (s *state) unplace(u int) {
	g := s.assign[u]
	s.raw(u, g, -1)
	s.regroup(u, g, -1)
	s.assign[u] = -1
	if s.m.mat != nil {
		s.m.mat.move(u, g, -1)
	}
}

// termScore is the weighted score of groups g and h (h may equal g or be -1).
func (s *state) termScore(g, h int) float64 {
	t := 0.0
	for _, term := range s.m.terms {
		w := term.weight()
		t += w * term.score(g)
		if h >= 0 && h != g {
			t += w * term.score(h)
		}
	}
	return t
}

func (s *state) checksOK(g, h int) bool {
	for _, c := range s.m.checks {
		if !c.ok(g) || (h >= 0 && !c.ok(h)) {
			return false
		}
	}
	return true
}

// admits is a quick necessary condition of the hard constraints for unit
// u joining group h while unit out (-1 for none) leaves it.
func (s *state) admits(u, h, out int) bool { return s.admitsOf(u, h, out, false) }

// admitsOf is admits, which with masked leaves out the Share checks that
// have masks (see fit_search.go), for callers that read those next.
func (s *state) admitsOf(u, h, out int, masked bool) bool {
	k := 0
	if out >= 0 {
		k = s.unitSize(out)
	}
	for i, c := range s.m.checks {
		if masked && s.fit != nil && s.fit[i] != nil {
			continue
		}
		if cc, ok := c.(*catCheck); ok && !cc.admits(u, h, out, k) {
			return false
		}
	}
	return true
}

// cannotIn reports whether unit u has a cannot-link partner in group h,
// other than except.
func (s *state) cannotIn(u, h, except int) bool {
	for _, v := range s.m.cannot[u] {
		if v != except && s.assign[v] == h {
			return true
		}
	}
	return false
}

// moveDelta evaluates moving unit u to group h; ok is false when the move
// breaks a hard constraint. enforceMin keeps the source group at its minimum.
// A simple unit's move, where the quick tests decide every check
// (state.fastMove), is scored from the counts (moveFast); any other is
// applied to the aggregates and undone.
func (s *state) moveDelta(u, h int, enforceMin bool) (float64, bool) {
	g := s.assign[u]
	if g == h || s.m.pin[u] >= 0 {
		return 0, false
	}
	k := s.unitSize(u)
	if s.sizes[h]+k > s.m.bounds[h].Max || (enforceMin && g >= 0 && s.sizes[g]-k < s.m.bounds[g].Min) {
		return 0, false
	}
	if !s.admitsOf(u, h, -1, true) || !s.movePossible(u, g, h) || s.cannotIn(u, h, -1) {
		return 0, false
	}
	if s.fastMove && g >= 0 && s.m.simple[u] {
		d := s.moveFast(u, g, h)
		if s.m.mat != nil {
			d += s.m.mat.moveDelta(u, g, h)
		}
		return d, true
	}
	before := 0.0
	if len(s.m.terms) > 0 {
		before = s.termScore(max(g, h), min(g, h))
	}
	if g >= 0 {
		s.raw(u, g, -1)
	}
	s.raw(u, h, +1)
	ok := s.checksOK(h, g)
	after := 0.0
	if len(s.m.terms) > 0 {
		after = s.termScore(max(g, h), min(g, h))
	}
	s.raw(u, h, -1)
	if g >= 0 {
		s.raw(u, g, +1)
	}
	d := after - before
	if s.m.mat != nil {
		if g >= 0 {
			d += s.m.mat.moveDelta(u, g, h)
		} else {
			for _, i := range s.m.units[u] {
				d += s.m.mat.with(i, h)
			}
		}
	}
	return d, ok
}

// swapDelta evaluates units u and v trading groups.
func (s *state) swapDelta(u, v int) (float64, bool) {
	g, h := s.assign[u], s.assign[v]
	if g == h || g < 0 || h < 0 || s.m.pin[u] >= 0 || s.m.pin[v] >= 0 {
		return 0, false
	}
	ku, kv := s.unitSize(u), s.unitSize(v)
	if ku != kv {
		bg, bh := s.m.bounds[g], s.m.bounds[h]
		ng, nh := s.sizes[g]-ku+kv, s.sizes[h]-kv+ku
		if ng < bg.Min || ng > bg.Max || nh < bh.Min || nh > bh.Max {
			return 0, false
		}
	}
	var d float64
	if s.m.simple[u] && s.m.simple[v] {
		// The fast path's checks are exact: no quick test first. They
		// turn most swaps down, so the cannot-link lists come after them.
		if s.fit == nil && (!s.admits(u, h, v) || !s.admits(v, g, u)) {
			return 0, false
		}
		if !s.swapChecksFast(u, v, g, h) || s.cannotIn(u, h, v) || s.cannotIn(v, g, u) {
			return 0, false
		}
		d = s.swapTermsFast(u, v, g, h)
	} else {
		if s.cannotIn(u, h, v) || s.cannotIn(v, g, u) || !s.admits(u, h, v) || !s.admits(v, g, u) {
			return 0, false
		}
		var ok bool
		if d, ok = s.swapSlow(u, v, g, h); !ok {
			return 0, false
		}
	}
	if s.m.mat != nil {
		d += s.m.mat.swapDelta(u, v, g, h)
	}
	return d, true
}

// swapFast evaluates the terms and checks for simple units u (in g) and v
// (in h) trading groups from the counts alone.
func (s *state) swapFast(u, v, g, h int) (float64, bool) {
	if !s.swapChecksFast(u, v, g, h) {
		return 0, false
	}
	return s.swapTermsFast(u, v, g, h), true
}

// swapChecksFast reports from the counts alone whether simple units u (in
// g) and v (in h) trading groups keeps every check.
//
// Most swaps a search weighs break some check, and which check breaks most
// depends on the problem (on county-shaped problems, the shared meeting
// time far more often than the shared language), so the checks are asked
// in the order of checkOrder, which the first orderCalls calls count for.
func (s *state) swapChecksFast(u, v, g, h int) bool {
	if s.checkCalls < orderCalls {
		return s.swapChecksCounted(u, v, g, h)
	}
	for _, i := range s.checkOrder {
		if !s.swapCheckFast(i, u, v, g, h) {
			return false
		}
	}
	return true
}

// swapCheckFast reports from the counts alone whether check i holds when
// simple units u (in g) and v (in h) trade groups.
func (s *state) swapCheckFast(i, u, v, g, h int) bool {
	if s.fit != nil && s.fit[i] != nil {
		f := s.fit[i]
		return f.swapOK(s, g, v, u) && f.swapOK(s, h, u, v)
	}
	if s.sep != nil && s.sep[i] != nil {
		x := s.sep[i]
		return x.swapOK(s, g, v, u) && x.swapOK(s, h, u, v)
	}
	return s.m.checks[i].swapOK(u, v, g, h)
}

// masked reports whether check i has masks for swaps.
func (s *state) masked(i int) bool {
	return (s.fit != nil && s.fit[i] != nil) || (s.sep != nil && s.sep[i] != nil)
}

// swapChecksCounted is swapChecksFast while the checks are counted: it asks
// every check, notes which fail, and after orderCalls calls sets
// checkOrder (orderChecks).
func (s *state) swapChecksCounted(u, v, g, h int) bool {
	var failed uint64
	for i := range s.m.checks {
		if !s.swapCheckFast(i, u, v, g, h) {
			failed |= 1 << uint(min(i, 63))
		}
	}
	s.checkFails = append(s.checkFails, failed)
	if s.checkCalls++; s.checkCalls == orderCalls {
		s.checkOrder = orderChecks(len(s.m.checks), s.checkFails, s.masked)
		s.checkFails = nil
	}
	return failed == 0
}

// orderChecks orders n checks from the sets of checks that failed on a
// sample of calls (bit i for check i; checks from 63 on share bit 63 and
// keep their order, last): greedily, next the check that turns down the
// most of the calls every check before it passed, per its cost, where a
// check with masks costs 1 and any other 2 (it walks the units' values).
// On county-shaped problems that is the shared meeting time, then the
// roles kept apart, then the rest; a fixed order that asks the roles
// first is slower than the order of the model.
func orderChecks(n int, fails []uint64, masked func(int) bool) []int {
	order := make([]int, 0, n)
	used := make([]bool, min(n, 63))
	left := fails
	for range used {
		best, bestScore := -1, -1.0
		for i := range used {
			if used[i] {
				continue
			}
			k := 0
			for _, f := range left {
				if f&(1<<uint(i)) != 0 {
					k++
				}
			}
			score := float64(k)
			if !masked(i) {
				score /= 2
			}
			if score > bestScore {
				best, bestScore = i, score
			}
		}
		used[best] = true
		order = append(order, best)
		kept := left[:0:0]
		for _, f := range left {
			if f&(1<<uint(best)) == 0 {
				kept = append(kept, f)
			}
		}
		left = kept
	}
	for i := 63; i < n; i++ {
		order = append(order, i)
	}
	return order
}

// swapTermsFast is the change in the terms when simple units u (in g) and
// v (in h) trade groups, from the counts alone.
func (s *state) swapTermsFast(u, v, g, h int) float64 {
	d := 0.0
	for _, t := range s.m.terms {
		d += t.weight() * t.swapDelta(u, v, g, h)
	}
	return d
}

// swapSlow evaluates the terms and checks for units u (in g) and v (in h)
// trading groups by applying the swap to every aggregate and undoing it.
func (s *state) swapSlow(u, v, g, h int) (float64, bool) {
	d := 0.0
	if len(s.m.terms) > 0 || len(s.m.checks) > 0 {
		before := s.termScore(g, h)
		s.raw(u, g, -1)
		s.raw(v, h, -1)
		s.raw(u, h, +1)
		s.raw(v, g, +1)
		ok := s.checksOK(g, h)
		after := s.termScore(g, h)
		s.raw(u, h, -1)
		s.raw(v, g, -1)
		s.raw(u, g, +1)
		s.raw(v, h, +1)
		if !ok {
			return 0, false
		}
		d = after - before
	}
	return d, true
}

// move applies a move whose delta is known.
func (s *state) move(u, h int, delta float64) {
	g := s.assign[u]
	if s.logging {
		s.journal = append(s.journal, op{u, -1, g})
	}
	if g >= 0 {
		s.raw(u, g, -1)
	}
	s.raw(u, h, +1)
	s.regroup(u, g, h)
	s.assign[u] = h
	if s.m.mat != nil {
		s.m.mat.move(u, g, h)
	}
	s.obj += delta
}

// swap applies a swap whose delta is known.
func (s *state) swap(u, v int, delta float64) {
	g, h := s.assign[u], s.assign[v]
	if s.logging {
		s.journal = append(s.journal, op{u, v, 0})
	}
	s.raw(u, g, -1)
	s.raw(v, h, -1)
	s.raw(u, h, +1)
	s.raw(v, g, +1)
	s.regroup(u, g, h)
	s.regroup(v, h, g)
	s.assign[u], s.assign[v] = h, g
	if s.m.mat != nil {
		s.m.mat.move(u, g, h)
		s.m.mat.move(v, h, g)
	}
	s.obj += delta
}

// objective is the weighted objective from the aggregates.
func (s *state) objective() float64 {
	t := 0.0
	for _, term := range s.m.terms {
		for g := range s.m.groups {
			t += term.weight() * term.score(g)
		}
	}
	if s.m.mat != nil {
		t += s.m.mat.total()
	}
	return t
}
