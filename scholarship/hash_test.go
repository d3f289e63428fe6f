package scholarship_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// jsonHash is InputsHash computed apart from the library: HMAC-SHA256
// under key of the context line and json.Marshal's encoding (nothing
// after the context line when json refuses the application).
func jsonHash(key []byte, a scholarship.Application) string {
	b, err := json.Marshal(a)
	if err != nil {
		b = nil
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("github.com/beststarts/workforce/scholarship inputs v1\n"))
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// Strings and numbers that json encodes with care: HTML characters,
// escapes, control bytes, invalid UTF-8, line and paragraph separators,
// floats at the edges of its two formats.
var (
	awkwardStrings = []string{"", "plain", `quote " and \ back`, "<b>&amp;</b>", "tab\tnew\nline\r\f\b", "\x00\x01\x1f\x7f",
		"bad \xff\xfe utf-8", "\u2028\u2029", "Nguyễn Thị", "日本語", "emoji \U0001F600", "\xed\xa0\x80 surrogate", "a\u00e9\u0301"}
	awkwardFloats = []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789012345678901234.0,
		1.0 / 3, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-10, 79.999999}
)

// awkwardApp fills every field of an application from r, awkward values
// included.
func awkwardApp(r *rand.Rand) scholarship.Application {
	str := func() string { return awkwardStrings[r.IntN(len(awkwardStrings))] }
	flt := func() float64 { return awkwardFloats[r.IntN(len(awkwardFloats))] }
	maybe := func() bool { return r.IntN(2) == 0 }
	a := scholarship.Application{ID: str(), ProgramID: str(), CycleID: str(), PriorAwards: scholarship.Cents(r.Int64N(1e12) - 5e11),
		Applicant: scholarship.Applicant{PersonID: str(), ProviderID: bsk.ProviderID(str()), Name: str(), Hired: maybe(),
			MonthsEmployed: r.IntN(50) - 10, HoursPerWeek: flt(), Education: bsk.Education(str()), YearsExperience: flt(),
			Endorsement: bsk.Endorsement(str()), ReflectiveHours: flt(), TrainingHours: flt(), Place: bsk.Place(str())},
		Answers: scholarship.Answers{LivedExperience: maybe(), FirstGeneration: maybe(), FinancialNeed: r.IntN(6) - 1,
			EmployerConfirmed: maybe(), ServesRural: maybe(), EnrolledProgram: str()},
	}
	if maybe() {
		a.Applicant.Employer = &bsk.Organization{ID: bsk.OrganizationID(str()), Name: str(), Kind: bsk.OrganizationKind(str()),
			Grantee: maybe(), BIPOCLed: maybe(), CommunityDesigned: maybe(), Place: bsk.Place(str()), ServesYoungChildren: maybe()}
		for range r.IntN(3) {
			a.Applicant.Employer.Languages = append(a.Applicant.Employer.Languages, bsk.Language(str()))
			a.Applicant.Employer.Strategies = append(a.Applicant.Employer.Strategies, bsk.Strategy(str()))
		}
	}
	for range r.IntN(3) {
		a.Applicant.Languages = append(a.Applicant.Languages, bsk.Language(str()))
		a.Applicant.Demographics.Race = append(a.Applicant.Demographics.Race, bsk.RaceEthnicity(str()))
		a.Answers.CommunitiesServed = append(a.Answers.CommunitiesServed, str())
		a.Documents = append(a.Documents, str())
	}
	if maybe() {
		a.Documents = []string{} // empty, not nil: omitted all the same
	}
	d := &a.Applicant.Demographics
	d.Gender, d.AgeBand, d.Place, d.Income = bsk.Gender(str()), bsk.AgeBand(str()), bsk.Place(str()), bsk.IncomeBand(str())
	switch r.IntN(3) {
	case 0: // nil: "requested":null
	case 1:
		a.Requested = map[scholarship.Category]scholarship.Cents{}
	default:
		a.Requested = map[scholarship.Category]scholarship.Cents{}
		for range r.IntN(10) {
			a.Requested[scholarship.Category(str())] = scholarship.Cents(r.Int64N(2e9) - 1e9)
		}
	}
	if maybe() {
		a.Hours = map[scholarship.Category]scholarship.Hours{}
		for range r.IntN(4) {
			a.Hours[scholarship.Category(str())] = scholarship.Hours{PerWeek: flt(), Weeks: r.IntN(200) - 50}
		}
	}
	zones := []*time.Location{time.UTC, time.FixedZone("PST", -8*3600), time.FixedZone("odd", 5*3600+1800+17)}
	if maybe() {
		a.Submitted = time.Unix(r.Int64N(4e9), r.Int64N(2e9)).In(zones[r.IntN(len(zones))])
	}
	return a
}

