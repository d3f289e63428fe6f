package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/examples/server/internal/app"
)

func org(id string) bsk.Organization {
	return bsk.Organization{ID: bsk.OrganizationID(id), Name: "Agency " + id, Kind: bsk.OrgCommunityBased, Place: "kent", ServesYoungChildren: true}
}

func provider(id, orgID string) bsk.Provider {
	return bsk.Provider{
		ID: bsk.ProviderID(id), OrganizationID: bsk.OrganizationID(orgID), Name: "Person " + id,
		Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English, bsk.Somali},
		Demographics:    bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceNativeHawaiianPacificIslander}, Place: "vashon", Gender: bsk.GenderNonbinary},
		YearsExperience: 2,
	}
}

// fixture makes two agencies with two providers each.
func fixture(s *server) {
	s.t.Helper()
	for _, o := range []string{"org-a", "org-b"} {
		s.expect(201, "POST", "/api/v1/organizations", s.Admin, org(o))
		for i := 1; i <= 2; i++ {
			s.expect(201, "POST", "/api/v1/providers", s.Admin, provider(fmt.Sprintf("%s-p%d", o, i), o))
		}
	}
}

func TestFirstStart(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	info, err := os.Stat(s.App.AdminKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("admin key mode = %v; want 0600", info.Mode().Perm())
	}
	if info, err := os.Stat(filepath.Join(s.Dir, "workforce.db")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("database file: %v %v; want mode 0600", err, info)
	}
	var page app.Page[bsk.Provider]
	s.expect(200, "GET", "/api/v1/providers?limit=500", s.Admin, nil).json(t, &page)
	if len(page.Items) != 500 || page.NextCursor == "" {
		t.Errorf("demo providers page = %d items, cursor %q; want a full page of 500 with a cursor", len(page.Items), page.NextCursor)
	}
	// Walk every page: every provider of the demo workforce, each once.
	seen := map[bsk.ProviderID]bool{}
	cursor := ""
	for {
		var p app.Page[bsk.Provider]
		s.expect(200, "GET", "/api/v1/providers?limit=500&cursor="+cursor, s.Admin, nil).json(t, &p)
		for _, v := range p.Items {
			if seen[v.ID] {
				t.Fatalf("provider %s listed twice", v.ID)
			}
			seen[v.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if want := len(bsktest.Workforce(1, bsktest.Options{}).Providers); len(seen) != want {
		t.Errorf("walked %d providers; want the demo workforce's %d", len(seen), want)
	}
	s.expect(200, "GET", "/healthz", "", nil)
	s.expect(200, "GET", "/readyz", "", nil)
}

func TestCRUDAndAudit(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			p := provider("org-a-p9", "org-a")
			s.expect(409, "POST", "/api/v1/providers", s.Admin, provider("org-a-p1", "org-a"))
			s.expect(201, "POST", "/api/v1/providers", s.Admin, p)
			var got bsk.Provider
			s.expect(200, "GET", "/api/v1/providers/org-a-p9", s.Admin, nil).json(t, &got)
			if got.Name != p.Name || !slices.Equal(got.Languages, p.Languages) || got.Demographics.Place != "vashon" {
				t.Errorf("read back %+v; want %+v", got, p)
			}
			p.Name = "Renamed"
			p.ReportsTo = "org-a-p1"
			s.expect(200, "PUT", "/api/v1/providers/org-a-p9", s.Admin, p)
			s.expect(200, "GET", "/api/v1/providers/org-a-p9", s.Admin, nil).json(t, &got)
			if got.Name != "Renamed" || got.ReportsTo != "org-a-p1" {
				t.Errorf("update not stored: %+v", got)
			}
			bad := p
			bad.ReportsTo = "org-b-p1"
			if f := s.expect(404, "PUT", "/api/v1/providers/org-a-p9", s.Admin, bad).problems(t); !slices.Equal(f, []string{"/reports_to"}) {
				t.Errorf("supervisor in another organization: problems %v", f)
			}
			s.expect(400, "PUT", "/api/v1/providers/org-a-p1", s.Admin, p) // ID mismatch
			s.expect(204, "DELETE", "/api/v1/providers/org-a-p9", s.Admin, nil)
			s.expect(404, "GET", "/api/v1/providers/org-a-p9", s.Admin, nil)
			s.expect(404, "DELETE", "/api/v1/providers/org-a-p9", s.Admin, nil)

			var list app.Page[bsk.Provider]
			s.expect(200, "GET", "/api/v1/providers?organization_id=org-b", s.Admin, nil).json(t, &list)
			if len(list.Items) != 2 || list.Items[0].ID != "org-b-p1" {
				t.Errorf("filtered list = %+v", list.Items)
			}
			var audit struct {
				Items []struct {
					Action   string `json:"action"`
					EntityID string `json:"entity_id"`
				} `json:"items"`
			}
			s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", s.Admin, nil).json(t, &audit)
			var actions []string
			for _, e := range audit.Items {
				if e.EntityID == "org-a-p9" {
					actions = append(actions, e.Action)
				}
			}
			if !slices.Equal(actions, []string{"create", "read", "update", "read", "delete", "read"}) {
				t.Errorf("audit for org-a-p9 = %v; want create, read, update, read, delete, read (the attempt after the delete)", actions)
			}

			// Offerings, sessions and attendance.
			off := bsk.Offering{ID: "rc-1", Kind: bsk.OfferingReflectiveConsultation, Title: "RC", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90, OrganizationID: "org-a"}
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, off)
			s.expect(201, "POST", "/api/v1/sessions", s.Admin, json.RawMessage(`{"id":"rc-1-s1","offering_id":"rc-1","starts":"2026-02-03T17:00:00Z","minutes":90}`))
			s.expect(404, "POST", "/api/v1/sessions", s.Admin, json.RawMessage(`{"id":"x","offering_id":"nope","starts":"2026-02-03T17:00:00Z","minutes":90}`))
			att := bsk.Attendance{SessionID: "rc-1-s1", ProviderID: "org-a-p1", Hours: 1.5, Credit: bsk.CreditReflective}
			s.expect(201, "POST", "/api/v1/attendance", s.Admin, att)
			s.expect(409, "POST", "/api/v1/attendance", s.Admin, att)
			var atts app.Page[bsk.Attendance]
			s.expect(200, "GET", "/api/v1/attendance?parent=rc-1-s1", s.Admin, nil).json(t, &atts)
			if len(atts.Items) != 1 || atts.Items[0].Hours != 1.5 {
				t.Errorf("attendance = %+v", atts.Items)
			}
		})
	}
}

