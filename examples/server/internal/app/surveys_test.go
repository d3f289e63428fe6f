package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

var annual = survey.Instrument{ID: "annual-2026", Version: "1", Cycle: "2026", Population: "providers who answered the annual survey",
	Items: []survey.Item{
		{Code: "respected", Kind: survey.Likert, Text: "Reflective consultation respected my community", Reported: "reported that reflective consultation was respectful of their community's needs"},
		{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"},
		{Code: "topics", Kind: survey.Ranking, Text: "Rank the topics", Options: []survey.Option{{Code: "trauma", Label: "Trauma"}, {Code: "rs", Label: "Reflective supervision"}, {Code: "sleep", Label: "Sleep"}}},
	}}

// annualCSV writes n responses: most agree; races and places vary.
func annualCSV(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	races := []string{"white", "white", "hispanic_latinx", "asian", "black", "native_hawaiian_pacific_islander"}
	places := []string{"seattle", "kent", "bellevue", "vashon"}
	var b strings.Builder
	b.WriteString("respondent_id,race,place,respected,again,topics\n")
	for i := range n {
		agree := []string{"4", "5", "5", "4", "2"}[r.IntN(5)]
		fmt.Fprintf(&b, "r%06d,%s,%s,%s,%s,%s\n", i, races[r.IntN(len(races))], places[r.IntN(len(places))], agree, []string{"yes", "no"}[r.IntN(2)],
			[]string{"trauma;rs;sleep", "rs;trauma", "sleep"}[r.IntN(3)])
	}
	return b.String()
}

// upload posts a file to an import endpoint and returns the import.
func upload(t testing.TB, s *server, key, path, body string) app.SurveyImport {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 202 {
		t.Fatalf("POST %s = %d %s", path, resp.StatusCode, b)
	}
	var imp app.SurveyImport
	json.Unmarshal(b, &imp)
	return imp
}

func waitImport(t testing.TB, s *server, key, id string) app.SurveyImport {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var imp app.SurveyImport
		s.expect(200, "GET", "/api/v1/imports/"+id, key, nil).json(t, &imp)
		if imp.Status != app.RunRunning {
			return imp
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("import %s still running", id)
	return app.SurveyImport{}
}

func TestSurveyImportAndReport(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testSurveyImportAndReport(t, b) })
	}
}

