package scholarship_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// runCycleOf runs apps through RunCycle under c, which replaces the test
// program's 2026 cycle, with the built-in rules and the given rubric.
func runCycleOf(t testing.TB, c scholarship.Cycle, rubric scholarship.Rubric, apps []scholarship.Application) scholarship.Result {
	t.Helper()
	p := esit()
	p.Cycles[1] = c
	res, err := scholarship.RunCycle(context.Background(), scholarship.Run{Program: p, CycleID: c.ID, Applications: apps,
		Rules: scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)}, Rubric: rubric, HashKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// randomCycle is a random cycle (budget, set-asides or none, fit policy)
// and its applications, from a seed.
func randomCycle(seed uint64, n int) (scholarship.Cycle, []scholarship.Application) {
	r := rand.New(rand.NewPCG(seed, 11))
	c, _ := esit().Cycle("2026")
	c.Budget = scholarship.Cents(r.IntN(200_000_00))
	c.Pools = nil
	if r.IntN(3) > 0 {
		c.Pools = []scholarship.Pool{
			{Name: "multilingual", Amount: c.Budget / scholarship.Cents(2+r.IntN(4)), Criterion: scholarship.PoolMultilingual},
			{Name: "first_generation", Amount: c.Budget / 10, Criterion: scholarship.PoolFirstGeneration},
		}
	}
	if r.IntN(2) == 0 {
		c.Fit, c.MinPartial = scholarship.Partial, scholarship.Cents(r.IntN(1000_00))
	}
	return c, randomApps(r, n)
}

// rankedOf is the result's ranking with each application and verdict.
func rankedOf(res scholarship.Result, apps []scholarship.Application) []scholarship.Candidate {
	at := map[string]int{}
	for i, r := range res.Records {
		at[r.ApplicationID] = i
	}
	byID := map[string]scholarship.Application{}
	for _, a := range apps {
		byID[a.ID] = a
	}
	out := make([]scholarship.Candidate, len(res.Ranking))
	for k, id := range res.Ranking {
		out[k] = scholarship.Candidate{Application: byID[id], Verdict: res.Verdicts[at[id]]}
	}
	return out
}

func awardsByID(al scholarship.Allocation) map[string]scholarship.Award {
	out := map[string]scholarship.Award{}
	for _, a := range al.Awards {
		out[a.ApplicationID] = a
	}
	return out
}

// checkDecline checks a result after declines against the result before:
// the allocation's own properties, what changed in it, and that every
// decision record agrees with it.
func checkDecline(t *testing.T, seed uint64, c scholarship.Cycle, apps []scholarship.Application, prev, next scholarship.Result, declined []string) {
	t.Helper()
	checkAllocation(t, seed, c, rankedOf(next, apps), next.Allocation)
	byID := map[string]scholarship.Application{}
	for _, a := range apps {
		byID[a.ID] = a
	}
	before, after := awardsByID(prev.Allocation), awardsByID(next.Allocation)
	waiting := map[string]bool{}
	for _, w := range prev.Allocation.Waitlist {
		waiting[w.ApplicationID] = true
	}
	for id, pa := range before {
		na, ok := after[id]
		switch {
		case slices.Contains(declined, id):
			if ok {
				t.Errorf("seed %d: declined award of %s stands: %+v", seed, id, na)
			}
		case !ok:
			t.Errorf("seed %d: the award of %s, not declined, is gone", seed, id)
		case na.Amount == pa.Amount:
			if d := cmp.Diff(pa, na); d != "" {
				t.Errorf("seed %d: the award of %s changed (-before +after):\n%s", seed, id, d)
			}
		default:
			// Only a partial award grows, from freed money.
			if !pa.Partial || na.Amount < pa.Amount || na.Pool != pa.Pool || na.Rank != pa.Rank || na.Step != pa.Step ||
				!slices.Equal(na.TopUps[:len(pa.TopUps)], pa.TopUps) {
				t.Errorf("seed %d: award of %s went from %+v to %+v", seed, id, pa, na)
			}
		}
	}
	for id, na := range after {
		if _, ok := before[id]; ok {
			continue
		}
		if !waiting[id] || na.Step != "reallocation" {
			t.Errorf("seed %d: new award %+v to an application that was not waitlisted", seed, na)
		}
		if i := slices.IndexFunc(c.Pools, func(p scholarship.Pool) bool { return p.Name == na.Pool }); na.Pool != "general" && (i < 0 || !c.Meets(c.Pools[i], byID[id])) {
			t.Errorf("seed %d: new award to %s from pool %q whose criterion it does not meet", seed, id, na.Pool)
		}
	}
	code := map[string]string{}
	for _, u := range append(slices.Clone(next.Allocation.Waitlist), next.Allocation.Unfunded...) {
		code[u.ApplicationID] = u.Code
	}
	for _, id := range declined {
		if code[id] != scholarship.StepDeclined {
			t.Errorf("seed %d: declined %s is listed as %q", seed, id, code[id])
		}
	}
	if len(next.Records) != len(prev.Records) {
		t.Fatalf("seed %d: %d records after, %d before", seed, len(next.Records), len(prev.Records))
	}
	for i, r := range next.Records {
		old := prev.Records[i]
		id := r.ApplicationID
		aw, awarded := after[id]
		switch {
		case slices.Contains(declined, id):
			want := old
			want.Step, want.Award = scholarship.StepDeclined, nil
			want.Reasons = append(slices.Clone(old.Reasons), scholarship.Reason{Code: scholarship.CodeDeclined, Outcome: scholarship.Eligible,
				Params: map[string]string{"amount": strconv.FormatInt(int64(before[id].Amount), 10)}, Rule: "decline", Version: "1"})
			if d := cmp.Diff(want, r); d != "" {
				t.Errorf("seed %d: record of declined %s (-want +got):\n%s", seed, id, d)
			}
		case awarded:
			want := old
			want.Step, want.Award = "awarded", &aw
			if d := cmp.Diff(want, r); d != "" {
				t.Errorf("seed %d: record of awarded %s (-want +got):\n%s", seed, id, d)
			}
		default:
			if d := cmp.Diff(old, r); d != "" {
				t.Errorf("seed %d: record of %s, not awarded, changed (-before +after):\n%s", seed, id, d)
			}
			if r.Step != code[id] {
				t.Errorf("seed %d: record of %s says %q; the allocation %q", seed, id, r.Step, code[id])
			}
		}
	}
	if next.Equity.Total.Awarded != len(next.Allocation.Awards) || next.Equity.Total.Amount != next.Allocation.Spent {
		t.Errorf("seed %d: equity counts %d awards of %v; the allocation %d of %v", seed,
			next.Equity.Total.Awarded, next.Equity.Total.Amount, len(next.Allocation.Awards), next.Allocation.Spent)
	}
}

func TestDeclineProperties(t *testing.T) {
	for seed := range uint64(150) {
		c, apps := randomCycle(seed, 1+int(seed%50))
		res := runCycleOf(t, c, scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}, apps)
		if len(res.Allocation.Awards) == 0 {
			continue
		}
		var declined []string
		for i, a := range res.Allocation.Awards {
			if i%3 == 0 {
				declined = append(declined, a.ApplicationID)
			}
		}
		frozen, _ := json.Marshal(res)
		next, err := scholarship.Decline(c, res, apps, declined)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if now, _ := json.Marshal(res); string(now) != string(frozen) {
			t.Fatalf("seed %d: Decline changed the result it was given", seed)
		}
		checkDecline(t, seed, c, apps, res, next, declined)

		// The order of the declines in one call does not matter.
		reversed := slices.Clone(declined)
		slices.Reverse(reversed)
		again, err := scholarship.Decline(c, res, apps, reversed)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(next, again); d != "" {
			t.Errorf("seed %d: declines in reverse order give another result (-forward +reverse):\n%s", seed, d)
		}

		// A later decline, of an award the first one made when it made one.
		if len(next.Allocation.Awards) == 0 {
			continue
		}
		last := next.Allocation.Awards[len(next.Allocation.Awards)-1].ApplicationID
		third, err := scholarship.Decline(c, next, apps, []string{last})
		if err != nil {
			t.Fatalf("seed %d: declining %s after the first declines: %v", seed, last, err)
		}
		checkDecline(t, seed, c, apps, next, third, []string{last})
		if _, err := scholarship.Decline(c, third, apps, declined[:1]); !errors.Is(err, bsk.ErrConflict) {
			t.Errorf("seed %d: declining %s a second time: %v; want a conflict", seed, declined[0], err)
		}
	}
}