func TestBadInputIsA4xx(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	good, _ := json.Marshal(provider("x1", "org-a"))
	tests := []struct {
		name   string
		body   []byte
		status int
		fields []string
	}{
		{"malformed", []byte(`{"id": "x1",`), 400, []string{""}},
		{"not an object", []byte(`[1,2]`), 400, []string{""}},
		{"unknown field", []byte(strings.Replace(string(good), `{`, `{"favorite_color":"red",`, 1)), 400, []string{""}},
		{"wrong type", []byte(strings.Replace(string(good), `"years_experience":2`, `"years_experience":"two"`, 1)), 400, []string{"/years_experience"}},
		{"unknown enum", []byte(strings.Replace(string(good), `"so"`, `"xx"`, 1)), 400, []string{"/languages/1"}},
		{"negative years", []byte(strings.Replace(string(good), `"years_experience":2`, `"years_experience":-4`, 1)), 400, []string{"/years_experience"}},
		{"invalid utf-8", append([]byte(`{"id":"`), 0xff, '"', '}'), 400, []string{""}},
		{"trailing data", append(append([]byte{}, good...), []byte(` {}`)...), 400, []string{""}},
		{"validate after schema", []byte(strings.Replace(string(good), `"race":["native_hawaiian_pacific_islander"]`, `"race":["declined","asian"]`, 1)), 400, []string{"demographics.race[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.expect(tt.status, "POST", "/api/v1/providers", s.Admin, tt.body)
			if got := slices.Compact(r.problems(t)); !slices.Equal(got, tt.fields) {
				t.Errorf("problem fields = %q; want %q\n%s", got, tt.fields, r.Body)
			}
		})
	}
	t.Run("sql-looking strings are data", func(t *testing.T) {
		// IDs keep to a safe character set, so SQL-looking ones are refused;
		// names are data.
		s.expect(400, "POST", "/api/v1/providers", s.Admin, provider("x'; DROP TABLE providers; --", "org-a"))
		p := provider("x-drop", "org-a")
		p.Name = "Robert'); DELETE FROM api_keys; --"
		s.expect(201, "POST", "/api/v1/providers", s.Admin, p)
		var got bsk.Provider
		s.expect(200, "GET", "/api/v1/providers/x-drop", s.Admin, nil).json(t, &got)
		if got.Name != p.Name {
			t.Errorf("name = %q", got.Name)
		}
		s.expect(200, "GET", "/api/v1/providers?cursor=%27%20OR%201%3D1%20--", s.Admin, nil)
	})
	t.Run("oversized body", func(t *testing.T) {
		big := []byte(`{"id":"` + strings.Repeat("a", 2<<20) + `"}`)
		s.expect(413, "POST", "/api/v1/providers", s.Admin, big)
	})
	t.Run("bad limit", func(t *testing.T) {
		s.expect(400, "GET", "/api/v1/providers?limit=100000", s.Admin, nil)
		s.expect(400, "GET", "/api/v1/providers?limit=-1", s.Admin, nil)
	})
	t.Run("unknown route and key", func(t *testing.T) {
		s.expect(404, "GET", "/api/v1/nothing", s.Admin, nil)
		s.expect(401, "GET", "/api/v1/providers", "bsk_not-a-key", nil)
		s.expect(401, "GET", "/api/v1/providers", "", nil)
	})
}

