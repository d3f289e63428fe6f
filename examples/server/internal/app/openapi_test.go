package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// contract is the served OpenAPI document, its model and a validator.
type contract struct {
	raw   map[string]any
	model *v3.Document
	v     validator.Validator
	// seen holds "METHOD /route" of every operation answered with a
	// success that validated.
	seen map[string]bool
}

// loadContract fetches the document from the real server and validates it
// against the OpenAPI 3.1 specification.
func loadContract(t *testing.T, s *server) *contract {
	t.Helper()
	r := s.expect(200, "GET", "/api/v1/openapi.json", "", nil)
	doc, err := libopenapi.NewDocument(r.Body)
	if err != nil {
		t.Fatalf("parsing the document: %v", err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("building the document's model: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("the document breaks the OpenAPI specification: %s", describe(e))
		}
		t.FailNow()
	}
	c := &contract{model: &model.Model, v: v, seen: map[string]bool{}}
	r.json(t, &c.raw)
	return c
}

func describe(e interface{ Error() string }) string { return e.Error() }

// operations returns "METHOD /route" (the router's form, :param) of every
// operation in the document.
func (c *contract) operations() []string {
	var out []string
	for p, item := range c.raw["paths"].(map[string]any) {
		for m := range item.(map[string]any) {
			if m == "parameters" {
				continue
			}
			route := strings.NewReplacer("{", ":", "}", "").Replace(p)
			out = append(out, strings.ToUpper(m)+" "+route)
		}
	}
	slices.Sort(out)
	return out
}

// call is one real request of the contract test.
type call struct {
	method, path string
	key          string // "" sends none
	body         any    // JSON, or a string sent as text/csv
	header       http.Header
	want         int
}

// check sends the call to the real server, and validates the request and
// the answer against the document: status, Content-Type and body.
func (c *contract) check(t *testing.T, s *server, cl call) []byte {
	t.Helper()
	var body []byte
	ctype := ""
	switch b := cl.body.(type) {
	case nil:
	case string:
		body, ctype = []byte(b), "text/csv"
	default:
		body, ctype = mustJSON(t, b), "application/json"
	}
	newReq := func() *http.Request {
		req, err := http.NewRequest(cl.method, s.URL+cl.path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body == nil {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if cl.key != "" {
			req.Header.Set("Authorization", "Bearer "+cl.key)
		}
		for k, v := range cl.header {
			req.Header[k] = v
		}
		return req
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(newReq())
	if err != nil {
		t.Fatalf("%s %s: %v", cl.method, cl.path, err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != cl.want {
		t.Fatalf("%s %s = %d; want %d\n%.500s", cl.method, cl.path, resp.StatusCode, cl.want, got)
	}
	route := routeOf(t, s, cl.method, cl.path)

	// The status and the Content-Type are the document's for the route.
	op := c.operation(cl.method, route)
	if op == nil {
		t.Fatalf("%s %s: the document has no operation %s %s", cl.method, cl.path, cl.method, route)
	}
	r := op.Responses.Codes.GetOrZero(strconv.Itoa(resp.StatusCode))
	if r == nil {
		t.Fatalf("%s %s = %d, a status the document does not list", cl.method, cl.path, resp.StatusCode)
	}
	if r.Content == nil || r.Content.Len() == 0 {
		if len(got) != 0 {
			t.Errorf("%s %s = %d with a body, for which the document has none: %.200s", cl.method, cl.path, resp.StatusCode, got)
		}
	} else {
		media, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("%s %s: Content-Type %q: %v", cl.method, cl.path, resp.Header.Get("Content-Type"), err)
		}
		if _, ok := r.Content.Get(media); !ok {
			t.Errorf("%s %s = %d as %s, a media type the document does not list", cl.method, cl.path, resp.StatusCode, media)
		}
	}

	// The request and the body, against their schemas; the requests of
	// error answers are wrong on purpose, so only their answer is checked.
	vresp := &http.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(got)), Request: newReq()}
	validate := c.v.ValidateHttpRequestResponse
	if resp.StatusCode >= 400 {
		validate = c.v.ValidateHttpResponse
	}
	if ok, errs := validate(newReq(), vresp); !ok {
		for _, e := range errs {
			t.Errorf("%s %s = %d does not match the document: %s\nbody: %.400s", cl.method, cl.path, resp.StatusCode, e.Error(), got)
		}
	}
	if resp.StatusCode < 300 {
		c.seen[cl.method+" "+route] = true
	}
	return got
}

// operation returns the document's operation for a router route.
func (c *contract) operation(method, route string) *v3.Operation {
	p := paramPattern.Replace(route)
	item := c.model.Paths.PathItems.GetOrZero(p)
	if item == nil {
		return nil
	}
	return item.GetOperations().GetOrZero(strings.ToLower(method))
}

var paramPattern = strings.NewReplacer(":id", "{id}", ":cycle", "{cycle}", ":app", "{app}", ":run", "{run}", ":item", "{item}", ":name", "{name}", ":reg", "{reg}")

// routeOf asks the router which route serves a request.
func routeOf(t *testing.T, s *server, method, path string) string {
	t.Helper()
	e := s.App.Handler().(*echo.Echo)
	p, _, _ := strings.Cut(path, "?")
	ctx := e.NewContext(nil, nil)
	e.Router().Find(method, p, ctx)
	if ctx.Path() == "" {
		t.Fatalf("no route serves %s %s", method, path)
	}
	return ctx.Path()
}

// TestOpenAPIRoutes checks that every route the router has is an
// operation of the document and every operation a route, so that a new
// route cannot be left out of the contract.
func TestOpenAPIRoutes(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	c := loadContract(t, s)
	var routes []string
	for _, r := range s.App.Handler().(*echo.Echo).Routes() {
		// The web app's pages (/ and /web/...) are not the API.
		if r.Method != echo.RouteNotFound && r.Path != "/" && !strings.HasPrefix(r.Path, "/web/") {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	slices.Sort(routes)
	routes = slices.Compact(routes)
	ops := c.operations()
	for _, r := range routes {
		if !slices.Contains(ops, r) {
			t.Errorf("route %s has no operation in the OpenAPI document (openapi.go: operations)", r)
		}
	}
	for _, o := range ops {
		if !slices.Contains(routes, o) {
			t.Errorf("the OpenAPI document has %s, which the router does not", o)
		}
	}
	if len(ops) < 50 {
		t.Errorf("the document has %d operations; the server has %d routes", len(ops), len(routes))
	}
}

// TestOpenAPISchemas checks that every JSON body in the document has a
// real schema: a reference to a component, or an array or object whose
// members are described; the document itself is the one free-form answer.
func TestOpenAPISchemas(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	c := loadContract(t, s)
	comps := c.raw["components"].(map[string]any)["schemas"].(map[string]any)
	described := func(sc map[string]any) bool {
		if ref, ok := sc["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			def, ok := comps[name].(map[string]any)
			return ok && (def["properties"] != nil || def["enum"] != nil || def["items"] != nil || def["$ref"] != nil)
		}
		return sc["items"] != nil || sc["properties"] != nil
	}
	n := 0
	for p, item := range c.raw["paths"].(map[string]any) {
		for m, o := range item.(map[string]any) {
			op := o.(map[string]any)
			where := strings.ToUpper(m) + " " + p
			var bodies []map[string]any
			if rb, ok := op["requestBody"].(map[string]any); ok {
				bodies = append(bodies, rb)
			}
			for _, r := range op["responses"].(map[string]any) {
				bodies = append(bodies, r.(map[string]any))
			}
			for _, b := range bodies {
				content, _ := b["content"].(map[string]any)
				js, ok := content["application/json"].(map[string]any)
				if !ok {
					continue
				}
				n++
				if sc, _ := js["schema"].(map[string]any); !described(sc) && where != "GET /api/v1/openapi.json" {
					t.Errorf("%s has a JSON body without a real schema: %v", where, js["schema"])
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("the document has %d JSON bodies; want every request and answer", n)
	}
}

// TestOpenAPIResponses calls every route of the real server, as a role
// that may, and validates each request and answer against the document.
// It fails for an operation that no call answered with a success.
func TestOpenAPIResponses(t *testing.T) {
	catalog := catalogFile(t, plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Enabled: true})
	s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), PluginCatalog: catalog})
	c := loadContract(t, s)
	check := func(cl call) []byte { t.Helper(); return c.check(t, s, cl) }
	decode := func(b []byte, v any) {
		t.Helper()
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("decoding %.200s: %v", b, err)
		}
	}
	admin := s.Admin
	coord := s.key("coordinator", "", "")
	agency := s.key("agency", "org-001", "")
	other := s.key("agency", "org-002", "")
	evaluator := s.key("evaluator", "", "")
	const v1 = "/api/v1"

	// The server's own routes, without a key.
	check(call{method: "GET", path: "/healthz", want: 200})
	check(call{method: "GET", path: "/readyz", want: 200})
	check(call{method: "GET", path: "/metrics", want: 200})
	check(call{method: "GET", path: v1 + "/openapi.json", want: 200})
	check(call{method: "GET", path: v1 + "/docs", want: 200})
	check(call{method: "GET", path: v1 + "/docs/redoc.standalone.js", want: 200})

	// Keys and the audit log.
	var spare app.KeyResponse
	decode(check(call{method: "POST", path: v1 + "/keys", key: admin, body: app.KeyRequest{Name: "spare", Role: app.RoleEvaluator, TTL: "720h"}, want: 201}), &spare)
	check(call{method: "GET", path: v1 + "/keys?limit=2", key: admin, want: 200})
	check(call{method: "DELETE", path: v1 + "/keys/" + spare.ID, key: admin, want: 200})
	check(call{method: "GET", path: v1 + "/audit?order=desc&limit=5", key: admin, want: 200})
	check(call{method: "GET", path: v1 + "/audit/head", key: admin, want: 200})
	newWebBrowser(t, s).signIn(coord)
	var signedIn app.WebSessionList
	decode(check(call{method: "GET", path: v1 + "/web-sessions", key: admin, want: 200}), &signedIn)
	check(call{method: "DELETE", path: v1 + "/web-sessions/" + signedIn.Sessions[0].ID, key: admin, want: 200})
	check(call{method: "DELETE", path: v1 + "/web-sessions?subject=nobody", key: admin, want: 200})

	// Records.
	staff := staffOf(t, s, "org-001")
	check(call{method: "GET", path: v1 + "/organizations", key: coord, want: 200})
	check(call{method: "GET", path: v1 + "/organizations/org-001", key: agency, want: 200})
	check(call{method: "POST", path: v1 + "/organizations", key: admin, body: org("org-oa"), want: 201})
	check(call{method: "PUT", path: v1 + "/organizations/org-oa", key: admin, body: org("org-oa"), want: 200})
	check(call{method: "DELETE", path: v1 + "/organizations/org-oa", key: admin, want: 204})
	check(call{method: "GET", path: v1 + "/providers?organization_id=org-001&limit=5", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/providers/" + string(staff[0].ID), key: admin, want: 200})
	check(call{method: "POST", path: v1 + "/providers", key: agency, body: provider("org-001-oa", "org-001"), want: 201})
	check(call{method: "PUT", path: v1 + "/providers/org-001-oa", key: agency, body: provider("org-001-oa", "org-001"), want: 200})
	check(call{method: "DELETE", path: v1 + "/providers/org-001-oa", key: agency, want: 204})
	check(call{method: "POST", path: v1 + "/providers/import", key: agency, body: "id,organization_id,name,role,languages\norg-001-oi,org-001,Ana,direct_service,en\n", want: 201})
	var offs app.Page[bsk.Offering]
	decode(check(call{method: "GET", path: v1 + "/offerings?limit=500", key: coord, want: 200}), &offs)
	public := ""
	for _, o := range offs.Items {
		if o.OrganizationID == "" && public == "" {
			public = string(o.ID)
		}
	}
	check(call{method: "GET", path: v1 + "/offerings/" + public, key: agency, want: 200})
	check(call{method: "POST", path: v1 + "/offerings", key: coord, body: matrixOffering("oa"), want: 201})
	check(call{method: "PUT", path: v1 + "/offerings/moa", key: coord, body: matrixOffering("oa"), want: 200})
	sess := bsk.Session{ID: "oa-s", OfferingID: "moa", Starts: time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC), Minutes: 60}
	check(call{method: "POST", path: v1 + "/sessions", key: coord, body: sess, want: 201})
	check(call{method: "PUT", path: v1 + "/sessions/oa-s", key: coord, body: sess, want: 200})
	check(call{method: "GET", path: v1 + "/sessions?parent=moa", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/sessions/oa-s", key: agency, want: 200})
	check(call{method: "POST", path: v1 + "/attendance", key: agency, body: bsk.Attendance{SessionID: "oa-s", ProviderID: "org-001-oi", Hours: 1, Credit: bsk.CreditTraining}, want: 201})
	check(call{method: "GET", path: v1 + "/attendance?parent=oa-s", key: agency, want: 200})
	// Trainings: a registration, the roster, a transcript, a cancellation, reach.
	var reg bsk.Registration
	decode(check(call{method: "POST", path: v1 + "/offerings/moa/registrations", key: agency, body: app.RegistrationRequest{ProviderID: "org-001-oi", Interpretation: bsk.Spanish}, want: 201}), &reg)
	check(call{method: "GET", path: v1 + "/offerings/moa/registrations", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/providers/org-001-oi/transcript", key: agency, want: 200})
	check(call{method: "PUT", path: v1 + "/offerings/moa/audience", key: coord, body: app.OfferingAudience{Periods: []training.AudiencePeriod{{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}}, want: 200})
	check(call{method: "GET", path: v1 + "/offerings/moa/audience", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/providers/org-001-oi/progress?as_of=2026-06-30", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/organizations/org-001/progress", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/offerings/moa/interpretation", key: coord, want: 200})
	check(call{method: "DELETE", path: v1 + "/offerings/moa/registrations/" + string(reg.ID), key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/trainings/reach", key: coord, want: 200})
	check(call{method: "POST", path: v1 + "/sessions", key: coord, body: bsk.Session{ID: "oa-z", OfferingID: bsk.OfferingID(public), Starts: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC), Minutes: 60}, want: 201})
	check(call{method: "POST", path: v1 + "/sessions/oa-z/attendance/zoom", key: coord, body: "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\nNobody Known,,2026-03-02 17:00,2026-03-02 17:30,30\n", want: 201})
	// An attended session is kept (409, its body checked too) until its
	// attendance goes with the provider's deletion.
	check(call{method: "DELETE", path: v1 + "/sessions/oa-s", key: coord, want: 409})
	check(call{method: "DELETE", path: v1 + "/providers/org-001-oi", key: agency, want: 204})
	check(call{method: "DELETE", path: v1 + "/sessions/oa-s", key: coord, want: 204})
	check(call{method: "DELETE", path: v1 + "/offerings/moa", key: coord, want: 204})

	// Grouping runs: a finished one, its regrouping, and one cancelled.
	var run app.GroupingRun
	decode(check(call{method: "POST", path: v1 + "/grouping-runs", key: coord, body: app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.5}, want: 202}), &run)
	run = waitFinished(t, s, coord, run.ID)
	if run.Status != app.RunDone || len(run.Leaders) == 0 {
		t.Fatalf("run = %s, leaders %v", run.Status, run.Leaders)
	}
	check(call{method: "GET", path: v1 + "/grouping-runs", key: coord, want: 200})
	check(call{method: "GET", path: v1 + "/grouping-runs/" + run.ID, key: coord, want: 200})
	check(call{method: "GET", path: v1 + "/grouping-runs/" + run.ID + "/rosters", key: s.key("consultant", "", run.Leaders[0]), want: 200})
	var re app.GroupingRun
	decode(check(call{method: "POST", path: v1 + "/grouping-runs/" + run.ID + "/regroup", key: coord, body: app.RegroupRequest{TimeLimitSeconds: 0.2}, want: 202}), &re)
	waitFinished(t, s, coord, re.ID)
	var long app.GroupingRun
	decode(check(call{method: "POST", path: v1 + "/grouping-runs", key: admin, body: app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 10}, want: 202}), &long)
	cancel := call{method: "POST", path: v1 + "/grouping-runs/" + long.ID + "/cancel", key: admin, want: 202}
	if long.Status == app.RunQueued {
		cancel.want = 200
	}
	check(cancel)
	waitFinished(t, s, admin, long.ID)

	// Plug-ins.
	check(call{method: "GET", path: v1 + "/plugins", key: admin, want: 200})
	check(call{method: "GET", path: v1 + "/plugins/sixmonths/health", key: admin, want: 200})

	// A scholarship cycle from application to ledger, and a withdrawal
	// from a program that has not run.
	prog := esitProgram(50_000_00)
	prog.Reviewed = []scholarship.Weighted{{Name: "essay", Weight: 20, Max: 10}}
	check(call{method: "POST", path: v1 + "/programs", key: coord, body: prog, want: 201})
	check(call{method: "PUT", path: v1 + "/programs/esit", key: coord, body: prog, want: 200})
	check(call{method: "GET", path: v1 + "/programs", key: agency, want: 200})
	check(call{method: "GET", path: v1 + "/programs/esit", key: agency, want: 200})
	own := application(staff[1].ID, "Own", 24, 40)
	own.ID = "org-001-own"
	check(call{method: "POST", path: cyc + "/applications", key: agency, body: own, want: 201})
	theirs := application(staffOf(t, s, "org-002")[0].ID, "Other", 24, 40)
	theirs.ID = "org-002-other"
	check(call{method: "POST", path: cyc + "/applications", key: other, body: theirs, want: 201})
	check(call{method: "GET", path: cyc + "/applications", key: agency, want: 200})
	check(call{method: "POST", path: cyc + "/reviews", key: coord, body: []scholarship.Review{{ApplicationID: own.ID, Reviewer: "rev-1", Criterion: "essay", Points: 8}}, want: 201})
	var srun app.CycleRun
	decode(check(call{method: "POST", path: cyc + "/runs", key: coord, want: 201}), &srun)
	sr := cyc + "/runs/" + srun.ID
	check(call{method: "GET", path: sr, key: coord, want: 200})
	check(call{method: "GET", path: sr + "/decisions", key: agency, header: http.Header{"Accept-Language": {"es"}}, want: 200})
	check(call{method: "GET", path: sr + "/decisions/" + own.ID + "/verify", key: admin, want: 200})
	check(call{method: "POST", path: sr + "/ledger", key: coord, body: scholarship.Entry{ApplicationID: own.ID, Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 1_000_00, At: cycleStart}, want: 201})
	check(call{method: "GET", path: sr + "/ledger", key: coord, want: 200})
	check(call{method: "GET", path: sr + "/ledger/" + own.ID + "/owed?as_of=2027-10-01T00:00:00Z", key: coord, want: 200})
	check(call{method: "GET", path: sr + "/equity", key: coord, want: 200})
	check(call{method: "POST", path: sr + "/declines", key: coord, body: app.DeclineRequest{ApplicationIDs: []string{theirs.ID}}, want: 200})
	// Review, the pipeline and completion (scholarship_review_test.go has their behaviour).
	reviewer := staffOf(t, s, "org-003")[0].ID
	check(call{method: "POST", path: cyc + "/review-assignment", key: coord, body: app.ReviewSetup{Reviewers: []scholarship.Reviewer{{ID: reviewer, Capacity: 5}, {ID: staffOf(t, s, "org-004")[0].ID, Capacity: 5}}}, want: 201})
	check(call{method: "GET", path: cyc + "/review-assignment", key: coord, want: 200})
	rkey := s.key("consultant", "", string(reviewer))
	check(call{method: "GET", path: cyc + "/review-queue", key: rkey, want: 200})
	check(call{method: "POST", path: cyc + "/review-queue/reviews", key: rkey, body: []scholarship.Review{{ApplicationID: own.ID, Criterion: "essay", Points: 6}}, want: 201})
	check(call{method: "POST", path: cyc + "/reviews", key: coord, body: []scholarship.Review{{ApplicationID: theirs.ID, Reviewer: "rev-1", Criterion: "essay", Points: 7}}, want: 201})
	check(call{method: "GET", path: sr + "/pipeline", key: evaluator, want: 200})
	check(call{method: "POST", path: sr + "/completion/" + own.ID + "/progress", key: coord, body: scholarship.CourseProgress{CreditsEarned: 45, CreditsRequired: 45, At: cycleStart.AddDate(0, 9, 0)}, want: 201})
	check(call{method: "POST", path: sr + "/completion/" + own.ID + "/outcome", key: coord, body: app.CompletionOutcome{Outcome: scholarship.Completed, At: cycleStart.AddDate(0, 9, 0)}, want: 201})
	check(call{method: "GET", path: sr + "/completion/" + own.ID, key: coord, want: 200})
	open := esitProgram(50_000_00)
	open.Program.ID = "open"
	check(call{method: "POST", path: v1 + "/programs", key: admin, body: open, want: 201})
	w := application(staff[2].ID, "Withdrawn", 24, 40)
	w.ID = "org-001-w"
	check(call{method: "POST", path: v1 + "/programs/open/cycles/2026/applications", key: agency, body: w, want: 201})
	check(call{method: "POST", path: v1 + "/programs/open/cycles/2026/applications/org-001-w/withdraw", key: agency, want: 200})

	// Surveys: an instrument, an import released and reported, and a
	// REDCap dictionary whose checkboxes have frequencies.
	in := annual
	in.ID = "oa-annual"
	check(call{method: "POST", path: v1 + "/instruments", key: evaluator, body: in, want: 201})
	check(call{method: "GET", path: v1 + "/instruments", key: coord, want: 200})
	check(call{method: "GET", path: v1 + "/instruments/oa-annual", key: evaluator, want: 200})
	var imp app.SurveyImport
	decode(check(call{method: "POST", path: v1 + "/instruments/oa-annual/imports", key: evaluator, body: annualCSV(400, 5), want: 202}), &imp)
	imp = waitImport(t, s, evaluator, imp.ID)
	check(call{method: "GET", path: v1 + "/imports/" + imp.ID, key: evaluator, want: 200})
	check(call{method: "POST", path: v1 + "/imports/" + imp.ID + "/release", key: evaluator, body: matrixRelease, want: 201})
	check(call{method: "GET", path: v1 + "/imports/" + imp.ID + "/report?breakdown=race", key: coord, want: 200})
	if b := check(call{method: "GET", path: v1 + "/imports/" + imp.ID + "/report?format=csv", key: coord, want: 200}); !bytes.Contains(b, []byte(",")) {
		t.Errorf("the CSV report is %q", b)
	}
	check(call{method: "GET", path: v1 + "/imports/" + imp.ID + "/rankings/topics", key: evaluator, want: 200})
	check(call{method: "GET", path: v1 + "/imports/" + imp.ID + "/trend?from=" + imp.ID + "&breakdown=race", key: evaluator, want: 200})
	check(call{method: "GET", path: v1 + "/imports/" + imp.ID + "/paired?before=" + imp.ID + "&item=again", key: evaluator, want: 200})
	dict, err := os.ReadFile("../../../../survey/testdata/redcap/checkboxes-1/dictionary.csv")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../../../survey/testdata/redcap/checkboxes-1/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	check(call{method: "POST", path: v1 + "/instruments/from-redcap?id=checkboxes&cycle=2026", key: admin, body: string(dict), want: 201})
	decode(check(call{method: "POST", path: v1 + "/instruments/checkboxes/imports?format=redcap", key: admin, body: string(data), want: 202}), &imp)
	imp = waitImport(t, s, admin, imp.ID)
	check(call{method: "POST", path: v1 + "/imports/" + imp.ID + "/release", key: admin, body: app.ReleaseRequest{Standard: "unsuppressed"}, want: 201})
	check(call{method: "GET", path: v1 + "/imports/" + imp.ID + "/frequencies/check_two", key: admin, want: 200})

	programYearWalk(t, s, func(m, p, k string, b any, w int) []byte {
		return check(call{method: m, path: p, key: k, body: b, want: w})
	})
	cohortWalk(t, s, func(m, p, k string, b any, w int) []byte {
		return check(call{method: m, path: p, key: k, body: b, want: w})
	})
	fundsWalk(t, s, func(m, p, k string, b any, w int) []byte {
		return check(call{method: m, path: p, key: k, body: b, want: w})
	})

	// Error answers are the document's too.
	check(call{method: "GET", path: v1 + "/keys", want: 401})
	check(call{method: "GET", path: v1 + "/keys", key: coord, want: 403})
	check(call{method: "GET", path: v1 + "/programs/none", key: admin, want: 404})
	check(call{method: "POST", path: v1 + "/organizations", key: admin, body: bsk.Organization{}, want: 400})
	check(call{method: "POST", path: v1 + "/grouping-runs/" + run.ID + "/cancel", key: admin, want: 409})

	// Every operation answered a success that validated.
	for _, op := range c.operations() {
		if !c.seen[op] {
			t.Errorf("no call of %s validated a success: add one to TestOpenAPIResponses", op)
		}
	}
}

// TestDocsPage checks that the docs page and its script are served from
// the binary with a content-security policy that lets Redoc run, and that
// every other route keeps the server's default-src 'none'.
func TestDocsPage(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	get := func(path, key string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, page := get("/api/v1/docs", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api/v1/docs = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'self' 'unsafe-inline'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the docs page's CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") || strings.Contains(csp, "*") {
		t.Errorf("the docs page's CSP %q allows inline scripts or any host", csp)
	}
	for _, want := range []string{`spec-url="/api/v1/openapi.json"`, `src="/api/v1/docs/redoc.standalone.js"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the docs page lacks %s", want)
		}
	}
	if bytes.Contains(page, []byte("<script>")) {
		t.Error("the docs page has an inline script, which its CSP forbids")
	}
	resp, js := get("/api/v1/docs/redoc.standalone.js", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/javascript") || len(js) < 500_000 ||
		resp.Header.Get("Content-Security-Policy") != csp {
		t.Errorf("the docs script = %d %s, %d bytes, CSP %q", resp.StatusCode, resp.Header.Get("Content-Type"), len(js), resp.Header.Get("Content-Security-Policy"))
	}
	for _, path := range []string{"/healthz", "/api/v1/openapi.json", "/api/v1/keys", "/api/v1/docs/nothing", "/api/v1/none"} {
		for _, key := range []string{"", s.Admin} {
			resp, _ := get(path, key)
			if got := resp.Header.Get("Content-Security-Policy"); got != "default-src 'none'; frame-ancestors 'none'" {
				t.Errorf("GET %s (key %t) = %d with CSP %q; want the server's default", path, key != "", resp.StatusCode, got)
			}
		}
	}
}

// TestOpenAPIRoles checks the roles the document gives each operation
// against the access matrix: a role it lists is never refused (403), and a
// role it leaves out never succeeds.
func TestOpenAPIRoles(t *testing.T) {
	b, err := app.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Roles    []string `json:"x-roles"`
			Security []any    `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	roleOf := map[string]string{"admin": "admin", "coordinator": "coordinator", "agency": "agency", "other": "agency",
		"consultant": "consultant", "evaluator": "evaluator", "none": ""}
	for _, c := range matrixCases() {
		method, route, _ := strings.Cut(c.route, " ")
		op, ok := doc.Paths[paramPattern.Replace(route)][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s: no operation in the document", c.route)
			continue
		}
		public := op.Security != nil && len(op.Security) == 0
		for i, who := range matrixCallers {
			role, status := roleOf[who], c.want[i]
			listed := public || slices.Contains(op.Roles, role)
			switch {
			case role == "" && !public && status != 401:
				t.Errorf("%s answers %d without a key, but the document asks for one", c.route, status)
			case role != "" && listed && status == 403:
				t.Errorf("%s refuses %s (403), a role the document lists (%v)", c.route, who, op.Roles)
			case role != "" && !listed && status < 300:
				t.Errorf("%s answers %s %d, a role the document leaves out (%v)", c.route, who, status, op.Roles)
			}
		}
	}
}
