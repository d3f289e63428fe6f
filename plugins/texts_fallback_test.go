package plugins_test

import (
	"testing"

	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// A text a plug-in declares for a regional tag serves readers of its base
// language; one declared for the base language itself wins.
func TestRegionalTextsServeTheirLanguage(t *testing.T) {
	info := plugins.RuleInfo{Name: "agency", Texts: map[string]map[string]string{
		"agency_hours": {"en": "You work {hours} hours.", "zh-Hans": "您每周工作 {hours} 小时。", "es-MX": "Trabaja {hours} horas (MX).", "es": "Trabaja {hours} horas."},
	}}
	texts := info.ScholarshipTexts()
	r := scholarship.Reason{Code: "agency_hours", Params: map[string]string{"hours": "12"}}
	for l, want := range map[scholarship.Lang]string{
		scholarship.ChineseText: "您每周工作 12 小时。",
		scholarship.SpanishText: "Trabaja 12 horas.",
		scholarship.KoreanText:  "You work 12 hours.",
	} {
		if got := texts.Text(r, l); got != want {
			t.Errorf("Text(%q) = %q; want %q", l, got, want)
		}
	}
}
