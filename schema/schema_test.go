package schema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/schema"
	"github.com/beststarts/workforce/schema/internal/registry"
)

// TestCommittedSchemasAreCurrent regenerates every schema in memory and
// compares it with the committed file.
func TestCommittedSchemasAreCurrent(t *testing.T) {
	root, err := registry.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	files, err := registry.Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range registry.Sorted(files) {
		got, err := os.ReadFile(filepath.Join(root, "schema", name))
		if err != nil {
			t.Errorf("%s is not committed: run go generate ./schema/...", name)
			continue
		}
		if !bytes.Equal(got, files[name]) {
			t.Errorf("%s is stale: run go generate ./schema/...", name)
		}
	}
	if got, want := schema.Names(), registry.Names(); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("Names() = %v; want the registry's %v", got, want)
	}
}

func TestGeneratedWorkforceValidates(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		w := bsktest.Workforce(seed, bsktest.Options{Organizations: 30, Providers: 400})
		doc, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate("workforce", doc); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for i, p := range w.Providers[:50] {
			b, _ := json.Marshal(p)
			if err := schema.Validate("provider", b); err != nil {
				t.Fatalf("providers[%d]: %v", i, err)
			}
		}
	}
}

func TestValidateReportsPointers(t *testing.T) {
	tests := []struct {
		name, schema, doc string
		want              []string
	}{
		{"unknown enum code", "provider",
			`{"id":"p","organization_id":"o","name":"n","role":"direct_service","languages":["en","xx"],"demographics":{},"years_experience":1}`,
			[]string{"/languages/1"}},
		{"unknown field", "organization",
			`{"id":"o","name":"n","kind":"clinic","grantee":true,"bipoc_led":false,"community_designed":false,"place":"kent","serves_young_children":true,"color":"red"}`,
			[]string{""}},
		{"wrong type and missing field", "session",
			`{"id":"s","offering_id":"o","starts":"2026-01-01T00:00:00Z","minutes":"ninety"}`,
			[]string{"/minutes"}},
		{"missing required", "attendance", `{"session_id":"s","provider_id":"p","credit":"training"}`, []string{""}},
		{"nested pointer", "workforce",
			`{"organizations":[],"providers":[{"id":"p","organization_id":"o","name":"n","role":"boss","languages":["en"],"demographics":{"race":["martian"]},"years_experience":-1}]}`,
			[]string{"/providers/0/demographics/race/0", "/providers/0/role", "/providers/0/years_experience"}},
		{"bad date-time", "session", `{"id":"s","offering_id":"o","starts":"yesterday","minutes":60}`, []string{"/starts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := schema.Validate(tt.schema, []byte(tt.doc))
			var list bsk.Errors
			if !errors.As(err, &list) {
				t.Fatalf("Validate = %v; want bsk.Errors", err)
			}
			var got []string
			for _, e := range list {
				if e.Code != bsk.CodeInvalid || e.Message == "" {
					t.Errorf("problem %+v: want invalid code and a message", e)
				}
				got = append(got, e.Field)
			}
			got = slices.Compact(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("pointers = %q; want %q\n%v", got, tt.want, err)
			}
		})
	}
}

func TestValidateMalformedAndUnknown(t *testing.T) {
	err := schema.Validate("provider", []byte(`{"id":`))
	if !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("malformed JSON: %v; want invalid", err)
	}
	err = schema.Validate("nope", []byte(`{}`))
	if !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("unknown schema: %v; want not_found", err)
	}
	if _, err := schema.Schema("../go.mod"); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("Schema(path): %v; want not_found", err)
	}
}

func TestEnumsAppearAsEnum(t *testing.T) {
	b, err := schema.Schema("provider")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum        []string `json:"enum"`
				Description string   `json:"description"`
			} `json:"properties"`
			AdditionalProperties *bool `json:"additionalProperties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Defs["Provider"]
	if !slices.Equal(p.Properties["role"].Enum, bsk.Role("").Enum()) {
		t.Errorf("role enum = %v; want %v", p.Properties["role"].Enum, bsk.Role("").Enum())
	}
	if p.Properties["name"].Description == "" {
		t.Errorf("field doc comments are missing from the schema")
	}
	if p.AdditionalProperties == nil || *p.AdditionalProperties {
		t.Errorf("additionalProperties is not false")
	}
}

func FuzzValidate(f *testing.F) {
	f.Add("provider", []byte(`{"id":"p","languages":["en"]}`))
	f.Add("workforce", []byte(`{"organizations":[{"id":1}],"providers":null}`))
	f.Add("session", []byte("\xff\xfe"))
	names := schema.Names()
	f.Fuzz(func(t *testing.T, name string, doc []byte) {
		if len(names) > 0 && len(name) > 0 {
			name = names[int(name[0])%len(names)]
		}
		err := schema.Validate(name, doc)
		if err != nil && bsk.ErrorCode(err) == bsk.CodeInternal {
			t.Fatalf("internal error: %v", err)
		}
	})
}
