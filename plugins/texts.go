package plugins

import (
	"fmt"
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// textsError is a plug-in refused for its reason texts; reason is safe to
// show to any role that may see the plug-in's state.
type textsError struct {
	reason string
	err    *bsk.Error
}

func (e *textsError) Error() string { return e.err.Error() }
func (e *textsError) Unwrap() error { return e.err }

// checkTexts refuses an Info whose rules declare a reason code without an
// English text: a reason shown to applicants must never read as a raw
// code. Errors are [bsk.CodeInvalid], naming the rule and the code.
func checkTexts(info Info) error {
	for i, r := range info.Rules {
		codes := make([]string, 0, len(r.Texts))
		for code := range r.Texts {
			codes = append(codes, code)
		}
		slices.Sort(codes)
		for _, code := range codes {
			field := fmt.Sprintf("%s.texts.%s.en", bsk.Index("rules", i), code)
			if code == "" {
				return &textsError{reason: fmt.Sprintf("rule %q declares a text for an empty reason code", r.Name),
					err: bsk.Invalidf(bsk.Index("rules", i)+".texts", "rule %q declares a text for an empty reason code", r.Name)}
			}
			if r.Texts[code][string(scholarship.EnglishText)] == "" {
				why := fmt.Sprintf("rule %q declares the reason code %q without an English text", r.Name, code)
				return &textsError{reason: why, err: bsk.Invalidf(field, "%s", why)}
			}
		}
	}
	return nil
}

// ScholarshipTexts returns the rule's texts in the form
// [scholarship.Texts] renders reasons with. A text declared for a regional
// tag ("es-MX", "zh-Hans") also serves its base language ("es", "zh")
// when the rule declares none for it (the first such tag in sorted order),
// so readers of that language do not fall back to English.
func (r RuleInfo) ScholarshipTexts() scholarship.Texts {
	if len(r.Texts) == 0 {
		return nil
	}
	out := make(scholarship.Texts, len(r.Texts))
	for code, byLang := range r.Texts {
		m := make(map[scholarship.Lang]string, len(byLang))
		tags := make([]string, 0, len(byLang))
		for l, t := range byLang {
			m[scholarship.Lang(l)] = t
			tags = append(tags, l)
		}
		slices.Sort(tags)
		for _, l := range tags {
			base, _, regional := strings.Cut(strings.ReplaceAll(l, "_", "-"), "-")
			base = strings.ToLower(base)
			if _, declared := m[scholarship.Lang(base)]; regional && base != "" && !declared && byLang[l] != "" {
				m[scholarship.Lang(base)] = byLang[l]
			}
		}
		out[code] = m
	}
	return out
}

// Texts returns every reason text the plug-in's rules declare, for
// rendering their reasons with [scholarship.Texts.Text]. Two rules
// declaring the same code: the first rule's text wins.
func (i Info) Texts() scholarship.Texts {
	out := scholarship.Texts{}
	for _, r := range i.Rules {
		for code, byLang := range r.ScholarshipTexts() {
			if _, dup := out[code]; !dup {
				out[code] = byLang
			}
		}
	}
	return out
}
