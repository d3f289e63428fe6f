package bsk_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
)

func validProvider() bsk.Provider {
	return bsk.Provider{
		ID:              "p1",
		OrganizationID:  "o1",
		Name:            "Amina Yusuf",
		Role:            bsk.RoleDirectService,
		Disciplines:     []bsk.Discipline{bsk.DisciplineHomeVisitor},
		ServiceLevels:   []bsk.ServiceLevel{bsk.ServicePromotion, bsk.ServicePrevention},
		Languages:       []bsk.Language{bsk.English, bsk.Somali},
		Demographics:    bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceBlack}, Gender: bsk.GenderWoman, AgeBand: bsk.Age25To34, Place: "kent"},
		Education:       bsk.EducationAssociate,
		YearsExperience: 3,
		Endorsement:     bsk.EndorsementNone,
		HoursPerWeek:    32,
		Started:         time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		Availability:    []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 12 * 60}},
	}
}

func validOrganization() bsk.Organization {
	return bsk.Organization{
		ID: "o1", Name: "South King Family Services", Kind: bsk.OrgHomeVisiting, Grantee: true,
		BIPOCLed: true, Place: "kent", Languages: []bsk.Language{bsk.English, bsk.Somali},
		Strategies: []bsk.Strategy{bsk.StrategyIECMH}, ServesYoungChildren: true,
	}
}

// fields returns the field paths of every problem in err.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var list bsk.Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %v is %T; want bsk.Errors", err, err)
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Field
	}
	return out
}

func TestProviderValidate(t *testing.T) {
	if err := validProvider().Validate(); err != nil {
		t.Fatalf("valid provider: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(*bsk.Provider)
		want   []string
	}{
		{"missing id", func(p *bsk.Provider) { p.ID = "" }, []string{"id"}},
		{"unknown language", func(p *bsk.Provider) { p.Languages = []bsk.Language{"en", "xx"} }, []string{"languages[1]"}},
		{"duplicate language", func(p *bsk.Provider) { p.Languages = []bsk.Language{"en", "en"} }, []string{"languages[1]"}},
		{"no language", func(p *bsk.Provider) { p.Languages = nil }, []string{"languages"}},
		{"negative years", func(p *bsk.Provider) { p.YearsExperience = -1 }, []string{"years_experience"}},
		{"NaN years", func(p *bsk.Provider) { p.YearsExperience = math.NaN() }, []string{"years_experience"}},
		{"hours over a week", func(p *bsk.Provider) { p.HoursPerWeek = 200 }, []string{"hours_per_week"}},
		{"unknown role", func(p *bsk.Provider) { p.Role = "boss" }, []string{"role"}},
		{"self supervisor", func(p *bsk.Provider) { p.ReportsTo = p.ID }, []string{"reports_to"}},
		{"availability outside the week", func(p *bsk.Provider) {
			p.Availability = []bsk.Slot{{Day: "funday", Start: 600, End: 500}, {Day: bsk.Monday, Start: -5, End: 2000}}
		}, []string{"availability[0].day", "availability[0].end", "availability[1].start", "availability[1].end"}},
		{"declined with a race", func(p *bsk.Provider) {
			p.Demographics.Race = []bsk.RaceEthnicity{bsk.RaceAsian, bsk.RaceDeclined}
		}, []string{"demographics.race[1]"}},
		{"every problem at once", func(p *bsk.Provider) {
			p.ID, p.Name, p.Role, p.Education = "", "", "", "phd"
		}, []string{"id", "name", "role", "education"}},
		{"control character in id", func(p *bsk.Provider) { p.ID = "p\x001" }, []string{"id"}},
		{"invalid utf-8 name", func(p *bsk.Provider) { p.Name = "\xff" }, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProvider()
			tt.mutate(&p)
			err := p.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil; want problems at %v", tt.want)
			}
			if !errors.Is(err, bsk.ErrInvalid) {
				t.Errorf("Validate() error is not ErrInvalid: %v", err)
			}
			if got := fields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("Validate() fields = %q; want %q\n%v", got, tt.want, err)
			}
		})
	}
}

func TestOrganizationValidate(t *testing.T) {
	if err := validOrganization().Validate(); err != nil {
		t.Fatalf("valid organization: %v", err)
	}
	o := validOrganization()
	o.Kind, o.Place, o.Strategies = "bank", "atlantis", []bsk.Strategy{"iecmh", "nope"}
	got := fields(t, o.Validate())
	if want := []string{"kind", "place", "strategies[1]"}; !slices.Equal(got, want) {
		t.Errorf("fields = %q; want %q", got, want)
	}
}

func TestWorkforceValidateReferences(t *testing.T) {
	p1 := validProvider()
	p2 := validProvider()
	p2.ID, p2.ReportsTo = "p2", "nobody"
	p3 := validProvider()
	p3.ID = "p1" // duplicate
	p3.Languages = []bsk.Language{"xx"}
	w := bsk.Workforce{
		Organizations: []bsk.Organization{validOrganization()},
		Providers:     []bsk.Provider{p1, p2, p3},
		Offerings: []bsk.Offering{{
			ID: "rc1", Kind: bsk.OfferingReflectiveConsultation, Title: "RC group", Strategy: bsk.StrategyIECMH,
			Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual,
			SessionMinutes: 90, Leaders: []bsk.ProviderID{"ghost"},
		}},
		Sessions:   []bsk.Session{{ID: "s1", OfferingID: "rc1", Starts: time.Date(2026, 1, 6, 17, 0, 0, 0, time.UTC), Minutes: 90}},
		Attendance: []bsk.Attendance{{SessionID: "s1", ProviderID: "p1", Hours: 1.5, Credit: bsk.CreditReflective}, {SessionID: "s2", ProviderID: "p1", Hours: -2, Credit: bsk.CreditReflective}},
	}
	err := w.Validate()
	got := fields(t, err)
	want := []string{
		"providers[2].languages[0]",
		"providers[2].id",
		"providers[1].reports_to",
		"offerings[0].leaders[0]",
		"attendance[1].hours",
		"attendance[1].session_id",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fields = %q\nwant %q\n%v", got, want, err)
	}
	if !errors.Is(err, bsk.ErrConflict) || !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("want conflict and not_found codes in %v", err)
	}
	if !strings.Contains(err.Error(), `providers[2].languages[0]: unknown language code "xx"`) {
		t.Errorf("message lacks the field path form:\n%v", err)
	}
}

