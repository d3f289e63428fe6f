package grouping

import "slices"

// counts keeps, per group, how many members hold each interned value.
type counts struct {
	vals [][]int // per unit, values held by its members
	c    [][]int // per group, count per value
	size []int   // per group, members holding at least one counted value (cat) or all members (set)
	nv   int
}

func newCounts(m *model, vals [][]int, nv int) *counts {
	c := &counts{vals: vals, nv: nv, size: make([]int, m.groups)}
	c.c = make([][]int, m.groups)
	for g := range c.c {
		c.c[g] = make([]int, nv)
	}
	return c
}

func (c *counts) add(u, g, sign int) {
	row := c.c[g]
	for _, v := range c.vals[u] {
		row[v] += sign
	}
}

// catTerm scores a categorical or set attribute from value counts.
type catTerm struct {
	*counts
	crit   Criterion
	sizes  []int // group sizes, shared with the state
	values []int // Isolation: values it applies to (nil = all)
	target float64
	val    int // Balance: the counted value
	// Kept as values are added so that score is O(1):
	pairs   []int  // per group: sum over values of c*(c-1)/2
	singles []int  // per group: counted values held by exactly one member
	counted []bool // Isolation: per value, whether it counts (nil = all)
}

func newCatTerm(m *model, c Criterion, vals [][]int, nv int, values []int, val int) *catTerm {
	t := &catTerm{counts: newCounts(m, vals, nv), crit: c, values: values, val: val,
		pairs: make([]int, m.groups), singles: make([]int, m.groups)}
	if values != nil {
		t.counted = make([]bool, nv)
		for _, v := range values {
			t.counted[v] = true
		}
	}
	return t
}

func (t *catTerm) add(u, g, sign int) {
	row := t.c[g]
	for _, v := range t.vals[u] {
		old := row[v]
		now := old + sign
		row[v] = now
		t.pairs[g] += now*(now-1)/2 - old*(old-1)/2
		if t.counted == nil || t.counted[v] {
			if old == 1 {
				t.singles[g]--
			}
			if now == 1 {
				t.singles[g]++
			}
		}
	}
}

func (t *catTerm) weight() float64      { return t.crit.Weight }
func (t *catTerm) criterion() Criterion { return t.crit }

func (t *catTerm) reset(sizes []int) {
	t.sizes = sizes
	clear(t.pairs)
	clear(t.singles)
	for g := range t.c {
		clear(t.c[g])
	}
}

func (t *catTerm) score(g int) float64 {
	switch t.crit.Kind {
	case Similar:
		return float64(t.pairs[g])
	case Diverse:
		n := t.sizes[g]
		return float64(n*(n-1)/2 - t.pairs[g])
	case Balance:
		if t.val < 0 {
			return 0 // no member has the attribute: nothing to balance
		}
		d := float64(t.c[g][t.val]) - t.target
		return -d * d
	case Isolation:
		if t.sizes[g] < 2 {
			return 0
		}
		return -float64(t.singles[g])
	}
	return 0
}

// numTerm scores a numeric attribute from per-group sums.
type numTerm struct {
	crit       Criterion
	sum, sumsq []float64 // per unit
	cnt        []int     // per unit: members with the attribute
	gs, gsq    []float64 // per group
	gn         []int
	target     float64
}

func (t *numTerm) weight() float64      { return t.crit.Weight }
func (t *numTerm) criterion() Criterion { return t.crit }

func (t *numTerm) reset([]int) {
	clear(t.gs)
	clear(t.gsq)
	clear(t.gn)
}

func (t *numTerm) add(u, g, sign int) {
	s := float64(sign)
	t.gs[g] += s * t.sum[u]
	t.gsq[g] += s * t.sumsq[u]
	t.gn[g] += sign * t.cnt[u]
}

func (t *numTerm) score(g int) float64 { return t.scoreOf(t.gs[g], t.gsq[g], t.gn[g]) }

// scoreOf is the score of a group with these sums.
func (t *numTerm) scoreOf(gs, gsq float64, gn int) float64 {
	switch t.crit.Kind {
	case Balance:
		d := gs - t.target
		return -d * d
	case Similar, Diverse:
		// Sum over pairs of squared differences: n*sum(x^2) - (sum x)^2.
		spread := float64(gn)*gsq - gs*gs
		if t.crit.Kind == Similar {
			return -spread
		}
		return spread
	}
	return 0
}

