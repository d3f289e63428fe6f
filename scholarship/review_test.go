package scholarship_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/google/go-cmp/cmp"
)

// reviewWorld is a generated cycle: applicants and reviewers in a few
// organizations, reporting lines between them, declared conflicts, some
// Spanish applications and a reviewer who applied.
type reviewWorld struct {
	req   scholarship.ReviewRequest
	boss  map[bsk.ProviderID]bsk.ProviderID
	depth int
}

func randomReviewWorld(r *rand.Rand, apps, reviewers, orgs int) reviewWorld {
	w := reviewWorld{boss: map[bsk.ProviderID]bsk.ProviderID{}}
	w.req.Settings.PerApplication = 1 + r.IntN(3)
	w.req.Settings.SupervisionDepth = r.IntN(3)
	w.depth = w.req.Settings.SupervisionDepth
	if w.depth == 0 {
		w.depth = scholarship.DefaultSupervisionDepth
	}
	w.req.Written = map[string]bsk.Language{}
	org := func() bsk.OrganizationID { return bsk.OrganizationID(fmt.Sprintf("org-%d", r.IntN(orgs))) }
	var people []bsk.ProviderID
	for i := range reviewers {
		rv := scholarship.Reviewer{ID: bsk.ProviderID(fmt.Sprintf("rev-%d", i)), OrganizationID: org(), Capacity: 1 + r.IntN(apps+1)}
		if r.IntN(3) == 0 {
			rv.Languages = []bsk.Language{bsk.Spanish}
		}
		w.req.Reviewers = append(w.req.Reviewers, rv)
		people = append(people, rv.ID)
	}
	for i := range apps {
		a := app(fmt.Sprintf("a%03d", i))
		a.Applicant.ProviderID = bsk.ProviderID(fmt.Sprintf("prov-%d", i))
		a.Applicant.Employer = &bsk.Organization{ID: org(), Name: "Agency", Kind: bsk.OrgEarlyIntervent, Place: "kent", ServesYoungChildren: true}
		if r.IntN(4) == 0 {
			w.req.Written[a.ID] = bsk.Spanish
		}
		w.req.Applications = append(w.req.Applications, a)
		people = append(people, a.Applicant.ProviderID)
	}
	// Reporting lines: each person may report to an earlier one.
	for i, p := range people {
		if i > 0 && r.IntN(2) == 0 {
			w.boss[p] = people[r.IntN(i)]
		}
		w.req.Providers = append(w.req.Providers, bsk.Provider{ID: p, ReportsTo: w.boss[p]})
	}
	for i := range w.req.Reviewers {
		if r.IntN(4) == 0 && apps > 0 {
			w.req.Reviewers[i].ConflictPeople = []string{w.req.Applications[r.IntN(apps)].Applicant.PersonID}
		}
		if r.IntN(8) == 0 {
			w.req.Reviewers[i].ConflictOrganizations = []bsk.OrganizationID{org()}
		}
	}
	if reviewers > 0 && apps > 0 && r.IntN(5) == 0 {
		// A reviewer who applied in the cycle.
		w.req.Applications[r.IntN(apps)].Applicant.ProviderID = w.req.Reviewers[r.IntN(reviewers)].ID
	}
	return w
}

// up returns the supervisors of p within depth, walked here from the
// reporting lines, independently of the package.
func (w reviewWorld) up(p bsk.ProviderID) []bsk.ProviderID {
	var out []bsk.ProviderID
	for cur := p; len(out) < w.depth; {
		next, ok := w.boss[cur]
		if !ok || next == p || slices.Contains(out, next) {
			break
		}
		out = append(out, next)
		cur = next
	}
	return out
}