// Under the partial policy with no minimum and no set-asides, declines
// made one at a time, in any order, give every application the amount
// that declining them together gives.
func TestDeclineOneAtATimeAsTogether(t *testing.T) {
	amounts := func(al scholarship.Allocation) map[string]scholarship.Cents {
		out := map[string]scholarship.Cents{"(left)": al.Left}
		for _, a := range al.Awards {
			out[a.ApplicationID] = a.Amount
		}
		return out
	}
	tried := 0
	for seed := range uint64(120) {
		c, apps := randomCycle(seed, 5+int(seed%40))
		c.Pools, c.Fit, c.MinPartial = nil, scholarship.Partial, 0
		res := runCycleOf(t, c, scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}, apps)
		if len(res.Allocation.Awards) < 3 || len(res.Allocation.Waitlist) == 0 {
			continue
		}
		tried++
		r := rand.New(rand.NewPCG(seed, 5))
		var declined []string
		for _, i := range r.Perm(len(res.Allocation.Awards))[:3] {
			declined = append(declined, res.Allocation.Awards[i].ApplicationID)
		}
		together, err := scholarship.Decline(c, res, apps, declined)
		if err != nil {
			t.Fatal(err)
		}
		for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
			step := res
			for _, i := range order {
				prev := step
				if step, err = scholarship.Decline(c, prev, apps, declined[i:i+1]); err != nil {
					t.Fatal(err)
				}
				checkDecline(t, seed, c, apps, prev, step, declined[i:i+1])
			}
			if d := cmp.Diff(amounts(together.Allocation), amounts(step.Allocation)); d != "" {
				t.Errorf("seed %d: declining %v in order %v one at a time (-together +one at a time):\n%s", seed, declined, order, d)
			}
		}
	}
	if tried < 20 {
		t.Fatalf("only %d seeds had awards to decline and a waitlist", tried)
	}
}

