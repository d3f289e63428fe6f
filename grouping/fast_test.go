package grouping

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk/bsktest"
)

// fastProblem has every kind of term and check over small value sets, so
// that random states hit every case of the fast swap path.
func fastProblem(r *rand.Rand, n int) *Problem {
	p := &Problem{Groups: 3 + r.IntN(3)}
	for i := range n {
		m := Member{ID: MemberID(fmt.Sprintf("m%02d", i)),
			Attrs: map[string]string{"org": fmt.Sprint("o", r.IntN(3)), "role": fmt.Sprint("r", r.IntN(3))},
			Sets:  map[string][]string{},
			Nums:  map[string]float64{"years": float64(r.IntN(20))},
		}
		for _, attr := range []string{"languages", "slots"} {
			for v := range 4 {
				if r.IntN(2) == 0 {
					m.Sets[attr] = append(m.Sets[attr], fmt.Sprint(attr[:1], v))
				}
			}
		}
		if r.IntN(5) == 0 {
			delete(m.Attrs, "org") // members without the attribute
		}
		p.Members = append(p.Members, m)
	}
	p.Size = Bounds{Min: 0, Max: n}
	p.Constraints = []Constraint{
		{Kind: Share, Attr: "languages"},
		{Kind: Share, Attr: "slots"},
		{Kind: AtMost, Attr: "role", Value: "r1", Max: 1},
		{Kind: Separate, Attr: "role", Values: []string{"r0", "r2"}},
		{Kind: Same, Attr: "org"},
	}
	p.Criteria = []Criterion{
		{Kind: Similar, Attr: "org", Weight: 10},
		{Kind: Diverse, Attr: "role", Weight: 1.5},
		{Kind: Similar, Attr: "languages", Weight: 1},
		{Kind: Diverse, Attr: "slots", Weight: 0.5},
		{Kind: Balance, Attr: "role", Value: "r1", Weight: 2},
		{Kind: Isolation, Attr: "languages", Values: []string{"l1", "l2"}, Weight: 3},
		{Kind: Isolation, Attr: "org", Weight: 1},
		{Kind: Similar, Attr: "years", Weight: 0.1},
		{Kind: Diverse, Attr: "years", Weight: 0.2},
		{Kind: Balance, Attr: "years", Weight: 0.05},
	}
	p.Prefer = []Preference{{Member: "m00", Group: 1, Score: 3}, {Member: "m01", Group: 0, Score: 1.5}}
	// Leaders, whose checks have a fast path too.
	p.Leading = &Leading{Share: []string{"languages", "slots"}, Conflict: []string{"org"}}
	for l := range 3 {
		ld := Leader{ID: fmt.Sprint("L", l), Capacity: 2, Attrs: map[string]string{"org": fmt.Sprint("o", l)}, Sets: map[string][]string{}}
		for _, attr := range []string{"languages", "slots"} {
			for v := range 4 {
				if r.IntN(2) == 0 {
					ld.Sets[attr] = append(ld.Sets[attr], fmt.Sprint(attr[:1], v))
				}
			}
		}
		p.Leading.Leaders = append(p.Leading.Leaders, ld)
	}
	return p
}

// TestSwapFastMatchesSlow compares the fast swap evaluation with applying
// and undoing the swap, on random (not necessarily feasible) states: each
// check's verdict and each term's change.
func TestSwapFastMatchesSlow(t *testing.T) {
	compared, held, broken := 0, 0, 0
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		m, err := compile(fastProblem(r, 6+r.IntN(30)))
		if err != nil {
			t.Fatal(err)
		}
		s := newState(m)
		for u := range m.units {
			s.place(u, r.IntN(m.groups))
		}
		for range 200 {
			u, v := r.IntN(len(m.units)), r.IntN(len(m.units))
			g, h := s.assign[u], s.assign[v]
			if g == h || !m.simple[u] || !m.simple[v] {
				continue
			}
			before := make([]float64, len(m.terms))
			for k, term := range m.terms {
				before[k] = term.score(g) + term.score(h)
			}
			s.swap(u, v, 0)
			after := make([]float64, len(m.terms))
			for k, term := range m.terms {
				after[k] = term.score(g) + term.score(h)
			}
			verdicts := make([]bool, len(m.checks))
			for k, c := range m.checks {
				verdicts[k] = c.ok(g) && c.ok(h)
			}
			s.swap(u, v, 0)
			compared++
			for k, c := range m.checks {
				if got := c.swapOK(u, v, g, h); got != verdicts[k] {
					t.Fatalf("seed %d: swap %d(%d) %d(%d): %+v: fast says %v, applying says %v", seed, u, g, v, h, c.constraint(), got, verdicts[k])
				}
				// The masks (Share and Separate) agree too.
				if got := s.swapCheckFast(k, u, v, g, h); got != verdicts[k] {
					t.Fatalf("seed %d: swap %d(%d) %d(%d): %+v: masks say %v, applying says %v", seed, u, g, v, h, c.constraint(), got, verdicts[k])
				}
				if verdicts[k] {
					held++
				} else {
					broken++
				}
			}
			for k, term := range m.terms {
				want := after[k] - before[k]
				if got := term.swapDelta(u, v, g, h); math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
					t.Fatalf("seed %d: swap %d(%d) %d(%d): %+v: fast delta %v, applying gives %v", seed, u, g, v, h, term.criterion(), got, want)
				}
			}
			fd, fok := s.swapFast(u, v, g, h)
			sd, sok := s.swapSlow(u, v, g, h)
			if fok != sok || (sok && math.Abs(fd-sd) > 1e-9*max(1, math.Abs(sd))) {
				t.Fatalf("seed %d: swap %d(%d) %d(%d): fast (%v, %v), slow (%v, %v)", seed, u, g, v, h, fd, fok, sd, sok)
			}
		}
	}
	if compared < 10000 || held < 5000 || broken < 5000 {
		t.Fatalf("only %d swaps compared (%d verdicts held, %d broken)", compared, held, broken)
	}
}

