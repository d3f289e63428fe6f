package grouping

import "math/bits"

// Shared values from bit masks.
//
// Most of the search's time goes to asking whether a swap or a move keeps
// every group's shared language and meeting time, and its leader's: a
// Share constraint, or a leader's Share rule, holds in a group when some
// value is held by every member. Where an attribute has at most 64
// values, each unit's values are a bit mask, and each group keeps two
// masks: the values every member holds (full) and those all members but
// one hold (near). A swap or a move then keeps the group's shared value
// when a few mask operations say so, instead of a walk over both units'
// values and the group's counts.
//
// The group masks are computed from the counts when first asked for after
// the group changed: the state counts each group's changes (state.ver),
// and evaluations that apply a change to the counts and undo it leave
// them as they were.

// fitIndex is the masks of one Share check or leader Share rule.
type fitIndex struct {
	counts *counts
	unit   []uint64 // per unit: its values
	lead   []uint64 // per leader: its values; nil for a Share constraint
	groups []fitGroup
}

// fitGroup is one group's masks, kept side by side so that asking for
// them reads one cache line.
type fitGroup struct {
	full uint64 // values every member holds
	near uint64 // values all members but one hold
	at   uint64 // the state's ver when full and near were computed, plus 1
}

// newFitIndexes returns, parallel to m.checks, the masks of each Share
// check and leader Share rule whose attribute has at most 64 values, nil
// for the others; nil when none has masks.
func newFitIndexes(m *model) []*fitIndex {
	out := make([]*fitIndex, len(m.checks))
	found := false
	for i, c := range m.checks {
		var f *fitIndex
		switch c := c.(type) {
		case *catCheck:
			if c.con.Kind == Share && c.nv <= 64 {
				f = newFitIndex(m, c.counts)
			}
		case *leaderCheck:
			if c.kind == leaderShare && c.nv <= 64 {
				f = newFitIndex(m, c.counts)
				f.lead = make([]uint64, len(c.lvals))
				for l, vals := range c.lvals {
					f.lead[l] = maskOf(vals)
				}
			}
		}
		if f != nil {
			out[i], found = f, true
		}
	}
	if !found {
		return nil
	}
	return out
}

func newFitIndex(m *model, c *counts) *fitIndex {
	f := &fitIndex{counts: c, unit: make([]uint64, len(m.units)),
		groups: make([]fitGroup, m.groups)}
	for u, vals := range c.vals {
		f.unit[u] = maskOf(vals)
	}
	return f
}

func maskOf(vals []int) uint64 {
	var b uint64
	for _, v := range vals {
		b |= 1 << uint(v)
	}
	return b
}

// masks returns group g's full and near masks, computing them if g
// changed since they were.
func (f *fitIndex) masks(s *state, g int) (full, near uint64) {
	fg := &f.groups[g]
	if fg.at == s.ver[g]+1 {
		return fg.full, fg.near
	}
	n := s.sizes[g]
	for y, k := range f.counts.c[g] {
		switch k {
		case n:
			full |= 1 << uint(y)
		case n - 1:
			near |= 1 << uint(y)
		}
	}
	fg.full, fg.near, fg.at = full, near, s.ver[g]+1
	return full, near
}

// allow is the mask of values a group's members must share: every value
// for a Share constraint, the values of its leader for a leader's rule;
// ok is false for a group without a leader, which the rule leaves free.
func (f *fitIndex) allow(s *state, g int) (mask uint64, ok bool) {
	if f.lead == nil {
		return ^uint64(0), true
	}
	l := s.lead[g]
	if l < 0 {
		return 0, false
	}
	return f.lead[l], true
}

// swapOK reports whether group g, where simple unit in takes the place
// of simple unit out, still shares a value (one its leader holds, for a
// leader's rule). Group g is not empty: out is in it.
func (f *fitIndex) swapOK(s *state, g, in, out int) bool {
	allow, ok := f.allow(s, g)
	if !ok {
		return true
	}
	full, near := f.masks(s, g)
	// A value every member holds is out's too, and stays shared when in
	// holds it; one all but one hold becomes shared when in holds it and
	// out, the one without it, leaves.
	return (full|near&^f.unit[out])&f.unit[in]&allow != 0
}

// joinOK is a necessary condition for unit u to join group h, which it
// is not in: some value every member of h holds (any value, when h is
// empty) is u's. It is exact for a simple unit.
func (f *fitIndex) joinOK(s *state, u, h int) bool {
	allow, ok := f.allow(s, h)
	if !ok {
		return true
	}
	if s.sizes[h] == 0 {
		return f.unit[u]&allow != 0
	}
	full, _ := f.masks(s, h)
	return full&f.unit[u]&allow != 0
}

// leaveOK is a necessary condition for simple unit u to leave group g:
// it was the only member, or those who stay share a value. It is exact
// for a simple unit.
func (f *fitIndex) leaveOK(s *state, u, g int) bool {
	allow, ok := f.allow(s, g)
	if !ok || s.sizes[g] <= 1 {
		return true
	}
	full, near := f.masks(s, g)
	return (full|near&^f.unit[u])&allow != 0
}

// fitsMove is a quick necessary condition of the Share checks and leader
// Share rules for unit u leaving its group g (-1 for none) for h.
func (s *state) fitsMove(u, g, h int) bool {
	for _, f := range s.fit {
		if f == nil {
			continue
		}
		if !f.joinOK(s, u, h) {
			return false
		}
		if g >= 0 && s.m.simple[u] && !f.leaveOK(s, u, g) {
			return false
		}
	}
	return true
}