// TestAgencyIsolation checks that agency A's key cannot read, list, change
// or infer agency B's providers through any endpoint.
func TestAgencyIsolation(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			keyA := s.key("agency", "org-a", "")
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, bsk.Offering{ID: "t1", Kind: bsk.OfferingTraining, Title: "T", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240})
			s.expect(201, "POST", "/api/v1/sessions", s.Admin, json.RawMessage(`{"id":"t1-s1","offering_id":"t1","starts":"2026-02-03T17:00:00Z","minutes":240}`))
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, bsk.Offering{ID: "b-rc", Kind: bsk.OfferingReflectiveConsultation, Title: "B's RC", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90, OrganizationID: "org-b"})
			s.expect(404, "GET", "/api/v1/offerings/b-rc", keyA, nil)
			s.expect(201, "POST", "/api/v1/attendance", s.Admin, bsk.Attendance{SessionID: "t1-s1", ProviderID: "org-b-p1", Hours: 4, Credit: bsk.CreditTraining})

			// List: only A's providers, whatever the filter.
			for _, q := range []string{"", "?organization_id=org-b", "?organization_id=org-a", "?cursor=org-a-p2"} {
				var page app.Page[bsk.Provider]
				s.expect(200, "GET", "/api/v1/providers"+q, keyA, nil).json(t, &page)
				for _, p := range page.Items {
					if p.OrganizationID != "org-a" {
						t.Errorf("list%s shows %s of %s", q, p.ID, p.OrganizationID)
					}
				}
			}
			// Read, change, delete B's provider: the same 404 as a provider that
			// does not exist.
			missing := s.expect(404, "GET", "/api/v1/providers/nobody", keyA, nil)
			other := s.expect(404, "GET", "/api/v1/providers/org-b-p1", keyA, nil)
			if strings.ReplaceAll(string(other.Body), "org-b-p1", "X")[:60] != strings.ReplaceAll(string(missing.Body), "nobody", "X")[:60] {
				t.Errorf("another agency's provider reads differently from a missing one:\n%s\n%s", other.Body, missing.Body)
			}
			s.expect(404, "PUT", "/api/v1/providers/org-b-p1", keyA, provider("org-b-p1", "org-b"))
			s.expect(404, "PUT", "/api/v1/providers/org-b-p1", keyA, provider("org-b-p1", "org-a"))
			s.expect(404, "DELETE", "/api/v1/providers/org-b-p1", keyA, nil)
			// Create into B, or move A's provider into B: refused like an unknown organization.
			r1 := s.expect(404, "POST", "/api/v1/providers", keyA, provider("org-a-new-1", "org-b"))
			r2 := s.expect(404, "POST", "/api/v1/providers", keyA, provider("org-a-new-1", "org-zzz"))
			if strings.Replace(string(r1.Body), "org-b", "org-zzz", 1)[:80] != string(r2.Body)[:80] {
				t.Errorf("an existing organization reads differently from an unknown one:\n%s\n%s", r1.Body, r2.Body)
			}
			s.expect(404, "PUT", "/api/v1/providers/org-a-p1", keyA, provider("org-a-p1", "org-b"))
			// A's own providers work.
			s.expect(200, "GET", "/api/v1/providers/org-a-p1", keyA, nil)
			s.expect(201, "POST", "/api/v1/providers", keyA, provider("org-a-p3", "org-a"))
			// IDs are unique county-wide: an agency creates IDs under its own
			// prefix, so a conflict never reveals another agency's IDs.
			if f := s.expect(400, "POST", "/api/v1/providers", keyA, provider("org-b-p1", "org-a")).problems(t); !slices.Equal(f, []string{"/id"}) {
				t.Errorf("foreign-prefixed ID: problems %q", f)
			}
			// Offerings for no organization are visible to every agency; B's own are not.
			var offs app.Page[bsk.Offering]
			s.expect(200, "GET", "/api/v1/offerings", keyA, nil).json(t, &offs)
			if len(offs.Items) != 1 || offs.Items[0].ID != "t1" {
				t.Errorf("offerings visible to A = %+v", offs.Items)
			}
			// Organizations: only its own.
			s.expect(404, "GET", "/api/v1/organizations/org-b", keyA, nil)
			var orgs app.Page[bsk.Organization]
			s.expect(200, "GET", "/api/v1/organizations", keyA, nil).json(t, &orgs)
			if len(orgs.Items) != 1 || orgs.Items[0].ID != "org-a" {
				t.Errorf("organizations visible to A = %+v", orgs.Items)
			}
			// Attendance: B's records are invisible, and A cannot record hours for B's staff.
			var atts app.Page[bsk.Attendance]
			s.expect(200, "GET", "/api/v1/attendance", keyA, nil).json(t, &atts)
			if len(atts.Items) != 0 {
				t.Errorf("A sees attendance %+v", atts.Items)
			}
			s.expect(404, "POST", "/api/v1/attendance", keyA, bsk.Attendance{SessionID: "t1-s1", ProviderID: "org-b-p2", Hours: 4, Credit: bsk.CreditTraining})
			// CSV import into B: refused whole, nothing written.
			csv := "id,organization_id,name,role,languages\norg-a-p7,org-a,Ann,direct_service,en\norg-a-p8,org-b,Bo,direct_service,en\n"
			r := s.expect(404, "POST", "/api/v1/providers/import", keyA, csv)
			if f := r.problems(t); !slices.Equal(f, []string{"rows[3].organization_id"}) {
				t.Errorf("import problems = %q; want rows[3].organization_id", f)
			}
			s.expect(404, "GET", "/api/v1/providers/org-a-p7", s.Admin, nil)
			// Keys and audit are the administrator's.
			s.expect(403, "POST", "/api/v1/keys", keyA, map[string]string{"name": "x", "role": "admin"})
			s.expect(403, "GET", "/api/v1/audit", keyA, nil)
		})
	}
}

