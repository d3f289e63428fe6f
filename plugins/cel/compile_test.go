package cel_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins/cel"
	"github.com/beststarts/workforce/scholarship"
)

// problems returns "field: message" of every problem of a compile error.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var list bsk.Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T) is not bsk.Errors", err, err)
	}
	out := make([]string, len(list))
	for i, e := range list {
		if e.Code != bsk.CodeInvalid {
			t.Errorf("problem %v has code %s; want invalid", e, e.Code)
		}
		out[i] = e.Error()
	}
	return out
}

const header = "name: r\nversion: \"1\"\nvariables: [hours_per_week, languages]\nchecks:\n"

func TestCompileErrorsNameFieldLineAndColumn(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"undeclared name, plain scalar", header + "  - require: hours >= 20\n    outcome: ineligible\n    code: c\n    text: {en: t}\n",
			[]string{`checks[0].require: rule "r", line 5, column 14: undeclared reference to 'hours'`}},
		{"quoted scalar", header + "  - require: \"hours_per_week >= 'x'\"\n    outcome: ineligible\n    code: c\n    text: {en: t}\n",
			[]string{`checks[0].require: rule "r", line 5, column 30: found no matching overload for '_>=_' applied to '(double, string)'`}},
		{"literal block", header + "  - outcome: ineligible\n    code: c\n    text: {en: t}\n    when: |\n      size(languages) > 0 &&\n        nope\n",
			[]string{`checks[0].when: rule "r", line 10, column 9: undeclared reference to 'nope'`}},
		{"not a condition", header + "  - when: hours_per_week + 1.0\n    outcome: ineligible\n    code: c\n    text: {en: t}\n",
			[]string{`checks[0].when: rule "r", line 5, column 11: the expression gives double; want true or false`}},
		{"syntax", header + "  - when: hours_per_week >\n    outcome: needs_review\n    code: c\n    text: {en: t}\n",
			[]string{`checks[0].when: rule "r", line 5, column 27: Syntax error: mismatched input '<EOF>' expecting`}},
		{"reason keys", header + "  - when: true\n    outcome: maybe\n    code: Bad-Code\n    params: {n: languages}\n    text: {es: \"{n} {m}\"}\n",
			[]string{
				`checks[0].outcome: rule "r", line 6, column 14: the outcome "maybe" must be ineligible, needs_review or eligible`,
				`checks[0].code: rule "r", line 7, column 11: the code "Bad-Code" must be lowercase letters, digits and _`,
				`checks[0].params.n: rule "r", line 8, column 17: the expression gives list(string); want a text, a number or true/false`,
				`checks[0].text: rule "r", line 9, column 11: an English text (en) is required`,
				`checks[0].text.es: rule "r", line 9, column 16: the text names {m}, which is not one of the params`,
			}},
		{"both conditions", header + "  - when: true\n    require: true\n    outcome: eligible\n    code: c\n    text: {en: t}\n",
			[]string{`checks[0]: rule "r", line 5, column 5: give exactly one of require and when`}},
		{"unknown variable and demographics", "name: r\nversion: \"1\"\nvariables: [salary, race]\nchecks:\n  - when: true\n    outcome: eligible\n    code: c\n    text: {en: t}\n",
			[]string{
				`variables[0]: rule "r", line 3, column 13: unknown variable "salary" (see the package's list of variables)`,
				`variables[1]: rule "r", line 3, column 21: "race" is a demographic, which this program's rules may not read`,
			}},
		{"header", "name: Bad Name\nkind: grouping\nchecks: []\n",
			[]string{
				`name: rule "Bad Name", line 1, column 7: the name "Bad Name" must be lowercase letters, digits and _ (at most 64)`,
				`version: rule "Bad Name", line 1, column 1: a version is required`,
				`kind: rule "Bad Name", line 2, column 7: the kind is "grouping"; want "eligibility"`,
				`checks: rule "Bad Name", line 3, column 9: at least one check is required`,
			}},
		{"settings", "name: r\nversion: \"1\"\nsettings: {hours_per_week: 3, nested: {a: 1}, item: 2}\nchecks:\n  - when: true\n    outcome: eligible\n    code: c\n    text: {en: t}\n",
			[]string{
				`settings.hours_per_week: rule "r", line 3, column 28: setting "hours_per_week" has the name of a variable`,
				`settings.item: rule "r", line 3, column 53: setting "item" must be a new name of lowercase letters, digits and _`,
				`settings.nested: rule "r", line 3, column 39: setting "nested" must be a number, a text, true or false, or a list of texts`,
			}},
		{"unknown key", "name: r\nversion: \"1\"\nchecks:\n  - when: true\n    outcom: eligible\n",
			[]string{`line 5: field outcom not found in type cel.Check`}},
		{"not yaml", "name: [\n", []string{`line 1: did not find expected node content`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cel.Compile([]byte(tt.file), cel.Options{})
			if err == nil {
				t.Fatal("Compile succeeded; want an error")
			}
			got := problems(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("Compile errors:\n%s\nwant %d:\n%s", strings.Join(got, "\n"), len(tt.want), strings.Join(tt.want, "\n"))
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("error %d = %s\nwant it to contain %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDemographicsOnlyWhenAllowed(t *testing.T) {
	file := []byte("name: r\nversion: \"1\"\nvariables: [race]\nchecks:\n  - when: \"'black' in race\"\n    outcome: eligible\n    code: noted\n    text: {en: noted}\n")
	if _, err := cel.Compile(file, cel.Options{}); err == nil || !strings.Contains(err.Error(), "demographic") {
		t.Fatalf("Compile without Demographics = %v; want a demographic error", err)
	}
	r, err := cel.Compile(file, cel.Options{Demographics: true})
	if err != nil {
		t.Fatal(err)
	}
	app := scholarship.Application{ID: "a", Applicant: scholarship.Applicant{Demographics: bsk.Demographics{Race: []bsk.RaceEthnicity{"black"}}}}
	res, err := r.Check(context.Background(), []scholarship.Application{app, {ID: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0]) != 1 || res[0][0].Code != "noted" || len(res[1]) != 0 {
		t.Errorf("Check = %+v; want one reason for the first application only", res)
	}
}

// TestCostLimitStopsOneApplication: a rule whose work grows with the
// application stops at the cost limit on the applications it would
// exhaust the server on; each gets a needs-review reason naming the rule,
// and the others are judged.
func TestCostLimitStopsOneApplication(t *testing.T) {
	file := []byte(`name: hostile
version: "1"
variables: [languages]
checks:
  - when: lists.range(size(languages) * 100).map(i, lists.range(1000).filter(j, j % 7 == i % 7)).size() < 0
    outcome: ineligible
    code: never
    text: {en: never}
`)
	r, err := cel.Compile(file, cel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	r.OnError = func(id string, err error) { failed = append(failed, id) }
	apps := []scholarship.Application{
		{ID: "small"},
		{ID: "big", Applicant: scholarship.Applicant{Languages: []bsk.Language{"en", "es", "so", "am", "ti", "vi", "zh", "ar"}}},
	}
	start := time.Now()
	res, err := r.Check(context.Background(), apps)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Check took %v", took)
	}
	want := [][]scholarship.Reason{nil, {{Code: cel.RuleFailed, Outcome: scholarship.NeedsReview, Rule: "hostile", Version: "1",
		Params: map[string]string{"rule": "hostile", "code": "internal"}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"big"}, failed); diff != "" {
		t.Errorf("OnError applications (-want +got):\n%s", diff)
	}
}

// TestTimeoutStopsTheCall: a call past its timeout is Check's error, a
// coded internal error naming the rule.
func TestTimeoutStopsTheCall(t *testing.T) {
	file := []byte(`name: slow
version: "1"
variables: [languages]
checks:
  - when: lists.range(1000).exists(i, lists.range(1000).exists(j, j < 0))
    outcome: ineligible
    code: never
    text: {en: never}
`)
	r, err := cel.Compile(file, cel.Options{CostLimit: 1 << 40, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	apps := make([]scholarship.Application, 100)
	start := time.Now()
	_, err = r.Check(context.Background(), apps)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Check took %v after a 50 ms timeout", took)
	}
	if !errors.Is(err, bsk.ErrInternal) || !strings.Contains(err.Error(), `rule "slow" stopped`) {
		t.Fatalf("Check = %v; want an internal error naming the rule", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check = %v; want it to wrap the deadline", err)
	}
}

func TestRuleTexts(t *testing.T) {
	r, err := cel.Compile(example(t, "minhours"), cel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Check(context.Background(), []scholarship.Application{{Applicant: scholarship.Applicant{HoursPerWeek: 12.5}}})
	if err != nil || len(res[0]) != 1 {
		t.Fatalf("Check = %+v, %v; want one reason", res, err)
	}
	for lang, want := range map[string]string{
		"en": "You work 12.5 hours a week; the agency supports staff who work at least 20.",
		"es": "Usted trabaja 12.5 horas a la semana; la agencia apoya al personal que trabaja al menos 20.",
		"so": "You work 12.5 hours a week; the agency supports staff who work at least 20.", // falls back to English
	} {
		if got := r.Text(res[0][0], lang); got != want {
			t.Errorf("Text(%s) = %q; want %q", lang, got, want)
		}
	}
}

func TestGroupingExcludeWithReason(t *testing.T) {
	file := []byte(`name: needs_language
version: "2"
kind: grouping
variables: [sets, nums]
settings: {min_years: 1}
checks:
  - require: "'languages' in sets && 'es' in sets.languages"
    code: no_spanish
    params: {years: "'years' in nums ? nums.years : 0.0"}
    text: {en: "This group meets in Spanish ({years} years)."}
  - for_each: "'slots' in sets ? sets.slots : []"
    when: item == "fri-1700"
    code: friday_only
    params: {slot: item}
    text: {en: "{slot}"}
`)
	r, err := cel.CompileGrouping(file, cel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := &grouping.Problem{Members: []grouping.Member{
		{ID: "a", Sets: map[string][]string{"languages": {"en", "es"}}},
		{ID: "b", Sets: map[string][]string{"languages": {"en"}, "slots": {"fri-1700", "tue-0900"}}, Nums: map[string]float64{"years": 2.5}},
		{ID: "c"},
	}}
	got, err := r.Amend(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := grouping.Amendment{Exclude: []grouping.Exclusion{
		{Member: "b", Reason: grouping.Reason{Code: "no_spanish", Params: map[string]string{"years": "2.5"}}},
		{Member: "b", Reason: grouping.Reason{Code: "friday_only", Params: map[string]string{"slot": "fri-1700"}}},
		{Member: "c", Reason: grouping.Reason{Code: "no_spanish", Params: map[string]string{"years": "0"}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Amend (-want +got):\n%s", diff)
	}
	if _, err := cel.Compile(file, cel.Options{}); err == nil || !strings.Contains(err.Error(), `the kind is "grouping"; want "eligibility"`) {
		t.Errorf("Compile(grouping file) = %v; want a kind error", err)
	}
}

// TestMissingKeyFailsOneMember: a grouping rule that reads a key a member
// lacks fails the amendment with an error naming the rule and member.
func TestMissingKeyFailsTheAmendment(t *testing.T) {
	r, err := cel.CompileGrouping([]byte("name: g\nversion: \"1\"\nkind: grouping\nvariables: [attrs]\nchecks:\n  - when: attrs.role == 'x'\n    code: x\n    text: {en: x}\n"), cel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Amend(context.Background(), &grouping.Problem{Members: []grouping.Member{{ID: "m1", Attrs: map[string]string{"role": "y"}}, {ID: "m2"}}})
	if !errors.Is(err, bsk.ErrInternal) || !strings.Contains(err.Error(), `rule "g" on member "m2"`) || !strings.Contains(err.Error(), "checks[0].condition") {
		t.Errorf("Amend = %v; want an internal error naming the rule, member m2 and the check", err)
	}
}

// TestLinkToAnUnknownMemberFails: a link must name another member of the
// problem; the solver never sees one that does not.
func TestLinkToAnUnknownMemberFails(t *testing.T) {
	r, err := cel.CompileGrouping([]byte("name: g\nversion: \"1\"\nkind: grouping\nvariables: [attrs]\nchecks:\n  - action: must_link\n    when: \"'buddy' in attrs\"\n    with: attrs.buddy\n"), cel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for buddy, want := range map[string]string{"ghost": `"ghost" is not another member`, "m1": `"m1" is not another member`, "m2": ""} {
		p := &grouping.Problem{Members: []grouping.Member{{ID: "m1", Attrs: map[string]string{"buddy": buddy}}, {ID: "m2"}}}
		a, err := r.Amend(context.Background(), p)
		switch {
		case want == "" && (err != nil || !cmp.Equal(a.MustLink, []grouping.Pair{{A: "m2", B: "m1"}})):
			t.Errorf("buddy %s: Amend = %+v, %v; want the pair m2, m1", buddy, a, err)
		case want != "" && (!errors.Is(err, bsk.ErrInternal) || !strings.Contains(err.Error(), want)):
			t.Errorf("buddy %s: Amend = %v; want an internal error saying %s", buddy, err, want)
		}
	}
}

// TestREADMEListsEveryVariable keeps the README's tables true.
func TestREADMEListsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append(cel.Variables(), cel.MemberVariables()...) {
		row := "| `" + v.Name + "` | `" + v.Type + "` | " + v.Doc
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md has no row %q", row)
		}
	}
}

// TestCostLimitCoversTheWholeApplication: the cost limit bounds all the
// work on one application, not each expression alone: a for_each over a
// long list whose condition is cheap each time, but dear in all, stops
// at the limit.
func TestCostLimitCoversTheWholeApplication(t *testing.T) {
	file := []byte(`name: multiplied
version: "1"
variables: [languages]
checks:
  - for_each: lists.range(1000)
    when: lists.range(1000).exists(j, j < 0) || size(languages) > 100
    outcome: ineligible
    code: never
    text: {en: never}
`)
	r, err := cel.Compile(file, cel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Check(context.Background(), make([]scholarship.Application, 3))
	if err != nil {
		t.Fatal(err)
	}
	for i, rs := range res {
		if len(rs) != 1 || rs[0].Code != cel.RuleFailed {
			t.Errorf("application %d: reasons %+v; want one %s: 1,000 conditions of about 3,000 each are over the limit of 100,000", i, rs, cel.RuleFailed)
		}
	}
}

func TestLoad(t *testing.T) {
	r, err := cel.Load(filepath.Join("examples", "sixmonths.yaml"), cel.Options{})
	if err != nil || r.Describe().Name != "agency_six_months" {
		t.Fatalf("Load(sixmonths.yaml) = %v, %v", r, err)
	}
	if _, err := cel.Load(filepath.Join("examples", "none.yaml"), cel.Options{}); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("Load(none.yaml) = %v; want not found", err)
	}
	if _, err := cel.Load(filepath.Join("examples", "noreports.yaml"), cel.Options{}); bsk.ErrorCode(err) != bsk.CodeInvalid || !strings.Contains(err.Error(), "noreports.yaml") {
		t.Errorf("Load(noreports.yaml), a grouping rule = %v; want invalid naming the file", err)
	}
}

// TestLargeListsAreTracked: an expression cheap on the short lists of
// ordinary applications runs untracked on them, but an application with a
// long list is still held to the cost limit.
func TestLargeListsAreTracked(t *testing.T) {
	r, err := cel.Compile([]byte(`name: scan
version: "1"
variables: [languages]
checks:
  - when: languages.exists(l, l == 'zz')
    outcome: needs_review
    code: zz
    text: {en: zz}
`), cel.Options{CostLimit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	long := make([]bsk.Language, 5000)
	for i := range long {
		long[i] = "en"
	}
	res, err := r.Check(context.Background(), []scholarship.Application{
		{Applicant: scholarship.Applicant{Languages: []bsk.Language{"en", "so", "zz"}}},
		{Applicant: scholarship.Applicant{Languages: []bsk.Language{"en", "so"}}},
		{Applicant: scholarship.Applicant{Languages: long}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rs := range res {
		codes := ""
		for _, r := range rs {
			codes += r.Code
		}
		got = append(got, codes)
	}
	if diff := cmp.Diff([]string{"zz", "", cel.RuleFailed}, got); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
}
