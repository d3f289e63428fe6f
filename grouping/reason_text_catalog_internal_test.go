package grouping

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// helperKeys are the messages the sentences are built from.
var helperKeys = []string{"theirs", "theirs.none", "full.one", "full.many", "attribute.noun", "attribute.bare", "list.sep", "list.or", "unknown"}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func paramsOf(tmpl string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The catalogs hold every message the package uses, in English and
// Spanish with the same parameters; no file holds a message, attribute,
// day, role, language or counted noun the package does not know, and the
// other languages use only the parameters the package gives.
func TestCatalogs(t *testing.T) {
	used := slices.Clone(helperKeys)
	for _, e := range reasonTexts {
		used = append(used, e.keys...)
	}
	en, es := catalogs()[EnglishText], catalogs()[SpanishText]
	for _, k := range used {
		if en.Messages[k] == "" || es.Messages[k] == "" {
			t.Errorf("message %q: en %q, es %q; want both", k, en.Messages[k], es.Messages[k])
		}
	}
	// The sentences' own parameters: English and Spanish differ only in how
	// they quote (the unknown code, the criterion).
	allowed := func(k string) []string { return append(paramsOf(en.Messages[k]), paramsOf(es.Messages[k])...) }
	for k, tmpl := range en.Messages {
		if !strings.Contains(k, "unknown") && !slices.Contains([]string{"isolated", "isolated.one", "no_peer", "unbalanced"}, k) &&
			!slices.Equal(paramsOf(tmpl), paramsOf(es.Messages[k])) {
			t.Errorf("message %q: en params %v, es params %v", k, paramsOf(tmpl), paramsOf(es.Messages[k]))
		}
	}
	attrs := []string{AttrLanguages, AttrSlots, AttrOrganization, AttrRole, AttrRegion, AttrGender, AttrAgeBand, AttrDisciplines, AttrServiceLevels, AttrRace, AttrYears}
	for _, l := range Languages() {
		c := catalogs()[l]
		if c.Name == "" || c.Note == "" || (l != EnglishText && l != SpanishText && !strings.Contains(c.Note, "qualified translator")) {
			t.Errorf("texts/%s.json: name %q, note %q; want both, a draft marked for review", l, c.Name, c.Note)
		}
		for k, tmpl := range c.Messages {
			if !slices.Contains(used, k) {
				t.Errorf("texts/%s.json has the message %q, which the package does not use", l, k)
			}
			for _, p := range paramsOf(tmpl) {
				if !slices.Contains(allowed(k), p) {
					t.Errorf("texts/%s.json %q uses {%s}, which the package does not give it", l, k, p)
				}
			}
		}
		for a := range c.Attributes {
			if !slices.Contains(attrs, a) {
				t.Errorf("texts/%s.json names the attribute %q, which the package does not know", l, a)
			}
		}
		for d := range c.Days {
			if !bsk.Day(d).Valid() {
				t.Errorf("texts/%s.json names the day %q", l, d)
			}
		}
		for r := range c.Roles {
			if !bsk.Role(r).Valid() {
				t.Errorf("texts/%s.json names the role %q", l, r)
			}
		}
		for lang := range c.Languages {
			if !bsk.Language(lang).Valid() {
				t.Errorf("texts/%s.json names the language %q", l, lang)
			}
		}
		for noun, forms := range c.Counts {
			if en.Counts[noun] == nil || forms["other"] == "" {
				t.Errorf("texts/%s.json counts %q: %v; want a noun the package counts, with an \"other\" form", l, noun, forms)
			}
		}
	}
	for _, a := range attrs {
		if en.Attributes[a][0] == "" || es.Attributes[a][1] == "" {
			t.Errorf("attribute %q has no English or Spanish noun", a)
		}
	}
	for _, lang := range bsk.Languages() {
		if es.Languages[string(lang)] == "" {
			t.Errorf("language %q has no Spanish name", lang)
		}
	}
}

// The drafts cover the reasons coordinators see most: members left
// unplaced and groups left without a leader.
func TestDraftsCoverUnplacedAndUnled(t *testing.T) {
	codes := []string{"no_group_shares_languages", "no_group_with_same_organization", "groups_full", "pin_breaks_constraint",
		ReasonBelowMinimum, "leads_groups", "does_not_speak", "no_leader_shares_languages", "no_leaders",
		"all_eligible_leaders_full", "only_conflicting_leaders", "no_eligible_leader", "cannot_link_everywhere"}
	for _, l := range Languages() {
		for _, c := range codes {
			if !HasText(c, l) {
				t.Errorf("HasText(%q, %q) = false", c, l)
			}
		}
	}
}

func TestPluralForm(t *testing.T) {
	for _, tc := range []struct{ l, n, want string }{
		{"en", "1", "one"}, {"en", "2", "other"}, {"en", "0", "other"}, {"es", "1", "one"}, {"so", "1", "one"},
		{"zh", "1", "other"}, {"ko", "1", "other"}, {"vi", "1", "other"},
		{"ru", "1", "one"}, {"ru", "21", "one"}, {"ru", "11", "many"}, {"ru", "2", "few"}, {"ru", "24", "few"},
		{"ru", "12", "many"}, {"ru", "5", "many"}, {"ru", "0", "many"}, {"ru", "x", "other"},
	} {
		if got := pluralForm(tc.l, tc.n); got != tc.want {
			t.Errorf("pluralForm(%q, %q) = %q; want %q", tc.l, tc.n, got, tc.want)
		}
	}
}

// Every code reads as a sentence in every language, no placeholder or
// code left; a sentence a language lacks a message for reads all English.
func TestEveryCodeEveryLanguage(t *testing.T) {
	all := ReasonCodes()
	for _, p := range ReasonPrefixes() {
		all = append(all, p+"slots", p+"service_levels")
	}
	variants := []map[string]string{
		{"group": "2", "attr": "languages", "values": "ar,so", "full_groups": "3", "role": "direct_service", "language": "so", "languages": "so,am", "hours": "5", "needed": "2", "eligible": "3", "size": "2", "min": "6", "members": "2", "criterion": "mixed"},
		{"with": "2", "needed": "5", "values": "tue-0900,thu-1000", "attr": "slots", "constraint": "at_most", "allow": "x"},
		{"with": "0", "needed": "1", "constraint": "leader_share", "full_groups": "1", "members": "1"},
		{"constraint": "leader_conflict", "values": "mon-0800"},
		{"constraint": "leader_share", "attr": "slots", "values": "tue-0900", "given": "languages", "given_values": "am,so"},
		{"attr": "languages", "values": "so", "also": "slots", "with": "0", "needed": "5"},
		{"attr": "languages", "values": "so,am", "also": "slots", "with": "2", "needed": "5"},
		{"constraint": "separate"},
	}
	for _, code := range all {
		for _, p := range variants {
			r := Reason{Code: code, Params: p}
			english := r.Text(EnglishText)
			for _, l := range append(Languages(), "fr", "es-MX", "zh-Hant-TW") {
				got := r.Text(l)
				if got == "" || strings.ContainsAny(got, "{}") || strings.Contains(got, code) ||
					strings.Contains(got, "direct_service") || strings.Contains(got, "service_levels") ||
					strings.Contains(got, "tue-0900") && !strings.HasSuffix(code, "service_levels") {
					t.Errorf("%s %v in %q = %q; want a sentence without a placeholder or code", code, p, l, got)
				}
				if TextLanguage(l) == EnglishText && got != english {
					t.Errorf("%s in %q = %q; want the English %q", code, l, got, english)
				}
			}
		}
	}
}