// movePossible is a quick necessary condition of every check for unit u
// leaving its group g (-1 for none) for h, read from the masks and the
// counts without changing them: the Share checks and leader Share rules
// from the masks; for a simple unit, the categorical checks and the
// leaders' Conflict rules from the counts too (Separate checks from their
// masks where they have them).
func (s *state) movePossible(u, g, h int) bool {
	if s.fit != nil && !s.fitsMove(u, g, h) {
		return false
	}
	if !s.m.simple[u] {
		return true
	}
	for i, c := range s.m.checks {
		if s.fit != nil && s.fit[i] != nil {
			continue
		}
		switch c := c.(type) {
		case *catCheck:
			if c.con.Kind == Share {
				continue // admits tests it
			}
			if s.sep != nil && s.sep[i] != nil {
				if x := s.sep[i]; !x.joinOK(s, u, h) || (g >= 0 && !x.leaveOK(s, u, g)) {
					return false
				}
				continue
			}
			if !c.okAfter(h, u, -1) || (g >= 0 && !c.okAfter(g, -1, u)) {
				return false
			}
		case *leaderCheck:
			if c.kind != leaderConflict {
				continue
			}
			if l := s.lead[h]; l >= 0 {
				for _, v := range c.lvals[l] {
					if c.c[h][v] > 0 || has(c.vals[u], v) {
						return false
					}
				}
			}
		}
	}
	return true
}

// swapInPossible is a necessary condition for simple unit u to take the
// place of any member of group h (not u's): for every Share check and
// leader Share rule with masks, u holds a value that all of h's members
// but at most one hold (one h's leader holds, for a leader's rule). When
// it fails, no swap of u into h keeps h's shared value, and the search
// skips h's members one by one.
func (s *state) swapInPossible(u, h int) bool {
	if s.fit == nil || !s.m.simple[u] || s.sizes[h] == 0 {
		return true
	}
	for _, f := range s.fit {
		if f == nil {
			continue
		}
		allow, ok := f.allow(s, h)
		if !ok {
			continue
		}
		full, near := f.masks(s, h)
		if (full|near)&f.unit[u]&allow == 0 {
			return false
		}
	}
	return true
}

// sepIndex is the masks of one Separate check whose attribute has at most
// 64 values: per unit the listed values it holds, per group those some
// member holds (present) and those exactly one holds (single). A swap
// keeps the check where at most one listed value is present after it.
type sepIndex struct {
	counts *counts
	values []int    // the check's listed values
	unit   []uint64 // per unit: its listed values
	groups []sepGroup
}

// sepGroup is one group's Separate masks.
type sepGroup struct {
	present uint64 // listed values some member holds
	single  uint64 // listed values exactly one member holds
	at      uint64 // the state's ver when computed, plus 1
}

// newSepIndexes returns, parallel to m.checks, the masks of each Separate
// check whose attribute has at most 64 values, nil for the others; nil
// when none has them.
func newSepIndexes(m *model) []*sepIndex {
	var out []*sepIndex
	for i, c := range m.checks {
		cc, ok := c.(*catCheck)
		if !ok || cc.con.Kind != Separate || cc.nv > 64 {
			continue
		}
		if out == nil {
			out = make([]*sepIndex, len(m.checks))
		}
		x := &sepIndex{counts: cc.counts, values: cc.values, unit: make([]uint64, len(m.units)), groups: make([]sepGroup, m.groups)}
		listed := maskOf(cc.values)
		for u, vals := range cc.vals {
			x.unit[u] = maskOf(vals) & listed
		}
		out[i] = x
	}
	return out
}

// masks returns group g's present and single masks, computing them if g
// changed since they were.
func (x *sepIndex) masks(s *state, g int) (present, single uint64) {
	sg := &x.groups[g]
	if sg.at == s.ver[g]+1 {
		return sg.present, sg.single
	}
	row := x.counts.c[g]
	for _, y := range x.values {
		switch k := row[y]; {
		case k == 1:
			single |= 1 << uint(y)
			present |= 1 << uint(y)
		case k > 1:
			present |= 1 << uint(y)
		}
	}
	sg.present, sg.single, sg.at = present, single, s.ver[g]+1
	return present, single
}

// swapOK reports whether group g, where simple unit in takes the place of
// simple unit out, holds at most one listed value: those present stay
// but a value only out held, unless in holds it too, and in's join them.
func (x *sepIndex) swapOK(s *state, g, in, out int) bool {
	present, single := x.masks(s, g)
	after := present&^(single&x.unit[out]&^x.unit[in]) | x.unit[in]
	return bits.OnesCount64(after) <= 1
}

// joinOK reports whether group h, which simple unit u joins, holds at most
// one listed value after.
func (x *sepIndex) joinOK(s *state, u, h int) bool {
	present, _ := x.masks(s, h)
	return bits.OnesCount64(present|x.unit[u]) <= 1
}

// leaveOK reports whether group g, which simple unit u leaves, holds at
// most one listed value after: a value only u held goes with it.
func (x *sepIndex) leaveOK(s *state, u, g int) bool {
	present, single := x.masks(s, g)
	return bits.OnesCount64(present&^(single&x.unit[u])) <= 1
}
