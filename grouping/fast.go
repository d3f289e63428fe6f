package grouping

// Swap and move deltas from the counts alone.
//
// Evaluating a swap by applying it to every aggregate and undoing it costs
// eight updates of every term and check; most swaps the search weighs are
// between two single members, and for those each term's change and each
// check's verdict follow from the two groups' counts directly. The
// functions here compute them without changing anything. A unit is simple
// when it is one member holding no value twice in any counted attribute;
// the fast path applies only when both units of a swap are simple, and a
// test compares it with applying and undoing on random states.
//
// Moves have a fast path too (moveFast): a simple unit's move is scored
// from the counts when the quick tests moveDelta makes first decide every
// check exactly (fastMoves): the presets' problems but intergroup
// dialogue's, whose Isolation criterion depends on group sizes. A second
// test compares it with applying and undoing.

// simpleUnits marks the units the fast path may use.
func simpleUnits(m *model) []bool {
	simple := make([]bool, len(m.units))
	var lists [][][]int
	for _, t := range m.terms {
		if ct, ok := t.(*catTerm); ok {
			lists = append(lists, ct.vals)
		}
	}
	for _, c := range m.checks {
		if cc, ok := c.(*catCheck); ok {
			lists = append(lists, cc.vals)
		}
	}
	for _, c := range m.leads {
		lists = append(lists, c.vals)
	}
	for u := range m.units {
		simple[u] = len(m.units[u]) == 1
		for _, vals := range lists {
			if !simple[u] {
				break
			}
			simple[u] = distinct(vals[u])
		}
	}
	return simple
}

func distinct(vals []int) bool {
	for i, v := range vals {
		for _, w := range vals[i+1:] {
			if v == w {
				return false
			}
		}
	}
	return true
}

func has(vals []int, v int) bool {
	for _, w := range vals {
		if w == v {
			return true
		}
	}
	return false
}

// swapPairs is the change in the sum over values of c*(c-1)/2 in groups
// g and h when simple unit u leaves g for h and simple unit v leaves h
// for g. A value held by both units changes no count.
func (c *counts) swapPairs(u, v, g, h int) int {
	U, V := c.vals[u], c.vals[v]
	rg, rh := c.c[g], c.c[h]
	d := 0
	for _, x := range U {
		if !has(V, x) {
			d += rh[x] - (rg[x] - 1)
		}
	}
	for _, x := range V {
		if !has(U, x) {
			d += rg[x] - (rh[x] - 1)
		}
	}
	return d
}

// after is value x's count in group g once unit in joins and unit out
// leaves.
func (c *counts) after(g, x, in, out int) int {
	n := c.c[g][x]
	if in >= 0 && has(c.vals[in], x) {
		n++
	}
	if out >= 0 && has(c.vals[out], x) {
		n--
	}
	return n
}

// swapDelta is the change in the term's unweighted score when simple units
// u (in g) and v (in h) trade groups. Sizes do not change.
func (t *catTerm) swapDelta(u, v, g, h int) float64 {
	switch t.crit.Kind {
	case Similar:
		return float64(t.swapPairs(u, v, g, h))
	case Diverse:
		return -float64(t.swapPairs(u, v, g, h))
	case Balance:
		if t.val < 0 {
			return 0
		}
		d := 0.0
		for _, x := range [2]int{g, h} {
			in, out := v, u
			if x == h {
				in, out = u, v
			}
			b := float64(t.c[x][t.val]) - t.target
			a := float64(t.after(x, t.val, in, out)) - t.target
			d += b*b - a*a
		}
		return d
	case Isolation:
		d := 0
		for _, x := range [2]int{g, h} {
			if t.sizes[x] < 2 {
				continue
			}
			if x == g {
				d += t.singlesChange(x, v, u)
			} else {
				d += t.singlesChange(x, u, v)
			}
		}
		return -float64(d)
	}
	return 0
}

// singlesChange is the change in group x's count of values held by exactly
// one member once simple unit in joins it and simple unit out leaves it.
func (t *catTerm) singlesChange(x, in, out int) int {
	d := 0
	for k, vals := range [2][]int{t.vals[in], t.vals[out]} {
		other := t.vals[out]
		if k == 1 {
			other = t.vals[in]
		}
		for _, y := range vals {
			if (t.counted != nil && !t.counted[y]) || has(other, y) {
				continue // not counted, or held by both: unchanged
			}
			if t.c[x][y] == 1 {
				d--
			}
			if t.after(x, y, in, out) == 1 {
				d++
			}
		}
	}
	return d
}

// swapDelta is the change in the term's unweighted score when units u (in
// g) and v (in h) trade groups.
func (t *numTerm) swapDelta(u, v, g, h int) float64 {
	ds, dq, dn := t.sum[v]-t.sum[u], t.sumsq[v]-t.sumsq[u], t.cnt[v]-t.cnt[u]
	return t.scoreOf(t.gs[g]+ds, t.gsq[g]+dq, t.gn[g]+dn) - t.scoreOf(t.gs[g], t.gsq[g], t.gn[g]) +
		t.scoreOf(t.gs[h]-ds, t.gsq[h]-dq, t.gn[h]-dn) - t.scoreOf(t.gs[h], t.gsq[h], t.gn[h])
}

