package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
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
	s.expect(403, "GET", "/api/v1/imports/"+imp.ID+"/report?standard=unsuppressed", coord, nil)
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/report?standard=unsuppressed", s.Admin, nil)
	s.expect(400, "GET", "/api/v1/imports/"+imp.ID+"/report?breakdown=shoe_size", coord, nil)

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

	// The topics ranking.
	var rk survey.RankResult
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/rankings/topics", coord, nil).json(t, &rk)
	if rk.Suppressed || len(rk.Options) != 3 || rk.Options[0].Place != 1 {
		t.Errorf("ranking = %+v", rk)
	}

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
	// Skipping bad rows imports the rest.
	imp = waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/annual-2026/imports?skip_bad_rows=true", bad).ID)
	if imp.Status != app.RunDone || imp.Report.Imported != 1 || len(imp.Report.Skipped) != 2 {
		t.Fatalf("import = %+v", imp.Report)
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
	s.expect(200, "GET", "/api/v1/imports/"+imp.ID+"/frequencies/check_two?standard=unsuppressed", s.Admin, nil).json(t, &fr)
	// Records 3 and 4 left check_two blank: two answered it.
	if fr.Respondents != 2 || *fr.Options[0].Count != 1 {
		t.Errorf("frequencies = %+v", fr)
	}
	// Four respondents are too few for anyone else.
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
	s.App.Close()
	s2 := startIn(t, backend{name: "sqlite"}, false, dir)
	var imp app.SurveyImport
	s2.expect(200, "GET", "/api/v1/imports/imp-x", s2.Admin, nil).json(t, &imp)
	if imp.Status != app.RunFailed {
		t.Errorf("status %s", imp.Status)
	}
}