func TestWorkforceReportingCycle(t *testing.T) {
	a, b := validProvider(), validProvider()
	a.ID, a.ReportsTo = "a", "b"
	b.ID, b.ReportsTo = "b", "a"
	w := bsk.Workforce{Organizations: []bsk.Organization{validOrganization()}, Providers: []bsk.Provider{a, b}}
	if got := fields(t, w.Validate()); !slices.Equal(got, []string{"providers[0].reports_to", "providers[1].reports_to"}) {
		t.Errorf("fields = %q", got)
	}
}

func TestEnumsRoundTripJSON(t *testing.T) {
	p := validProvider()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back bsk.Provider
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Errorf("round trip changed the document:\n%s\n%s", b, b2)
	}
	if !strings.Contains(string(b), `"languages":["en","so"]`) || !strings.Contains(string(b), `"role":"direct_service"`) {
		t.Errorf("codes not stable lowercase strings: %s", b)
	}
}

// enumer is implemented by every enumeration type.
type enumer interface{ Enum() []string }

func TestEnumCodesAreStableLowercaseAndValid(t *testing.T) {
	all := map[string]enumer{
		"strategy": bsk.Strategy(""), "service_level": bsk.ServiceLevel(""), "role": bsk.Role(""),
		"discipline": bsk.Discipline(""), "education": bsk.Education(""), "endorsement": bsk.Endorsement(""),
		"organization_kind": bsk.OrganizationKind(""), "language": bsk.Language(""), "region": bsk.Region(""),
		"place": bsk.Place(""), "race": bsk.RaceEthnicity(""), "gender": bsk.Gender(""), "age_band": bsk.AgeBand(""),
		"income": bsk.IncomeBand(""), "day": bsk.Day(""), "offering_kind": bsk.OfferingKind(""),
		"cadence": bsk.Cadence(""), "modality": bsk.Modality(""), "credit": bsk.Credit(""),
	}
	for name, e := range all {
		codes := e.Enum()
		if len(codes) == 0 {
			t.Errorf("%s: no codes", name)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if c != strings.ToLower(c) || strings.ContainsAny(c, " -") || c == "" {
				t.Errorf("%s: code %q is not a lowercase snake_case code", name, c)
			}
			if seen[c] {
				t.Errorf("%s: duplicate code %q", name, c)
			}
			seen[c] = true
		}
	}
	if !bsk.ASL.Valid() || bsk.ASL.Name() != "American Sign Language" {
		t.Errorf("ASL is not a known language")
	}
	if bsk.Place("vashon").Region() != bsk.RegionSouth || !bsk.Place("vashon").Rural() || bsk.Place("seattle").Rural() {
		t.Errorf("place regions/rural flags wrong")
	}
	if !bsk.EducationMaster.AtLeast(bsk.EducationBachelor) || bsk.EducationCDA.AtLeast(bsk.EducationAssociate) {
		t.Errorf("education ordering wrong")
	}
}

func TestSlotOverlapAndFree(t *testing.T) {
	a := bsk.Slot{Day: bsk.Tuesday, Start: 540, End: 720}
	b := bsk.Slot{Day: bsk.Tuesday, Start: 660, End: 780}
	if got := a.Overlap(b); got != 60 {
		t.Errorf("Overlap = %d; want 60", got)
	}
	if got := a.Overlap(bsk.Slot{Day: bsk.Monday, Start: 540, End: 720}); got != 0 {
		t.Errorf("Overlap across days = %d; want 0", got)
	}
	if !bsk.Free([]bsk.Slot{a}, bsk.Slot{Day: bsk.Tuesday, Start: 600, End: 690}) {
		t.Errorf("Free = false for a contained window")
	}
	if bsk.Free([]bsk.Slot{a}, b) {
		t.Errorf("Free = true for a window that runs past availability")
	}
	if got := a.String(); got != "tue 09:00-12:00" {
		t.Errorf("String = %q", got)
	}
}

func TestHours(t *testing.T) {
	recs := []bsk.Attendance{
		{SessionID: "a", ProviderID: "p1", Hours: 4, Credit: bsk.CreditTraining},
		{SessionID: "b", ProviderID: "p1", Hours: 1.5, Credit: bsk.CreditReflective},
		{SessionID: "c", ProviderID: "p1", Hours: 1.5, Credit: bsk.CreditReflective},
		{SessionID: "c", ProviderID: "p2", Hours: 9, Credit: bsk.CreditReflective},
	}
	got := bsk.Hours(recs, "p1")
	if got[bsk.CreditTraining] != 4 || got[bsk.CreditReflective] != 3 {
		t.Errorf("Hours = %v", got)
	}
	if bsk.OfferingReflectiveConsultation.Credit() != bsk.CreditReflective || bsk.OfferingTraining.Credit() != bsk.CreditTraining {
		t.Errorf("offering credits wrong")
	}
}
