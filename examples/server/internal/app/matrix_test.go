package app_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

// The callers of the route matrix, in the order of its columns. "agency"
// is the agency that owns the records a row names (org-001), "other" is
// another agency (org-002) asking about the same records.
var matrixCallers = []string{"admin", "coordinator", "agency", "other", "consultant", "evaluator", "none"}

// want is the expected status per caller, in matrixCallers order.
type want [7]int

// Common rows of statuses.
var (
	adminOnly   = want{200, 403, 403, 403, 403, 403, 401}
	staffOnly   = want{200, 200, 403, 403, 403, 403, 401}
	staffCreate = want{201, 201, 403, 403, 403, 403, 401}
)

// mcase is one representative request of a route. In path and body,
// "{n}" becomes a token fresh for each request, and the fixture's names
// in braces ({run}, {provider}, ...) the matrix's records.
type mcase struct {
	route  string // "METHOD /path/:param", as the router has it
	path   string
	body   any    // a value sent as JSON, a string sent as CSV, or nil
	before string // a record the administrator creates first: "org", "provider", "offering", "session"
	want   want
}

// matrixCases lists, for every route the router has, the status each
// caller gets for a representative request. Adding a route means adding
// a line here: TestRouteMatrix fails for a route without one.
func matrixCases() []mcase {
	prov := func(org string) func(n string) any {
		return func(n string) any { return provider(org+"-m"+n, org) }
	}
	offering := func(n string) any {
		return bsk.Offering{ID: bsk.OfferingID("m" + n), Kind: bsk.OfferingTraining, Title: "Matrix " + n, Strategy: bsk.StrategyIECMH,
			Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 60}
	}
	session := func(n string) any {
		return bsk.Session{ID: bsk.SessionID("m" + n), OfferingID: "{public}", Starts: time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC), Minutes: 60}
	}
	attendance := func(n string) any {
		return bsk.Attendance{SessionID: "{public-session}", ProviderID: bsk.ProviderID("org-001-m" + n), Hours: 1, Credit: bsk.CreditTraining}
	}
	run := app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.2, NoLeaders: true}
	p, cy := "/api/v1/programs/none", "/api/v1/programs/none/cycles/none"
	const py = "/api/v1/program-year"
	sc := cyc // program "esit", cycle "2026"
	release := matrixRelease
	return []mcase{
		{"GET /healthz", "/healthz", nil, "", want{200, 200, 200, 200, 200, 200, 200}},
		{"GET /readyz", "/readyz", nil, "", want{200, 200, 200, 200, 200, 200, 200}},
		// The matrix runs over loopback, which reads the metrics without a key.
		{"GET /metrics", "/metrics", nil, "", want{200, 200, 200, 200, 200, 200, 200}},
		{"GET /api/v1/openapi.json", "/api/v1/openapi.json", nil, "", want{200, 200, 200, 200, 200, 200, 200}},
		{"GET /api/v1/docs", "/api/v1/docs", nil, "", want{200, 200, 200, 200, 200, 200, 200}},
		{"GET /api/v1/docs/redoc.standalone.js", "/api/v1/docs/redoc.standalone.js", nil, "", want{200, 200, 200, 200, 200, 200, 200}},
		{"POST /api/v1/keys", "/api/v1/keys", map[string]string{"name": "k", "role": "evaluator"}, "", want{201, 403, 403, 403, 403, 403, 401}},
		{"GET /api/v1/audit", "/api/v1/audit", nil, "", adminOnly},
		{"GET /api/v1/audit/head", "/api/v1/audit/head", nil, "", adminOnly},
		{"GET /api/v1/keys", "/api/v1/keys", nil, "", adminOnly},
		{"DELETE /api/v1/keys/:id", "/api/v1/keys/{spare-key}", nil, "key", want{200, 403, 403, 403, 403, 403, 401}},
		{"DELETE /api/v1/keys/:id", "/api/v1/keys/none", nil, "", want{404, 403, 403, 403, 403, 403, 401}},
		{"GET /api/v1/web-sessions", "/api/v1/web-sessions", nil, "", adminOnly},
		{"DELETE /api/v1/web-sessions", "/api/v1/web-sessions?key_id=none", nil, "", adminOnly},
		{"DELETE /api/v1/web-sessions/:id", "/api/v1/web-sessions/none", nil, "", want{404, 403, 403, 403, 403, 403, 401}},

		{"GET /api/v1/organizations", "/api/v1/organizations", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/organizations/:id", "/api/v1/organizations/org-001", nil, "", want{200, 200, 200, 404, 404, 404, 401}},
		{"POST /api/v1/organizations", "/api/v1/organizations", func(n string) any { return org("org-m" + n) }, "", want{201, 201, 404, 404, 403, 403, 401}},
		{"PUT /api/v1/organizations/:id", "/api/v1/organizations/org-001", "{org-001}", "", want{200, 200, 200, 404, 403, 403, 401}},
		{"DELETE /api/v1/organizations/:id", "/api/v1/organizations/org-m{n}", nil, "org", want{204, 204, 404, 404, 403, 403, 401}},

		{"GET /api/v1/providers", "/api/v1/providers", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/providers/:id", "/api/v1/providers/{provider}", nil, "", want{200, 200, 200, 404, 404, 404, 401}},
		{"GET /api/v1/providers/:id", "/api/v1/providers/{consultant}", nil, "", want{200, 200, 404, 404, 200, 404, 401}},
		{"POST /api/v1/providers", "/api/v1/providers", prov("org-001"), "", want{201, 201, 201, 400, 403, 403, 401}},
		{"PUT /api/v1/providers/:id", "/api/v1/providers/{provider}", "{provider}", "", want{200, 200, 200, 404, 403, 403, 401}},
		{"DELETE /api/v1/providers/:id", "/api/v1/providers/org-001-m{n}", nil, "provider", want{204, 204, 204, 404, 403, 403, 401}},
		{"POST /api/v1/providers/import", "/api/v1/providers/import", "id,organization_id,name,role,languages\norg-001-m{n},org-001,Ana,direct_service,en\n", "", want{201, 201, 201, 400, 403, 403, 401}},

		{"GET /api/v1/offerings", "/api/v1/offerings", nil, "", want{200, 200, 200, 200, 200, 403, 401}},
		{"GET /api/v1/offerings/:id", "/api/v1/offerings/{public}", nil, "", want{200, 200, 200, 200, 200, 404, 401}},
		{"GET /api/v1/offerings/:id", "/api/v1/offerings/{private}", nil, "", want{200, 200, 200, 404, 404, 404, 401}},
		{"POST /api/v1/offerings", "/api/v1/offerings", offering, "", staffCreate},
		{"PUT /api/v1/offerings/:id", "/api/v1/offerings/{public}", "{public}", "", staffOnly},
		{"DELETE /api/v1/offerings/:id", "/api/v1/offerings/m{n}", nil, "offering", want{204, 204, 403, 403, 403, 403, 401}},

		{"GET /api/v1/sessions", "/api/v1/sessions", nil, "", want{200, 200, 200, 200, 200, 403, 401}},
		{"GET /api/v1/sessions/:id", "/api/v1/sessions/{public-session}", nil, "", want{200, 200, 200, 200, 200, 404, 401}},
		{"GET /api/v1/sessions/:id", "/api/v1/sessions/{private-session}", nil, "", want{200, 200, 200, 404, 404, 404, 401}},
		{"POST /api/v1/sessions", "/api/v1/sessions", session, "", staffCreate},
		{"PUT /api/v1/sessions/:id", "/api/v1/sessions/{public-session}", "{public-session}", "", staffOnly},
		{"DELETE /api/v1/sessions/:id", "/api/v1/sessions/m{n}", nil, "session", want{204, 204, 403, 403, 403, 403, 401}},

		{"GET /api/v1/attendance", "/api/v1/attendance", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"POST /api/v1/attendance", "/api/v1/attendance", attendance, "provider", want{201, 201, 201, 404, 403, 403, 401}},

		{"POST /api/v1/offerings/:id/registrations", "/api/v1/offerings/{public}/registrations", map[string]string{"provider_id": "org-001-m{n}"}, "provider", want{201, 201, 201, 404, 403, 403, 401}},
		{"POST /api/v1/offerings/:id/registrations", "/api/v1/offerings/{private}/registrations", map[string]string{"provider_id": "org-001-m{n}"}, "provider", want{201, 201, 201, 404, 403, 403, 401}},
		{"GET /api/v1/offerings/:id/registrations", "/api/v1/offerings/{public}/registrations", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/offerings/:id/registrations", "/api/v1/offerings/{private}/registrations", nil, "", want{200, 200, 200, 404, 403, 403, 401}},
		{"DELETE /api/v1/offerings/:id/registrations/:reg", "/api/v1/offerings/{public}/registrations/{registration}", nil, "registration", want{200, 200, 200, 404, 403, 403, 401}},
		{"GET /api/v1/providers/:id/transcript", "/api/v1/providers/{provider}/transcript", nil, "", want{200, 200, 200, 404, 404, 403, 401}},
		{"GET /api/v1/providers/:id/transcript", "/api/v1/providers/{consultant}/transcript", nil, "", want{200, 200, 404, 404, 200, 403, 401}},
		{"GET /api/v1/offerings/:id/audience", "/api/v1/offerings/{public}/audience", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/offerings/:id/audience", "/api/v1/offerings/{private}/audience", nil, "", want{200, 200, 200, 404, 403, 403, 401}},
		{"PUT /api/v1/offerings/:id/audience", "/api/v1/offerings/{private}/audience", map[string]any{"periods": []any{}}, "", want{200, 200, 403, 403, 403, 403, 401}},
		{"GET /api/v1/providers/:id/progress", "/api/v1/providers/{provider}/progress", nil, "", want{200, 200, 200, 404, 404, 403, 401}},
		{"GET /api/v1/providers/:id/progress", "/api/v1/providers/{consultant}/progress", nil, "", want{200, 200, 404, 404, 200, 403, 401}},
		{"GET /api/v1/organizations/:id/progress", "/api/v1/organizations/org-001/progress", nil, "", want{200, 200, 200, 404, 403, 403, 401}},
		{"GET /api/v1/trainings/reach", "/api/v1/trainings/reach", nil, "", staffOnly},
		{"GET /api/v1/offerings/:id/interpretation", "/api/v1/offerings/{public}/interpretation", nil, "", staffOnly},
		{"POST /api/v1/sessions/:id/attendance/zoom", "/api/v1/sessions/m{n}/attendance/zoom", "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\nGuest,,2026-03-01 17:00,2026-03-01 17:30,30\n", "session", staffCreate},

		{"POST /api/v1/grouping-runs", "/api/v1/grouping-runs", run, "", want{202, 202, 403, 403, 403, 403, 401}},
		{"GET /api/v1/grouping-runs", "/api/v1/grouping-runs", nil, "", staffOnly},
		{"GET /api/v1/grouping-runs/:id", "/api/v1/grouping-runs/{run}", nil, "", staffOnly},
		{"GET /api/v1/grouping-runs/:id", "/api/v1/grouping-runs/{dialogue}", nil, "", want{200, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/grouping-runs/:id/cancel", "/api/v1/grouping-runs/{run}/cancel", nil, "", want{409, 409, 403, 403, 403, 403, 401}},
		{"POST /api/v1/grouping-runs/:id/cancel", "/api/v1/grouping-runs/{dialogue}/cancel", nil, "", want{409, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/grouping-runs/:id/regroup", "/api/v1/grouping-runs/{run}/regroup", map[string]any{"time_limit_seconds": 0.2}, "", want{202, 202, 403, 403, 403, 403, 401}},
		{"GET /api/v1/grouping-runs/:id/rosters", "/api/v1/grouping-runs/{run}/rosters", nil, "", want{200, 200, 403, 403, 200, 403, 401}},
		{"GET /api/v1/grouping-runs/:id/rosters", "/api/v1/grouping-runs/{dialogue}/rosters", nil, "", want{200, 404, 403, 403, 404, 403, 401}},

		{"GET /api/v1/plugins", "/api/v1/plugins", nil, "", adminOnly},
		{"GET /api/v1/plugins/:name/health", "/api/v1/plugins/none/health", nil, "", want{404, 403, 403, 403, 403, 403, 401}},

		{"POST /api/v1/programs", "/api/v1/programs", map[string]any{}, "", want{400, 400, 403, 403, 403, 403, 401}},
		{"PUT /api/v1/programs/:id", p, map[string]any{}, "", want{400, 400, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs", "/api/v1/programs", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/programs/:id", p, nil, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/applications", cy + "/applications", map[string]any{}, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/applications", cy + "/applications", nil, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/reviews", cy + "/reviews", []any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/runs", cy + "/runs", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run", cy + "/runs/none", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/decisions", cy + "/runs/none/decisions", nil, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/runs/:run/declines", cy + "/runs/none/declines", map[string]any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/runs/:run/ledger", cy + "/runs/none/ledger", map[string]any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/ledger", cy + "/runs/none/ledger", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/ledger/:app/owed", cy + "/runs/none/ledger/none/owed", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/equity", cy + "/runs/none/equity", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/review-assignment", cy + "/review-assignment", map[string]any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/review-assignment", cy + "/review-assignment", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/review-queue", cy + "/review-queue", nil, "", want{403, 403, 403, 403, 404, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/review-queue/reviews", cy + "/review-queue/reviews", []any{}, "", want{403, 403, 403, 403, 404, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/pipeline", cy + "/runs/none/pipeline", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"GET /api/v1/programs/:id/funds", p + "/funds", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/funds", cy + "/funds", map[string]any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/funds", cy + "/funds", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"PUT /api/v1/programs/:id/cycles/:cycle/funds", cy + "/funds", map[string]any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"DELETE /api/v1/programs/:id/cycles/:cycle/funds", cy + "/funds", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/funds", cy + "/runs/none/funds", nil, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/review-queue/preview", cy + "/review-queue/preview?reviewer=x", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/runs/:run/completion/:app/progress", cy + "/runs/none/completion/none/progress", map[string]any{}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/runs/:run/completion/:app/outcome", cy + "/runs/none/completion/none/outcome", map[string]any{"outcome": "completed"}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/completion/:app", cy + "/runs/none/completion/none", nil, "", want{404, 404, 403, 403, 403, 403, 401}},

		// The same routes on real records: program "esit" ran once with an
		// application of each agency ({own-app} is org-001's); program
		// "open" has not run, so its applications can be withdrawn.
		{"GET /api/v1/programs/:id", "/api/v1/programs/esit", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/applications", sc + "/applications", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/applications/:app/withdraw", "/api/v1/programs/open/cycles/2026/applications/org-001-a{n}/withdraw", nil, "application", want{200, 200, 200, 404, 403, 403, 401}},
		{"POST /api/v1/programs/:id/cycles/:cycle/applications/:app/withdraw", sc + "/applications/{own-app}/withdraw", nil, "", want{409, 409, 409, 404, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run", sc + "/runs/{srun}", nil, "", staffOnly},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/decisions", sc + "/runs/{srun}/decisions", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/decisions/:app/verify", sc + "/runs/{srun}/decisions/{own-app}/verify", nil, "", adminOnly},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/decisions/:app/verify", cy + "/runs/none/decisions/none/verify", nil, "", want{404, 403, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/ledger", sc + "/runs/{srun}/ledger", nil, "", staffOnly},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/ledger/:app/owed", sc + "/runs/{srun}/ledger/{own-app}/owed", nil, "", staffOnly},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/equity", sc + "/runs/{srun}/equity", nil, "", staffOnly},
		{"GET /api/v1/programs/:id/cycles/:cycle/review-assignment", sc + "/review-assignment", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/review-queue", sc + "/review-queue", nil, "", want{403, 403, 403, 403, 404, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/pipeline", sc + "/runs/{srun}/pipeline", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/programs/:id/funds", "/api/v1/programs/esit/funds", nil, "", want{200, 200, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/funds", sc + "/funds", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/funds", sc + "/runs/{srun}/funds", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/review-queue/preview", sc + "/review-queue/preview?reviewer={consultant}", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/programs/:id/cycles/:cycle/runs/:run/completion/:app", sc + "/runs/{srun}/completion/{own-app}", nil, "", staffOnly},

		// The program year. {private-session} belongs to a group nobody is
		// enrolled in and no consultant leads.
		{"POST /api/v1/program-year/rc-runs", py + "/rc-runs", app.RCRunRequest{Run: run}, "", want{202, 202, 403, 403, 403, 403, 401}},
		{"POST /api/v1/program-year/rc-runs/:id/publish", py + "/rc-runs/none/publish", app.PublishRequest{From: "2026-01"}, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/program-year/rc-runs/:id/publish", py + "/rc-runs/{dialogue}/publish", app.PublishRequest{From: "2026-01"}, "", want{400, 404, 403, 403, 403, 403, 401}},
		{"GET /api/v1/program-year/enrolments", py + "/enrolments", nil, "", want{200, 200, 200, 200, 200, 403, 401}},
		{"POST /api/v1/program-year/sessions/:id/attendance", py + "/sessions/{private-session}/attendance", map[string]any{"attended": []map[string]any{{"provider_id": "{provider}"}}}, "", want{400, 400, 403, 403, 404, 403, 401}},
		{"POST /api/v1/program-year/sessions/:id/attendance", py + "/sessions/none/attendance", map[string]any{"attended": []map[string]any{{"provider_id": "{provider}"}}}, "", want{404, 404, 403, 403, 404, 403, 401}},
		{"POST /api/v1/program-year/invoices", py + "/invoices", app.InvoiceRequest{Month: "2030-01", Rates: training.Rates{HourlyCents: 100}}, "", want{400, 400, 403, 403, 403, 403, 401}},
		{"GET /api/v1/program-year/invoices/:id", py + "/invoices/none", nil, "", want{404, 404, 403, 403, 403, 403, 401}},
		{"POST /api/v1/program-year/communities/placements", py + "/communities/placements", map[string]any{"communities": []map[string]any{{"id": "c", "language": "en", "capacity": 2}}, "rankings": []map[string]any{{"provider_id": "{provider}", "ranked": []string{"c"}}}}, "", want{200, 200, 403, 403, 403, 403, 401}},
		{"GET /api/v1/program-year/calendar", py + "/calendar?month=2026-02", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		// Certificate cohorts: {cohort} has {cohort-reg}, a participant of org-001.
		{"POST /api/v1/program-year/cohorts", py + "/cohorts", cohortRequest("mc{n}", 3, "{provider}", "{consultant}"), "", want{201, 201, 403, 403, 403, 403, 401}},
		{"GET /api/v1/program-year/cohorts/:id", py + "/cohorts/{cohort}", nil, "", want{200, 200, 200, 200, 403, 403, 401}},
		{"GET /api/v1/program-year/cohorts/:id", py + "/cohorts/none", nil, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"POST /api/v1/program-year/cohorts/:id/enrolments", py + "/cohorts/{cohort}/enrolments", map[string]string{"provider_id": "org-001-m{n}"}, "provider", want{201, 201, 201, 404, 403, 403, 401}},
		{"DELETE /api/v1/program-year/cohorts/:id/enrolments/:reg", py + "/cohorts/{cohort}/enrolments/{cohort-reg}", nil, "", want{200, 409, 409, 404, 403, 403, 401}},
		{"DELETE /api/v1/program-year/cohorts/:id/enrolments/:reg", py + "/cohorts/{cohort}/enrolments/none", nil, "", want{404, 404, 404, 404, 403, 403, 401}},
		{"GET /api/v1/program-year/cohorts/:id/interpretation", py + "/cohorts/{cohort}/interpretation", nil, "", want{200, 200, 403, 403, 403, 403, 401}},
		{"GET /api/v1/program-year/cohorts/:id/completion", py + "/cohorts/{cohort}/completion", nil, "", want{200, 200, 200, 200, 403, 403, 401}},

		{"POST /api/v1/instruments", "/api/v1/instruments", map[string]any{}, "", want{400, 403, 403, 403, 403, 400, 401}},
		{"POST /api/v1/instruments/from-redcap", "/api/v1/instruments/from-redcap", "", "", want{400, 403, 403, 403, 403, 400, 401}},
		{"GET /api/v1/instruments", "/api/v1/instruments", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/instruments/:id", "/api/v1/instruments/none", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"POST /api/v1/instruments/:id/imports", "/api/v1/instruments/none/imports", "a\n1\n", "", want{404, 403, 403, 403, 403, 404, 401}},
		{"GET /api/v1/imports/:id", "/api/v1/imports/none", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"GET /api/v1/imports/:id/report", "/api/v1/imports/none/report", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"GET /api/v1/imports/:id/rankings/:item", "/api/v1/imports/none/rankings/q1", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"GET /api/v1/imports/:id/frequencies/:item", "/api/v1/imports/none/frequencies/q1", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"POST /api/v1/imports/:id/release", "/api/v1/imports/none/release", release, "", want{404, 403, 403, 403, 403, 404, 401}},

		// The same routes on real imports: {imp} is released, {unreleased} not.
		{"GET /api/v1/instruments/:id", "/api/v1/instruments/matrix-released", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/imports/:id", "/api/v1/imports/{imp}", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/imports/:id/report", "/api/v1/imports/{imp}/report", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/imports/:id/report", "/api/v1/imports/{unreleased}/report", nil, "", want{409, 409, 403, 403, 403, 409, 401}},
		{"GET /api/v1/imports/:id/rankings/:item", "/api/v1/imports/{imp}/rankings/topics", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/imports/:id/rankings/:item", "/api/v1/imports/{unreleased}/rankings/topics", nil, "", want{409, 409, 403, 403, 403, 409, 401}},
		{"POST /api/v1/imports/:id/release", "/api/v1/imports/{imp}/release", release, "", want{409, 403, 403, 403, 403, 409, 401}},
		{"GET /api/v1/imports/:id/trend", "/api/v1/imports/{imp}/trend?from={imp}", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/imports/:id/trend", "/api/v1/imports/{imp}/trend?from={unreleased}", nil, "", want{409, 409, 403, 403, 403, 409, 401}},
		{"GET /api/v1/imports/:id/trend", "/api/v1/imports/none/trend?from={imp}", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
		{"GET /api/v1/imports/:id/paired", "/api/v1/imports/{imp}/paired?before={imp}&item=again", nil, "", want{200, 200, 403, 403, 403, 200, 401}},
		{"GET /api/v1/imports/:id/paired", "/api/v1/imports/{unreleased}/paired?before={imp}&item=again", nil, "", want{409, 409, 403, 403, 403, 409, 401}},
		{"GET /api/v1/imports/:id/paired", "/api/v1/imports/none/paired?before={imp}&item=again", nil, "", want{404, 404, 403, 403, 403, 404, 401}},
	}
}

// TestRouteMatrix asks every route the router has as every caller, and
// compares each status with the matrix. It fails for a route without a
// line in the matrix, and for a line whose route no longer exists.
func TestRouteMatrix(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	cases := matrixCases()

	// Every route of the router has a line, and every line a route.
	routes := map[string]bool{}
	for _, r := range s.App.Handler().(*echo.Echo).Routes() {
		if r.Method == echo.RouteNotFound || r.Path == "/" || strings.HasPrefix(r.Path, "/web/") {
			continue // the web app's pages: tested in package web
		}
		routes[r.Method+" "+r.Path] = true
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.route] = true
		if !routes[c.route] {
			t.Errorf("matrix line for %q, which the router does not have", c.route)
		}
	}
	var missing []string
	for r := range routes {
		if !covered[r] {
			missing = append(missing, r)
		}
	}
	slices.Sort(missing)
	for _, r := range missing {
		t.Errorf("route %s has no line in the access matrix (matrix_test.go): add the status each role gets", r)
	}

	// The callers and the records the lines name.
	keys := map[string]string{"admin": s.Admin, "none": ""}
	keys["coordinator"] = s.key("coordinator", "", "")
	keys["agency"] = s.key("agency", "org-001", "")
	keys["other"] = s.key("agency", "org-002", "")
	keys["evaluator"] = s.key("evaluator", "", "")
	docs := map[string]json.RawMessage{}
	names := map[string]string{}
	getDoc := func(name, path string) {
		r := s.expect(200, "GET", path, s.Admin, nil)
		docs[name] = json.RawMessage(r.Body)
	}
	staff := staffOf(t, s, "org-001")
	names["provider"] = string(staff[0].ID)
	getDoc("{org-001}", "/api/v1/organizations/org-001")
	getDoc("{provider}", "/api/v1/providers/"+names["provider"])
	var offs app.Page[bsk.Offering]
	s.expect(200, "GET", "/api/v1/offerings?limit=500", s.Admin, nil).json(t, &offs)
	for _, o := range offs.Items {
		if o.OrganizationID == "" && names["public"] == "" {
			names["public"] = string(o.ID)
		}
	}
	// A private offering of org-001, with a session.
	priv := bsk.Offering{ID: "org-001-rc", Kind: bsk.OfferingReflectiveConsultation, Title: "Reflective consultation", Strategy: bsk.StrategyIECMH,
		Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90, OrganizationID: "org-001"}
	s.expect(201, "POST", "/api/v1/offerings", s.Admin, priv)
	s.expect(201, "POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "org-001-rc-s1", OfferingID: priv.ID, Starts: time.Date(2026, 2, 1, 17, 0, 0, 0, time.UTC), Minutes: 90})
	names["private"], names["private-session"] = string(priv.ID), "org-001-rc-s1"
	var sess app.Page[bsk.Session]
	s.expect(200, "GET", "/api/v1/sessions?parent="+names["public"], s.Admin, nil).json(t, &sess)
	if len(sess.Items) == 0 || names["public"] == "" {
		t.Fatalf("the demo workforce has no public offering with sessions")
	}
	names["public-session"] = string(sess.Items[0].ID)
	getDoc("{public}", "/api/v1/offerings/"+names["public"])
	getDoc("{public-session}", "/api/v1/sessions/"+names["public-session"])
	// A finished reflective consultation run with consultants, and a
	// dialogue run; the consultant leads a group of the first.
	var run, dialogue app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", s.Admin, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.5}).json(t, &run)
	s.expect(202, "POST", "/api/v1/grouping-runs", s.Admin, app.GroupingRunRequest{Preset: grouping.IntergroupDialoguePreset, TimeLimitSeconds: 0.5}).json(t, &dialogue)
	run, dialogue = waitFinished(t, s, s.Admin, run.ID), waitFinished(t, s, s.Admin, dialogue.ID)
	if run.Status != app.RunDone || dialogue.Status != app.RunDone || len(run.Leaders) == 0 || run.Leaders[0] == "" {
		t.Fatalf("fixture runs: %s (leaders %v), %s", run.Status, run.Leaders, dialogue.Status)
	}
	names["run"], names["dialogue"], names["consultant"] = run.ID, dialogue.ID, run.Leaders[0]
	keys["consultant"] = s.key("consultant", "", names["consultant"])
	// A certificate cohort with a participant of org-001.
	s.expect(201, "POST", "/api/v1/program-year/cohorts", s.Admin, cohortRequest("mx-cert", 0, staff[1].ID, bsk.ProviderID(names["consultant"])))
	var creg bsk.Registration
	s.expect(201, "POST", "/api/v1/program-year/cohorts/mx-cert/enrolments", s.Admin, map[string]string{"provider_id": string(staff[2].ID)}).json(t, &creg)
	names["cohort"], names["cohort-reg"] = "mx-cert", string(creg.ID)

	// A program that ran with an application of each agency, a program
	// that has not run, and two survey imports, one released.
	own, other := staff[1], staffOf(t, s, "org-002")[0]
	s.expect(201, "POST", "/api/v1/programs", s.Admin, esitProgram(50_000_00))
	open := esitProgram(50_000_00)
	open.Program.ID = "open"
	s.expect(201, "POST", "/api/v1/programs", s.Admin, open)
	ownApp := application(own.ID, "Own", 24, 40)
	ownApp.ID = "org-001-own"
	s.expect(201, "POST", cyc+"/applications", keys["agency"], ownApp)
	s.expect(201, "POST", cyc+"/applications", keys["other"], application(other.ID, "Other", 24, 40))
	var srun app.CycleRun
	s.expect(201, "POST", cyc+"/runs", s.Admin, nil).json(t, &srun)
	names["srun"], names["own-app"] = srun.ID, ownApp.ID
	names["imp"] = released(t, s, "matrix-released", "2026", 400, matrixRelease).ID
	in := annual
	in.ID = "matrix-unreleased"
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, in)
	names["unreleased"] = waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/"+in.ID+"/imports", annualCSV(50, 7)).ID).ID

	var fresh atomic.Int64
	expand := func(v, n string) string {
		v = strings.ReplaceAll(v, "{n}", n)
		for k, name := range names {
			v = strings.ReplaceAll(v, "{"+k+"}", name)
		}
		return v
	}
	for _, c := range cases {
		for i, who := range matrixCallers {
			n := fmt.Sprint(fresh.Add(1))
			switch c.before {
			case "org":
				s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-m"+n))
			case "provider":
				s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-001-m"+n, "org-001"))
			case "offering":
				s.expect(201, "POST", "/api/v1/offerings", s.Admin, json.RawMessage(expand(string(mustJSON(t, matrixOffering(n))), n)))
			case "key":
				var k app.KeyResponse
				s.expect(201, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": "spare " + n, "role": "evaluator"}).json(t, &k)
				names["spare-key"] = k.ID
			case "application":
				s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-001-m"+n, "org-001"))
				a := application(bsk.ProviderID("org-001-m"+n), "Withdrawn "+n, 24, 40)
				a.ID = "org-001-a" + n
				s.expect(201, "POST", "/api/v1/programs/open/cycles/2026/applications", s.Admin, a)
			case "session":
				s.expect(201, "POST", "/api/v1/sessions", s.Admin, json.RawMessage(expand(`{"id":"m{n}","offering_id":"{public}","starts":"2026-03-01T17:00:00Z","minutes":60}`, n)))
			case "registration":
				s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-001-m"+n, "org-001"))
				var g bsk.Registration
				s.expect(201, "POST", "/api/v1/offerings/"+names["public"]+"/registrations", s.Admin, map[string]string{"provider_id": "org-001-m" + n}).json(t, &g)
				names["registration"] = string(g.ID)
			}
			var body any
			switch b := c.body.(type) {
			case nil:
			case func(string) any:
				body = json.RawMessage(expand(string(mustJSON(t, b(n))), n))
			case string:
				if d, ok := docs[b]; ok {
					body = d
				} else {
					body = expand(b, n) // CSV
				}
			default:
				body = json.RawMessage(expand(string(mustJSON(t, b)), n))
			}
			path := expand(c.path, n)
			method := strings.Fields(c.route)[0]
			r := s.do(method, path, keys[who], rawBody(body))
			if r.Status != c.want[i] {
				t.Errorf("%s %s as %s = %d; want %d\n%.300s", method, path, who, r.Status, c.want[i], r.Body)
			}
		}
	}
}

// matrixRelease is the release of the matrix's survey import.
var matrixRelease = app.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{survey.ByRace}}}

// matrixOffering is a public offering the matrix creates and deletes.
func matrixOffering(n string) bsk.Offering {
	return bsk.Offering{ID: bsk.OfferingID("m" + n), Kind: bsk.OfferingTraining, Title: "Matrix " + n, Strategy: bsk.StrategyIECMH,
		Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 60}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawBody turns JSON into the bytes server.do sends as JSON; CSV strings
// stay strings.
func rawBody(v any) any {
	if r, ok := v.(json.RawMessage); ok {
		return []byte(r)
	}
	return v
}
