package app

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// firstDuplicate is a reference for checkDuplicateKeys, written the other
// way round (recursive descent): the JSON pointer of the first repeated
// key in document order, or "" and false.
func firstDuplicate(d *json.Decoder, path string) (string, bool, error) {
	tok, err := d.Token()
	if err != nil {
		return "", false, err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return "", false, err
			}
			k := kt.(string)
			p := path + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			if seen[k] {
				return p, true, nil
			}
			seen[k] = true
			if dup, ok, err := firstDuplicate(d, p); ok || err != nil {
				return dup, ok, err
			}
		}
		_, err := d.Token()
		return "", false, err
	case json.Delim('['):
		for i := 0; d.More(); i++ {
			if dup, ok, err := firstDuplicate(d, path+"/"+strconv.Itoa(i)); ok || err != nil {
				return dup, ok, err
			}
		}
		_, err := d.Token()
		return "", false, err
	}
	return "", false, nil
}

// FuzzDuplicateKeys checks checkDuplicateKeys against the reference on
// every valid JSON document: the same verdict, the same pointer, and a
// coded invalid error.
func FuzzDuplicateKeys(f *testing.F) {
	for _, s := range []string{`{"a":1,"a":2}`, `{"a":{"b":[1,{"c":1,"c":2}]}}`, `[{"x":1},{"x":1,"y":[{"z":1},{"z":1,"z":3}]}]`,
		`{"a":1,"b":{"a":1}}`, `{"a/b~":1,"a/b~":2}`, `{"x":[[],[{}],{"q":1}],"x":1}`, `{"":1,"":2}`, `"s"`, `[]`, `{"a":[{"a":[]}],"b":{}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := checkDuplicateKeys(b)
		if !json.Valid(b) {
			return
		}
		if err != nil && strings.Contains(err.Error(), "nested deeper") {
			return
		}
		want, dup, rerr := firstDuplicate(json.NewDecoder(strings.NewReader(string(b))), "")
		if rerr != nil {
			t.Fatalf("reference failed on valid JSON %q: %v", b, rerr)
		}
		if !dup {
			if err != nil {
				t.Fatalf("checkDuplicateKeys(%q) = %v; want nil", b, err)
			}
			return
		}
		var list bsk.Errors
		if !errors.As(err, &list) || len(list) != 1 || list[0].Code != bsk.CodeInvalid || list[0].Field != want {
			t.Fatalf("checkDuplicateKeys(%q) = %v; want a duplicate at %q", b, err, want)
		}
	})
}
