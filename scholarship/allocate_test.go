package scholarship_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// rankedRandom builds a cycle and ranked candidates from a seed.
func rankedRandom(seed uint64, n int) (scholarship.Cycle, []scholarship.Candidate) {
	r := rand.New(rand.NewPCG(seed, 7))
	p := esit()
	c, _ := p.Cycle("2026")
	c.Budget = scholarship.Cents(r.IntN(200_000_00))
	c.Pools = []scholarship.Pool{
		{Name: "multilingual", Amount: c.Budget / scholarship.Cents(2+r.IntN(4)), Criterion: scholarship.PoolMultilingual},
		{Name: "first_generation", Amount: c.Budget / 10, Criterion: scholarship.PoolFirstGeneration},
	}
	if r.IntN(2) == 0 {
		c.Fit, c.MinPartial = scholarship.Partial, scholarship.Cents(r.IntN(1000_00))
	}
	apps := randomApps(r, n)
	set := scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)}
	verdicts := set.Evaluate(context.Background(), apps)
	scores, _ := scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)}.Score(context.Background(), apps, nil)
	var ranked []scholarship.Candidate
	for _, i := range scholarship.Rank(apps, scores) {
		ranked = append(ranked, scholarship.Candidate{Application: apps[i], Verdict: verdicts[i]})
	}
	return c, ranked
}

func TestAllocateProperties(t *testing.T) {
	for seed := range uint64(200) {
		c, ranked := rankedRandom(seed, 1+int(seed%60))
		al, err := scholarship.Allocate(c, ranked)
		if err != nil {
			t.Fatal(err)
		}
		checkAllocation(t, seed, c, ranked, al)

		// Declining awards: every other award stands, exactly as it was
		// unless it was partial and is topped up.
		var declined []string
		for i, a := range al.Awards {
			if i%3 == 0 {
				declined = append(declined, a.ApplicationID)
			}
		}
		next, err := scholarship.Reallocate(c, al, ranked, declined)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range al.Awards {
			if slices.Contains(declined, a.ApplicationID) {
				if slices.ContainsFunc(next.Awards, func(b scholarship.Award) bool { return b.ApplicationID == a.ApplicationID }) {
					t.Errorf("seed %d: declined award %s still stands", seed, a.ApplicationID)
				}
				continue
			}
			i := slices.IndexFunc(next.Awards, func(b scholarship.Award) bool { return b.ApplicationID == a.ApplicationID })
			switch {
			case i < 0:
				t.Errorf("seed %d: reallocation dropped the award of %s", seed, a.ApplicationID)
			case fmt.Sprint(next.Awards[i]) == fmt.Sprint(a):
			case !a.Partial || next.Awards[i].Amount <= a.Amount:
				t.Errorf("seed %d: reallocation changed the award of %s (partial %v) from %v to %v; only a partial award may grow",
					seed, a.ApplicationID, a.Partial, a.Amount, next.Awards[i].Amount)
			}
		}
		if next.Spent+next.Left != c.Budget || next.Spent > c.Budget {
			t.Errorf("seed %d: after reallocation spent %v + left %v != budget %v", seed, next.Spent, next.Left, c.Budget)
		}
	}
}

