package grouping_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

var caseLangs = []string{"en", "es", "vi", "zh", "so"}

// randomCaseload draws a caseload: hours from hourChoices, paired cases
// with probability pairP.
func randomCaseload(r *rand.Rand, cases, clinicians int, hourChoices []int, pairP float64) grouping.Caseload {
	var p grouping.Caseload
	for j := range clinicians {
		c := grouping.Clinician{ID: grouping.ClinicianID(fmt.Sprintf("c%02d", j)), Hours: 2 + r.IntN(9)}
		c.Languages = []string{caseLangs[r.IntN(2)]}
		if r.IntN(3) == 0 {
			c.Languages = append(c.Languages, caseLangs[2+r.IntN(3)])
		}
		p.Clinicians = append(p.Clinicians, c)
	}
	for i := range cases {
		c := grouping.Case{ID: grouping.CaseID(fmt.Sprintf("f%02d", i)), Hours: hourChoices[r.IntN(len(hourChoices))],
			Intensive: r.IntN(2) == 0, Paired: r.Float64() < pairP}
		c.Languages = []string{caseLangs[r.IntN(len(caseLangs))]}
		if r.IntN(3) == 0 {
			c.Languages = append(c.Languages, "en")
		}
		if r.IntN(2) == 0 {
			c.Current = []grouping.ClinicianID{p.Clinicians[r.IntN(clinicians)].ID}
		}
		p.Cases = append(p.Cases, c)
	}
	p.Spread = r.IntN(20) - 2
	p.Continuity = r.IntN(30)
	return p
}

// speaksFor reports whether the clinician speaks one of the case's languages.
func speaksFor(cl grouping.Clinician, cs grouping.Case) bool {
	for _, l := range cs.Languages {
		if slices.Contains(cl.Languages, l) {
			return true
		}
	}
	return false
}

// caseCost computes a plan's open places and cost from the problem's
// definition, for the brute force and as a check on the plan's figures.
func caseCost(p grouping.Caseload, assigned [][]grouping.ClinicianID) (open int, cost int64) {
	spread := int64(p.Spread)
	if p.Spread == 0 {
		spread = 10
	} else if p.Spread < 0 {
		spread = 0
	}
	for i, cs := range p.Cases {
		need := 1
		if cs.Paired {
			need = 2
		}
		if len(assigned[i]) == 0 {
			open += need
		}
		for _, id := range assigned[i] {
			if slices.Contains(cs.Current, id) {
				cost -= int64(p.Continuity)
			}
		}
	}
	for _, cl := range p.Clinicians {
		k := int64(0)
		for i, cs := range p.Cases {
			if cs.Intensive && slices.Contains(assigned[i], cl.ID) {
				cost += spread * k
				k++
			}
		}
	}
	return open, cost
}

