package grouping

import "slices"

// Compound moves that consolidate organizations.
//
// Single moves and swaps stall where one agency's staff sit in two groups
// in blocks of similar size: moving one member out of its block loses as
// much as it gains. The moves here change several members at once, on the
// attribute that most wants members alike (model.blocks): a block of one
// agency's staff moves to (or trades places with members of) another
// group of that agency; two groups holding one agency are split again with
// the agency's staff together; two pairs of members trade groups; a member
// joins its agency's staff in a full group whose odd member out moves on
// to a third group (a chain, or a cycle of three). Each is a sequence of
// moves and swaps among two or three groups, applied whole and then
// checked against every hard constraint in those groups (one member at a
// time would rarely pass: each must share a language and a meeting time
// with the group as it stands half-moved); a move that breaks one is
// undone. The search uses them as perturbations, so local search repairs
// what they disturb and late acceptance decides whether the round stands.

// step is one applied move (v < 0) or swap of a compound move, so that it
// can be undone.
type step struct{ u, v, from int }

// compound applies a sequence of moves and swaps among a few groups,
// recording each so that undo can take them back. Steps change the
// aggregates but not the objective; finish checks the result and sets
// the objective.
type compound struct {
	s      *state
	gs     []int   // the groups the steps may change
	before float64 // their term score before the first step
	steps  []step
}

func newCompound(s *state, g, h int) *compound {
	return &compound{s: s, gs: []int{g, h}, before: s.termScore(g, h)}
}

// add lets the steps change group i too; it must come before any step
// that does.
func (c *compound) add(i int) {
	if !slices.Contains(c.gs, i) {
		c.gs = append(c.gs, i)
		c.before += c.s.termScore(i, -1)
	}
}

// move moves u to h.
func (c *compound) move(u, h int) bool {
	c.steps = append(c.steps, step{u, -1, c.s.assign[u]})
	c.s.move(u, h, 0)
	return true
}

// swap swaps u and v.
func (c *compound) swap(u, v int) bool {
	c.steps = append(c.steps, step{u, v, 0})
	c.s.swap(u, v, 0)
	return true
}

// undo takes back every step, last first.
func (c *compound) undo() {
	for i := len(c.steps) - 1; i >= 0; i-- {
		st := c.steps[i]
		if st.v >= 0 {
			c.s.swap(st.u, st.v, 0)
		} else {
			c.s.move(st.u, st.from, 0)
		}
	}
	c.steps = c.steps[:0]
}

// finish keeps the steps if every group they change keeps every hard
// constraint (sizes, checks, cannot-links) and adds the change to the
// objective; otherwise it undoes them. It reports whether it kept them.
func (c *compound) finish() bool {
	s := c.s
	ok := len(c.steps) > 0 && c.sizesOK(c.gs...)
	for _, g := range c.gs {
		ok = ok && s.checksOK(g, -1)
	}
	for _, st := range c.steps {
		for _, u := range []int{st.u, st.v} {
			if ok && u >= 0 && s.cannotIn(u, s.assign[u], -1) {
				ok = false
			}
		}
	}
	if !ok {
		c.undo()
		return false
	}
	if s.m.mat != nil {
		s.obj = s.objective()
	} else {
		after := 0.0
		for _, g := range c.gs {
			after += s.termScore(g, -1)
		}
		s.obj += after - c.before
	}
	return true
}

// sizesOK reports whether groups g and h are empty or within their
// bounds.
func (c *compound) sizesOK(gs ...int) bool {
	for _, g := range gs {
		if n := c.s.sizes[g]; n != 0 && (n < c.s.m.bounds[g].Min || n > c.s.m.bounds[g].Max) {
			return false
		}
	}
	return true
}

