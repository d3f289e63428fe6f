package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// runOf reads a grouping run.
func runOf(t *testing.T, s *server, key, id string) app.GroupingRun {
	t.Helper()
	var run app.GroupingRun
	s.expect(200, "GET", "/api/v1/grouping-runs/"+id, key, nil).json(t, &run)
	return run
}

// waitFinished polls a run until it is neither queued nor running.
func waitFinished(t *testing.T, s *server, key, id string) app.GroupingRun {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		run := runOf(t, s, key, id)
		if run.Status != "running" && run.Status != "queued" {
			return run
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("run %s unfinished after 60 s", id)
	return app.GroupingRun{}
}

// keyWithID creates an API key and returns its ID and secret.
func keyWithID(s *server, role, org, provider string) (id, secret string) {
	s.t.Helper()
	var k app.KeyResponse
	s.expect(201, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": role + " key", "role": role, "organization_id": org, "provider_id": provider}).json(s.t, &k)
	return k.ID, k.Key
}

// audited returns the audit entries of a key, action and entity.
func audited(t *testing.T, s *server, keyID, action, entity string) []store.AuditEntry {
	t.Helper()
	var page struct {
		Items []store.AuditEntry `json:"items"`
	}
	s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", s.Admin, nil).json(t, &page)
	var out []store.AuditEntry
	for _, e := range page.Items {
		if e.KeyID == keyID && e.Action == action && e.Entity == entity {
			out = append(out, e)
		}
	}
	return out
}

// sameNotFound fails unless two error responses read alike once their own
// IDs are replaced: the same status (404), code, message pattern, problem
// fields and body shape.
func sameNotFound(t *testing.T, what string, got, missing response, gotID, missingID string) {
	t.Helper()
	if got.Status != 404 || missing.Status != 404 {
		t.Fatalf("%s: status %d (another's) and %d (missing); want 404 both\n%s\n%s", what, got.Status, missing.Status, got.Body, missing.Body)
	}
	norm := func(r response, id string) string {
		var body app.ErrorBody
		r.json(t, &body)
		body.Error.RequestID = ""
		b, _ := json.Marshal(body)
		return strings.ReplaceAll(string(b), id, "<ID>")
	}
	if a, b := norm(got, gotID), norm(missing, missingID); a != b {
		t.Errorf("%s: another's record and a missing one read differently:\n%s\n%s", what, a, b)
	}
}

// TestDialogueRunsOnlyForDemographicRoles: an intergroup dialogue run is
// formed from race and gender; a coordinator may not read, list, cancel,
// re-group or see rosters of it, and every refusal reads like a missing
// run. The administrator's reads are audited.
func TestDialogueRunsOnlyForDemographicRoles(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coordID, coord := keyWithID(s, "coordinator", "", "")
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", s.Admin, app.GroupingRunRequest{Preset: grouping.IntergroupDialoguePreset, TimeLimitSeconds: 0.5}).json(t, &run)
	run = waitFinished(t, s, s.Admin, run.ID)
	if run.Status != app.RunDone {
		t.Fatalf("dialogue run ended %s: %+v", run.Status, run.Error)
	}
	const missing = "run-doesnotexist"
	for _, c := range []struct{ method, suffix string }{
		{"GET", ""}, {"POST", "/cancel"}, {"POST", "/regroup"}, {"GET", "/rosters"},
	} {
		var body any
		if c.method == "POST" {
			body = map[string]any{}
		}
		got := s.do(c.method, "/api/v1/grouping-runs/"+run.ID+c.suffix, coord, body)
		miss := s.do(c.method, "/api/v1/grouping-runs/"+missing+c.suffix, coord, body)
		sameNotFound(t, c.method+" "+c.suffix, got, miss, run.ID, missing)
	}
	var page app.Page[app.GroupingRun]
	s.expect(200, "GET", "/api/v1/grouping-runs", coord, nil).json(t, &page)
	for _, r := range page.Items {
		if r.ID == run.ID {
			t.Errorf("a coordinator's list shows the dialogue run %s", run.ID)
		}
	}
	// Nor may a coordinator form groups from demographics another way.
	s.expect(403, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset,
		Criteria: []grouping.Criterion{{Kind: grouping.Isolation, Attr: grouping.AttrRace, Weight: 1}}})
	if n := len(audited(t, s, coordID, "read", "grouping_run")); n != 0 {
		t.Errorf("refused reads left %d audit entries", n)
	}

	// The administrator reads it, and each read is recorded.
	countReads := func() int {
		var all struct {
			Items []store.AuditEntry `json:"items"`
		}
		s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", s.Admin, nil).json(t, &all)
		n := 0
		for _, e := range all.Items {
			if e.Action == "read" && e.Entity == "grouping_run" && strings.Contains(e.EntityID, run.ID) {
				n++
			}
		}
		return n
	}
	before := countReads()
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID, s.Admin, nil)
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", s.Admin, nil)
	s.expect(200, "GET", "/api/v1/grouping-runs", s.Admin, nil)
	if got := countReads() - before; got != 3 {
		t.Errorf("the administrator's three reads of the dialogue run (get, rosters, list) left %d audit entries; want 3", got)
	}
}

