// Package schema publishes the JSON Schemas (draft 2020-12) of every type
// that crosses a process boundary: the example server's API, the plug-in
// payloads, and files users exchange. The schemas are the public contract.
//
// # Generation
//
// The schemas are generated from the Go types and their doc comments with
// github.com/invopop/jsonschema, never written by hand, and committed as
// "<name>.schema.json" files in this directory. Regenerate them with
//
//	go generate ./schema/...
//
// A test fails when a committed schema no longer matches its type.
// Enumerations appear as "enum" lists of their stable codes; unknown
// properties are rejected ("additionalProperties": false); a field whose
// JSON tag lacks omitempty or omitzero is required.
//
// To publish another type, add one line to the table in
// internal/registry/registry.go and run go generate.
//
// # Validation
//
// [Validate] checks a document against a named schema and returns every
// problem as a [bsk.Errors] whose fields are JSON pointers, ready for an
// HTTP 400 response.
package schema
