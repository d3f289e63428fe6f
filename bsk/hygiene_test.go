package bsk_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
)

// hidden are the characters no name or label may hold.
var hidden = []rune{
	0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x85, 0x9F, // control characters
	0x202A, 0x202B, 0x202C, 0x202D, 0x202E, // embeddings and overrides
	0x2066, 0x2067, 0x2068, 0x2069, // isolates
	0x200B, 0x200C, 0x200D, 0xFEFF, // zero-width characters
}

// TestNamesRefuseHiddenCharacters puts each refused character in every
// name and label Validate checks, and expects exactly that field reported.
func TestNamesRefuseHiddenCharacters(t *testing.T) {
	type target struct {
		field    string
		validate func(s string) error
	}
	targets := []target{
		{"name", func(s string) error { p := validProvider(); p.Name = s; return p.Validate() }},
		{"name", func(s string) error { o := validOrganization(); o.Name = s; return o.Validate() }},
		{"title", func(s string) error { o := validOffering(); o.Title = s; return o.Validate() }},
		{"topic", func(s string) error { o := validOffering(); o.Topic = s; return o.Validate() }},
	}
	for _, r := range hidden {
		for i, tg := range targets {
			t.Run(fmt.Sprintf("U+%04X/%d", r, i), func(t *testing.T) {
				s := "Ana" + string(r) + " Lopez"
				err := tg.validate(s)
				if err == nil {
					t.Fatalf("%s %q accepted", tg.field, s)
				}
				if got := fields(t, err); !slices.Equal(got, []string{tg.field}) {
					t.Fatalf("%s %q: problems at %v; want [%s]", tg.field, s, got, tg.field)
				}
				if msg := err.Error(); strings.ContainsRune(msg, r) || !strings.Contains(msg, fmt.Sprintf("U+%04X", r)) {
					t.Errorf("message %q must name U+%04X without containing it", msg, r)
				}
			})
		}
	}
}

// TestNamesKeepOrdinaryText checks that names in the county's languages,
// with accents, apostrophes and hyphens, still pass.
func TestNamesKeepOrdinaryText(t *testing.T) {
	for _, s := range []string{"Amina Yusuf", "José María Núñez-García", "O'Brien", "Nguyễn Thị Minh Khai", "王秀英", "محمد عبد الله", "Гаврилова", "Hodan Cabdi"} {
		p := validProvider()
		p.Name = s
		if err := p.Validate(); err != nil {
			t.Errorf("name %q: %v", s, err)
		}
	}
}

func validOffering() bsk.Offering {
	return bsk.Offering{ID: "rc-1", Kind: bsk.OfferingReflectiveConsultation, Title: "Reflective consultation", Strategy: bsk.StrategyIECMH,
		Topic: "supervision", Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90,
		Starts: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// TestIDCharacters checks the ID character set on every ID field.
func TestIDCharacters(t *testing.T) {
	bad := []struct{ id, why string }{
		{"a/b", "slash"}, {"../etc", "dot dot"}, {"a..b", "inner dot dot"}, {".hidden", "leading dot"},
		{"a b", "space"}, {"a\x00b", "NUL"}, {"a\\b", "backslash"}, {"a%2Fb", "percent"}, {"a?b", "question mark"},
		{"a#b", "hash"}, {"é", "non-ASCII"}, {"a\u202eb", "override"}, {"a\u200bb", "zero-width"}, {"a+b", "plus"},
		{strings.Repeat("a", bsk.MaxIDLength+1), "too long"},
	}
	good := []string{"p1", "org-007", "prov-00012", "training-2026-03-s01", "consultant-01", "A_b.c:d", "x.y", strings.Repeat("a", bsk.MaxIDLength)}
	type target struct {
		field    string
		validate func(id string) error
	}
	targets := []target{
		{"id", func(id string) error { p := validProvider(); p.ID = bsk.ProviderID(id); return p.Validate() }},
		{"organization_id", func(id string) error {
			p := validProvider()
			p.OrganizationID = bsk.OrganizationID(id)
			return p.Validate()
		}},
		{"reports_to", func(id string) error { p := validProvider(); p.ReportsTo = bsk.ProviderID(id); return p.Validate() }},
		{"id", func(id string) error { o := validOrganization(); o.ID = bsk.OrganizationID(id); return o.Validate() }},
		{"id", func(id string) error { o := validOffering(); o.ID = bsk.OfferingID(id); return o.Validate() }},
		{"leaders[0]", func(id string) error {
			o := validOffering()
			o.Leaders = []bsk.ProviderID{bsk.ProviderID(id)}
			return o.Validate()
		}},
		{"organization_id", func(id string) error {
			o := validOffering()
			o.OrganizationID = bsk.OrganizationID(id)
			return o.Validate()
		}},
		{"id", func(id string) error {
			s := bsk.Session{ID: bsk.SessionID(id), OfferingID: "rc-1", Starts: time.Now(), Minutes: 90}
			return s.Validate()
		}},
		{"offering_id", func(id string) error {
			s := bsk.Session{ID: "s1", OfferingID: bsk.OfferingID(id), Starts: time.Now(), Minutes: 90}
			return s.Validate()
		}},
		{"session_id", func(id string) error {
			a := bsk.Attendance{SessionID: bsk.SessionID(id), ProviderID: "p1", Hours: 1, Credit: bsk.CreditTraining}
			return a.Validate()
		}},
		{"provider_id", func(id string) error {
			a := bsk.Attendance{SessionID: "s1", ProviderID: bsk.ProviderID(id), Hours: 1, Credit: bsk.CreditTraining}
			return a.Validate()
		}},
	}
	for i, tg := range targets {
		for _, b := range bad {
			if err := tg.validate(b.id); err == nil || !slices.Contains(fields(t, err), tg.field) {
				t.Errorf("target %d: %s %q (%s) accepted: %v", i, tg.field, b.id, b.why, err)
			}
			if msg := bsk.IDProblem(b.id); msg == "" {
				t.Errorf("IDProblem(%q) = \"\"; want a problem (%s)", b.id, b.why)
			}
		}
		for _, id := range good {
			if err := tg.validate(id); err != nil && tg.field != "reports_to" {
				t.Errorf("target %d: %s %q refused: %v", i, tg.field, id, err)
			}
		}
	}
}

// TestSyntheticWorkforceFitsIDRules keeps the demo data valid under the ID
// and text rules.
func TestSyntheticWorkforceFitsIDRules(t *testing.T) {
	w := bsktest.Workforce(1, bsktest.Options{})
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
}