// allowed says, independently of the package, whether reviewer rv may
// review application a: reads its language and has no conflict.
func (w reviewWorld) allowed(a scholarship.Application, rv scholarship.Reviewer) bool {
	lang := w.req.Written[a.ID]
	if lang != "" && lang != bsk.English && !slices.Contains(rv.Languages, lang) {
		return false
	}
	for _, b := range w.req.Applications {
		if b.Applicant.ProviderID == rv.ID {
			return false // the reviewer applied in the cycle
		}
	}
	if a.Applicant.Employer != nil && a.Applicant.Employer.ID == rv.OrganizationID {
		return false
	}
	if slices.Contains(rv.ConflictPeople, a.Applicant.PersonID) {
		return false
	}
	if a.Applicant.Employer != nil && slices.Contains(rv.ConflictOrganizations, a.Applicant.Employer.ID) {
		return false
	}
	if slices.Contains(w.up(a.Applicant.ProviderID), rv.ID) || slices.Contains(w.up(rv.ID), a.Applicant.ProviderID) {
		return false
	}
	return true
}

// bestPairs finds by brute force the most (application, reviewer) pairs
// any assignment places: at most k distinct allowed reviewers per
// application, at most each reviewer's capacity.
func (w reviewWorld) bestPairs(k int) int {
	apps, revs := w.req.Applications, w.req.Reviewers
	var options [][]int // per application, bitmasks of reviewer subsets of size <= k
	for _, a := range apps {
		var opts []int
		for mask := range 1 << len(revs) {
			n, ok := 0, true
			for j, rv := range revs {
				if mask&(1<<j) != 0 {
					n++
					ok = ok && w.allowed(a, rv)
				}
			}
			if ok && n <= k {
				opts = append(opts, mask)
			}
		}
		options = append(options, opts)
	}
	load := make([]int, len(revs))
	best := 0
	var walk func(i, pairs int)
	walk = func(i, pairs int) {
		if i == len(apps) {
			best = max(best, pairs)
			return
		}
		for _, mask := range options[i] {
			ok, n := true, 0
			for j := range revs {
				if mask&(1<<j) != 0 {
					n++
					if load[j]+1 > revs[j].Capacity {
						ok = false
					}
				}
			}
			if !ok {
				continue
			}
			for j := range revs {
				if mask&(1<<j) != 0 {
					load[j]++
				}
			}
			walk(i+1, pairs+n)
			for j := range revs {
				if mask&(1<<j) != 0 {
					load[j]--
				}
			}
		}
	}
	walk(0, 0)
	return best
}

func checkAssignment(t *testing.T, w reviewWorld, got scholarship.ReviewAssignment) (pairs int) {
	t.Helper()
	k := w.req.Settings.PerApplication
	if k == 0 {
		k = scholarship.DefaultReviewsPer
	}
	load := map[bsk.ProviderID]int{}
	byID := map[bsk.ProviderID]scholarship.Reviewer{}
	for _, rv := range w.req.Reviewers {
		byID[rv.ID] = rv
	}
	short := map[string]bool{}
	for _, s := range got.Short {
		short[s.ApplicationID] = true
	}
	if len(got.Sets) != len(w.req.Applications) {
		t.Fatalf("%d sets for %d applications", len(got.Sets), len(w.req.Applications))
	}
	for i, set := range got.Sets {
		a := w.req.Applications[i]
		if set.ApplicationID != a.ID {
			t.Fatalf("sets[%d] is %q; want %q", i, set.ApplicationID, a.ID)
		}
		if len(set.Reviewers) > k {
			t.Errorf("%s has %d reviewers; at most %d", a.ID, len(set.Reviewers), k)
		}
		if (len(set.Reviewers) < k) != short[a.ID] {
			t.Errorf("%s has %d of %d reviewers; listed short: %v", a.ID, len(set.Reviewers), k, short[a.ID])
		}
		for j, id := range set.Reviewers {
			if j > 0 && set.Reviewers[j-1] == id {
				t.Errorf("%s has reviewer %s twice", a.ID, id)
			}
			if !w.allowed(a, byID[id]) {
				t.Errorf("%s assigned to %s, who has a conflict or does not read its language", a.ID, id)
			}
			load[id]++
			pairs++
		}
	}
	for i, l := range got.Loads {
		rv := w.req.Reviewers[i]
		if l.Reviewer != rv.ID || l.Assigned != load[rv.ID] {
			t.Errorf("loads[%d] = %+v; want %s with %d", i, l, rv.ID, load[rv.ID])
		}
		if load[rv.ID] > rv.Capacity {
			t.Errorf("%s has %d reviews; capacity %d", rv.ID, load[rv.ID], rv.Capacity)
		}
	}
	return pairs
}

