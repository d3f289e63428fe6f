package grouping_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

var rcSeed = flag.Int64("rc.seed", 1, "the synthetic workforce's seed in the BenchmarkReflectiveConsultation benchmarks")

// benchRC solves the reflective consultation preset on a synthetic
// workforce of about n providers (seed -rc.seed, 1 by default) within
// limit, reporting the objective and members left unplaced.
func benchRC(b *testing.B, providers int, limit time.Duration) {
	orgs := providers * 120 / 2000
	w := bsktest.Workforce(*rcSeed, bsktest.Options{Organizations: orgs, Providers: providers, NoOfferings: true})
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: limit, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(sol.Objective, "objective")
		b.ReportMetric(float64(len(sol.Unplaced)), "unplaced")
		b.ReportMetric(float64(sol.Iterations), "rounds")
	}
}

func BenchmarkReflectiveConsultation2000(b *testing.B)  { benchRC(b, 2000, 2*time.Second) }
func BenchmarkReflectiveConsultation10000(b *testing.B) { benchRC(b, 10000, 10*time.Second) }

// The 60-second runs are the reference the 2 s and 10 s figures are
// compared with.
func BenchmarkReflectiveConsultation2000Long(b *testing.B)  { benchRC(b, 2000, 60*time.Second) }
func BenchmarkReflectiveConsultation10000Long(b *testing.B) { benchRC(b, 10000, 60*time.Second) }