func newTerm(m *model, c Criterion) (term, error) {
	cat, set, num := attrKind(m.p, c.Attr)
	switch {
	case num && !cat && !set:
		t := &numTerm{crit: c, sum: make([]float64, len(m.units)), sumsq: make([]float64, len(m.units)), cnt: make([]int, len(m.units)),
			gs: make([]float64, m.groups), gsq: make([]float64, m.groups), gn: make([]int, m.groups)}
		total := 0.0
		for u, members := range m.units {
			for _, i := range members {
				if x, ok := m.p.Members[i].Nums[c.Attr]; ok {
					t.sum[u] += x
					t.sumsq[u] += x * x
					t.cnt[u]++
					total += x
				}
			}
		}
		if c.Kind == Isolation {
			return nil, attrError(c.Attr, "isolation needs a categorical or set attribute")
		}
		t.target = total / float64(m.groups)
		return t, nil
	case cat || set:
		if cat && set {
			return nil, attrError(c.Attr, "is both categorical and set-valued")
		}
		var in intern
		vals := unitValues(m, c.Attr, set, &in)
		var values []int
		for _, v := range c.Values {
			values = append(values, in.id(v))
		}
		val := -1
		if c.Kind == Balance {
			if c.Value == "" {
				return nil, attrError(c.Attr, "balance on a categorical attribute needs a value")
			}
			val = in.id(c.Value)
		}
		t := newCatTerm(m, c, vals, len(in.vals), values, val)
		if c.Kind == Balance {
			total := 0
			for _, vs := range vals {
				for _, v := range vs {
					if v == val {
						total++
					}
				}
			}
			t.target = float64(total) / float64(m.groups)
		}
		return t, nil
	}
	// No member has the attribute: the criterion scores nothing.
	return newCatTerm(m, c, make([][]int, len(m.units)), 0, nil, -1), nil
}

// catCheck is a hard constraint on value counts.
type catCheck struct {
	*counts
	con    Constraint
	sizes  []int
	val    int
	values []int
}

func (c *catCheck) constraint() Constraint { return c.con }

// admits is a quick necessary condition for unit u joining group h while
// unit out (-1 for none, of k members) leaves it: for Share, some value of
// u must already be held by every member who stays. It reads the counts
// without changing them, so the search can skip hopeless moves cheaply.
func (c *catCheck) admits(u, h, out, k int) bool {
	if c.con.Kind != Share {
		return true
	}
	stay := c.sizes[h]
	if out >= 0 {
		stay -= k
	}
	if stay <= 0 {
		return true
	}
	row := c.c[h]
	for _, v := range c.vals[u] {
		if row[v] >= stay {
			return true
		}
	}
	return false
}

func (c *catCheck) ok(g int) bool {
	row := c.c[g]
	switch c.con.Kind {
	case Share:
		n := c.sizes[g]
		if n == 0 {
			return true
		}
		return slices.Contains(row, n)
	case Same:
		distinct := 0
		for _, x := range row {
			if x > 0 {
				distinct++
			}
		}
		return distinct <= 1
	case AtMost:
		return c.val < 0 || row[c.val] <= c.con.Max
	case Separate:
		present := 0
		for _, v := range c.values {
			if row[v] > 0 {
				present++
			}
		}
		return present <= 1
	}
	return true
}

func newCheck(m *model, c Constraint) (check, error) {
	cat, set, _ := attrKind(m.p, c.Attr)
	if c.Kind == Share && cat {
		return nil, attrError(c.Attr, "share needs a set attribute")
	}
	var in intern
	vals := unitValues(m, c.Attr, set && !cat, &in)
	chk := &catCheck{con: c, val: -1}
	if c.Kind == AtMost {
		if _, ok := in.ids[c.Value]; ok {
			chk.val = in.ids[c.Value]
		}
	}
	for _, v := range c.Values {
		chk.values = append(chk.values, in.id(v))
	}
	chk.counts = newCounts(m, vals, len(in.vals))
	return chk, nil
}

// preferTerm scores members' preferred groups: per unit, the groups it
// prefers and the scores.
type preferTerm struct {
	prefs [][]Preference // per unit; Member unused
	gs    []float64      // per group
}

func newPreferTerm(m *model, index map[MemberID]int) *preferTerm {
	t := &preferTerm{prefs: make([][]Preference, len(m.units)), gs: make([]float64, m.groups)}
	for _, p := range m.p.Prefer {
		if u := m.unitOf[index[p.Member]]; u >= 0 {
			t.prefs[u] = append(t.prefs[u], Preference{Group: p.Group, Score: p.Score})
		}
	}
	return t
}

func (t *preferTerm) weight() float64 { return 1 }
func (t *preferTerm) criterion() Criterion {
	return Criterion{Name: "prefer", Weight: 1}
}

func (t *preferTerm) add(u, g, sign int) {
	for _, p := range t.prefs[u] {
		if p.Group == g {
			t.gs[g] += float64(sign) * p.Score
		}
	}
}

func (t *preferTerm) score(g int) float64 { return t.gs[g] }

func (t *preferTerm) reset([]int) { clear(t.gs) }
