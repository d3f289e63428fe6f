package grouping_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// FuzzSolve: any problem document is refused with an error that is not
// internal, or solved with every member placed once or unplaced with a
// reason, and a breakdown that sums to the objective recomputed from
// scratch; never a panic (which Solve would return as an internal error).
func FuzzSolve(f *testing.F) {
	if b, err := os.ReadFile("../examples/group/testdata/problem.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"groups":2,"size":{"min":1,"max":3},"members":[{"id":"a","pin":1},{"id":"b","sets":{"l":["x"]}},{"id":"c","attrs":{"l":"y"}}],"constraints":[{"kind":"share","attr":"l"}]}`))
	f.Add([]byte(`{"groups":1,"size":{"min":0,"max":2},"members":[{"id":"a"},{"id":"b"}],"matrix":[[0,1],[1,0]],"prefer":[{"member":"a","group":0,"score":2}]}`))
	// Fewer members than the minimums add up to, allowed below them, and
	// groups the search may close.
	f.Add([]byte(`{"groups":3,"size":{"min":3,"max":4},"allow_underfilled":true,"allow_fewer_groups":true,"members":[{"id":"a","attrs":{"o":"1"}},{"id":"b","attrs":{"o":"1"}},{"id":"c","attrs":{"o":"2"}},{"id":"d","sets":{"l":["x"]}},{"id":"e","sets":{"l":["x","y"]}}],"constraints":[{"kind":"share","attr":"l"}],"criteria":[{"kind":"similar","attr":"o","weight":1}]}`))
	f.Add([]byte(`{"groups":3,"bounds":[{"min":1,"max":1},{"min":0,"max":2},{"min":1,"max":3}],"members":[{"id":"a","nums":{"y":1}},{"id":"b","nums":{"y":2}},{"id":"c"}],"criteria":[{"kind":"isolation","attr":"y","weight":1}],"exclude":[{"member":"c","reason":{"code":"x"}}]}`))
	// Leaders some members share nothing with (a language no leader
	// speaks, one leader's organization), and a pair that must share a
	// group: the reasons of those left out are asked of every leader.
	f.Add([]byte(`{"groups":3,"size":{"min":2,"max":3},"members":[{"id":"a","attrs":{"o":"1"},"sets":{"l":["x"],"t":["m"]}},{"id":"b","attrs":{"o":"2"},"sets":{"l":["x","z"],"t":["m"]}},{"id":"c","attrs":{"o":"3"},"sets":{"l":["z"],"t":["m"]}},{"id":"d","attrs":{"o":"3"},"sets":{"l":["z"],"t":["e"]}},{"id":"e","attrs":{"o":"9"},"sets":{"l":["x"],"t":["m"]}},{"id":"f","sets":{"l":["q"]}}],"must_link":[{"a":"c","b":"d"}],"constraints":[{"kind":"share","attr":"l"},{"kind":"share","attr":"t"}],"leading":{"share":["l","t"],"conflict":["o"],"leaders":[{"id":"L1","capacity":2,"attrs":{"o":"9"},"sets":{"l":["x"],"t":["m"]}},{"id":"L2","capacity":1,"sets":{"l":["z"],"t":["e"]}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p grouping.Problem
		if json.Unmarshal(data, &p) != nil || len(p.Members) > 40 || p.Groups > 40 {
			return
		}
		// Once as it comes, once with a small swap sample and two threads
		// (the sampled search large problems use).
		opts := grouping.Options{Iterations: 2}
		if len(data)%2 == 1 {
			opts = grouping.Options{Iterations: 2, SwapSample: 1 + len(data)%5, Threads: 2}
		}
		sol, err := grouping.Solve(context.Background(), &p, opts)
		if errors.Is(err, bsk.ErrInternal) {
			t.Fatalf("Solve(%+v) = %v; a bug, not the problem's fault", opts, err)
		}
		if err != nil {
			return
		}
		checkFuzzSolution(t, &p, sol)
		// Started again from its own groups (a warm start: leaders by a
		// matching where they can lead every group), the search refuses
		// nothing and keeps every property.
		opts.Start = sol.Groups
		again, err := grouping.Solve(context.Background(), &p, opts)
		if err != nil {
			t.Fatalf("Solve from its own solution's groups = %v", err)
		}
		checkFuzzSolution(t, &p, again)
	})
}

// checkFuzzSolution checks that sol accounts for every member of p once,
// each left out with a reason, and that its breakdown adds up to the
// objective Evaluate recomputes.
func checkFuzzSolution(t *testing.T, p *grouping.Problem, sol *grouping.Solution) {
	t.Helper()
	{
		seen := map[grouping.MemberID]bool{}
		for _, g := range sol.Groups {
			for _, id := range g {
				if seen[id] {
					t.Fatalf("%s placed twice", id)
				}
				seen[id] = true
			}
		}
		for _, u := range sol.Unplaced {
			if seen[u.Member] || u.Reason.Code == "" {
				t.Fatalf("unplaced %+v", u)
			}
			seen[u.Member] = true
		}
		if len(seen) != len(p.Members) {
			t.Fatalf("%d of %d members accounted for", len(seen), len(p.Members))
		}
		// The solver's own bookkeeping, criterion by criterion, agrees
		// with the from-scratch recomputation.
		sum := 0.0
		for _, b := range sol.Breakdown {
			sum += b.Weighted
		}
		if got := grouping.Evaluate(p, sol.Groups); got-sum > 1e-6*(1+abs(got)) || sum-got > 1e-6*(1+abs(got)) {
			t.Fatalf("breakdown sums to %v; recomputed %v", sum, got)
		}
	}
}

// FuzzPreset drives every preset over generated workforces: the fuzz
// input picks the workforce (seed, providers, organizations, consultants),
// the preset and its options, and the solver's seed, swap sample, threads
// and a few iterations or a short time limit, and whether groups may stay
// below their minimum or close. The preset and the solver either refuse with a
// coded error that is the caller's (never an internal one) or return a
// solution that holds every property checkSolution checks; never a panic.
// testdata/fuzz/FuzzPreset holds the training breakouts request over the
// full synthetic workforce that once panicked in the local search.
func FuzzPreset(f *testing.F) {
	// seed, providers, organizations, consultants, preset, groups, size
	// min, size max, policies (and leader capacity), swap sample,
	// threads, iterations.
	f.Add(int64(1), uint16(2000), uint8(0), uint8(0), uint8(2), uint8(0), uint8(0), uint8(0), uint8(0), uint8(0), uint8(0), uint8(2))
	f.Add(int64(3), uint16(60), uint8(8), uint8(4), uint8(0), uint8(0), uint8(0), uint8(0), uint8(0), uint8(0), uint8(1), uint8(3))
	f.Add(int64(2), uint16(40), uint8(5), uint8(3), uint8(3), uint8(0), uint8(2), uint8(5), uint8(17), uint8(3), uint8(0), uint8(1))
	f.Add(int64(7), uint16(25), uint8(25), uint8(2), uint8(1), uint8(9), uint8(0), uint8(0), uint8(6), uint8(5), uint8(2), uint8(2))
	// Small-group mentorship at the seeds' scale: 82 participants, 3
	// mentors leading 4 groups each.
	f.Add(int64(4), uint16(82), uint8(12), uint8(3), uint8(3), uint8(0), uint8(0), uint8(0), uint8(144), uint8(0), uint8(1), uint8(2))
	// Reflective consultation with groups allowed below their minimum and
	// fewer groups than planned: 30 providers in 6 groups of 6-8.
	f.Add(int64(5), uint16(30), uint8(4), uint8(2), uint8(0), uint8(6), uint8(6), uint8(8), uint8(0), uint8(0), uint8(9), uint8(0))
	f.Fuzz(func(t *testing.T, seed int64, providers uint16, orgs, consultants, preset, groups, lo, hi, policies, sample, threads, iterations uint8) {
		n := int(providers) % 2101 // 0: the default 2,000
		o := bsktest.Options{Providers: n, Organizations: int(orgs), Consultants: int(consultants) % 21, NoOfferings: true}
		if n > 0 {
			// The generator needs at least one provider per organization
			// (more organizations than providers never returns).
			if o.Organizations == 0 {
				o.Organizations = 120
			}
			o.Organizations = min(o.Organizations, n)
		}
		w := bsktest.Workforce(seed, o)
		names := grouping.Preset("").Enum()
		pr := grouping.Preset(names[int(preset)%len(names)])
		people, mentors := w.Providers, []bsk.Provider(nil)
		if pr == grouping.MentorshipPreset {
			people, mentors = presetPeople(w)
		}
		po := grouping.PresetOptions{
			Groups:       int(groups) % 50,
			Size:         grouping.Bounds{Min: int(lo) % 10, Max: int(hi) % 14},
			Organization: []grouping.OrgPolicy{"", grouping.OrgPrefer, grouping.OrgRequire, grouping.OrgMix}[policies%4],
			Roles:        []grouping.RolePolicy{"", grouping.RolesSeparate, grouping.RolesTogether}[policies/4%3],
			Language:     []bsk.Language{"", bsk.English, bsk.Spanish}[policies/12%3],
			// 0 keeps one mentorship group per mentor; more forms small
			// groups led by the mentors.
			LeaderCapacity: int(policies/36) % 7,
			// The threads byte's higher bits set the two allowances.
			AllowUnderfilled: threads/3%2 == 1,
			AllowFewerGroups: threads/6%2 == 1,
		}
		refused := func(step string, err error) {
			var e *bsk.Error
			if !errors.As(err, &e) || errors.Is(err, bsk.ErrInternal) {
				t.Fatalf("%s (%s, %+v): %v; want a coded error that is not internal", step, pr, po, err)
			}
		}
		p, err := grouping.NewProblem(pr, people, mentors, po)
		if err != nil {
			refused("NewProblem", err)
			return
		}
		// A few iterations (the same run every time), or with none a
		// 100 ms limit.
		opts := grouping.Options{Seed: uint64(seed), SwapSample: int(sample) % 64, Threads: 1 + int(threads)%3,
			Iterations: int(iterations) % 4, TimeLimit: 100 * time.Millisecond}
		if len(w.Providers) > 1000 {
			// One thread and one first grouping: with iterations every
			// first grouping is built, and eight at 2,000 providers
			// outlast the fuzzer's ten seconds per input once coverage is
			// counted.
			opts.Threads, opts.Starts = 1, 1
		}
		sol, err := grouping.Solve(context.Background(), p, opts)
		if err != nil {
			refused("Solve", err)
			return
		}
		checkSolution(t, p, sol)
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// FuzzAssign: any leader or choice problem document is refused with an
// error that is not internal, or assigned with every group's leader known
// and within capacity, every member placed at most once within capacity.
func FuzzAssign(f *testing.F) {
	f.Add([]byte(`{"members":[{"id":"a","sets":{"l":["en"]}},{"id":"b","sets":{"l":["en","es"]}}],"groups":[["a"],["b"],[]],"leaders":[{"id":"x","sets":{"l":["en"]},"capacity":1},{"id":"y","sets":{"l":["es"]},"attrs":{"o":"1"},"capacity":2}],"share":["l"],"conflict":["o"],"scores":[{"leader":"y","group":1,"score":2}],"forbidden":[{"leader":"x","group":0}]}`))
	f.Add([]byte(`{"choices":[{"id":"c1","capacity":1,"languages":["es"]},{"id":"c2","capacity":2}],"choosers":[{"id":"a","ranked":["c1","c2"],"languages":["es"]},{"id":"b","ranked":["c1"]},{"id":"c","ranked":[]}],"rank_costs":[0,3],"fallback":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		var lp grouping.LeaderProblem
		if json.Unmarshal(data, &lp) == nil && len(lp.Groups) <= 40 && len(lp.Leaders) <= 40 {
			a, err := grouping.AssignLeaders(ctx, lp)
			if errors.Is(err, bsk.ErrInternal) {
				t.Fatalf("AssignLeaders = %v; a bug, not the problem's fault", err)
			}
			if err == nil {
				capacity := map[string]int{}
				for _, l := range lp.Leaders {
					capacity[l.ID] = l.Capacity
				}
				load := map[string]int{}
				for g, id := range a.Leaders {
					if id == "" {
						continue
					}
					if _, ok := capacity[id]; !ok || len(lp.Groups[g]) == 0 {
						t.Fatalf("group %d led by %q", g, id)
					}
					if load[id]++; load[id] > capacity[id] {
						t.Fatalf("%q leads %d groups; capacity %d", id, load[id], capacity[id])
					}
				}
			}
		}
		var cp grouping.ChoiceProblem
		if json.Unmarshal(data, &cp) == nil && len(cp.Choices) <= 40 && len(cp.Choosers) <= 40 {
			a, err := grouping.AssignChoices(ctx, cp)
			if errors.Is(err, bsk.ErrInternal) {
				t.Fatalf("AssignChoices = %v; a bug, not the problem's fault", err)
			}
			if err == nil {
				capacity := map[string]int{}
				for _, c := range cp.Choices {
					capacity[c.ID] = c.Capacity
				}
				taken := map[string]int{}
				for m, c := range a.Placed {
					if taken[c]++; taken[c] > capacity[c] {
						t.Fatalf("%q placed in %q beyond its capacity %d", m, c, capacity[c])
					}
				}
				if len(a.Placed)+len(a.Unplaced) != len(cp.Choosers) {
					t.Fatalf("%d placed and %d unplaced of %d", len(a.Placed), len(a.Unplaced), len(cp.Choosers))
				}
			}
		}
	})
}