// fiveApplicants asks for 8,400, 4,000, 9,000, 3,000 and 5,000, ranked in
// that order by submission time (the rubric scores nothing).
func fiveApplicants() []scholarship.Application {
	asks := []scholarship.Cents{8_000_00, 3_600_00, 8_500_00, 2_600_00, 4_600_00}
	books := []scholarship.Cents{400_00, 400_00, 500_00, 400_00, 400_00}
	var apps []scholarship.Application
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		a := app(id)
		a.Requested = map[scholarship.Category]scholarship.Cents{scholarship.Tuition: asks[i], scholarship.Books: books[i]}
		a.Submitted = day.Add(time.Duration(i) * time.Minute)
		apps = append(apps, a)
	}
	return apps
}

// With the skip policy the order of declines made one at a time matters:
// each call's money goes to those it fits then, and their awards stand.
func TestDeclineSkipDependsOnOrder(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget, c.Pools = 12_400_00, nil // a (8,400) and b (4,000)
	apps := fiveApplicants()
	res := runCycleOf(t, c, scholarship.Rubric{}, apps)
	if got := slices.Collect(func(yield func(string) bool) {
		for _, a := range res.Allocation.Awards {
			yield(a.ApplicationID)
		}
	}); !slices.Equal(got, []string{"a", "b"}) || !slices.Equal(res.Ranking, []string{"a", "b", "c", "d", "e"}) {
		t.Fatalf("awards %v, ranking %v; want a and b of a..e", got, res.Ranking)
	}
	funded := func(ids ...[]string) (string, scholarship.Cents) {
		r := res
		for _, d := range ids {
			var err error
			if r, err = scholarship.Decline(c, r, apps, d); err != nil {
				t.Fatal(err)
			}
		}
		var out []string
		for _, a := range r.Allocation.Awards {
			out = append(out, fmt.Sprintf("%s:%v", a.ApplicationID, a.Amount))
		}
		return fmt.Sprint(out), r.Allocation.Left
	}
	for _, tc := range []struct {
		name    string
		calls   [][]string
		awarded string
		left    scholarship.Cents
	}{
		// 12,400: c (9,000), then d (3,000); e (5,000) does not fit the 400 left.
		{"together", [][]string{{"a", "b"}}, "[c:$9,000.00 d:$3,000.00]", 400_00},
		// 8,400: c does not fit; d, then e. Then 4,400: c still does not fit.
		{"a then b", [][]string{{"a"}, {"b"}}, "[d:$3,000.00 e:$5,000.00]", 4_400_00},
		// 4,000: d. Then 9,400: c.
		{"b then a", [][]string{{"b"}, {"a"}}, "[d:$3,000.00 c:$9,000.00]", 400_00},
	} {
		if got, left := funded(tc.calls...); got != tc.awarded || left != tc.left {
			t.Errorf("%s: awards %s, left %v; want %s, left %v", tc.name, got, left, tc.awarded, tc.left)
		}
	}

	// With partial awards and no minimum, every order gives c 9,000, d
	// 3,000 and e the last 400; c's second part, from the pool its award
	// came from, adds to its first.
	c.Fit = scholarship.Partial
	res = runCycleOf(t, c, scholarship.Rubric{}, apps)
	for _, calls := range [][][]string{{{"a", "b"}}, {{"a"}, {"b"}}, {{"b"}, {"a"}}} {
		r := res
		for _, d := range calls {
			var err error
			if r, err = scholarship.Decline(c, r, apps, d); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]scholarship.Cents{"c": 9_000_00, "d": 3_000_00, "e": 400_00}
		got := map[string]scholarship.Cents{}
		for _, a := range r.Allocation.Awards {
			got[a.ApplicationID] = a.Amount
			if len(a.TopUps) != 0 || a.Pool != "general" || a.Step != "reallocation" {
				t.Errorf("%v: award %+v", calls, a)
			}
		}
		if d := cmp.Diff(want, got); d != "" || r.Allocation.Left != 0 {
			t.Errorf("%v: left %v, awards (-want +got):\n%s", calls, r.Allocation.Left, d)
		}
	}
}

