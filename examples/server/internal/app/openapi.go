package app

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
	openAPIErr  error
)

// openAPI serves the OpenAPI 3.1 document built from [operations]: every
// request and response body is the JSON Schema of the Go type the handler
// decodes or encodes, so the contract cannot drift from the code.
func (a *App) openAPI(c echo.Context) error {
	openAPIOnce.Do(func() { openAPIDoc, openAPIErr = OpenAPI() })
	if openAPIErr != nil {
		return bsk.Errorf(bsk.CodeInternal, "building the OpenAPI document: %w", openAPIErr)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}

// The shapes of answers that handlers build as maps or anonymous structs.
// They document those answers, and the tests check every real answer
// against them.
type (
	// HealthStatus answers /healthz ("ok").
	HealthStatus struct {
		Status string `json:"status"`
	}
	// ProvidersImported answers a CSV import of providers.
	ProvidersImported struct {
		// Imported is the number of providers created.
		Imported int `json:"imported"`
	}
	// RunCancel answers the cancellation of a grouping run: "cancelled" at
	// once for a queued run, "cancelling" for a running one.
	RunCancel struct {
		ID     string `json:"id"`
		Status string `json:"status" jsonschema:"enum=cancelled,enum=cancelling"`
	}
	// PluginList is the plug-in catalog with each plug-in's status.
	PluginList struct {
		Plugins []PluginStatus `json:"plugins"`
	}
	// ReviewsStored answers stored reviews.
	ReviewsStored struct {
		// Stored is the number of reviews stored or replaced.
		Stored int `json:"stored"`
	}
)

// The roles that may call an operation.
var (
	adminRole     = []Role{RoleAdmin}
	staffRoles    = []Role{RoleAdmin, RoleCoordinator}
	agencyRoles   = []Role{RoleAdmin, RoleCoordinator, RoleAgency}
	workerRoles   = []Role{RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant}
	surveyEditors = []Role{RoleAdmin, RoleEvaluator}
	surveyReaders = []Role{RoleAdmin, RoleCoordinator, RoleEvaluator}
)

// operation is one route of the API, from which its OpenAPI operation is
// built. Path parameters come from the path.
type operation struct {
	method  string
	path    string // as the router has it: /api/v1/keys/:id
	summary string
	roles   []Role // nil: no key needed
	query   []param
	// body is a value of the request body's Go type, nil for none; csv
	// sends it as text/csv instead of JSON.
	body any
	csv  bool
	// ok are the success answers; errors the error statuses besides those
	// of every keyed operation (400, 401, 403, 404, 429).
	ok     []answer
	errors []int
}

// param is one query parameter.
type param struct {
	name     string
	desc     string
	schema   map[string]any
	required bool
}

// answer is one success status with a value of its body's Go type (nil
// for none) and the body's media type (JSON when empty).
type answer struct {
	status int
	desc   string
	body   any
	media  string
}

func queryString(name, desc string) param {
	return param{name: name, desc: desc, schema: map[string]any{"type": "string"}}
}

func requiredParam(p param) param { p.required = true; return p }

func queryEnum(name, desc string, values ...string) param {
	return param{name: name, desc: desc, schema: map[string]any{"type": "string", "enum": values}}
}

func queryList(name, desc string) param {
	return param{name: name, desc: desc, schema: map[string]any{"type": "array", "items": map[string]any{"type": "string"}}}
}

var (
	limitParam    = param{name: "limit", desc: "page size", schema: map[string]any{"type": "integer", "minimum": 1, "maximum": maxPage}}
	cursorParam   = queryString("cursor", "the next_cursor of the page before")
	pageParams    = []param{limitParam, cursorParam}
	listParams    = []param{limitParam, cursorParam, queryString("organization_id", "only this organization's records"), queryString("parent", "only the records under this parent (a session's attendance, an offering's sessions)")}
	releaseParams = []param{queryList("breakdown", "a breakdown of the release: race, or race,place to cross two (repeatable, at most 16)"), queryString("items", "comma-separated item codes")}
)

func success(status int, desc string, body any) answer {
	return answer{status: status, desc: desc, body: body}
}

// crud lists the operations of a resource (resource.go): listers may list
// the records, readers read one by ID, writers change them.
func crud[T any](path, name string, listers, readers, writers []Role, withID bool) []operation {
	var v T
	ops := []operation{
		{method: "GET", path: path, summary: "list " + name + " records", roles: listers, query: listParams, ok: []answer{success(200, "a page", Page[T]{})}},
		{method: "POST", path: path, summary: "create a " + name, roles: writers, body: v, ok: []answer{success(201, "created", v)}, errors: []int{409}},
	}
	if withID {
		ops = append(ops,
			operation{method: "GET", path: path + "/:id", summary: "read a " + name, roles: readers, ok: []answer{success(200, "the record", v)}},
			operation{method: "PUT", path: path + "/:id", summary: "replace a " + name, roles: writers, body: v, ok: []answer{success(200, "replaced", v)}},
			operation{method: "DELETE", path: path + "/:id", summary: "delete a " + name, roles: writers, ok: []answer{{status: 204, desc: "deleted"}}, errors: []int{409}},
		)
	}
	return ops
}

// operations is the API's contract: one line per route the router has
// (the tests fail for a route without one), with its request and answer
// types given by value.
func operations() []operation {
	const v1 = "/api/v1"
	const cy = v1 + "/programs/:id/cycles/:cycle"
	const py = v1 + programYear
	ops := []operation{
		{method: "GET", path: "/healthz", summary: "liveness", ok: []answer{success(200, "the server is up", HealthStatus{})}},
		{method: "GET", path: "/readyz", summary: "readiness: the database and every enabled plug-in answer; 503 names the parts that do not", ok: []answer{success(200, "ready, with each part's status", ReadyStatus{})}, errors: []int{503}},
		{method: "GET", path: "/metrics", summary: "Prometheus metrics, for clients of the -metrics-from networks (loopback by default) and administrators; 404 for anyone else", ok: []answer{{status: 200, desc: "the Prometheus text format", media: "text/plain"}}, errors: []int{404}},
		{method: "GET", path: v1 + "/openapi.json", summary: "this document", ok: []answer{success(200, "the OpenAPI document", map[string]any{})}},
		{method: "GET", path: v1 + "/docs", summary: "this document as a browsable page (Redoc, embedded)", ok: []answer{{status: 200, desc: "an HTML page", media: "text/html"}}},
		{method: "GET", path: v1 + "/docs/redoc.standalone.js", summary: "the docs page's script", ok: []answer{{status: 200, desc: "Redoc's standalone bundle", media: "application/javascript"}}},

		{method: "POST", path: v1 + "/keys", summary: "create an API key; expires_at or ttl (\"720h\") sets an expiry, none means never", roles: adminRole, body: KeyRequest{}, ok: []answer{success(201, "the key, shown once", KeyResponse{})}},
		{method: "GET", path: v1 + "/keys", summary: "list API keys with status, expiry and last use, never secrets", roles: adminRole, query: pageParams, ok: []answer{success(200, "a page of keys", Page[KeyInfo]{})}},
		{method: "DELETE", path: v1 + "/keys/:id", summary: "revoke an API key at once", roles: adminRole, ok: []answer{success(200, "the revoked key", KeyInfo{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/web-sessions", summary: "list the web app's sessions that work now, oldest first: of one API key (key_id), of one single sign-on subject (subject), or of everyone; never a secret or a stored hash", roles: adminRole, query: webSessionParams, ok: []answer{success(200, "the sessions", WebSessionList{})}},
		{method: "DELETE", path: v1 + "/web-sessions", summary: "end every web session of one API key (key_id) or single sign-on subject (subject) at once: their next request is sent to sign in; audited", roles: adminRole, query: webSessionParams, ok: []answer{success(200, "the sessions ended (none is not an error)", WebSessionList{})}},
		{method: "DELETE", path: v1 + "/web-sessions/:id", summary: "end one web session at once: its next request is sent to sign in; audited", roles: adminRole, ok: []answer{success(200, "the session ended", WebSession{})}},
		{method: "GET", path: v1 + "/audit", summary: "the hash-chained audit log with key names and roles", roles: adminRole, query: append(slices.Clip(pageParams), queryEnum("order", "oldest (asc, the default) or newest (desc) first", "asc", "desc")), ok: []answer{success(200, "a page of entries", Page[store.AuditEntry]{})}},
		{method: "GET", path: v1 + "/audit/head", summary: "the audit chain's last seq and hash, to keep outside the database", roles: adminRole, ok: []answer{success(200, "the head", store.AuditHead{})}},
	}
	ops = append(ops, crud[bsk.Organization](v1+"/organizations", "organization", agencyRoles, agencyRoles, agencyRoles, true)...)
	ops = append(ops, crud[bsk.Provider](v1+"/providers", "provider", agencyRoles, workerRoles, agencyRoles, true)...)
	ops = append(ops, operation{method: "POST", path: v1 + "/providers/import", summary: "import providers from CSV, all or nothing", roles: agencyRoles, body: "", csv: true, ok: []answer{success(201, "imported", ProvidersImported{})}, errors: []int{409, 413}})
	ops = append(ops, crud[bsk.Offering](v1+"/offerings", "offering", workerRoles, workerRoles, staffRoles, true)...)
	ops = append(ops, crud[bsk.Session](v1+"/sessions", "session", workerRoles, workerRoles, staffRoles, true)...)
	ops = append(ops, crud[bsk.Attendance](v1+"/attendance", "attendance", agencyRoles, agencyRoles, agencyRoles, false)...)
	ops = append(ops, []operation{
		{method: "POST", path: v1 + "/offerings/:id/registrations", summary: "register a provider (an agency: its own staff) for an offering or one session: a seat while one is free, the waitlist otherwise; 400 with one problem per reason when the offering's rules refuse", roles: agencyRoles, body: RegistrationRequest{}, ok: []answer{success(201, "the registration with its status", bsk.Registration{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/offerings/:id/registrations", summary: "an offering's roster: seats held, waitlist length, and the registrations the key may see (an agency: its own staff's)", roles: agencyRoles, query: []param{queryString("session", "one session's roster")}, ok: []answer{success(200, "the roster", TrainingRoster{})}},
		{method: "DELETE", path: v1 + "/offerings/:id/registrations/:reg", summary: "cancel a registration; a freed seat goes to the first on the waitlist, with a notice (shown to the key when it may see the promoted provider)", roles: agencyRoles, ok: []answer{success(200, "the cancelled registration and the promotions", RegistrationCancel{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/providers/:id/transcript", summary: "a provider's transcript: sessions attended with hours and credit per session, by credit kind, competency area and year", roles: workerRoles, ok: []answer{success(200, "the transcript", training.Transcript{})}},
		{method: "POST", path: v1 + "/sessions/:id/attendance/zoom", summary: "import a video meeting's participants report (Zoom's CSV) for a session: matched to providers by name, re-joins merged, hours capped at the session's length, unmatched rows listed for review; all or nothing (400 with every problem, 409 when a provider already has attendance in the session)", roles: staffRoles, body: "", csv: true, query: []param{queryString("time_zone", "the IANA time zone of the report's times (default UTC)")}, ok: []answer{success(201, "what was stored", ZoomImport{})}, errors: []int{409, 413}},
		{method: "GET", path: v1 + "/offerings/:id/interpretation", summary: "the interpreters to book per session and language (ASL included) from the registrations holding a seat, with who needs them and the day to book by; a session held in a language needs no interpreter into it", roles: staffRoles, query: []param{queryString("deadline_days", "days before a session to book by (default 14)")}, ok: []answer{success(200, "the bookings", []bsk.InterpreterBooking{})}},
		{method: "GET", path: v1 + "/offerings/:id/audience", summary: "who may join an offering: its audience rule's date-effective periods (empty: open to all who may see it)", roles: agencyRoles, ok: []answer{success(200, "the audience", OfferingAudience{})}},
		{method: "PUT", path: v1 + "/offerings/:id/audience", summary: "replace an offering's audience (no periods removes it); registration applies the period in force on the day asked, and a refusal names each reason (in a period with a demographic condition, a key that may not read the provider's demographics reads audience_restricted instead of the conditions that failed)", roles: staffRoles, body: OfferingAudience{}, ok: []answer{success(200, "the stored audience", OfferingAudience{})}},
		{method: "GET", path: v1 + "/providers/:id/progress", summary: "a provider's endorsement progress from their record and attendance: the highest level met and what each level above still asks (an agency: its own staff; a consultant: their own)", roles: workerRoles, query: []param{queryString("as_of", "a date (2026-06-30) or an RFC 3339 time; today when absent")}, ok: []answer{success(200, "the progress", ProviderProgress{})}},
		{method: "GET", path: v1 + "/organizations/:id/progress", summary: "the endorsement progress of every provider of an organization (an agency: its own)", roles: agencyRoles, query: []param{queryString("as_of", "a date (2026-06-30) or an RFC 3339 time; today when absent")}, ok: []answer{success(200, "the progress of each provider", ProgressList{})}},
		{method: "GET", path: v1 + "/trainings/reach", summary: "who the trainings reach and keep: attendees and first-timers per session and month, the monthly return rate, shares by role, region, rural reach, language, agency kind and grantee; every table suppressed under Washington's standard", roles: staffRoles, query: []param{queryList("kind", "the offering kinds counted (default: training)")}, ok: []answer{success(200, "the reach", training.Reach{})}},
	}...)

	ops = append(ops, []operation{
		{method: "POST", path: v1 + "/grouping-runs", summary: "start a grouping run from a preset over the providers on file; beyond the run limits it waits with status queued, beyond the queue's bound 429; runs from demographics (intergroup dialogue, demographic criteria) are the administrator's", roles: staffRoles, body: GroupingRunRequest{}, ok: []answer{success(202, "the run, queued or running", GroupingRun{})}},
		{method: "GET", path: v1 + "/grouping-runs", summary: "list grouping runs the key may see, without solutions", roles: staffRoles, query: pageParams, ok: []answer{success(200, "a page of runs", Page[GroupingRun]{})}},
		{method: "GET", path: v1 + "/grouping-runs/:id", summary: "a grouping run: status (queued, running, done, failed, cancelled), progress, solution with explanations, consultants", roles: staffRoles, ok: []answer{success(200, "the run", GroupingRun{})}},
		{method: "POST", path: v1 + "/grouping-runs/:id/cancel", summary: "cancel a queued run (200, cancelled at once) or a running one (202)", roles: staffRoles, ok: []answer{success(200, "cancelled", RunCancel{}), success(202, "cancelling", RunCancel{})}, errors: []int{409}},
		{method: "POST", path: v1 + "/grouping-runs/:id/regroup", summary: "re-group a finished run after joins and leaves; the new run carries the diff", roles: staffRoles, body: RegroupRequest{}, ok: []answer{success(202, "the new run", GroupingRun{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/grouping-runs/:id/rosters", summary: "rosters with names, audited; a consultant sees only the groups they lead", roles: service.RosterRoles, ok: []answer{success(200, "the rosters", service.RunRosters{})}, errors: []int{409}},

		{method: "GET", path: v1 + "/plugins", summary: "the plug-in catalog with versions, checksums and status", roles: adminRole, ok: []answer{success(200, "the catalog", PluginList{})}},
		{method: "GET", path: v1 + "/plugins/:name/health", summary: "ping a plug-in", roles: adminRole, ok: []answer{success(200, "the plug-in's health", PluginHealth{})}},

		{method: "POST", path: v1 + "/programs", summary: "create a scholarship program with its cycles, rubric and agencies' plug-in rules", roles: staffRoles, body: ProgramConfig{}, ok: []answer{success(201, "created", ProgramConfig{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/programs", summary: "list programs", roles: agencyRoles, ok: []answer{success(200, "every program", Page[ProgramConfig]{})}},
		{method: "GET", path: v1 + "/programs/:id", summary: "a program", roles: agencyRoles, ok: []answer{success(200, "the program", ProgramConfig{})}},
		{method: "PUT", path: v1 + "/programs/:id", summary: "replace a program; only an administrator changes its disclosure standard", roles: staffRoles, body: ProgramConfig{}, ok: []answer{success(200, "replaced", ProgramConfig{})}},
		{method: "POST", path: cy + "/applications", summary: "submit an application (an agency for its own staff)", roles: agencyRoles, body: scholarship.Application{}, ok: []answer{success(201, "submitted", scholarship.Application{})}, errors: []int{409}},
		{method: "GET", path: cy + "/applications", summary: "list a cycle's applications not withdrawn (an agency sees its own)", roles: agencyRoles, ok: []answer{success(200, "the applications", Page[scholarship.Application]{})}},
		{method: "POST", path: cy + "/applications/:app/withdraw", summary: "withdraw an application before the cycle runs (an agency its own, staff any)", roles: agencyRoles, ok: []answer{success(200, "withdrawn", Withdrawal{})}, errors: []int{409}},
		{method: "POST", path: cy + "/reviews", summary: "store reviewers' rubric points", roles: staffRoles, body: []scholarship.Review{}, ok: []answer{success(201, "stored", ReviewsStored{})}},
		{method: "POST", path: cy + "/runs", summary: "run the cycle: rules, plug-ins, scores, ranking, allocation, decision records", roles: staffRoles, ok: []answer{success(201, "the run", CycleRun{})}, errors: []int{409}},
		{method: "GET", path: cy + "/runs/:run", summary: "a cycle run", roles: staffRoles, ok: []answer{success(200, "the run", CycleRun{})}},
		{method: "GET", path: cy + "/runs/:run/decisions", summary: "decisions with reasons in the reader's language (Accept-Language, among the seven the county serves), without what is derived from demographics the reader may not see", roles: agencyRoles, query: pageParams, ok: []answer{success(200, "a page of decisions", Page[Decision]{})}},
		{method: "GET", path: cy + "/runs/:run/decisions/:app/verify", summary: "check a decision record's keyed inputs hash against the stored application", roles: adminRole, ok: []answer{success(200, "the check", DecisionCheck{})}},
		{method: "POST", path: cy + "/runs/:run/declines", summary: "record declined awards; the money goes down the waitlist", roles: staffRoles, body: DeclineRequest{}, ok: []answer{success(200, "the run after the declines", CycleRun{})}, errors: []int{409}},
		{method: "POST", path: cy + "/runs/:run/ledger", summary: "append a disbursement, completion, withdrawal or departure", roles: staffRoles, body: scholarship.Entry{}, ok: []answer{success(201, "the entry as stored", service.LedgerEntry{})}, errors: []int{409}},
		{method: "GET", path: cy + "/runs/:run/ledger", summary: "the ledger", roles: staffRoles, ok: []answer{success(200, "every entry", Page[service.LedgerEntry]{})}},
		{method: "GET", path: cy + "/runs/:run/ledger/:app/owed", summary: "the repayment owed", roles: staffRoles, query: []param{queryString("as_of", "a date (2026-06-30) or an RFC 3339 time; now when absent")}, ok: []answer{success(200, "the repayment", service.Repayment{})}},
		{method: "GET", path: cy + "/runs/:run/equity", summary: "the equity summary under the program's disclosure standard as of the run", roles: staffRoles, query: []param{queryEnum("unsuppressed", "true: the figures unsuppressed (administrator)", "true", "false")}, ok: []answer{success(200, "the summary", scholarship.ProtectedEquity{})}},
		{method: "POST", path: cy + "/review-assignment", summary: "assign reviewers to the cycle's applications: k each within capacity, by language, never one with a conflict of interest (same organization, reporting line, declared, an applicant); shortfalls with reasons in the reader's language (Accept-Language)", roles: staffRoles, body: ReviewSetup{}, ok: []answer{success(201, "the assignment", ReviewAssignment{})}},
		{method: "GET", path: cy + "/review-assignment", summary: "the cycle's reviewer assignment", roles: staffRoles, ok: []answer{success(200, "the assignment", ReviewAssignment{})}},
		{method: "GET", path: cy + "/review-queue", summary: "the calling reviewer's applications under the program's blind policy, never with demographics, each with the fields hidden; audited", roles: service.ReviewerRoles, ok: []answer{success(200, "the queue", ReviewQueue{})}},
		{method: "POST", path: cy + "/review-queue/reviews", summary: "store the calling reviewer's points for applications assigned to them", roles: service.ReviewerRoles, body: []scholarship.Review{}, ok: []answer{success(201, "stored", ReviewsStored{})}},
		{method: "GET", path: v1 + "/programs/:id/funds", summary: "the funds of every cycle of a program that has them", roles: staffRoles, ok: []answer{success(200, "the cycles' funds", Page[CycleFunds]{})}},
		{method: "POST", path: cy + "/funds", summary: "define a cycle's funds: name, priority tier, budget and rule (a pool criterion other than a demographic one, languages); together within the cycle's budget", roles: staffRoles, body: FundsRequest{}, ok: []answer{success(201, "the funds", CycleFunds{})}, errors: []int{409}},
		{method: "GET", path: cy + "/funds", summary: "a cycle's funds", roles: staffRoles, ok: []answer{success(200, "the funds", CycleFunds{})}},
		{method: "PUT", path: cy + "/funds", summary: "replace a cycle's funds; runs made before keep theirs", roles: staffRoles, body: FundsRequest{}, ok: []answer{success(200, "the funds", CycleFunds{})}, errors: []int{409}},
		{method: "DELETE", path: cy + "/funds", summary: "remove a cycle's funds: its next run draws on the cycle's one budget", roles: staffRoles, ok: []answer{{status: 204, desc: "deleted"}}},
		{method: "GET", path: cy + "/runs/:run/funds", summary: "a run's fund balances and every award, waitlisting, decline, return and promotion step, in the reader's language (Accept-Language); an agency reads only its own staff's steps, without balances; audited", roles: agencyRoles, ok: []answer{success(200, "the funds", RunFunds{})}},
		{method: "GET", path: cy + "/review-queue/preview", summary: "staff preview of what a reviewer would see in their blind queue: the same hidden fields, never demographics, marked as a preview; audited", roles: service.PreviewRoles, query: []param{requiredParam(queryString("reviewer", "the reviewer's provider ID"))}, ok: []answer{success(200, "the queue as the reviewer would read it", QueuePreview{})}},
		{method: "GET", path: cy + "/runs/:run/pipeline", summary: "pipeline equity: each group's counts from applied to completed, rates and the four-fifths ratio, under the program's disclosure standard as of the run", roles: service.PipelineRoles, query: []param{queryString("line", "the score an award needs (a number); 0 when absent")}, ok: []answer{success(200, "the pipeline", scholarship.PipelineTable{})}, errors: []int{409}},
		{method: "POST", path: cy + "/runs/:run/completion/:app/progress", summary: "record an award's coursework progress", roles: staffRoles, body: scholarship.CourseProgress{}, ok: []answer{success(201, "the report as stored", scholarship.CourseProgress{})}, errors: []int{409}},
		{method: "POST", path: cy + "/runs/:run/completion/:app/outcome", summary: "record that the recipient completed (every credit required) or withdrew: a ledger entry", roles: staffRoles, body: CompletionOutcome{}, ok: []answer{success(201, "the ledger entry", service.LedgerEntry{})}, errors: []int{409}},
		{method: "GET", path: cy + "/runs/:run/completion/:app", summary: "where an award's studies, repayment and incentive stand", roles: staffRoles, query: []param{queryString("as_of", "a date (2026-06-30) or an RFC 3339 time; now when absent")}, ok: []answer{success(200, "the status", scholarship.CompletionStatus{})}},

		{method: "POST", path: py + "/rc-runs", summary: "start a reflective consultation run; with require_leader_training only consultants who completed the Reflective Practice training and intergroup dialogue lead, the others listed with reasons; 409 when none has", roles: staffRoles, body: RCRunRequest{}, ok: []answer{success(202, "the run, with the consultants left out", RCRun{})}, errors: []int{409}},
		{method: "POST", path: py + "/rc-runs/:id/publish", summary: "publish a finished reflective consultation run once: an offering per group led by its consultant, its monthly sessions, the members' enrolments; a re-grouping of a published run moves enrolments from its effective time and keeps their history", roles: staffRoles, body: PublishRequest{}, ok: []answer{success(201, "the publication", Publication{})}, errors: []int{409}},
		{method: "GET", path: py + "/enrolments", summary: "enrolments, current and ended (an agency sees its own staff's, a consultant those of the groups they lead)", roles: workerRoles, query: []param{queryString("offering_id", "only this group's enrolments")}, ok: []answer{success(200, "the enrolments", EnrolmentList{})}},
		{method: "POST", path: py + "/sessions/:id/attendance", summary: "record who attended a group's session (a consultant: only the groups they lead); members must be enrolled when it meets", roles: []Role{RoleAdmin, RoleCoordinator, RoleConsultant}, body: GroupAttendance{}, ok: []answer{success(201, "the attendance recorded", RecordedAttendance{})}, errors: []int{409}},
		{method: "POST", path: py + "/invoices", summary: "invoice a month's reflective consultation: a line per consultant at the given rates; a session already invoiced is refused (409)", roles: staffRoles, body: InvoiceRequest{}, ok: []answer{success(201, "the invoice, pending approval", Invoice{})}, errors: []int{409}},
		{method: "GET", path: py + "/invoices/:id", summary: "an invoice as JSON, CSV (?format=csv) or an Excel workbook (?format=xlsx)", roles: staffRoles, query: []param{queryEnum("format", "the answer's format", "json", "csv", "xlsx")}, ok: []answer{success(200, "the invoice", Invoice{}), {status: 200, media: "text/csv", body: ""}, {status: 200, media: xlsxType, body: ""}}},
		{method: "POST", path: py + "/communities/placements", summary: "place participants in communities of practice by their rankings and languages; a community below its minimum size does not open and its participants are re-placed; reasons for anyone not placed (Accept-Language)", roles: staffRoles, body: CommunityRequest{}, ok: []answer{success(200, "the placement", CommunityPlacement{})}},
		{method: "GET", path: py + "/calendar", summary: "every session of a month with its leaders, language, interpretation and registrations, and the groups without a consultant (an agency: the offerings it may see, its own staff's registrations)", roles: agencyRoles, query: []param{requiredParam(queryString("month", "the month, 2026-03")), queryString("time_zone", "an IANA time zone; America/Los_Angeles when absent")}, ok: []answer{success(200, "the calendar", Calendar{})}},
		{method: "POST", path: py + "/cohorts", summary: "create a certificate cohort: its offering (certificate_cohort, capacity 0 meaning 100), its day-long modules over at most 14 months, each with a clinician and a mentor on file (a module without both is refused, naming it), and the modules required to complete", roles: staffRoles, body: CohortRequest{}, ok: []answer{success(201, "the cohort", CohortView{})}, errors: []int{409}},
		{method: "GET", path: py + "/cohorts/:id", summary: "a cohort: its modules, seats and waitlist counts, and the registrations the caller may see (an agency: its own staff's)", roles: agencyRoles, ok: []answer{success(200, "the cohort", CohortView{})}},
		{method: "POST", path: py + "/cohorts/:id/enrolments", summary: "enrol a provider (an agency: its own staff): a seat while one is free, the waitlist otherwise", roles: agencyRoles, body: CohortEnrolment{}, ok: []answer{success(201, "the registration, registered or waitlisted", bsk.Registration{})}, errors: []int{409}},
		{method: "DELETE", path: py + "/cohorts/:id/enrolments/:reg", summary: "withdraw a registration (an agency: its own staff's); the first on the waitlist takes a freed seat", roles: agencyRoles, ok: []answer{success(200, "the withdrawal and the promotions the caller may see", CohortWithdrawal{})}, errors: []int{409}},
		{method: "GET", path: py + "/cohorts/:id/interpretation", summary: "the interpreters to book for each module, from the seated participants' languages and requests", roles: staffRoles, ok: []answer{success(200, "the bookings", CohortInterpretation{})}},
		{method: "GET", path: py + "/cohorts/:id/completion", summary: "each participant's modules attended and required and completion status with its reason (an agency: its own staff)", roles: agencyRoles, query: []param{queryString("as_of", "a date (2026-06-30) or an RFC 3339 time; now when absent")}, ok: []answer{success(200, "the completion", CohortCompletion{})}},

		{method: "POST", path: v1 + "/instruments", summary: "create a survey instrument", roles: surveyEditors, body: survey.Instrument{}, ok: []answer{success(201, "created", StoredInstrument{})}, errors: []int{409}},
		{method: "POST", path: v1 + "/instruments/from-redcap", summary: "create an instrument from a REDCap data dictionary", roles: surveyEditors, body: "", csv: true, query: []param{requiredParam(queryString("id", "the new instrument's ID")), queryString("cycle", "the instrument's cycle"), queryString("population", "the instrument's population")}, ok: []answer{success(201, "created", StoredInstrument{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/instruments", summary: "list instruments", roles: surveyReaders, ok: []answer{success(200, "every instrument", Page[StoredInstrument]{})}},
		{method: "GET", path: v1 + "/instruments/:id", summary: "an instrument", roles: surveyReaders, ok: []answer{success(200, "the instrument", StoredInstrument{})}},
		{method: "POST", path: v1 + "/instruments/:id/imports", summary: "import responses from CSV, in the background", roles: surveyEditors, body: "", csv: true, query: []param{queryEnum("format", "the CSV's layout", "csv", "redcap"), queryString("event", "the REDCap event to read"), queryEnum("skip_bad_rows", "true: skip rows that do not validate and report them", "true", "false")}, ok: []answer{success(202, "the import, started", SurveyImport{})}, errors: []int{413}},
		{method: "GET", path: v1 + "/imports/:id", summary: "an import's status, progress and report", roles: surveyReaders, ok: []answer{success(200, "the import", SurveyImport{})}},
		{method: "POST", path: v1 + "/imports/:id/release", summary: "set, once, an import's release: disclosure standard, population, race mode, items and breakdowns that may be published (unsuppressed: administrator)", roles: surveyEditors, body: ReleaseRequest{}, ok: []answer{success(201, "the import with its release", SurveyImport{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/imports/:id/report", summary: "the release's tables, as JSON or (?format=csv) CSV; 409 before the release", roles: surveyReaders, query: append(slices.Clip(releaseParams), queryEnum("format", "csv: the tables as CSV", "json", "csv")), ok: []answer{success(200, "the tables", service.SurveyReport{}), {status: 200, media: "text/csv", body: ""}}, errors: []int{409}},
		{method: "GET", path: v1 + "/imports/:id/rankings/:item", summary: "a released ranking item's Borda ranking, program-wide; 409 before the release", roles: surveyReaders, ok: []answer{success(200, "the ranking", survey.RankResult{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/imports/:id/frequencies/:item", summary: "a released multi-select item's frequencies, program-wide; 409 before the release", roles: surveyReaders, ok: []answer{success(200, "the frequencies", survey.Frequencies{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/imports/:id/trend", summary: "the change of every cell from an earlier import to this one, from both releases' published figures only: z tests on the cells' standard errors, Holm-adjusted; the instruments must have the same item codes and kinds; 409 before either release", roles: surveyReaders, query: append([]param{requiredParam(queryString("from", "the earlier import's ID"))}, releaseParams...), ok: []answer{success(200, "the trend", service.SurveyTrend{})}, errors: []int{409}},
		{method: "GET", path: v1 + "/imports/:id/paired", summary: "one item's paired change from an earlier import to this one, respondents matched by ID, under this import's release standard; the item must be published by both releases; 409 before either release", roles: surveyReaders, query: []param{requiredParam(queryString("before", "the earlier import's ID")), requiredParam(queryString("item", "the item's code"))}, ok: []answer{success(200, "the paired change", survey.Paired{})}, errors: []int{409}},
	}...)
	return ops
}

// OpenAPI builds the OpenAPI 3.1 document of the API from [operations].
func OpenAPI() ([]byte, error) {
	g := newSchemas()
	errBody := g.of(ErrorBody{})
	paths := map[string]map[string]any{}
	for _, op := range operations() {
		p, params := openAPIPath(op.path)
		o := map[string]any{
			"operationId": operationID(op),
			"summary":     op.summary,
			"tags":        []string{operationTag(op.path)},
		}
		if op.roles == nil {
			o["security"] = []any{}
		} else {
			names := make([]string, len(op.roles))
			for i, r := range op.roles {
				names[i] = string(r)
			}
			o["x-roles"] = names
			o["description"] = "Roles: " + strings.Join(names, ", ") + "."
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.desc, "required": q.required, "schema": q.schema})
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.body != nil {
			content := map[string]any{"text/csv": map[string]any{"schema": map[string]any{"type": "string"}}}
			if !op.csv {
				content = map[string]any{"application/json": map[string]any{"schema": g.of(op.body)}}
			}
			o["requestBody"] = map[string]any{"required": true, "content": content}
		}
		responses := map[string]any{}
		for _, a := range op.ok {
			key := strconv.Itoa(a.status)
			r, _ := responses[key].(map[string]any)
			if r == nil {
				r = map[string]any{"description": a.desc}
				responses[key] = r
			}
			if a.body == nil && a.media == "" {
				continue
			}
			media := a.media
			if media == "" {
				media = "application/json"
			}
			var s any = map[string]any{"type": "string"}
			if media == "application/json" {
				s = g.of(a.body)
			}
			content, _ := r["content"].(map[string]any)
			if content == nil {
				content = map[string]any{}
				r["content"] = content
			}
			content[media] = map[string]any{"schema": s}
		}
		errs := op.errors
		if op.roles != nil {
			errs = append(slices.Clip(errs), 400, 401, 403, 404, 429)
		}
		errs = append(errs, 500)
		for _, code := range errs {
			responses[strconv.Itoa(code)] = map[string]any{"description": errorStatusText[code],
				"content": map[string]any{"application/json": map[string]any{"schema": errBody}}}
		}
		o["responses"] = responses
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(op.method)] = o
	}
	if g.err != nil {
		return nil, g.err
	}
	var tags []any
	for _, name := range []string{"server", "keys", "organizations", "providers", "offerings", "sessions", "attendance", "grouping-runs", "plugins", "programs", "instruments"} {
		tags = append(tags, map[string]any{"name": name})
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Best Starts for Kids workforce API",
			"version":     "1.0.0",
			"description": "The reference server of github.com/beststarts/workforce. Send an API key as `Authorization: Bearer <key>`. Each operation lists the roles that may call it; a record another key may not see reads as not found.",
			"license":     map[string]any{"name": "see the repository", "url": "https://github.com/beststarts/workforce"},
		},
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"security":          []any{map[string]any{"bearer": []any{}}},
		"tags":              tags,
		"paths":             paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	// invopop/jsonschema refers to definitions as #/$defs/; here they are
	// the document's components.
	return bytes.ReplaceAll(b, []byte(`"#/$defs/`), []byte(`"#/components/schemas/`)), nil
}

// errorStatusText describes each error status.
var errorStatusText = map[int]string{
	400: "invalid input: every problem with its field",
	401: "missing or unknown API key",
	403: "the key's role may not do this",
	404: "not found, or not visible to this key (the two read alike)",
	409: "conflict with the stored state (the record exists, is referenced, or is not ready)",
	413: "the body is larger than the server's limit",
	429: "rate_limited: too many failed sign-ins from this address, or too many runs waiting: wait Retry-After seconds",
	500: "an internal error; the details are in the server's log under the request ID",
	503: "the database does not answer",
}

var paramRE = regexp.MustCompile(`:([a-z]+)`)

// openAPIPath turns a router path into an OpenAPI path and its path
// parameters.
func openAPIPath(p string) (string, []map[string]any) {
	var params []map[string]any
	for _, m := range paramRE.FindAllStringSubmatch(p, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	return paramRE.ReplaceAllString(p, "{$1}"), params
}

// operationID names an operation from its method and path:
// GET /api/v1/keys/:id is get-keys-id.
func operationID(op operation) string {
	p := strings.TrimPrefix(op.path, "/api/v1")
	p = strings.NewReplacer(":", "", ".", "-").Replace(p)
	return strings.ToLower(op.method) + strings.ReplaceAll(p, "/", "-")
}

// operationTag groups operations by the first segment after /api/v1.
func operationTag(p string) string {
	p = strings.TrimPrefix(p, "/api/v1")
	seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch seg {
	case "healthz", "readyz", "metrics", "openapi.json", "docs":
		return "server"
	case "audit", "web-sessions":
		return "keys"
	case "imports":
		return "instruments"
	}
	return seg
}

// schemas reflects Go types into JSON Schemas and gathers their
// definitions, named by package and type (bsk.Provider,
// app.Page_bsk.Offering).
type schemas struct {
	r     *jsonschema.Reflector
	defs  map[string]*jsonschema.Schema
	types map[string]reflect.Type // each definition's Go type
	err   error
}

// enumer is implemented by every enumeration type of bsk.
type enumer interface{ Enum() []string }

var enumType = reflect.TypeFor[enumer]()

var importPath = regexp.MustCompile(`[\w.\-]+(?:/[\w.\-]+)*/`)

func newSchemas() *schemas {
	g := &schemas{defs: map[string]*jsonschema.Schema{}, types: map[string]reflect.Type{}}
	// The settings of the schema package's generator (schema/internal/registry):
	// enumerations list their codes.
	g.r = &jsonschema.Reflector{Anonymous: true}
	g.r.Namer = func(t reflect.Type) string {
		if t.PkgPath() == "" || t.Name() == "" {
			return ""
		}
		name := path.Base(t.PkgPath()) + "." + importPath.ReplaceAllString(t.Name(), "")
		name = strings.NewReplacer("[", "_", "]", "", ",", "_", "*", "", " ", "").Replace(name)
		g.types[name] = t
		return name
	}
	g.r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		if t.Kind() != reflect.String || !t.Implements(enumType) {
			return nil
		}
		s := &jsonschema.Schema{Type: "string", Title: t.Name()}
		for _, c := range reflect.Zero(t).Interface().(enumer).Enum() {
			s.Enum = append(s.Enum, c)
		}
		return s
	}
	return g
}

// of returns the schema of v's type, a reference for a named struct, and
// keeps the definitions it needs.
func (g *schemas) of(v any) *jsonschema.Schema {
	s := g.r.ReflectFromType(reflect.TypeOf(v))
	for name, d := range s.Definitions {
		if t := g.types[name]; t != nil && t.Kind() == reflect.Struct {
			nullPointers(d, t)
		}
		if old, ok := g.defs[name]; ok && !sameSchema(old, d) {
			g.err = fmt.Errorf("two types are named %s", name)
		}
		g.defs[name] = d
	}
	s.Definitions, s.Version, s.ID = nil, "", ""
	return s
}

func sameSchema(a, b *jsonschema.Schema) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

//go:embed docs/index.html docs/redoc.standalone.js
var docsFS embed.FS

// docsCSP is the content-security policy of the docs page and its script,
// loosened from the server's default-src 'none' only as far as Redoc needs:
// its own script, the document from this server, inline styles
// (styled-components), images and fonts as data URLs, and its search
// worker from a blob.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
	"connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// docsRoutes serves the browsable API reference: /api/v1/docs and the
// Redoc script it loads, both embedded in the binary.
func (a *App) docsRoutes(e *echo.Echo) {
	serve := func(name, media string) echo.HandlerFunc {
		return func(c echo.Context) error {
			b, err := docsFS.ReadFile(name)
			if err != nil {
				return bsk.Errorf(bsk.CodeInternal, "docs: %w", err)
			}
			c.Response().Header().Set(echo.HeaderContentSecurityPolicy, docsCSP)
			return c.Blob(http.StatusOK, media, b)
		}
	}
	e.GET("/api/v1/docs", serve("docs/index.html", echo.MIMETextHTMLCharsetUTF8))
	e.GET("/api/v1/docs/redoc.standalone.js", serve("docs/redoc.standalone.js", echo.MIMEApplicationJavaScriptCharsetUTF8))
}

// nullPointers lets the properties of t that are pointers without
// omitempty be null, as encoding/json writes a nil pointer: a suppressed
// figure, an award not made. Pointers inside slices and maps likewise.
func nullPointers(s *jsonschema.Schema, t reflect.Type) {
	if s.Properties == nil {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				nullPointers(s, et)
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		p, ok := s.Properties.Get(name)
		if !ok {
			continue
		}
		omit := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool { return o == "omitempty" || o == "omitzero" })
		s.Properties.Set(name, nullable(p, f.Type, !omit))
	}
}

// nullable returns s, the schema of a value of type t, allowing null
// where encoding/json may write it: at a pointer when top is true, and at
// pointers held by slices, arrays and maps.
func nullable(s *jsonschema.Schema, t reflect.Type, top bool) *jsonschema.Schema {
	switch t.Kind() {
	case reflect.Pointer:
		if top && t.Elem().Kind() != reflect.Interface {
			return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{s, {Type: "null"}}, Description: s.Description}
		}
	case reflect.Slice, reflect.Array:
		if s.Items != nil {
			s.Items = nullable(s.Items, t.Elem(), true)
		}
	case reflect.Map:
		if s.AdditionalProperties != nil {
			s.AdditionalProperties = nullable(s.AdditionalProperties, t.Elem(), true)
		}
	}
	return s
}
