package scholarship

import (
	"slices"
	"strconv"
	"strings"
)

// Lang is a language reasons are rendered in.
type Lang string

// The languages reasons render in.
const (
	EnglishText Lang = "en"
	SpanishText Lang = "es"
)

// templates hold each code's text with {param} placeholders.
var templates = map[string]map[Lang]string{
	// An eligible decision says so, whatever else its reasons say.
	string(Eligible): {
		EnglishText: "Your application meets every requirement of this cycle.",
		SpanishText: "Su solicitud cumple todos los requisitos de este ciclo.",
	},
	// A decision's step, after its eligibility (see [StepText]).
	"awarded": {
		EnglishText: "You are awarded {amount}.",
		SpanishText: "Se le otorga una beca de {amount}.",
	},
	"waitlisted": {
		EnglishText: "You are on the waitlist, ranked {rank}: the budget ran out before your application. If an award is declined, its money goes down the waitlist in rank order.",
		SpanishText: "Está en la lista de espera, en el puesto {rank}: el presupuesto se agotó antes de llegar a su solicitud. Si alguien rechaza su beca, ese dinero pasa a la lista de espera por orden.",
	},
	"nothing_to_award": {
		EnglishText: "Nothing you asked for is left to award under this cycle's caps.",
		SpanishText: "No queda nada de lo que solicitó que se pueda otorgar dentro de los límites de este ciclo.",
	},
	CodeNotKingCountyAgency: {
		EnglishText: "You must work at, or be hired by, an agency in King County.",
		SpanishText: "Debe trabajar en una agencia del condado de King, o haber sido contratado por una.",
	},
	CodeAgencyNotYoungChild: {
		EnglishText: "{organization} does not serve children under five and their families.",
		SpanishText: "{organization} no atiende a niños menores de cinco años ni a sus familias.",
	},
	CodeProgramNotQualifying: {
		EnglishText: "The program \"{program}\" is not one of this cycle's qualifying programs.",
		SpanishText: "El programa \"{program}\" no es uno de los programas que califican en este ciclo.",
	},
	CodeDegreeOrExperience: {
		EnglishText: "This level requires a degree or two years of experience in the field.",
		SpanishText: "Este nivel requiere un título o dos años de experiencia en el campo.",
	},
	CodeLifetimeCapReached: {
		EnglishText: "You have received {received}, the program's lifetime limit of {cap}.",
		SpanishText: "Ya recibió {received}, el límite total del programa de {cap}.",
	},
	CodeLifetimeCapNear: {
		EnglishText: "The program's lifetime limit leaves {left} for this award.",
		SpanishText: "El límite total del programa deja {left} para esta beca.",
	},
	CodeCategoryNotCovered: {
		EnglishText: "This cycle does not cover {category}.",
		SpanishText: "Este ciclo no cubre {category}.",
	},
	CodeAboveCategoryCap: {
		EnglishText: "You asked for {requested} for {category}; the most this cycle pays is {cap}.",
		SpanishText: "Pidió {requested} para {category}; lo máximo que paga este ciclo es {cap}.",
	},
	CodeAboveCombinedCap: {
		EnglishText: "You asked for {requested} for {categories} together; the most this cycle pays for them together is {cap}.",
		SpanishText: "Pidió {requested} para {categories} en conjunto; lo máximo que paga este ciclo por ellos en conjunto es {cap}.",
	},
	CodeAboveHourlyLimit: {
		EnglishText: "You asked for {hours} hours a week of {category}; this cycle pays at most {max_hours}.",
		SpanishText: "Pidió {hours} horas por semana de {category}; este ciclo paga como máximo {max_hours}.",
	},
	CodeAboveWeeksLimit: {
		EnglishText: "You asked for {weeks} weeks of {category}; this cycle pays at most {max_weeks}.",
		SpanishText: "Pidió {weeks} semanas de {category}; este ciclo paga como máximo {max_weeks}.",
	},
	CodeDocumentMissing: {
		EnglishText: "The document \"{document}\" is missing.",
		SpanishText: "Falta el documento \"{document}\".",
	},
	CodeEmployerNotConfirmed: {
		EnglishText: "Your employer has not yet confirmed your employment and release time.",
		SpanishText: "Su empleador aún no ha confirmado su empleo y su tiempo libre para estudiar.",
	},
	CodeEmploymentTooShort: {
		EnglishText: "You have worked {months} months at your agency; {required} are required.",
		SpanishText: "Ha trabajado {months} meses en su agencia; se requieren {required}.",
	},
	CodeTooFewHoursPerWeek: {
		EnglishText: "You work {hours} hours a week; at least {required} are required.",
		SpanishText: "Trabaja {hours} horas por semana; se requieren al menos {required}.",
	},
	CodeAlreadyHoldsLevel: {
		EnglishText: "You already hold the {level} endorsement or a higher one.",
		SpanishText: "Ya tiene el respaldo {level} o uno más alto.",
	},
	CodeNoEmployer: {
		EnglishText: "You must work at, or be hired by, an agency that serves young children.",
		SpanishText: "Debe trabajar en una agencia que atienda a niños pequeños, o haber sido contratado por una.",
	},
	CodeNotYetStarted: {
		EnglishText: "You have not started at your agency yet, and this program requires time worked there.",
		SpanishText: "Aún no ha empezado en su agencia, y este programa requiere tiempo trabajado allí.",
	},
	CodeEligiblePendingStart: {
		EnglishText: "You are eligible once you start at your agency.",
		SpanishText: "Será elegible cuando empiece en su agencia.",
	},
	CodeEducationRequired: {
		EnglishText: "This program requires {required} education or higher.",
		SpanishText: "Este programa requiere educación de nivel {required} o superior.",
	},
	CodeEmployerNotParticipat: {
		EnglishText: "Your agency {organization} does not take part in this program.",
		SpanishText: "Su agencia {organization} no participa en este programa.",
	},
	CodeRuleFailed: {
		EnglishText: "The rule \"{rule}\" could not be checked, so a person will review this application.",
		SpanishText: "No se pudo verificar la regla \"{rule}\"; una persona revisará esta solicitud.",
	},
	CodeCriterionFailed: {
		EnglishText: "The application could not be scored automatically, so a person will review it.",
		SpanishText: "No se pudo puntuar la solicitud automáticamente; una persona la revisará.",
	},
	CodeDeclined: {
		EnglishText: "You declined the award; its money was offered to the applicants waiting.",
		SpanishText: "Usted rechazó la beca; su dinero se ofreció a los solicitantes en espera.",
	},
	"education_short": {
		EnglishText: "The {level} level requires a {required} degree.",
		SpanishText: "El nivel {level} requiere un título de {required}.",
	},
	"experience_short": {
		EnglishText: "The {level} level requires {required} years of experience; {missing} more are needed.",
		SpanishText: "El nivel {level} requiere {required} años de experiencia; faltan {missing}.",
	},
	"reflective_hours_short": {
		EnglishText: "The {level} level requires {required} hours of reflective supervision or consultation; {missing} more are needed.",
		SpanishText: "El nivel {level} requiere {required} horas de supervisión o consulta reflexiva; faltan {missing}.",
	},
	"training_hours_short": {
		EnglishText: "The {level} level requires {required} hours of training; {missing} more are needed.",
		SpanishText: "El nivel {level} requiere {required} horas de capacitación; faltan {missing}.",
	},
	CodeDegreeDateMissing: {
		EnglishText: "The {level} level counts years after your degree: tell us when you completed it.",
		SpanishText: "El nivel {level} cuenta los años después de su título: indíquenos cuándo lo terminó.",
	},
	CodeRenewalHoursShort: {
		EnglishText: "To renew {level} by {due} you need {required} hours of training this year; {missing} more are needed.",
		SpanishText: "Para renovar {level} antes del {due} necesita {required} horas de capacitación este año; faltan {missing}.",
	},
	"exam_required": {
		EnglishText: "The {level} level also requires passing its exam.",
		SpanishText: "El nivel {level} también requiere aprobar su examen.",
	},
	CodeReviewNoLanguage: {
		EnglishText: "This application needs {needed} reviewers who read {language}; {available} do, so it has {assigned}.",
		SpanishText: "Esta solicitud necesita {needed} revisores que lean {language}; hay {available}, así que tiene {assigned}.",
	},
	CodeReviewConflicted: {
		EnglishText: "Only {available} of the reviewers who read {language} have no conflict of interest with this applicant; {needed} are needed, so it has {assigned}.",
		SpanishText: "Solo {available} de los revisores que leen {language} no tienen un conflicto de intereses con esta persona; se necesitan {needed}, así que tiene {assigned}.",
	},
	CodeReviewCapacity: {
		EnglishText: "The reviewers free to review this application had no room left: it has {assigned} of the {needed} reviewers it needs.",
		SpanishText: "Los revisores que podían revisar esta solicitud ya no tenían cupo: tiene {assigned} de los {needed} revisores que necesita.",
	},
	"fund_awarded": {
		EnglishText: "You are awarded {amount} from the {fund} fund.",
		SpanishText: "Se le otorga una beca de {amount} del fondo {fund}.",
	},
	"fund_waitlisted": {
		EnglishText: "You are on the waitlist, ranked {rank}: no fund you qualify for had money enough. If an award is declined or returned, the money goes down the waitlist in rank order.",
		SpanishText: "Está en la lista de espera, en el puesto {rank}: ningún fondo para el que califica tenía dinero suficiente. Si alguien rechaza o devuelve una beca, ese dinero pasa a la lista de espera por orden.",
	},
	"fund_declined": {
		EnglishText: "You declined the award of {amount}; it went back to the {fund} fund for the applicants waiting.",
		SpanishText: "Usted rechazó la beca de {amount}; el dinero volvió al fondo {fund} para los solicitantes en espera.",
	},
	"fund_returned": {
		EnglishText: "{amount} of your award went back to the {fund} fund for the applicants waiting.",
		SpanishText: "{amount} de su beca volvió al fondo {fund} para los solicitantes en espera.",
	},
	"fund_promoted": {
		EnglishText: "An award was declined or returned: you are now awarded {amount} from the {fund} fund.",
		SpanishText: "Alguien rechazó o devolvió una beca: ahora se le otorga una beca de {amount} del fondo {fund}.",
	},
}

