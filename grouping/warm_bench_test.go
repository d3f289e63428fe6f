package grouping_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

var (
	warmLimit  = flag.Duration("warm.limit", 10*time.Second, "time limit of each solve in BenchmarkWarmStart")
	warmSeeds  = flag.Int("warm.seeds", 3, "BenchmarkWarmStart solves the problems of seeds 1 to this")
	warmSample = flag.Int("warm.sample", 0, "Options.SwapSample of BenchmarkCountySearch")
	warmStarts = flag.Int("warm.starts", 0, "Options.Starts of BenchmarkCountySearch")
	warmOffset = flag.Uint64("warm.offset", 0, "BenchmarkWarmStart and BenchmarkCountySearch add this to each solver seed, to sample more runs of one problem")
	warmFewer  = flag.Bool("warm.fewer", false, "the county-shaped problems set Problem.AllowFewerGroups")
	warmCPU    = flag.Bool("warm.cpu", false, "BenchmarkWarmStart and BenchmarkCountyLimits count the limits in this process's CPU time, on one thread")
	warmRuns   = flag.Int("warm.runs", 1, "BenchmarkCountyLimits solves each problem with this many solver seeds at each limit and compares the means")
	warmIter   = flag.Int("warm.iter", 0, "BenchmarkCountySearch stops each search after this many rounds (Options.Iterations) instead of -warm.limit, so that ns/op compares the speed of two versions making the same decisions")
)

// solveFor solves p for limit: wall time by default; with -warm.cpu, CPU
// time of this process, so that a machine loaded by other work measures
// the same amount of search. The CPU clock (cpuClock) is the solver's
// clock for the solve, so that its deadline, and the time it keeps for its
// last phase, are counted in CPU time (user plus system time, garbage
// collection included); the search runs on one thread.
func solveFor(tb testing.TB, p *grouping.Problem, opts grouping.Options, limit time.Duration) *grouping.Solution {
	tb.Helper()
	opts.TimeLimit = limit
	if *warmCPU {
		opts.Threads = 1
		defer grouping.SetClock(newCPUClock(tb).now)()
	}
	sol, err := grouping.Solve(context.Background(), p, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return sol
}

// cpuClock is a clock that runs with this process's CPU time from the
// moment it was made: the wall time then, plus the CPU time used since.
// Reading the CPU time is a system call, so within a millisecond of wall
// time of the last reading it counts on by the wall clock.
type cpuClock struct {
	tb       testing.TB
	mu       sync.Mutex
	wall0    time.Time
	cpu0     time.Duration
	lastWall time.Time
	last     time.Time
}

func newCPUClock(tb testing.TB) *cpuClock {
	now := time.Now()
	return &cpuClock{tb: tb, wall0: now, cpu0: cpuTime(tb), lastWall: now, last: now}
}

func (c *cpuClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := time.Now()
	if d := w.Sub(c.lastWall); d < time.Millisecond {
		return c.last.Add(d)
	}
	c.lastWall = w
	c.last = c.wall0.Add(cpuTime(c.tb) - c.cpu0)
	return c.last
}

// cpuTime is the CPU time this process has used so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Error(err)
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// countyProblem is a reflective consultation problem of the county's
// shape: about 700 providers in 90 agencies of very unequal size, 20
// consultants who lead at most 5 groups each; with -warm.fewer the search
// may close groups (Problem.AllowFewerGroups).
func countyProblem(tb testing.TB, seed int64) *grouping.Problem {
	tb.Helper()
	w := bsktest.Workforce(seed, bsktest.Options{Providers: 700, Organizations: 90, NoOfferings: true})
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	p.AllowFewerGroups = *warmFewer
	return p
}

// greedyByAgency groups as a coordinator would by hand: each agency's
// staff by role, in order of their first language and first meeting slot,
// in groups of the largest size; the last group of each takes what is left.
func greedyByAgency(p *grouping.Problem) [][]grouping.MemberID {
	excluded := map[grouping.MemberID]bool{}
	for _, e := range p.Exclude {
		excluded[e.Member] = true
	}
	type key struct{ org, role string }
	var order []key
	byKey := map[key][]grouping.Member{}
	for _, m := range p.Members {
		if excluded[m.ID] {
			continue
		}
		k := key{m.Attrs[grouping.AttrOrganization], m.Attrs[grouping.AttrRole]}
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], m)
	}
	first := func(m grouping.Member, attr string) string {
		if v := m.Sets[attr]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var groups [][]grouping.MemberID
	for _, k := range order {
		ms := byKey[k]
		slices.SortStableFunc(ms, func(a, b grouping.Member) int {
			return strings.Compare(first(a, grouping.AttrLanguages)+"/"+first(a, grouping.AttrSlots), first(b, grouping.AttrLanguages)+"/"+first(b, grouping.AttrSlots))
		})
		for len(ms) > 0 && len(groups) < p.Groups {
			n := min(len(ms), p.Size.Max)
			var g []grouping.MemberID
			for _, m := range ms[:n] {
				g = append(g, m.ID)
			}
			groups = append(groups, g)
			ms = ms[n:]
		}
	}
	return groups
}

