package scholarship_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

type cents = scholarship.Cents

func TestQuoteFor(t *testing.T) {
	base, _ := esit().Cycle("2026")
	base.Pools, base.LifetimeCap = nil, 0
	// BA Degree Pathways' shape: tuition and fees together up to $9,000,
	// books up to $500, release time at $15 an hour for at most 3 hours a
	// week paid to the employer.
	ba := base
	ba.Caps = map[scholarship.Category]cents{scholarship.Tuition: 9_000_00, scholarship.Fees: 9_000_00, scholarship.Books: 500_00}
	ba.CombinedCaps = []scholarship.CombinedCap{{Categories: []scholarship.Category{scholarship.Tuition, scholarship.Fees}, Cap: 9_000_00}}
	ba.Hourly = []scholarship.HourlyItem{{Category: scholarship.ReleaseTime, Rate: 15_00, MaxHoursPerWeek: 3, MaxWeeks: 52, Payee: scholarship.PayEmployer}}
	ba.CutOrder = []scholarship.Category{scholarship.Books, scholarship.Fees, scholarship.Tuition, scholarship.ReleaseTime}
	ba.PerApplicantCap = 10_000_00
	teach := base
	teach.Caps = map[scholarship.Category]cents{scholarship.Tuition: 5_000_00, scholarship.Books: 600_00}
	teach.Shares = []scholarship.CostShare{{Categories: []scholarship.Category{scholarship.Tuition, scholarship.Books}, Scholarship: 8_000, Recipient: 1_000, Employer: 1_000}}
	teach.PerApplicantCap = 0

	tests := []struct {
		name  string
		c     scholarship.Cycle
		req   map[scholarship.Category]cents
		hours map[scholarship.Category]scholarship.Hours
		want  scholarship.Quote
	}{
		{
			name:  "fees above the combined cap are cut before tuition; release time is 15 x 3 x 36",
			c:     ba,
			req:   map[scholarship.Category]cents{scholarship.Tuition: 8_000_00, scholarship.Fees: 1_500_00, scholarship.Books: 300_00},
			hours: map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: 5, Weeks: 36}},
			// 8,000 + 1,500 > 9,000: fees lose 500. Release time 1,620.
			// 8,000 + 1,000 + 300 + 1,620 = 10,920 > 10,000: books lose
			// 300, fees the remaining 620; release time stays whole.
			want: scholarship.Quote{
				Cost:       map[scholarship.Category]cents{scholarship.Tuition: 8_000_00, scholarship.Fees: 1_500_00, scholarship.Books: 300_00, scholarship.ReleaseTime: 1_620_00},
				ByCategory: map[scholarship.Category]cents{scholarship.Tuition: 8_000_00, scholarship.Fees: 380_00, scholarship.ReleaseTime: 1_620_00},
				Amount:     10_000_00, Uncovered: 1_420_00,
			},
		},
		{
			name:  "an amount requested for release time is not used; half hours count",
			c:     ba,
			req:   map[scholarship.Category]cents{scholarship.Tuition: 2_000_00, scholarship.ReleaseTime: 9_000_00},
			hours: map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: 2.5, Weeks: 10}},
			want: scholarship.Quote{
				Cost:       map[scholarship.Category]cents{scholarship.Tuition: 2_000_00, scholarship.ReleaseTime: 375_00},
				ByCategory: map[scholarship.Category]cents{scholarship.Tuition: 2_000_00, scholarship.ReleaseTime: 375_00},
				Amount:     2_375_00,
			},
		},
		{
			name: "T.E.A.C.H. shares: 80% scholarship, 10% recipient, 10% employer",
			c:    teach,
			req:  map[scholarship.Category]cents{scholarship.Tuition: 3_000_00, scholarship.Books: 455_55},
			// Recipient and employer: 300 + 45.555 -> 45.55 each for books.
			want: scholarship.Quote{
				Cost:       map[scholarship.Category]cents{scholarship.Tuition: 3_000_00, scholarship.Books: 455_55},
				ByCategory: map[scholarship.Category]cents{scholarship.Tuition: 2_400_00, scholarship.Books: 364_45},
				Amount:     2_764_45,
				Shares:     map[scholarship.Party]cents{scholarship.PartyScholarship: 2_764_45, scholarship.PartyRecipient: 345_55, scholarship.PartyEmployer: 345_55},
			},
		},
		{
			name: "a cap lowers the scholarship's part only; the rest is uncovered",
			c:    teach,
			req:  map[scholarship.Category]cents{scholarship.Tuition: 10_000_00},
			want: scholarship.Quote{
				Cost:       map[scholarship.Category]cents{scholarship.Tuition: 10_000_00},
				ByCategory: map[scholarship.Category]cents{scholarship.Tuition: 5_000_00},
				Amount:     5_000_00,
				Shares:     map[scholarship.Party]cents{scholarship.PartyScholarship: 5_000_00, scholarship.PartyRecipient: 1_000_00, scholarship.PartyEmployer: 1_000_00},
				Uncovered:  3_000_00,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); err != nil {
				t.Fatal(err)
			}
			a := app("q")
			a.Requested, a.Hours = tt.req, tt.hours
			if diff := cmp.Diff(tt.want, scholarship.QuoteFor(tt.c, a)); diff != "" {
				t.Errorf("QuoteFor (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAwardPaysEmployerForReleaseTime(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Pools, c.LifetimeCap = nil, 0
	c.Hourly = []scholarship.HourlyItem{{Category: scholarship.ReleaseTime, Rate: 15_00, MaxHoursPerWeek: 3, Payee: scholarship.PayEmployer}}
	c.Payees = map[scholarship.Category]scholarship.Payee{scholarship.Tuition: scholarship.PayInstitution}
	a := app("a0")
	a.Requested = map[scholarship.Category]cents{scholarship.Tuition: 4_000_00, scholarship.Books: 100_00}
	a.Hours = map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: 3, Weeks: 20}}
	al, err := scholarship.Allocate(c, []scholarship.Candidate{{Application: a, Verdict: scholarship.Verdict{Outcome: scholarship.Eligible}}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[scholarship.Payee]cents{scholarship.PayInstitution: 4_000_00, scholarship.PayRecipient: 100_00, scholarship.PayEmployer: 900_00}
	if len(al.Awards) != 1 {
		t.Fatalf("awards = %+v; want one", al.Awards)
	}
	if diff := cmp.Diff(want, al.Awards[0].ByPayee); diff != "" {
		t.Errorf("ByPayee (-want +got):\n%s", diff)
	}
}

func TestCycleValidateCosts(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.CombinedCaps = []scholarship.CombinedCap{{Categories: []scholarship.Category{scholarship.Tuition}, Cap: -1}}
	c.Hourly = []scholarship.HourlyItem{{Category: scholarship.ReleaseTime, Rate: 15_00}, {Category: scholarship.ReleaseTime, Rate: 1, Payee: "bank"}}
	c.Shares = []scholarship.CostShare{{Categories: []scholarship.Category{scholarship.Tuition}, Scholarship: 8_000, Recipient: 1_000}}
	c.CutOrder = []scholarship.Category{scholarship.Books, scholarship.Books, "lunch"}
	var errs bsk.Errors
	if !errors.As(c.Validate(), &errs) {
		t.Fatalf("Validate() = %v; want problems", c.Validate())
	}
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	want := []string{"combined_caps[0].categories", "combined_caps[0].cap", "hourly[1].category", "hourly[1].payee", "shares[0]", "cut_order[1]", "cut_order[2]"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestPartialSetAsideIsToppedUp(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget, c.PerApplicantCap, c.LifetimeCap, c.Fit = 11_000_00, 0, 0, scholarship.Partial
	c.Pools = []scholarship.Pool{{Name: "multilingual", Amount: 3_000_00, Criterion: scholarship.PoolMultilingual}}
	top, next := app("top"), app("next")
	top.Applicant.Languages = []bsk.Language{bsk.Spanish}
	top.Requested = map[scholarship.Category]cents{scholarship.Tuition: 9_000_00}
	next.Requested = map[scholarship.Category]cents{scholarship.Tuition: 9_000_00}
	eligible := scholarship.Verdict{Outcome: scholarship.Eligible}
	al, err := scholarship.Allocate(c, []scholarship.Candidate{{Application: top, Verdict: eligible}, {Application: next, Verdict: eligible}})
	if err != nil {
		t.Fatal(err)
	}
	// The set-aside gives the top applicant 3,000 of 9,000; the general
	// 8,000 tops them up by 6,000 first, and the 2,000 left goes to the
	// next applicant as a partial award.
	want := []scholarship.Award{
		{ApplicationID: "top", Amount: 9_000_00, ByCategory: map[scholarship.Category]cents{scholarship.Tuition: 9_000_00},
			ByPayee: map[scholarship.Payee]cents{scholarship.PayRecipient: 9_000_00}, Pool: "multilingual",
			TopUps: []scholarship.TopUp{{Pool: "general", Amount: 6_000_00}}, Rank: 1, Step: "allocation"},
		{ApplicationID: "next", Amount: 2_000_00, ByCategory: map[scholarship.Category]cents{scholarship.Tuition: 2_000_00},
			ByPayee: map[scholarship.Payee]cents{scholarship.PayRecipient: 2_000_00}, Pool: "general", Rank: 2, Partial: true, Step: "allocation"},
	}
	if diff := cmp.Diff(want, al.Awards); diff != "" {
		t.Errorf("awards (-want +got):\n%s", diff)
	}
	if al.Left != 0 || al.Spent != 11_000_00 {
		t.Errorf("spent %v, left %v; want 11,000 and 0", al.Spent, al.Left)
	}
	// A reader who may not see demographics sees neither the set-aside nor
	// where the top-up came from, when the set-aside is demographic.
	c.Pools[0].Criterion = scholarship.PoolBIPOC
	red := al.WithoutDemographics(c)
	if red.Awards[0].Pool != scholarship.WithheldPool || red.Awards[0].TopUps[0].Pool != scholarship.WithheldPool {
		t.Errorf("redacted award = %+v; want every pool withheld", red.Awards[0])
	}
	if al.Awards[0].TopUps[0].Pool != "general" {
		t.Errorf("redaction changed the original allocation: %+v", al.Awards[0])
	}
}

func TestPriorityLanguagesChooseWhoDrawsOnTheSetAside(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget, c.PerApplicantCap, c.LifetimeCap = 10_000_00, 0, 0
	c.Pools = []scholarship.Pool{{Name: "multilingual", Amount: 5_000_00, Criterion: scholarship.PoolMultilingual}}
	c.PriorityLanguages = []bsk.Language{bsk.Somali}
	spanish, somali := app("spanish"), app("somali")
	spanish.Applicant.Languages = []bsk.Language{bsk.English, bsk.Spanish}
	somali.Applicant.Languages = []bsk.Language{bsk.Somali}
	for _, a := range []*scholarship.Application{&spanish, &somali} {
		a.Requested = map[scholarship.Category]cents{scholarship.Tuition: 5_000_00}
	}
	eligible := scholarship.Verdict{Outcome: scholarship.Eligible}
	al, err := scholarship.Allocate(c, []scholarship.Candidate{{Application: spanish, Verdict: eligible}, {Application: somali, Verdict: eligible}})
	if err != nil {
		t.Fatal(err)
	}
	pools := map[string]string{}
	for _, a := range al.Awards {
		pools[a.ApplicationID] = a.Pool
	}
	if diff := cmp.Diff(map[string]string{"somali": "multilingual", "spanish": "general"}, pools); diff != "" {
		t.Errorf("pools (-want +got):\n%s", diff)
	}
	if c.Meets(c.Pools[0], spanish) || !c.Meets(c.Pools[0], somali) {
		t.Errorf("Meets: Spanish %v, Somali %v; want false, true", c.Meets(c.Pools[0], spanish), c.Meets(c.Pools[0], somali))
	}
}

func TestHiredNotStarted(t *testing.T) {
	hired := app("h")
	hired.Applicant.Hired, hired.Applicant.MonthsEmployed, hired.Applicant.HoursPerWeek = true, 0, 0
	tests := []struct {
		policy  scholarship.HiredPolicy
		code    string
		outcome scholarship.Outcome
	}{
		{"", scholarship.CodeNotYetStarted, scholarship.NeedsReview},
		{scholarship.HiredReview, scholarship.CodeNotYetStarted, scholarship.NeedsReview},
		{scholarship.HiredPendingStart, scholarship.CodeEligiblePendingStart, scholarship.Eligible},
		{scholarship.HiredIneligible, scholarship.CodeNotYetStarted, scholarship.Ineligible},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			v := scholarship.RuleSet[scholarship.Application]{Rules: []scholarship.Rule[scholarship.Application]{
				scholarship.MinimumEmploymentFor(3, 10, tt.policy)}}.Evaluate(context.Background(), []scholarship.Application{hired})[0]
			if v.Outcome != tt.outcome || len(v.Reasons) != 1 || v.Reasons[0].Code != tt.code {
				t.Errorf("verdict = %+v; want %s with one reason %s", v, tt.outcome, tt.code)
			}
		})
	}
}

func TestEligibilityChoosesBuiltinRules(t *testing.T) {
	p := esit()
	c, _ := p.Cycle("2026")
	c.Eligibility = &scholarship.Eligibility{Region: scholarship.Statewide, MinMonthsEmployed: 3, MinHoursPerWeek: 10,
		MinEducation: bsk.EducationAssociate, ParticipatingKinds: []bsk.OrganizationKind{bsk.OrgChildCare}, Hired: scholarship.HiredIneligible}
	var names []string
	for _, r := range scholarship.BuiltinRules(p, c) {
		names = append(names, r.(scholarship.Describer).Describe().Name)
	}
	want := []string{"statewide_agency", "caps", "required_documents", "qualifying_program", "participating_employer", "minimum_employment", "minimum_education"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	// An employer outside King County passes the statewide rule; a
	// non-participating kind, short tenure and a CDA fail with their codes.
	a := app("a")
	a.Applicant.Employer.Place = bsk.OutsideKingCounty
	a.Applicant.MonthsEmployed, a.Applicant.Education = 2, bsk.EducationCDA
	v := scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)}.Evaluate(context.Background(), []scholarship.Application{a})[0]
	var codes []string
	for _, r := range v.Reasons {
		codes = append(codes, r.Code)
	}
	if diff := cmp.Diff([]string{scholarship.CodeEmployerNotParticipat, scholarship.CodeEmploymentTooShort, scholarship.CodeEducationRequired}, codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	c.Eligibility = &scholarship.Eligibility{Region: "mars", Hired: "maybe", MinHoursPerWeek: 90}
	if err := c.Validate(); err == nil {
		t.Error("Validate accepted an unknown region, policy and 90 hours a week")
	}
}

func TestTopUpBelowAnAwardTooSmallToMake(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Budget, c.PerApplicantCap, c.LifetimeCap, c.Fit, c.MinPartial = 12_500_00, 0, 0, scholarship.Partial, 2_000_00
	c.Pools = []scholarship.Pool{{Name: "multilingual", Amount: 3_000_00, Criterion: scholarship.PoolMultilingual}}
	var ranked []scholarship.Candidate
	for i, lang := range []bsk.Language{bsk.English, bsk.English, bsk.Spanish} {
		a := app(fmt.Sprintf("r%d", i+1))
		a.Applicant.Languages = []bsk.Language{lang}
		a.Requested = map[scholarship.Category]cents{scholarship.Tuition: 9_000_00}
		ranked = append(ranked, scholarship.Candidate{Application: a, Verdict: scholarship.Verdict{Outcome: scholarship.Eligible}})
	}
	al, err := scholarship.Allocate(c, ranked)
	if err != nil {
		t.Fatal(err)
	}
	// r3 draws the 3,000 set-aside; the general 9,500 funds r1 in full;
	// the 500 left is under the smallest partial award, so r2 gets none,
	// but it tops up r3.
	got := map[string]cents{}
	for _, a := range al.Awards {
		got[a.ApplicationID] = a.Amount
	}
	if diff := cmp.Diff(map[string]cents{"r1": 9_000_00, "r3": 3_500_00}, got); diff != "" {
		t.Errorf("awards (-want +got):\n%s", diff)
	}
	if al.Left != 0 || len(al.Waitlist) != 1 || al.Waitlist[0].ApplicationID != "r2" {
		t.Errorf("left %v, waitlist %+v; want 0 and r2", al.Left, al.Waitlist)
	}
}

// TestQuoteProperties prices random applications under random cost
// models: the amount is the sum of the split, no category is paid more
// than its cost, its cap or its scholarship share, no combined,
// per-applicant or lifetime cap is exceeded, and nothing is negative.
func TestQuoteProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	all := []scholarship.Category{scholarship.Tuition, scholarship.Fees, scholarship.Books, scholarship.ExamFees, scholarship.ReleaseTime, scholarship.TrainingTime, scholarship.TravelExpenses}
	amount := func(n int) cents { return cents(r.IntN(n)) }
	for trial := range 2000 {
		c, _ := esit().Cycle("2026")
		c.Pools = nil
		c.Caps = map[scholarship.Category]cents{}
		for _, cat := range all[:4] {
			if r.IntN(3) > 0 {
				c.Caps[cat] = amount(10_000_00)
			}
		}
		c.Hourly = []scholarship.HourlyItem{{Category: scholarship.ReleaseTime, Rate: amount(50_00), MaxHoursPerWeek: float64(r.IntN(10)) / 2, MaxWeeks: r.IntN(60)}}
		if r.IntN(2) == 0 {
			c.CombinedCaps = []scholarship.CombinedCap{{Categories: []scholarship.Category{scholarship.Tuition, scholarship.Fees}, Cap: amount(12_000_00)}}
		}
		if r.IntN(2) == 0 {
			s := r.IntN(10_001)
			e := r.IntN(10_001 - s)
			c.Shares = []scholarship.CostShare{{Categories: []scholarship.Category{scholarship.Tuition, scholarship.Books}, Scholarship: s, Employer: e, Recipient: 10_000 - s - e}}
		}
		c.PerApplicantCap, c.LifetimeCap = amount(15_000_00), amount(40_000_00)
		order := slices.Clone(all)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		c.CutOrder = order[:r.IntN(len(order))]
		if err := c.Validate(); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		a := app("q")
		a.Requested = map[scholarship.Category]cents{}
		for _, cat := range all {
			if r.IntN(2) == 0 {
				a.Requested[cat] = amount(14_000_00)
			}
		}
		a.Hours = map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: float64(r.IntN(20)) / 2, Weeks: r.IntN(70)}}
		a.PriorAwards = amount(45_000_00)
		q := scholarship.QuoteFor(c, a)
		var sum cents
		for cat, v := range q.ByCategory {
			sum += v
			if v <= 0 || v > q.Cost[cat] {
				t.Errorf("trial %d: %s pays %v of cost %v", trial, cat, v, q.Cost[cat])
			}
			if limit, ok := c.Caps[cat]; ok && v > limit {
				t.Errorf("trial %d: %s pays %v over its cap %v", trial, cat, v, limit)
			}
		}
		if sum != q.Amount || q.Amount < 0 || q.Uncovered < 0 {
			t.Errorf("trial %d: amount %v, split sums to %v, uncovered %v", trial, q.Amount, sum, q.Uncovered)
		}
		for _, cc := range c.CombinedCaps {
			if q.ByCategory[scholarship.Tuition]+q.ByCategory[scholarship.Fees] > cc.Cap {
				t.Errorf("trial %d: tuition and fees %v over the combined cap %v", trial, q.ByCategory[scholarship.Tuition]+q.ByCategory[scholarship.Fees], cc.Cap)
			}
		}
		if (c.PerApplicantCap > 0 && q.Amount > c.PerApplicantCap) || (c.LifetimeCap > 0 && q.Amount+a.PriorAwards > max(c.LifetimeCap, a.PriorAwards)) {
			t.Errorf("trial %d: amount %v over the per-applicant cap %v or the lifetime cap %v (prior %v)", trial, q.Amount, c.PerApplicantCap, c.LifetimeCap, a.PriorAwards)
		}
		for _, s := range c.Shares {
			for _, cat := range s.Categories {
				if q.ByCategory[cat] > q.Cost[cat]-q.Cost[cat]*cents(s.Recipient)/10_000-q.Cost[cat]*cents(s.Employer)/10_000 {
					t.Errorf("trial %d: %s pays %v, more than the scholarship's share of %v", trial, cat, q.ByCategory[cat], q.Cost[cat])
				}
			}
		}
	}
}
