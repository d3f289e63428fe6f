package grouping

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/beststarts/workforce/bsk"
)

// The message catalogs: one JSON file per language under texts/, which
// translators edit. Each holds the sentences by message key (a code, or a
// code and its variant: "no_feasible_group.at_most") with {param}
// placeholders, the counted nouns by plural form, the attributes' nouns
// (with an indefinite article and bare), the days, roles and languages.
//
//go:embed texts/*.json
var catalogFiles embed.FS

// catalog is one language's file.
type catalog struct {
	Language string `json:"language"`
	Name     string `json:"name"`
	// Note is the file's header for translators (a draft says so).
	Note     string            `json:"note"`
	Messages map[string]string `json:"messages"`
	// Counts are counted nouns by plural form ("one", "few", "many",
	// "other"), with {n} for the number.
	Counts map[string]map[string]string `json:"counts"`
	// Attributes name each attribute with an indefinite article and bare
	// (in Spanish, with a definite article).
	Attributes map[string][2]string `json:"attributes"`
	Days       map[string]string    `json:"days"`
	Roles      map[string]string    `json:"roles"`
	Languages  map[string]string    `json:"languages"`
}

// catalogs loads every language's file once; a file that does not parse
// is a bug the package's tests catch, so it panics at first use.
var catalogs = sync.OnceValue(func() map[string]*catalog {
	out := map[string]*catalog{}
	for _, l := range Languages() {
		b, err := catalogFiles.ReadFile("texts/" + l + ".json")
		if err != nil {
			panic(fmt.Errorf("grouping texts: %w", err))
		}
		var c catalog
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil || c.Language != l {
			panic(fmt.Errorf("grouping texts/%s.json: language %q: %v", l, c.Language, err))
		}
		out[l] = &c
	}
	return out
})

// reasonText renders one code: the message keys it may use, and the
// function that picks among them and fills their parameters.
type reasonText struct {
	keys   []string
	render func(a *textArgs) string
}

// textArgs are a reason's parameters as the sentences of one language
// read them.
type textArgs struct {
	p     map[string]string
	slots []bsk.Slot
	attr  string // the attribute of a prefixed code
	cat   *catalog
	// missing is set when a message the sentence needs is not in cat: the
	// sentence is then rendered again in English.
	missing bool
}

// msg renders message key with params; a key cat lacks reads English's
// and marks the sentence missing.
func (a *textArgs) msg(key string, params map[string]string) string {
	tmpl := a.cat.Messages[key]
	if tmpl == "" {
		a.missing = true
		tmpl = catalogs()[EnglishText].Messages[key]
	}
	return fill(tmpl, params)
}