// singleOrganization counts the groups whose members all work for one
// organization.
func singleOrganization(p *grouping.Problem, groups [][]grouping.MemberID) int {
	org := make(map[grouping.MemberID]string, len(p.Members))
	for _, m := range p.Members {
		org[m.ID] = m.Attrs[grouping.AttrOrganization]
	}
	n := 0
	for _, g := range groups {
		if len(g) > 0 && !slices.ContainsFunc(g, func(id grouping.MemberID) bool { return org[id] != org[g[0]] }) {
			n++
		}
	}
	return n
}

// noLeader counts the members a solution leaves out because no leader
// could lead them in any group ([grouping.ReasonNoLeaderFits]).
func noLeader(sol *grouping.Solution) int {
	n := 0
	for _, u := range sol.Unplaced {
		if u.Reason.Code == grouping.ReasonNoLeaderFits {
			n++
		}
	}
	return n
}

// led counts the groups a solution gives a leader.
func led(sol *grouping.Solution) int {
	n := 0
	for _, id := range sol.Leaders {
		if id != "" {
			n++
		}
	}
	return n
}

// ahead is 1 when a is at least as good as b in the order Solve keeps its
// groupings by: more members placed, then, placing as many, an objective
// at least as high; 0 otherwise.
func ahead(a, b *grouping.Solution) float64 {
	if len(a.Unplaced) < len(b.Unplaced) || len(a.Unplaced) == len(b.Unplaced) && a.Objective >= b.Objective {
		return 1
	}
	return 0
}

// BenchmarkWarmStart compares, on county-shaped problems, the search
// alone with the search started from a coordinator's per-agency greedy
// grouping, each for -warm.limit (10 s by default). The metrics are the
// objectives (higher is better): "alone", "warm", the greedy grouping's
// own ("greedy"), and alone less warm ("gap"; at least 0 is the goal);
// then the members each leaves unplaced, the groups each has led by a
// consultant ("led-"), the groups each forms of one organization's
// staff ("oneorg-"; the greedy draft's own groups are all of one
// organization by construction, but many break a hard constraint, so the
// draft after the search, "oneorg-warm", is the yardstick), and whether
// the search alone is at least as good in the order Solve keeps (placing
// members first, then the objective; "ahead", 1 or 0).
// -warm.seeds=5 adds seeds 4 and 5. With -warm.cpu the limit is this
// process's CPU time on one thread (see solveFor), the figure to compare
// on a machine loaded by other work.
//
//	go test -run '^$' -bench WarmStart -benchtime 1x ./grouping/
//	go test -run '^$' -bench WarmStart -benchtime 1x -warm.seeds 5 -warm.cpu ./grouping/
func BenchmarkWarmStart(b *testing.B) {
	for seed := int64(1); seed <= int64(*warmSeeds); seed++ {
		b.Run(fmt.Sprintf("seed=%d", seed), func(b *testing.B) {
			p := countyProblem(b, seed)
			start := greedyByAgency(p)
			for range b.N {
				alone := solveFor(b, p, grouping.Options{Seed: uint64(seed) + *warmOffset}, *warmLimit)
				warm := solveFor(b, p, grouping.Options{Seed: uint64(seed) + *warmOffset, Start: start}, *warmLimit)
				b.ReportMetric(alone.Objective, "alone")
				b.ReportMetric(warm.Objective, "warm")
				b.ReportMetric(grouping.Evaluate(p, start), "greedy")
				b.ReportMetric(alone.Objective-warm.Objective, "gap")
				b.ReportMetric(float64(len(alone.Unplaced)), "unplaced-alone")
				b.ReportMetric(float64(len(warm.Unplaced)), "unplaced-warm")
				b.ReportMetric(float64(singleOrganization(p, alone.Groups)), "oneorg-alone")
				b.ReportMetric(float64(singleOrganization(p, warm.Groups)), "oneorg-warm")
				b.ReportMetric(float64(led(alone)), "led-alone")
				b.ReportMetric(float64(led(warm)), "led-warm")
				b.ReportMetric(ahead(alone, warm), "ahead")
			}
		})
	}
}

