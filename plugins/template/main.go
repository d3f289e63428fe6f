// Command template is the starting point of an agency's eligibility
// plug-in: copy this folder, rename it, and change the rule. It provides
// one rule, "agency_min_tenure": an applicant who has worked at the agency
// fewer months than required is ineligible, with the reason
// "agency_tenure_short", whose texts applicants read in English and
// Spanish.
//
// The county's catalog starts it with optional arguments:
//
//	-months N   the months on staff required (default 6)
package main

import (
	"flag"
	"strconv"

	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// Name is the plug-in's name: the county's catalog lists it under the same
// name, and the binary is named after it.
const Name = "template"

// CodeTenureShort is the reason an applicant has not worked long enough
// at the agency. Prefix your codes with "agency_" so that they never
// clash with the county's.
const CodeTenureShort = "agency_tenure_short"

// texts are what applicants read for each reason code, with the reason's
// {param}s. Every code the rule gives needs an English text, or the county
// refuses the plug-in; a language without a text reads English.
var texts = scholarship.Texts{
	CodeTenureShort: {
		scholarship.EnglishText: "You have worked {months} months at your agency; it nominates staff after {required}.",
		scholarship.SpanishText: "Ha trabajado {months} meses en su agencia; la agencia nomina al personal después de {required}.",
	},
}

// rule is the agency's eligibility rule. Judge each application on its own
// fields; demographics never reach a plug-in.
func rule(months int) scholarship.Rule[scholarship.Application] {
	return scholarship.Each(scholarship.RuleInfo{
		Name:        "agency_min_tenure",
		Version:     "1.0.0",
		Description: "the agency nominates staff after " + strconv.Itoa(months) + " months",
	}, func(a scholarship.Application) []scholarship.Reason {
		if a.Applicant.MonthsEmployed >= months {
			return nil
		}
		return []scholarship.Reason{{
			Code:    CodeTenureShort,
			Outcome: scholarship.Ineligible,
			Field:   "applicant.months_employed",
			Params:  map[string]string{"months": strconv.Itoa(a.Applicant.MonthsEmployed), "required": strconv.Itoa(months)},
		}}
	})
}

func main() {
	months := flag.Int("months", 6, "months on staff required")
	flag.Parse()
	plugins.Serve(plugins.Plugin{
		Name:     Name,
		Version:  "1.0.0",
		Agency:   "Example Agency",
		Handlers: []plugins.Handler{plugins.Eligibility(scholarship.RuleInfo{}, rule(*months)).WithTexts(texts)},
	})
}