// TestAssignReviewersBruteForce checks small generated cycles against
// every possible assignment: no conflicted or non-reading reviewer, and
// as many reviews as any assignment places (so every application has its
// k reviewers whenever that is possible).
func TestAssignReviewersBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 1))
	full := 0
	for trial := range 300 {
		w := randomReviewWorld(r, 1+r.IntN(4), 1+r.IntN(4), 1+r.IntN(4))
		got, err := scholarship.AssignReviewers(context.Background(), w.req)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		pairs := checkAssignment(t, w, got)
		best := w.bestPairs(w.req.Settings.PerApplication)
		if pairs != best {
			t.Fatalf("trial %d: %d reviews placed; the best assignment places %d", trial, pairs, best)
		}
		if len(got.Short) == 0 {
			full++
		}
	}
	if full == 0 || full == 300 {
		t.Errorf("%d of 300 trials fully assigned; the generator should make both kinds", full)
	}
}

// TestAssignReviewersNeverConflicted checks larger generated cycles: no
// reviewer with a conflict, capacities kept, short applications listed.
func TestAssignReviewersNeverConflicted(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2))
	for trial := range 40 {
		w := randomReviewWorld(r, 20+r.IntN(200), 5+r.IntN(30), 2+r.IntN(10))
		got, err := scholarship.AssignReviewers(context.Background(), w.req)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checkAssignment(t, w, got)
	}
}

// TestAssignReviewersSpreadEvenly: with no language or conflict in the
// way, every reviewer's load is within 1 of every other's.
func TestAssignReviewersSpreadEvenly(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 3))
	for trial := range 60 {
		n, R := 1+r.IntN(300), 1+r.IntN(40)
		req := scholarship.ReviewRequest{Settings: scholarship.ReviewSettings{PerApplication: 1 + r.IntN(min(R, 4))}}
		for i := range n {
			req.Applications = append(req.Applications, app(fmt.Sprintf("a%03d", i)))
		}
		for i := range R {
			req.Reviewers = append(req.Reviewers, scholarship.Reviewer{ID: bsk.ProviderID(fmt.Sprintf("rev-%d", i)), OrganizationID: "elsewhere", Capacity: n})
		}
		got, err := scholarship.AssignReviewers(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Short) != 0 {
			t.Fatalf("trial %d: %d applications short with room for all", trial, len(got.Short))
		}
		lo, hi := n, 0
		for _, l := range got.Loads {
			lo, hi = min(lo, l.Assigned), max(hi, l.Assigned)
		}
		if hi-lo > 1 {
			t.Errorf("trial %d (%d applications, %d reviewers, k=%d): loads from %d to %d; want within 1", trial, n, R, req.Settings.PerApplication, lo, hi)
		}
	}
}

