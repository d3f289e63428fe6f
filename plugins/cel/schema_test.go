package cel_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/beststarts/workforce/schema"
)

// TestExamplesMatchTheSchema: every example file, read as YAML and written
// as JSON, is valid against the published schema cel-rule, and a file
// with an unknown key or outcome is not.
func TestExamplesMatchTheSchema(t *testing.T) {
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("examples: %v, %v", files, err)
	}
	asJSON := func(text []byte) []byte {
		var v any
		if err := yaml.Unmarshal(text, &v); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, f := range files {
		if err := schema.Validate("cel-rule", asJSON(example(t, filepath.Base(f[:len(f)-len(".yaml")])))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, bad := range []string{
		"name: r\nversion: '1'\nchecks: [{when: 'true', outcome: maybe}]\n",
		"name: r\nversion: '1'\nchecks: [{when: 'true'}]\nextra: 1\n",
	} {
		if err := schema.Validate("cel-rule", asJSON([]byte(bad))); err == nil {
			t.Errorf("schema accepts %q", bad)
		}
	}
}
