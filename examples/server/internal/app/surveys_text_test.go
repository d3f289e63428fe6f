package app_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/survey"
)

// whyCell is a published cell as a reader decodes it, with the words.
type whyCell struct {
	Group      []string `json:"group"`
	Suppressed bool     `json:"suppressed"`
	Range      string   `json:"range"`
	Rule       string   `json:"rule"`
	Missing    string   `json:"missing"`
	Why        string   `json:"why"`
}

// checkWhy fails unless a hidden figure's why is words: a sentence that
// names its standard, never the bare code.
func checkWhy(t *testing.T, where, code, why string) {
	t.Helper()
	switch {
	case why == "":
		t.Errorf("%s: hidden (%s) without a why", where, code)
	case strings.Contains(why, code) || strings.Contains(why, "_"):
		t.Errorf("%s: why %q is a code, not words", where, why)
	case !strings.HasSuffix(why, "."):
		t.Errorf("%s: why %q is not a sentence", where, why)
	}
}

// TestSurveyHiddenFiguresSayWhy reads a report, a ranking, a trend and a
// paired comparison whose releases hide figures: every hidden, top-coded
// or missing figure says why in words beside its code, shown figures say
// nothing, and the import's times are RFC 3339 in UTC.
func TestSurveyHiddenFiguresSayWhy(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	coord := s.key("coordinator", "", "")
	crossed := app.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByRace, survey.ByPlace}, {survey.ByPlace}}}
	from, _ := cycleImport(t, s, "why-2025", "2025", 300, 1)
	to, _ := cycleImport(t, s, "why-2026", "2026", 300, 1)
	for _, imp := range []app.SurveyImport{from, to} {
		s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, crossed)
	}

	var rep struct {
		Tables []struct {
			Item  string    `json:"item"`
			Cells []whyCell `json:"cells"`
		} `json:"tables"`
	}
	s.expect(200, "GET", "/api/v1/imports/"+to.ID+"/report?breakdown=race,place", coord, nil).json(t, &rep)
	hidden := 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			where := tb.Item + " " + strings.Join(c.Group, "/")
			if c.Suppressed || c.Range != "" {
				hidden++
				checkWhy(t, where, c.Rule, c.Why)
				if !strings.Contains(c.Why, "Washington State Department of Health") {
					t.Errorf("%s: why %q does not name the release's standard", where, c.Why)
				}
			} else if c.Why != "" {
				t.Errorf("%s: a shown cell says %q", where, c.Why)
			}
		}
	}
	if hidden == 0 {
		t.Fatal("no cell hidden in a race by place report of 300 responses: nothing checked")
	}

	// The CSV download says the same, in its last column.
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/imports/"+to.ID+"/report?breakdown=race,place&format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+coord)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(recs) < 2 {
		t.Fatalf("CSV: %v, %d records", err, len(recs))
	}
	head := recs[0]
	col := func(name string) int {
		t.Helper()
		k := slices.Index(head, name)
		if k < 0 {
			t.Fatalf("the CSV has no %s column: %q", name, head)
		}
		return k
	}
	suppressed, rng, rule, why := col("suppressed"), col("range"), col("rule"), col("why")
	hiddenRows := 0
	for _, rec := range recs[1:] {
		if rec[suppressed] == "true" || rec[rng] != "" {
			hiddenRows++
			checkWhy(t, "CSV "+strings.Join(rec[:5], ","), rec[rule], rec[why])
		} else if rec[why] != "" {
			t.Errorf("CSV %q: a shown cell says %q", rec[:5], rec[why])
		}
	}
	if hiddenRows != hidden {
		t.Errorf("the CSV hides %d cells, the JSON %d", hiddenRows, hidden)
	}

	var tr struct {
		Tables []struct {
			Cells []whyCell `json:"cells"`
		} `json:"tables"`
	}
	s.expect(200, "GET", "/api/v1/imports/"+to.ID+"/trend?from="+from.ID+"&breakdown=race,place", coord, nil).json(t, &tr)
	missing := 0
	for _, tb := range tr.Tables {
		for _, c := range tb.Cells {
			if c.Missing != "" {
				missing++
				checkWhy(t, "trend "+strings.Join(c.Group, "/"), c.Missing, c.Why)
			} else if c.Why != "" {
				t.Errorf("trend %v: a cell with a figure says %q", c.Group, c.Why)
			}
		}
	}
	if missing == 0 {
		t.Fatal("no trend cell without a figure: nothing checked")
	}

	// Eight respondents: the ranking is hidden.
	few := released(t, s, "why-few", "2026", 8, app.ReleaseRequest{Standard: "wa_doh"})
	var rk whyCell
	s.expect(200, "GET", "/api/v1/imports/"+few.ID+"/rankings/topics", coord, nil).json(t, &rk)
	if !rk.Suppressed {
		t.Fatalf("a ranking by 8 respondents is shown: %+v", rk)
	}
	checkWhy(t, "ranking", rk.Rule, rk.Why)

	// The same 40 people twice, three of whom changed their answer: the
	// totals are shown, the paired comparison is hidden.
	panel := func(id, cycle string, changed int) app.SurveyImport {
		in := annual
		in.ID, in.Cycle = id, cycle
		s.expect(201, "POST", "/api/v1/instruments", s.Admin, in)
		var b strings.Builder
		b.WriteString("respondent_id,race,place,respected,again,topics\n")
		for i := range 40 {
			again := map[bool]string{true: "yes", false: "no"}[i >= changed && i < 20]
			fmt.Fprintf(&b, "p%02d,white,seattle,4,%s,rs\n", i, again)
		}
		imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/"+id+"/imports", b.String()).ID)
		s.expect(201, "POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh"})
		return imp
	}
	before, after := panel("why-panel-2025", "2025", 0), panel("why-panel-2026", "2026", 3)
	var pr whyCell
	s.expect(200, "GET", "/api/v1/imports/"+after.ID+"/paired?before="+before.ID+"&item=again", coord, nil).json(t, &pr)
	if !pr.Suppressed {
		t.Fatalf("a paired comparison in which 3 people changed is shown: %+v", pr)
	}
	checkWhy(t, "paired", pr.Rule, pr.Why)
	if !strings.Contains(pr.Why, "fewer than 10 people") {
		t.Errorf("paired why %q does not give the threshold", pr.Why)
	}

	// Times are RFC 3339, in UTC.
	var raw struct {
		CreatedAt  string `json:"created_at"`
		FinishedAt string `json:"finished_at"`
		Release    struct {
			ReleasedAt string `json:"released_at"`
		} `json:"release"`
	}
	r := s.expect(200, "GET", "/api/v1/imports/"+to.ID, coord, nil)
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"created_at": raw.CreatedAt, "finished_at": raw.FinishedAt, "release.released_at": raw.Release.ReleasedAt} {
		if at, err := time.Parse(time.RFC3339, v); err != nil || !strings.HasSuffix(v, "Z") || at.IsZero() {
			t.Errorf("%s = %q; want an RFC 3339 time in UTC (%v)", name, v, err)
		}
	}
}