// checkPlan asserts every rule of the caseload on the plan and that its
// figures agree with the definition.
func checkPlan(t testing.TB, p grouping.Caseload, plan *grouping.CaseloadPlan) {
	t.Helper()
	if len(plan.Assigned) != len(p.Cases) || len(plan.Load) != len(p.Clinicians) {
		t.Fatalf("plan has %d cases and %d loads; want %d and %d", len(plan.Assigned), len(plan.Load), len(p.Cases), len(p.Clinicians))
	}
	byID := map[grouping.ClinicianID]grouping.Clinician{}
	for _, c := range p.Clinicians {
		byID[c.ID] = c
	}
	hours := map[grouping.ClinicianID]int{}
	var unassigned []grouping.CaseID
	for i, cs := range p.Cases {
		ids := plan.Assigned[i]
		need := 1
		if cs.Paired {
			need = 2
		}
		if len(ids) == 0 {
			unassigned = append(unassigned, cs.ID)
			continue
		}
		if len(ids) != need {
			t.Errorf("case %s has %d clinicians %v; want %d", cs.ID, len(ids), ids, need)
		}
		if need == 2 && len(ids) == 2 && ids[0] == ids[1] {
			t.Errorf("paired case %s has one clinician twice: %v", cs.ID, ids)
		}
		for _, id := range ids {
			cl, ok := byID[id]
			if !ok {
				t.Fatalf("case %s on unknown clinician %q", cs.ID, id)
			}
			if !speaksFor(cl, cs) {
				t.Errorf("case %s (%v) on clinician %s (%v): no shared language", cs.ID, cs.Languages, id, cl.Languages)
			}
			hours[id] += cs.Hours
		}
	}
	for j, cl := range p.Clinicians {
		if hours[cl.ID] > cl.Hours {
			t.Errorf("clinician %s has %d hours of cases; capacity %d", cl.ID, hours[cl.ID], cl.Hours)
		}
		if plan.Load[j].Clinician != cl.ID || plan.Load[j].Hours != hours[cl.ID] {
			t.Errorf("Load[%d] = %+v; want clinician %s with %d hours", j, plan.Load[j], cl.ID, hours[cl.ID])
		}
	}
	var got []grouping.CaseID
	for _, u := range plan.Unassigned {
		got = append(got, u.Case)
		if u.Reason.Code == "" || len(u.Reason.Params) == 0 {
			t.Errorf("case %s unassigned with reason %+v; want a code with parameters", u.Case, u.Reason)
		}
	}
	if d := cmp.Diff(unassigned, got); d != "" {
		t.Errorf("unassigned cases (-want +got):\n%s", d)
	}
	open, cost := caseCost(p, plan.Assigned)
	if plan.Open != open || plan.Cost != cost {
		t.Errorf("plan Open, Cost = %d, %d; recomputed %d, %d", plan.Open, plan.Cost, open, cost)
	}
	if plan.Cost != grouping.CaseloadCost(p, plan.Assigned) {
		t.Errorf("CaseloadCost = %d; plan says %d", grouping.CaseloadCost(p, plan.Assigned), plan.Cost)
	}
	if less(plan.Open, plan.Cost, plan.BoundOpen, plan.BoundCost) {
		t.Errorf("plan (%d open, cost %d) beats its own bound (%d, %d)", plan.Open, plan.Cost, plan.BoundOpen, plan.BoundCost)
	}
	if plan.Optimal != (plan.Open == plan.BoundOpen && plan.Cost == plan.BoundCost) {
		t.Errorf("Optimal = %v with plan (%d, %d) and bound (%d, %d)", plan.Optimal, plan.Open, plan.Cost, plan.BoundOpen, plan.BoundCost)
	}
}

// less orders (open, cost) pairs: fewer open places first, then less cost.
func less(o1 int, c1 int64, o2 int, c2 int64) bool {
	return o1 < o2 || (o1 == o2 && c1 < c2)
}

// bruteCaseload tries every assignment: each case open, or on one
// clinician (two distinct for a paired case), under languages and hours.
func bruteCaseload(p grouping.Caseload) (int, int64) {
	n := len(p.Cases)
	assigned := make([][]grouping.ClinicianID, n)
	hours := map[grouping.ClinicianID]int{}
	bestOpen, bestCost := -1, int64(0)
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			o, c := caseCost(p, assigned)
			if bestOpen < 0 || less(o, c, bestOpen, bestCost) {
				bestOpen, bestCost = o, c
			}
			return
		}
		cs := p.Cases[i]
		assigned[i] = nil
		rec(i + 1)
		ok := func(cl grouping.Clinician) bool { return speaksFor(cl, cs) && hours[cl.ID]+cs.Hours <= cl.Hours }
		for a, ca := range p.Clinicians {
			if !ok(ca) {
				continue
			}
			hours[ca.ID] += cs.Hours
			if !cs.Paired {
				assigned[i] = []grouping.ClinicianID{ca.ID}
				rec(i + 1)
			} else {
				for _, cb := range p.Clinicians[a+1:] {
					if ok(cb) {
						hours[cb.ID] += cs.Hours
						assigned[i] = []grouping.ClinicianID{ca.ID, cb.ID}
						rec(i + 1)
						hours[cb.ID] -= cs.Hours
					}
				}
			}
			hours[ca.ID] -= cs.Hours
		}
		assigned[i] = nil
	}
	rec(0)
	return bestOpen, bestCost
}

