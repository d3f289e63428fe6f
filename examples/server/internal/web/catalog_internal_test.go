package web

import "testing"

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
