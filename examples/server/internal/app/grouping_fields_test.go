package app_test

import (
	"slices"
	"testing"
)

// A grouping run refused for what the library finds wrong names the
// request's own field as a JSON pointer: the request's criteria by their
// place in the request (not after the preset's own), a preset criterion's
// weight by its name in "weights", the preset options under /options.
func TestGroupingRunRefusalsNameRequestFields(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coord := s.key("coordinator", "", "")
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"second criterion without an attribute",
			`{"preset":"reflective_consultation","criteria":[{"name":"x","kind":"similar","attr":"role","weight":1},{"name":"y","kind":"similar","attr":"","weight":1}]}`,
			400, "/criteria/1/attr"},
		{"negative criterion weight",
			`{"preset":"reflective_consultation","criteria":[{"name":"x","kind":"similar","attr":"role","weight":-1}]}`,
			400, "/criteria/0/weight"},
		{"negative preset weight", `{"preset":"reflective_consultation","weights":{"same organization":-2}}`,
			400, "/weights/same organization"},
		{"unknown preset criterion, escaped", `{"preset":"reflective_consultation","weights":{"a/b~c":1}}`,
			404, "/weights/a~1b~0c"},
		{"size bounds the wrong way round", `{"preset":"reflective_consultation","options":{"size":{"min":9,"max":3}}}`,
			400, "/options/size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.expect(tt.status, "POST", "/api/v1/grouping-runs", coord, []byte(tt.body))
			if f := r.problems(t); !slices.Equal(f, []string{tt.field}) {
				t.Errorf("problems %q; want [%s]\n%s", f, tt.field, r.Body)
			}
		})
	}
}
