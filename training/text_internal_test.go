package training

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func params(tmpl string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// The catalogs hold a text for every code the package's sources give, in
// English and Spanish with the same parameters; the other languages use
// only known codes and parameters, roles and requirements.
func TestCatalogs(t *testing.T) {
	var codes []string
	re := regexp.MustCompile(`(?m)^\s*(?:const\s+)?(?:Code|Reason)[A-Z]\w*\s*=\s*"([a-z_]+)"`)
	for _, f := range []string{"eligibility.go", "leader.go", "cohort_completion.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			codes = append(codes, m[1])
		}
	}
	for _, c := range []string{CodeNotOpen, CodeRoleNotOpen, CodeOtherOrganization, CodeRefused, ReasonLeaderTraining, CodeAgencyNotYoungChildren, ReasonModulesAttended, ReasonWithdrew} {
		if !slices.Contains(codes, c) {
			t.Fatalf("the source scan missed %q (found %v)", c, codes)
		}
	}
	en, es := catalogs()[scholarship.EnglishText], catalogs()[scholarship.SpanishText]
	for _, c := range codes {
		if c == CodeAgencyNotYoungChildren {
			if !scholarship.HasText(c, scholarship.EnglishText) || !scholarship.HasText(c, scholarship.SpanishText) {
				t.Errorf("%q reads scholarship's text, which it lacks", c)
			}
			continue
		}
		if en.Reasons[c] == "" || es.Reasons[c] == "" || !slices.Equal(params(en.Reasons[c]), params(es.Reasons[c])) {
			t.Errorf("%q: en %q, es %q; want both, with the same params", c, en.Reasons[c], es.Reasons[c])
		}
	}
	reqs := map[string]bool{}
	for _, r := range LeaderRequirements {
		reqs[r.Code] = true
	}
	for _, l := range scholarship.Languages() {
		c := catalogs()[l]
		if c.Name == "" || c.Note == "" {
			t.Errorf("texts/%s.json has no name or note", l)
		}
		if l != scholarship.EnglishText && l != scholarship.SpanishText && !strings.Contains(c.Note, "qualified translator") {
			t.Errorf("texts/%s.json's note does not mark it a draft: %q", l, c.Note)
		}
		for code, tmpl := range c.Reasons {
			if !slices.Contains(codes, code) || code == CodeAgencyNotYoungChildren {
				t.Errorf("texts/%s.json has the code %q, which the package does not give", l, code)
			}
			for _, p := range params(tmpl) {
				if !slices.Contains(params(en.Reasons[code]), p) {
					t.Errorf("texts/%s.json %q uses {%s}, which the code does not have", l, code, p)
				}
			}
		}
		for role := range c.Roles {
			if !bsk.Role(role).Valid() {
				t.Errorf("texts/%s.json names the role %q, which bsk does not know", l, role)
			}
		}
		for req := range c.Requirements {
			if !reqs[req] {
				t.Errorf("texts/%s.json names the requirement %q, which LeaderRequirements lacks", l, req)
			}
		}
		if c.Words["list"] == "" || c.Words["or"] == "" {
			t.Errorf("texts/%s.json lacks list words", l)
		}
	}
	for _, r := range bsk.Role("").Enum() {
		if en.Roles[r] == "" || es.Roles[r] == "" {
			t.Errorf("role %q has no English or Spanish name", r)
		}
	}
	for req := range reqs {
		if en.Requirements[req] == "" || es.Requirements[req] == "" {
			t.Errorf("requirement %q has no English or Spanish name", req)
		}
	}
}

// Every code reads as a sentence in every language, no placeholder or
// code left; a language without the text reads English.
func TestEveryCodeEveryLanguage(t *testing.T) {
	values := map[string]string{"on": "2026-03-02", "from": "2022-01-01", "until": "2023-01-01", "organization": "Open Arms",
		"role": "direct_service", "roles": "supervisor, director", "requirement": "reflective_practice", "hours": "2", "needed": "4",
		"attended": "3", "required": "5", "remaining": "1"}
	for _, code := range append(ReasonCodes(), CodeAgencyNotYoungChildren) {
		r := scholarship.Reason{Code: code, Params: values}
		english := Text(r, scholarship.EnglishText)
		for _, l := range append(scholarship.Languages(), "fr") {
			got := Text(r, l)
			if got == "" || strings.ContainsAny(got, "{}") || strings.Contains(got, code) || strings.Contains(got, "direct_service") || strings.Contains(got, "reflective_practice") {
				t.Errorf("Text(%s, %q) = %q; want a sentence without a placeholder or code", code, l, got)
			}
			if c := catalogs()[l]; (c == nil || c.Reasons[code] == "") && code != CodeAgencyNotYoungChildren && got != english {
				t.Errorf("Text(%s, %q) = %q; want the English %q", code, l, got, english)
			}
		}
	}
}