func testSurveyImportAndReport(t *testing.T, b backend) {
	s := start(t, b, false)
	eval := s.key("evaluator", "", "")
	coord := s.key("coordinator", "", "")
	s.expect(201, "POST", "/api/v1/instruments", eval, annual)
	s.expect(409, "POST", "/api/v1/instruments", eval, annual)
	s.expect(403, "POST", "/api/v1/instruments", coord, annual)

	imp := upload(t, s, eval, "/api/v1/instruments/annual-2026/imports", annualCSV(300, 1))
	imp = waitImport(t, s, eval, imp.ID)
	if imp.Status != app.RunDone || imp.Report == nil || imp.Report.Imported != 300 {
		t.Fatalf("import = %+v", imp)
	}

	// Nothing is published before the release.
	s.expect(409, "GET", "/api/v1/imports/"+imp.ID+"/report", coord, nil)
	s.expect(409, "GET", "/api/v1/imports/"+imp.ID+"/rankings/topics", coord, nil)
	release := app.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByRace, survey.ByPlace}, {survey.ByPlace}}}
	s.expect(403, "POST", "/api/v1/imports/"+imp.ID+"/release", coord, release)
	s.expect(403, "POST", "/api/v1/imports/"+imp.ID+"/release", eval, app.ReleaseRequest{Standard: "unsuppressed"})
	s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", eval, release)
	s.expect(409, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, release)

	var rep struct {
		survey.Report
		Sentences []struct{ Item, Sentence string }
	}
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=race&breakdown=race,place", coord, nil).json(t, &rep)
	if rep.Disclosure != "wa_doh" || rep.Responses != 300 || len(rep.Sentences) != 2 {
		t.Fatalf("report = %s, %d responses, %d sentences", rep.Disclosure, rep.Responses, len(rep.Sentences))
	}
	if !strings.Contains(rep.Sentences[0].Sentence, "of the 300 providers who answered the annual survey reported that reflective consultation") {
		t.Errorf("sentence = %q", rep.Sentences[0].Sentence)
	}
	hidden := 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			if c.Suppressed {
				hidden++
			} else if c.Count != nil && *c.N > 0 && (*c.Count < 10 || *c.N-*c.Count < 10) {
				t.Errorf("%s %v: %d of %d shown to a coordinator", tb.Item, c.Group, *c.Count, *c.N)
			}
		}
	}
	if hidden == 0 {
		t.Error("no cell hidden in a race by place breakdown of 300 responses")
	}
	// The release fixes the standard, the population and the breakdowns.
	for _, q := range []struct{ query, field string }{
		{"standard=unsuppressed", "standard"}, {"standard=nchs", "standard"}, {"population=100000", "population"}, {"race=multiple", "race"},
		{"breakdown=shoe_size", "breakdown"}, {"breakdown=gender", "breakdown"}, {"breakdown=place,race,gender,income", "breakdown"},
	} {
		for _, key := range []string{coord, s.Admin} {
			got := s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/report?"+q.query, key, nil).problems(t)
			if !slices.Contains(got, q.field) {
				t.Errorf("?%s: problems %q name no %s", q.query, got, q.field)
			}
		}
	}
	// The reversed crossing is the release's.
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=place,race", coord, nil)

	// CSV download.
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/imports/"+imp.ID+"/report?breakdown=place&format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+coord)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "instrument,cycle,item,dimensions,group,n,count,percent") {
		t.Errorf("CSV = %d %.200s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "complement_under") || strings.Contains(string(body), "secondary") || strings.Contains(string(body), "count_under") {
		t.Errorf("the CSV tells which rule hid a cell: %.400s", body)
	}

	// The topics ranking.
	var rk survey.RankResult
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/rankings/topics", coord, nil).json(t, &rk)
	if rk.Suppressed || len(rk.Options) != 3 || rk.Options[0].Place != 1 {
		t.Errorf("ranking = %+v", rk)
	}
	if got := s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/rankings/topics?breakdown=race", coord, nil).problems(t); !slices.Equal(got, []string{"breakdown"}) {
		t.Errorf("problems %q; want [breakdown]", got)
	}
	s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/rankings/topics?standard=nchs", coord, nil)

	// Agencies do not see survey data.
	s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-a"))
	agency := s.key("agency", "org-a", "")
	s.expect(403, "GET", "/api/v1/imports/"+imp.ID+"/report", agency, nil)
	s.expect(403, "GET", "/api/v1/instruments", agency, nil)
}

func TestSurveyImportAllOrNothing(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, annual)
	bad := "respondent_id,race,place,respected,again,topics\nr1,white,kent,4,yes,rs\nr2,white,kent,9,maybe,rs\nr1,white,kent,4,yes,rs\n"
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports", bad).ID)
	if imp.Status != app.RunFailed || len(imp.Problems) < 3 {
		t.Fatalf("import = %+v", imp)
	}
	fields := map[string]bool{}
	for _, p := range imp.Problems {
		fields[p.Field] = true
	}
	for _, f := range []string{"rows[3].respected", "rows[3].again", "rows[4].respondent_id"} {
		if !fields[f] {
			t.Errorf("no problem at %s: %+v", f, imp.Problems)
		}
	}
	s.expect(409, "GET", "/api/v1/imports/"+imp.ID+"/report", s.Admin, nil)
	s.expect(409, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh"})
	// Skipping bad rows imports the rest.
	imp = waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports?skip_bad_rows=true", bad).ID)
	if imp.Status != app.RunDone || imp.Report.Imported != 1 || len(imp.Report.Skipped) != 2 {
		t.Fatalf("import = %+v", imp.Report)
	}
}