// InputsHash is the HMAC of json.Marshal's encoding for applications with
// every field set to awkward values, and for those json refuses (NaN, an
// infinity, a year past 9999, a zone offset of a day): the hash of no
// bytes, as json.Marshal's failure always gave.
func TestInputsHashMatchesJSONForAwkwardApplications(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 22))
	for i := range 3000 {
		a := awkwardApp(r)
		if got, want := scholarship.InputsHash(testKey, a), jsonHash(testKey, a); got != want {
			b, _ := json.Marshal(a)
			t.Fatalf("application %d: InputsHash = %s; want %s (the HMAC of %s)", i, got, want, b)
		}
	}
	refused := []func(*scholarship.Application){
		func(a *scholarship.Application) { a.Applicant.HoursPerWeek = math.NaN() },
		func(a *scholarship.Application) { a.Applicant.YearsExperience = math.Inf(1) },
		func(a *scholarship.Application) {
			a.Hours = map[scholarship.Category]scholarship.Hours{scholarship.ReleaseTime: {PerWeek: math.Inf(-1)}}
		},
		func(a *scholarship.Application) { a.Submitted = time.Date(10_000, 1, 1, 0, 0, 0, 0, time.UTC) },
		func(a *scholarship.Application) { a.Submitted = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) },
		func(a *scholarship.Application) { a.Submitted = day.In(time.FixedZone("far", 24*3600)) },
	}
	for i, spoil := range refused {
		a := app("refused")
		spoil(&a)
		if _, err := json.Marshal(a); err == nil {
			t.Fatalf("case %d: json.Marshal accepted the application", i)
		}
		if got, want := scholarship.InputsHash(testKey, a), jsonHash(testKey, a); got != want {
			t.Errorf("case %d: InputsHash = %s; want %s", i, got, want)
		}
	}
}

func FuzzInputsHash(f *testing.F) {
	f.Add("a1", "Ana <Ruiz>", "tuition", int64(900000), 32.5, 3.0, "2026-09-01T08:00:00Z")
	f.Add("\xff", "\u2028", "", int64(-1), 1e-7, 1e21, "9999-12-31T23:59:59.999999999-08:00")
	f.Fuzz(func(t *testing.T, id, name, cat string, cents int64, hours, years float64, submitted string) {
		a := app("x")
		a.ID, a.Applicant.Name, a.Applicant.HoursPerWeek, a.Applicant.YearsExperience = id, name, hours, years
		a.Requested = map[scholarship.Category]scholarship.Cents{scholarship.Category(cat): scholarship.Cents(cents), scholarship.Books: 1}
		a.Hours = map[scholarship.Category]scholarship.Hours{scholarship.Category(name): {PerWeek: years, Weeks: int(cents % 1000)}}
		a.Documents = []string{name, id}
		if ts, err := time.Parse(time.RFC3339Nano, submitted); err == nil {
			a.Submitted = ts
		}
		if got, want := scholarship.InputsHash(testKey, a), jsonHash(testKey, a); got != want {
			t.Errorf("InputsHash = %s; want %s", got, want)
		}
	})
}
