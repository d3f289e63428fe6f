package grouping

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// checkState asserts that s's bookkeeping agrees with its assignment: each
// group's member list and each unit's position in it, the sizes, the size
// maxima and hard constraints of every group, and the objective, recomputed
// on a fresh model.
func checkState(t *testing.T, p *Problem, s *state, where string) {
	t.Helper()
	m := s.m
	sizes := make([]int, m.groups)
	listed := 0
	for g, l := range s.members {
		listed += len(l)
		for i, u := range l {
			if s.assign[u] != g || s.pos[u] != i {
				t.Fatalf("%s: unit %d listed in group %d at %d; assigned to %d at %d", where, u, g, i, s.assign[u], s.pos[u])
			}
		}
	}
	placed := 0
	for u, g := range s.assign {
		if g >= 0 {
			placed++
			sizes[g] += len(m.units[u])
		}
	}
	if listed != placed {
		t.Fatalf("%s: %d units listed; %d placed", where, listed, placed)
	}
	if !slices.Equal(sizes, s.sizes) {
		t.Fatalf("%s: sizes %v; counted %v", where, s.sizes, sizes)
	}
	// Each leader's groups and capacity left agree with the groups'
	// leaders.
	for l := range s.spare {
		var led []int
		for g, x := range s.lead {
			if x == l {
				led = append(led, g)
			}
		}
		if got := slices.Sorted(slices.Values(s.led[l])); !slices.Equal(got, led) {
			t.Fatalf("%s: leader %d listed as leading %v; leads %v", where, l, got, led)
		}
		if want := p.Leading.Leaders[l].Capacity - len(led); s.spare[l] != want {
			t.Fatalf("%s: leader %d has %d capacity left; leads %d", where, l, s.spare[l], len(led))
		}
	}
	fresh, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	f := newState(fresh)
	f.load(s.assign)
	copy(f.lead, s.lead) // the leaders the search chose, not the initial ones
	for g := range m.groups {
		if f.sizes[g] > m.bounds[g].Max || !f.checksOK(g, -1) {
			t.Fatalf("%s: group %d breaks a hard constraint (size %d, bounds %+v)", where, g, f.sizes[g], m.bounds[g])
		}
	}
	if math.Abs(f.obj-s.obj) > 1e-6*max(1, math.Abs(f.obj)) {
		t.Fatalf("%s: objective %v; recomputed %v", where, s.obj, f.obj)
	}
}

// TestSearchBookkeeping drives the large-problem search (sampled
// partners, related units, perturbation inside an organization's groups,
// focused local search, the journal and its rewind) on small problems
// with every kind of constraint, and checks the state after every step:
// member lists, sizes, constraints and objective agree with the
// assignment, and a rewind returns exactly to the best assignment.
func TestSearchBookkeeping(t *testing.T) {
	undone, improved, retried := 0, 0, 0
	for seed := range uint64(24) {
		rng := rand.New(rand.NewPCG(seed, 9))
		n := 24 + rng.IntN(40)
		p := fastProblem(rng, n)
		if seed%2 == 1 {
			// Tight bounds: moves and swaps run into minima and maxima.
			k := n / p.Groups
			p.Size = Bounds{Min: max(0, k-3), Max: k + 2}
			p.Constraints = p.Constraints[:3] // no Same or Separate: most are placed
		}
		m, err := compile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Related units by organization, as a large problem has them.
		byOrg := map[string][]int{}
		for u, members := range m.units {
			if v, ok := p.Members[members[0]].Attrs["org"]; ok {
				byOrg[v] = append(byOrg[v], u)
			}
		}
		m.related = make([][]int, len(m.units))
		for u, members := range m.units {
			m.related[u] = byOrg[p.Members[members[0]].Attrs["org"]]
		}
		r := &search{m: m, rng: rand.New(rand.NewPCG(seed, 1)), deadline: time.Now().Add(time.Hour), ctx: context.Background(), maxIter: 1, sample: 4}
		s := newState(m)
		r.construct(s)
		s.obj = s.objective()
		checkState(t, p, s, fmt.Sprintf("seed %d: construct", seed))
		r.localSearch(s, nil)
		checkState(t, p, s, fmt.Sprintf("seed %d: local search", seed))
		best, bestObj := slices.Clone(s.assign), s.obj
		s.record()
		for round := range 60 {
			where := fmt.Sprintf("seed %d round %d", seed, round)
			touched := make([]bool, m.groups)
			r.perturb(s, 2+round%6, touched)
			checkState(t, p, s, where+": perturb")
			r.localSearch(s, touched)
			checkState(t, p, s, where+": local search")
			if s.obj > bestObj+eps {
				copy(best, s.assign)
				bestObj = s.obj
				improved++
				// At the best, members left out get another chance, as
				// in the search.
				if len(r.stranded) > 0 {
					s.logging = false
					if r.retryStranded(s, 4) {
						retried++
						s.obj = s.objective()
						checkState(t, p, s, where+": retry")
						copy(best, s.assign)
						bestObj = s.obj
					}
				}
				s.record()
				continue
			}
			undone += len(s.journal)
			s.rewind(bestObj)
			checkState(t, p, s, where+": rewind")
			if !slices.Equal(s.assign, best) {
				t.Fatalf("%s: rewind left %v; best %v", where, s.assign, best)
			}
		}
	}
	t.Logf("%d changes undone, %d improving rounds, %d placed members left out", undone, improved, retried)
	if undone == 0 || improved == 0 {
		t.Errorf("%d changes undone, %d improving rounds; the test exercised neither the journal nor the search", undone, improved)
	}
}

// searchedState builds the reflective consultation problem of workforce
// seed with o, and a search (its random stream from seed and stream) with
// a state constructed and improved by local search, for the tests that
// drive the search's moves by hand.
func searchedState(t *testing.T, seed int64, o bsktest.Options, stream uint64) (*Problem, *search, *state) {
	t.Helper()
	w := bsktest.Workforce(seed, o)
	p, err := ReflectiveConsultation(w.Providers, PresetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	r := &search{m: m, rng: rand.New(rand.NewPCG(uint64(seed), stream)), deadline: time.Now().Add(time.Hour),
		ctx: context.Background(), maxIter: 1, begin: time.Now(), starts: 1}
	s := newState(m)
	r.construct(s)
	s.obj = s.objective()
	r.localSearch(s, nil)
	return p, r, s
}
