package cel_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins/cel"
	"github.com/beststarts/workforce/scholarship"
)

// An agency's rule in a few lines, run beside the built-in rules.
func Example() {
	rule, err := cel.Compile([]byte(`
name: agency_minimum_hours
version: 1.0.0
variables: [hours_per_week]
settings:
  required: 20
checks:
  - require: hours_per_week >= required
    outcome: ineligible
    code: agency_hours_short
    field: applicant.hours_per_week
    params: {hours: hours_per_week, required: required}
    text:
      en: "You work {hours} hours a week; the agency supports staff who work at least {required}."
      es: "Usted trabaja {hours} horas a la semana; la agencia apoya al personal que trabaja al menos {required}."
`), cel.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	set := scholarship.RuleSet[scholarship.Application]{Rules: []scholarship.Rule[scholarship.Application]{rule}}
	apps := []scholarship.Application{
		{ID: "a1", Applicant: scholarship.Applicant{HoursPerWeek: 32}},
		{ID: "a2", Applicant: scholarship.Applicant{HoursPerWeek: 12.5}},
	}
	for i, v := range set.Evaluate(context.Background(), apps) {
		fmt.Println(apps[i].ID, v.Outcome)
		for _, r := range v.Reasons {
			fmt.Println(" ", r.Code, r.Params["hours"], r.Params["required"])
			fmt.Println(" ", rule.Text(r, "es"))
		}
	}
	// Output:
	// a1 eligible
	// a2 ineligible
	//   agency_hours_short 12.5 20
	//   Usted trabaja 12.5 horas a la semana; la agencia apoya al personal que trabaja al menos 20.
}

// A mistake is reported with the field of the file, and the line and
// column the expression's error is at.
func ExampleCompile_errors() {
	_, err := cel.Compile([]byte(`name: agency_six_months
version: "1"
variables: [months_employed]
checks:
  - require: months_employed >= 6 && !hired
    outcome: ineligible
    code: agency_tenure_short
    text: {en: "Not yet six months."}
`), cel.Options{})
	var list bsk.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Println(e.Code, e.Field)
			fmt.Println(e.Message)
		}
	}
	// Output:
	// invalid checks[0].require
	// rule "agency_six_months", line 5, column 39: undeclared reference to 'hired'
}

// A grouping rule keeps each supervisor apart from their direct reports.
func ExampleCompileGrouping() {
	rule, err := cel.CompileGrouping([]byte(`name: no_direct_reports
version: 1.0.0
kind: grouping
variables: [id, attrs, members]
checks:
  - action: cannot_link
    when: "'supervisor' in attrs && attrs.supervisor != id && attrs.supervisor in members"
    with: attrs.supervisor
`), cel.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := rule.Amend(context.Background(), &grouping.Problem{Members: []grouping.Member{
		{ID: "sup-1"},
		{ID: "hv-1", Attrs: map[string]string{"supervisor": "sup-1"}},
		{ID: "hv-2", Attrs: map[string]string{"supervisor": "sup-9"}},
	}})
	fmt.Println(a.CannotLink, err)
	// Output:
	// [{sup-1 hv-1}] <nil>
}