func checkAllocation(t *testing.T, seed uint64, c scholarship.Cycle, ranked []scholarship.Candidate, al scholarship.Allocation) {
	t.Helper()
	var spent scholarship.Cents
	byPool := map[string]scholarship.Cents{}
	seen := map[string]bool{}
	for _, a := range al.Awards {
		spent += a.Amount
		first := a.Amount
		for _, u := range a.TopUps {
			byPool[u.Pool] += u.Amount
			first -= u.Amount
			if u.Amount <= 0 || u.Pool == a.Pool {
				t.Errorf("seed %d: %s has top-up %+v", seed, a.ApplicationID, u)
			}
		}
		byPool[a.Pool] += first
		if seen[a.ApplicationID] {
			t.Errorf("seed %d: %s awarded twice", seed, a.ApplicationID)
		}
		seen[a.ApplicationID] = true
		cand := ranked[a.Rank-1]
		if cand.Application.ID != a.ApplicationID || cand.Verdict.Outcome != scholarship.Eligible {
			t.Errorf("seed %d: award to %s (rank %d) who is not an eligible candidate", seed, a.ApplicationID, a.Rank)
		}
		grant, _ := scholarship.Grant(c, cand.Application)
		if a.Amount > grant || a.Amount <= 0 || (a.Amount < grant) != a.Partial {
			t.Errorf("seed %d: award %v of %s vs grant %v (partial %v)", seed, a.Amount, a.ApplicationID, grant, a.Partial)
		}
		var split scholarship.Cents
		for cat, v := range a.ByCategory {
			split += v
			if v > c.Caps[cat] || v > cand.Application.Requested[cat] {
				t.Errorf("seed %d: %s gets %v for %s, over the cap or the request", seed, a.ApplicationID, v, cat)
			}
		}
		if split != a.Amount {
			t.Errorf("seed %d: split %v != amount %v", seed, split, a.Amount)
		}
		if c.PerApplicantCap > 0 && a.Amount > c.PerApplicantCap {
			t.Errorf("seed %d: over the per-applicant cap", seed)
		}
		if c.LifetimeCap > 0 && a.Amount+cand.Application.PriorAwards > c.LifetimeCap {
			t.Errorf("seed %d: over the lifetime cap", seed)
		}
	}
	if spent != al.Spent || spent > c.Budget || al.Spent+al.Left != c.Budget {
		t.Errorf("seed %d: spent %v (recorded %v, left %v) against budget %v", seed, spent, al.Spent, al.Left, c.Budget)
	}
	for _, p := range c.Pools {
		if byPool[p.Name] > p.Amount {
			t.Errorf("seed %d: pool %s spent %v of %v", seed, p.Name, byPool[p.Name], p.Amount)
		}
	}
	// Every candidate is awarded, waitlisted or told why not, exactly once.
	told := map[string]string{}
	for _, a := range al.Awards {
		told[a.ApplicationID] = "awarded"
	}
	for _, u := range append(slices.Clone(al.Waitlist), al.Unfunded...) {
		if _, dup := told[u.ApplicationID]; dup {
			t.Errorf("seed %d: %s appears twice", seed, u.ApplicationID)
		}
		told[u.ApplicationID] = u.Code
	}
	for _, cand := range ranked {
		code, ok := told[cand.Application.ID]
		if !ok || code == "" {
			t.Errorf("seed %d: %s is neither awarded, waitlisted nor told why", seed, cand.Application.ID)
		}
		if cand.Verdict.Outcome != scholarship.Eligible && code == "awarded" {
			t.Errorf("seed %d: %s is %s but awarded", seed, cand.Application.ID, cand.Verdict.Outcome)
		}
	}
	// With partial awards no money is left while an eligible candidate is
	// short, except less than the smallest partial award.
	if c.Fit == scholarship.Partial {
		for _, a := range al.Awards {
			if a.Partial && al.Left != 0 {
				t.Errorf("seed %d: %s is short by a partial award while %v is left", seed, a.ApplicationID, al.Left)
			}
		}
		if len(al.Waitlist) > 0 && al.Left >= max(1, c.MinPartial) {
			t.Errorf("seed %d: %d waitlisted while %v is left (min partial %v)", seed, len(al.Waitlist), al.Left, c.MinPartial)
		}
	}
	// Waitlisted candidates did not fit what was left (skip policy).
	if c.Fit != scholarship.Partial {
		for _, w := range al.Waitlist {
			g, _ := scholarship.Grant(c, ranked[w.Rank-1].Application)
			if g <= al.Left {
				t.Errorf("seed %d: %s waitlisted with grant %v although %v is left", seed, w.ApplicationID, g, al.Left)
			}
		}
	}
}

