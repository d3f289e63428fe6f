package grouping

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// TestConsolidateBookkeeping applies compound moves to searched states of
// reflective consultation problems (with consultants as leaders) and
// checks after each that the groups keep every hard constraint and that
// the objective the search keeps is the one recomputed from scratch;
// undone moves leave the state as it was.
func TestConsolidateBookkeeping(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			p, r, s := searchedState(t, seed, bsktest.Options{Organizations: 12, Providers: 200, Consultants: 6, NoOfferings: true}, 3)
			m := r.m
			if m.blocks == nil {
				t.Fatal("no blocks: the preset's organization criterion is missing")
			}
			checkState(t, p, s, "after local search")
			applied := 0
			for i := range 400 {
				before := append([]int(nil), s.assign...)
				obj := s.obj
				touched := make([]bool, m.groups)
				if r.consolidate(s, touched) {
					applied++
					checkState(t, p, s, fmt.Sprintf("compound move %d", i))
					continue
				}
				for u := range before {
					if before[u] != s.assign[u] {
						t.Fatalf("move %d refused but unit %d moved from %d to %d", i, u, before[u], s.assign[u])
					}
				}
				if s.obj != obj {
					t.Fatalf("move %d refused but the objective went from %v to %v", i, obj, s.obj)
				}
			}
			if applied == 0 {
				t.Fatal("no compound move applied in 400 tries: the test checks nothing")
			}
			t.Logf("%d of 400 compound moves applied", applied)
		})
	}
}

// TestConsolidateChain drives the chain move on its own: for units whose
// organization's staff sit in other groups, it joins them there and sends
// a member on to a third group (and, for a cycle, one from there back).
// Each applied chain must change three groups, keep every hard constraint
// and every group within its bounds, move u into h, and keep the search's
// objective equal to the one recomputed; a refused chain leaves the state
// as it was.
func TestConsolidateChain(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			p, r, s := searchedState(t, seed, bsktest.Options{Organizations: 12, Providers: 200, Consultants: 6, NoOfferings: true}, 5)
			m := r.m
			require.True(t, s.fastMove, "reflective consultation moves are scored from the counts")
			applied, cycles := 0, 0
			for u := range m.units {
				g := s.assign[u]
				if g < 0 || m.pin[u] >= 0 {
					continue
				}
				for _, w := range m.blocks[u] {
					h := s.assign[w]
					if h < 0 || h == g {
						continue
					}
					before := append([]int(nil), s.assign...)
					obj := s.obj
					sizes := append([]int(nil), s.sizes...)
					c := newCompound(s, g, h)
					if !r.chain(c, u, g, h) {
						c.undo()
						require.Equal(t, before, s.assign, "a chain that found no room changed the groups")
						continue
					}
					if !c.finish() {
						require.Equal(t, before, s.assign, "a refused chain changed the groups")
						require.Equal(t, obj, s.obj, "a refused chain changed the objective")
						continue
					}
					applied++
					require.Len(t, c.gs, 3, "a chain changes three groups")
					require.Equal(t, h, s.assign[u], "u joins its organization's group")
					changed := 0
					for v := range before {
						if before[v] != s.assign[v] {
							changed++
							require.Contains(t, c.gs, before[v], "unit %d left a group the chain does not list", v)
							require.Contains(t, c.gs, s.assign[v], "unit %d joined a group the chain does not list", v)
						}
					}
					if changed == 3 {
						cycles++
						require.Equal(t, sizes, s.sizes, "a cycle of three keeps every size")
					}
					for _, k := range c.gs {
						b := m.bounds[k]
						require.True(t, s.sizes[k] == 0 || b.Min <= s.sizes[k] && s.sizes[k] <= b.Max, "group %d of size %d outside %+v", k, s.sizes[k], b)
					}
					checkState(t, p, s, fmt.Sprintf("chain %d", applied))
					break
				}
			}
			require.Positive(t, applied, "no chain applied: the test checks nothing")
			require.Positive(t, cycles, "no cycle of three applied")
			t.Logf("%d chains applied, %d of them cycles of three", applied, cycles)
		})
	}
}
