package grouping

import (
	"fmt"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// TestCloseGroupBookkeeping closes groups of searched reflective
// consultation states (consultants as leaders) and checks each time that
// exactly one group emptied, every group kept its leader (an empty group
// keeps its own, so that a group formed there again is led), nobody was
// left out, every hard constraint holds and the objective is the one
// recomputed;
// that a refused close leaves the state and journal as they were; and
// that rewinding the journal restores members and leaders.
func TestCloseGroupBookkeeping(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			p, r, s := searchedState(t, seed, bsktest.Options{Organizations: 30, Providers: 500, Consultants: 12, NoOfferings: true}, 7)
			m := r.m
			if !roomToClose(m) {
				t.Fatal("groups of 6-8 leave no room to close a group")
			}
			closed, rewound := 0, 0
			for i := range 300 {
				s.record()
				assign, lead, obj := slices.Clone(s.assign), slices.Clone(s.lead), s.obj
				touched := make([]bool, m.groups)
				if !r.closeGroup(s, touched) {
					if !slices.Equal(assign, s.assign) || !slices.Equal(lead, s.lead) || s.obj != obj || len(s.journal) != 0 {
						t.Fatalf("close %d refused but changed the state (journal %d)", i, len(s.journal))
					}
					continue
				}
				closed++
				where := fmt.Sprintf("close %d", i)
				checkState(t, p, s, where)
				var emptied []int
				for g := range m.groups {
					if s.sizes[g] == 0 && slices.Contains(assign, g) {
						emptied = append(emptied, g)
					}
				}
				if len(emptied) != 1 {
					t.Fatalf("%s: groups %v emptied; one should", where, emptied)
				}
				if g := emptied[0]; !slices.Equal(lead, s.lead) || !touched[g] {
					t.Fatalf("%s: closing group %d changed the leaders (touched %v)", where, g, touched[g])
				}
				for u, g := range assign {
					if (g >= 0) != (s.assign[u] >= 0) {
						t.Fatalf("%s: unit %d was in group %d, now %d", where, u, g, s.assign[u])
					}
					if g >= 0 && g != s.assign[u] && !touched[s.assign[u]] {
						t.Fatalf("%s: unit %d moved to group %d, not marked", where, u, s.assign[u])
					}
				}
				// Every other close is kept, so that later ones start from
				// fuller groups; the rest are rewound.
				if i%2 == 0 {
					s.rewind(obj)
					rewound++
					if !slices.Equal(assign, s.assign) || !slices.Equal(lead, s.lead) {
						t.Fatalf("%s: rewinding did not restore the members and leaders", where)
					}
					checkState(t, p, s, where+", rewound")
				}
			}
			if closed == 0 || rewound == 0 {
				t.Fatalf("%d groups closed, %d rewound, in 300 tries: the test checks nothing", closed, rewound)
			}
			t.Logf("%d of 300 closes applied, %d rewound", closed, rewound)
		})
	}
}