// moneyParams are parameters that hold cents and render as dollars.
var moneyParams = map[string]bool{"cap": true, "received": true, "left": true, "requested": true, "amount": true}

// StepText says in plain language what a decision's step means for the
// applicant: the amount awarded, the place on the waitlist, or that
// nothing is left to award; "" for a step with nothing to add (an
// ineligible decision, whose reasons say why, or a declined award, whose
// reason says so).
func StepText(r DecisionRecord, l Lang) string {
	switch r.Step {
	case "awarded":
		if r.Award == nil {
			return ""
		}
		return Reason{Code: r.Step, Params: map[string]string{"amount": strconv.FormatInt(int64(r.Award.Amount), 10)}}.Text(l)
	case "waitlisted", "nothing_to_award":
		return Reason{Code: r.Step, Params: map[string]string{"rank": strconv.Itoa(r.Rank)}}.Text(l)
	}
	return ""
}

// Text renders the reason in the language asked for (English when the
// language is not known). A code without a template renders as the code
// and its parameters, so no reason is ever lost.
func (r Reason) Text(l Lang) string { return Texts(nil).Text(r, l) }

// Texts are reason templates from outside this package, such as an
// agency plug-in's: for each reason code, a template per language with
// the reason's {param} placeholders. A nil Texts holds none.
type Texts map[string]map[Lang]string

// Text renders r in language l: with this package's template for r's code
// when there is one (a caller's Texts cannot reword the package's own
// reasons), else with t's; a language without a template reads English.
// A code with no English template anywhere renders as the code and its
// parameters, so no reason is ever lost.
func (t Texts) Text(r Reason, l Lang) string {
	tmpl, ok := templates[r.Code][l]
	if !ok {
		tmpl, ok = templates[r.Code][EnglishText]
	}
	if !ok && templates[r.Code] == nil {
		if tmpl, ok = t[r.Code][l]; !ok || tmpl == "" {
			tmpl = t[r.Code][EnglishText]
			ok = tmpl != ""
		}
	}
	if !ok {
		keys := make([]string, 0, len(r.Params))
		for k := range r.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var b strings.Builder
		b.WriteString(r.Code)
		for _, k := range keys {
			b.WriteString(" " + k + "=" + r.Params[k])
		}
		return b.String()
	}
	for k, v := range r.Params {
		if moneyParams[k] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				v = Cents(n).String()
			}
		}
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", v)
	}
	return tmpl
}

// HasText reports whether code has a template in language l.
func HasText(code string, l Lang) bool {
	_, ok := templates[code][l]
	return ok
}