// swapDelta is the change in preference score when units u (in g) and v
// (in h) trade groups.
func (t *preferTerm) swapDelta(u, v, g, h int) float64 {
	return t.pref(u, h) + t.pref(v, g) - t.pref(u, g) - t.pref(v, h)
}

func (t *preferTerm) pref(u, g int) float64 {
	s := 0.0
	for _, p := range t.prefs[u] {
		if p.Group == g {
			s += p.Score
		}
	}
	return s
}

// swapOK reports whether the constraint holds in groups g and h once
// simple units u (in g) and v (in h) trade groups.
func (c *catCheck) swapOK(u, v, g, h int) bool {
	return c.okAfter(g, v, u) && c.okAfter(h, u, v)
}

// okAfter reports whether the constraint holds in group x once simple unit
// in joins it and simple unit out leaves it (its size unchanged).
func (c *catCheck) okAfter(x, in, out int) bool {
	row := c.c[x]
	switch c.con.Kind {
	case Share:
		// Every member must hold a common value; the newcomer must hold it.
		n, outVals := c.sizes[x], c.vals[out]
		for _, y := range c.vals[in] {
			k := row[y] + 1
			if has(outVals, y) {
				k--
			}
			if k == n {
				return true
			}
		}
		return n == 0
	case Same:
		distinct := 0
		for y := range row {
			if c.after(x, y, in, out) > 0 {
				distinct++
			}
		}
		return distinct <= 1
	case AtMost:
		return c.val < 0 || c.after(x, c.val, in, out) <= c.con.Max
	case Separate:
		present := 0
		for _, y := range c.values {
			if c.after(x, y, in, out) > 0 {
				present++
			}
		}
		return present <= 1
	}
	return true
}

// fastMoves reports whether moves of simple units may be judged by the
// quick tests alone and scored from the counts: every check is a
// categorical Share, Same, AtMost or Separate constraint or a leader's
// Conflict rule, whose verdicts on a simple unit's move movePossible and
// admitsOf give exactly, or a leader's Share rule with masks (fitsMove);
// and every term is one moveFast scores (all but Isolation).
func fastMoves(m *model, fit []*fitIndex) bool {
	for i, c := range m.checks {
		switch c := c.(type) {
		case *catCheck:
			switch c.con.Kind {
			case Share, Same, AtMost, Separate:
			default:
				return false
			}
		case *leaderCheck:
			if c.kind == leaderShare && (fit == nil || fit[i] == nil) {
				return false
			}
		default:
			return false
		}
	}
	for _, t := range m.terms {
		switch t := t.(type) {
		case *catTerm:
			if t.crit.Kind == Isolation {
				return false
			}
		case *numTerm, *preferTerm:
		default:
			return false
		}
	}
	return true
}

// moveFast is the change in the objective's terms when simple unit u
// leaves group g for group h, from the counts alone (see fastMoves).
func (s *state) moveFast(u, g, h int) float64 {
	d := 0.0
	for _, t := range s.m.terms {
		var x float64
		switch t := t.(type) {
		case *catTerm:
			x = t.moveDelta(u, g, h)
		case *numTerm:
			x = t.moveDelta(u, g, h)
		case *preferTerm:
			x = t.pref(u, h) - t.pref(u, g)
		}
		d += t.weight() * x
	}
	return d
}

// moveDelta is the change in the term's unweighted score when simple unit
// u leaves g for h; not for Isolation.
func (t *catTerm) moveDelta(u, g, h int) float64 {
	switch t.crit.Kind {
	case Similar, Diverse:
		// Pairs u makes in h, and pairs it leaves in g.
		join, leave := 0, 0
		rg, rh := t.c[g], t.c[h]
		for _, x := range t.vals[u] {
			join += rh[x]
			leave += rg[x] - 1
		}
		if t.crit.Kind == Similar {
			return float64(join - leave)
		}
		// Diverse scores the pairs of members not alike: n*(n-1)/2 - pairs.
		return float64(t.sizes[h]-join) - float64(t.sizes[g]-1-leave)
	case Balance:
		if t.val < 0 {
			return 0
		}
		bh, ah := float64(t.c[h][t.val])-t.target, float64(t.after(h, t.val, u, -1))-t.target
		bg, ag := float64(t.c[g][t.val])-t.target, float64(t.after(g, t.val, -1, u))-t.target
		return bh*bh - ah*ah + bg*bg - ag*ag
	}
	return 0
}

// moveDelta is the change in the term's unweighted score when unit u
// leaves g for h.
func (t *numTerm) moveDelta(u, g, h int) float64 {
	return t.scoreOf(t.gs[h]+t.sum[u], t.gsq[h]+t.sumsq[u], t.gn[h]+t.cnt[u]) - t.score(h) +
		t.scoreOf(t.gs[g]-t.sum[u], t.gsq[g]-t.sumsq[u], t.gn[g]-t.cnt[u]) - t.score(g)
}
