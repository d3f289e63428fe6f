package grouping

import (
	"math"
	"slices"
)

// The population phase of the search for pure pair problems.
//
// A small pool of groupings, each improved by rounds of tabu search and
// perturbation, breeds children: a group-based crossover inherits whole
// groups from two parents in turn (the group whose members not yet placed
// score the most together), trims a group that exceeds its bounds, places
// the members left over greedily while keeping every minimum reachable,
// and the child is improved the same way. A child better than the pool's
// worst member, and not a copy of one, replaces it. This is the scheme of
// the memetic and three-phase searches of the MDGP literature.

// pooled is one grouping of the pool.
type pooled struct {
	assign []int
	obj    float64
}

// poolSize is the number of groupings kept; 0 or 1 turns the population
// phase off. With these values, at three tenths of the literature's limits
// on the RanReal n=240 instances of ../shared/benchdata/mdgp (CPU time, seed
// 1), the mean gap to the best-known values was 0.27%, against 0.40% for
// tabu search with perturbation alone.
func poolSize(n int) int { return 8 }

// initRounds and childRounds are the tabu rounds (each followed by a
// perturbation) that improve a new pool member and a child.
func initRounds(n int) int  { return 3 }
func childRounds(n int) int { return 3 }

// evolve runs the population phase from the constructed solution in s and
// returns the best grouping found, its objective and the rounds of tabu
// search it ran.
func (r *search) evolve(s *state) ([]int, float64, int) {
	n := len(r.m.units)
	best := slices.Clone(s.assign)
	bestObj := s.obj
	iter := 0
	r.progress.report(r.m, best, bestObj, 0)
	steps := phaseLen(n, r.m.sized())
	// improve runs up to rounds of tabu search from s, each from the best
	// grouping of this improvement after a perturbation, and returns that
	// best.
	improve := func(rounds int) pooled {
		local := pooled{slices.Clone(s.assign), s.obj}
		for k := 0; k < rounds && !r.done(iter); k++ {
			r.round = iter + 1
			if k > 0 {
				s.load(local.assign)
				r.perturb(s, strength(n)+r.rng.IntN(max(1, strength(n))), nil)
			}
			r.tabu(s, steps, local.assign, &local.obj)
			iter++
			if local.obj > bestObj+eps {
				bestObj = local.obj
				copy(best, local.assign)
			}
			r.progress.report(r.m, best, bestObj, iter)
		}
		return local
	}
	size := poolSize(n)
	pool := make([]pooled, 0, size)
	for len(pool) < size && !r.done(iter) {
		if len(pool) > 0 {
			s.load(r.randomGrouping())
		}
		p := improve(initRounds(n))
		if !r.duplicate(pool, p) {
			pool = append(pool, p)
		}
	}
	child := make([]int, n)
	for len(pool) >= 2 && !r.done(iter) {
		i := r.rng.IntN(len(pool))
		j := r.rng.IntN(len(pool) - 1)
		if j >= i {
			j++
		}
		r.crossover(pool[i].assign, pool[j].assign, child)
		s.load(child)
		c := improve(childRounds(n))
		worst := 0
		for k := range pool {
			if pool[k].obj < pool[worst].obj {
				worst = k
			}
		}
		if c.obj > pool[worst].obj+eps && !r.duplicate(pool, c) {
			pool[worst] = c
		}
	}
	return best, bestObj, iter
}

// duplicate reports whether p's grouping is already in the pool: the same
// objective and the same partition, whatever the groups' numbering (for
// groups whose bounds are alike).
func (r *search) duplicate(pool []pooled, p pooled) bool {
	for _, q := range pool {
		if math.Abs(q.obj-p.obj) <= eps*max(1, math.Abs(p.obj)) && samePartition(q.assign, p.assign, r.m.groups) {
			return true
		}
	}
	return false
}

// samePartition reports whether assignments a and b put the same units
// together.
func samePartition(a, b []int, groups int) bool {
	to := make([]int, groups)
	for g := range to {
		to[g] = -1
	}
	for u, g := range a {
		h := b[u]
		if to[g] < 0 {
			to[g] = h
		} else if to[g] != h {
			return false
		}
	}
	return true
}

// randomGrouping is a uniformly shuffled grouping within the size bounds:
// every group filled to its minimum, the rest spread over groups with room.
func (r *search) randomGrouping() []int {
	m := r.m
	n := len(m.units)
	perm := r.rng.Perm(n)
	assign := make([]int, n)
	sizes := make([]int, m.groups)
	k := 0
	for g := range m.groups {
		for ; sizes[g] < m.bounds[g].Min && k < n; k++ {
			assign[perm[k]] = g
			sizes[g]++
		}
	}
	open := []int{}
	for g := range m.groups {
		if sizes[g] < m.bounds[g].Max {
			open = append(open, g)
		}
	}
	for ; k < n; k++ {
		i := r.rng.IntN(len(open))
		g := open[i]
		assign[perm[k]] = g
		sizes[g]++
		if sizes[g] == m.bounds[g].Max {
			open = slices.Delete(open, i, i+1)
		}
	}
	return assign
}

