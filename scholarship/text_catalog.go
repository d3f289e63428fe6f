package scholarship

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/beststarts/workforce/bsk"
)

// The message catalogs: one JSON file per language under texts/, which
// translators edit. Each holds the reasons' texts with {param}
// placeholders, the sentences an eligible decision's requirements read as
// ("met", by rule name), and the names parameters read as (categories,
// education, endorsement levels, languages).
//
//go:embed texts/*.json
var catalogFiles embed.FS

// catalog is one language's file.
type catalog struct {
	// Language is the file's language code; Name the language's own name.
	Language string `json:"language"`
	Name     string `json:"name"`
	// Note is the file's header for translators (a draft says so).
	Note      string            `json:"note"`
	Reasons   map[string]string `json:"reasons"`
	Met       map[string]string `json:"met"`
	Category  map[string]string `json:"category"`
	Education map[string]string `json:"education"`
	Level     map[string]string `json:"level"`
	Languages map[string]string `json:"languages"`
	// Words are the list joiners: "and", "list" (between items) and
	// "met_list" (between the requirements met).
	Words map[string]string `json:"words"`
}

// catalogs loads every language's file once; a file that does not parse
// is a bug caught by the package's tests, so it panics at first use.
var catalogs = sync.OnceValue(func() map[Lang]*catalog {
	out := map[Lang]*catalog{}
	for _, l := range Languages() {
		c, err := parseCatalog(l)
		if err != nil {
			panic(err)
		}
		out[l] = c
	}
	return out
})

// parseCatalog reads language l's file.
func parseCatalog(l Lang) (*catalog, error) {
	b, err := catalogFiles.ReadFile("texts/" + string(l) + ".json")
	if err != nil {
		return nil, fmt.Errorf("scholarship texts: %w", err)
	}
	var c catalog
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("scholarship texts/%s.json: %w", l, err)
	}
	if c.Language != string(l) {
		return nil, fmt.Errorf("scholarship texts/%s.json: language %q", l, c.Language)
	}
	return &c, nil
}

// text is code's template in l, or in English when l has none, and the
// language of the template (whose parameters read in that language too).
func text(l Lang, code string) (string, Lang) {
	if t, ok := catalogs()[l]; ok {
		if s, ok := t.Reasons[code]; ok && s != "" {
			return s, l
		}
	}
	return catalogs()[EnglishText].Reasons[code], EnglishText
}

// word is a list joiner in l, or in English.
func word(l Lang, k string) string {
	if t, ok := catalogs()[l]; ok && t.Words[k] != "" {
		return t.Words[k]
	}
	return catalogs()[EnglishText].Words[k]
}

// lookupName finds code in the section of l's catalog, else of English's.
func lookupName(l Lang, section func(*catalog) map[string]string, code string) (string, bool) {
	if t, ok := catalogs()[l]; ok {
		if s := section(t)[code]; s != "" {
			return s, true
		}
	}
	s := section(catalogs()[EnglishText])[code]
	return s, s != ""
}

// name renders code by its name in l's section, else English's, else the
// code's words ("exam_fees" reads "exam fees"): never a raw code.
func name(l Lang, section func(*catalog) map[string]string, code string) string {
	if s, ok := lookupName(l, section, code); ok {
		return s
	}
	return strings.ReplaceAll(code, "_", " ")
}

// moneyParams are parameters that hold cents and render as dollars.
var moneyParams = map[string]bool{"cap": true, "received": true, "left": true, "requested": true, "amount": true}

// param renders parameter k's value v in language l.
func param(l Lang, k, v string) string {
	switch {
	case moneyParams[k]:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return Cents(n).String()
		}
		return v
	case k == "category":
		return name(l, func(c *catalog) map[string]string { return c.Category }, v)
	case k == "categories":
		parts := strings.Split(v, ",")
		for i, p := range parts {
			parts[i] = name(l, func(c *catalog) map[string]string { return c.Category }, strings.TrimSpace(p))
		}
		return joinAnd(l, parts)
	case k == "level":
		return name(l, func(c *catalog) map[string]string { return c.Level }, v)
	case k == "language":
		return languageName(l, v)
	case k == "required" || k == "education" || k == "have":
		if bsk.Education(v).Valid() {
			return name(l, func(c *catalog) map[string]string { return c.Education }, v)
		}
	}
	return number(v)
}

// languageName names a language given by code ("so") or by its English
// name ("Somali", as reviewer assignment gives it) in language l.
func languageName(l Lang, v string) string {
	code := bsk.Language(v)
	if !code.Valid() {
		for _, c := range bsk.Languages() {
			if strings.EqualFold(c.Name(), v) {
				code = c
				break
			}
		}
	}
	if s, ok := lookupName(l, func(c *catalog) map[string]string { return c.Languages }, string(code)); ok {
		return s
	}
	return code.Name()
}

// number drops the decimals of a whole decimal number ("5.00" reads "5");
// any other value is returned as is.
func number(v string) string {
	whole, frac, ok := strings.Cut(v, ".")
	if !ok || whole == "" || frac == "" || strings.Trim(frac, "0") != "" {
		return v
	}
	digits := strings.TrimPrefix(whole, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return v
	}
	return whole
}

// joinAnd joins words as "A, B and C" in language l.
func joinAnd(l Lang, words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	sep := word(l, "list")
	and := word(l, "and")
	if sep == "、" { // Chinese lists use the enumeration comma throughout.
		return strings.Join(words, sep)
	}
	return strings.Join(words[:len(words)-1], sep) + " " + and + " " + words[len(words)-1]
}

// render replaces each {param} of tmpl with its value read in language l,
// in one pass (a value that holds braces is never read as a placeholder);
// a placeholder without a parameter stays as written.
func render(l Lang, tmpl string, params map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		k := tmpl[i+1 : i+j]
		b.WriteString(tmpl[:i])
		if v, ok := params[k]; ok {
			b.WriteString(param(l, k, v))
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// placeholders lists the {param} names of tmpl, in order.
func placeholders(tmpl string) []string {
	var out []string
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, tmpl[i+1:i+j])
		tmpl = tmpl[i+j+1:]
	}
}
