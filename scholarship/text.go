package scholarship

import (
	"slices"
	"strconv"
	"strings"
)

// Lang is a language reasons are rendered in: a base language code as in
// BCP 47 ("en", "es", "zh").
type Lang string

// The languages reasons render in: the languages King County translates
// vital documents into. English and Spanish are complete; the others are
// drafts awaiting review by a qualified translator, and a reason without a
// text in them reads in English.
const (
	EnglishText    Lang = "en"
	SpanishText    Lang = "es"
	ChineseText    Lang = "zh"
	VietnameseText Lang = "vi"
	RussianText    Lang = "ru"
	KoreanText     Lang = "ko"
	SomaliText     Lang = "so"
)

// Languages lists the languages reasons render in, English first.
func Languages() []Lang {
	return []Lang{EnglishText, SpanishText, ChineseText, VietnameseText, RussianText, KoreanText, SomaliText}
}

// Name is the language's name in itself ("Español", "中文"), or the code
// for a language reasons are not rendered in.
func (l Lang) Name() string {
	if c, ok := catalogs()[l]; ok && c.Name != "" {
		return c.Name
	}
	return string(l)
}

// ReasonCodes lists every reason and step code the package gives a text
// to, sorted: the codes of the built-in rules, of reviewer assignment, of
// the ledger's steps and of a decision's step ([StepText]).
func ReasonCodes() []string {
	codes := make([]string, 0, len(catalogs()[EnglishText].Reasons))
	for c := range catalogs()[EnglishText].Reasons {
		if !slices.Contains(auxiliaryTexts, c) {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	return codes
}

// auxiliaryTexts are catalog entries that are sentences around other
// texts, not reason codes.
var auxiliaryTexts = []string{"eligible_because", "eligible_more"}

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

// EligibleText says why an eligible decision is eligible, in language l:
// the requirements of the record's rules it met, each in plain words
// ("you are enrolled in a qualifying degree or certificate program"), and
// how many other rules (an agency's own) it met too. It is "" for a
// decision that is not eligible.
func EligibleText(r DecisionRecord, l Lang) string {
	if r.Outcome != Eligible {
		return ""
	}
	var names []string
	for _, info := range r.Rules {
		if !slices.Contains(names, info.Name) {
			names = append(names, info.Name)
		}
	}
	met, others, l := metTexts(l, names)
	if len(met) == 0 {
		return Reason{Code: string(Eligible)}.Text(l)
	}
	because, bl := text(l, "eligible_because")
	if bl != l {
		// A sentence reads in one language: all English when l lacks one.
		met, others, l = metTexts(bl, names)
	}
	s := render(l, because, map[string]string{"met": strings.Join(met, word(l, "met_list"))})
	if others > 0 {
		more, _ := text(l, "eligible_more")
		s += " " + render(l, more, map[string]string{"count": strconv.Itoa(others)})
	}
	return s
}

// metTexts are the requirements the named rules check, in l, and how many
// rules have no such text (an agency's own), and their language. A rule
// with an English text but none in l makes every text English, so a
// sentence never mixes languages.
func metTexts(l Lang, names []string) ([]string, int, Lang) {
	var met []string
	others := 0
	for _, n := range names {
		en := catalogs()[EnglishText].Met[n]
		if en == "" {
			others++
			continue
		}
		t := ""
		if c, ok := catalogs()[l]; ok {
			t = c.Met[n]
		}
		if t == "" && l != EnglishText {
			return metTexts(EnglishText, names)
		}
		met = append(met, t)
	}
	return met, others, l
}

// Text renders the reason in the language asked for (English when the
// language has no text for it). A code without a text renders as a
// sentence that names it with its parameters, so no reason is ever lost.
func (r Reason) Text(l Lang) string { return Texts(nil).Text(r, l) }

// Texts are reason templates from outside this package, such as an
// agency plug-in's or a CEL rule's: for each reason code, a template per
// language with the reason's {param} placeholders. A nil Texts holds none.
type Texts map[string]map[Lang]string

// Text renders r in language l: with this package's text for r's code
// when there is one (a caller's Texts cannot reword the package's own
// reasons), else with t's; a language without a text reads English. A
// code with no English text anywhere renders as a sentence that names the
// code and its parameters, so no reason is ever lost. Parameters read in
// language l: amounts as dollars ("$1,250.00"), categories, education,
// endorsement levels and languages by their names, whole numbers without
// decimals.
func (t Texts) Text(r Reason, l Lang) string {
	tmpl := ""
	if _, own := catalogs()[EnglishText].Reasons[r.Code]; own {
		tmpl, l = text(l, r.Code)
	} else if tmpl = t[r.Code][l]; tmpl == "" {
		tmpl, l = t[r.Code][EnglishText], EnglishText
	}
	if tmpl == "" {
		return unknownText(r)
	}
	return render(l, tmpl, r.Params)
}

// HasText reports whether code has a text of this package in language l
// (a language without one reads English).
func HasText(code string, l Lang) bool {
	c, ok := catalogs()[l]
	if !ok {
		return false
	}
	_, ok = c.Reasons[code]
	return ok
}

// unknownText is the rendering of a code without a text in any language:
// the code and its parameters, sorted by name.
func unknownText(r Reason) string {
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
