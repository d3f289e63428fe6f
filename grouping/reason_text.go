package grouping

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// The languages reasons render in. Text takes a language tag such as "es"
// or "es-MX"; any language other than Spanish reads English.
const (
	EnglishText = "en"
	SpanishText = "es"
)

// The prefixes of codes that end with the attribute they are about:
// "no_group_shares_languages", "no_group_with_same_organization",
// "no_leader_shares_slots".
const (
	// ReasonNoGroupSharesPrefix: no group with room shares a value of a
	// [Share] attribute with the member. Params: "attr", "values" (the
	// member's values), and either "full_groups" (groups without room) or
	// "with" and "needed" (how many others hold one of the member's values,
	// and how many the smallest group needs).
	ReasonNoGroupSharesPrefix = "no_group_shares_"
	// ReasonNoGroupWithSamePrefix: no group with room has the member's
	// value of a [Same] attribute. Params: "attr", "values", "full_groups".
	ReasonNoGroupWithSamePrefix = "no_group_with_same_"
	// ReasonNoLeaderSharesPrefix: no leader shares a value of the attribute
	// with every member of the group (an unled group; no params).
	ReasonNoLeaderSharesPrefix = "no_leader_shares_"
)

// ReasonCodes lists every fixed code the package's reasons carry: why a
// member is unplaced or excluded, why a group has no leader, why a member
// has no offering, why a case is unassigned, and how a soft criterion is
// unmet ([Unmet.Code]). Codes that end with an attribute start with one of
// [ReasonPrefixes]. Every one of them has a text in English and Spanish.
func ReasonCodes() []string {
	codes := make([]string, 0, len(reasonTexts))
	for c := range reasonTexts {
		if !slices.Contains(ReasonPrefixes(), c) {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	return codes
}

// ReasonPrefixes lists the prefixes of codes that end with the attribute
// they are about (see [ReasonNoGroupSharesPrefix]).
func ReasonPrefixes() []string {
	return []string{ReasonNoGroupSharesPrefix, ReasonNoGroupWithSamePrefix, ReasonNoLeaderSharesPrefix}
}

// HasText reports whether code has its own text in language lang (a code
// that ends with an attribute has the text of its prefix).
func HasText(code, lang string) bool {
	t, _ := lookup(code)
	if t == nil {
		return false
	}
	if TextLanguage(lang) == SpanishText {
		return t.es != nil
	}
	return t.en != nil
}

// Texts renders reasons with what the caller knows beyond a reason's
// parameters. The zero value works: a meeting slot code reads as its day
// and start time ("Tuesday 09:00").
type Texts struct {
	// Slots are the meeting slots the members' slot codes ([SlotCode])
	// came from; a code among them reads as its whole window ("Tuesday
	// 09:00-10:30").
	Slots []bsk.Slot
}

// Text renders r in language lang (English for any language but Spanish)
// as a full sentence, its parameters made readable: language codes as
// language names, slot codes as days and times, group indexes as group
// numbers from 1. A code the package does not give renders as a neutral
// sentence that names it, with its parameters.
func (r Reason) Text(lang string) string { return Texts{}.Text(r, lang) }

// Text renders r in language lang; see [Reason.Text].
func (t Texts) Text(r Reason, lang string) string {
	es := TextLanguage(lang) == SpanishText
	entry, attr := lookup(r.Code)
	a := &textArgs{p: r.Params, slots: t.Slots, es: es, attr: attr}
	if entry == nil {
		return a.unknown(r.Code)
	}
	if es && entry.es != nil {
		return entry.es(a)
	}
	return entry.en(a)
}

// Text renders the unmet criterion in language lang: which group, how many
// of its members, and the criterion's name.
func (u Unmet) Text(lang string) string {
	return Reason{Code: u.Code, Params: map[string]string{
		"criterion": u.Criterion, "group": itoa(u.Group), "members": itoa(len(u.Members))}}.Text(lang)
}

// TextLanguage is the language [Reason.Text] renders a language tag in:
// [SpanishText] for "es", "es-MX" and the like, [EnglishText] for any
// other.
func TextLanguage(lang string) string {
	tag := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == SpanishText {
		return SpanishText
	}
	return EnglishText
}

// lookup finds a code's entry, and the attribute a prefixed code ends
// with.
func lookup(code string) (*reasonText, string) {
	if t, ok := reasonTexts[code]; ok && !slices.Contains(ReasonPrefixes(), code) {
		return t, ""
	}
	for _, p := range ReasonPrefixes() {
		if attr, ok := strings.CutPrefix(code, p); ok && attr != "" {
			return reasonTexts[p], attr
		}
	}
	return nil, ""
}

// reasonText renders one code in each language.
type reasonText struct {
	en, es func(a *textArgs) string
}

// textArgs are a reason's parameters as the sentences read them.
type textArgs struct {
	p     map[string]string
	slots []bsk.Slot
	es    bool
	attr  string // the attribute of a prefixed code
}

// has reports whether parameter k is set and not empty.
func (a *textArgs) has(k string) bool { return a.p[k] != "" }

// n is a count parameter ("0" when absent).
func (a *textArgs) n(k string) string {
	if v := a.p[k]; v != "" {
		return v
	}
	return "0"
}

// none reports whether count parameter k is absent or not above 0 (a
// member with no value of an attribute counts -1 others sharing one).
func (a *textArgs) none(k string) bool {
	n, err := strconv.Atoi(a.p[k])
	return err != nil || n <= 0
}

// group is a group index parameter as a group number from 1.
func (a *textArgs) group(k string) string {
	v := a.p[k]
	if g, err := strconv.Atoi(v); err == nil && g >= 0 {
		return strconv.Itoa(g + 1)
	}
	if v == "" {
		return "?"
	}
	return v
}

// attribute is the attribute the reason is about: the prefixed code's,
// else the "attr" parameter.
func (a *textArgs) attribute() string {
	if a.attr != "" {
		return a.attr
	}
	return a.p["attr"]
}

// noun names the attribute with an indefinite article: "a language",
// "un idioma".
func (a *textArgs) noun() string { return a.nounForm(0) }

// bare names the attribute without an article in English ("language") and
// with a definite one in Spanish ("el idioma").
func (a *textArgs) bare() string { return a.nounForm(1) }

func (a *textArgs) nounForm(form int) string {
	attr := a.attribute()
	lang := 0
	if a.es {
		lang = 2
	}
	if n, ok := attrNouns[attr]; ok {
		return n[lang+form]
	}
	plain := strings.ReplaceAll(attr, "_", " ")
	return [4]string{"a value of " + plain, plain, "un valor de «" + plain + "»", "«" + plain + "»"}[lang+form]
}

// values renders a comma-joined list of an attribute's values for people:
// "Arabic or Somali", "Tuesday 09:00-10:30".
func (a *textArgs) values(k, attr string) string {
	v := a.p[k]
	if v == "" {
		return ""
	}
	codes := strings.Split(v, ",")
	if attr == AttrSlots {
		// Slot codes read in the week's order, Monday first.
		slices.SortStableFunc(codes, func(x, y string) int {
			dx, _, _ := strings.Cut(x, "-")
			dy, _, _ := strings.Cut(y, "-")
			if c := bsk.Day(dx).Index() - bsk.Day(dy).Index(); c != 0 {
				return c
			}
			return strings.Compare(x, y)
		})
	}
	var out []string
	for _, x := range codes {
		out = append(out, a.value(attr, strings.TrimSpace(x)))
	}
	return a.list(out, "or", "o")
}

// list joins words as "A, B or C" ("A, B o C").
func (a *textArgs) list(words []string, or, o string) string {
	conj := or
	if a.es {
		conj = o
	}
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// value renders one value of attribute attr.
func (a *textArgs) value(attr, v string) string {
	switch attr {
	case AttrLanguages:
		return a.language(v)
	case AttrSlots:
		return a.slot(v)
	case AttrRole:
		return a.role(v)
	}
	return v
}

// language names a language code.
func (a *textArgs) language(code string) string {
	if a.es {
		if n, ok := spanishLanguages[bsk.Language(code)]; ok {
			return n
		}
		return code
	}
	return bsk.Language(code).Name()
}

// role names a role code.
func (a *textArgs) role(code string) string {
	if n, ok := roleNames[bsk.Role(code)]; ok {
		if a.es {
			return n[1]
		}
		return n[0]
	}
	return strings.ReplaceAll(code, "_", " ")
}

// slot renders a slot code ("tue-0900") as "Tuesday 09:00-10:30" when the
// slot is known, else as "Tuesday 09:00".
func (a *textArgs) slot(code string) string {
	day, hm, ok := strings.Cut(code, "-")
	names, known := dayNames[bsk.Day(day)]
	if !ok || !known || len(hm) != 4 {
		return code
	}
	name := names[0]
	if a.es {
		name = names[1]
	}
	for _, s := range a.slots {
		if SlotCode(s) == code {
			return fmt.Sprintf("%s %02d:%02d-%02d:%02d", name, s.Start/60, s.Start%60, s.End/60, s.End%60)
		}
	}
	return name + " " + hm[:2] + ":" + hm[2:]
}

// full is the clause on full groups, when the reason counts them.
func (a *textArgs) full() string {
	if !a.has("full_groups") {
		return ""
	}
	if a.es {
		if a.p["full_groups"] == "1" {
			return "; otro grupo está lleno"
		}
		return fmt.Sprintf("; otros %s grupos están llenos", a.p["full_groups"])
	}
	if a.p["full_groups"] == "1" {
		return "; one other group is full"
	}
	return fmt.Sprintf("; %s other groups are full", a.p["full_groups"])
}

// theirs is the member's values in parentheses, or says they have none on
// file.
func (a *textArgs) theirs() string {
	if v := a.values("values", a.attribute()); v != "" {
		return " (" + v + ")"
	}
	if a.es {
		return " (sin datos registrados)"
	}
	return " (none on file)"
}

// count renders count parameter k with its noun: "1 group", "45 groups".
func (a *textArgs) count(k, one, many string) string {
	v := a.n(k)
	if v == "1" {
		return v + " " + one
	}
	return v + " " + many
}

// unknown is the neutral sentence of a code without a text.
func (a *textArgs) unknown(code string) string {
	keys := make([]string, 0, len(a.p))
	for k := range a.p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var ps []string
	for _, k := range keys {
		ps = append(ps, k+": "+a.p[k])
	}
	more := ""
	if len(ps) > 0 {
		more = " (" + strings.Join(ps, ", ") + ")"
	}
	if a.es {
		return fmt.Sprintf("Motivo «%s»%s: aún no hay una descripción para este motivo.", code, more)
	}
	return fmt.Sprintf("Reason %q%s: there is no description for this reason yet.", code, more)
}

// attrNouns name the presets' attributes: in English with an article and
// without, in Spanish with an indefinite and a definite article.
var attrNouns = map[string][4]string{
	AttrLanguages:     {"a language", "language", "un idioma", "el idioma"},
	AttrSlots:         {"a meeting time", "meeting time", "un horario de reunión", "el horario de reunión"},
	AttrOrganization:  {"an organization", "organization", "una organización", "la organización"},
	AttrRole:          {"a role", "role", "una función", "la función"},
	AttrRegion:        {"a region", "region", "una región", "la región"},
	AttrGender:        {"a gender", "gender", "un género", "el género"},
	AttrAgeBand:       {"an age band", "age band", "un grupo de edad", "el grupo de edad"},
	AttrDisciplines:   {"a discipline", "discipline", "una disciplina", "la disciplina"},
	AttrServiceLevels: {"a service level", "service level", "un nivel de servicio", "el nivel de servicio"},
	AttrRace:          {"a race or ethnicity", "race or ethnicity", "una raza u origen étnico", "la raza u origen étnico"},
	AttrYears:         {"a number of years of experience", "years of experience", "unos años de experiencia", "los años de experiencia"},
}

// dayNames are the days' names in English and Spanish.
var dayNames = map[bsk.Day][2]string{
	bsk.Monday: {"Monday", "lunes"}, bsk.Tuesday: {"Tuesday", "martes"}, bsk.Wednesday: {"Wednesday", "miércoles"},
	bsk.Thursday: {"Thursday", "jueves"}, bsk.Friday: {"Friday", "viernes"}, bsk.Saturday: {"Saturday", "sábado"},
	bsk.Sunday: {"Sunday", "domingo"},
}

// roleNames are the roles' names in English and Spanish.
var roleNames = map[bsk.Role][2]string{
	bsk.RoleDirectService: {"direct service staff", "personal de servicio directo"},
	bsk.RoleSupervisor:    {"supervisor", "supervisor"},
	bsk.RoleDirector:      {"director", "director"},
	bsk.RoleConsultant:    {"reflective consultant", "consultor reflexivo"},
	bsk.RoleTrainer:       {"trainer", "capacitador"},
	bsk.RoleMentor:        {"mentor", "mentor"},
	bsk.RoleFacilitator:   {"facilitator", "facilitador"},
}

// spanishLanguages are the Spanish names of the languages bsk knows
// (bsk names them in English).
var spanishLanguages = map[bsk.Language]string{
	bsk.English: "inglés", bsk.Spanish: "español", bsk.Chinese: "chino", bsk.Mandarin: "mandarín",
	bsk.Cantonese: "cantonés", bsk.Vietnamese: "vietnamita", bsk.ASL: "lengua de señas americana",
	bsk.Arabic: "árabe", bsk.Dari: "dari", bsk.Farsi: "farsi", bsk.Somali: "somalí", bsk.Amharic: "amárico",
	bsk.Tigrinya: "tigriña", bsk.Oromo: "oromo", bsk.Russian: "ruso", bsk.Ukrainian: "ucraniano",
	bsk.Korean: "coreano", bsk.Tagalog: "tagalo", bsk.Punjabi: "panyabí", bsk.Hindi: "hindi",
	bsk.Japanese: "japonés", bsk.Khmer: "jemer", bsk.Lao: "lao", bsk.Marshallese: "marshalés",
	bsk.Samoan: "samoano", bsk.Swahili: "suajili", bsk.French: "francés", bsk.Portuguese: "portugués",
	bsk.Pashto: "pastún", bsk.Burmese: "birmano",
}
