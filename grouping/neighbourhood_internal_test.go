package grouping

import (
	"fmt"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// TestNeighbourhoodWidens checks the perturbation's neighbourhood on
// county-sized problems (whose models relate one organization's staff):
// without widening it is exactly the groups of the member's organization;
// widened, it keeps them and adds only groups that hold the staff of an
// organization met in the groups before, each group once, with exactly
// the movable members of its groups; and widening takes in more groups.
func TestNeighbourhoodWidens(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			_, r, s := searchedState(t, seed, bsktest.Options{Providers: 700, Organizations: 90, NoOfferings: true}, 1)
			m := r.m
			if m.related == nil {
				t.Fatal("a county-sized problem's model relates no units")
			}
			groupsOf := func(units []int) []int {
				var gs []int
				for _, v := range units {
					if g := s.assign[v]; g >= 0 && !slices.Contains(gs, g) {
						gs = append(gs, g)
					}
				}
				slices.Sort(gs)
				return gs
			}
			movableIn := func(groups []int) []int {
				var us []int
				for _, g := range groups {
					for _, v := range s.members[g] {
						if m.pin[v] < 0 {
							us = append(us, v)
						}
					}
				}
				slices.Sort(us)
				return us
			}
			base, wide, tried := 0, 0, 0
			for u, g := range s.assign {
				if g < 0 || m.pin[u] >= 0 {
					continue
				}
				tried++
				want := groupsOf(append([]int{u}, m.relatedTo(u)...))
				for _, wider := range []int{0, perturbWider} {
					units, groups := r.neighbourhood(s, u, wider)
					sorted := slices.Sorted(slices.Values(groups))
					if len(slices.Compact(slices.Clone(sorted))) != len(groups) {
						t.Fatalf("unit %d, wider %d: a group listed twice in %v", u, wider, groups)
					}
					if got := slices.Sorted(slices.Values(units)); !slices.Equal(got, movableIn(groups)) {
						t.Fatalf("unit %d, wider %d: units %v; the movable members of %v are %v", u, wider, got, groups, movableIn(groups))
					}
					if wider == 0 {
						if !slices.Equal(sorted, want) {
							t.Fatalf("unit %d: neighbourhood %v; its organization's groups are %v", u, sorted, want)
						}
						base += len(groups)
						continue
					}
					if len(groups) < len(want) || !slices.Equal(slices.Sorted(slices.Values(groups[:len(want)])), want) {
						t.Fatalf("unit %d: widened neighbourhood %v does not start with its organization's groups %v", u, groups, want)
					}
					// Each added group holds staff of an organization met in
					// the groups listed before it.
					for i := len(want); i < len(groups); i++ {
						met := false
						for _, v := range movableIn(groups[:i]) {
							if slices.Contains(groupsOf(m.relatedTo(v)), groups[i]) {
								met = true
								break
							}
						}
						if !met {
							t.Fatalf("unit %d: group %d in %v holds no organization met before it", u, groups[i], groups)
						}
					}
					wide += len(groups)
				}
			}
			t.Logf("%d members: %.2f groups a neighbourhood, %.2f widened", tried, float64(base)/float64(tried), float64(wide)/float64(tried))
			if wide <= base {
				t.Fatalf("widening took in no group: %d groups in all, %d without", wide, base)
			}
		})
	}
}
