package scholarship_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func runFor(apps []scholarship.Application) scholarship.Run {
	p := esit()
	c, _ := p.Cycle("2026")
	return scholarship.Run{
		Program: p, CycleID: "2026", Applications: apps,
		Rules:  scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)},
		Rubric: scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)},
	}
}

func TestRunCycleRecordsAreReproducible(t *testing.T) {
	apps := randomApps(rand.New(rand.NewPCG(3, 4)), 40)
	a, err := scholarship.RunCycle(context.Background(), runFor(apps))
	if err != nil {
		t.Fatal(err)
	}
	b, err := scholarship.RunCycle(context.Background(), runFor(randomApps(rand.New(rand.NewPCG(3, 4)), 40)))
	if err != nil {
		t.Fatal(err)
	}
	awarded := 0
	for i := range a.Records {
		ja, _ := a.Records[i].JSON()
		jb, _ := b.Records[i].JSON()
		if !bytes.Equal(ja, jb) {
			t.Fatalf("record %d differs between identical runs", i)
		}
		rec := a.Records[i]
		if rec.InputsHash != scholarship.InputsHash(apps[i]) || len(rec.Rules) != 6 || rec.Rank < 1 || rec.Step == "" {
			t.Errorf("record %d incomplete: %+v", i, rec)
		}
		if rec.Step == "awarded" {
			awarded++
			if rec.Award == nil || rec.Outcome != scholarship.Eligible {
				t.Errorf("record %d awarded without an eligible outcome or award", i)
			}
		}
	}
	if awarded == 0 || awarded != len(a.Allocation.Awards) {
		t.Errorf("%d records awarded, %d awards", awarded, len(a.Allocation.Awards))
	}
	// A changed input changes its hash.
	apps[0].Requested[scholarship.Books]++
	if scholarship.InputsHash(apps[0]) == a.Records[0].InputsHash {
		t.Error("the inputs hash ignores a changed amount")
	}
	var total int
	for _, row := range a.Equity.Rows {
		if row.Dimension == "gender" {
			total += row.Applicants
		}
	}
	if total != 40 {
		t.Errorf("equity summary counts %d applicants by gender; want 40", total)
	}
}

func TestRunCycleRejectsBadInputWhole(t *testing.T) {
	good := app("ok")
	neg := app("neg")
	neg.Requested[scholarship.Tuition] = -5
	huge := app("huge")
	huge.Requested[scholarship.Tuition] = scholarship.MaxAmount + 1
	unknownCat := app("cat")
	unknownCat.Requested["pizza"] = 10
	dup := app("dup")
	dup.Applicant.PersonID = good.Applicant.PersonID
	other := app("other")
	other.CycleID = "1999"
	_, err := scholarship.RunCycle(context.Background(), runFor([]scholarship.Application{good, neg, huge, unknownCat, dup, other}))
	var list bsk.Errors
	if !errors.As(err, &list) {
		t.Fatalf("RunCycle error = %v; want bsk.Errors", err)
	}
	want := map[string]bool{
		"applications[1].requested.tuition": true, "applications[2].requested.tuition": true,
		"applications[3].requested.pizza": true, "applications[4].applicant.person_id": true, "applications[5].cycle_id": true,
	}
	for _, e := range list {
		delete(want, e.Field)
	}
	if len(want) > 0 {
		t.Errorf("missing problems %v in\n%v", want, err)
	}
	if !errors.Is(err, bsk.ErrConflict) {
		t.Error("the duplicate application is not a conflict")
	}
	if _, err := scholarship.RunCycle(context.Background(), scholarship.Run{Program: esit(), CycleID: "2030"}); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("unknown cycle: %v", err)
	}
}

func TestCycleAt(t *testing.T) {
	p := esit()
	for _, tt := range []struct {
		at   int
		want string
	}{{0, "2026"}, {-1, "2025"}, {1, "2026"}} {
		c, err := p.CycleAt(day.AddDate(0, tt.at, 0))
		if err != nil || c.ID != tt.want {
			t.Errorf("CycleAt(%+d months) = %q, %v; want %q", tt.at, c.ID, err, tt.want)
		}
	}
	if _, err := p.CycleAt(day.AddDate(-5, 0, 0)); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("before any cycle: %v", err)
	}
}
