package grouping

import "math"

// closeEvery is how often, one round in closeEvery, the search closes a
// group instead of perturbing, with [Problem.AllowFewerGroups] (see
// closeGroup).
const closeEvery = 128

// roomToClose reports whether the groups' bounds could let a group close:
// some group may hold more than its minimum. Problems whose bounds are
// tight (sizes split evenly over a fixed count) never try.
func roomToClose(m *model) bool {
	for _, b := range m.bounds {
		if b.Max > b.Min {
			return true
		}
	}
	return false
}

// closeGroup closes a group at random: it moves every member to a formed
// group with room (at or above its minimum, below its maximum) where
// every hard constraint allows, each where it gains most. The empty group
// keeps its leader, as every empty group does (fitEmpty may hand it to
// another empty group), so that a group formed there again is led: a
// group without one would take members no leader could lead. It marks
// the groups it changes in touched and reports whether it closed one; a
// group whose members cannot all move stays as it was. Nobody is left
// out by it. Single moves cannot do this (the
// local search keeps every group at its minimum), the moves that gather
// an organization seldom do, and fewer, fuller groups score more pairs
// (BENCHMARKS.md, "Closing groups").
func (r *search) closeGroup(s *state, touched []bool) bool {
	for range 4 {
		g := r.rng.IntN(r.m.groups)
		if s.sizes[g] == 0 || r.hasPinned(s, g) {
			continue
		}
		members := append([]int(nil), s.members[g]...)
		r.rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		type moved struct {
			u int
			d float64
		}
		var done []moved
		for _, u := range members {
			bestH, bestD := -1, math.Inf(-1)
			for h := range r.m.groups {
				if h == g || s.sizes[h] < r.m.bounds[h].Min {
					continue
				}
				if d, ok := s.moveDelta(u, h, false); ok && d > bestD {
					bestH, bestD = h, d
				}
			}
			if bestH < 0 {
				break
			}
			s.move(u, bestH, bestD)
			done = append(done, moved{u, bestD})
		}
		if len(done) < len(members) {
			// Back, last first, off the journal.
			logging := s.logging
			s.logging = false
			for i := len(done) - 1; i >= 0; i-- {
				s.move(done[i].u, g, -done[i].d)
			}
			s.logging = logging
			if logging {
				s.journal = s.journal[:len(s.journal)-len(done)]
			}
			continue
		}
		if touched != nil {
			touched[g] = true
			for _, d := range done {
				touched[s.assign[d.u]] = true
			}
		}
		return true
	}
	return false
}

// hasPinned reports whether group g holds a pinned unit.
func (r *search) hasPinned(s *state, g int) bool {
	for _, u := range s.members[g] {
		if r.m.pin[u] >= 0 {
			return true
		}
	}
	return false
}