// A partial award below the decliner is topped up before anyone ranked
// below it gets a new award, and its record says so.
func TestDeclineTopsUpPartialAward(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget, c.Pools, c.Fit = 12_000_00, nil, scholarship.Partial
	apps := fiveApplicants()[:3] // a 8,400, b 4,000, c 9,000
	apps[1].Requested = map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 8_000_00, scholarship.Books: 400_00}
	res := runCycleOf(t, c, scholarship.Rubric{}, apps)
	// a gets 8,400; b the 3,600 left, in part; c waits.
	if b := awardsByID(res.Allocation)["b"]; b.Amount != 3_600_00 || !b.Partial || len(res.Allocation.Waitlist) != 1 {
		t.Fatalf("allocation %+v", res.Allocation)
	}
	next, err := scholarship.Decline(c, res, apps, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	checkDecline(t, 0, c, apps, res, next, []string{"a"})
	aw := awardsByID(next.Allocation)
	if b := aw["b"]; b.Amount != 8_400_00 || b.Partial || b.Step != "allocation" || len(b.TopUps) != 0 {
		t.Errorf("b's award = %+v; want 8,400 in full, made at allocation", b)
	}
	if c := aw["c"]; c.Amount != 3_600_00 || !c.Partial || c.Step != "reallocation" {
		t.Errorf("c's award = %+v; want the 3,600 left, in part", c)
	}
	if rec := next.Records[1]; rec.ApplicationID != "b" || rec.Award == nil || rec.Award.Amount != 8_400_00 {
		t.Errorf("b's record = %+v", rec)
	}
}