func TestRolesAndDemographics(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	coord := s.key("coordinator", "", "")
	var p bsk.Provider
	s.expect(200, "GET", "/api/v1/providers/org-a-p1", coord, nil).json(t, &p)
	if len(p.Demographics.Race) != 0 || p.Demographics.Place != "" {
		t.Errorf("coordinator sees demographics: %+v", p.Demographics)
	}
	// A coordinator's update keeps the stored demographics it cannot see.
	p.Name = "Changed by coordinator"
	s.expect(200, "PUT", "/api/v1/providers/org-a-p1", coord, p)
	s.expect(200, "GET", "/api/v1/providers/org-a-p1", s.Admin, nil).json(t, &p)
	if p.Name != "Changed by coordinator" || p.Demographics.Place != "vashon" {
		t.Errorf("after coordinator update: %+v", p)
	}
	cons := s.key("consultant", "", "org-b-p2")
	s.expect(200, "GET", "/api/v1/providers/org-b-p2", cons, nil)
	s.expect(404, "GET", "/api/v1/providers/org-b-p1", cons, nil)
	s.expect(403, "GET", "/api/v1/providers", cons, nil)
	s.expect(403, "POST", "/api/v1/providers", cons, provider("z", "org-b"))
	eval := s.key("evaluator", "", "")
	s.expect(403, "GET", "/api/v1/providers", eval, nil)
	s.expect(404, "GET", "/api/v1/providers/org-a-p1", eval, nil)
	s.expect(400, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": "x", "role": "agency"})
	s.expect(404, "POST", "/api/v1/keys", s.Admin, map[string]string{"name": "x", "role": "agency", "organization_id": "nope"})
}

// TestLogsHoldNoDemographics checks that neither bodies nor demographic
// values reach the log.
func TestLogsHoldNoDemographics(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	p := provider("private-1", "org-a")
	p.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceAmericanIndianAlaskaNative}, Gender: bsk.GenderAnother, AgeBand: bsk.Age65Plus, Place: "skykomish", Income: bsk.IncomeUnder200FPL}
	s.expect(201, "POST", "/api/v1/providers", s.Admin, p)
	s.expect(200, "GET", "/api/v1/providers/private-1", s.Admin, nil)
	bad := p
	bad.Demographics.Place = "atlantis_skykomish"
	s.expect(400, "POST", "/api/v1/providers", s.Admin, bad)
	logs := s.logs.String()
	if !strings.Contains(logs, "/api/v1/providers/private-1") {
		t.Fatalf("request log lines are missing:\n%s", logs)
	}
	for _, secret := range []string{"american_indian_alaska_native", "skykomish", "under_200_fpl", "65_plus", "demographics", s.Admin} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
}