// consolidate applies one random compound move that gathers the staff of
// an organization, marking the groups it changes in touched, and reports
// whether it applied one.
func (r *search) consolidate(s *state, touched []bool) bool {
	if r.m.blocks == nil {
		return false
	}
	// A placed, movable unit whose organization sits in other groups too.
	for range 8 {
		u := r.rng.IntN(len(r.m.units))
		g := s.assign[u]
		if g < 0 || r.m.pin[u] >= 0 || len(r.m.blocks[u]) < 2 {
			continue
		}
		// Those groups, a few at random, each with the four moves in
		// random order: most compound moves break a hard constraint (the
		// groups meet at different times), so several are tried.
		var hs []int
		for _, w := range r.m.blocks[u] {
			if h := s.assign[w]; h >= 0 && h != g && !slices.Contains(hs, h) {
				hs = append(hs, h)
			}
		}
		r.rng.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
		for _, h := range hs[:min(len(hs), 4)] {
			for _, kind := range r.rng.Perm(4) {
				c := newCompound(s, g, h)
				var ok bool
				switch kind {
				case 0:
					ok = r.moveBlock(c, u, g, h)
				case 1:
					ok = r.resplit(c, u, g, h)
				case 2:
					ok = r.chain(c, u, g, h)
				default:
					ok = r.swapPairs(c, u, g, h)
				}
				if !ok {
					c.undo()
					continue
				}
				if c.finish() {
					if touched != nil {
						for _, k := range c.gs {
							touched[k] = true
						}
					}
					return true
				}
			}
		}
		return false
	}
	return false
}

// inBlock lists the movable units of group g alike with u (u among them).
func (r *search) inBlock(s *state, u, g int) []int {
	var out []int
	for _, w := range s.members[g] {
		if r.m.pin[w] < 0 && r.alike(u, w) {
			out = append(out, w)
		}
	}
	return out
}

// alike reports whether units u and w are alike on the blocks' attribute.
func (r *search) alike(u, w int) bool {
	// Units alike share one list, whose first unit names it.
	a, b := r.m.blocks[u], r.m.blocks[w]
	return len(a) > 0 && len(b) > 0 && a[0] == b[0]
}

// moveBlock moves u's block in g into h, trading places with members of h
// not alike with u where h has no room.
func (r *search) moveBlock(c *compound, u, g, h int) bool {
	s := c.s
	block := r.inBlock(s, u, g)
	for _, w := range block {
		if !s.admits(w, h, -1) {
			return false // shares no value with h's members: hopeless
		}
	}
	var others []int
	for _, w := range s.members[h] {
		if r.m.pin[w] < 0 && !r.alike(u, w) && s.admits(w, g, -1) {
			others = append(others, w)
		}
	}
	r.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	for _, w := range block {
		if s.sizes[h]+s.unitSize(w) <= r.m.bounds[h].Max {
			if !c.move(w, h) {
				return false
			}
			continue
		}
		traded := false
		for len(others) > 0 && !traded {
			v := others[0]
			others = others[1:]
			traded = c.swap(w, v)
		}
		if !traded {
			return false
		}
	}
	return true
}

// resplit splits the movable members of g and h again, keeping the
// groups' sizes: u's organization first into g, then the rest by
// organization, so that each organization's staff sit together.
func (r *search) resplit(c *compound, u, g, h int) bool {
	s := c.s
	var pool []int
	room := 0 // movable places in g
	for _, w := range s.members[g] {
		if r.m.pin[w] < 0 {
			pool = append(pool, w)
			room += s.unitSize(w)
		}
	}
	for _, w := range s.members[h] {
		if r.m.pin[w] < 0 {
			pool = append(pool, w)
		}
	}
	// Order: u's organization, then the others' organizations as blocks
	// (by their first unit), shuffled within.
	r.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	key := make(map[int]int, len(pool))
	for i, w := range pool {
		switch b := r.m.blocks[w]; {
		case r.alike(u, w):
			key[w] = -1
		case len(b) > 0:
			key[w] = b[0]
		default:
			key[w] = len(r.m.units) + i
		}
	}
	slices.SortStableFunc(pool, func(a, b int) int { return key[a] - key[b] })
	var toG, toH []int // units that must change sides
	filled := 0
	for _, w := range pool {
		want := h
		if filled+s.unitSize(w) <= room {
			want = g
			filled += s.unitSize(w)
		}
		switch {
		case want == g && s.assign[w] == h:
			toG = append(toG, w)
		case want == h && s.assign[w] == g:
			toH = append(toH, w)
		}
	}
	for i := 0; i < len(toG) && i < len(toH); i++ {
		if !c.swap(toG[i], toH[i]) {
			return false
		}
	}
	for i := len(toH); i < len(toG); i++ {
		if !c.move(toG[i], g) {
			return false
		}
	}
	for i := len(toG); i < len(toH); i++ {
		if !c.move(toH[i], h) {
			return false
		}
	}
	return true
}

