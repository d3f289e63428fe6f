// Command minhours is the plug-in of an agency that supports only staff
// working at least part time. It provides one eligibility rule,
// "agency_minimum_hours": an applicant who works fewer hours a week than
// required is ineligible, with the reason "agency_hours_short". It is the
// Go twin of examples/python/minhours.py.
//
// The county's catalog starts it with optional arguments:
//
//	-hours N   the weekly hours required (default 20)
package main

import (
	"flag"
	"strconv"

	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// CodeHoursShort is the reason an applicant works too few hours a week.
const CodeHoursShort = "agency_hours_short"

// texts are what applicants read for the rule's reasons, with the
// reason's {param}s; the host refuses the plug-in if a code lacks English.
var texts = scholarship.Texts{
	CodeHoursShort: {
		scholarship.EnglishText: "You work {hours} hours a week; this agency supports staff who work at least {required}.",
		scholarship.SpanishText: "Trabaja {hours} horas por semana; esta agencia apoya al personal que trabaja al menos {required}.",
	},
}

// rule requires weekly hours.
func rule(hours float64) scholarship.Rule[scholarship.Application] {
	return scholarship.Each(scholarship.RuleInfo{
		Name:        "agency_minimum_hours",
		Version:     "1.0.0",
		Description: "the agency supports staff who work at least " + strconv.FormatFloat(hours, 'f', -1, 64) + " hours a week",
	}, func(a scholarship.Application) []scholarship.Reason {
		if a.Applicant.HoursPerWeek >= hours {
			return nil
		}
		return []scholarship.Reason{{
			Code:    CodeHoursShort,
			Field:   "applicant.hours_per_week",
			Outcome: scholarship.Ineligible,
			Params: map[string]string{"hours": strconv.FormatFloat(a.Applicant.HoursPerWeek, 'f', -1, 64),
				"required": strconv.FormatFloat(hours, 'f', -1, 64)},
		}}
	})
}

func main() {
	hours := flag.Float64("hours", 20, "weekly hours required")
	flag.Parse()
	plugins.Serve(plugins.Plugin{
		Name:     "minhours",
		Version:  "1.0.0",
		Agency:   "Example Early Learning Center",
		Handlers: []plugins.Handler{plugins.Eligibility(scholarship.RuleInfo{}, rule(*hours)).WithTexts(texts)},
	})
}
