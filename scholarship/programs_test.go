package scholarship_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// cohort generates n applications to a program with varied employers,
// tenure, hours, education, requests and paperwork.
func cohort(r *rand.Rand, programID string, n int) []scholarship.Application {
	kinds := []bsk.OrganizationKind{bsk.OrgChildCare, bsk.OrgChildCare, bsk.OrgChildCare, bsk.OrgChildCare, bsk.OrgChildCare, bsk.OrgClinic, bsk.OrgHomeVisiting}
	places := []bsk.Place{"kent", "seattle", "kent", "bellevue", bsk.OutsideKingCounty}
	edus := []bsk.Education{"", bsk.EducationNone, bsk.EducationHighSchool, bsk.EducationCDA, bsk.EducationAssociate, bsk.EducationAssociate,
		bsk.EducationAssociate, bsk.EducationAssociate, bsk.EducationBachelor}
	langs := []bsk.Language{bsk.English, bsk.English, bsk.Spanish, bsk.Vietnamese, bsk.Somali, bsk.Russian}
	halfHours := []float64{0, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5}
	out := make([]scholarship.Application, n)
	for i := range out {
		id := fmt.Sprintf("c%03d", i)
		org := &bsk.Organization{ID: bsk.OrganizationID(fmt.Sprintf("org-%d", r.IntN(30))), Name: "Center", Kind: kinds[r.IntN(len(kinds))],
			Place: places[r.IntN(len(places))], ServesYoungChildren: r.IntN(25) != 0}
		if r.IntN(30) == 0 {
			org = nil
		}
		hours := 40.0
		if r.IntN(2) == 0 {
			hours = float64(r.IntN(80)) / 2
		}
		ap := scholarship.Applicant{PersonID: "p-" + id, Name: "Person " + id, Employer: org, MonthsEmployed: r.IntN(25),
			HoursPerWeek: hours, Education: edus[r.IntN(len(edus))], Languages: []bsk.Language{langs[r.IntN(len(langs))]}}
		if r.IntN(8) == 0 {
			ap.Hired, ap.MonthsEmployed, ap.HoursPerWeek = true, 0, float64(r.IntN(3)*20)
		}
		a := scholarship.Application{ID: id, ProgramID: programID, CycleID: "2026-27", Applicant: ap,
			Requested: map[scholarship.Category]scholarship.Cents{
				scholarship.Tuition: scholarship.Cents(r.IntN(11_000_00)), scholarship.Fees: scholarship.Cents(r.IntN(2_500_00)),
				scholarship.Books: scholarship.Cents(r.IntN(900_00)),
			},
			Hours:     map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: halfHours[r.IntN(len(halfHours))], Weeks: r.IntN(61)}},
			Answers:   scholarship.Answers{EmployerConfirmed: r.IntN(8) != 0, EnrolledProgram: "ba-ece", FinancialNeed: r.IntN(4), FirstGeneration: r.IntN(3) == 0},
			Documents: []string{"transcript"}, Submitted: programStart.Add(time.Duration(r.IntN(5000)) * time.Minute),
		}
		if r.IntN(10) == 0 {
			a.Documents = nil
		}
		if r.IntN(12) == 0 {
			a.Answers.EnrolledProgram = "mba"
		}
		if r.IntN(6) == 0 {
			a.Requested[scholarship.TravelExpenses] = 50_00 // covered by neither program
		}
		out[i] = a
	}
	return out
}

// expected is one application's decision computed from the published
// rules, independently of the library.
type expected struct {
	Outcome    scholarship.Outcome
	Step       string
	Amount     scholarship.Cents
	ByCategory map[scholarship.Category]scholarship.Cents
	ByPayee    map[scholarship.Payee]scholarship.Cents
	Shares     map[scholarship.Party]scholarship.Cents
	Pool       string
	TopUp      scholarship.Cents
}

// decided is the same, read from a decision record.
func decided(r scholarship.DecisionRecord) expected {
	e := expected{Outcome: r.Outcome, Step: r.Step}
	if aw := r.Award; aw != nil {
		e.Amount, e.ByCategory, e.ByPayee, e.Shares, e.Pool = aw.Amount, aw.ByCategory, aw.ByPayee, aw.Shares, aw.Pool
		for _, u := range aw.TopUps {
			e.TopUp += u.Amount
		}
	}
	return e
}

