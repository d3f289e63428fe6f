package web

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Lang is a language the pages speak.
type Lang string

// The languages of the pages.
const (
	English Lang = "en"
	Spanish Lang = "es"
)

var matcher = language.NewMatcher([]language.Tag{language.English, language.Spanish})

// negotiate picks the language: the cookie's choice when it names one of
// ours, else the best match of Accept-Language (with its q-values), else
// English.
func negotiate(cookie, accept string) Lang {
	if l := Lang(cookie); l == English || l == Spanish {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return []Lang{English, Spanish}[i]
}

// T renders the message key in l with args (fmt verbs); a key missing in
// Spanish falls back to English, and one missing from both to the key.
func (l Lang) T(key string, args ...any) string {
	m, ok := catalog[l][key]
	if !ok {
		if m, ok = catalog[English][key]; !ok {
			m = key
		}
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// Dollars writes cents as dollars: "$1,234.50".
func (l Lang) Dollars(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := fmt.Sprintf("$%s.%02d", b.String(), cents%100)
	if neg {
		s = "-" + s
	}
	return s
}

// languageNames names the language codes the workforce records use.
var languageNames = map[Lang]map[string]string{
	English: {"en": "English", "es": "Spanish", "zh": "Chinese", "cmn": "Mandarin", "yue": "Cantonese", "vi": "Vietnamese", "so": "Somali",
		"ru": "Russian", "ko": "Korean", "ar": "Arabic", "prs": "Dari", "ase": "American Sign Language", "am": "Amharic", "ti": "Tigrinya",
		"uk": "Ukrainian", "tl": "Tagalog", "pa": "Punjabi", "hi": "Hindi", "ja": "Japanese", "fr": "French", "pt": "Portuguese", "om": "Oromo", "sw": "Swahili"},
	Spanish: {"en": "inglés", "es": "español", "zh": "chino", "cmn": "mandarín", "yue": "cantonés", "vi": "vietnamita", "so": "somalí",
		"ru": "ruso", "ko": "coreano", "ar": "árabe", "prs": "darí", "ase": "lengua de señas americana", "am": "amárico", "ti": "tigriña",
		"uk": "ucraniano", "tl": "tagalo", "pa": "panyabí", "hi": "hindi", "ja": "japonés", "fr": "francés", "pt": "portugués", "om": "oromo", "sw": "suajili"},
}

// Language names a language code, falling back to its display name from
// x/text and then to the code itself.
func (l Lang) Language(code string) string {
	if n, ok := languageNames[l][code]; ok {
		return n
	}
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	namer := display.English.Languages()
	if l == Spanish {
		namer = display.Spanish.Languages()
	}
	if n := namer.Name(tag); n != "" {
		return n
	}
	return code
}

// Languages names a list of language codes.
func (l Lang) Languages(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = l.Language(c)
	}
	if len(names) == 0 {
		return l.T("none")
	}
	return strings.Join(names, ", ")
}

// Role names a provider's or a key's role.
func (l Lang) Role(code string) string { return l.T("role." + code) }