// TestAssignCasesExact: with single-provider cases of equal hours the flow
// is exact, so the plan matches the brute force and says it is optimal.
func TestAssignCasesExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := range 150 {
		h := 1 + r.IntN(4)
		p := randomCaseload(r, 2+r.IntN(5), 1+r.IntN(4), []int{h}, 0)
		plan, err := grouping.AssignCases(context.Background(), p)
		if err != nil {
			t.Fatalf("case %d: AssignCases: %v", k, err)
		}
		checkPlan(t, p, plan)
		open, cost := bruteCaseload(p)
		if plan.Open != open || plan.Cost != cost || !plan.Optimal {
			t.Fatalf("case %d: plan (%d open, cost %d, optimal %v); brute force (%d, %d)\n%+v", k, plan.Open, plan.Cost, plan.Optimal, open, cost, p)
		}
	}
}

// TestAssignCasesBound: with paired cases and unequal hours the plan keeps
// every rule, and the optimum lies between the bound and the plan.
func TestAssignCasesBound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	optimal := 0
	const trials = 200
	for k := range trials {
		p := randomCaseload(r, 2+r.IntN(4), 2+r.IntN(3), []int{1, 2, 3, 5}, 0.35)
		plan, err := grouping.AssignCases(context.Background(), p)
		if err != nil {
			t.Fatalf("case %d: AssignCases: %v", k, err)
		}
		checkPlan(t, p, plan)
		open, cost := bruteCaseload(p)
		if less(open, cost, plan.BoundOpen, plan.BoundCost) {
			t.Fatalf("case %d: optimum (%d, %d) beats the bound (%d, %d)\n%+v", k, open, cost, plan.BoundOpen, plan.BoundCost, p)
		}
		if less(plan.Open, plan.Cost, open, cost) {
			t.Fatalf("case %d: plan (%d, %d) beats the brute-force optimum (%d, %d)", k, plan.Open, plan.Cost, open, cost)
		}
		if plan.Optimal && (plan.Open != open || plan.Cost != cost) {
			t.Fatalf("case %d: plan says optimal at (%d, %d); optimum (%d, %d)", k, plan.Open, plan.Cost, open, cost)
		}
		if plan.Open == open && plan.Cost == cost {
			optimal++
		}
	}
	t.Logf("%d of %d plans optimal", optimal, trials)
}

// programCaseload is a program's caseload: families in five languages, a
// quarter intensive, one in ten paired, half with a current clinician;
// clinicians with 20 to 40 weekly hours for cases.
func programCaseload(r *rand.Rand, cases, clinicians int) grouping.Caseload {
	p := grouping.Caseload{Continuity: 5}
	for j := range clinicians {
		c := grouping.Clinician{ID: grouping.ClinicianID(fmt.Sprintf("clin-%03d", j)), Languages: []string{"en"}, Hours: 20 + r.IntN(21)}
		if j%3 == 0 {
			c.Languages = append(c.Languages, caseLangs[1+r.IntN(4)])
		}
		p.Clinicians = append(p.Clinicians, c)
	}
	for i := range cases {
		c := grouping.Case{ID: grouping.CaseID(fmt.Sprintf("fam-%04d", i)), Hours: 1 + r.IntN(3),
			Intensive: r.IntN(4) == 0, Paired: r.IntN(10) == 0, Languages: []string{"en"}}
		if r.IntN(4) == 0 {
			c.Languages = []string{caseLangs[1+r.IntN(4)]}
			if r.IntN(2) == 0 {
				c.Languages = append(c.Languages, "en")
			}
		}
		if r.IntN(2) == 0 {
			c.Current = []grouping.ClinicianID{p.Clinicians[r.IntN(clinicians)].ID}
		}
		p.Cases = append(p.Cases, c)
	}
	return p
}

