package scholarship_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/google/go-cmp/cmp"
)

var langFund = []bsk.Language{bsk.Spanish, bsk.Somali, bsk.Vietnamese}

func fundPlan(r *rand.Rand, n int) scholarship.FundPlan {
	c := esit().Cycles[1]
	apps := randomApps(r, n)
	ranked := make([]scholarship.Candidate, n)
	for i, a := range apps {
		a.Answers.ServesRural = r.IntN(5) == 0
		out := scholarship.Eligible
		if r.IntN(6) == 0 {
			out = scholarship.Ineligible
		}
		ranked[i] = scholarship.Candidate{Application: a, Verdict: scholarship.Verdict{Outcome: out}}
	}
	return scholarship.FundPlan{Cycle: c, Ranked: ranked, Funds: []scholarship.Fund{
		{Name: "general", Tier: 2, Budget: scholarship.Cents(r.IntN(60_000_00))},
		{Name: "language-access", Tier: 1, Budget: scholarship.Cents(r.IntN(30_000_00)), Languages: langFund},
		{Name: "rural", Tier: 1, Budget: scholarship.Cents(r.IntN(10_000_00)), Criterion: scholarship.PoolRural},
	}}
}

// admits is the funds' rules, written here from the applications.
func admits(f scholarship.Fund, a scholarship.Application) bool {
	switch f.Name {
	case "language-access":
		return slices.ContainsFunc(a.Applicant.Languages, func(l bsk.Language) bool { return slices.Contains(langFund, l) })
	case "rural":
		return a.Answers.ServesRural || a.Applicant.Place.Rural()
	}
	return true
}

// checkFunds checks an allocation against the plan and what the test
// knows: each fund within its budget, money conserved, awards to
// applications the fund admits at their grant less what they returned,
// nobody closed holding money, and a waitlist nobody on which fits a fund
// with money left.
func checkFunds(t *testing.T, p scholarship.FundPlan, fa scholarship.FundAllocation, returned map[string]scholarship.Cents, closed map[string]bool) {
	t.Helper()
	apps := map[string]scholarship.Candidate{}
	for _, c := range p.Ranked {
		apps[c.Application.ID] = c
	}
	spent := map[string]scholarship.Cents{}
	holders := map[string]bool{}
	for _, aw := range fa.Awards {
		if holders[aw.ApplicationID] {
			t.Fatalf("%s holds two awards", aw.ApplicationID)
		}
		holders[aw.ApplicationID] = true
		c := apps[aw.ApplicationID]
		f := p.Funds[slices.IndexFunc(p.Funds, func(f scholarship.Fund) bool { return f.Name == aw.Fund })]
		if !admits(f, c.Application) {
			t.Errorf("%s paid from %s, which does not admit it", aw.ApplicationID, aw.Fund)
		}
		if c.Verdict.Outcome != scholarship.Eligible {
			t.Errorf("%s awarded while %s", aw.ApplicationID, c.Verdict.Outcome)
		}
		grant, _ := scholarship.Grant(p.Cycle, c.Application)
		if aw.Amount != grant-returned[aw.ApplicationID] {
			t.Errorf("%s awarded %s; grant %s less %s returned", aw.ApplicationID, aw.Amount, grant, returned[aw.ApplicationID])
		}
		if closed[aw.ApplicationID] {
			t.Errorf("%s holds an award after it closed", aw.ApplicationID)
		}
		spent[aw.Fund] += aw.Amount
	}
	var budgets, sum scholarship.Cents
	for _, b := range fa.Funds {
		f := p.Funds[slices.IndexFunc(p.Funds, func(f scholarship.Fund) bool { return f.Name == b.Name })]
		if b.Budget != f.Budget || spent[b.Name] > f.Budget || b.Awarded != spent[b.Name] || b.Left != f.Budget-spent[b.Name] {
			t.Errorf("fund %s = %+v; budget %s, awards total %s", b.Name, b, f.Budget, spent[b.Name])
		}
		budgets += f.Budget
		sum += b.Awarded + b.Left
	}
	if sum != budgets {
		t.Errorf("awarded and left total %s; the budgets %s", sum, budgets)
	}
	for _, w := range fa.Waitlist {
		c := apps[w.ApplicationID]
		grant, _ := scholarship.Grant(p.Cycle, c.Application)
		for _, b := range fa.Funds {
			f := p.Funds[slices.IndexFunc(p.Funds, func(f scholarship.Fund) bool { return f.Name == b.Name })]
			if admits(f, c.Application) && b.Left >= grant {
				t.Errorf("%s waits for %s while fund %s, which admits it, has %s left", w.ApplicationID, grant, b.Name, b.Left)
			}
		}
		if closed[w.ApplicationID] || holders[w.ApplicationID] {
			t.Errorf("%s is on the waitlist after it closed or while it holds an award", w.ApplicationID)
		}
	}
}