// cut takes amount off the categories in order.
func cut(by map[scholarship.Category]scholarship.Cents, order []scholarship.Category, amount scholarship.Cents) {
	for _, c := range order {
		d := min(by[c], amount)
		by[c] -= d
		amount -= d
		if by[c] == 0 {
			delete(by, c)
		}
	}
}

func payees(by map[scholarship.Category]scholarship.Cents, to map[scholarship.Category]scholarship.Payee) map[scholarship.Payee]scholarship.Cents {
	out := map[scholarship.Payee]scholarship.Cents{}
	for c, v := range by {
		p, ok := to[c]
		if !ok {
			p = scholarship.PayRecipient
		}
		out[p] += v
	}
	return out
}

func total(by map[scholarship.Category]scholarship.Cents) scholarship.Cents {
	var s scholarship.Cents
	for _, v := range by {
		s += v
	}
	return s
}

// baExpected decides a BA Degree Pathways application by the published
// rules: a participating child care program (anywhere), 3 months and 10
// hours a week (a person not started has neither), an AA or DTA, a
// qualifying BA program; the transcript and the employer's confirmation
// or review. The grant: tuition, then fees, up to $9,000 together; books
// up to $500; release time $15 x at most 3 hours a week x at most 52 weeks.
func baExpected(a scholarship.Application) (scholarship.Outcome, map[scholarship.Category]scholarship.Cents) {
	ap, org := a.Applicant, a.Applicant.Employer
	eduOK := slices.Contains([]bsk.Education{bsk.EducationAssociate, bsk.EducationBachelor, bsk.EducationMaster, bsk.EducationDoctorate}, ap.Education)
	outcome := scholarship.Eligible
	switch {
	case org == nil || !org.ServesYoungChildren || org.Kind != bsk.OrgChildCare, ap.Hired, ap.MonthsEmployed < 3, ap.HoursPerWeek < 10,
		!eduOK, a.Answers.EnrolledProgram != "ba-ece" && a.Answers.EnrolledProgram != "bas-ece":
		outcome = scholarship.Ineligible
	case !slices.Contains(a.Documents, "transcript"), !a.Answers.EmployerConfirmed:
		outcome = scholarship.NeedsReview
	}
	by := map[scholarship.Category]scholarship.Cents{}
	tuition := min(a.Requested[scholarship.Tuition], 9_000_00)
	by[scholarship.Tuition] = tuition
	by[scholarship.Fees] = min(a.Requested[scholarship.Fees], 9_000_00-tuition)
	by[scholarship.Books] = min(a.Requested[scholarship.Books], 500_00)
	h := a.Hours[scholarship.ReleaseTime]
	by[scholarship.ReleaseTime] = scholarship.Cents(float64(15_00)*min(h.PerWeek, 3)) * scholarship.Cents(min(h.Weeks, 52))
	for c, v := range by {
		if v == 0 {
			delete(by, c)
		}
	}
	return outcome, by
}