// TestAssignReviewersShortReasons: each binding constraint gives its
// code, with its numbers.
func TestAssignReviewersShortReasons(t *testing.T) {
	es, same := app("spanish"), app("same-org")
	busy := app("busy")
	busy.Applicant.Employer = &bsk.Organization{ID: "org-9", Name: "Other", Kind: bsk.OrgEarlyIntervent, Place: "kent", ServesYoungChildren: true}
	req := scholarship.ReviewRequest{
		Settings:     scholarship.ReviewSettings{PerApplication: 2},
		Applications: []scholarship.Application{es, same, busy},
		Written:      map[string]bsk.Language{"spanish": bsk.Spanish},
		Reviewers: []scholarship.Reviewer{
			{ID: "r1", OrganizationID: "org-1", Capacity: 1, Languages: []bsk.Language{bsk.Spanish}},
			{ID: "r2", OrganizationID: "org-1", Capacity: 1},
			{ID: "r3", OrganizationID: "org-2", Capacity: 1},
		},
	}
	// "spanish" and "same-org" work at org-1 (kcAgency): r1 and r2 are
	// conflicted; only r3 is free for them, and r3 has room for one.
	got, err := scholarship.AssignReviewers(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, s := range got.Short {
		codes[s.ApplicationID] = s.Reason.Code + " available=" + s.Reason.Params["available"]
	}
	want := map[string]string{
		"spanish":  scholarship.CodeReviewNoLanguage + " available=1",
		"same-org": scholarship.CodeReviewConflicted + " available=1",
	}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("short reasons (-want +got):\n%s", diff)
	}
	// Two applications from elsewhere need four reviews from two
	// reviewers with room for one each: capacity binds.
	busy2 := busy
	busy2.ID = "busy-2"
	req.Applications = []scholarship.Application{busy, busy2}
	req.Reviewers = req.Reviewers[1:]
	req.Written = nil
	got2, err := scholarship.AssignReviewers(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var gotShort []string
	for _, s := range got2.Short {
		gotShort = append(gotShort, fmt.Sprintf("%s %s assigned=%d available=%s", s.ApplicationID, s.Reason.Code, s.Assigned, s.Reason.Params["available"]))
	}
	wantShort := []string{"busy review_capacity assigned=1 available=2", "busy-2 review_capacity assigned=1 available=2"}
	if diff := cmp.Diff(wantShort, gotShort); diff != "" {
		t.Errorf("capacity shortfall (-want +got):\n%s", diff)
	}
	// A reviewer who applied is a conflict, not a want of language: the
	// only Spanish reader applied.
	req.Applications = []scholarship.Application{es, app("r1-applies")}
	req.Applications[1].Applicant.ProviderID = "r1"
	req.Written = map[string]bsk.Language{"spanish": bsk.Spanish}
	req.Reviewers = []scholarship.Reviewer{{ID: "r1", OrganizationID: "org-3", Capacity: 1, Languages: []bsk.Language{bsk.Spanish}}, {ID: "r2", OrganizationID: "org-3", Capacity: 1, Languages: []bsk.Language{bsk.Spanish}}}
	got3, err := scholarship.AssignReviewers(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got3.Short) == 0 || got3.Short[0].ApplicationID != "spanish" || got3.Short[0].Reason.Code != scholarship.CodeReviewConflicted {
		t.Errorf("short = %+v; want spanish short for a conflict (r1 applied)", got3.Short)
	}
	for _, s := range append(got.Short, got2.Short...) {
		for _, l := range []scholarship.Lang{scholarship.EnglishText, scholarship.SpanishText} {
			if !scholarship.HasText(s.Reason.Code, l) {
				t.Errorf("%s has no %s text", s.Reason.Code, l)
			}
		}
	}
}

func TestAssignReviewersSupervisionDepth(t *testing.T) {
	// p0 <- p1 <- p2 <- p3 (p3 reports to p2, ...). The applicant is p3;
	// reviewers p0, p1 and p2 work elsewhere.
	a := app("a1")
	a.Applicant.ProviderID = "p3"
	req := scholarship.ReviewRequest{
		Applications: []scholarship.Application{a},
		Reviewers:    []scholarship.Reviewer{{ID: "p0", Capacity: 1}, {ID: "p1", Capacity: 1}, {ID: "p2", Capacity: 1}},
		Providers:    []bsk.Provider{{ID: "p1", ReportsTo: "p0"}, {ID: "p2", ReportsTo: "p1"}, {ID: "p3", ReportsTo: "p2"}},
	}
	for depth, want := range map[int][]bool{1: {false, false, true}, 2: {false, true, true}, 3: {true, true, true}} {
		req.Settings.SupervisionDepth = depth
		for i, r := range req.Reviewers {
			kind, got := req.Conflict(a, r.ID)
			if got != want[i] || (got && kind != scholarship.ConflictSupervision) {
				t.Errorf("depth %d: Conflict(a1, %s) = %q, %v; want supervision %v", depth, r.ID, kind, got, want[i])
			}
		}
	}
	// Down the line too: the applicant supervises the reviewer.
	req.Reviewers = []scholarship.Reviewer{{ID: "p4", Capacity: 1}}
	req.Providers = append(req.Providers, bsk.Provider{ID: "p4", ReportsTo: "p3"})
	req.Settings.SupervisionDepth = 1
	if kind, ok := req.Conflict(a, "p4"); !ok || kind != scholarship.ConflictSupervision {
		t.Errorf("Conflict(a1, p4 who reports to the applicant) = %q, %v; want supervision", kind, ok)
	}
}

func TestAssignReviewersDeterministic(t *testing.T) {
	w := randomReviewWorld(rand.New(rand.NewPCG(19, 4)), 300, 25, 6)
	a, err := scholarship.AssignReviewers(context.Background(), w.req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := scholarship.AssignReviewers(context.Background(), w.req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
}

func TestAssignReviewersInvalid(t *testing.T) {
	req := scholarship.ReviewRequest{
		Settings:     scholarship.ReviewSettings{PerApplication: 11, Blind: scholarship.BlindPolicy{Hide: map[string][]scholarship.BlindField{"agency": {"shoe_size"}}}},
		Applications: []scholarship.Application{app("a1"), app("a1")},
		Written:      map[string]bsk.Language{"a9": bsk.Spanish},
		Reviewers:    []scholarship.Reviewer{{ID: "r1", Capacity: 0}, {ID: "r1", Capacity: 1, Languages: []bsk.Language{"xx"}}},
	}
	_, err := scholarship.AssignReviewers(context.Background(), req)
	var es bsk.Errors
	if !errors.As(err, &es) {
		t.Fatalf("AssignReviewers = %v; want bsk.Errors", err)
	}
	var fields []string
	for _, e := range es {
		fields = append(fields, e.Field)
	}
	want := []string{"settings.per_application", "settings.blind.hide.agency[0]", "applications[1].id", "written.a9", "reviewers[0].capacity", "reviewers[1].id", "reviewers[1].languages[0]"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("problem fields (-want +got):\n%s", diff)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := randomReviewWorld(rand.New(rand.NewPCG(1, 1)), 10, 3, 2)
	if _, err := scholarship.AssignReviewers(ctx, w.req); !errors.Is(err, context.Canceled) {
		t.Errorf("AssignReviewers(canceled) = %v; want context.Canceled", err)
	}
}

func TestBlindView(t *testing.T) {
	a := app("a1")
	a.Applicant.ProviderID = "prov-1"
	a.Applicant.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceBlack}}
	p := scholarship.BlindPolicy{Hide: map[string][]scholarship.BlindField{"agency": {scholarship.BlindName, scholarship.BlindDemographics, scholarship.BlindEmployer}}}
	v := p.BlindView(a, "rev-1", "agency")
	if v.Application.ID != "a1" {
		t.Errorf("view's application ID = %q; want a1 (scores attach to it)", v.Application.ID)
	}
	ap := v.Application.Applicant
	if ap.Name != "" || ap.PersonID != "" || ap.ProviderID != "" || ap.Employer != nil || ap.MonthsEmployed != 0 || len(ap.Demographics.Race) != 0 {
		t.Errorf("view's applicant = %+v; want name, IDs, employer and demographics hidden", ap)
	}
	if a.Applicant.Name == "" || a.Applicant.Employer == nil || len(a.Applicant.Demographics.Race) == 0 {
		t.Errorf("BlindView changed the application it was given: %+v", a.Applicant)
	}
	want := []string{"applicant.demographics", "applicant.employer", "applicant.hired", "applicant.months_employed", "applicant.name", "applicant.person_id", "applicant.provider_id"}
	if diff := cmp.Diff(want, v.Hidden); diff != "" {
		t.Errorf("hidden (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(scholarship.BlindAudit{ApplicationID: "a1", Reviewer: "rev-1", Role: "agency", Hidden: want}, v.Audit); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	// A role the policy does not name sees everything.
	open := p.BlindView(a, "rev-2", "coordinator")
	if len(open.Hidden) != 0 || open.Application.Applicant.Name != a.Applicant.Name {
		t.Errorf("coordinator view hides %v; want nothing hidden", open.Hidden)
	}
	if got := open.Audit.String(); got != "application a1 shown to reviewer rev-2 as coordinator, hidden: none" {
		t.Errorf("audit line = %q", got)
	}
}

// BenchmarkAssignReviewers: 100,000 applications, 500 reviewers, two
// reviewers each; applicants and reviewers in 300 organizations, a tenth
// written in Spanish (read by a tenth of the reviewers plus some), one in
// a hundred with a declared conflict.
func BenchmarkAssignReviewers(b *testing.B) {
	req := benchReviewRequest(100_000, 500, 300)
	b.ResetTimer()
	for b.Loop() {
		got, err := scholarship.AssignReviewers(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Short) != 0 {
			b.Fatalf("%d applications short", len(got.Short))
		}
	}
}

func benchReviewRequest(n, R, orgs int) scholarship.ReviewRequest {
	r := rand.New(rand.NewPCG(100, 500))
	req := scholarship.ReviewRequest{Written: map[string]bsk.Language{}}
	orgOf := func(i int) bsk.OrganizationID { return bsk.OrganizationID(fmt.Sprintf("org-%d", i)) }
	employers := make([]*bsk.Organization, orgs)
	for i := range employers {
		employers[i] = &bsk.Organization{ID: orgOf(i), Name: "Agency", Kind: bsk.OrgEarlyIntervent, Place: "kent", ServesYoungChildren: true}
	}
	for i := range R {
		rv := scholarship.Reviewer{ID: bsk.ProviderID(fmt.Sprintf("rev-%d", i)), OrganizationID: orgOf(r.IntN(orgs)), Capacity: 2*n*2/R + 20}
		if i%10 == 0 || r.IntN(20) == 0 {
			rv.Languages = []bsk.Language{bsk.Spanish}
		}
		req.Reviewers = append(req.Reviewers, rv)
		// Each reviewer supervises someone in their own organization.
		req.Providers = append(req.Providers, bsk.Provider{ID: rv.ID, OrganizationID: rv.OrganizationID})
	}
	for i := range n {
		a := app(fmt.Sprintf("a%06d", i))
		a.Applicant.PersonID = fmt.Sprintf("person-%06d", i)
		a.Applicant.ProviderID = bsk.ProviderID(fmt.Sprintf("prov-%06d", i))
		a.Applicant.Employer = employers[r.IntN(orgs)]
		if r.IntN(10) == 0 {
			req.Written[a.ID] = bsk.Spanish
		}
		req.Applications = append(req.Applications, a)
	}
	for i := range R {
		if r.IntN(100) < 20 {
			req.Reviewers[i].ConflictPeople = []string{fmt.Sprintf("person-%06d", r.IntN(n))}
		}
	}
	return req
}

// TestAssignReviewersSpreadWithinLanguage: when only some reviewers read
// the applications' language, the load is spread evenly among them.
func TestAssignReviewersSpreadWithinLanguage(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 8))
	for trial := range 40 {
		// At most 120 reviews: every load stays within the exactly balanced
		// window above the even share.
		n, R := 1+r.IntN(60), 2+r.IntN(12)
		req := scholarship.ReviewRequest{Settings: scholarship.ReviewSettings{PerApplication: 1 + r.IntN(2)}, Written: map[string]bsk.Language{}}
		for i := range n {
			a := app(fmt.Sprintf("a%03d", i))
			req.Applications = append(req.Applications, a)
			req.Written[a.ID] = bsk.Somali
		}
		readers := 0
		for i := range R {
			rv := scholarship.Reviewer{ID: bsk.ProviderID(fmt.Sprintf("rev-%d", i)), OrganizationID: "elsewhere", Capacity: n}
			if i%2 == 0 {
				rv.Languages = []bsk.Language{bsk.Somali}
				readers++
			}
			req.Reviewers = append(req.Reviewers, rv)
		}
		if readers < req.Settings.PerApplication {
			continue
		}
		got, err := scholarship.AssignReviewers(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := n, 0
		for i, l := range got.Loads {
			if i%2 == 1 {
				if l.Assigned != 0 {
					t.Errorf("trial %d: %s, who does not read Somali, has %d", trial, l.Reviewer, l.Assigned)
				}
				continue
			}
			lo, hi = min(lo, l.Assigned), max(hi, l.Assigned)
		}
		if hi-lo > 1 || len(got.Short) != 0 {
			t.Errorf("trial %d: Somali readers' loads from %d to %d, %d short; want within 1, none short", trial, lo, hi, len(got.Short))
		}
	}
}
