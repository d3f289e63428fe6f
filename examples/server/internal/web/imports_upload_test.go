package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// redcapFixture reads a REDCap project's file from the survey package's
// fixtures (REDCapR's test projects).
func redcapFixture(t testing.TB, project, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../../../survey/testdata/redcap/" + project + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// redcapInstrument makes instrument id from a fixture project's data
// dictionary through the API.
func redcapInstrument(t testing.TB, s *server, id, project string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/instruments/from-redcap?id="+id+"&cycle=2026", bytes.NewReader(redcapFixture(t, project, "dictionary.csv")))
	req.Header.Set("Authorization", "Bearer "+s.Admin)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("instrument %s from REDCap = %d %s", id, resp.StatusCode, b)
	}
}

// uploadSurvey sends the survey upload form with its fields and file.
func (b *browser) uploadSurvey(token string, fields map[string]string, file []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", token)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "export.csv")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", b.s.URL+"/web/imports/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var importLinkRE = regexp.MustCompile(`^/web/imports/(imp-[^?]+)`)

// finished follows an upload's redirect to the import's page and reads it
// until the import is no longer running (at most 10 s); it returns the
// page and the import's ID.
func (b *browser) finished(t *testing.T, upload page) (page, string) {
	t.Helper()
	expectStatus(t, "the upload", upload, http.StatusSeeOther)
	loc := upload.Header.Get("Location")
	m := importLinkRE.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("the upload leads to %q, not an import's page", loc)
	}
	var p page
	for range 200 {
		p = b.get(loc)
		expectStatus(t, "the import's page", p, 200)
		if !strings.Contains(p.Body, "data-refresh") {
			return p, m[1]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the import still runs after 10 s\n%s", p.Body)
	return p, ""
}

// TestSurveyUploadPages: an evaluator uploads REDCap exports from the web
// app. A file with bad rows shows each row with its column and reason and
// stores nothing; a good one is imported whole. A running import shows
// its progress and polls; many problems are paged. Coordinators read an
// import's page but may not upload; agencies and consultants may do
// neither.
func TestSurveyUploadPages(t *testing.T) {
	s := start(t, true)
	redcapInstrument(t, s, "ppv", "potentially-problematic-values")
	redcapInstrument(t, s, "checkboxes", "checkboxes-1")
	evaluator, _ := s.key("evaluator", "", "")
	ev := s.browser()
	ev.signIn(evaluator)
	if home := ev.get("/web/"); !strings.Contains(home.Body, `href="/web/imports/upload"`) {
		t.Errorf("the evaluator's navigation lacks the upload page\n%s", home.Body)
	}
	form := ev.get("/web/imports/upload")
	expectStatus(t, "the upload form", form, 200)
	for _, want := range []string{`<option value="ppv"`, `<option value="checkboxes"`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("the upload form lacks %s\n%s", want, form.Body)
		}
	}
	tok := tokenRE.FindStringSubmatch(form.Body)[1]

	// Values entered before REDCap validated them: every row is bad.
	bad, badID := ev.finished(t, ev.uploadSurvey(tok, map[string]string{"instrument": "ppv", "format": "redcap"},
		redcapFixture(t, "potentially-problematic-values", "data.csv")))
	if !strings.Contains(bad.Body, `id="nothing-stored"`) || !strings.Contains(bad.Body, "Nothing was stored") {
		t.Errorf("the failed import does not say nothing was stored\n%s", bad.Body)
	}
	rows := section(t, bad.Body, `id="bad-rows"`, "</table>")
	// Record 1 is on line 2, record 2 on line 3: each has an integer
	// entered before validation that does not read as one.
	for _, want := range []string{"<td>2</td><td>integer_before_validation</td><td>&#34;before validation 1&#34; is not a number</td>",
		"<td>3</td><td>integer_before_validation</td><td>&#34;before validation 1&#34; is not a number</td>"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the bad rows lack %q\n%s", want, rows)
		}
	}
	var imp service.SurveyImport
	st, body := s.api("GET", "/api/v1/imports/"+badID, s.Admin, nil)
	json.Unmarshal(body, &imp)
	if st != 200 || imp.Status != service.RunFailed || imp.Report != nil {
		t.Errorf("the bad import through the API = %d %+v", st, imp)
	}
	if st, body := s.api("GET", "/api/v1/imports/"+badID+"/report", s.Admin, nil); st != 409 {
		t.Errorf("the bad import's report = %d %s; want 409, nothing stored", st, body)
	}

	// A good export: imported whole.
	good, goodID := ev.finished(t, ev.uploadSurvey(tok, map[string]string{"instrument": "checkboxes", "format": "redcap"},
		redcapFixture(t, "checkboxes-1", "data.csv")))
	if !strings.Contains(good.Body, "Responses imported: 4, of 4 rows read.") {
		t.Errorf("the good import's page\n%s", good.Body)
	}
	st, body = s.api("GET", "/api/v1/imports/"+goodID, s.Admin, nil)
	json.Unmarshal(body, &imp)
	if st != 200 || imp.Status != service.RunDone || imp.Report == nil || imp.Report.Imported != 4 {
		t.Errorf("the good import through the API = %d %s", st, body)
	}

	// Refused uploads show the form again with the reason: no file; a
	// REDCap export for an instrument that did not come from REDCap.
	in := survey.Instrument{ID: "plain", Version: "1", Cycle: "2026", Population: "providers",
		Items: []survey.Item{{Code: "respected", Kind: survey.Likert, Text: "Reflective consultation respected my community"}}}
	if st, b := s.api("POST", "/api/v1/instruments", s.Admin, in); st != 201 {
		t.Fatalf("instrument = %d %s", st, b)
	}
	r := ev.uploadSurvey(tok, map[string]string{"instrument": "plain", "format": "redcap"}, nil)
	expectStatus(t, "an upload without a file", r, 400)
	if !strings.Contains(r.Body, "Choose a file to upload.") {
		t.Errorf("an upload without a file\n%s", r.Body)
	}
	r = ev.uploadSurvey(tok, map[string]string{"instrument": "plain", "format": "redcap"}, redcapFixture(t, "checkboxes-1", "data.csv"))
	expectStatus(t, "a REDCap export for a plain instrument", r, 400)
	if p := section(t, r.Body, `id="upload-problems"`, "</table>"); !strings.Contains(p, "<td>Format</td>") || !strings.Contains(p, "REDCap data dictionary") {
		t.Errorf("the refusal does not name the format\n%s", p)
	}
	expectStatus(t, "an upload without a token", ev.uploadSurvey("", map[string]string{"instrument": "checkboxes", "format": "redcap"},
		redcapFixture(t, "checkboxes-1", "data.csv")), 403)

	// Thirty bad rows: 25 on the first page, the last 5 on the second.
	var csv strings.Builder
	csv.WriteString("respondent_id,respected\n")
	for i := range 30 {
		fmt.Fprintf(&csv, "r%02d,9\n", i)
	}
	many, manyID := ev.finished(t, ev.uploadSurvey(tok, map[string]string{"instrument": "plain", "format": "csv"}, []byte(csv.String())))
	first := section(t, many.Body, `id="bad-rows"`, "</table>")
	if n := strings.Count(first, "<tr><td>"); n != 25 || !strings.Contains(first, "<td>2</td><td>respected</td>") || !strings.Contains(first, "Problems 1 to 25 of 30") {
		t.Errorf("the first page lists %d rows; want lines 2 to 26 of 30\n%s", n, first)
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(many.Body)
	if next == nil {
		t.Fatalf("no next page\n%s", many.Body)
	}
	second := section(t, ev.get(strings.ReplaceAll(next[1], "&amp;", "&")).Body, `id="bad-rows"`, "</table>")
	if n := strings.Count(second, "<tr><td>"); n != 5 || !strings.Contains(second, "<td>27</td>") || !strings.Contains(second, "<td>31</td>") {
		t.Errorf("the second page lists %d rows; want lines 27 to 31\n%s", n, second)
	}

	// A file over the server's 1 MB limit for ordinary forms: the upload
	// has the import limit.
	csv.Reset()
	csv.WriteString("respondent_id,respected\n")
	pad := strings.Repeat("x", 100)
	for i := range 12000 {
		fmt.Fprintf(&csv, "%s%05d,4\n", pad, i)
	}
	big, _ := ev.finished(t, ev.uploadSurvey(tok, map[string]string{"instrument": "plain", "format": "csv"}, []byte(csv.String())))
	if !strings.Contains(big.Body, "Responses imported: 12000, of 12000 rows read.") {
		t.Errorf("a %d-byte file's import\n%s", csv.Len(), big.Body)
	}

	// An import in progress: 20 of the upload's 50 rows read.
	doc, _ := json.Marshal(service.SurveyImport{ID: "imp-running", InstrumentID: "plain", Format: "csv", Status: service.RunRunning, Rows: 20, CreatedAt: time.Now().UTC()})
	ctx := context.Background()
	if err := s.App.DB().Write(ctx, func(tx *store.Tx) error {
		return tx.Insert(ctx, store.SurveyImports, store.Record{ID: "imp-running", Parent: "plain", Doc: doc})
	}); err != nil {
		t.Fatal(err)
	}
	running := ev.get("/web/imports/imp-running?of=50")
	expectStatus(t, "a running import", running, 200)
	for _, want := range []string{`data-refresh`, `<progress id="progress" max="50" value="20"`, "20 of 50 rows read", `id="check-again"`} {
		if !strings.Contains(running.Body, want) {
			t.Errorf("the running import's page lacks %s\n%s", want, running.Body)
		}
	}

	// Coordinators read imports but do not upload; agencies and
	// consultants do neither.
	coord, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coord)
	if home := cb.get("/web/"); strings.Contains(home.Body, `href="/web/imports/upload"`) {
		t.Errorf("the coordinator's navigation links the upload page")
	}
	expectStatus(t, "the coordinator's upload form", cb.get("/web/imports/upload"), 403)
	ctok := cb.token("/web/")
	expectStatus(t, "the coordinator's upload", cb.uploadSurvey(ctok, map[string]string{"instrument": "checkboxes", "format": "redcap"},
		redcapFixture(t, "checkboxes-1", "data.csv")), 403)
	expectStatus(t, "the coordinator reading an import", cb.get("/web/imports/"+badID), 200)
	// The evaluator reads why each row is bad, a reason that quotes the
	// respondent's answer ("9"); the coordinator reads the row, the column
	// and that the reason is withheld, in the reader's language.
	if rows := section(t, ev.get("/web/imports/"+manyID).Body, `id="bad-rows"`, "</table>"); !strings.Contains(rows, `&#34;9&#34;`) {
		t.Errorf("the evaluator's bad rows do not quote the value\n%s", rows)
	}
	for lang, want := range map[string]string{"en": "only evaluators and administrators can read it", "es": "solo lo pueden leer"} {
		rows := section(t, cb.get("/web/imports/"+manyID+"?lang="+lang).Body, `id="bad-rows"`, "</table>")
		if strings.Contains(rows, `&#34;9&#34;`) || strings.Count(rows, want) != 25 || !strings.Contains(rows, "<td>2</td><td>respected</td>") {
			t.Errorf("the coordinator's bad rows in %s\n%s", lang, rows)
		}
	}
	agency, _ := s.key("agency", "org-001", "")
	consultant, _ := s.key("consultant", "", "consultant-01")
	for role, key := range map[string]string{"agency": agency, "consultant": consultant} {
		o := s.browser()
		o.signIn(key)
		otok := o.token("/web/")
		expectStatus(t, role+"'s upload form", o.get("/web/imports/upload"), 403)
		expectStatus(t, role+"'s upload", o.uploadSurvey(otok, map[string]string{"instrument": "checkboxes", "format": "redcap"},
			redcapFixture(t, "checkboxes-1", "data.csv")), 403)
		expectStatus(t, role+" reading an import", o.get("/web/imports/"+badID), 403)
	}
	// The refused uploads started no import: the evaluator's four and the
	// running one are listed.
	list := section(t, ev.get("/web/imports").Body, `id="imports"`, "</table>")
	if n := strings.Count(list, `<th scope="row">`); n != 5 {
		t.Errorf("%d imports listed; want the evaluator's 4 and the running one\n%s", n, list)
	}
}