// BenchmarkCountyLimits compares, on the county-shaped problems of
// BenchmarkWarmStart (seeds 1 to -warm.seeds), the search alone at 2 s
// and at 60 s: "obj-2s", "obj-60s", and how far the first falls short of
// the second in percent ("gap-%"; at most 1 is the goal). With -warm.runs
// N each problem is solved with N solver seeds (the problem's seed plus
// -warm.offset, plus 1000 for each further run) at each limit, and the
// metrics are the means: one run's result varies with the solver seed by
// about 0.6% at 2 s on these problems, so single runs say little about a
// gap of 1%. With -warm.cpu the limits are this process's CPU time on one
// thread (see solveFor).
//
//	go test -run '^$' -bench CountyLimits -benchtime 1x -timeout 30m ./grouping/
//	go test -run '^$' -bench CountyLimits -benchtime 1x -timeout 90m -warm.seeds 5 -warm.runs 3 -warm.cpu ./grouping/
func BenchmarkCountyLimits(b *testing.B) {
	for seed := int64(1); seed <= int64(*warmSeeds); seed++ {
		b.Run(fmt.Sprintf("seed=%d", seed), func(b *testing.B) {
			p := countyProblem(b, seed)
			runs := max(1, *warmRuns)
			for range b.N {
				var short, long float64
				for r := range runs {
					opts := grouping.Options{Seed: uint64(seed) + *warmOffset + 1000*uint64(r)}
					short += solveFor(b, p, opts, 2*time.Second).Objective / float64(runs)
					long += solveFor(b, p, opts, time.Minute).Objective / float64(runs)
				}
				b.ReportMetric(short, "obj-2s")
				b.ReportMetric(long, "obj-60s")
				b.ReportMetric(100*(long-short)/long, "gap-%")
			}
		})
	}
}

// BenchmarkCountySearch solves the county-shaped problems of
// BenchmarkWarmStart (seeds 1 to -warm.seeds) with the search alone for
// -warm.limit: the objective ("obj"), the members left unplaced and of
// them those no leader could lead in any group ("noleader"), the groups led, the single-organization groups and the search rounds. With
// -warm.cpu (CPU time, see solveFor) it is the quick comparison of two
// versions of the search on a loaded machine. With -warm.iter N each
// search makes N rounds whatever the time, and ns/op is its speed: two
// versions that make the same decisions report the same objective.
//
//	go test -run '^$' -bench CountySearch -benchtime 1x -warm.cpu -warm.limit 2s ./grouping/
//	go test -run '^$' -bench CountySearch -benchtime 3x -warm.iter 4000 ./grouping/
func BenchmarkCountySearch(b *testing.B) {
	for seed := int64(1); seed <= int64(*warmSeeds); seed++ {
		b.Run(fmt.Sprintf("seed=%d", seed), func(b *testing.B) {
			p := countyProblem(b, seed)
			for range b.N {
				opts := grouping.Options{Seed: uint64(seed) + *warmOffset, SwapSample: *warmSample, Starts: *warmStarts}
				var sol *grouping.Solution
				if *warmIter > 0 {
					opts.Iterations, opts.Threads = *warmIter, 1
					var err error
					if sol, err = grouping.Solve(context.Background(), p, opts); err != nil {
						b.Fatal(err)
					}
				} else {
					sol = solveFor(b, p, opts, *warmLimit)
				}
				b.ReportMetric(sol.Objective, "obj")
				b.ReportMetric(float64(len(sol.Unplaced)), "unplaced")
				b.ReportMetric(float64(noLeader(sol)), "noleader")
				b.ReportMetric(float64(singleOrganization(p, sol.Groups)), "oneorg")
				b.ReportMetric(float64(led(sol)), "led")
				b.ReportMetric(float64(len(sol.Unled)), "unled")
				b.ReportMetric(float64(sol.Iterations), "rounds")
			}
		})
	}
}
