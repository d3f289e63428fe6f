// Command sixmonths is the plug-in of an agency that nominates its staff
// for a scholarship only after six months on its payroll. It provides one
// eligibility rule, "agency_six_months": an applicant with fewer months at
// the employer (including one hired but not yet started) is ineligible,
// with the reason "agency_tenure_short".
//
// The county's catalog starts it with optional arguments:
//
//	-months N   the months required (default 6)
package main

import (
	"flag"
	"strconv"

	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// CodeTenureShort is the reason an applicant has not been on staff long
// enough.
const CodeTenureShort = "agency_tenure_short"

// texts are what applicants read for the rule's reasons.
var texts = scholarship.Texts{
	CodeTenureShort: {
		scholarship.EnglishText: "You have worked {months} months at your agency; it nominates staff after {required}.",
		scholarship.SpanishText: "Ha trabajado {months} meses en su agencia; la agencia nomina al personal después de {required}.",
	},
}

// rule requires months of employment at the agency.
func rule(months int) scholarship.Rule[scholarship.Application] {
	return scholarship.Each(scholarship.RuleInfo{
		Name:        "agency_six_months",
		Version:     "1.0.0",
		Description: "the agency nominates staff after " + strconv.Itoa(months) + " months of employment",
	}, func(a scholarship.Application) []scholarship.Reason {
		if a.Applicant.MonthsEmployed >= months && !a.Applicant.Hired {
			return nil
		}
		return []scholarship.Reason{{
			Code:    CodeTenureShort,
			Field:   "applicant.months_employed",
			Outcome: scholarship.Ineligible,
			Params:  map[string]string{"months": strconv.Itoa(a.Applicant.MonthsEmployed), "required": strconv.Itoa(months)},
		}}
	})
}

func main() {
	months := flag.Int("months", 6, "months of employment required")
	flag.Parse()
	plugins.Serve(plugins.Plugin{
		Name:     "sixmonths",
		Version:  "1.0.0",
		Agency:   "Example Family Services",
		Handlers: []plugins.Handler{plugins.Eligibility(scholarship.RuleInfo{}, rule(*months)).WithTexts(texts)},
	})
}
