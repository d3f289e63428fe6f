package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/scholarship"
)

// celFolder writes a folder of CEL rule files: the minhours example of
// plugins/cel, a rule with a mistake, and one that reads demographics.
func celFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile("../../../../plugins/cel/examples/minhours.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"minhours.yaml": string(b),
		"broken.yaml": "name: broken\nversion: \"1\"\nvariables: [hours_per_week]\nchecks:\n" +
			"  - require: hours >= 20\n    outcome: ineligible\n    code: c\n    text: {en: t}\n",
		"costly.yaml": "name: costly\nversion: \"1\"\nvariables: [hours_per_week]\nchecks:\n" +
			"  - when: lists.range(1000).map(i, lists.range(1000).size()).size() < 0 || hours_per_week < 0.0\n    outcome: ineligible\n    code: c\n    text: {en: t}\n",
		"race.yaml": "name: race\nversion: \"1\"\nvariables: [race]\nchecks:\n" +
			"  - when: \"'white' in race\"\n    outcome: ineligible\n    code: c\n    text: {en: t}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCELRulesJudgeApplications: a program names a CEL rule file of the
// configured folder; saving it compiles the rule (an unknown rule, a
// mistake, a rule reading demographics, a path are refused, naming the
// field), and a cycle run judges with it beside the built-in rules.
func TestCELRulesJudgeApplications(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			cfg := app.Config{Data: t.TempDir(), Postgres: b.postgres, CELRules: celFolder(t)}
			s := startWith(t, b, cfg)
			coord := s.key("coordinator", "", "")
			for _, tt := range []struct {
				rules []string
				field string
				text  string
			}{
				{[]string{"minhours", "nope"}, "cel_rules[1]", `no CEL rule named "nope"`},
				{[]string{"broken"}, "cel_rules[0].checks[0].require", `rule "broken", line 5, column 14: undeclared reference to 'hours'`},
				{[]string{"race"}, "cel_rules[0].variables[0]", "demographic"},
				{[]string{"../minhours"}, "cel_rules[0]", "is not a rule file's name"},
			} {
				prog := esitProgram(100_000_00)
				prog.CELRules = tt.rules
				r := s.expect(400, "POST", "/api/v1/programs", coord, prog)
				var body app.ErrorBody
				r.json(t, &body)
				if len(body.Error.Problems) != 1 || body.Error.Problems[0].Field != tt.field || !strings.Contains(body.Error.Problems[0].Message, tt.text) {
					t.Errorf("cel_rules %q: problems %+v; want one at %s saying %q", tt.rules, body.Error.Problems, tt.field, tt.text)
				}
			}
			prog := esitProgram(100_000_00)
			prog.CELRules = []string{"minhours"}
			s.expect(201, "POST", "/api/v1/programs", coord, prog)
			prog.CELRules = []string{"nope"}
			if got := s.expect(400, "PUT", "/api/v1/programs/esit", coord, prog).problems(t); !cmp.Equal(got, []string{"cel_rules[0]"}) {
				t.Errorf("update with an unknown rule: problems %v; want cel_rules[0]", got)
			}

			staff := staffOf(t, s, "org-001")
			agency := s.key("agency", "org-001", "")
			cyc := "/api/v1/programs/esit/cycles/2026"
			ids := map[string]string{}
			for i, a := range []scholarship.Application{
				application(staff[0].ID, "full time", 24, 40),
				application(staff[1].ID, "part time", 24, 15), // the built-in rule asks 10 hours, the agency 20
			} {
				var got scholarship.Application
				s.expect(201, "POST", cyc+"/applications", agency, a).json(t, &got)
				ids[[]string{"full time", "part time"}[i]] = got.ID
			}
			var run app.CycleRun
			s.expect(201, "POST", cyc+"/runs", coord, nil).json(t, &run)
			ds := decisions(t, s, coord, cyc+"/runs/"+run.ID, "es")
			if d := ds[ids["full time"]]; d.Outcome != scholarship.Eligible {
				t.Errorf("full time: %s %+v; want eligible", d.Outcome, d.Reasons)
			}
			d := ds[ids["part time"]]
			want := []scholarship.Reason{{Code: "agency_hours_short", Field: "applicant.hours_per_week", Outcome: scholarship.Ineligible,
				Rule: "agency_minimum_hours", Version: "1.0.0", Params: map[string]string{"hours": "15", "required": "20"}}}
			if diff := cmp.Diff(want, d.Reasons); d.Outcome != scholarship.Ineligible || diff != "" {
				t.Errorf("part time: %s, reasons (-want +got):\n%s", d.Outcome, diff)
			}
			// The reason's text comes from the rule file, in the reader's
			// language; the library's own texts stay.
			wantText := "Usted trabaja 15 horas a la semana; la agencia apoya al personal que trabaja al menos 20."
			if len(d.Texts) != 1 || d.Texts[0] != wantText {
				t.Errorf("part time: texts %q; want [%q]", d.Texts, wantText)
			}
			if d := ds[ids["full time"]]; len(d.Texts) == 0 || !strings.HasPrefix(d.Texts[0], "Su solicitud cumple") {
				t.Errorf("full time: texts %q; want the library's eligible text", d.Texts)
			}
			// A second server over the same database, which has compiled
			// no rule yet, finds the text in the folder.
			s2 := startWith(t, b, cfg)
			d2 := decisions(t, s2, coord, cyc+"/runs/"+run.ID, "es")[ids["part time"]]
			if len(d2.Texts) != 1 || d2.Texts[0] != wantText {
				t.Errorf("part time, read by a server started later: texts %q; want [%q]", d2.Texts, wantText)
			}
			// A rule over its cost limit makes each application need
			// review, with a reason that names it; the log has the error.
			costly := esitProgram(100_000_00)
			costly.Program.ID, costly.CELRules = "costly", []string{"costly"}
			s.expect(201, "POST", "/api/v1/programs", coord, costly)
			var app3 scholarship.Application
			s.expect(201, "POST", "/api/v1/programs/costly/cycles/2026/applications", agency, application(staff[2].ID, "anyone", 24, 40)).json(t, &app3)
			var run3 app.CycleRun
			s.expect(201, "POST", "/api/v1/programs/costly/cycles/2026/runs", coord, nil).json(t, &run3)
			d3 := decisions(t, s, coord, "/api/v1/programs/costly/cycles/2026/runs/"+run3.ID, "")[app3.ID]
			wantFailed := []scholarship.Reason{{Code: "rule_failed", Outcome: scholarship.NeedsReview, Rule: "costly", Version: "1",
				Params: map[string]string{"rule": "costly", "code": "internal"}}}
			if diff := cmp.Diff(wantFailed, d3.Reasons); d3.Outcome != scholarship.NeedsReview || diff != "" {
				t.Errorf("costly: %s, reasons (-want +got):\n%s", d3.Outcome, diff)
			}
			if logs := s.logs.String(); !strings.Contains(logs, `"cel_rule":"costly","application":"`+app3.ID+`"`) || !strings.Contains(logs, "cost limit") {
				t.Errorf("the log does not say the costly rule failed on %s", app3.ID)
			}
			found := false
			for _, r := range run.Rules {
				found = found || r.Name == "agency_minimum_hours" && r.Version == "1.0.0"
			}
			if !found {
				t.Errorf("the run's rules %+v do not list the CEL rule", run.Rules)
			}
		})
	}
}