// greedyCaseload places cases in order, each on the clinicians who speak
// its language with hours left and the fewest intensive cases so far (most
// hours left on ties): what a coordinator might do by hand.
func greedyCaseload(p grouping.Caseload) [][]grouping.ClinicianID {
	hours := make([]int, len(p.Clinicians))
	intense := make([]int, len(p.Clinicians))
	out := make([][]grouping.ClinicianID, len(p.Cases))
	for i, cs := range p.Cases {
		need := 1
		if cs.Paired {
			need = 2
		}
		var picks []int
		for range need {
			best := -1
			for j, cl := range p.Clinicians {
				if !speaksFor(cl, cs) || hours[j]+cs.Hours > cl.Hours || slices.Contains(picks, j) {
					continue
				}
				if best < 0 || intense[j] < intense[best] || (intense[j] == intense[best] && cl.Hours-hours[j] > p.Clinicians[best].Hours-hours[best]) {
					best = j
				}
			}
			if best < 0 {
				break
			}
			picks = append(picks, best)
			hours[best] += cs.Hours
		}
		if len(picks) < need {
			for _, j := range picks {
				hours[j] -= cs.Hours
			}
			continue
		}
		for _, j := range picks {
			out[i] = append(out[i], p.Clinicians[j].ID)
			if cs.Intensive {
				intense[j]++
			}
		}
	}
	return out
}

// spreadCost is the sum over clinicians of 0+1+...+(k-1) for k intensive
// cases: 0 when no clinician has two.
func spreadCost(p grouping.Caseload, assigned [][]grouping.ClinicianID) (cost int, placed int) {
	k := map[grouping.ClinicianID]int{}
	for i, ids := range assigned {
		for _, id := range ids {
			if p.Cases[i].Intensive {
				k[id]++
				placed++
			}
		}
	}
	for _, n := range k {
		cost += n * (n - 1) / 2
	}
	return cost, placed
}

// TestAssignCasesProgram: at a program's scale (a few hundred families,
// dozens of clinicians) every rule holds, and intensive cases are spread
// at least as evenly as the greedy coordinator spreads them, or more of
// them are staffed; and no more places are left open than greedy leaves.
func TestAssignCasesProgram(t *testing.T) {
	for _, tc := range []struct {
		name              string
		cases, clinicians int
	}{{"ample hours", 300, 40}, {"tight hours", 400, 24}, {"large", 700, 60}} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.cases), uint64(tc.clinicians)))
			p := programCaseload(r, tc.cases, tc.clinicians)
			plan, err := grouping.AssignCases(context.Background(), p)
			if err != nil {
				t.Fatalf("AssignCases: %v", err)
			}
			checkPlan(t, p, plan)
			greedy := greedyCaseload(p)
			gOpen, _ := caseCost(p, greedy)
			if plan.Open > gOpen {
				t.Errorf("plan leaves %d places open; greedy %d", plan.Open, gOpen)
			}
			q := p
			q.Continuity = 0
			flat, err := grouping.AssignCases(context.Background(), q)
			if err != nil {
				t.Fatalf("AssignCases without continuity: %v", err)
			}
			checkPlan(t, q, flat)
			ps, pPlaced := spreadCost(q, flat.Assigned)
			gs, gPlaced := spreadCost(q, greedy)
			// More intensive places staffed is better whatever the spread
			// (open places come first); as many must be spread no worse.
			if pPlaced < gPlaced || (pPlaced == gPlaced && ps > gs) {
				t.Errorf("plan spreads %d intensive places at cost %d; greedy %d at cost %d", pPlaced, ps, gPlaced, gs)
			}
			t.Logf("open %d (bound %d, greedy %d); cost %d (bound %d); kept %d; spread cost %d, greedy %d", plan.Open, plan.BoundOpen, gOpen, plan.Cost, plan.BoundCost, plan.Kept, ps, gs)
		})
	}
}

