package scholarship_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/scholarship"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenRun is one cohort of the golden tests: a program, its rules and
// its applications.
type goldenRun struct {
	name string
	run  func(n int) scholarship.Run
}

// goldenRuns are the cohorts whose every decision is pinned: the two
// configured programs (with a few applications intake must set aside)
// and the ESIT program with twenty rules, as the benchmarks run them.
func goldenRuns() []goldenRun {
	// The budgets grow with the cohort, so some are funded, some
	// partly, some waitlisted.
	configured := func(program func(n scholarship.Cents) scholarship.Program, seed uint64) func(n int) scholarship.Run {
		return func(n int) scholarship.Run {
			p := program(scholarship.Cents(n))
			c := p.Cycles[0]
			apps := cohort(rand.New(rand.NewPCG(seed, seed)), p.ID, n)
			// What intake sets aside: an invalid application, a second
			// application from one person, one for another cycle.
			bad := apps[n/3]
			bad.ID, bad.Applicant.PersonID, bad.Applicant.MonthsEmployed = "bad-months", "p-bad-months", -1
			dup := apps[n/2]
			dup.ID = "dup-person"
			other := apps[n/4]
			other.ID, other.Applicant.PersonID, other.CycleID = "other-cycle", "p-other-cycle", "2025-26"
			apps = append(apps, bad, dup, other)
			return scholarship.Run{Program: p, CycleID: c.ID, Applications: apps,
				Rules:   scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)},
				Rubric:  scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, c.PriorityLanguages)},
				HashKey: testKey}
		}
	}
	return []goldenRun{
		{"ba_degree_pathways", configured(func(n scholarship.Cents) scholarship.Program { return baDegreePathways(n*900_00 + 7) }, 5)},
		{"teach", configured(func(n scholarship.Cents) scholarship.Program { return teachEarlyChildhood(n*1_000_00+11, n*250_00+3) }, 6)},
		{"esit_twenty_rules", func(n int) scholarship.Run {
			p := esit()
			c, _ := p.Cycle("2026")
			apps := randomApps(rand.New(rand.NewPCG(1, 1)), n)
			for i := range apps {
				apps[i].Applicant.PersonID = fmt.Sprintf("person-%d", i)
			}
			return scholarship.Run{Program: p, CycleID: "2026", Applications: apps,
				Rules:  scholarship.RuleSet[scholarship.Application]{Rules: twentyRules(p, c)},
				Rubric: scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}, HashKey: testKey}
		}},
	}
}

// goldenJSON writes a cycle's result as text: the cycle and rules once,
// then one line per set-aside application, per decision record (its
// cycle and rules left out, checked equal to the first) and the
// allocation, equity summary and ranking.
func goldenJSON(t *testing.T, res scholarship.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	line := func(label string, v any) {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s\n", label, j)
	}
	if len(res.Records) == 0 {
		t.Fatal("no records")
	}
	first := res.Records[0]
	line("cycle", first.Cycle)
	line("rules", first.Rules)
	for _, s := range res.SetAside {
		line("set_aside", s)
	}
	for _, r := range res.Records {
		if !reflect.DeepEqual(r.Cycle, first.Cycle) || !reflect.DeepEqual(r.Rules, first.Rules) {
			t.Fatalf("record %s: cycle or rules differ from the first record's", r.ApplicationID)
		}
		r.Cycle, r.Rules = scholarship.Cycle{}, nil
		line("record", r)
	}
	line("verdicts", res.Verdicts)
	line("scores", res.Scores)
	line("ranking", res.Ranking)
	line("allocation", res.Allocation)
	line("equity", res.Equity)
	return b.Bytes()
}

// TestGoldenDecisions pins every output of RunCycle (records with their
// inputs hashes, reasons, scores, ranks and awards; set-aside problems;
// the allocation and the equity summary) for generated cohorts, as the
// code computed them when the golden files were written (-update), so a
// change made for speed is seen to change no result.
func TestGoldenDecisions(t *testing.T) {
	for _, g := range goldenRuns() {
		t.Run(g.name, func(t *testing.T) {
			res, err := scholarship.RunCycle(context.Background(), g.run(300))
			if err != nil {
				t.Fatal(err)
			}
			if g.name != "esit_twenty_rules" && len(res.SetAside) != 3 {
				t.Fatalf("%d set aside; want 3", len(res.SetAside))
			}
			got := goldenJSON(t, res)
			path := filepath.Join("testdata", "golden_"+g.name+".txt")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestGoldenDigests pins larger cohorts by a SHA-256 digest of the same
// text, stored in testdata/golden_digests.txt.
func TestGoldenDigests(t *testing.T) {
	if testing.Short() {
		t.Skip("large cohorts")
	}
	const n = 4000
	var lines []string
	for _, g := range goldenRuns() {
		res, err := scholarship.RunCycle(context.Background(), g.run(n))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %d %x", g.name, n, sha256.Sum256(goldenJSON(t, res))))
	}
	got := strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", "golden_digests.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
