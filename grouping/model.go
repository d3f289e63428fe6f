package grouping

import "fmt"

// model is a validated problem compiled for the solver: members merged
// into units by must-links, attributes interned, terms and checks built.
type model struct {
	p        *Problem
	n        int // members
	groups   int
	bounds   []Bounds
	units    [][]int // members of each unit
	unitOf   []int   // unit of each member, -1 when excluded
	pin      []int   // group a unit is pinned to, or -1
	cannot   [][]int // units each unit cannot share a group with
	terms    []term
	checks   []check
	mat      *pairTerm
	excluded map[int]Reason
	prefer   *preferTerm // nil without preferences
	// related lists, per unit, the units alike on the categorical
	// attribute of the heaviest Similar criterion or a Same constraint:
	// the partners large problems' local search samples first.
	related [][]int
	// blocks lists, per unit, the units alike on that attribute whatever
	// the problem's size (one agency's staff), for the compound moves of
	// consolidate.go; nil when no criterion or constraint wants members
	// alike.
	blocks [][]int
	// simple marks units whose swaps are evaluated from the counts alone
	// (see fast.go).
	simple []bool
	// leads are the leader checks (also in checks), nil without leaders.
	leads []*leaderCheck
}

// term is a soft criterion whose score is a sum over groups of a function
// of the group's aggregates.
type term interface {
	// add adds (sign +1) or removes (sign -1) unit u's members to group g's aggregates.
	add(u, g, sign int)
	// score is group g's score.
	score(g int) float64
	weight() float64
	criterion() Criterion
	// reset empties the aggregates of a new state whose group sizes are sizes.
	reset(sizes []int)
	// swapDelta is the change in score when simple units u (in g) and v
	// (in h) trade groups, computed without changing the aggregates.
	swapDelta(u, v, g, h int) float64
}

// check is a hard constraint on each group's aggregates.
type check interface {
	add(u, g, sign int)
	ok(g int) bool
	constraint() Constraint
	// swapOK reports whether the constraint holds in g and h once simple
	// units u (in g) and v (in h) trade groups, without changing anything.
	swapOK(u, v, g, h int) bool
}

func compile(p *Problem) (*model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := &model{p: p, n: len(p.Members), groups: p.Groups, excluded: map[int]Reason{}}
	m.bounds = make([]Bounds, p.Groups)
	for g := range m.bounds {
		m.bounds[g] = p.bounds(g)
	}
	index := make(map[MemberID]int, m.n)
	for i, mem := range p.Members {
		index[mem.ID] = i
	}
	for _, e := range p.Exclude {
		m.excluded[index[e.Member]] = e.Reason
	}
	uf := newUnionFind(m.n)
	for _, l := range p.MustLink {
		uf.union(index[l.A], index[l.B])
	}
	root := map[int]int{}
	m.unitOf = make([]int, m.n)
	for i := range p.Members {
		if _, ex := m.excluded[i]; ex {
			m.unitOf[i] = -1
			continue
		}
		r := uf.find(i)
		u, ok := root[r]
		if !ok {
			u = len(m.units)
			root[r] = u
			m.units = append(m.units, nil)
			m.pin = append(m.pin, -1)
		}
		m.units[u] = append(m.units[u], i)
		m.unitOf[i] = u
		if pin := p.Members[i].Pin; pin != nil {
			m.pin[u] = *pin
		}
	}
	m.cannot = make([][]int, len(m.units))
	for _, l := range p.CannotLink {
		a, b := m.unitOf[index[l.A]], m.unitOf[index[l.B]]
		if a < 0 || b < 0 {
			continue
		}
		m.cannot[a] = append(m.cannot[a], b)
		m.cannot[b] = append(m.cannot[b], a)
	}
	for _, c := range p.Constraints {
		chk, err := newCheck(m, c)
		if err != nil {
			return nil, err
		}
		m.checks = append(m.checks, chk)
	}
	if p.Leading != nil {
		m.leads = newLeaderChecks(m)
		for _, c := range m.leads {
			m.checks = append(m.checks, c)
		}
	}
	for _, c := range p.Criteria {
		if c.Weight == 0 {
			continue
		}
		t, err := newTerm(m, c)
		if err != nil {
			return nil, err
		}
		m.terms = append(m.terms, t)
	}
	if p.Matrix != nil || len(p.Pairs) > 0 {
		m.mat = newPairTerm(m, index)
	}
	m.blocks = blockUnits(m)
	if len(m.units) > 600 {
		m.related = m.blocks
	}
	if len(p.Prefer) > 0 {
		m.prefer = newPreferTerm(m, index)
		m.terms = append(m.terms, m.prefer)
	}
	m.simple = simpleUnits(m)
	return m, nil
}

