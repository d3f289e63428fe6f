package grouping

import (
	"math/rand/v2"
	"testing"
)

// TestMovePossibleNeverRejectsFeasible compares the quick move test with
// applying the move to every aggregate, on random (not necessarily
// feasible) states with random leaders: it must never reject a move that
// keeps every check in both groups, and for a simple unit its verdict on
// the Share checks and the leaders' Share rules, read from the masks,
// must be exactly what applying the move says.
func TestMovePossibleNeverRejectsFeasible(t *testing.T) {
	compared, feasible, rejected := 0, 0, 0
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 11))
		m, err := compile(fastProblem(r, 6+r.IntN(30)))
		if err != nil {
			t.Fatal(err)
		}
		s := newState(m)
		if s.fit == nil {
			t.Fatalf("seed %d: no masks for the Share checks", seed)
		}
		// Half the states are random, half keep every check: each unit
		// goes to the first group, in random order, that it keeps
		// feasible, so that many moves are feasible too.
		for u := range m.units {
			switch {
			case seed%2 == 0 && r.IntN(8) != 0:
				s.place(u, r.IntN(m.groups))
			case seed%2 == 1:
				for _, h := range r.Perm(m.groups) {
					s.place(u, h)
					if s.checksOK(h, -1) {
						break
					}
					s.unplace(u)
				}
			}
		}
		for range 200 {
			u, h := r.IntN(len(m.units)), r.IntN(m.groups)
			g := s.assign[u]
			if g == h {
				continue
			}
			if r.IntN(4) == 0 {
				// Another leader (or none) for h, as the search's relead.
				s.setLead(h, r.IntN(len(s.spare)+1)-1)
			}
			if g >= 0 && r.IntN(3) == 0 {
				// A state the search reaches through a move: the masks of
				// g and h are read after a change.
				s.move(u, h, 0)
				s.move(u, g, 0)
			}
			quick, shared := s.movePossible(u, g, h), s.fitsMove(u, g, h)
			if g >= 0 {
				s.raw(u, g, -1)
			}
			s.raw(u, h, +1)
			all, share := true, true
			for _, c := range m.checks {
				ok := c.ok(h) && (g < 0 || c.ok(g))
				all = all && ok
				switch c := c.(type) {
				case *catCheck:
					if c.con.Kind == Share {
						share = share && ok
					}
				case *leaderCheck:
					if c.kind == leaderShare {
						share = share && ok
					}
				}
			}
			s.raw(u, h, -1)
			if g >= 0 {
				s.raw(u, g, +1)
			}
			compared++
			if all {
				feasible++
			}
			if !quick {
				rejected++
			}
			if all && !quick {
				t.Fatalf("seed %d: move of %d from %d to %d keeps every check, but the quick test rejects it", seed, u, g, h)
			}
			if m.simple[u] && shared != share {
				t.Fatalf("seed %d: move of simple %d from %d to %d: masks say %v, applying says %v", seed, u, g, h, shared, share)
			}
		}
	}
	if compared < 10000 || feasible < 2000 || rejected < 2000 {
		t.Fatalf("only %d moves compared (%d feasible, %d rejected)", compared, feasible, rejected)
	}
}