// TestFundsPromotionProperty declines and returns awards at random and
// checks every allocation after each: no fund over its budget, money
// conserved, promotions in the funds' rules.
func TestFundsPromotionProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 5))
	promoted := 0
	for trial := range 60 {
		p := fundPlan(r, 5+r.IntN(40))
		fa, err := p.Allocate()
		if err != nil {
			t.Fatal(err)
		}
		returned, closed := map[string]scholarship.Cents{}, map[string]bool{}
		checkFunds(t, p, fa, returned, closed)
		for op := 0; op < 8 && len(fa.Awards) > 0; op++ {
			aw := fa.Awards[r.IntN(len(fa.Awards))]
			steps := len(fa.Steps)
			if r.IntN(2) == 0 {
				fa, err = p.Decline(fa, aw.ApplicationID)
				closed[aw.ApplicationID] = true
			} else {
				amt := 1 + scholarship.Cents(r.Int64N(int64(aw.Amount)))
				fa, err = p.Return(fa, aw.ApplicationID, amt)
				returned[aw.ApplicationID] += amt
				if amt == aw.Amount {
					closed[aw.ApplicationID] = true
				}
			}
			if err != nil {
				t.Fatalf("trial %d op %d: %v", trial, op, err)
			}
			checkFunds(t, p, fa, returned, closed)
			for _, st := range fa.Steps[steps+1:] {
				if st.Kind != scholarship.FundPromoted || st.Cause != aw.ApplicationID {
					t.Errorf("trial %d: step after a decline or return = %+v; want a promotion caused by %s", trial, st, aw.ApplicationID)
				}
				promoted++
			}
		}
	}
	if promoted == 0 {
		t.Error("no promotion in any trial; the generator should make some")
	}
}

// A Spanish-speaking applicant draws on the language-access fund (tier 1)
// before the general fund; when an award from the general fund is
// declined, the next on the waitlist is promoted into it, and every step
// is in the records.
func TestFundsTierOrderAndRecords(t *testing.T) {
	c := esit().Cycles[1]
	mk := func(id string, l bsk.Language) scholarship.Candidate {
		a := app(id)
		a.Applicant.Languages = []bsk.Language{l}
		a.Requested = map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 5_000_00}
		return scholarship.Candidate{Application: a, Verdict: scholarship.Verdict{Outcome: scholarship.Eligible}}
	}
	p := scholarship.FundPlan{Cycle: c,
		Funds: []scholarship.Fund{
			{Name: "general", Tier: 2, Budget: 5_000_00},
			{Name: "language-access", Tier: 1, Budget: 5_000_00, Languages: []bsk.Language{bsk.Spanish}},
		},
		Ranked: []scholarship.Candidate{mk("es-1", bsk.Spanish), mk("en-1", bsk.English), mk("es-2", bsk.Spanish), mk("en-2", bsk.English)},
	}
	fa, err := p.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	fa, err = p.Decline(fa, "en-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []scholarship.FundStep{
		{Seq: 1, Kind: scholarship.FundAwarded, ApplicationID: "es-1", Fund: "language-access", Amount: 5_000_00, Rank: 1},
		{Seq: 2, Kind: scholarship.FundAwarded, ApplicationID: "en-1", Fund: "general", Amount: 5_000_00, Rank: 2},
		{Seq: 3, Kind: scholarship.FundWaitlisted, ApplicationID: "es-2", Rank: 3},
		{Seq: 4, Kind: scholarship.FundWaitlisted, ApplicationID: "en-2", Rank: 4},
		{Seq: 5, Kind: scholarship.FundDeclined, ApplicationID: "en-1", Fund: "general", Amount: 5_000_00, Rank: 2},
		{Seq: 6, Kind: scholarship.FundPromoted, ApplicationID: "es-2", Fund: "general", Amount: 5_000_00, Rank: 3, Cause: "en-1"},
	}
	if diff := cmp.Diff(want, fa.Steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	ds := fa.Decisions(p.Ranked)
	var got []string
	for _, d := range ds {
		got = append(got, d.ApplicationID+" "+string(d.Step))
	}
	if diff := cmp.Diff([]string{"es-1 awarded", "en-1 declined", "es-2 promoted", "en-2 waitlisted"}, got); diff != "" {
		t.Errorf("decisions (-want +got):\n%s", diff)
	}
	if ds[1].Award != nil || len(ds[1].History) != 2 {
		t.Errorf("en-1's record = %+v; want no award and two steps", ds[1])
	}
	for _, st := range fa.Steps {
		for _, l := range []scholarship.Lang{scholarship.EnglishText, scholarship.SpanishText} {
			if !scholarship.HasText("fund_"+string(st.Kind), l) {
				t.Errorf("step %s has no %s text", st.Kind, l)
			}
		}
	}
	if _, err := p.Decline(fa, "en-1"); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("a second Decline = %v; want not found", err)
	}
}

func TestFundPlanInvalid(t *testing.T) {
	p := scholarship.FundPlan{Cycle: esit().Cycles[1], Funds: []scholarship.Fund{
		{Name: "general", Budget: 90_000_00}, {Name: "general", Tier: -1, Budget: 20_000_00, Criterion: "tall", Languages: []bsk.Language{"xx"}},
	}}
	_, err := p.Allocate()
	var es bsk.Errors
	if !errors.As(err, &es) {
		t.Fatalf("Allocate = %v; want bsk.Errors", err)
	}
	var fields []string
	for _, e := range es {
		fields = append(fields, e.Field)
	}
	want := []string{"funds[1].name", "funds[1].tier", "funds[1].criterion", "funds[1].languages[0]", "funds"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("problem fields (-want +got):\n%s", diff)
	}
}
