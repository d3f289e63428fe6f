package scholarship

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// sourceCodes scans the package's sources for the reason codes it gives:
// the Code constants and the codes written into reasons.
func sourceCodes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := regexp.MustCompile(`(?m)^\s*(?:const\s+)?Code[A-Z]\w*\s*=\s*"([a-z_]+)"`)
	literal := regexp.MustCompile(`Reason\{\{?Code:\s*"([a-z_]*[a-z])"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{consts, literal} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				if !slices.Contains(out, m[1]) {
					out = append(out, m[1])
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestSourceCodesHaveTexts(t *testing.T) {
	codes := sourceCodes(t)
	// The scan itself must see the codes it is meant to see.
	for _, c := range []string{CodeCategoryNotCovered, CodeReviewCapacity, CodeDeclined, "unknown_level", CodeExamRequired} {
		if !slices.Contains(codes, c) {
			t.Fatalf("the source scan missed %q (found %v)", c, codes)
		}
	}
	for _, c := range append(codes, "awarded", "waitlisted", "nothing_to_award", string(Eligible)) {
		if !slices.Contains(ReasonCodes(), c) {
			t.Errorf("code %q has no text in texts/en.json", c)
		}
	}
}

func TestCatalogs(t *testing.T) {
	en, es := catalogs()[EnglishText], catalogs()[SpanishText]
	for code, tmpl := range en.Reasons {
		want := placeholders(tmpl)
		slices.Sort(want)
		got := placeholders(es.Reasons[code])
		slices.Sort(got)
		if es.Reasons[code] == "" || !slices.Equal(got, want) {
			t.Errorf("es %q = %q: params %v; want the English text's %v", code, es.Reasons[code], got, want)
		}
	}
	for _, l := range Languages() {
		c := catalogs()[l]
		if c.Name == "" || c.Note == "" {
			t.Errorf("texts/%s.json has no name or note", l)
		}
		if l != EnglishText && l != SpanishText && !strings.Contains(c.Note, "qualified translator") {
			t.Errorf("texts/%s.json's note does not mark it a draft to review: %q", l, c.Note)
		}
		for code, tmpl := range c.Reasons {
			ref, ok := en.Reasons[code]
			if !ok {
				t.Errorf("texts/%s.json has the code %q, which the package does not give", l, code)
				continue
			}
			for _, p := range placeholders(tmpl) {
				if !slices.Contains(placeholders(ref), p) {
					t.Errorf("texts/%s.json %q uses {%s}, a parameter the code does not have", l, code, p)
				}
			}
			if strings.TrimSpace(tmpl) == "" {
				t.Errorf("texts/%s.json %q is empty", l, code)
			}
		}
		for name := range c.Met {
			if _, ok := en.Met[name]; !ok {
				t.Errorf("texts/%s.json has a met text for %q, which no built-in rule is named", l, name)
			}
		}
		for cat := range c.Category {
			if !slices.Contains(categories, Category(cat)) {
				t.Errorf("texts/%s.json names the category %q, which the package does not know", l, cat)
			}
		}
		for e := range c.Education {
			if !bsk.Education(e).Valid() {
				t.Errorf("texts/%s.json names the education %q, which bsk does not know", l, e)
			}
		}
		for lv := range c.Level {
			if !bsk.Endorsement(lv).Valid() {
				t.Errorf("texts/%s.json names the level %q, which bsk does not know", l, lv)
			}
		}
		for lang := range c.Languages {
			if !bsk.Language(lang).Valid() {
				t.Errorf("texts/%s.json names the language %q, which bsk does not know", l, lang)
			}
		}
	}
	for _, cat := range categories {
		if en.Category[string(cat)] == "" || es.Category[string(cat)] == "" {
			t.Errorf("category %q has no English or Spanish name", cat)
		}
	}
	for _, lang := range bsk.Languages() {
		if es.Languages[string(lang)] == "" {
			t.Errorf("language %q has no Spanish name", lang)
		}
	}
}

// The met texts cover the built-in rules: each rule's name has a
// sentence in English and Spanish.
func TestMetTextsNameBuiltinRules(t *testing.T) {
	rules := []Rule[Application]{KingCountyAgency(), QualifyingProgram(Cycle{}), DegreeOrExperience(), Caps(Cycle{}),
		RequiredDocuments(Cycle{}), EmployerConfirmation(), MinimumEmployment(3, 10), ReadyForLevel(Cycle{}),
		StatewideAgency(), MinimumEducation(bsk.EducationAssociate), ParticipatingEmployer(nil, nil)}
	names := map[string]bool{}
	for _, info := range (RuleSet[Application]{Rules: rules}).Info() {
		names[info.Name] = true
		for _, l := range []Lang{EnglishText, SpanishText} {
			if catalogs()[l].Met[info.Name] == "" {
				t.Errorf("rule %q has no met text in %s", info.Name, l)
			}
		}
	}
	for name := range catalogs()[EnglishText].Met {
		if !names[name] {
			t.Errorf("texts/en.json has a met text for %q, which no built-in rule is named", name)
		}
	}
}

// Every code reads as a sentence in every language: no placeholder left,
// no code inside it (its own, a category's, a level's, an education's),
// and a language without a text reads the English one.
func TestEveryCodeEveryLanguage(t *testing.T) {
	values := map[string]string{"category": "release_time", "categories": "exam_fees, travel", "language": "so",
		"level": "infant_family_specialist", "required": "high_school", "education": "high_school", "organization": "Open Arms",
		"program": "Early Childhood AA", "document": "transcript", "rule": "agency rule", "fund": "ESIT", "due": "2027-03-15"}
	raw := []string{"release_time", "exam_fees", "infant_family_specialist", "high_school"}
	for _, code := range ReasonCodes() {
		params := map[string]string{}
		for _, p := range placeholders(catalogs()[EnglishText].Reasons[code]) {
			params[p] = values[p]
			if params[p] == "" {
				params[p] = "125000"
			}
		}
		r := Reason{Code: code, Params: params}
		english := r.Text(EnglishText)
		for _, l := range append(Languages(), "fr", "") {
			got := r.Text(l)
			if got == "" || strings.ContainsAny(got, "{}") || strings.Contains(code, "_") && strings.Contains(got, code) {
				t.Errorf("%s in %q = %q; want a sentence with every parameter filled", code, l, got)
			}
			for _, w := range raw {
				if strings.Contains(got, w) {
					t.Errorf("%s in %q = %q: the code %q inside a sentence", code, l, got, w)
				}
			}
			if !HasText(code, l) && got != english {
				t.Errorf("%s in %q = %q; want the English %q (no text in %q)", code, l, got, english, l)
			}
		}
	}
}

// A draft without the text of one requirement met reads the whole
// sentence in English, never half in each.
func TestEligibleTextOneLanguage(t *testing.T) {
	zh := catalogs()[ChineseText]
	saved := zh.Met["caps"]
	delete(zh.Met, "caps")
	defer func() { zh.Met["caps"] = saved }()
	rec := DecisionRecord{Outcome: Eligible, Rules: []RuleInfo{{Name: "king_county_agency"}, {Name: "caps"}}}
	want := "Your application meets every requirement of this cycle: you work at, or are hired by, a King County agency serving children under five; what you asked for is within this cycle's limits."
	if got := EligibleText(rec, ChineseText); got != want {
		t.Errorf("EligibleText(zh without caps) = %q; want %q", got, want)
	}
}
