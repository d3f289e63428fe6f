package app_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// cycleImport creates the annual instrument under an ID and cycle and
// imports n responses drawn with a seed, without releasing them.
func cycleImport(t *testing.T, s *server, id, cycle string, n int, seed uint64) (app.SurveyImport, string) {
	t.Helper()
	in := annual
	in.ID, in.Cycle = id, cycle
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, in)
	file := annualCSV(n, seed)
	imp := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/"+id+"/imports", file).ID)
	if imp.Status != app.RunDone {
		t.Fatalf("import = %+v", imp)
	}
	return imp, file
}

// surveyReads counts the audited reads of an import's figures.
func surveyReads(t *testing.T, s *server, id string) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		var page struct {
			Items      []store.AuditEntry `json:"items"`
			NextCursor string             `json:"next_cursor"`
		}
		s.expect(200, "GET", "/api/v1/audit?order=asc&limit=100&cursor="+cursor, s.Admin, nil).json(t, &page)
		for _, e := range page.Items {
			if e.Action == "read" && e.Entity == "survey_report" && e.EntityID == id {
				n++
			}
		}
		if page.NextCursor == "" {
			return n
		}
		cursor = page.NextCursor
	}
}

// TestSurveyTrendOverHTTP releases two cycles and reads their trend: every
// figure is recomputed from the two published reports the same readers
// get, a cell hidden in either has none, and each bad input is refused
// with its status and field.
func TestSurveyTrendOverHTTP(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	coord := s.key("coordinator", "", "")
	eval := s.key("evaluator", "", "")
	early, _ := cycleImport(t, s, "annual-2025", "2025", 260, 21)
	late, _ := cycleImport(t, s, "annual-2026", "2026", 340, 22)
	base := "/api/v1/imports/" + late.ID + "/trend?from=" + early.ID

	// Nothing before both releases.
	s.expect(409, "GET", base, coord, nil)
	s.expect(201, "POST", "/api/v1/imports/"+late.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh",
		Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, {survey.ByRace, survey.ByPlace}}})
	s.expect(409, "GET", base, coord, nil)
	s.expect(201, "POST", "/api/v1/imports/"+early.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh",
		Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}}})

	before := [2]int{surveyReads(t, s, late.ID), surveyReads(t, s, early.ID)}
	var tr survey.Trend
	s.expect(200, "GET", base+"&breakdown=race&breakdown=place", coord, nil).json(t, &tr)
	if got := [2]int{surveyReads(t, s, late.ID), surveyReads(t, s, early.ID)}; got != [2]int{before[0] + 1, before[1] + 1} {
		t.Errorf("audited reads %v after a trend; want %v plus one each", got, before)
	}
	if tr.From.Cycle != "2025" || tr.To.Cycle != "2026" || tr.To.Responses != 340 {
		t.Errorf("trend sides %+v -> %+v", tr.From, tr.To)
	}

	// Every figure from the reports readers get.
	var reps [2]survey.Report
	s.expect(200, "GET", "/api/v1/imports/"+early.ID+"/report?breakdown=race&breakdown=place", coord, nil).json(t, &reps[0])
	s.expect(200, "GET", "/api/v1/imports/"+late.ID+"/report?breakdown=race&breakdown=place", coord, nil).json(t, &reps[1])
	cell := func(rep survey.Report, item string, dims []survey.Dimension, group []string) (survey.Cell, bool) {
		for _, tb := range rep.Tables {
			if tb.Item == item && slices.Equal(tb.Dimensions, dims) {
				for _, c := range tb.Cells {
					if slices.Equal(c.Group, group) {
						return c, true
					}
				}
			}
		}
		return survey.Cell{}, false
	}
	var ps []float64
	var tested []survey.TrendCell
	hiddenOne := 0
	for _, tb := range tr.Tables {
		for _, tc := range tb.Cells {
			a, okA := cell(reps[0], tb.Item, tb.Dimensions, tc.Group)
			b, okB := cell(reps[1], tb.Item, tb.Dimensions, tc.Group)
			hidden := func(c survey.Cell) bool { return c.Suppressed || c.Range != "" }
			if !okA || !okB || hidden(a) || hidden(b) || a.Percent == nil || b.Percent == nil {
				if tc.Missing == "" || tc.Z != nil || tc.From != nil || tc.To != nil || tc.Points != nil || tc.MeanDifference != nil {
					t.Errorf("%s %v: no figure in a release, yet %+v", tb.Item, tc.Group, tc)
				}
				if okA && okB && hidden(a) != hidden(b) {
					hiddenOne++
				}
				continue
			}
			diff, s1, s2 := *b.Percent-*a.Percent, *a.SE, *b.SE
			if tb.Item == "respected" { // Likert: the means
				diff, s1, s2 = *b.Mean-*a.Mean, *a.MeanSE, *b.MeanSE
			}
			z := diff / math.Sqrt(s1*s1+s2*s2)
			p := math.Erfc(math.Abs(z) / math.Sqrt2)
			if tc.Z == nil || math.Abs(*tc.Z-z) > 1e-9 || math.Abs(*tc.PValue-p) > 1e-9 {
				t.Errorf("%s %v: %+v; want z %v p %v", tb.Item, tc.Group, tc, z, p)
				continue
			}
			ps = append(ps, p)
			tested = append(tested, tc)
		}
	}
	if len(tested) < 6 || hiddenOne == 0 {
		t.Fatalf("%d cells tested, %d hidden in one release only: the data checks too little", len(tested), hiddenOne)
	}
	// Holm, step-down, in the order of the p-values.
	order := make([]int, len(ps))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmpFloat(ps[x], ps[y]) })
	running := 0.0
	for k, i := range order {
		running = math.Max(running, math.Min(1, float64(len(ps)-k)*ps[i]))
		if got := *tested[i].AdjustedPValue; math.Abs(got-running) > 1e-9 {
			t.Errorf("%v: adjusted %v; want %v", tested[i].Group, got, running)
		}
	}
	if tr.Compared != len(tested) {
		t.Errorf("compared %d; want %d", tr.Compared, len(tested))
	}

	// Bad inputs, each with its status and field.
	other, _ := cycleImport(t, s, "other-2025", "2025", 120, 23)
	otherIn := survey.Instrument{ID: "short-2025", Version: "1", Cycle: "2025", Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Again?"}}}
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, otherIn)
	short := waitImport(t, s, s.Admin, upload(t, s, s.Admin, "/api/v1/instruments/short-2025/imports", "respondent_id,again\n"+strings.Repeat("r1,yes\n", 1)).ID)
	s.expect(201, "POST", "/api/v1/imports/"+short.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh"})
	for _, c := range []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/imports/" + late.ID + "/trend", 400, "from"},
		{base + "&breakdown=race,place", 400, "breakdown"}, // the later release's only
		{base + "&breakdown=gender", 400, "breakdown"},
		{base + "&breakdown=race,place,gender,income", 400, "breakdown"},
		{base + "&items=shoe", 400, "items"},
		{base + "&standard=unsuppressed", 400, "standard"},
		{"/api/v1/imports/" + late.ID + "/trend?from=" + short.ID, 400, "from"},
		{"/api/v1/imports/" + late.ID + "/trend?from=imp-none", 404, "?from="},
		{"/api/v1/imports/imp-none/trend?from=" + early.ID, 404, "imp-none"},
		{"/api/v1/imports/" + late.ID + "/trend?from=" + other.ID, 409, ""},
	} {
		r := s.expect(c.status, "GET", c.path, eval, nil)
		if c.status == 404 && !strings.Contains(string(r.Body), c.field) {
			t.Errorf("GET %s: %s; want a message naming %s", c.path, r.Body, c.field)
		}
		if c.status == 400 && !slices.Contains(r.problems(t), c.field) {
			t.Errorf("GET %s: problems %q name no %s", c.path, r.problems(t), c.field)
		}
	}
	s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-a"))
	s.expect(403, "GET", base, s.key("agency", "org-a", ""), nil)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestSurveyPairedOverHTTP compares an item between two released imports
