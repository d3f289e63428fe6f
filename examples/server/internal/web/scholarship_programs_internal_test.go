package web

import (
	"slices"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// TestScholarshipCodesHaveTexts: every code the scholarship pages turn
// into a catalog key (program kinds, application statuses, categories,
// education, endorsement levels, set-aside criteria, the built-in rules of
// every kind of program and of a cycle configured with every rule) has
// its text, so that no page shows a raw code; and the forms list every
// category.
func TestScholarshipCodesHaveTexts(t *testing.T) {
	var keys []string
	add := func(prefix string, codes []string) {
		for _, c := range codes {
			keys = append(keys, prefix+c)
		}
	}
	add("program_kind.", scholarship.ProgramKind("").Enum())
	add("category.", scholarship.Category("").Enum())
	add("education.", bsk.Education("").Enum())
	add("level.", bsk.Endorsement("").Enum())
	add("pool.", scholarship.PoolCriterion("").Enum())
	for _, st := range service.ApplicationStatuses() {
		keys = append(keys, "appstatus."+string(st))
	}
	cy := scholarship.Cycle{ID: "c", Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Level: bsk.EndorsementInfantFamilyAssociate}
	configured := cy
	configured.Eligibility = &scholarship.Eligibility{Region: scholarship.Statewide, MinMonthsEmployed: 3, MinHoursPerWeek: 10,
		MinEducation: bsk.EducationAssociate, ParticipatingKinds: []bsk.OrganizationKind{"child_care"}, EmployerConfirmation: true}
	var rules []string
	for _, k := range scholarship.ProgramKind("").Enum() {
		p := scholarship.Program{ID: "p", Kind: scholarship.ProgramKind(k)}
		for _, c := range []scholarship.Cycle{cy, configured} {
			for _, r := range scholarship.BuiltinRules(p, c) {
				if d, ok := r.(scholarship.Describer); ok {
					rules = append(rules, d.Describe().Name)
				}
			}
		}
	}
	if len(rules) < 10 {
		t.Fatalf("found %d built-in rules; the enumeration is broken", len(rules))
	}
	add("prule.", rules)
	for _, k := range keys {
		for _, l := range []Lang{English, Spanish} {
			if _, ok := catalog[l][k]; !ok {
				t.Errorf("the %s catalog lacks %q", l, k)
			}
		}
	}
	for _, c := range scholarship.Category("").Enum() {
		if !slices.Contains(categories, scholarship.Category(c)) {
			t.Errorf("the forms do not list the category %q", c)
		}
	}
}

// TestCycleRulesInPlainLanguage: a configured cycle's rules read with its
// thresholds, in the reader's language, in the library's order.
func TestCycleRulesInPlainLanguage(t *testing.T) {
	cy := scholarship.Cycle{ID: "c", Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), LifetimeCap: 20_000_00,
		RequiredDocuments: []string{"transcript"},
		Eligibility:       &scholarship.Eligibility{MinMonthsEmployed: 6, MinHoursPerWeek: 12.5, MinEducation: bsk.EducationAssociate}}
	p := scholarship.Program{ID: "p", Kind: scholarship.AgencyDefined}
	got := English.cycleRules(p, cy)
	want := []string{
		"The applicant works at, or has been hired by, a King County agency that serves children under five.",
		"Each amount asked for is paid up to the cycle's limit for it, and nobody receives more than $20,000.00 from the program in all.",
		"The application includes these documents: transcript. Without one, a person reviews it.",
		"The applicant has worked at the agency at least 6 months, at least 12.5 hours a week.",
		"The applicant has at least an associate degree.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("cycleRules =\n%q\nwant\n%q", got, want)
	}
	if es := Spanish.cycleRules(p, cy); len(es) != len(want) || es[4] != "La persona tiene al menos un título asociado." {
		t.Errorf("the Spanish rules: %q", es)
	}
}

// TestParseDollars reads amounts in dollars exactly, and refuses what is
// not one.
func TestParseDollars(t *testing.T) {
	for _, c := range []struct {
		in   string
		want scholarship.Cents
		ok   bool
	}{
		{"", 0, true}, {"9000", 9_000_00, true}, {"9,000.5", 9_000_50, true}, {"$19,000.05", 19_000_05, true}, {" 0.07 ", 7, true},
		{"12.", 0, false}, {"1.234", 0, false}, {"-5", 0, false}, {"1e3", 0, false}, {".5", 0, false}, {"lots", 0, false},
		{"1.-5", 0, false}, {"1.+5", 0, false}, {"9,500", 9_500_00, true}, {"0", 0, true},
		{"99999999999999", 0, false},
	} {
		got, ok := parseDollars(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseDollars(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzParseDollars: no input panics, and an amount read is written back
// for a form as the same amount.
func FuzzParseDollars(f *testing.F) {
	for _, s := range []string{"", "9000", "9,000.50", "$1.5", "-1", "1.2.3", "999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseDollars(s)
		if !ok {
			return
		}
		if v < 0 {
			t.Fatalf("parseDollars(%q) = %d, negative", s, v)
		}
		if back, ok := parseDollars(dollarsField(v)); !ok || back != v {
			t.Fatalf("parseDollars(dollarsField(%d)) = %d, %v", v, back, ok)
		}
		if back, ok := parseDollars(dollarsPlain(v)); !ok || back != v {
			t.Fatalf("parseDollars(dollarsPlain(%d)) = %d, %v", v, back, ok)
		}
	})
}