func TestCSVImportAllOrNothing(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			header := "id,organization_id,name,role,languages,race,years_experience,availability,started\n"
			good := "c1,org-a,Ana,direct_service,es;en,hispanic_latinx,3,tue 09:00-12:00,2024-05-01\n" +
				"c2,org-a,Bo,supervisor,en,,10,,\n" +
				"c3,org-b,Cy,direct_service,ase,white;asian,1,thu 13:00-15:30,\n"
			bad := good + "c4,org-a,Di,direct_service,xx,,-1,mon 9-10,yesterday\n" + "c1,org-a,Dup,direct_service,en,,,,\n" + "c6,org-a\n"
			r := s.expect(400, "POST", "/api/v1/providers/import", s.Admin, header+bad)
			got := r.problems(t)
			for _, want := range []string{"rows[5].languages[0]", "rows[5].years_experience", "rows[5].availability[0]", "rows[5].started", "rows[6].id", "rows[7]"} {
				if !slices.Contains(got, want) {
					t.Errorf("problems %q lack %q", got, want)
				}
			}
			s.expect(404, "GET", "/api/v1/providers/c1", s.Admin, nil)
			s.expect(201, "POST", "/api/v1/providers/import", s.Admin, header+good)
			var p bsk.Provider
			s.expect(200, "GET", "/api/v1/providers/c3", s.Admin, nil).json(t, &p)
			if !slices.Equal(p.Languages, []bsk.Language{bsk.ASL}) || len(p.Availability) != 1 || p.Availability[0].End != 15*60+30 {
				t.Errorf("imported %+v", p)
			}
			// A second import of the same rows conflicts and changes nothing.
			r = s.expect(409, "POST", "/api/v1/providers/import", s.Admin, header+good)
			if got := r.problems(t); len(got) != 3 {
				t.Errorf("conflict problems = %q; want one per row", got)
			}
			s.expect(400, "POST", "/api/v1/providers/import", s.Admin, "name,colour\nx,y\n")
			s.expect(400, "POST", "/api/v1/providers/import", s.Admin, header)
		})
	}
}

func TestOpenAPI(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	var doc struct {
		OpenAPI    string                     `json:"openapi"`
		Paths      map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	s.expect(200, "GET", "/api/v1/openapi.json", "", nil).json(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	for _, name := range []string{"bsk.Provider", "bsk.Organization", "bsk.Offering", "bsk.Session", "bsk.Attendance", "app.ErrorBody"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
	for _, path := range []string{"/api/v1/providers", "/api/v1/providers/{id}", "/api/v1/providers/import", "/api/v1/attendance"} {
		if _, ok := doc.Paths[path]; !ok {
			t.Errorf("paths lacks %s", path)
		}
	}
	// Every route of the API is in the document, with its method.
	e := s.App.Handler().(*echo.Echo)
	for _, r := range e.Routes() {
		if r.Method == "echo_route_not_found" || r.Path == "/" || strings.HasPrefix(r.Path, "/web/") {
			continue // the web app's pages are not the API
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		var ops map[string]json.RawMessage
		json.Unmarshal(doc.Paths[strings.Join(parts, "/")], &ops)
		if _, ok := ops[strings.ToLower(r.Method)]; !ok {
			t.Errorf("the OpenAPI document lacks %s %s", r.Method, strings.Join(parts, "/"))
		}
	}
}
