package scholarship_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/beststarts/workforce/scholarship"
)

// twentyRules is the built-in ESIT rules plus agency-style rules up to 20.
func twentyRules(p scholarship.Program, c scholarship.Cycle) []scholarship.Rule[scholarship.Application] {
	rules := scholarship.BuiltinRules(p, c)
	for i := len(rules); i < 20; i++ {
		min := float64(i % 5)
		rules = append(rules, scholarship.Each(scholarship.RuleInfo{Name: fmt.Sprintf("agency_rule_%d", i), Version: "1"},
			func(a scholarship.Application) []scholarship.Reason {
				if a.Applicant.YearsExperience < min && a.Answers.FinancialNeed == 0 {
					return []scholarship.Reason{{Code: "agency_experience", Outcome: scholarship.NeedsReview}}
				}
				return nil
			}))
	}
	return rules
}

// BenchmarkCycle100k runs 100,000 applications through 20 in-process rules,
// scoring, ranking and allocation on one core.
func BenchmarkCycle100k(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	p := esit()
	c, _ := p.Cycle("2026")
	apps := randomApps(rand.New(rand.NewPCG(1, 1)), 100_000)
	set := scholarship.RuleSet[scholarship.Application]{Rules: twentyRules(p, c)}
	rubric := scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		verdicts := set.Evaluate(ctx, apps)
		scores, err := rubric.Score(ctx, apps, nil)
		if err != nil {
			b.Fatal(err)
		}
		order := scholarship.Rank(apps, scores)
		ranked := make([]scholarship.Candidate, len(order))
		for k, i := range order {
			ranked[k] = scholarship.Candidate{Application: apps[i], Verdict: verdicts[i]}
		}
		if _, err := scholarship.Allocate(c, ranked); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunCycle100k adds validation and a decision record (with its
// inputs hash) per application to BenchmarkCycle100k.
func BenchmarkRunCycle100k(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	p := esit()
	c, _ := p.Cycle("2026")
	apps := randomApps(rand.New(rand.NewPCG(1, 1)), 100_000)
	for i := range apps {
		apps[i].Applicant.PersonID = fmt.Sprintf("person-%d", i)
	}
	run := scholarship.Run{Program: p, CycleID: "2026", Applications: apps,
		Rules:  scholarship.RuleSet[scholarship.Application]{Rules: twentyRules(p, c)},
		Rubric: scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}, HashKey: testKey}
	b.ResetTimer()
	for b.Loop() {
		if _, err := scholarship.RunCycle(context.Background(), run); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllocate measures allocation alone, to show O(n log n) growth.
func BenchmarkAllocate(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c, ranked := rankedRandom(9, n)
			b.ResetTimer()
			for b.Loop() {
				scholarship.Allocate(c, ranked)
			}
		})
	}
}

// BenchmarkRunCycleConfigured100k runs 100,000 applications through
// configured programs (BA Degree Pathways: combined caps, release time by
// the hour paid to the employer, statewide rules; T.E.A.C.H.: cost shares,
// a priority-language set-aside with partial awards topped up) with
// RunCycle on one core: intake, rules, scoring, ranking, allocation and a
// decision record per application.
func BenchmarkRunCycleConfigured100k(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	for _, tc := range []struct {
		name string
		p    scholarship.Program
	}{
		{"ba_degree_pathways", baDegreePathways(100_000_000_00 / 100)},
		{"teach", teachEarlyChildhood(50_000_000_00/100, 10_000_000_00/100)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			apps := cohort(rand.New(rand.NewPCG(5, 5)), tc.p.ID, 100_000)
			b.ResetTimer()
			for b.Loop() {
				if _, err := decide(tc.p, apps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
