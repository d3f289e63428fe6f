package bsk_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// FuzzProviderJSON decodes arbitrary JSON into a Provider and validates it:
// neither may panic, and every problem Validate reports must be a coded
// *bsk.Error with a field path.
func FuzzProviderJSON(f *testing.F) {
	good, _ := json.Marshal(validProvider())
	f.Add(good)
	f.Add([]byte(`{"id":"p","languages":["xx"],"availability":[{"day":"mon","start":-1,"end":99999}]}`))
	f.Add([]byte(`{"years_experience":1e309}`))
	f.Add([]byte(`{"demographics":{"race":["declined","asian"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p bsk.Provider
		if json.Unmarshal(data, &p) != nil {
			return
		}
		checkProblems(t, p.Validate())
	})
}

// FuzzOrganizationJSON is FuzzProviderJSON for organizations.
func FuzzOrganizationJSON(f *testing.F) {
	good, _ := json.Marshal(validOrganization())
	f.Add(good)
	f.Add([]byte(`{"id":"","kind":"bank","languages":["en","en"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o bsk.Organization
		if json.Unmarshal(data, &o) != nil {
			return
		}
		checkProblems(t, o.Validate())
	})
}

func checkProblems(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var list bsk.Errors
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("Validate error %T %v is not a non-empty bsk.Errors", err, err)
	}
	for _, e := range list {
		if e.Field == "" || e.Message == "" || e.Code != bsk.CodeInvalid {
			t.Fatalf("problem without field, message or invalid code: %+v", e)
		}
	}
}