// TestAssignCasesReasons: each way a case goes unassigned has its code
// and parameters.
func TestAssignCasesReasons(t *testing.T) {
	p := grouping.Caseload{
		Clinicians: []grouping.Clinician{
			{ID: "ana", Languages: []string{"en", "es"}, Hours: 10},
			{ID: "bo", Languages: []string{"en", "vi"}, Hours: 6},
		},
		Cases: []grouping.Case{
			{ID: "somali", Languages: []string{"so", "ar"}, Hours: 2},
			{ID: "long", Languages: []string{"vi"}, Hours: 8},
			{ID: "pair-es", Languages: []string{"es"}, Hours: 2, Paired: true},
			{ID: "big-en", Languages: []string{"en"}, Hours: 10, Current: []grouping.ClinicianID{"ana"}},
			{ID: "small-en", Languages: []string{"en"}, Hours: 6, Current: []grouping.ClinicianID{"bo"}},
			{ID: "more-en", Languages: []string{"en"}, Hours: 6},
		},
		Continuity: 1,
	}
	plan, err := grouping.AssignCases(context.Background(), p)
	if err != nil {
		t.Fatalf("AssignCases: %v", err)
	}
	checkPlan(t, p, plan)
	want := []grouping.UnassignedCase{
		{Case: "somali", Reason: grouping.Reason{Code: grouping.ReasonNoLanguage, Params: map[string]string{"languages": "so,ar"}}},
		{Case: "long", Reason: grouping.Reason{Code: grouping.ReasonCaseTooLong, Params: map[string]string{"hours": "8", "most": "6"}}},
		{Case: "pair-es", Reason: grouping.Reason{Code: grouping.ReasonNoSecondClinician, Params: map[string]string{"clinician": "ana"}}},
		{Case: "more-en", Reason: grouping.Reason{Code: grouping.ReasonNoHoursLeft, Params: map[string]string{"hours": "6", "needed": "1", "eligible": "2"}}},
	}
	if d := cmp.Diff(want, plan.Unassigned); d != "" {
		t.Errorf("Unassigned (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]grouping.ClinicianID{{}, {}, {}, {"ana"}, {"bo"}, {}}, plan.Assigned); d != "" {
		t.Errorf("Assigned (-want +got):\n%s", d)
	}
}

// TestAssignCasesContinuityAndPairs: cases stay with their clinicians when
// hours allow, intensive cases spread one to a clinician, and a paired
// case gets two distinct clinicians, one of them its current one.
func TestAssignCasesContinuityAndPairs(t *testing.T) {
	p := grouping.Caseload{
		Continuity: 100,
		Clinicians: []grouping.Clinician{
			{ID: "a", Languages: []string{"en"}, Hours: 8},
			{ID: "b", Languages: []string{"en"}, Hours: 8},
			{ID: "c", Languages: []string{"en"}, Hours: 8},
		},
		Cases: []grouping.Case{
			{ID: "x", Languages: []string{"en"}, Hours: 3, Intensive: true},
			{ID: "y", Languages: []string{"en"}, Hours: 3, Intensive: true},
			{ID: "z", Languages: []string{"en"}, Hours: 3, Intensive: true},
			{ID: "kept", Languages: []string{"en"}, Hours: 2, Current: []grouping.ClinicianID{"b"}},
			{ID: "pair", Languages: []string{"en"}, Hours: 2, Paired: true, Current: []grouping.ClinicianID{"c"}},
		},
	}
	plan, err := grouping.AssignCases(context.Background(), p)
	if err != nil {
		t.Fatalf("AssignCases: %v", err)
	}
	checkPlan(t, p, plan)
	for j, l := range plan.Load {
		if l.Intensive != 1 {
			t.Errorf("clinician %s has %d intensive cases; want 1 each", p.Clinicians[j].ID, l.Intensive)
		}
	}
	if d := cmp.Diff([]grouping.ClinicianID{"b"}, plan.Assigned[3]); d != "" {
		t.Errorf("kept case (-want +got):\n%s", d)
	}
	if pr := plan.Assigned[4]; len(pr) != 2 || !slices.Contains(pr, "c") {
		t.Errorf("paired case on %v; want two clinicians, c among them", pr)
	}
	if plan.Open != 0 || plan.Kept != 2 || plan.Cost != -200 || !plan.Optimal {
		t.Errorf("plan open %d, kept %d, cost %d, optimal %v; want 0, 2, -200, true", plan.Open, plan.Kept, plan.Cost, plan.Optimal)
	}
}

// TestCaseloadValidate: each fault is reported with its field and code.
func TestCaseloadValidate(t *testing.T) {
	good := func() grouping.Caseload {
		return grouping.Caseload{
			Clinicians: []grouping.Clinician{{ID: "a", Languages: []string{"en"}, Hours: 20}},
			Cases:      []grouping.Case{{ID: "f", Languages: []string{"en"}, Hours: 2, Current: []grouping.ClinicianID{"a"}}},
		}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("Validate(good) = %v; want nil", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(p *grouping.Caseload)
		code  bsk.Code
		field string
	}{
		{"no clinicians", func(p *grouping.Caseload) { p.Clinicians = nil; p.Cases[0].Current = nil }, bsk.CodeInvalid, "clinicians"},
		{"clinician id", func(p *grouping.Caseload) { p.Clinicians[0].ID = ""; p.Cases[0].Current = nil }, bsk.CodeInvalid, "clinicians[0].id"},
		{"duplicate clinician", func(p *grouping.Caseload) { p.Clinicians = append(p.Clinicians, p.Clinicians[0]) }, bsk.CodeConflict, "clinicians[1].id"},
		{"clinician hours", func(p *grouping.Caseload) { p.Clinicians[0].Hours = -1 }, bsk.CodeInvalid, "clinicians[0].hours"},
		{"clinician hours too many", func(p *grouping.Caseload) { p.Clinicians[0].Hours = 169 }, bsk.CodeInvalid, "clinicians[0].hours"},
		{"clinician languages", func(p *grouping.Caseload) { p.Clinicians[0].Languages = nil }, bsk.CodeInvalid, "clinicians[0].languages"},
		{"blank language", func(p *grouping.Caseload) { p.Cases[0].Languages = []string{"en", " "} }, bsk.CodeInvalid, "cases[0].languages[1]"},
		{"case id", func(p *grouping.Caseload) { p.Cases[0].ID = "" }, bsk.CodeInvalid, "cases[0].id"},
		{"duplicate case", func(p *grouping.Caseload) { p.Cases = append(p.Cases, p.Cases[0]) }, bsk.CodeConflict, "cases[1].id"},
		{"case hours", func(p *grouping.Caseload) { p.Cases[0].Hours = 0 }, bsk.CodeInvalid, "cases[0].hours"},
		{"unknown current", func(p *grouping.Caseload) { p.Cases[0].Current = []grouping.ClinicianID{"zz"} }, bsk.CodeNotFound, "cases[0].current[0]"},
		{"too many current", func(p *grouping.Caseload) {
			p.Clinicians = append(p.Clinicians, grouping.Clinician{ID: "b", Languages: []string{"en"}, Hours: 1})
			p.Cases[0].Current = []grouping.ClinicianID{"a", "b"}
		}, bsk.CodeInvalid, "cases[0].current"},
		{"current twice", func(p *grouping.Caseload) {
			p.Cases[0].Paired = true
			p.Cases[0].Current = []grouping.ClinicianID{"a", "a"}
		}, bsk.CodeInvalid, "cases[0].current[1]"},
		{"continuity", func(p *grouping.Caseload) { p.Continuity = -1 }, bsk.CodeInvalid, "continuity"},
		{"spread", func(p *grouping.Caseload) { p.Spread = grouping.MaxCaseWeight + 1 }, bsk.CodeInvalid, "spread"},
		{"too large", func(p *grouping.Caseload) {
			// 2,000 cases and 2,001 clinicians are just over the limit.
			p.Cases = make([]grouping.Case, 2000)
			for i := range p.Cases {
				p.Cases[i] = grouping.Case{ID: grouping.CaseID(fmt.Sprint(i)), Languages: []string{"en"}, Hours: 1}
			}
			for j := range 2000 {
				p.Clinicians = append(p.Clinicians, grouping.Clinician{ID: grouping.ClinicianID(fmt.Sprint(j)), Languages: []string{"en"}, Hours: 1})
			}
		}, bsk.CodeInvalid, "cases"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := good()
			tc.edit(&p)
			err := p.Validate()
			var list bsk.Errors
			if !errors.As(err, &list) {
				t.Fatalf("Validate() = %v; want bsk.Errors", err)
			}
			found := slices.ContainsFunc(list, func(e *bsk.Error) bool { return e.Field == tc.field && e.Code == tc.code })
			if !found {
				t.Errorf("Validate() = %v; want %s at %s", err, tc.code, tc.field)
			}
			if _, err := grouping.AssignCases(context.Background(), p); bsk.ErrorCode(err) != tc.code {
				t.Errorf("AssignCases code = %q (%v); want %q", bsk.ErrorCode(err), err, tc.code)
			}
		})
	}
}

// TestAssignCasesDeterministic: the same caseload gives the same plan,
// byte for byte.
func TestAssignCasesDeterministic(t *testing.T) {
	p := programCaseload(rand.New(rand.NewPCG(7, 7)), 250, 20)
	var first []byte
	for k := range 3 {
		plan, err := grouping.AssignCases(context.Background(), p)
		if err != nil {
			t.Fatalf("AssignCases: %v", err)
		}
		b, err := json.Marshal(plan)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("run %d differs from run 0", k)
		}
	}
}