// TestSurveyImportReasonsByRole: a bad row's reason quotes the cell, one
// respondent's answer. Editors read it; a coordinator, who sees survey
// data only as suppressed aggregates, reads the row and column alone, in
// a failed import and in a done import's skipped rows.
func TestSurveyImportReasonsByRole(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, annual)
	bad := "respondent_id,race,place,respected,again,topics\nr1,white,kent,4,yes,rs\nr2,martian-race,kent,4,yes,rs\nr3,white,kent,4,maybe-secret,rs\n"
	secrets := []string{"martian-race", "maybe-secret"}
	eval := s.key("evaluator", "", "")
	coord := s.key("coordinator", "", "")
	for _, path := range []string{"/api/v1/instruments/annual-2026/imports", "/api/v1/instruments/annual-2026/imports?skip_bad_rows=true"} {
		id := waitImport(t, s, s.Admin, upload(t, s, s.Admin, path, bad).ID).ID
		read := func(key string) (fields, texts []string) {
			var imp app.SurveyImport
			s.expect(200, "GET", "/api/v1/imports/"+id, key, nil).json(t, &imp)
			for _, p := range imp.Problems {
				fields = append(fields, p.Field)
				texts = append(texts, p.Message)
				if p.Hidden != (key == coord) {
					t.Errorf("%s: problem %s hidden %v for the %s key", path, p.Field, p.Hidden, map[bool]string{true: "coordinator's", false: "editor's"}[key == coord])
				}
			}
			if imp.Report != nil {
				for _, sk := range imp.Report.Skipped {
					for _, p := range sk.Problems {
						f, _, _ := strings.Cut(p, ": ")
						fields = append(fields, f)
						texts = append(texts, p)
					}
				}
			}
			return fields, texts
		}
		for _, key := range []string{s.Admin, eval} {
			_, texts := read(key)
			all := strings.Join(texts, "\n")
			for _, secret := range secrets {
				if !strings.Contains(all, secret) {
					t.Errorf("%s: an editor's reasons do not name %q: %s", path, secret, all)
				}
			}
		}
		editorFields, _ := read(eval)
		fields, texts := read(coord)
		if !slices.Equal(fields, editorFields) || !slices.Contains(fields, "rows[3].race") || !slices.Contains(fields, "rows[4].again") {
			t.Errorf("%s: coordinator's fields %v, editor's %v", path, fields, editorFields)
		}
		for _, text := range texts {
			for _, secret := range secrets {
				if strings.Contains(text, secret) {
					t.Errorf("%s: a coordinator reads %q", path, text)
				}
			}
			if !strings.Contains(text, "only evaluators and administrators") {
				t.Errorf("%s: coordinator's reason %q", path, text)
			}
		}
	}
}

func TestSurveyREDCap(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	dict, err := os.ReadFile("../../../../survey/testdata/redcap/checkboxes-1/dictionary.csv")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../../../survey/testdata/redcap/checkboxes-1/data.csv")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/instruments/from-redcap?id=checkboxes&cycle=2026", bytes.NewReader(dict))
	req.Header.Set("Authorization", "Bearer "+s.Admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("from-redcap = %d", resp.StatusCode)
	}
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/checkboxes/imports?format=redcap", string(data)).ID)
	if imp.Status != app.RunDone || imp.Report.Imported != 4 {
		t.Fatalf("import = %+v", imp)
	}
	var fr survey.Frequencies
	s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "unsuppressed"})
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/frequencies/check_two", s.Admin, nil).json(t, &fr)
	// Records 3 and 4 left check_two blank: two answered it.
	if fr.Respondents != 2 || *fr.Options[0].Count != 1 {
		t.Errorf("frequencies = %+v", fr)
	}
	// Unsuppressed figures are for administrators only.
	s.expect(403, "GET", "/api/v1/imports/"+imp.ID+"/frequencies/check_two", s.key("evaluator", "", ""), nil)
	// Four respondents are too few for anyone else.
	imp = waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/checkboxes/imports?format=redcap", string(data)).ID)
	s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh"})
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/frequencies/check_two", s.Admin, nil).json(t, &fr)
	for _, o := range fr.Options {
		if !o.Suppressed {
			t.Errorf("%s shown", o.Code)
		}
	}
}

func TestSurveyImportInterruptedIsMarkedFailed(t *testing.T) {
	dir := t.TempDir()
	s := startIn(t, backend{name: "sqlite"}, false, dir)
	doc, _ := json.Marshal(app.SurveyImport{ID: "imp-x", InstrumentID: "annual-2026", Status: app.RunRunning})
	ctx := context.Background()
	if err := s.App.DB().Write(ctx, func(tx *store.Tx) error {
		return tx.Insert(ctx, store.SurveyImports, store.Record{ID: "imp-x", Doc: doc})
	}); err != nil {
		t.Fatal(err)
	}
	// The crash left the raw upload behind.
	upload := filepath.Join(dir, "uploads", "imp-x")
	if err := os.MkdirAll(filepath.Dir(upload), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(upload, []byte(annualCSV(20, 3)), 0o600); err != nil {
		t.Fatal(err)
	}
	s.App.Close()
	s2 := startIn(t, backend{name: "sqlite"}, false, dir)
	var imp app.SurveyImport
	s2.expect(200, "GET", "/api/v1/imports/imp-x", s2.Admin, nil).json(t, &imp)
	if imp.Status != app.RunFailed {
		t.Errorf("status %s", imp.Status)
	}
	if _, err := os.Stat(upload); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the interrupted import's upload is still on disk after a restart: %v", err)
	}
}