// swapPairs trades u and another member of g alike with u for two members
// of h alike with each other and not with u.
func (r *search) swapPairs(c *compound, u, g, h int) bool {
	s := c.s
	block := r.inBlock(s, u, g)
	if len(block) < 2 {
		return false
	}
	u2 := block[r.rng.IntN(len(block))]
	if u2 == u || !s.admits(u, h, -1) || !s.admits(u2, h, -1) {
		return false
	}
	var cand []int
	for _, w := range s.members[h] {
		if r.m.pin[w] < 0 && !r.alike(u, w) && s.admits(w, g, -1) {
			cand = append(cand, w)
		}
	}
	if len(cand) < 2 {
		return false
	}
	v := cand[r.rng.IntN(len(cand))]
	v2 := -1
	for _, w := range cand {
		if w != v && r.alike(v, w) {
			v2 = w
			break
		}
	}
	if v2 < 0 {
		for _, w := range cand {
			if w != v {
				v2 = w
				break
			}
		}
	}
	return c.swap(u, v) && c.swap(u2, v2)
}

// chain moves u from g into h, where its organization's staff sit, and
// makes room there: a member w of h with the fewest alike in h moves on
// to a third group i (one holding w's own organization's staff, or one
// at random) that admits it; when i has no room or g would fall below
// its minimum, a member x of i moves into g, closing a cycle of three
// groups whose sizes stay as they were. No single move or swap makes
// such a change, nor do the moves between two groups above.
func (r *search) chain(c *compound, u, g, h int) bool {
	s := c.s
	var ws []int
	for _, w := range s.members[h] {
		if r.m.pin[w] < 0 && !r.alike(u, w) && s.admits(u, h, w) {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return false
	}
	mates := func(w, k int) int {
		n := 0
		for _, x := range s.members[k] {
			if x != w && r.alike(w, x) {
				n++
			}
		}
		return n
	}
	w := ws[r.rng.IntN(len(ws))]
	fewest := mates(w, h)
	for _, x := range ws {
		if n := mates(x, h); n < fewest {
			w, fewest = x, n
		}
	}
	// Where w goes: among its organization's groups, then at random.
	var is []int
	for _, x := range r.m.blocks[w] {
		if k := s.assign[x]; k >= 0 && k != g && k != h && !slices.Contains(is, k) {
			is = append(is, k)
		}
	}
	r.rng.Shuffle(len(is), func(a, b int) { is[a], is[b] = is[b], is[a] })
	is = is[:min(len(is), 3)]
	for range 2 {
		if k := r.rng.IntN(r.m.groups); k != g && k != h && s.sizes[k] > 0 && !slices.Contains(is, k) {
			is = append(is, k)
		}
	}
	for _, i := range is {
		if !s.admits(w, i, -1) {
			continue
		}
		room := s.sizes[i]+s.unitSize(w) <= r.m.bounds[i].Max && s.sizes[g]-s.unitSize(u) >= r.m.bounds[g].Min
		x := -1
		if !room || s.unitSize(u) != s.unitSize(w) {
			// A member of i into g, the fewest alike in i first.
			for _, y := range s.members[i] {
				if r.m.pin[y] < 0 && s.unitSize(y) == s.unitSize(w) && s.admits(y, g, u) && (x < 0 || mates(y, i) < mates(x, i)) {
					x = y
				}
			}
			if x < 0 {
				continue
			}
		}
		c.add(i)
		c.move(w, i)
		c.move(u, h)
		if x >= 0 {
			c.move(x, g)
		}
		return true
	}
	return false
}