// Money a set-aside's award frees stays with the set-aside's group first;
// freed general money goes down the ranking.
func TestDeclineFreesSetAsideToItsGroup(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget = 25_200_00
	c.Pools = []scholarship.Pool{{Name: "multilingual", Amount: 8_400_00, Criterion: scholarship.PoolMultilingual}}
	var apps []scholarship.Application
	for i, id := range []string{"g1", "g2", "m1", "g3", "m2"} {
		a := app(id)
		a.Submitted = day.Add(time.Duration(i) * time.Minute)
		if id[0] == 'm' {
			a.Applicant.Languages = []bsk.Language{bsk.Somali, bsk.English}
		}
		apps = append(apps, a)
	}
	res := runCycleOf(t, c, scholarship.Rubric{}, apps)
	pools := func(al scholarship.Allocation) string {
		var out []string
		for _, a := range al.Awards {
			out = append(out, a.ApplicationID+":"+a.Pool+":"+a.Step)
		}
		return fmt.Sprint(out)
	}
	if got, want := pools(res.Allocation), "[m1:multilingual:allocation g1:general:allocation g2:general:allocation]"; got != want {
		t.Fatalf("allocation %s; want %s", got, want)
	}
	next, err := scholarship.Decline(c, res, apps, []string{"m1"})
	if err != nil {
		t.Fatal(err)
	}
	checkDecline(t, 0, c, apps, res, next, []string{"m1"})
	// g3 ranks above m2, but the money was set aside for m2's group.
	if got, want := pools(next.Allocation), "[g1:general:allocation g2:general:allocation m2:multilingual:reallocation]"; got != want {
		t.Errorf("after m1 declines: %s; want %s", got, want)
	}
	next2, err := scholarship.Decline(c, next, apps, []string{"g1"})
	if err != nil {
		t.Fatal(err)
	}
	checkDecline(t, 0, c, apps, next, next2, []string{"g1"})
	if got, want := pools(next2.Allocation), "[g2:general:allocation m2:multilingual:reallocation g3:general:reallocation]"; got != want {
		t.Errorf("after g1 declines: %s; want %s", got, want)
	}
	if rec := next2.Records[0]; rec.Step != scholarship.StepDeclined || rec.Reasons[len(rec.Reasons)-1].Text(scholarship.SpanishText) !=
		"Usted rechazó la beca; su dinero se ofreció a los solicitantes en espera." {
		t.Errorf("g1's record = %+v", rec)
	}
}

