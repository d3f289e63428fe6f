package app

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/schema"
)

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
)

// openAPI serves an OpenAPI 3.1 document whose component schemas are the
// schema package's JSON Schemas, so the API and the library share one
// contract.
func (a *App) openAPI(c echo.Context) error {
	openAPIOnce.Do(func() { openAPIDoc = buildOpenAPI() })
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}

func buildOpenAPI() []byte {
	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	body := func(name string) map[string]any {
		return map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(name)}}}
	}
	resp := func(desc string, schema map[string]any) map[string]any {
		r := map[string]any{"description": desc}
		if schema != nil {
			r["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
		}
		return r
	}
	errs := map[string]any{
		"400": resp("invalid input: every problem with its JSON pointer", ref("ErrorBody")),
		"401": resp("missing or unknown API key", ref("ErrorBody")),
		"403": resp("the key's role may not do this", ref("ErrorBody")),
		"404": resp("not found, or not visible to this key (the two read alike)", ref("ErrorBody")),
		"429": resp("too many failed sign-ins from this address: wait Retry-After seconds", ref("ErrorBody")),
	}
	with := func(ok map[string]any, extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range errs {
			out[k] = v
		}
		for k, v := range ok {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	page := func(name string) map[string]any {
		return map[string]any{"type": "object", "properties": map[string]any{
			"items": map[string]any{"type": "array", "items": ref(name)}, "next_cursor": map[string]any{"type": "string"}}}
	}
	listParams := []any{
		map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": maxPage}},
		map[string]any{"name": "cursor", "in": "query", "schema": map[string]any{"type": "string"}},
		map[string]any{"name": "organization_id", "in": "query", "schema": map[string]any{"type": "string"}},
		map[string]any{"name": "parent", "in": "query", "schema": map[string]any{"type": "string"}},
	}
	idParam := []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}}
	paths := map[string]any{}
	crud := func(path, name string, withID bool) {
		paths[path] = map[string]any{
			"get":  map[string]any{"summary": "list " + name + " records", "parameters": listParams, "responses": with(map[string]any{"200": resp("a page", page(name))}, nil)},
			"post": map[string]any{"summary": "create a " + name, "requestBody": body(name), "responses": with(map[string]any{"201": resp("created", ref(name))}, map[string]any{"409": resp("the ID exists", ref("ErrorBody"))})},
		}
		if withID {
			paths[path+"/{id}"] = map[string]any{
				"parameters": idParam,
				"get":        map[string]any{"summary": "read a " + name, "responses": with(map[string]any{"200": resp("the record", ref(name))}, nil)},
				"put":        map[string]any{"summary": "replace a " + name, "requestBody": body(name), "responses": with(map[string]any{"200": resp("replaced", ref(name))}, nil)},
				"delete":     map[string]any{"summary": "delete a " + name, "responses": with(map[string]any{"204": resp("deleted", nil)}, nil)},
			}
		}
	}
	crud("/organizations", "organization", true)
	crud("/providers", "provider", true)
	crud("/offerings", "offering", true)
	crud("/sessions", "session", true)
	crud("/attendance", "attendance", false)
	paths["/providers/import"] = map[string]any{"post": map[string]any{
		"summary":     "import providers from CSV, all or nothing",
		"requestBody": map[string]any{"required": true, "content": map[string]any{"text/csv": map[string]any{"schema": map[string]any{"type": "string"}}}},
		"responses":   with(map[string]any{"201": resp("imported", map[string]any{"type": "object", "properties": map[string]any{"imported": map[string]any{"type": "integer"}}})}, nil),
	}}
	paths["/keys"] = map[string]any{
		"post": map[string]any{"summary": "create an API key (administrator); expires_at or ttl (\"720h\") sets an expiry, none means never", "responses": with(map[string]any{"201": resp("the key, shown once", nil)}, nil)},
		"get":  map[string]any{"summary": "list API keys with status, expiry and last use, never secrets (administrator)", "parameters": listParams[:2], "responses": with(map[string]any{"200": resp("a page of keys", nil)}, nil)},
	}
	paths["/keys/{id}"] = map[string]any{"parameters": idParam, "delete": map[string]any{"summary": "revoke an API key at once (administrator)", "responses": with(map[string]any{"200": resp("the revoked key", nil)}, map[string]any{"409": resp("the last active administrator key", ref("ErrorBody"))})}}
	order := map[string]any{"name": "order", "in": "query", "schema": map[string]any{"type": "string", "enum": []string{"asc", "desc"}}}
	paths["/audit"] = map[string]any{"get": map[string]any{"summary": "the hash-chained audit log with key names and roles (administrator)", "parameters": append(listParams[:2:2], order), "responses": with(map[string]any{"200": resp("a page of entries", nil)}, nil)}}
	paths["/audit/head"] = map[string]any{"get": map[string]any{"summary": "the audit chain's last seq and hash, to keep outside the database (administrator)", "responses": with(map[string]any{"200": resp("the head", nil)}, nil)}}

	// The program workflows. Request and answer bodies that are library
	// documents refer to their schemas; the server's own run records are
	// described in the README.
	object := map[string]any{"type": "object"}
	op := func(method, path, summary string, req, ok map[string]any, status string) {
		entry, _ := paths[path].(map[string]any)
		if entry == nil {
			entry = map[string]any{}
			paths[path] = entry
		}
		o := map[string]any{"summary": summary, "responses": with(map[string]any{status: resp("done", ok)}, map[string]any{"409": resp("conflict", ref("ErrorBody"))})}
		if req != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": req}}}
		}
		entry[method] = o
	}
	csvBody := map[string]any{"type": "string", "contentMediaType": "text/csv"}
	op("post", "/grouping-runs", "start a grouping run from a preset over the providers on file (coordinator, administrator); beyond the run limits it waits with status queued, beyond the queue's bound 429; runs from demographics (intergroup dialogue, demographic criteria) are the administrator's", object, object, "202")
	op("get", "/grouping-runs", "list grouping runs the key may see, without solutions", nil, object, "200")
	op("get", "/grouping-runs/{id}", "a grouping run: status (queued, running, done, failed, cancelled), progress, solution with explanations, consultants", nil, object, "200")
	op("post", "/grouping-runs/{id}/cancel", "cancel a queued run (200, cancelled at once) or a running one (202)", nil, object, "202")
	op("post", "/grouping-runs/{id}/regroup", "re-group a finished run after joins and leaves; the new run carries the diff", object, object, "202")
	op("get", "/grouping-runs/{id}/rosters", "rosters with names, audited; a consultant sees only the groups they lead", nil, object, "200")
	for _, path := range []string{"/grouping-runs", "/grouping-runs/{id}/regroup"} {
		paths[path].(map[string]any)["post"].(map[string]any)["responses"].(map[string]any)["429"] = resp("too many runs waiting (this key's or the server's queue is full)", ref("ErrorBody"))
	}
	op("get", "/plugins", "the plug-in catalog with versions, checksums and status (administrator)", nil, object, "200")
	op("get", "/plugins/{name}/health", "ping a plug-in (administrator)", nil, object, "200")
	op("post", "/programs", "create a scholarship program with its cycles, rubric and agencies' plug-in rules", object, object, "201")
	op("get", "/programs", "list programs", nil, object, "200")
	op("get", "/programs/{id}", "a program", nil, object, "200")
	op("put", "/programs/{id}", "replace a program", object, object, "200")
	c := "/programs/{id}/cycles/{cycle}"
	op("post", c+"/applications", "submit an application (an agency for its own staff)", ref("scholarship-application"), ref("scholarship-application"), "201")
	op("get", c+"/applications", "list a cycle's applications not withdrawn (an agency sees its own)", nil, object, "200")
	op("post", c+"/applications/{app}/withdraw", "withdraw an application before the cycle runs (an agency its own, staff any)", nil, object, "200")
	op("post", c+"/reviews", "store reviewers' rubric points", map[string]any{"type": "array", "items": object}, object, "201")
	op("post", c+"/runs", "run the cycle: rules, plug-ins, scores, ranking, allocation, decision records", nil, object, "201")
	op("get", c+"/runs/{run}", "a cycle run", nil, object, "200")
	op("get", c+"/runs/{run}/decisions", "decisions with reasons in English or Spanish (Accept-Language), without what is derived from demographics the reader may not see", nil, object, "200")
	op("get", c+"/runs/{run}/decisions/{app}/verify", "check a decision record's keyed inputs hash against the stored application (administrator)", nil, object, "200")
	op("post", c+"/runs/{run}/declines", "record declined awards; the money goes down the waitlist", object, object, "200")
	op("post", c+"/runs/{run}/ledger", "append a disbursement, completion, withdrawal or departure", object, object, "201")
	op("get", c+"/runs/{run}/ledger", "the ledger", nil, object, "200")
	op("get", c+"/runs/{run}/ledger/{app}/owed", "the repayment owed as of ?as_of=", nil, object, "200")
	op("get", c+"/runs/{run}/equity", "the equity summary under the program's disclosure standard as of the run (?unsuppressed=true: administrator)", nil, ref("scholarship-equity"), "200")
	op("post", "/instruments", "create a survey instrument (evaluator, administrator)", ref("survey-instrument"), object, "201")
	op("post", "/instruments/from-redcap", "create an instrument from a REDCap data dictionary (CSV body, ?id=)", csvBody, object, "201")
	op("get", "/instruments", "list instruments", nil, object, "200")
	op("get", "/instruments/{id}", "an instrument", nil, object, "200")
	op("post", "/instruments/{id}/imports", "import responses (CSV body; ?format=redcap&event=, ?skip_bad_rows=true), in the background", csvBody, object, "202")
	op("get", "/imports/{id}", "an import's status, progress and report", nil, object, "200")
	op("post", "/imports/{id}/release", "set, once, an import's release: disclosure standard, population, race mode, items and breakdowns that may be published (evaluator, administrator; unsuppressed: administrator)", object, object, "201")
	op("get", "/imports/{id}/report", "the release's tables: ?breakdown=race or race,place (repeatable, at most 16, each in the release), ?items=, ?format=csv; 409 before the release", nil, ref("survey-report"), "200")
	op("get", "/imports/{id}/rankings/{item}", "a released ranking item's Borda ranking, program-wide; 409 before the release", nil, ref("survey-ranking"), "200")
	op("get", "/imports/{id}/frequencies/{item}", "a released multi-select item's frequencies, program-wide; 409 before the release", nil, ref("survey-frequencies"), "200")
	op("get", "/imports/{id}/trend", "the change of every cell from ?from={earlier import id} to this import, from both releases' published figures only (a cell hidden in either has none): z tests on the cells' standard errors, Holm-adjusted; ?breakdown= and ?items= as the report, each in both releases; the instruments must have the same item codes and kinds; 409 before either release", nil, ref("survey-trend"), "200")
	op("get", "/imports/{id}/paired", "one item's paired change from ?before={import id} to this import (?item=), respondents matched by ID, under this import's release standard; the item must be published by both releases; 409 before either release", nil, ref("survey-paired"), "200")

	schemas := map[string]any{}
	for name, raw := range schema.All() {
		schemas[name] = raw
	}
	schemas["ErrorBody"] = map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
		"code":       map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "unauthorized", "internal"}},
		"message":    map[string]any{"type": "string"},
		"request_id": map[string]any{"type": "string"},
		"problems": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
			"field": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}},
	}}}}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Best Starts for Kids workforce API",
			"version":     "1.0.0",
			"description": "The reference server of github.com/beststarts/workforce. Send an API key as Authorization: Bearer <key>.",
		},
		"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
		"servers":           []any{map[string]any{"url": "/api/v1"}},
		"security":          []any{map[string]any{"bearer": []any{}}},
		"paths":             paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // the document is built from constant data and valid schemas
	}
	return b
}