// intern maps attribute values to small integers.
type intern struct {
	ids  map[string]int
	vals []string
}

func (in *intern) id(s string) int {
	if in.ids == nil {
		in.ids = map[string]int{}
	}
	if i, ok := in.ids[s]; ok {
		return i
	}
	in.ids[s] = len(in.vals)
	in.vals = append(in.vals, s)
	return len(in.vals) - 1
}

// unitValues returns, per unit, the interned values its members hold for a
// categorical attribute (cat) or set attribute (set); a member without the
// attribute holds none.
func unitValues(m *model, attr string, set bool, in *intern) [][]int {
	out := make([][]int, len(m.units))
	for u, members := range m.units {
		for _, i := range members {
			mem := m.p.Members[i]
			if set {
				for _, v := range mem.Sets[attr] {
					out[u] = append(out[u], in.id(v))
				}
			} else if v, ok := mem.Attrs[attr]; ok {
				out[u] = append(out[u], in.id(v))
			}
		}
	}
	return out
}

// attrKind says whether members use attr as categorical, set or numeric.
func attrKind(p *Problem, attr string) (cat, set, num bool) {
	for _, m := range p.Members {
		if _, ok := m.Attrs[attr]; ok {
			cat = true
		}
		if _, ok := m.Sets[attr]; ok {
			set = true
		}
		if _, ok := m.Nums[attr]; ok {
			num = true
		}
	}
	return
}

func attrError(attr, why string) error {
	return fmt.Errorf("attribute %q: %s", attr, why)
}

// relatedTo returns the units alike with u on the main similarity, u
// among them, or nil: for a unit without the attribute, and for every unit
// of a model without related units (a small problem, or one where no
// criterion or constraint wants members alike). Callers that sample
// partners must not assume related units exist because the problem is
// large.
func (m *model) relatedTo(u int) []int {
	if m.related == nil {
		return nil
	}
	return m.related[u]
}

// blockUnits groups units by their value of the categorical attribute
// that most wants members alike: a Same constraint's, else the heaviest
// Similar criterion's. It is nil when no such attribute exists. Large
// problems' local search samples partners from it (model.related).
func blockUnits(m *model) [][]int {
	attr, best := "", 0.0
	for _, c := range m.p.Criteria {
		if cat, _, _ := attrKind(m.p, c.Attr); cat && c.Kind == Similar && c.Weight > best {
			attr, best = c.Attr, c.Weight
		}
	}
	for _, c := range m.p.Constraints {
		if cat, _, _ := attrKind(m.p, c.Attr); cat && c.Kind == Same {
			attr = c.Attr
		}
	}
	if attr == "" {
		return nil
	}
	var in intern
	vals := unitValues(m, attr, false, &in)
	byValue := make([][]int, len(in.vals))
	for u, vs := range vals {
		if len(vs) > 0 {
			byValue[vs[0]] = append(byValue[vs[0]], u)
		}
	}
	out := make([][]int, len(m.units))
	for u, vs := range vals {
		if len(vs) > 0 {
			out[u] = byValue[vs[0]]
		}
	}
	return out
}
