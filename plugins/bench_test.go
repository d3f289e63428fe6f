//go:build unix

package plugins_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// benchApplications returns n realistic applications, from a seed.
func benchApplications(n int) []scholarship.Application {
	rng := rand.New(rand.NewPCG(1, 2))
	langs := []bsk.Language{bsk.English, bsk.Spanish, bsk.Somali, bsk.Amharic, bsk.Tigrinya, bsk.Vietnamese}
	out := make([]scholarship.Application, n)
	for i := range out {
		out[i] = scholarship.Application{
			ID: fmt.Sprintf("app-%05d", i), ProgramID: "esit-career-pathways", CycleID: "2026-fall",
			Applicant: scholarship.Applicant{
				PersonID: fmt.Sprintf("person-%05d", i), Name: fmt.Sprintf("Applicant %d", i),
				MonthsEmployed: rng.IntN(60), HoursPerWeek: float64(10 + rng.IntN(31)),
				Languages:       []bsk.Language{bsk.English, langs[rng.IntN(len(langs))]},
				YearsExperience: float64(rng.IntN(20)),
			},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: scholarship.Cents(100000 + rng.IntN(800000)), scholarship.Books: 50000},
			Answers:   scholarship.Answers{FinancialNeed: rng.IntN(4), EmployerConfirmed: rng.IntN(5) > 0},
			Submitted: time.Date(2026, 9, 1+rng.IntN(28), 12, 0, 0, 0, time.UTC),
		}
	}
	return out
}

func sixMonths(tb testing.TB) *plugins.Rule[scholarship.Application] {
	e := entry(tb, "sixmonths")
	c, err := plugins.Open(context.Background(), e, plugins.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	r, err := plugins.NewRule(c, "agency_six_months", func(a scholarship.Application) string { return a.ID })
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// inProcessSixMonths is the same rule as the sixmonths plug-in's, in
// process, for comparison.
var inProcessSixMonths = scholarship.Each(scholarship.RuleInfo{Name: "agency_six_months", Version: "1.0.0"},
	func(a scholarship.Application) []scholarship.Reason {
		if a.Applicant.MonthsEmployed >= 6 && !a.Applicant.Hired {
			return nil
		}
		return []scholarship.Reason{{Code: "agency_tenure_short", Outcome: scholarship.Ineligible,
			Params: map[string]string{"months": fmt.Sprint(a.Applicant.MonthsEmployed), "required": "6"}}}
	})

func benchCheck(b *testing.B, r scholarship.Rule[scholarship.Application], apps []scholarship.Application) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Check(ctx, apps)
		if err != nil || len(res) != len(apps) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/batch")
}

// BenchmarkEligibility10k: 10,000 applications through the out-of-process
// rule, in calls of 2,000 (goal: at most 100 ms).
func BenchmarkEligibility10k(b *testing.B) {
	apps := benchApplications(10000)
	for _, size := range []int{1000, 2000, 10000} {
		b.Run(fmt.Sprintf("plugin/batch=%d", size), func(b *testing.B) {
			r := sixMonths(b)
			r.BatchSize = size
			benchCheck(b, r, apps)
		})
	}
	b.Run("in-process", func(b *testing.B) { benchCheck(b, inProcessSixMonths, apps) })
}

// BenchmarkEligibilitySingle: the latency of one call with one
// application.
func BenchmarkEligibilitySingle(b *testing.B) {
	apps := benchApplications(1)
	b.Run("plugin", func(b *testing.B) { benchCheck(b, sixMonths(b), apps) })
	b.Run("in-process", func(b *testing.B) { benchCheck(b, inProcessSixMonths, apps) })
}

// BenchmarkLaunch: from exec to a plug-in ready for calls (handshake,
// mTLS, Info), goal at most 100 ms; closing is not timed.
func BenchmarkLaunch(b *testing.B) {
	e := entry(b, "sixmonths")
	e.Path, _ = filepath.Abs(e.Path)
	for b.Loop() {
		c, err := plugins.Open(context.Background(), e, plugins.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
}

// BenchmarkRestartAfterCrash: from a plug-in's process killed with
// SIGKILL to a new process ready for calls, with the default options
// (the first restart waits the 100 ms minimum backoff); goal at most 1 s.
func BenchmarkRestartAfterCrash(b *testing.B) {
	c, err := plugins.Open(context.Background(), entry(b, "sixmonths"), plugins.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for b.Loop() {
		pid := c.PID()
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for c.PID() == pid || c.PID() == 0 || c.Status().State != plugins.StateRunning {
			if time.Now().After(deadline) {
				b.Fatalf("not restarted within 10 s: %+v", c.Status())
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		// A call that succeeds resets the backoff, as calls in service do.
		if err := c.Call(context.Background(), plugins.KindEligibility, "agency_six_months", nil, plugins.CheckInput[scholarship.Application]{}, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/restart")
}
