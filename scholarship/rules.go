package scholarship

import (
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// The built-in rules' stable codes.
const (
	CodeNotKingCountyAgency   = "not_king_county_agency"
	CodeAgencyNotYoungChild   = "agency_not_serving_young_children"
	CodeProgramNotQualifying  = "program_not_qualifying"
	CodeDegreeOrExperience    = "degree_or_two_years_required"
	CodeLifetimeCapReached    = "lifetime_cap_reached"
	CodeLifetimeCapNear       = "lifetime_cap_limits_award"
	CodeCategoryNotCovered    = "category_not_covered"
	CodeAboveCategoryCap      = "above_category_cap"
	CodeAboveCombinedCap      = "above_combined_cap"
	CodeAboveHourlyLimit      = "above_hourly_limit"
	CodeAboveWeeksLimit       = "above_weeks_limit"
	CodeDocumentMissing       = "document_missing"
	CodeEmployerNotConfirmed  = "employer_not_confirmed"
	CodeWrongCycle            = "wrong_cycle"
	CodeRuleFailed            = "rule_failed"
	CodeCriterionFailed       = "criterion_failed"
	CodeNotReadyForLevel      = "not_ready_for_level"
	CodeEmploymentTooShort    = "employment_too_short"
	CodeTooFewHoursPerWeek    = "too_few_hours_per_week"
	CodeAlreadyHoldsLevel     = "already_holds_level"
	defaultBuiltinRuleVersion = "1"
)

func money(c Cents) string { return strconv.FormatInt(int64(c), 10) }

// KingCountyAgency requires that the applicant works at, or has been hired
// by, an agency in King County that serves young children, the condition
// for taking part since 2021.
func KingCountyAgency() Rule[Application] {
	return Each(RuleInfo{Name: "king_county_agency", Version: defaultBuiltinRuleVersion,
		Description: "works at or is hired by a King County agency serving children under five"},
		func(a Application) []Reason {
			e := a.Applicant.Employer
			if e == nil || !e.Place.InKingCounty() {
				place := ""
				if e != nil {
					place = string(e.Place)
				}
				return []Reason{{Code: CodeNotKingCountyAgency, Field: "applicant.employer", Outcome: Ineligible, Params: map[string]string{"place": place}}}
			}
			if !e.ServesYoungChildren {
				return []Reason{{Code: CodeAgencyNotYoungChild, Field: "applicant.employer.serves_young_children", Outcome: Ineligible, Params: map[string]string{"organization": e.Name}}}
			}
			return nil
		})
}

// QualifyingProgram requires enrollment in one of the cycle's qualifying
// degree or certificate programs, when the cycle lists any.
func QualifyingProgram(c Cycle) Rule[Application] {
	return Each(RuleInfo{Name: "qualifying_program", Version: defaultBuiltinRuleVersion,
		Description: "enrolled in a qualifying degree or certificate program"},
		func(a Application) []Reason {
			if len(c.QualifyingPrograms) == 0 || slices.Contains(c.QualifyingPrograms, a.Answers.EnrolledProgram) {
				return nil
			}
			return []Reason{{Code: CodeProgramNotQualifying, Field: "answers.enrolled_program", Outcome: Ineligible,
				Params: map[string]string{"program": a.Answers.EnrolledProgram}}}
		})
}

// DegreeOrExperience is the Infant Family Associate requirement: a degree
// (a CDA credential or an associate degree or higher) or two years of
// experience in the field.
func DegreeOrExperience() Rule[Application] {
	return Each(RuleInfo{Name: "degree_or_experience", Version: defaultBuiltinRuleVersion,
		Description: "a degree (CDA, AA or higher) or two years of experience"},
		func(a Application) []Reason {
			if a.Applicant.Education.AtLeast("cda") || a.Applicant.YearsExperience >= 2 {
				return nil
			}
			return []Reason{{Code: CodeDegreeOrExperience, Field: "applicant.education", Outcome: Ineligible,
				Params: map[string]string{"education": string(a.Applicant.Education), "years": strconv.FormatFloat(a.Applicant.YearsExperience, 'f', -1, 64)}}}
		})
}

// Caps checks the request against the cycle's category caps (informational:
// the award is capped) and the lifetime cap (ineligible once reached).
func Caps(c Cycle) Rule[Application] {
	limits := newCapLimits(c)
	return Each(RuleInfo{Name: "caps", Version: defaultBuiltinRuleVersion,
		Description: "requested amounts within the category, per-cycle and lifetime caps"},
		func(a Application) []Reason {
			var out []Reason
			var keys [8]Category
			for _, cat := range sortedKeys(keys[:0], a.Requested) {
				req := a.Requested[cat]
				limit, capped := c.Caps[cat]
				_, hourly := c.hourly(cat)
				switch {
				case hourly:
				case !capped && req > 0:
					out = append(out, Reason{Code: CodeCategoryNotCovered, Field: "requested." + string(cat), Outcome: Eligible,
						Params: map[string]string{"category": string(cat)}})
				case req > limit:
					out = append(out, Reason{Code: CodeAboveCategoryCap, Field: "requested." + string(cat), Outcome: Eligible,
						Params: map[string]string{"category": string(cat), "requested": money(req), "cap": money(limit)}})
				}
			}
			out = limits.combinedAndHourly(out, c, a)
			if c.LifetimeCap > 0 {
				switch left := c.LifetimeCap - a.PriorAwards; {
				case left <= 0:
					out = append(out, Reason{Code: CodeLifetimeCapReached, Field: "prior_awards", Outcome: Ineligible,
						Params: map[string]string{"cap": limits.lifetime, "received": money(a.PriorAwards)}})
				case left < a.Total():
					out = append(out, Reason{Code: CodeLifetimeCapNear, Field: "prior_awards", Outcome: Eligible,
						Params: map[string]string{"cap": limits.lifetime, "left": money(left)}})
				}
			}
			return out
		})
}

// capLimits is the text of a cycle's combined and hourly limits, made once
// per cycle for the reasons that quote them.
type capLimits struct {
	combined []combinedLimit
	hourly   []hourlyLimit
	lifetime string
}

type combinedLimit struct {
	field, categories, cap string
	// counted are the categories that count toward the cap: capped and
	// not hourly.
	counted []Category
}

type hourlyLimit struct {
	perWeekField, weeksField, maxHours, maxWeeks string
}

func newCapLimits(c Cycle) capLimits {
	l := capLimits{lifetime: money(c.LifetimeCap)}
	for i, cc := range c.CombinedCaps {
		names := make([]string, len(cc.Categories))
		var counted []Category
		for k, cat := range cc.Categories {
			names[k] = string(cat)
			if _, hourly := c.hourly(cat); hourly {
				continue
			}
			if _, ok := c.Caps[cat]; ok {
				counted = append(counted, cat)
			}
		}
		l.combined = append(l.combined, combinedLimit{field: bsk.Index("combined_caps", i), categories: strings.Join(names, ", "),
			cap: money(cc.Cap), counted: counted})
	}
	for _, h := range c.Hourly {
		l.hourly = append(l.hourly, hourlyLimit{perWeekField: "hours." + string(h.Category) + ".per_week",
			weeksField: "hours." + string(h.Category) + ".weeks", maxHours: strconv.FormatFloat(h.MaxHoursPerWeek, 'f', -1, 64),
			maxWeeks: strconv.Itoa(h.MaxWeeks)})
	}
	return l
}

// combinedAndHourly appends the informational reasons of combined caps
// that bind on the amounts asked (each within its own cap) and hours asked
// above an hourly item's bounds.
func (l capLimits) combinedAndHourly(out []Reason, c Cycle, a Application) []Reason {
	for i, cc := range c.CombinedCaps {
		var sum Cents
		for _, cat := range l.combined[i].counted {
			sum = addCents(sum, min(max(0, a.Requested[cat]), c.Caps[cat]))
		}
		if sum > cc.Cap {
			out = append(out, Reason{Code: CodeAboveCombinedCap, Field: l.combined[i].field, Outcome: Eligible,
				Params: map[string]string{"categories": l.combined[i].categories, "requested": money(sum), "cap": l.combined[i].cap}})
		}
	}
	for i, h := range c.Hourly {
		req, ok := a.Hours[h.Category]
		if !ok {
			continue
		}
		if h.MaxHoursPerWeek > 0 && req.PerWeek > h.MaxHoursPerWeek {
			out = append(out, Reason{Code: CodeAboveHourlyLimit, Field: l.hourly[i].perWeekField, Outcome: Eligible,
				Params: map[string]string{"category": string(h.Category), "hours": strconv.FormatFloat(req.PerWeek, 'f', -1, 64),
					"max_hours": l.hourly[i].maxHours}})
		}
		if h.MaxWeeks > 0 && req.Weeks > h.MaxWeeks {
			out = append(out, Reason{Code: CodeAboveWeeksLimit, Field: l.hourly[i].weeksField, Outcome: Eligible,
				Params: map[string]string{"category": string(h.Category), "weeks": strconv.Itoa(req.Weeks), "max_weeks": l.hourly[i].maxWeeks}})
		}
	}
	return out
}

// RequiredDocuments needs review for every document the cycle requires
// that the application lacks.
func RequiredDocuments(c Cycle) Rule[Application] {
	return Each(RuleInfo{Name: "required_documents", Version: defaultBuiltinRuleVersion,
		Description: "every required document attached"},
		func(a Application) []Reason {
			var out []Reason
			for _, d := range c.RequiredDocuments {
				if !slices.Contains(a.Documents, d) {
					out = append(out, Reason{Code: CodeDocumentMissing, Field: "documents", Outcome: NeedsReview, Params: map[string]string{"document": d}})
				}
			}
			return out
		})
}

// EmployerConfirmation needs review until the employer confirms employment
// and release time (BA Degree Pathways pays release time to the employer).
func EmployerConfirmation() Rule[Application] {
	return Each(RuleInfo{Name: "employer_confirmation", Version: defaultBuiltinRuleVersion,
		Description: "employer confirmed employment and release time"},
		func(a Application) []Reason {
			if a.Answers.EmployerConfirmed || a.Applicant.Employer == nil {
				return nil
			}
			return []Reason{{Code: CodeEmployerNotConfirmed, Field: "answers.employer_confirmed", Outcome: NeedsReview}}
		})
}

// MinimumEmployment requires, as Washington's BA Degree Pathways does, at
// least months at the employer and hours a week (3 months and 10 hours
// there). A person hired but not started needs review
// ([MinimumEmploymentFor] with [HiredReview]); a program that says
// otherwise configures [Eligibility.Hired].
func MinimumEmployment(months int, hours float64) Rule[Application] {
	return MinimumEmploymentFor(months, hours, HiredReview)
}

// ReadyForLevel requires, for an endorsement-support cycle, that the
// applicant meets the requirements of the cycle's level now ([Readiness]),
// and does not already hold it.
func ReadyForLevel(c Cycle) Rule[Application] {
	return Each(RuleInfo{Name: "ready_for_level", Version: defaultBuiltinRuleVersion,
		Description: "meets the education, experience and hours of the endorsement level applied for"},
		func(a Application) []Reason {
			if c.Level == "" {
				return nil
			}
			ap := a.Applicant
			if ap.Endorsement.Rank() >= c.Level.Rank() {
				return []Reason{{Code: CodeAlreadyHoldsLevel, Field: "applicant.endorsement", Outcome: Ineligible,
					Params: map[string]string{"level": string(ap.Endorsement)}}}
			}
			missing := Missing(c.Level, Qualifications{Education: ap.Education, Years: ap.YearsExperience, ReflectiveHours: ap.ReflectiveHours, TrainingHours: ap.TrainingHours})
			for i := range missing {
				missing[i].Outcome = Ineligible
			}
			return missing
		})
}

// BuiltinRules returns the built-in rules for a cycle of a program, in a
// stable order. A cycle with [Cycle.Eligibility] gets the rules it
// chooses: the region's employer rule (King County or statewide), caps,
// documents and qualifying programs, then participating employer, months
// and hours (with the hired-not-started policy), education, employer
// confirmation and the endorsement level when configured. Otherwise the
// program's kind chooses, with the King County rule always.
func BuiltinRules(p Program, c Cycle) []Rule[Application] {
	if c.Eligibility != nil {
		return configuredRules(c, *c.Eligibility)
	}
	rules := []Rule[Application]{KingCountyAgency(), Caps(c), RequiredDocuments(c)}
	switch p.Kind {
	case ESITCareerPathways:
		rules = append(rules, QualifyingProgram(c), EmployerConfirmation(), MinimumEmployment(3, 10))
	case EndorsementSupport:
		rules = append(rules, ReadyForLevel(c))
		if c.Level == "infant_family_associate" {
			rules = append(rules, DegreeOrExperience())
		}
	case TrainingReimbursement:
		rules = append(rules, EmployerConfirmation())
	}
	return rules
}