// TestRewindRestoresState applies random moves and swaps with the journal
// on and checks that rewinding gives back the assignment and every
// aggregate of the starting state.
func TestRewindRestoresState(t *testing.T) {
	for seed := range uint64(50) {
		r := rand.New(rand.NewPCG(seed, 9))
		m, err := compile(fastProblem(r, 8+r.IntN(30)))
		if err != nil {
			t.Fatal(err)
		}
		s := newState(m)
		for u := range m.units {
			s.place(u, r.IntN(m.groups))
		}
		s.obj = s.objective()
		start := append([]int(nil), s.assign...)
		startObj := s.obj
		s.record()
		for range 1 + r.IntN(40) {
			u, v := r.IntN(len(m.units)), r.IntN(len(m.units))
			if r.IntN(2) == 0 || s.assign[u] == s.assign[v] {
				s.move(u, r.IntN(m.groups), 1)
			} else {
				s.swap(u, v, 1)
			}
		}
		s.rewind(startObj)
		if fmt.Sprint(s.assign) != fmt.Sprint(start) {
			t.Fatalf("seed %d: assignment %v after rewind; want %v", seed, s.assign, start)
		}
		if got := s.objective(); math.Abs(got-startObj) > 1e-9*max(1, math.Abs(startObj)) || s.obj != startObj {
			t.Fatalf("seed %d: objective %v (kept %v) after rewind; want %v", seed, got, s.obj, startObj)
		}
		for g := range m.groups {
			want := 0
			for _, u := range start {
				if u == g {
					want++
				}
			}
			if s.sizes[g] != want || len(s.members[g]) != want {
				t.Fatalf("seed %d: group %d has size %d and %d listed; want %d", seed, g, s.sizes[g], len(s.members[g]), want)
			}
		}
		if len(s.journal) != 0 || !s.logging {
			t.Fatalf("seed %d: journal not restarted after rewind", seed)
		}
	}
}

// TestMoveFastMatchesSlow compares moveDelta's fast path (moveFast, for
// problems whose checks the quick tests decide exactly) with applying and
// undoing the move, on random feasible states of problems with every kind
// of check and every term but Isolation, leaders included: the same
// verdict and the same change in the objective.
func TestMoveFastMatchesSlow(t *testing.T) {
	compared, accepted, refused := 0, 0, 0
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 11))
		p := fastProblem(r, 6+r.IntN(30))
		p.Criteria = slices.DeleteFunc(p.Criteria, func(c Criterion) bool { return c.Kind == Isolation })
		m, err := compile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := feasibleState(r, m)
		if !s.fastMove {
			t.Fatalf("seed %d: no fast moves on a problem without Isolation", seed)
		}
		s.obj = s.objective()
		for range 1000 {
			u, h := r.IntN(len(m.units)), r.IntN(m.groups)
			if g := s.assign[u]; g < 0 || g == h || !m.simple[u] {
				continue
			}
			enforceMin := r.IntN(2) == 0
			fd, fok := s.moveDelta(u, h, enforceMin)
			s.fastMove = false
			sd, sok := s.moveDelta(u, h, enforceMin)
			s.fastMove = true
			if fok != sok || (sok && math.Abs(fd-sd) > 1e-9*max(1, math.Abs(sd))) {
				t.Fatalf("seed %d: move %d from %d to %d: fast (%v, %v), slow (%v, %v)", seed, u, s.assign[u], h, fd, fok, sd, sok)
			}
			compared++
			if !sok {
				refused++
				continue
			}
			accepted++
			s.move(u, h, fd)
			if got := s.objective(); math.Abs(got-s.obj) > 1e-6*max(1, math.Abs(got)) {
				t.Fatalf("seed %d: after the move the objective is %v; recomputed %v", seed, s.obj, got)
			}
		}
	}
	if compared < 20000 || accepted < 2000 || refused < 2000 {
		t.Fatalf("only %d moves compared (%d accepted, %d refused)", compared, accepted, refused)
	}
	t.Logf("%d moves compared, %d accepted, %d refused", compared, accepted, refused)
}