// fill replaces each {param} of tmpl with its value, in one pass (a value
// that holds braces is never read as a placeholder); a placeholder without
// a value stays as written.
func fill(tmpl string, params map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		if v, ok := params[tmpl[i+1:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
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

func (a *textArgs) nounForm(form int) string { return a.nounOf(a.attribute(), form) }

// nounOf names attribute attr in the given form (0: noun, 1: bare).
func (a *textArgs) nounOf(attr string, form int) string {
	if n, ok := a.cat.Attributes[attr]; ok && n[form] != "" {
		return n[form]
	}
	if n, ok := catalogs()[EnglishText].Attributes[attr]; ok {
		a.missing = true
		return n[form]
	}
	plain := strings.ReplaceAll(attr, "_", " ")
	return a.msg([2]string{"attribute.noun", "attribute.bare"}[form], map[string]string{"attr": plain})
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
	return a.list(out)
}

// list joins words as "A, B or C" ("A, B o C").
func (a *textArgs) list(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], a.msg("list.sep", nil)) + a.msg("list.or", nil) + words[len(words)-1]
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

// language names a language code: by the catalog's name, else by its
// English name (bsk's), else as the code.
func (a *textArgs) language(code string) string {
	if n := a.cat.Languages[code]; n != "" {
		return n
	}
	if a.cat.Language != EnglishText && bsk.Language(code).Valid() {
		a.missing = true
	}
	return bsk.Language(code).Name()
}

// role names a role code.
func (a *textArgs) role(code string) string {
	if n := a.cat.Roles[code]; n != "" {
		return n
	}
	if n := catalogs()[EnglishText].Roles[code]; n != "" {
		a.missing = true
		return n
	}
	return strings.ReplaceAll(code, "_", " ")
}

// slot renders a slot code ("tue-0900") as "Tuesday 09:00-10:30" when the
// slot is known, else as "Tuesday 09:00".
func (a *textArgs) slot(code string) string {
	day, hm, ok := strings.Cut(code, "-")
	name := a.cat.Days[day]
	if !ok || !bsk.Day(day).Valid() || len(hm) != 4 {
		return code
	}
	if name == "" {
		a.missing = true
		name = catalogs()[EnglishText].Days[day]
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
	if a.p["full_groups"] == "1" {
		return a.msg("full.one", nil)
	}
	return a.msg("full.many", map[string]string{"n": a.p["full_groups"]})
}

// theirs is the member's values in parentheses, or says they have none on
// file.
func (a *textArgs) theirs() string {
	if v := a.values("values", a.attribute()); v != "" {
		return a.msg("theirs", map[string]string{"values": v})
	}
	return a.msg("theirs.none", nil)
}

// count renders count parameter k with its noun in the plural form the
// number takes in the catalog's language: "1 group", "45 groups".
func (a *textArgs) count(k, noun string) string {
	v := a.n(k)
	forms := a.cat.Counts[noun]
	if forms == nil {
		a.missing = true
		forms = catalogs()[EnglishText].Counts[noun]
	}
	t := forms[pluralForm(a.cat.Language, v)]
	if t == "" {
		t = forms["other"]
	}
	return fill(t, map[string]string{"n": v})
}

// pluralForm is the CLDR plural category of the cardinal v in language l:
// "one" for 1 in English, Spanish and Somali; "one", "few" or "many" in
// Russian; "other" for any other number, and always in Chinese,
// Vietnamese and Korean.
func pluralForm(l, v string) string {
	n, err := strconv.Atoi(v)
	if err != nil {
		return "other"
	}
	switch l {
	case ChineseText, VietnameseText, KoreanText:
		return "other"
	case RussianText:
		n = max(n, -n)
		switch {
		case n%10 == 1 && n%100 != 11:
			return "one"
		case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
			return "few"
		}
		return "many"
	}
	if v == "1" {
		return "one"
	}
	return "other"
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
	return a.msg("unknown", map[string]string{"code": code, "code_quoted": strconv.Quote(code), "params": more})
}

// criterion are the parameters of an unmet criterion's sentence.
func (a *textArgs) criterion() map[string]string {
	return map[string]string{"group": a.group("group"), "criterion": a.p["criterion"], "criterion_quoted": strconv.Quote(a.p["criterion"])}
}

// plain is the reasonText of a code whose sentence has no parameters.
func plain(key string) *reasonText {
	return &reasonText{keys: []string{key}, render: func(a *textArgs) string { return a.msg(key, nil) }}
}

// reasonTexts holds every code's sentences. A new code needs an entry
// here and its messages in texts/en.json and texts/es.json: the package's
// tests scan its sources for codes without one.
var reasonTexts = map[string]*reasonText{
	// Members the search could not place (Solve).
	ReasonNoGroupSharesPrefix: {keys: []string{"no_group_shares", "no_group_shares.none_with", "no_group_shares.few_with",
		"no_group_shares.none_with_also", "no_group_shares.few_with_also"},
		render: func(a *textArgs) string {
			if a.has("needed") && a.has("also") {
				noun2 := a.nounOf(a.p["also"], 0)
				if a.none("with") {
					return a.msg("no_group_shares.none_with_also", map[string]string{"noun": a.noun(), "noun2": noun2, "theirs": a.theirs(), "needed": a.count("needed", "other_member")})
				}
				return a.msg("no_group_shares.few_with_also", map[string]string{"with": a.count("with", "other_member"), "noun": a.noun(), "noun2": noun2, "theirs": a.theirs(), "needed": a.n("needed")})
			}
			if a.has("needed") {
				if a.none("with") {
					return a.msg("no_group_shares.none_with", map[string]string{"noun": a.noun(), "theirs": a.theirs(), "needed": a.count("needed", "other_member")})
				}
				return a.msg("no_group_shares.few_with", map[string]string{"with": a.count("with", "other_member"), "noun": a.noun(), "theirs": a.theirs(), "needed": a.n("needed")})
			}
			return a.msg("no_group_shares", map[string]string{"noun": a.noun(), "theirs": a.theirs(), "full": a.full()})
		}},
	ReasonNoGroupWithSamePrefix: {keys: []string{"no_group_with_same"}, render: func(a *textArgs) string {
		return a.msg("no_group_with_same", map[string]string{"bare": a.bare(), "theirs": a.theirs(), "full": a.full()})
	}},
	"no_feasible_group": {keys: []string{"no_feasible_group", "no_feasible_group.at_most", "no_feasible_group.separate"},
		render: func(a *textArgs) string {
			switch ConstraintKind(a.p["constraint"]) {
			case AtMost:
				return a.msg("no_feasible_group.at_most", map[string]string{"bare": a.bare(), "theirs": a.theirs(), "full": a.full()})
			case Separate:
				return a.msg("no_feasible_group.separate", map[string]string{"bare": a.bare(), "theirs": a.theirs(), "full": a.full()})
			}
			return a.msg("no_feasible_group", map[string]string{"full": a.full()})
		}},
	"cannot_link_everywhere": {keys: []string{"cannot_link_everywhere"}, render: func(a *textArgs) string {
		return a.msg("cannot_link_everywhere", map[string]string{"full": a.full()})
	}},
	"groups_full": plain("groups_full"),
	"pin_breaks_constraint": {keys: []string{"pin_breaks_constraint"}, render: func(a *textArgs) string {
		return a.msg("pin_breaks_constraint", map[string]string{"group": a.group("group")})
	}},
	ReasonNoLeaderFits: {keys: []string{"no_leader_fits", "no_leader_fits.share", "no_leader_fits.share_given", "no_leader_fits.conflict"},
		render: func(a *textArgs) string {
			switch ConstraintKind(a.p["constraint"]) {
			case leaderShare:
				if g := a.p["given"]; g != "" {
					given := ""
					if v := a.values("given_values", g); v != "" {
						given = a.msg("theirs", map[string]string{"values": v})
					}
					return a.msg("no_leader_fits.share_given", map[string]string{"given": a.nounOf(g, 0), "given_theirs": given,
						"noun": a.noun(), "theirs": a.theirs()})
				}
				return a.msg("no_leader_fits.share", map[string]string{"noun": a.noun(), "theirs": a.theirs()})
			case leaderConflict:
				return a.msg("no_leader_fits.conflict", map[string]string{"bare": a.bare(), "theirs": a.theirs()})
			}
			return a.msg("no_leader_fits", nil)
		}},
	ReasonBelowMinimum: {keys: []string{"group_below_minimum", "group_below_minimum.allow"},
		render: func(a *textArgs) string {
			s := a.msg("group_below_minimum", map[string]string{"group": a.group("group"), "size": a.count("size", "member"), "min": a.n("min")})
			if a.has("allow") {
				s += a.msg("group_below_minimum.allow", map[string]string{"allow": a.p["allow"]})
			}
			return s
		}},

	// Providers a preset leaves out.
	"leads_groups": {keys: []string{"leads_groups", "leads_groups.role"}, render: func(a *textArgs) string {
		if a.has("role") {
			return a.msg("leads_groups.role", map[string]string{"role": a.role(a.p["role"])})
		}
		return a.msg("leads_groups", nil)
	}},
	"does_not_speak": {keys: []string{"does_not_speak"}, render: func(a *textArgs) string {
		return a.msg("does_not_speak", map[string]string{"language": a.language(a.p["language"])})
	}},

	// Members without an offering (AssignChoices).
	"choices_full":                        plain("choices_full"),
	"no_choices":                          plain("no_choices"),
	"no_choice_in_their_languages":        plain("no_choice_in_their_languages"),
	"no_ranked_choice_in_their_languages": plain("no_ranked_choice_in_their_languages"),

	// Groups without a leader (AssignLeaders, AssignLeading, Solve).
	ReasonNoLeaderSharesPrefix: {keys: []string{"no_leader_shares"}, render: func(a *textArgs) string {
		return a.msg("no_leader_shares", map[string]string{"noun": a.noun()})
	}},
	"no_leaders":                plain("no_leaders"),
	"all_eligible_leaders_full": plain("all_eligible_leaders_full"),
	"only_conflicting_leaders":  plain("only_conflicting_leaders"),
	"no_eligible_leader":        plain("no_eligible_leader"),

	// Cases without clinicians (AssignCases).
	ReasonNoLanguage: {keys: []string{ReasonNoLanguage}, render: func(a *textArgs) string {
		return a.msg(ReasonNoLanguage, map[string]string{"languages": a.values("languages", AttrLanguages)})
	}},
	ReasonCaseTooLong: {keys: []string{ReasonCaseTooLong}, render: func(a *textArgs) string {
		return a.msg(ReasonCaseTooLong, map[string]string{"hours": a.count("hours", "hour"), "most": a.n("most")})
	}},
	ReasonNoSecondClinician: {keys: []string{ReasonNoSecondClinician}, render: func(a *textArgs) string {
		return a.msg(ReasonNoSecondClinician, map[string]string{"clinician": a.p["clinician"]})
	}},
	ReasonNoHoursLeft: {keys: []string{ReasonNoHoursLeft}, render: func(a *textArgs) string {
		return a.msg(ReasonNoHoursLeft, map[string]string{"needed": a.count("needed", "clinician"),
			"hours": a.count("hours", "hour"), "eligible": a.count("eligible", "clinician")})
	}},

	// Soft criteria a group leaves unmet (Unmet.Code).
	"isolated": {keys: []string{"isolated", "isolated.one"}, render: func(a *textArgs) string {
		p := a.criterion()
		if a.n("members") == "1" {
			return a.msg("isolated.one", p)
		}
		p["members"] = a.n("members")
		return a.msg("isolated", p)
	}},
	"no_peer": {keys: []string{"no_peer"}, render: func(a *textArgs) string {
		p := a.criterion()
		p["members"] = a.count("members", "member")
		return a.msg("no_peer", p)
	}},
	"unbalanced": {keys: []string{"unbalanced"}, render: func(a *textArgs) string { return a.msg("unbalanced", a.criterion()) }},
}
