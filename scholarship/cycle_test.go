package scholarship_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func runFor(apps []scholarship.Application) scholarship.Run {
	p := esit()
	c, _ := p.Cycle("2026")
	return scholarship.Run{
		Program: p, CycleID: "2026", Applications: apps,
		Rules:   scholarship.RuleSet[scholarship.Application]{Rules: scholarship.BuiltinRules(p, c)},
		Rubric:  scholarship.Rubric{Lines: scholarship.PriorityCriteria(10, nil)},
		HashKey: testKey,
	}
}

// testKey is the hash key of the tests' runs.
var testKey = []byte("0123456789abcdef0123456789abcdef")

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
		if rec.InputsHash != scholarship.InputsHash(testKey, apps[i]) || len(rec.Rules) != 6 || rec.Rank < 1 || rec.Step == "" {
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
	if scholarship.InputsHash(testKey, apps[0]) == a.Records[0].InputsHash {
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
	if _, err := scholarship.RunCycle(context.Background(), scholarship.Run{Program: esit(), CycleID: "2030", HashKey: testKey}); !errors.Is(err, bsk.ErrNotFound) {
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

func TestRunCycleNeedsAHashKey(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("short")} {
		r := runFor(randomApps(rand.New(rand.NewPCG(3, 4)), 2))
		r.HashKey = key
		_, err := scholarship.RunCycle(context.Background(), r)
		var list bsk.Errors
		if !errors.As(err, &list) || len(list) != 1 || list[0].Field != "hash_key" || !errors.Is(err, bsk.ErrInvalid) {
			t.Errorf("RunCycle with a %d-byte key = %v; want an invalid hash_key", len(key), err)
		}
	}
}

func TestInputsHashIsKeyed(t *testing.T) {
	a := randomApps(rand.New(rand.NewPCG(5, 6)), 1)[0]
	other := []byte("another key of thirty-two bytes!")
	h := scholarship.InputsHash(testKey, a)
	if len(h) != 64 || h == scholarship.InputsHash(other, a) || h != scholarship.InputsHash(testKey, a) {
		t.Errorf("InputsHash = %s; want 64 hex digits, the same for the same key, different for another", h)
	}
	if !scholarship.VerifyInputsHash(testKey, a, h) || scholarship.VerifyInputsHash(other, a, h) || scholarship.VerifyInputsHash(testKey, a, "zz") {
		t.Error("VerifyInputsHash accepts the wrong key or a malformed hash, or refuses the right one")
	}
	b := a
	b.Applicant.Demographics.Gender = bsk.GenderDeclined
	if a.Applicant.Demographics.Gender == bsk.GenderDeclined {
		b.Applicant.Demographics.Gender = bsk.GenderMan
	}
	if scholarship.VerifyInputsHash(testKey, b, h) {
		t.Error("a changed demographic verifies")
	}
}

// TestWithoutDemographics: the BIPOC line goes, the total is the sum of the
// lines left, a set-aside for BIPOC applicants is not named and awards are
// listed by rank.
func TestWithoutDemographics(t *testing.T) {
	p := esit()
	p.Cycles[1].Pools = append(p.Cycles[1].Pools, scholarship.Pool{Name: "bipoc", Amount: 20_000_00, Criterion: scholarship.PoolBIPOC})
	apps := randomApps(rand.New(rand.NewPCG(7, 8)), 40)
	for i := range apps {
		if i%3 == 0 {
			apps[i].Applicant.Demographics.Race = []bsk.RaceEthnicity{bsk.RaceBlack}
		}
	}
	r := runFor(apps)
	r.Program = p
	res, err := scholarship.RunCycle(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	var sawBIPOCPool bool
	for _, rec := range res.Records {
		if rec.Award != nil && rec.Award.Pool == "bipoc" {
			sawBIPOCPool = true
		}
		got := rec.WithoutDemographics()
		var sum float64
		for _, l := range got.Score.Lines {
			if l.Criterion == "bipoc" || l.Demographic {
				t.Errorf("%s: the BIPOC line is still there", rec.ApplicationID)
			}
			sum += l.Points
		}
		if got.Score.Total != sum || !got.Score.Withheld || len(got.Score.Lines) != len(rec.Score.Lines)-1 {
			t.Errorf("%s: total %v, lines %d, withheld %v; want the sum %v of %d lines, withheld", rec.ApplicationID, got.Score.Total, len(got.Score.Lines), got.Score.Withheld, sum, len(rec.Score.Lines)-1)
		}
		if got.Award != nil && got.Award.Pool != scholarship.WithheldPool {
			t.Errorf("%s: award pool %q shown", rec.ApplicationID, got.Award.Pool)
		}
		if rec.Award != nil && rec.Award.Pool == scholarship.WithheldPool {
			t.Error("WithoutDemographics changed the original record")
		}
	}
	if !sawBIPOCPool {
		t.Fatal("no award from the BIPOC set-aside: the test proves nothing")
	}
	c, _ := p.Cycle("2026")
	al := res.Allocation.WithoutDemographics(c)
	for i, aw := range al.Awards {
		if aw.Pool != scholarship.WithheldPool || (i > 0 && al.Awards[i-1].Rank > aw.Rank) {
			t.Errorf("award %d = %+v; want pools withheld, in rank order", i, aw)
		}
	}
	// Without a demographic set-aside, the allocation is shown as it is.
	if got := res.Allocation.WithoutDemographics(esit().Cycles[1]); got.Awards[0].Pool != res.Allocation.Awards[0].Pool {
		t.Error("an allocation without a demographic set-aside was changed")
	}
}

func TestRunCycleSkipAndReport(t *testing.T) {
	good, later := app("good"), app("later")
	neg := app("neg")
	neg.Requested[scholarship.Tuition] = -5
	dup := app("dup")
	dup.Applicant.PersonID = good.Applicant.PersonID
	sameID := app("good")
	sameID.Applicant.PersonID = "person-other"
	other := app("other")
	other.CycleID = "1999"
	// A person whose first application was invalid is taken in with a
	// corrected one.
	fixed := app("neg-fixed")
	fixed.Applicant.PersonID = neg.Applicant.PersonID
	apps := []scholarship.Application{good, neg, dup, sameID, other, later, fixed}
	r := runFor(apps)
	r.Program.Intake = scholarship.SkipAndReport
	res, err := scholarship.RunCycle(context.Background(), r)
	if err != nil {
		t.Fatalf("RunCycle: %v", err)
	}
	type aside struct {
		Index  int
		ID     string
		Fields []string
		Codes  []bsk.Code
	}
	var got []aside
	for _, s := range res.SetAside {
		a := aside{Index: s.Index, ID: s.ApplicationID}
		for _, e := range s.Problems {
			a.Fields, a.Codes = append(a.Fields, e.Field), append(a.Codes, e.Code)
		}
		got = append(got, a)
	}
	want := []aside{
		{1, "neg", []string{"requested.tuition"}, []bsk.Code{bsk.CodeInvalid}},
		{2, "dup", []string{"applicant.person_id"}, []bsk.Code{bsk.CodeConflict}},
		{3, "good", []string{"id"}, []bsk.Code{bsk.CodeConflict}},
		{4, "other", []string{"cycle_id"}, []bsk.Code{bsk.CodeNotFound}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("set aside (-want +got):\n%s", diff)
	}
	var decided []string
	for _, rec := range res.Records {
		decided = append(decided, rec.ApplicationID)
	}
	if diff := cmp.Diff([]string{"good", "later", "neg-fixed"}, decided); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if len(res.Verdicts) != 3 || len(res.Scores) != 3 || len(res.Ranking) != 3 || res.Equity.Total.Applicants != 3 {
		t.Errorf("verdicts %d, scores %d, ranking %d, equity applicants %d; want 3 each", len(res.Verdicts), len(res.Scores), len(res.Ranking), res.Equity.Total.Applicants)
	}

	// The same batch with the default policy is refused whole.
	r.Program.Intake = ""
	if _, err := scholarship.RunCycle(context.Background(), r); !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("RunCycle with all or nothing = %v; want an invalid-input error", err)
	}
	r.Program.Intake = "some"
	if _, err := scholarship.RunCycle(context.Background(), r); err == nil {
		t.Error("RunCycle accepted an unknown intake policy")
	}
}

// The records' hashes are HMAC-SHA256 under the key of the context line
// and the application's json.Marshal encoding, computed here apart from
// the library, for every application of a run (the run reuses one HMAC).
func TestInputsHashIsHMACOfTheEncoding(t *testing.T) {
	apps := randomApps(rand.New(rand.NewPCG(8, 8)), 30)
	res, err := scholarship.RunCycle(context.Background(), runFor(apps))
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range apps {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		m := hmac.New(sha256.New, testKey)
		m.Write([]byte("github.com/beststarts/workforce/scholarship inputs v1\n"))
		m.Write(b)
		if want := hex.EncodeToString(m.Sum(nil)); res.Records[i].InputsHash != want || scholarship.InputsHash(testKey, a) != want {
			t.Errorf("%s: record hash %s, InputsHash %s; want %s", a.ID, res.Records[i].InputsHash, scholarship.InputsHash(testKey, a), want)
		}
	}
}
