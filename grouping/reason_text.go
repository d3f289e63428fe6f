package grouping

import (
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// The languages reasons render in: the languages King County translates
// vital documents into. Text takes a language tag such as "es" or "es-MX";
// English and Spanish are complete, the others drafts awaiting review by a
// qualified translator, and a reason without a text in the reader's
// language reads English.
const (
	EnglishText    = "en"
	SpanishText    = "es"
	ChineseText    = "zh"
	VietnameseText = "vi"
	RussianText    = "ru"
	KoreanText     = "ko"
	SomaliText     = "so"
)

// Languages lists the languages reasons render in, English first.
func Languages() []string {
	return []string{EnglishText, SpanishText, ChineseText, VietnameseText, RussianText, KoreanText, SomaliText}
}

// The prefixes of codes that end with the attribute they are about:
// "no_group_shares_languages", "no_group_with_same_organization",
// "no_leader_shares_slots".
const (
	// ReasonNoGroupSharesPrefix: no group with room shares a value of a
	// [Share] attribute with the member. Params: "attr", "values" (the
	// member's values), and either "full_groups" (groups without room) or
	// "with" and "needed" (how many others hold one of the member's values,
	// and how many the smallest group needs); with "also" naming a second
	// Share attribute, "with" counts the others who hold one of the
	// member's values of each at once (a language and a meeting time).
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
// that ends with an attribute has the text of its prefix), read as
// [TextLanguage] reads lang; a language without one reads English.
func HasText(code, lang string) bool {
	t, _ := lookup(code)
	c := catalogs()[TextLanguage(lang)]
	if t == nil || c == nil {
		return false
	}
	for _, k := range t.keys {
		if c.Messages[k] == "" {
			return false
		}
	}
	return true
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

// Text renders r in language lang (one of [Languages], by its base tag;
// English for any other) as a full sentence, its parameters made
// readable: language codes as language names, slot codes as days and
// times, roles by their names, group indexes as group numbers from 1. A
// language without the text reads English, names too, so a sentence never
// mixes languages. A code the package does not give renders as a neutral
// sentence that names it, with its parameters.
func (r Reason) Text(lang string) string { return Texts{}.Text(r, lang) }

// Text renders r in language lang; see [Reason.Text].
func (t Texts) Text(r Reason, lang string) string {
	l := TextLanguage(lang)
	entry, attr := lookup(r.Code)
	a := &textArgs{p: r.Params, slots: t.Slots, attr: attr, cat: catalogs()[l]}
	if entry == nil {
		return a.unknown(r.Code)
	}
	s := entry.render(a)
	if a.missing && l != EnglishText {
		a = &textArgs{p: r.Params, slots: t.Slots, attr: attr, cat: catalogs()[EnglishText]}
		s = entry.render(a)
	}
	return s
}

// Text renders the unmet criterion in language lang: which group, how many
// of its members, and the criterion's name.
func (u Unmet) Text(lang string) string {
	return Reason{Code: u.Code, Params: map[string]string{
		"criterion": u.Criterion, "group": itoa(u.Group), "members": itoa(len(u.Members))}}.Text(lang)
}

// TextLanguage is the language [Reason.Text] renders a language tag in:
// the tag's base language when it is one of [Languages] ("es" for "es-MX",
// "zh" for "zh-Hans-CN"), [EnglishText] for any other.
func TextLanguage(lang string) string {
	tag := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if slices.Contains(Languages(), tag) {
		return tag
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
