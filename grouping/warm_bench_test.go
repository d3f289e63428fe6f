package grouping_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

var (
	warmLimit = flag.Duration("warm.limit", 10*time.Second, "time limit of each solve in BenchmarkWarmStart")
	warmSeeds = flag.Int("warm.seeds", 3, "BenchmarkWarmStart solves the problems of seeds 1 to this")
)

// countyProblem is a reflective consultation problem of the county's
// shape: about 700 providers in 90 agencies of very unequal size, 20
// consultants who lead at most 5 groups each.
func countyProblem(tb testing.TB, seed int64) *grouping.Problem {
	tb.Helper()
	w := bsktest.Workforce(seed, bsktest.Options{Providers: 700, Organizations: 90, NoOfferings: true})
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
	if err != nil {
		tb.Fatal(err)
	}
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

// BenchmarkWarmStart compares, on county-shaped problems, the search
// alone with the search started from a coordinator's per-agency greedy
// grouping, each for -warm.limit (10 s by default). The metrics are the
// objectives (higher is better): "alone", "warm", the greedy grouping's
// own ("greedy"), and alone less warm ("gap"; at least 0 is the goal);
// then the members each leaves unplaced and the groups each forms of one
// organization's staff ("oneorg-"; the greedy draft's own groups are all
// of one organization by construction, but many break a hard constraint,
// so the draft after the search, "oneorg-warm", is the yardstick).
// -warm.seeds=5 adds seeds 4 and 5.
//
//	go test -run '^$' -bench WarmStart -benchtime 1x ./grouping/
func BenchmarkWarmStart(b *testing.B) {
	for seed := int64(1); seed <= int64(*warmSeeds); seed++ {
		b.Run(fmt.Sprintf("seed=%d", seed), func(b *testing.B) {
			p := countyProblem(b, seed)
			start := greedyByAgency(p)
			for range b.N {
				alone, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: *warmLimit, Seed: uint64(seed)})
				if err != nil {
					b.Fatal(err)
				}
				warm, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: *warmLimit, Seed: uint64(seed), Start: start})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(alone.Objective, "alone")
				b.ReportMetric(warm.Objective, "warm")
				b.ReportMetric(grouping.Evaluate(p, start), "greedy")
				b.ReportMetric(alone.Objective-warm.Objective, "gap")
				b.ReportMetric(float64(len(alone.Unplaced)), "unplaced-alone")
				b.ReportMetric(float64(len(warm.Unplaced)), "unplaced-warm")
				b.ReportMetric(float64(singleOrganization(p, alone.Groups)), "oneorg-alone")
				b.ReportMetric(float64(singleOrganization(p, warm.Groups)), "oneorg-warm")
			}
		})
	}
}

// BenchmarkCountyLimits compares, on the county-shaped problems of
// BenchmarkWarmStart (seeds 1 to -warm.seeds), the search alone at 2 s
// and at 60 s: "obj-2s", "obj-60s", and how far the first falls short of
// the second in percent ("gap-%"; at most 1 is the goal).
//
//	go test -run '^$' -bench CountyLimits -benchtime 1x -timeout 30m ./grouping/
func BenchmarkCountyLimits(b *testing.B) {
	for seed := int64(1); seed <= int64(*warmSeeds); seed++ {
		b.Run(fmt.Sprintf("seed=%d", seed), func(b *testing.B) {
			p := countyProblem(b, seed)
			for range b.N {
				short, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: 2 * time.Second, Seed: uint64(seed)})
				if err != nil {
					b.Fatal(err)
				}
				long, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: time.Minute, Seed: uint64(seed)})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(short.Objective, "obj-2s")
				b.ReportMetric(long.Objective, "obj-60s")
				b.ReportMetric(100*(long.Objective-short.Objective)/long.Objective, "gap-%")
			}
		})
	}
}