// TestRosterReadsAudited: reading a reflective consultation run's rosters
// (names of people in groups) leaves one audit entry per request.
func TestRosterReadsAudited(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coordID, coord := keyWithID(s, "coordinator", "", "")
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.5}).json(t, &run)
	if run = waitFinished(t, s, coord, run.ID); run.Status != app.RunDone {
		t.Fatalf("run ended %s", run.Status)
	}
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", coord, nil)
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", coord, nil)
	if got := audited(t, s, coordID, "read", "grouping_run"); len(got) != 2 || got[0].EntityID != run.ID {
		t.Errorf("two roster reads left audit entries %+v; want two naming %s", got, run.ID)
	}
}

// TestNotYoursReadsLikeNotThere: every answer about another agency's
// record is the answer about a record that does not exist.
func TestNotYoursReadsLikeNotThere(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	keyA := s.key("agency", "org-a", "")
	// A private offering of B's, with a session.
	off := bsk.Offering{ID: "b-rc", Kind: bsk.OfferingReflectiveConsultation, Title: "B's group", Strategy: bsk.StrategyIECMH,
		Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90, OrganizationID: "org-b"}
	s.expect(201, "POST", "/api/v1/offerings", s.Admin, off)
	s.expect(201, "POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "b-rc-s1", OfferingID: "b-rc", Starts: time.Date(2026, 2, 1, 17, 0, 0, 0, time.UTC), Minutes: 90})

	// Attendance for A's own staff into B's private session.
	att := func(session string) bsk.Attendance {
		return bsk.Attendance{SessionID: bsk.SessionID(session), ProviderID: "org-a-p1", Hours: 1.5, Credit: bsk.CreditReflective}
	}
	sameNotFound(t, "attendance in another agency's session",
		s.do("POST", "/api/v1/attendance", keyA, att("b-rc-s1")), s.do("POST", "/api/v1/attendance", keyA, att("nope-s1")), "b-rc-s1", "nope-s1")
	var atts app.Page[bsk.Attendance]
	s.expect(200, "GET", "/api/v1/attendance?parent=b-rc-s1", s.Admin, nil).json(t, &atts)
	if len(atts.Items) != 0 {
		t.Errorf("A wrote attendance into B's session: %+v", atts.Items)
	}

	// Another agency's organization, created or changed.
	sameNotFound(t, "create another agency's organization",
		s.do("POST", "/api/v1/organizations", keyA, org("org-b")), s.do("POST", "/api/v1/organizations", keyA, org("org-zz")), "org-b", "org-zz")
	sameNotFound(t, "change another agency's organization",
		s.do("PUT", "/api/v1/organizations/org-b", keyA, org("org-b")), s.do("PUT", "/api/v1/organizations/org-zz", keyA, org("org-zz")), "org-b", "org-zz")

	// A provider ID under A's prefix that an administrator filed under B:
	// creating it reads like changing a provider that is not there.
	s.expect(201, "POST", "/api/v1/providers", s.Admin, provider("org-a-x9", "org-b"))
	sameNotFound(t, "create with another agency's provider ID",
		s.do("POST", "/api/v1/providers", keyA, provider("org-a-x9", "org-a")), s.do("PUT", "/api/v1/providers/org-a-x8", keyA, provider("org-a-x8", "org-a")), "org-a-x9", "org-a-x8")
	csvRow := func(id string) string {
		return "id,organization_id,name,role,languages\n" + id + ",org-a,Ana,direct_service,en\n"
	}
	// In an import the row says it, as for every row problem.
	var imp app.ErrorBody
	s.expect(404, "POST", "/api/v1/providers/import", keyA, csvRow("org-a-x9")).json(t, &imp)
	if p := imp.Error.Problems; imp.Error.Code != bsk.CodeNotFound || len(p) != 1 || p[0].Field != "rows[2].id" || p[0].Message != `no provider "org-a-x9"` {
		t.Errorf("import with another agency's provider ID: %+v", imp.Error)
	}
	sameNotFound(t, "change another agency's provider",
		s.do("PUT", "/api/v1/providers/org-b-p1", keyA, provider("org-b-p1", "org-a")), s.do("PUT", "/api/v1/providers/org-a-x8", keyA, provider("org-a-x8", "org-a")), "org-b-p1", "org-a-x8")
	sameNotFound(t, "delete another agency's provider",
		s.do("DELETE", "/api/v1/providers/org-b-p1", keyA, nil), s.do("DELETE", "/api/v1/providers/org-a-x8", keyA, nil), "org-b-p1", "org-a-x8")
	sameNotFound(t, "read another agency's provider",
		s.do("GET", "/api/v1/providers/org-b-p1", keyA, nil), s.do("GET", "/api/v1/providers/org-a-x8", keyA, nil), "org-b-p1", "org-a-x8")
}

// TestInputHygiene: names with hidden characters, IDs that name paths and
// duplicate JSON keys are refused, in JSON bodies and in the CSV import.
func TestInputHygiene(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	for _, name := range []string{"Ana\u202eztíl", "Ana\x00", "An\u200ba", "Ana\u2066x\u2069", "\ufeffAna"} {
		p := provider("org-a-h1", "org-a")
		p.Name = name
		if f := s.expect(400, "POST", "/api/v1/providers", s.Admin, p).problems(t); len(f) != 1 || f[0] != "/name" && f[0] != "name" {
			t.Errorf("name %q: problems %q; want the name", name, f)
		}
	}
	for _, id := range []string{"org-a/../x", "..", ".x", "a b", "org-a-\u202e1"} {
		s.expect(400, "POST", "/api/v1/providers", s.Admin, provider(id, "org-a"))
	}
	// Duplicate keys: the last would win silently.
	dup := []byte(`{"id":"org-a-d1","organization_id":"org-a","organization_id":"org-b","name":"D","role":"direct_service","languages":["en"],"demographics":{}}`)
	r := s.expect(400, "POST", "/api/v1/providers", s.Admin, dup)
	if f := r.problems(t); len(f) != 1 || f[0] != "/organization_id" {
		t.Errorf("duplicate key: problems %q; want [/organization_id]", f)
	}
	nested := []byte(`{"preset":"reflective_consultation","options":{"groups":3,"groups":4}}`)
	if f := s.expect(400, "POST", "/api/v1/grouping-runs", s.Admin, nested).problems(t); len(f) != 1 || f[0] != "/options/groups" {
		t.Errorf("nested duplicate key: problems %q; want [/options/groups]", f)
	}
	csv := "id,organization_id,name,role,languages\norg-a-c1,org-a,Ana\x00,direct_service,en\norg-a/c2,org-a,Bo,direct_service,en\n"
	if f := s.expect(400, "POST", "/api/v1/providers/import", s.Admin, csv).problems(t); len(f) != 2 {
		t.Errorf("CSV with a NUL name and a slashed ID: problems %q; want two", f)
	}
}

// TestNoStore: responses that carry personal data, and errors, are never
// cached.
func TestNoStore(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	for _, c := range []struct{ path, key string }{
		{"/api/v1/providers/org-a-p1", s.Admin},
		{"/api/v1/providers/nobody", s.Admin},
		{"/api/v1/providers", ""},
		{"/api/v1/no-such-route", s.Admin},
	} {
		req, _ := http.NewRequest("GET", s.URL+c.path, nil)
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s (%d): Cache-Control %q; want no-store", c.path, resp.StatusCode, got)
		}
	}
}

