package bsk

// Language is a spoken or signed language, coded by ISO 639 (the two-letter
// code where one exists, otherwise the three-letter one: "ase" is American
// Sign Language, "prs" Dari, "yue" Cantonese, "cmn" Mandarin). "zh" stands
// for Chinese when the variety is not known.
type Language string

// The languages known to this package: English and the languages the county's
// trainings, interpreters, certificate and communities of practice use, plus
// the other languages most spoken in King County homes.
const (
	English     Language = "en"
	Spanish     Language = "es"
	Chinese     Language = "zh"
	Mandarin    Language = "cmn"
	Cantonese   Language = "yue"
	Vietnamese  Language = "vi"
	ASL         Language = "ase"
	Arabic      Language = "ar"
	Dari        Language = "prs"
	Farsi       Language = "fa"
	Somali      Language = "so"
	Amharic     Language = "am"
	Tigrinya    Language = "ti"
	Oromo       Language = "om"
	Russian     Language = "ru"
	Ukrainian   Language = "uk"
	Korean      Language = "ko"
	Tagalog     Language = "tl"
	Punjabi     Language = "pa"
	Hindi       Language = "hi"
	Japanese    Language = "ja"
	Khmer       Language = "km"
	Lao         Language = "lo"
	Marshallese Language = "mh"
	Samoan      Language = "sm"
	Swahili     Language = "sw"
	French      Language = "fr"
	Portuguese  Language = "pt"
	Pashto      Language = "ps"
	Burmese     Language = "my"
)

var languageNames = []struct {
	code Language
	name string
}{
	{English, "English"}, {Spanish, "Spanish"}, {Chinese, "Chinese"}, {Mandarin, "Mandarin"},
	{Cantonese, "Cantonese"}, {Vietnamese, "Vietnamese"}, {ASL, "American Sign Language"},
	{Arabic, "Arabic"}, {Dari, "Dari"}, {Farsi, "Farsi"}, {Somali, "Somali"}, {Amharic, "Amharic"},
	{Tigrinya, "Tigrinya"}, {Oromo, "Oromo"}, {Russian, "Russian"}, {Ukrainian, "Ukrainian"},
	{Korean, "Korean"}, {Tagalog, "Tagalog"}, {Punjabi, "Punjabi"}, {Hindi, "Hindi"},
	{Japanese, "Japanese"}, {Khmer, "Khmer"}, {Lao, "Lao"}, {Marshallese, "Marshallese"},
	{Samoan, "Samoan"}, {Swahili, "Swahili"}, {French, "French"}, {Portuguese, "Portuguese"},
	{Pashto, "Pashto"}, {Burmese, "Burmese"},
}

var languages = func() []Language {
	out := make([]Language, len(languageNames))
	for i, l := range languageNames {
		out[i] = l.code
	}
	return out
}()

// Valid reports whether l is a known language code.
func (l Language) Valid() bool { return validCode(l, languages) }

// Enum lists every language code.
func (Language) Enum() []string { return codesOf(languages) }

// Name returns the language's English name, or the code itself when unknown.
func (l Language) Name() string {
	for _, n := range languageNames {
		if n.code == l {
			return n.name
		}
	}
	return string(l)
}

// Languages lists every known language, English first.
func Languages() []Language { return append([]Language(nil), languages...) }
