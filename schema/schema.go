package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/beststarts/workforce/bsk"
)

//go:generate go run ./internal/gen

//go:embed *.schema.json
var files embed.FS

// BaseURL prefixes every schema's $id; a schema named "provider" has the
// $id BaseURL + "provider.schema.json".
const BaseURL = "https://github.com/beststarts/workforce/schema/"

const suffix = ".schema.json"

// FS holds the committed schema files, one "<name>.schema.json" per schema.
var FS fs.FS = files

// Names lists the names of every schema, sorted.
func Names() []string {
	entries, _ := fs.Glob(files, "*"+suffix)
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.TrimSuffix(e, suffix)
	}
	slices.Sort(out)
	return out
}

// Schema returns the named schema's JSON text. An unknown name is a
// [bsk.CodeNotFound] error.
func Schema(name string) ([]byte, error) {
	b, err := files.ReadFile(name + suffix)
	if err != nil || strings.ContainsAny(name, "/\\") {
		return nil, bsk.NotFoundf("schema", "no schema named %q", name)
	}
	return b, nil
}

// All returns every schema by name.
func All() map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, n := range Names() {
		b, _ := Schema(n)
		out[n] = b
	}
	return out
}

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
	printer     = message.NewPrinter(language.English)
)

func compileAll() {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	names := Names()
	for _, n := range names {
		b, _ := Schema(n)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", n, err)
			return
		}
		if err := c.AddResource(BaseURL+n+suffix, doc); err != nil {
			compileErr = fmt.Errorf("schema %s: %w", n, err)
			return
		}
	}
	compiled = make(map[string]*jsonschema.Schema, len(names))
	for _, n := range names {
		s, err := c.Compile(BaseURL + n + suffix)
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", n, err)
			return
		}
		compiled[n] = s
	}
}

// Validate checks the JSON document doc against the named schema. It
// returns nil when the document is valid, and otherwise a [bsk.Errors]
// holding one [bsk.CodeInvalid] error per problem, whose Field is the JSON
// pointer of the offending value ("" for the whole document, or
// "/providers/3/languages/0"). A document that is not JSON is one
// CodeInvalid error; an unknown schema name is a [bsk.CodeNotFound] error.
// Validate is safe for concurrent use.
func Validate(name string, doc []byte) error {
	compileOnce.Do(compileAll)
	if compileErr != nil {
		return bsk.Errorf(bsk.CodeInternal, "compiling schemas: %w", compileErr)
	}
	s, ok := compiled[name]
	if !ok {
		return bsk.NotFoundf("schema", "no schema named %q", name)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return bsk.Errors{bsk.Invalidf("", "malformed JSON: %s", jsonMessage(err))}
	}
	err = s.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return bsk.Errors{bsk.Invalidf("", "%v", err)}
	}
	var out bsk.Errors
	leaves(ve, &out)
	slices.SortStableFunc(out, func(a, b *bsk.Error) int { return strings.Compare(a.Field, b.Field) })
	return slices.CompactFunc(out, func(a, b *bsk.Error) bool { return a.Field == b.Field && a.Message == b.Message })
}

// leaves collects the innermost causes of a validation error.
func leaves(ve *jsonschema.ValidationError, out *bsk.Errors) {
	if len(ve.Causes) == 0 {
		*out = append(*out, bsk.Invalidf(pointer(ve.InstanceLocation), "%s", ve.ErrorKind.LocalizedString(printer)))
		return
	}
	for _, c := range ve.Causes {
		leaves(c, out)
	}
}

// pointer renders a location as a JSON pointer (RFC 6901).
func pointer(loc []string) string {
	var b strings.Builder
	for _, t := range loc {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// jsonMessage shortens a decoder error to its message.
func jsonMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "invalid character") == false && strings.Contains(msg, "json") {
		return msg[i+2:]
	}
	return msg
}