// released uploads annualCSV(n) for a new instrument with the given ID
// and cycle, and releases it; it returns the import.
func released(t *testing.T, s *server, id, cycle string, n int, rel app.ReleaseRequest) app.SurveyImport {
	t.Helper()
	in := annual
	in.ID, in.Cycle = id, cycle
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, in)
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/"+id+"/imports", annualCSV(n, 5)).ID)
	if imp.Status != app.RunDone {
		t.Fatalf("import = %+v", imp)
	}
	s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, rel)
	return imp
}

// TestSurveyReportCaps sends the request of the finding, 150 breakdowns of
// six dimensions each, and releases beyond the caps: each is refused,
// naming the field, with a small body.
func TestSurveyReportCaps(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	imp := released(t, s, "caps", "2026", 200, app.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{survey.ByRace}}})
	coord := s.key("coordinator", "", "")
	q := strings.Repeat("&breakdown=race,gender,age_band,region,place,income", 150)[1:]
	r := s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/report?"+q, coord, nil)
	if got := r.problems(t); !slices.Equal(got, []string{"breakdown"}) {
		t.Errorf("problems %q; want [breakdown]", got)
	}
	if len(r.Body) > 4096 {
		t.Errorf("the refusal is %d bytes", len(r.Body))
	}
	// One breakdown too fine is refused too.
	if got := s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=race,gender,age_band,region", coord, nil).problems(t); !slices.Equal(got, []string{"breakdown"}) {
		t.Errorf("problems %q; want [breakdown]", got)
	}

	in := annual
	in.ID = "caps-2"
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, in)
	imp = waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/caps-2/imports", annualCSV(50, 6)).ID)
	many := make([][]survey.Dimension, survey.MaxBreakdowns+1)
	for k := range many {
		many[k] = []survey.Dimension{survey.ByRace}
	}
	for _, c := range []struct {
		rel   app.ReleaseRequest
		field string
	}{
		{app.ReleaseRequest{Standard: "wa_doh", Breakdowns: many}, "breakdowns"},
		{app.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{survey.ByRace, survey.ByGender, survey.ByAgeBand, survey.ByPlace}}}, "breakdowns[0]"},
		{app.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{"shoe_size"}}}, "breakdowns[0][0]"},
		{app.ReleaseRequest{Standard: "wa_doh", Items: []string{"shoe"}}, "items[0]"},
		{app.ReleaseRequest{Standard: "lenient"}, "standard"},
	} {
		got := s.expect(400, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, c.rel).problems(t)
		if !slices.Contains(got, c.field) {
			t.Errorf("release %+v: problems %q name no %s", c.rel, got, c.field)
		}
	}
}

// TestSurveyCSVEscapesFormulas exports reports of instruments whose ID or
// cycle begins with each character a spreadsheet runs as a formula. A
// cycle beginning with a tab or a carriage return does not get that far:
// control characters are refused in an instrument's texts.
func TestSurveyCSVEscapesFormulas(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	for _, p := range []string{"\t", "\r"} {
		in := annual
		in.ID, in.Cycle = "csv-control", p+"2026"
		if got := s.expect(400, "POST", "/api/v1/instruments", s.Admin, in).problems(t); !slices.Equal(got, []string{"cycle"}) {
			t.Errorf("cycle %q: problems at %v; want cycle", p+"2026", got)
		}
	}
	for k, p := range []string{"=", "+", "-", "@"} {
		id := fmt.Sprintf("csv-%d", k)
		if p == "-" {
			id = "-csv" // instrument IDs may begin with "-" only
		}
		imp := released(t, s, id, p+"2026", 40, app.ReleaseRequest{Standard: "wa_doh"})
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/imports/"+imp.ID+"/report?format=csv", nil)
		req.Header.Set("Authorization", "Bearer "+s.Admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil || len(recs) < 2 {
			t.Fatalf("CSV: %v, %d records", err, len(recs))
		}
		for _, rec := range recs[1:] {
			for j, v := range rec {
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Errorf("%q: %s = %q", p, recs[0][j], v)
				}
			}
			if rec[1] != "'"+p+"2026" || (p == "-" && rec[0] != "'-csv") {
				t.Errorf("%q: record %q", p, rec)
			}
		}
	}
}