// crossover writes into child a grouping bred from parents a and b. The
// parents take turns giving a group: of the giving parent's groups not yet
// given, the one whose members not yet placed have the largest sum of
// pair scores among them. The group keeps its number when that is free
// (otherwise it takes a free number whose bounds hold it), gives up its
// least attached members while it exceeds its maximum, and the members
// left over go, in random order, to the group with room they score best
// with, to groups below their minimum once the members left are just
// enough to fill those; a group still short takes members from groups above
// their minimum.
func (r *search) crossover(a, b, child []int) {
	m := r.m
	n, G := len(m.units), m.groups
	d := m.mat.d
	for u := range child {
		child[u] = -1
	}
	parents := [2][]int{a, b}
	var lists [2][][]int
	var given [2][]bool
	for p, as := range parents {
		lists[p] = make([][]int, G)
		for u, g := range as {
			lists[p][g] = append(lists[p][g], u)
		}
		given[p] = make([]bool, G)
	}
	taken := make([]bool, G)
	sizes := make([]int, G)
	first := r.rng.IntN(2)
	var free []int
	for k := range G {
		p := (first + k) % 2
		bestG, bestScore := -1, math.Inf(-1)
		for g := range G {
			if given[p][g] {
				continue
			}
			free = free[:0]
			for _, u := range lists[p][g] {
				if child[u] < 0 {
					free = append(free, u)
				}
			}
			sc := 0.0
			for i, u := range free {
				row := d[u*n : u*n+n]
				for _, v := range free[i+1:] {
					sc += row[v]
				}
			}
			if sc > bestScore {
				bestG, bestScore = g, sc
			}
		}
		given[p][bestG] = true
		free = free[:0]
		for _, u := range lists[p][bestG] {
			if child[u] < 0 {
				free = append(free, u)
			}
		}
		h := bestG
		if taken[h] {
			h = r.freeGroup(taken, len(free))
		}
		taken[h] = true
		for len(free) > m.bounds[h].Max {
			// drop the member with the least score with the rest
			worst, worstScore := 0, math.Inf(1)
			for i, u := range free {
				row := d[u*n : u*n+n]
				sc := 0.0
				for _, v := range free {
					sc += row[v]
				}
				if sc < worstScore {
					worst, worstScore = i, sc
				}
			}
			free = slices.Delete(free, worst, worst+1)
		}
		for _, u := range free {
			child[u] = h
		}
		sizes[h] = len(free)
	}
	var left []int
	for u, g := range child {
		if g < 0 {
			left = append(left, u)
		}
	}
	r.rng.Shuffle(len(left), func(i, j int) { left[i], left[j] = left[j], left[i] })
	deficit := 0
	for g := range G {
		deficit += max(0, m.bounds[g].Min-sizes[g])
	}
	var members [][]int
	members = make([][]int, G)
	for u, g := range child {
		if g >= 0 {
			members[g] = append(members[g], u)
		}
	}
	for i, u := range left {
		short := len(left)-i <= deficit
		row := d[u*n : u*n+n]
		bestG, bestScore := -1, math.Inf(-1)
		for g := range G {
			if sizes[g] >= m.bounds[g].Max || short && sizes[g] >= m.bounds[g].Min {
				continue
			}
			sc := 0.0
			for _, v := range members[g] {
				sc += row[v]
			}
			if sc > bestScore {
				bestG, bestScore = g, sc
			}
		}
		if sizes[bestG] < m.bounds[bestG].Min {
			deficit--
		}
		child[u] = bestG
		sizes[bestG]++
		members[bestG] = append(members[bestG], u)
	}
	// Groups still below their minimum (the inherited groups held too
	// many of the members) take, one at a time, the member of a group above
	// its minimum that loses least by the move.
	for g := range G {
		for sizes[g] < m.bounds[g].Min {
			bu, bi, bestScore := -1, -1, math.Inf(-1)
			for h := range G {
				if h == g || sizes[h] <= m.bounds[h].Min {
					continue
				}
				for i, u := range members[h] {
					row := d[u*n : u*n+n]
					sc := 0.0
					for _, v := range members[g] {
						sc += row[v]
					}
					for _, v := range members[h] {
						sc -= row[v]
					}
					if sc > bestScore {
						bu, bi, bestScore = u, i, sc
					}
				}
			}
			h := child[bu]
			members[h] = slices.Delete(members[h], bi, bi+1)
			sizes[h]--
			child[bu] = g
			sizes[g]++
			members[g] = append(members[g], bu)
		}
	}
}

// freeGroup is the first group not taken whose bounds hold k members, or
// failing that whose maximum does, or failing that the first not taken.
func (r *search) freeGroup(taken []bool, k int) int {
	for pass := range 3 {
		for g, t := range taken {
			b := r.m.bounds[g]
			if !t && (pass == 2 || b.Max >= k && (pass == 1 || b.Min <= k)) {
				return g
			}
		}
	}
	return -1
}
