package grouping

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// TestMoreStartsKeepsTheBest replays the constructions moreStarts makes,
// on reflective consultation problems with consultants as leaders, and
// checks that it returns the one that places the most members (of those,
// the highest objective), as a whole state: members, leaders and their
// capacities left, objective, and the members it left out.
func TestMoreStartsKeepsTheBest(t *testing.T) {
	chosen := map[bool]bool{} // whether a later start was the best
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := bsktest.Workforce(seed, bsktest.Options{Organizations: 15, Providers: 260, Consultants: 6, NoOfferings: true})
			p, err := ReflectiveConsultation(w.Providers, PresetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			newSearch := func() *search {
				m, err := compile(p)
				if err != nil {
					t.Fatal(err)
				}
				return &search{m: m, rng: rand.New(rand.NewPCG(uint64(seed), 5)), deadline: time.Now().Add(time.Hour),
					ctx: context.Background(), maxIter: 1, begin: time.Now(), starts: DefaultStarts}
			}
			first := func(r *search) *state {
				s := newState(r.m)
				r.construct(s)
				s.obj = s.objective()
				r.localSearch(s, nil)
				return s
			}
			// The replay: the same seed, the starts one after another.
			replay := newSearch()
			type result struct {
				placed   int
				obj      float64
				unplaced int
			}
			var all []result
			best := 0
			for i := range DefaultStarts {
				s := first(replay)
				all = append(all, result{placed(s), s.obj, len(replay.unplaced)})
				if b := all[best]; all[i].placed > b.placed || (all[i].placed == b.placed && all[i].obj > b.obj+eps) {
					best = i
				}
			}
			t.Logf("start %d of %+v", best, all)
			chosen[best > 0] = true
			r := newSearch()
			s := r.moreStarts(first(r))
			checkState(t, p, s, "after the starts")
			if got := (result{placed(s), s.obj, len(r.unplaced)}); got.placed != all[best].placed || got.obj != all[best].obj || got.unplaced != all[best].unplaced {
				t.Fatalf("moreStarts kept %+v; the best of %+v is start %d", got, all, best)
			}
			for u, g := range s.assign {
				if _, out := r.unplaced[u]; out != (g < 0) {
					t.Fatalf("unit %d: group %d, yet listed as left out: %v", u, g, out)
				}
			}
			// Each leader's capacity left is its capacity less the groups
			// it leads.
			for l, left := range s.spare {
				n := 0
				for _, x := range s.lead {
					if x == l {
						n++
					}
				}
				if want := p.Leading.Leaders[l].Capacity - n; left != want {
					t.Fatalf("leader %d has %d capacity left; leads %d of %d", l, left, n, p.Leading.Leaders[l].Capacity)
				}
			}
		})
	}
	if !chosen[true] {
		t.Error("the first start was the best on every problem: the test checks no reload")
	}
}