// TestSurveyReadsAudited checks that reading a report, a ranking and
// frequencies leaves an audit entry naming the import.
func TestSurveyReadsAudited(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	imp := released(t, s, "audited", "2026", 100, app.ReleaseRequest{Standard: "wa_doh"})
	coord := s.key("coordinator", "", "")
	reads := func() int {
		n := 0
		cursor := ""
		for {
			var page struct {
				Items      []store.AuditEntry `json:"items"`
				NextCursor string             `json:"next_cursor"`
			}
			s.expect(200, "GET", "/api/v1/audit?order=asc&limit=100&cursor="+cursor, s.Admin, nil).json(t, &page)
			for _, e := range page.Items {
				if e.Action == "read" && e.Entity == "survey_report" && e.EntityID == imp.ID {
					n++
				}
			}
			if page.NextCursor == "" {
				return n
			}
			cursor = page.NextCursor
		}
	}
	before := reads()
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/report", coord, nil)
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/rankings/topics", coord, nil)
	if got := reads() - before; got != 2 {
		t.Errorf("%d audited reads after a report and a ranking; want 2", got)
	}
}

// TestSurveyUploadsRemoved checks that no raw upload stays on disk once
// its import is done or failed.
func TestSurveyUploadsRemoved(t *testing.T) {
	dir := t.TempDir()
	s := startIn(t, backend{name: "sqlite"}, false, dir)
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, annual)
	done := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports", annualCSV(30, 2)).ID)
	failed := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports", "respondent_id,race\nr1,martian\n").ID)
	if done.Status != app.RunDone || failed.Status != app.RunFailed {
		t.Fatalf("imports %s and %s", done.Status, failed.Status)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "uploads"))
	for _, e := range entries {
		t.Errorf("upload %s left on disk", e.Name())
	}
	// The responses are in the database: a restart still publishes them.
	s.App.Close()
	s2 := startIn(t, backend{name: "sqlite"}, false, dir)
	s2.expect(201, "POST", "/api/v1/imports/"+done.ID+"/release", s2.Admin, app.ReleaseRequest{Standard: "wa_doh"})
	var rep survey.Report
	s2.expect(200, "GET", "/api/v1/imports/"+done.ID+"/report", s2.Admin, nil).json(t, &rep)
	if rep.Responses != 30 {
		t.Errorf("%d responses after a restart; want 30", rep.Responses)
	}
}

// TestSurveyReleaseWithholdsCrossing: the walk-through's release (race,
// place and race by place over groups of about 34 with about 6 who
// disagree) publishes the program-wide sentence and the one-way tables,
// says at release that the crossing is withheld, and refuses it to readers
// with that reason.
func TestSurveyReleaseWithholdsCrossing(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	coord := s.key("coordinator", "", "")
	in := annual
	in.ID = "rc-2026"
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, in)
	races := []string{"white", "asian", "black", "hispanic_latinx"}
	places := []string{"seattle", "kent", "vashon"}
	var b strings.Builder
	b.WriteString("respondent_id,race,place,respected,again,topics\n")
	for i := range 408 {
		cell := i % 12
		agree := map[bool]string{true: "5", false: "2"}[(i/12)%6 != 0]
		fmt.Fprintf(&b, "r%04d,%s,%s,%s,%s,rs\n", i, races[cell/3], places[cell%3], agree, []string{"yes", "no"}[i%2])
	}
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/rc-2026/imports", b.String()).ID)
	crossed := []survey.Dimension{survey.ByRace, survey.ByPlace}
	var got app.SurveyImport
	s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh", Population: 450,
		Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, crossed}}).json(t, &got)
	if got.Release == nil || !slices.EqualFunc(got.Release.WithheldBreakdowns, [][]survey.Dimension{crossed}, slices.Equal) || len(got.Release.WithheldItems) != 0 {
		t.Fatalf("release = %+v; want the race-by-place crossing withheld and no item", got.Release)
	}
	var rep survey.Report
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=race&breakdown=place", coord, nil).json(t, &rep)
	shown := 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			if !c.Suppressed {
				shown++
			}
		}
		if len(tb.Dimensions) == 0 && (len(tb.Cells) != 1 || tb.Cells[0].Suppressed) {
			t.Errorf("program-wide %s hidden: %+v", tb.Item, tb.Cells)
		}
	}
	if shown < 2*(1+4+3) {
		t.Errorf("%d cells shown; want every program-wide, race and place cell of both items", shown)
	}
	r := s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=race,place", coord, nil)
	if !strings.Contains(string(r.Body), "withheld") {
		t.Errorf("the withheld crossing: %s; want the reason", r.Body)
	}
}