// TestProviderReadsAudited: a role that sees demographics leaves one audit
// entry per provider it reads (a get, and each provider of a list); a
// coordinator, who sees none, leaves none.
func TestProviderReadsAudited(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	agencyID, keyA := keyWithID(s, "agency", "org-a", "")
	coordID, coord := keyWithID(s, "coordinator", "", "")
	s.expect(200, "GET", "/api/v1/providers/org-a-p1", keyA, nil)
	s.expect(200, "GET", "/api/v1/providers", keyA, nil)
	s.expect(200, "GET", "/api/v1/providers/org-a-p1", coord, nil)
	var list app.Page[bsk.Provider]
	s.expect(200, "GET", "/api/v1/providers", keyA, nil).json(t, &list)
	want := []string{"org-a-p1"}
	for range 2 { // the list read above and this one
		for _, p := range list.Items {
			want = append(want, string(p.ID))
		}
	}
	var ids []string
	for _, e := range audited(t, s, agencyID, "read", "provider") {
		ids = append(ids, e.EntityID)
	}
	slices.Sort(want)
	slices.Sort(ids)
	if len(list.Items) == 0 || !slices.Equal(ids, want) {
		t.Errorf("an agency's get and two lists left read entries for %v; want one per provider read: %v", ids, want)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, "org-a-") {
			t.Errorf("entry for %q: the agency read only org-a's providers", id)
		}
	}
	if n := len(audited(t, s, coordID, "read", "provider")); n != 0 {
		t.Errorf("a coordinator's read (no demographics) left %d entries", n)
	}
}

// TestDeleteSupervisor: deleting a provider others report to is refused
// with a conflict naming them; their records stay consistent.
func TestDeleteSupervisor(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	keyA := s.key("agency", "org-a", "")
	p2 := provider("org-a-p2", "org-a")
	p2.ReportsTo = "org-a-p1"
	s.expect(200, "PUT", "/api/v1/providers/org-a-p2", keyA, p2)
	r := s.expect(409, "DELETE", "/api/v1/providers/org-a-p1", keyA, nil)
	var body app.ErrorBody
	r.json(t, &body)
	if len(body.Error.Problems) != 1 || !strings.Contains(body.Error.Problems[0].Message, "org-a-p2") {
		t.Errorf("refusal %s should name org-a-p2", r.Body)
	}
	s.expect(200, "PUT", "/api/v1/providers/org-a-p2", keyA, p2) // unchanged, still valid
	p2.ReportsTo = ""
	s.expect(200, "PUT", "/api/v1/providers/org-a-p2", keyA, p2)
	s.expect(204, "DELETE", "/api/v1/providers/org-a-p1", keyA, nil)
}
