package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/examples/server/internal/app"
)

// FuzzPostBody sends arbitrary bodies to every create endpoint, the CSV
// import, programs, applications, instruments (JSON and REDCap) and
// grouping runs: the answer is never a 5xx.
func FuzzPostBody(f *testing.F) {
	for _, seed := range []string{
		`{"id":"p","organization_id":"org-a","name":"n","role":"direct_service","languages":["en"],"demographics":{},"years_experience":1}`,
		`{"id":"o","name":"n","kind":"clinic","grantee":true,"bipoc_led":false,"community_designed":false,"place":"kent","serves_young_children":true}`,
		`{"session_id":"s","provider_id":"p","hours":1e308,"credit":"training"}`,
		"id,organization_id,name,role,languages\np,org-a,n,direct_service,en\n",
		"\xff\xfe{", `{"id":"` + strings.Repeat("x", 300) + `"}`, `null`, `[]`, `{"availability":[{"day":"mon","start":-1}]}`,
		`{"program":{"id":"p2","name":"n","kind":"esit_career_pathways","cycles":[{"id":"c","effective":"2026-01-01T00:00:00Z","budget":100,"caps":{"tuition":100}}]},"plugin_rules":["x/y"]}`,
		`{"id":"i2","items":[{"code":"q","kind":"likert","text":"t","indicator":["9"]}]}`,
		`{"preset":"reflective_consultation","options":{"size":{"min":9,"max":2}},"weights":{"x":1},"time_limit_seconds":0.01}`,
		`{"applicant":{"person_id":"a","name":"n","months_employed":-3,"demographics":{}},"requested":{"tuition":-1},"answers":{}}`,
		"\"Variable / Field Name\",\"Field Type\"\nrecord_id,text\nq,radio\n",
	} {
		for path := range 10 {
			f.Add(uint8(path), []byte(seed))
		}
	}
	dir := f.TempDir()
	a, err := app.New(context.Background(), app.Config{Data: dir, NoDemo: true}, zerolog.Nop())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { a.Close() })
	keyBytes, _ := os.ReadFile(a.AdminKeyFile)
	key := strings.TrimSpace(string(keyBytes))
	h := a.Handler()
	org := httptest.NewRequest("POST", "/api/v1/organizations", strings.NewReader(`{"id":"org-a","name":"A","kind":"clinic","grantee":true,"bipoc_led":false,"community_designed":false,"place":"kent","serves_young_children":true}`))
	org.Header.Set("Authorization", "Bearer "+key)
	h.ServeHTTP(httptest.NewRecorder(), org)
	prog := httptest.NewRequest("POST", "/api/v1/programs", strings.NewReader(`{"program":{"id":"esit","name":"E","kind":"esit_career_pathways","cycles":[{"id":"2026","effective":"2026-09-01T00:00:00Z","budget":1000000,"caps":{"tuition":900000}}]}}`))
	prog.Header.Set("Authorization", "Bearer "+key)
	h.ServeHTTP(httptest.NewRecorder(), prog)
	paths := []string{"/api/v1/providers", "/api/v1/organizations", "/api/v1/offerings", "/api/v1/attendance", "/api/v1/providers/import",
		"/api/v1/programs", "/api/v1/instruments", "/api/v1/grouping-runs", "/api/v1/programs/esit/cycles/2026/applications", "/api/v1/instruments/from-redcap?id=fz"}
	f.Fuzz(func(t *testing.T, path uint8, body []byte) {
		req := httptest.NewRequest("POST", paths[int(path)%len(paths)], bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST %s = %d\n%s", req.URL.Path, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusCreated && !strings.Contains(rec.Body.String(), `"code"`) {
			t.Fatalf("error without a code: %s", rec.Body)
		}
	})
}