func TestBADegreePathwaysCohort(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		apps := cohort(rand.New(rand.NewPCG(seed, 99)), "wa-ba-pathways", 200)
		budget := scholarship.Cents(180_000_00) + scholarship.Cents(seed)*1_000_01
		res, err := decide(baDegreePathways(budget), apps)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.SetAside) != 0 || len(res.Records) != len(apps) {
			t.Fatalf("seed %d: %d set aside, %d records; want 0 and %d", seed, len(res.SetAside), len(res.Records), len(apps))
		}
		byID := map[string]scholarship.Application{}
		for _, a := range apps {
			byID[a.ID] = a
		}
		want := map[string]expected{}
		money := budget
		counts := map[string]int{}
		for _, id := range res.Ranking {
			a := byID[id]
			outcome, by := baExpected(a)
			e := expected{Outcome: outcome, Step: string(outcome)}
			grant := total(by)
			switch {
			case outcome != scholarship.Eligible:
			case grant == 0:
				e.Step = "nothing_to_award"
			case grant <= money:
				money -= grant
				e.Step, e.Amount, e.ByCategory, e.Pool = "awarded", grant, by, "general"
				e.ByPayee = payees(by, map[scholarship.Category]scholarship.Payee{scholarship.Tuition: scholarship.PayInstitution,
					scholarship.Fees: scholarship.PayInstitution, scholarship.ReleaseTime: scholarship.PayEmployer})
			default:
				e.Step = "waitlisted"
			}
			counts[e.Step]++
			want[id] = e
		}
		for _, r := range res.Records {
			if diff := cmp.Diff(want[r.ApplicationID], decided(r)); diff != "" {
				t.Errorf("seed %d: %s (-want +got):\n%s", seed, r.ApplicationID, diff)
			}
		}
		// The cohort exercises every path.
		for _, step := range []string{"awarded", "waitlisted", "ineligible", "needs_review"} {
			if counts[step] == 0 {
				t.Errorf("seed %d: no application %s: %v", seed, step, counts)
			}
		}
	}
}

// teachExpected decides a T.E.A.C.H. application by the program's rules: a
// King County child care program, 30 hours a week (a person hired but not
// started is eligible pending the start), a high school diploma; the
// sponsoring employer's confirmation or review. The grant: 80% of tuition
// (cap $6,000) and books (cap $600), the recipient and the employer 10%
// each rounded down; release time $12 x at most 3 hours x at most 48
// weeks; at most $7,000 in all, cutting books, then tuition, then
// release time.
func teachExpected(a scholarship.Application) (scholarship.Outcome, map[scholarship.Category]scholarship.Cents, map[scholarship.Party]scholarship.Cents) {
	ap, org := a.Applicant, a.Applicant.Employer
	outcome := scholarship.Eligible
	switch {
	case org == nil || org.Place == bsk.OutsideKingCounty || !org.ServesYoungChildren || org.Kind != bsk.OrgChildCare,
		!ap.Hired && ap.HoursPerWeek < 30, ap.Education == "" || ap.Education == bsk.EducationNone:
		outcome = scholarship.Ineligible
	case !a.Answers.EmployerConfirmed:
		outcome = scholarship.NeedsReview
	}
	by := map[scholarship.Category]scholarship.Cents{}
	shares := map[scholarship.Party]scholarship.Cents{}
	for _, c := range []struct {
		cat scholarship.Category
		cap scholarship.Cents
	}{{scholarship.Tuition, 6_000_00}, {scholarship.Books, 600_00}} {
		cost := a.Requested[c.cat]
		tenth := cost / 10
		shares[scholarship.PartyRecipient] += tenth
		shares[scholarship.PartyEmployer] += tenth
		by[c.cat] = min(cost-2*tenth, c.cap)
	}
	h := a.Hours[scholarship.ReleaseTime]
	by[scholarship.ReleaseTime] = scholarship.Cents(float64(12_00)*min(h.PerWeek, 3)) * scholarship.Cents(min(h.Weeks, 48))
	cut(by, []scholarship.Category{scholarship.Books, scholarship.Tuition, scholarship.ReleaseTime}, max(0, total(by)-7_000_00))
	for c, v := range by {
		if v == 0 {
			delete(by, c)
		}
	}
	return outcome, by, shares
}

