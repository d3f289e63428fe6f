package schema_test

import (
	"errors"
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/schema"
)

func ExampleValidate() {
	doc := []byte(`{"id": "s-1", "offering_id": "rc-7", "starts": "2026-03-03T17:00:00Z", "minutes": 0, "room": "B"}`)
	var list bsk.Errors
	if errors.As(schema.Validate("session", doc), &list) {
		for _, e := range list {
			fmt.Printf("%q: %s\n", e.Field, e.Message)
		}
	}
	// Output:
	// "": additional properties 'room' not allowed
	// "/minutes": minimum: got 0, want 1
}
