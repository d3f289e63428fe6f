package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestCatalogComplete: every English text has its Spanish, and no Spanish
// key lacks an English one.
func TestCatalogComplete(t *testing.T) {
	for k := range catalog[English] {
		if _, ok := catalog[Spanish][k]; !ok {
			t.Errorf("Spanish lacks %q", k)
		}
	}
	for k := range catalog[Spanish] {
		if _, ok := catalog[English][k]; !ok {
			t.Errorf("English lacks %q", k)
		}
	}
}

// TestNegotiate picks the language from the cookie, then Accept-Language.
func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		cookie, accept string
		want           Lang
	}{
		{"", "", English},
		{"", "es", Spanish},
		{"", "es-419,es;q=0.9,en;q=0.8", Spanish},
		{"", "en;q=0.5, es;q=0.6", Spanish},
		{"", "de, fr;q=0.8", English},
		{"en", "es", English},
		{"xx", "es", Spanish},
		{"", "garbage;;q=", English},
	} {
		if got := negotiate(c.cookie, c.accept); got != c.want {
			t.Errorf("negotiate(%q, %q) = %q; want %q", c.cookie, c.accept, got, c.want)
		}
	}
}

// TestTemplateKeys: every key a template names, and every key built from
// a status, role or day, is in the catalog; a page never shows a raw key.
func TestTemplateKeys(t *testing.T) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	keyRE := regexp.MustCompile(`\.T "([^"]+)"`)
	var keys []string
	for _, n := range names {
		b, _ := fs.ReadFile(templateFiles, n)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found %d keys in the templates; the pattern is broken", len(keys))
	}
	for _, st := range []string{"queued", "running", "done", "failed", "cancelled"} {
		keys = append(keys, "status."+st)
	}
	for _, r := range []string{"admin", "coordinator", "agency", "consultant", "evaluator"} {
		keys = append(keys, "role."+r, "home.title."+r)
	}
	for _, r := range []string{"direct_service", "supervisor", "director", "trainer", "mentor", "facilitator"} {
		keys = append(keys, "role."+r)
	}
	for _, d := range slotDays {
		keys = append(keys, "day."+d)
	}
	for _, k := range keys {
		if _, ok := catalog[English][k]; !ok {
			t.Errorf("the catalog lacks %q", k)
		}
	}
}