func TestTEACHCohort(t *testing.T) {
	priority := []bsk.Language{bsk.Spanish, bsk.Vietnamese, bsk.Somali}
	for _, seed := range []uint64{1, 2, 3} {
		apps := cohort(rand.New(rand.NewPCG(seed, 7)), "teach-kc", 200)
		budget, setAside := scholarship.Cents(120_000_00)+scholarship.Cents(seed)*123_45, scholarship.Cents(30_000_00)+scholarship.Cents(seed)*3_21
		res, err := decide(teachEarlyChildhood(budget, setAside), apps)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.SetAside) != 0 || len(res.Records) != len(apps) {
			t.Fatalf("seed %d: %d set aside, %d records; want 0 and %d", seed, len(res.SetAside), len(res.Records), len(apps))
		}
		byID := map[string]scholarship.Application{}
		for _, a := range apps {
			byID[a.ID] = a
		}
		type plan struct {
			outcome    scholarship.Outcome
			by         map[scholarship.Category]scholarship.Cents
			shares     map[scholarship.Party]scholarship.Cents
			grant, got scholarship.Cents
			pool       string
			topUp      scholarship.Cents
		}
		plans := make([]*plan, len(res.Ranking))
		for k, id := range res.Ranking {
			o, by, sh := teachExpected(byID[id])
			plans[k] = &plan{outcome: o, by: by, shares: sh, grant: total(by)}
		}
		// The set-aside in rank order, a partial award ending it; then the
		// general fund, topping up a partial award before anyone below.
		pool := setAside
		for k, id := range res.Ranking {
			p := plans[k]
			speaks := slices.ContainsFunc(byID[id].Applicant.Languages, func(l bsk.Language) bool { return slices.Contains(priority, l) })
			if p.outcome != scholarship.Eligible || p.grant == 0 || !speaks || pool == 0 {
				continue
			}
			p.got, p.pool = min(p.grant, pool), "priority_languages"
			pool -= p.got
		}
		general := budget - setAside + pool
		for _, p := range plans {
			if p.outcome != scholarship.Eligible || p.got == p.grant || general == 0 {
				continue
			}
			add := min(p.grant-p.got, general)
			if p.pool == "" {
				p.pool = "general"
			} else {
				p.topUp = add
			}
			p.got += add
			general -= add
		}
		steps := map[string]int{}
		for k, id := range res.Ranking {
			p := plans[k]
			e := expected{Outcome: p.outcome, Step: string(p.outcome)}
			switch {
			case p.outcome != scholarship.Eligible:
			case p.grant == 0:
				e.Step = "nothing_to_award"
			case p.got == 0:
				e.Step = "waitlisted"
			default:
				e.Step, e.Amount, e.Pool, e.TopUp = "awarded", p.got, p.pool, p.topUp
				e.ByCategory = maps(p.by)
				cut(e.ByCategory, []scholarship.Category{scholarship.Books, scholarship.Tuition, scholarship.ReleaseTime}, p.grant-p.got)
				e.ByPayee = payees(e.ByCategory, map[scholarship.Category]scholarship.Payee{scholarship.Tuition: scholarship.PayInstitution,
					scholarship.ReleaseTime: scholarship.PayEmployer})
				e.Shares = maps(p.shares)
				e.Shares[scholarship.PartyScholarship] = e.ByCategory[scholarship.Tuition] + e.ByCategory[scholarship.Books]
				if p.got < p.grant {
					steps["partial"]++
				}
				if p.topUp > 0 {
					steps["topped_up"]++
				}
			}
			steps[e.Step]++
			var rec scholarship.DecisionRecord
			for _, r := range res.Records {
				if r.ApplicationID == id {
					rec = r
				}
			}
			if diff := cmp.Diff(e, decided(rec)); diff != "" {
				t.Errorf("seed %d: %s (-want +got):\n%s", seed, id, diff)
			}
			// A person hired but not started is told they are eligible
			// pending the start, never passed silently.
			if a := byID[id]; a.Applicant.Hired && p.outcome != scholarship.Ineligible &&
				!slices.ContainsFunc(rec.Reasons, func(r scholarship.Reason) bool { return r.Code == scholarship.CodeEligiblePendingStart }) {
				t.Errorf("seed %d: %s hired, not started, without %s: %+v", seed, id, scholarship.CodeEligiblePendingStart, rec.Reasons)
			}
		}
		if res.Allocation.Left != general {
			t.Errorf("seed %d: left %v; want %v", seed, res.Allocation.Left, general)
		}
		for _, step := range []string{"awarded", "waitlisted", "ineligible", "needs_review", "partial", "topped_up"} {
			if steps[step] == 0 {
				t.Errorf("seed %d: no application %s: %v", seed, step, steps)
			}
		}
	}
}

func maps[K comparable](m map[K]scholarship.Cents) map[K]scholarship.Cents {
	out := make(map[K]scholarship.Cents, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
