package grouping

import (
	"fmt"
	"testing"

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