// of the same respondents under the later release's standard, and
// refuses each bad input.
func TestSurveyPairedOverHTTP(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	coord := s.key("coordinator", "", "")
	pre, preFile := cycleImport(t, s, "cert-pre", "2025", 200, 31)
	// The same respondent IDs after: annualCSV numbers them alike.
	post, postFile := cycleImport(t, s, "cert-post", "2026", 240, 32)
	path := "/api/v1/imports/" + post.ID + "/paired?before=" + pre.ID + "&item=again"
	s.expect(409, "GET", path, coord, nil)
	s.expect(201, "POST", "/api/v1/imports/"+post.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "nchs"})
	s.expect(409, "GET", path, coord, nil)
	s.expect(201, "POST", "/api/v1/imports/"+pre.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh"})

	// The same comparison computed here from the two files, under the
	// later release's standard (NCHS), matched respondents only.
	parse := func(id, file string) *survey.Set {
		in := annual
		in.ID = id
		set, _, err := survey.ImportCSV(strings.NewReader(file), in, survey.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return set
	}
	for _, item := range []string{"again", "respected"} {
		want, err := survey.ComparePaired(parse("cert-pre", preFile), parse("cert-post", postFile), item, survey.NCHS())
		if err != nil {
			t.Fatal(err)
		}
		if want.Pairs != 200 || want.UnmatchedAfter != 40 {
			t.Fatalf("%s: %d pairs, %d after only; want 200 and 40", item, want.Pairs, want.UnmatchedAfter)
		}
		var got survey.Paired
		reads := surveyReads(t, s, pre.ID)
		s.expect(200, "GET", "/api/v1/imports/"+post.ID+"/paired?before="+pre.ID+"&item="+item, coord, nil).json(t, &got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", item, diff)
		}
		if surveyReads(t, s, pre.ID) != reads+1 {
			t.Errorf("%s: the earlier import's read is not audited", item)
		}
	}
	// Later, 35 of the same respondents, released unsuppressed: the
	// comparison shows what the earlier release's WA DOH would hide (a
	// kind of pair under 10), to an administrator only.
	small, smallFile := cycleImport(t, s, "cert-small", "2027", 35, 34)
	s.expect(201, "POST", "/api/v1/imports/"+small.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "unsuppressed"})
	if wa, _ := survey.ComparePaired(parse("cert-pre", preFile), parse("cert-small", smallFile), "again", survey.WADOH()); !wa.Suppressed {
		t.Fatalf("WA DOH shows 35 pairs: %+v", wa)
	}
	want, _ := survey.ComparePaired(parse("cert-pre", preFile), parse("cert-small", smallFile), "again", survey.Unsuppressed())
	var got survey.Paired
	smallPath := "/api/v1/imports/" + small.ID + "/paired?before=" + pre.ID + "&item=again"
	s.expect(200, "GET", smallPath, s.Admin, nil).json(t, &got)
	if diff := cmp.Diff(want, got); diff != "" || got.Suppressed || got.Pairs != 35 {
		t.Errorf("35 pairs under the later release's standard (-want +got):\n%s", diff)
	}
	s.expect(403, "GET", smallPath, coord, nil)
	s.expect(403, "GET", "/api/v1/imports/"+pre.ID+"/paired?before="+small.ID+"&item=again", coord, nil)

	// An item a release withholds: 35 responses to the earlier cycle
	// under WA DOH hide the program-wide figures.
	tiny, _ := cycleImport(t, s, "cert-tiny", "2024", 35, 35)
	var rel app.SurveyImport
	s.expect(201, "POST", "/api/v1/imports/"+tiny.ID+"/release", s.Admin, app.ReleaseRequest{Standard: "wa_doh"}).json(t, &rel)
	if !slices.Contains(rel.Release.WithheldItems, "again") {
		t.Fatalf("release of 35: withheld %v; want again", rel.Release.WithheldItems)
	}
	if got := s.expect(400, "GET", "/api/v1/imports/"+post.ID+"/paired?before="+tiny.ID+"&item=again", coord, nil).problems(t); !slices.Equal(got, []string{"item"}) {
		t.Errorf("withheld item: problems %q; want [item]", got)
	}

	unreleased, _ := cycleImport(t, s, "cert-late", "2027", 50, 33)
	for _, c := range []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/imports/" + post.ID + "/paired?item=again", 400, "before"},
		{"/api/v1/imports/" + post.ID + "/paired?before=" + pre.ID, 400, "item"},
		{"/api/v1/imports/" + post.ID + "/paired?before=" + pre.ID + "&item=topics", 400, "item"}, // a ranking: no table
		{path + "&breakdown=race", 400, "breakdown"},
		{path + "&standard=unsuppressed", 400, "standard"},
		{"/api/v1/imports/" + post.ID + "/paired?before=" + pre.ID + "&item=shoe", 404, "shoe"},
		{"/api/v1/imports/" + post.ID + "/paired?before=imp-none&item=again", 404, "?before="},
		{"/api/v1/imports/imp-none/paired?before=" + pre.ID + "&item=again", 404, "imp-none"},
		{"/api/v1/imports/" + post.ID + "/paired?before=" + unreleased.ID + "&item=again", 409, ""},
	} {
		r := s.expect(c.status, "GET", c.path, coord, nil)
		if c.status == 404 && !strings.Contains(string(r.Body), c.field) {
			t.Errorf("GET %s: %s; want a message naming %s", c.path, r.Body, c.field)
		}
		if c.status == 400 && !slices.Contains(r.problems(t), c.field) {
			t.Errorf("GET %s: problems %q name no %s", c.path, r.problems(t), c.field)
		}
	}
	s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-a"))
	s.expect(403, "GET", path, s.key("agency", "org-a", ""), nil)
}