// TestAssignCasesCanceled: a canceled context is the context's error.
func TestAssignCasesCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := programCaseload(rand.New(rand.NewPCG(1, 1)), 50, 5)
	if _, err := grouping.AssignCases(ctx, p); !errors.Is(err, context.Canceled) {
		t.Errorf("AssignCases(canceled) = %v; want context.Canceled", err)
	}
}

// FuzzCaseload: any caseload document is refused with an error that is
// not internal, or assigned with every rule kept and the optimum no better
// than the bound says.
func FuzzCaseload(f *testing.F) {
	f.Add([]byte(`{"clinicians":[{"id":"a","languages":["en"],"hours":5},{"id":"b","languages":["en","es"],"hours":3}],"cases":[{"id":"f","languages":["es"],"hours":2,"paired":true,"intensive":true},{"id":"g","languages":["en"],"hours":3,"current":["a"]}],"continuity":4}`))
	f.Add([]byte(`{"clinicians":[{"id":"a","languages":["vi"],"hours":0}],"cases":[{"id":"f","languages":["so"],"hours":1}],"spread":-1}`))
	f.Add([]byte(`{"clinicians":[{"id":"a","languages":["en"],"hours":4}],"cases":[{"id":"f","languages":["en"],"hours":2,"intensive":true},{"id":"g","languages":["en"],"hours":2,"intensive":true}],"spread":3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p grouping.Caseload
		if json.Unmarshal(data, &p) != nil || len(p.Cases) > 40 || len(p.Clinicians) > 20 {
			return
		}
		plan, err := grouping.AssignCases(context.Background(), p)
		if err != nil {
			if bsk.ErrorCode(err) == bsk.CodeInternal {
				t.Fatalf("AssignCases: internal error %v", err)
			}
			return
		}
		checkPlan(t, p, plan)
		if len(p.Cases) <= 4 && len(p.Clinicians) <= 4 {
			open, cost := bruteCaseload(p)
			if less(open, cost, plan.BoundOpen, plan.BoundCost) || less(plan.Open, plan.Cost, open, cost) {
				t.Fatalf("optimum (%d, %d) outside [bound (%d, %d), plan (%d, %d)]", open, cost, plan.BoundOpen, plan.BoundCost, plan.Open, plan.Cost)
			}
		}
	})
}

// BenchmarkAssignCases: an agency's caseload (700 families, 60
// clinicians) and a county-wide one (2,000 families, 120 clinicians),
// with hours that bind.
func BenchmarkAssignCases(b *testing.B) {
	for _, size := range []struct {
		name              string
		cases, clinicians int
	}{{"agency", 700, 60}, {"county", 2000, 120}} {
		b.Run(size.name, func(b *testing.B) {
			p := programCaseload(rand.New(rand.NewPCG(11, 12)), size.cases, size.clinicians)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := grouping.AssignCases(context.Background(), p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
