package grouping

// pairTerm holds pair scores: a dense matrix (flat, n x n) and/or sparse
// pairs. For the dense part it keeps w[i*G+g], the sum of member i's
// scores with the members of group g, so that move and swap deltas cost
// O(1) per member and applying a move costs O(n).
type pairTerm struct {
	n, groups int
	d         []float64 // dense scores, or nil
	w         []float64 // dense: per member per group
	adj       [][]edge  // sparse scores
	intra     []float64 // per unit: sum of scores between its members
	units     [][]int
	groupOf   []int // per member
}

type edge struct {
	to    int
	score float64
}

func newPairTerm(m *model, index map[MemberID]int) *pairTerm {
	t := &pairTerm{n: m.n, groups: m.groups, units: m.units, groupOf: make([]int, m.n)}
	for i := range t.groupOf {
		t.groupOf[i] = -1
	}
	if m.p.Matrix != nil {
		t.d = make([]float64, m.n*m.n)
		for i, row := range m.p.Matrix {
			for j, v := range row {
				if i != j {
					t.d[i*m.n+j] = v
				}
			}
		}
		t.w = make([]float64, m.n*m.groups)
	}
	if len(m.p.Pairs) > 0 {
		t.adj = make([][]edge, m.n)
		for _, s := range m.p.Pairs {
			a, b := index[s.A], index[s.B]
			t.adj[a] = append(t.adj[a], edge{b, s.Score})
			t.adj[b] = append(t.adj[b], edge{a, s.Score})
		}
	}
	t.intra = make([]float64, len(m.units))
	for u, members := range m.units {
		for x, i := range members {
			for _, k := range members[x+1:] {
				t.intra[u] += t.pair(i, k)
			}
		}
	}
	return t
}

// pair is the total score of members i and k together.
func (t *pairTerm) pair(i, k int) float64 {
	s := 0.0
	if t.d != nil {
		s += t.d[i*t.n+k]
	}
	if t.adj != nil {
		for _, e := range t.adj[i] {
			if e.to == k {
				s += e.score
			}
		}
	}
	return s
}

// with is the score of member i with the members of group g (excluding i).
func (t *pairTerm) with(i, g int) float64 {
	s := 0.0
	if t.w != nil {
		s += t.w[i*t.groups+g]
	}
	for _, e := range t.adjOf(i) {
		if t.groupOf[e.to] == g {
			s += e.score
		}
	}
	return s
}

func (t *pairTerm) adjOf(i int) []edge {
	if t.adj == nil {
		return nil
	}
	return t.adj[i]
}

// moveDelta is the change when unit u moves from g to h.
func (t *pairTerm) moveDelta(u, g, h int) float64 {
	s := 2 * t.intra[u]
	for _, i := range t.units[u] {
		s += t.with(i, h) - t.with(i, g)
	}
	return s
}

// cross is the score between units u and v.
func (t *pairTerm) cross(u, v int) float64 {
	s := 0.0
	for _, i := range t.units[u] {
		for _, j := range t.units[v] {
			s += t.pair(i, j)
		}
	}
	return s
}

// swapDelta is the change when u (in g) and v (in h) trade groups.
func (t *pairTerm) swapDelta(u, v, g, h int) float64 {
	return t.moveDelta(u, g, h) + t.moveDelta(v, h, g) - 2*t.cross(u, v)
}

// move applies unit u's move from g to h (either may be -1: unplaced).
func (t *pairTerm) move(u, g, h int) {
	for _, i := range t.units[u] {
		t.groupOf[i] = h
		if t.w == nil {
			continue
		}
		row := t.d[i*t.n : (i+1)*t.n]
		for k, v := range row {
			base := k * t.groups
			if g >= 0 {
				t.w[base+g] -= v
			}
			if h >= 0 {
				t.w[base+h] += v
			}
		}
	}
}

// total is the objective from scratch: the sum over pairs in one group.
func (t *pairTerm) total() float64 {
	s := 0.0
	for i := range t.n {
		gi := t.groupOf[i]
		if gi < 0 {
			continue
		}
		for k := i + 1; k < t.n; k++ {
			if t.groupOf[k] == gi {
				s += t.pair(i, k)
			}
		}
	}
	return s
}

// groupTotal is group g's sum over pairs.
func (t *pairTerm) groupTotal(g int) float64 {
	s := 0.0
	for i := range t.n {
		if t.groupOf[i] != g {
			continue
		}
		for k := i + 1; k < t.n; k++ {
			if t.groupOf[k] == g {
				s += t.pair(i, k)
			}
		}
	}
	return s
}