func TestPoolsFallBackToGeneral(t *testing.T) {
	p := esit()
	c, _ := p.Cycle("2026")
	c.Budget, c.PerApplicantCap = 30_000_00, 0
	c.Pools = []scholarship.Pool{{Name: "multilingual", Amount: 20_000_00, Criterion: scholarship.PoolMultilingual}}
	var ranked []scholarship.Candidate
	for i := range 4 {
		a := app(fmt.Sprintf("a%d", i))
		a.Requested = map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00}
		if i == 3 {
			a.Applicant.Languages = []bsk.Language{bsk.Somali, bsk.English}
		}
		ranked = append(ranked, scholarship.Candidate{Application: a, Verdict: scholarship.Verdict{Outcome: scholarship.Eligible}})
	}
	al, err := scholarship.Allocate(c, ranked)
	if err != nil {
		t.Fatal(err)
	}
	// The multilingual applicant, ranked last, is funded from the pool; the
	// pool's unused 11,000 joins the general 10,000: two more awards fit.
	var got []string
	for _, a := range al.Awards {
		got = append(got, a.ApplicationID+":"+a.Pool)
	}
	if want := []string{"a3:multilingual", "a0:general", "a1:general"}; !slices.Equal(got, want) {
		t.Errorf("awards = %v; want %v", got, want)
	}
	if len(al.Waitlist) != 1 || al.Waitlist[0].ApplicationID != "a2" || al.Left != 3_000_00 {
		t.Errorf("waitlist %+v left %v", al.Waitlist, al.Left)
	}
	// Partial policy gives a2 the 3,000 left.
	c.Fit = scholarship.Partial
	al, _ = scholarship.Allocate(c, ranked)
	last := al.Awards[len(al.Awards)-1]
	if last.ApplicationID != "a2" || last.Amount != 3_000_00 || !last.Partial || al.Left != 0 {
		t.Errorf("partial award = %+v, left %v", last, al.Left)
	}
}

func TestReviewerNormalization(t *testing.T) {
	// Two reviewers score different applications. The harsh reviewer gives
	// 1-3 to a0..a2; the lenient one gives 3-5 to a3..a5. Both rank their
	// own applications the same way. Without normalization the lenient
	// reviewer's applications take every top place; with it, the two
	// reviewers' bests tie for the top.
	var apps []scholarship.Application
	var reviews []scholarship.Review
	for i := range 6 {
		a := app(fmt.Sprintf("a%d", i))
		a.Submitted = day.Add(time.Duration(i) * time.Minute)
		apps = append(apps, a)
		reviewer, pts := "harsh", float64(i+1)
		if i >= 3 {
			reviewer, pts = "lenient", float64(i)
		}
		reviews = append(reviews, scholarship.Review{ApplicationID: a.ID, Reviewer: reviewer, Criterion: "essay", Points: pts})
	}
	rubric := scholarship.Rubric{Lines: []scholarship.Weighted{{Name: "essay", Weight: 10, Max: 5}}}
	top := func(r scholarship.Rubric) []string {
		s, err := r.Score(context.Background(), apps, reviews)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range scholarship.Rank(apps, s)[:2] {
			out = append(out, apps[i].ID)
		}
		return out
	}
	if got := top(rubric); !slices.Equal(got, []string{"a5", "a4"}) {
		t.Errorf("raw top two = %v; want the lenient reviewer's a5, a4", got)
	}
	rubric.Normalize = true
	if got := top(rubric); !slices.Equal(got, []string{"a2", "a5"}) {
		t.Errorf("normalized top two = %v; want each reviewer's best, a2 then a5 (earlier submission breaks the tie)", got)
	}
	_, err := rubric.Score(context.Background(), apps, []scholarship.Review{{ApplicationID: "nope", Reviewer: "r", Criterion: "essay", Points: 9}})
	if err == nil {
		t.Error("a review of an unknown application with points off the scale was accepted")
	}
}