func TestDeclineErrors(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget = 25_200_00
	c.Pools = []scholarship.Pool{{Name: "multilingual", Amount: 8_400_00, Criterion: scholarship.PoolMultilingual}}
	var apps []scholarship.Application
	for i, id := range []string{"g1", "g2", "m1", "g3", "out"} {
		a := app(id)
		a.Submitted = day.Add(time.Duration(i) * time.Minute)
		if id == "m1" {
			a.Applicant.Languages = []bsk.Language{bsk.Somali, bsk.English}
		}
		if id == "out" {
			a.Applicant.Employer = &bsk.Organization{ID: "org-9", Name: "Spokane Early Learning", Kind: bsk.OrgEarlyIntervent, Place: bsk.OutsideKingCounty, ServesYoungChildren: true}
		}
		apps = append(apps, a)
	}
	res := runCycleOf(t, c, scholarship.Rubric{}, apps)
	if res.Records[4].Outcome != scholarship.Ineligible || res.Records[3].Step != "waitlisted" {
		t.Fatalf("records %+v", res.Records)
	}
	declined, err := scholarship.Decline(c, res, apps, []string{"g2"})
	if err != nil {
		t.Fatal(err)
	}
	redacted := res
	redacted.Allocation = res.Allocation.WithoutDemographics(scholarship.Cycle{Pools: []scholarship.Pool{{Criterion: scholarship.PoolBIPOC}}})
	other, _ := esit().Cycle("2025")

	type problem struct {
		Code  bsk.Code
		Field string
	}
	for _, tc := range []struct {
		name string
		c    scholarship.Cycle
		res  scholarship.Result
		apps []scholarship.Application
		ids  []string
		want []problem
	}{
		{"none", c, res, apps, nil, []problem{{bsk.CodeInvalid, "declined"}}},
		{"unknown", c, res, apps, []string{"g1", "nobody"}, []problem{{bsk.CodeNotFound, "declined[1]"}}},
		{"waitlisted", c, res, apps, []string{"g3"}, []problem{{bsk.CodeConflict, "declined[0]"}}},
		{"ineligible", c, res, apps, []string{"out"}, []problem{{bsk.CodeConflict, "declined[0]"}}},
		{"twice in one call", c, res, apps, []string{"g1", "m1", "g1"}, []problem{{bsk.CodeConflict, "declined[2]"}}},
		{"a second time", c, declined, apps, []string{"g1", "g2"}, []problem{{bsk.CodeConflict, "declined[1]"}}},
		{"every problem", c, res, apps, []string{"g3", "out", "x"}, []problem{
			{bsk.CodeConflict, "declined[0]"}, {bsk.CodeConflict, "declined[1]"}, {bsk.CodeNotFound, "declined[2]"}}},
		{"another cycle", other, res, apps, []string{"g1"}, []problem{{bsk.CodeInvalid, "cycle"}}},
		{"an application missing", c, res, apps[:4], []string{"g1"}, []problem{{bsk.CodeNotFound, "applications"}}},
		{"pools withheld", c, redacted, apps, []string{"g1"}, []problem{
			{bsk.CodeInvalid, "allocation.awards[0].pool"}, {bsk.CodeInvalid, "allocation.awards[1].pool"}, {bsk.CodeInvalid, "allocation.awards[2].pool"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scholarship.Decline(tc.c, tc.res, tc.apps, tc.ids)
			var list bsk.Errors
			if !errors.As(err, &list) {
				t.Fatalf("Decline(%v) = %v; want bsk.Errors", tc.ids, err)
			}
			var got []problem
			for _, e := range list {
				got = append(got, problem{e.Code, e.Field})
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Decline(%v) problems (-want +got):\n%s\n%v", tc.ids, d, err)
			}
		})
	}
	if !scholarship.HasText(scholarship.CodeDeclined, scholarship.EnglishText) || !scholarship.HasText(scholarship.CodeDeclined, scholarship.SpanishText) {
		t.Error("the declined reason has no English or Spanish text")
	}
}

// BenchmarkDecline10k declines ten awards of a cycle of 10,000
// applications with two set-asides, on one core.
func BenchmarkDecline10k(b *testing.B) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	c, _ := esit().Cycle("2026")
	c.Budget = 5_000_000_00
	c.Pools = []scholarship.Pool{
		{Name: "multilingual", Amount: 1_000_000_00, Criterion: scholarship.PoolMultilingual},
		{Name: "first_generation", Amount: 500_000_00, Criterion: scholarship.PoolFirstGeneration},
	}
	apps := randomApps(rand.New(rand.NewPCG(1, 1)), 10_000)
	res := runCycleOf(b, c, scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}, apps)
	var declined []string
	for i := 0; i < len(res.Allocation.Awards) && len(declined) < 10; i += 50 {
		declined = append(declined, res.Allocation.Awards[i].ApplicationID)
	}
	if len(declined) < 10 || len(res.Allocation.Waitlist) == 0 {
		b.Fatalf("%d awards to decline, %d waitlisted", len(declined), len(res.Allocation.Waitlist))
	}
	for b.Loop() {
		if _, err := scholarship.Decline(c, res, apps, declined); err != nil {
			b.Fatal(err)
		}
	}
}