// TestSwapInPossibleIsNecessary checks the search's test before it weighs
// swaps into a group: wherever swapInPossible says no member of h can
// make room for u, no swap of u with a member of h keeps every hard
// constraint; and it does say so, often enough to matter.
func TestSwapInPossibleIsNecessary(t *testing.T) {
	skipped, possible := 0, 0
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 13))
		m, err := compile(fastProblem(r, 6+r.IntN(30)))
		if err != nil {
			t.Fatal(err)
		}
		s := feasibleState(r, m)
		for u := range m.units {
			g := s.assign[u]
			for h := range m.groups {
				if g < 0 || h == g || !m.simple[u] {
					continue
				}
				if s.swapInPossible(u, h) {
					possible++
					continue
				}
				skipped++
				for _, w := range s.members[h] {
					if _, ok := s.swapDelta(u, w); ok {
						t.Fatalf("seed %d: swapInPossible(%d, %d) is false, but %d and %d can swap", seed, u, h, u, w)
					}
				}
			}
		}
	}
	if skipped < 1000 || possible < 1000 {
		t.Fatalf("only %d groups ruled out and %d not", skipped, possible)
	}
	t.Logf("%d groups ruled out, %d not", skipped, possible)
}

// feasibleState places each unit of m in a random group that admits it,
// where one does, so that every group keeps every hard constraint.
func feasibleState(r *rand.Rand, m *model) *state {
	s := newState(m)
	for u := range m.units {
		for _, h := range r.Perm(m.groups) {
			if _, ok := s.moveDelta(u, h, false); ok {
				s.place(u, h)
				break
			}
		}
	}
	return s
}

// TestSwapChecksInLearnedOrder checks that once the search has ordered
// the checks (orderChecks), swapChecksFast still says what asking every
// check in the model's order says, on county-shaped problems whose Share
// and Separate checks have masks.
func TestSwapChecksInLearnedOrder(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		_, _, s := searchedState(t, seed, bsktest.Options{Organizations: 30, Providers: 300, Consultants: 8, NoOfferings: true}, 7)
		m := s.m
		if s.checkOrder == nil {
			t.Fatalf("seed %d: the search asked about %d swaps, and the checks were not ordered", seed, s.checkCalls)
		}
		every := make([]int, len(m.checks))
		for i := range every {
			every[i] = i
		}
		if got := slices.Sorted(slices.Values(s.checkOrder)); !slices.Equal(got, every) {
			t.Fatalf("seed %d: order %v is not a permutation of %d checks", seed, s.checkOrder, len(m.checks))
		}
		if s.sep == nil {
			t.Fatalf("seed %d: the roles' Separate check has no masks", seed)
		}
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		held, broken := 0, 0
		for range 20000 {
			u, v := r.IntN(len(m.units)), r.IntN(len(m.units))
			g, h := s.assign[u], s.assign[v]
			if g < 0 || h < 0 || g == h || !m.simple[u] || !m.simple[v] {
				continue
			}
			want := true
			for _, c := range m.checks {
				want = want && c.swapOK(u, v, g, h)
			}
			if got := s.swapChecksFast(u, v, g, h); got != want {
				t.Fatalf("seed %d: swap %d(%d) %d(%d): in order %v the checks say %v, in the model's order %v", seed, u, g, v, h, s.checkOrder, got, want)
			}
			if _, ok := s.swapSlow(u, v, g, h); ok != want {
				t.Fatalf("seed %d: swap %d(%d) %d(%d): the checks say %v, applying the swap says %v", seed, u, g, v, h, want, ok)
			}
			if want {
				held++
			} else {
				broken++
			}
		}
		if held < 100 || broken < 1000 {
			t.Fatalf("seed %d: only %d swaps kept the checks and %d broke them", seed, held, broken)
		}
	}
}

// TestOrderChecks checks the greedy order: the check that turns down most
// calls first, then the one that turns down most of what is left (not a
// second check that fails on the same calls), a check without masks
// counted at half.
func TestOrderChecks(t *testing.T) {
	var fails []uint64
	add := func(n int, f uint64) {
		for range n {
			fails = append(fails, f)
		}
	}
	add(60, 0b0011) // checks 0 and 1 fail together
	add(30, 0b0100)
	add(10, 0)
	all := func(int) bool { return true }
	if got, want := orderChecks(4, fails, all), []int{0, 2, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	fails = fails[:0]
	add(40, 0b0001)
	add(30, 0b0010)
	notFirst := func(i int) bool { return i != 0 }
	if got, want := orderChecks(4, fails, notFirst), []int{1, 0, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("order with check 0 unmasked %v, want %v", got, want)
	}
	if got, want := orderChecks(66, nil, all), 66; len(got) != want || got[63] != 63 || got[65] != 65 {
		t.Errorf("order of 66 checks %v", got)
	}
}
