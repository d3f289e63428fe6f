package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// getIn reads path with an Accept-Language header and returns the body
// and the answer's Content-Language.
func getIn(t *testing.T, s *server, key, path, lang string) ([]byte, string) {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept-Language", lang)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d; want 200\n%s", path, resp.StatusCode, b)
	}
	return b, resp.Header.Get("Content-Language")
}

// reasonJSON is a reason as answered.
type reasonJSON struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params"`
	Text   *string           `json:"text"`
}

// codeWord matches a word in code form: lowercase words joined by
// underscores. The one such word a text may hold is the name of the
// option it tells coordinators to set.
var codeWord = regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`)

// checkText fails unless r's text is a sentence that holds no code and,
// for a reason about languages, names them in English.
func checkText(t *testing.T, who string, r reasonJSON, lang string) string {
	t.Helper()
	if r.Text == nil || strings.TrimSpace(*r.Text) == "" {
		t.Errorf("%s (%s): reason %q has no text", who, lang, r.Code)
		return ""
	}
	txt := *r.Text
	if strings.Contains(txt, r.Code) {
		t.Errorf("%s (%s): text %q holds the raw code %q", who, lang, txt, r.Code)
	}
	for _, w := range codeWord.FindAllString(txt, -1) {
		if w != "allow_underfilled" {
			t.Errorf("%s (%s): text %q holds the code-like word %q", who, lang, txt, w)
		}
	}
	if r.Params["attr"] == grouping.AttrLanguages && lang == "en" {
		for _, v := range strings.Split(r.Params["values"], ",") {
			if name := bsk.Language(v).Name(); v != "" && !strings.Contains(txt, name) {
				t.Errorf("%s (en): text %q does not name the language %s (%q)", who, txt, v, name)
			}
		}
	}
	return txt
}

// TestGroupingReasonTexts: every member a demo reflective consultation run
// leaves out, and every group it leaves without a consultant, comes with a
// text in the reader's language (Accept-Language) beside the code and its
// parameters, in each language the county serves (the drafts cover these
// reasons); the rosters give the same texts
// with the members' names.
func TestGroupingReasonTexts(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coord := s.key("coordinator", "", "")
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
		Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.5, Seed: 2}).json(t, &run)
	run = waitFinished(t, s, coord, run.ID)
	if run.Status != app.RunDone {
		t.Fatalf("run ended %s: %+v", run.Status, run.Error)
	}

	type answer struct {
		Language string `json:"language"`
		Unplaced []struct {
			Member string     `json:"member"`
			Reason reasonJSON `json:"reason"`
		} `json:"unplaced"`
		Unled []struct {
			Group  int        `json:"group"`
			Reason reasonJSON `json:"reason"`
		} `json:"unled"`
		Solution struct {
			Unplaced []struct {
				Member string     `json:"member"`
				Reason reasonJSON `json:"reason"`
			} `json:"unplaced"`
		} `json:"solution"`
	}
	texts := map[string]map[string]string{} // language -> member -> text
	for _, tc := range []struct{ header, lang string }{{"en-US,en;q=0.9", "en"}, {"es-MX,es;q=0.8", "es"},
		{"vi-VN,vi;q=0.9,en;q=0.5", "vi"}, {"ru", "ru"}, {"so-SO", "so"}, {"ko-KR", "ko"}, {"zh-CN,zh;q=0.9", "zh"}} {
		body, cl := getIn(t, s, coord, "/api/v1/grouping-runs/"+run.ID, tc.header)
		var a answer
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatal(err)
		}
		if cl != tc.lang || a.Language != tc.lang {
			t.Errorf("Accept-Language %q: Content-Language %q, language %q; want %q", tc.header, cl, a.Language, tc.lang)
		}
		if len(a.Solution.Unplaced) == 0 {
			t.Fatal("the demo run placed everyone; the test needs members left out")
		}
		if len(a.Unplaced) != len(a.Solution.Unplaced) {
			t.Fatalf("%d unplaced with texts for %d unplaced in the solution", len(a.Unplaced), len(a.Solution.Unplaced))
		}
		texts[tc.lang] = map[string]string{}
		for i, u := range a.Unplaced {
			sol := a.Solution.Unplaced[i]
			if u.Member != sol.Member || u.Reason.Code != sol.Reason.Code || len(u.Reason.Params) != len(sol.Reason.Params) {
				t.Errorf("unplaced %d: %s %q %v; the solution has %s %q %v", i, u.Member, u.Reason.Code, u.Reason.Params,
					sol.Member, sol.Reason.Code, sol.Reason.Params)
			}
			if u.Reason.Code == "" {
				t.Errorf("%s: reason without its code", u.Member)
			}
			texts[tc.lang][u.Member] = checkText(t, u.Member, u.Reason, tc.lang)
		}
		for _, u := range a.Unled {
			if u.Reason.Code == "" {
				t.Errorf("unled group %d: reason without its code", u.Group)
			}
			checkText(t, "unled group", u.Reason, tc.lang)
		}
	}
	for m, en := range texts["en"] {
		for _, l := range []string{"es", "vi", "ru", "so", "ko", "zh"} {
			if got := texts[l][m]; got == en {
				t.Errorf("%s: the %s text is the English one: %q", m, l, en)
			}
		}
	}

	// The rosters: the unplaced with their names and texts, and any group
	// without a consultant with its reason.
	people := map[string]string{}
	for _, pv := range providersOf(t, s) {
		people[string(pv.ID)] = pv.Name
	}
	body, cl := getIn(t, s, coord, "/api/v1/grouping-runs/"+run.ID+"/rosters", "es")
	var rs struct {
		Language string `json:"language"`
		Rosters  []struct {
			Group   int               `json:"group"`
			Leader  string            `json:"leader"`
			Members []json.RawMessage `json:"members"`
			Unled   *reasonJSON       `json:"unled"`
		} `json:"rosters"`
		Unplaced []struct {
			Member string     `json:"member"`
			Name   string     `json:"name"`
			Reason reasonJSON `json:"reason"`
		} `json:"unplaced"`
	}
	if err := json.Unmarshal(body, &rs); err != nil {
		t.Fatal(err)
	}
	if cl != "es" || rs.Language != "es" {
		t.Errorf("rosters: Content-Language %q, language %q; want es", cl, rs.Language)
	}
	if len(rs.Unplaced) != len(texts["es"]) {
		t.Errorf("rosters list %d unplaced; the run %d", len(rs.Unplaced), len(texts["es"]))
	}
	for _, u := range rs.Unplaced {
		if u.Name == "" || u.Name != people[u.Member] {
			t.Errorf("rosters: unplaced %s named %q; want %q", u.Member, u.Name, people[u.Member])
		}
		if got := checkText(t, u.Member, u.Reason, "es"); got != texts["es"][u.Member] {
			t.Errorf("rosters: %s reads %q; the run %q", u.Member, got, texts["es"][u.Member])
		}
	}
	for _, r := range rs.Rosters {
		if len(r.Members) > 0 && r.Leader == "" && r.Unled == nil {
			t.Errorf("roster %d has no consultant and no reason", r.Group)
		}
		if r.Leader != "" && r.Unled != nil {
			t.Errorf("roster %d has consultant %s and an unled reason %+v", r.Group, r.Leader, *r.Unled)
		}
		if r.Unled != nil {
			checkText(t, "roster", *r.Unled, "es")
		}
	}
}