// TestSurveyReleaseInterval: the release names the intervals' method, every
// shown cell carries its standard error, and a reader cannot pick another
// method.
func TestSurveyReleaseInterval(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	coord := s.key("coordinator", "", "")
	imp := released(t, s, "interval-2026", "2026", 300, app.ReleaseRequest{Standard: "wa_doh", Interval: survey.IntervalClopperPearson,
		Breakdowns: [][]survey.Dimension{{survey.ByPlace}}})
	var rep survey.Report
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=place", coord, nil).json(t, &rep)
	if rep.Interval != survey.IntervalClopperPearson {
		t.Errorf("report interval %q; want the release's clopper_pearson", rep.Interval)
	}
	shown := 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			if c.Suppressed || c.Percent == nil { // hidden, or nobody in the group
				continue
			}
			shown++
			if c.SE == nil || *c.SE <= 0 || *c.SE >= 50 {
				t.Errorf("%s %v %s: SE %v; want a standard error in percentage points", tb.Item, tb.Dimensions, c.Group, c.SE)
			}
		}
	}
	if shown == 0 {
		t.Fatal("no cell shown: nothing checked")
	}
	if got := s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/report?interval=wilson", coord, nil).problems(t); !slices.Equal(got, []string{"interval"}) {
		t.Errorf("a reader's interval: problems at %v; want interval", got)
	}
	var stored app.SurveyImport
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID, coord, nil).json(t, &stored)
	if stored.Release == nil || stored.Release.Interval != survey.IntervalClopperPearson {
		t.Errorf("stored release %+v; want its interval", stored.Release)
	}
}

// TestSurveyImportFlagsParsed: ?skip_bad_rows= that is not a boolean is
// refused, naming it, rather than read as false; nothing is imported.
func TestSurveyImportFlagsParsed(t *testing.T) {
	dir := t.TempDir()
	s := startIn(t, backend{name: "sqlite"}, false, dir)
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, annual)
	r := s.expect(400, "POST", "/api/v1/instruments/annual-2026/imports?skip_bad_rows=maybe", s.Admin, annualCSV(5, 1))
	if got := r.problems(t); !slices.Equal(got, []string{"skip_bad_rows"}) {
		t.Errorf("problems at %v; want skip_bad_rows", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "uploads")); len(entries) != 0 {
		t.Errorf("a refused import left %d uploads", len(entries))
	}
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports?skip_bad_rows=true", annualCSV(5, 1)).ID)
	if imp.Status != app.RunDone || !imp.SkipBadRows {
		t.Errorf("import = %s, skip %v; want done, skipping bad rows", imp.Status, imp.SkipBadRows)
	}
}

// TestSurveyImportLimit uploads a file beyond the import limit: 413, no
// import stored, and no upload left on disk; a file within it imports.
func TestSurveyImportLimit(t *testing.T) {
	dir := t.TempDir()
	s := startWith(t, backend{name: "sqlite"}, app.Config{Data: dir, NoDemo: true, ImportLimit: "4K"})
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, annual)
	big := annualCSV(400, 1)
	if len(big) <= 4<<10 {
		t.Fatalf("the file is %d bytes: not beyond the limit", len(big))
	}
	s.expect(413, "POST", "/api/v1/instruments/annual-2026/imports", s.Admin, big)
	if entries, _ := os.ReadDir(filepath.Join(dir, "uploads")); len(entries) != 0 {
		t.Errorf("a refused upload left %d files", len(entries))
	}
	n, err := s.App.DB().Count(context.Background(), store.SurveyImports)
	if err != nil || n != 0 {
		t.Errorf("%d imports stored (%v) after a refused upload; want none", n, err)
	}
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports", annualCSV(20, 1)).ID)
	if imp.Status != app.RunDone {
		t.Errorf("an import within the limit reads %s", imp.Status)
	}
}
