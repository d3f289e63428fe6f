package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// readCSV parses a download, without its byte-order mark, into its
// tables (each begins with a line that names it, left out).
func readCSV(t testing.TB, body string) [][][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the download is not CSV: %v\n%s", err, body)
	}
	var out [][][]string
	for _, rec := range recs {
		if len(rec) == 1 {
			out = append(out, nil)
			continue
		}
		if len(out) == 0 {
			t.Fatalf("the download does not begin with a table's name:\n%s", body)
		}
		out[len(out)-1] = append(out[len(out)-1], rec)
	}
	return out
}

// readXLSX reads every worksheet of a download.
func readXLSX(t *testing.T, body string) [][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	var out [][][]string
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rows)
	}
	return out
}

var (
	cellRE  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	rowRE   = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	tableRE = regexp.MustCompile(`(?s)<table[^>]*>(.*?)</table>`)
	tagRE   = regexp.MustCompile(`<[^>]+>`)
)

// pageTables are the page's tables as text, cell by cell (headers too),
// after the first skip tables.
func pageTables(body string, skip int) [][][]string {
	var out [][][]string
	for i, tm := range tableRE.FindAllStringSubmatch(body, -1) {
		if i < skip {
			continue
		}
		var rows [][]string
		for _, rm := range rowRE.FindAllStringSubmatch(tm[1], -1) {
			var cells []string
			for _, cm := range cellRE.FindAllStringSubmatch(rm[1], -1) {
				cells = append(cells, html.UnescapeString(strings.TrimSpace(tagRE.ReplaceAllString(cm[1], ""))))
			}
			rows = append(rows, cells)
		}
		out = append(out, rows)
	}
	return out
}

// TestSurveyDownloadsAndCharts: an evaluator's CSV and Excel downloads of
// a report by race hold exactly the page's cells, suppressed cells as
// "suppressed"; each table has a chart beside it with a title and a
// description, a bar and whisker for each shown figure and the word
// "suppressed", never a bar, for each hidden one. Agencies and consultants
// get neither the page nor the downloads.
func TestSurveyDownloadsAndCharts(t *testing.T) {
	s := start(t, true)
	id := releasedSurvey(t, s, 80)
	var rep service.SurveyReport
	_, body := s.api("GET", "/api/v1/imports/"+id+"/report?breakdown=race", s.Admin, nil)
	json.Unmarshal(body, &rep)
	hidden, shown := 0, 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			if c.Suppressed {
				hidden++
			} else if c.Percent != nil {
				shown++
			}
		}
	}
	if hidden == 0 || shown == 0 {
		t.Fatalf("the data gives %d hidden and %d shown cells; the test needs both", hidden, shown)
	}
	key, _ := s.key("evaluator", "", "")
	b := s.browser()
	b.signIn(key)
	q := "?import=" + url.QueryEscape(id) + "&by=race"
	p := b.get("/web/reports" + q)
	if p.Status != 200 {
		t.Fatalf("report = %d\n%s", p.Status, p.Body)
	}
	page := pageTables(p.Body, 0)
	if len(page) != len(rep.Tables) {
		t.Fatalf("the page has %d tables; the report %d", len(page), len(rep.Tables))
	}
	c := b.get("/web/reports.csv" + q)
	if c.Status != 200 || !strings.HasPrefix(c.Header.Get("Content-Type"), "text/csv") || !strings.Contains(c.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV = %d %v", c.Status, c.Header)
	}
	x := b.get("/web/reports.xlsx" + q)
	if x.Status != 200 {
		t.Fatalf("Excel = %d", x.Status)
	}
	for name, got := range map[string][][][]string{"CSV": readCSV(t, c.Body), "Excel": readXLSX(t, x.Body)} {
		if len(got) != len(page) {
			t.Errorf("%s has %d tables; the page %d", name, len(got), len(page))
			continue
		}
		n := 0
		for i := range page {
			if !slices.EqualFunc(got[i], page[i], func(a, b []string) bool { return slices.Equal(trimEmpty(a), trimEmpty(b)) }) {
				t.Errorf("%s table %d = %q; the page shows %q", name, i, got[i], page[i])
			}
			for _, r := range got[i] {
				n += strings.Count(strings.Join(r, "\x00"), "\x00suppressed\x00")
			}
		}
		if n != hidden {
			t.Errorf("%s holds %d suppressed cells; the API hides %d", name, n, hidden)
		}
	}

	// The charts.
	svgs := regexp.MustCompile(`(?s)<svg[^>]*role="img"[^>]*>.*?</svg>`).FindAllString(p.Body, -1)
	if len(svgs) != len(rep.Tables) {
		t.Fatalf("%d charts for %d tables", len(svgs), len(rep.Tables))
	}
	bars, whiskers, marks := 0, 0, 0
	for _, svg := range svgs {
		if !strings.Contains(svg, "<title id=") || !strings.Contains(svg, "<desc id=") {
			t.Errorf("a chart without its title or description: %.200s", svg)
		}
		bars += strings.Count(svg, `<rect class="bar"`)
		whiskers += strings.Count(svg, `<path class="whisker"`)
		marks += strings.Count(svg, `class="hidden-mark"`+` x=`) - strings.Count(svg, `>—</text>`)
	}
	if bars != shown || whiskers != shown || marks != hidden {
		t.Errorf("charts draw %d bars and %d whiskers and write %d hidden marks; the report shows %d cells and hides %d", bars, whiskers, marks, shown, hidden)
	}
	// Each bar's label is the table's figure and interval.
	for _, tb := range page {
		for _, r := range tb[1:] {
			if r[len(r)-3] != "—" && r[len(r)-3] != "suppressed" {
				if want := r[len(r)-3] + " (" + r[len(r)-2] + ")"; !strings.Contains(p.Body, ">"+want+"</text>") {
					t.Errorf("no bar labelled %q", want)
				}
			}
		}
	}

	// Who may download: staff yes; agencies and consultants no.
	coord, _ := s.key("coordinator", "", "")
	agency, _ := s.key("agency", "org-001", "")
	consultant, _ := s.key("consultant", "", "prov-00001")
	for _, k := range []struct {
		key  string
		want int
	}{{coord, 200}, {agency, http.StatusForbidden}, {consultant, http.StatusForbidden}} {
		o := s.browser()
		o.signIn(k.key)
		for _, path := range []string{"/web/reports", "/web/reports.csv", "/web/reports.xlsx", "/web/imports"} {
			if p := o.get(path + q); p.Status != k.want || (k.want != 200 && strings.Contains(p.Body, "suppressed")) {
				t.Errorf("GET %s as %s = %d; want %d", path, k.key[:6], p.Status, k.want)
			}
		}
	}
	// The imports page lists the import, linked to its report.
	if ip := b.get("/web/imports"); ip.Status != 200 || !strings.Contains(ip.Body, `href="/web/reports?import=`+id+`"`) {
		t.Errorf("imports page = %d\n%s", ip.Status, ip.Body)
	}
}

// equityRun creates a program whose one cycle has 30 applicants of three
// organizations, 24 of them White and 3 each Asian and Black (small
// groups), and runs it; it returns the run's ID and the applicants' names
// by organization.
func equityRun(t testing.TB, s *server) (string, map[string][]string) {
	t.Helper()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	prog := service.ProgramConfig{
		Program: scholarship.Program{ID: "esit", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
			Cycles: []scholarship.Cycle{{ID: "2026", Effective: start, Budget: 100_000_00,
				Caps:             map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
				CommitmentMonths: 12}}},
	}
	if st, b := s.api("POST", "/api/v1/programs", s.Admin, prog); st != 201 {
		t.Fatalf("program = %d %s", st, b)
	}
	byOrg := map[string][]string{}
	provs := allProviders(t, s)
	n := 0
	for _, pv := range provs {
		org := string(pv.OrganizationID)
		if n == 30 || pv.Role.Leads() || len(byOrg[org]) == 10 {
			continue
		}
		race := bsk.RaceEthnicity("white")
		switch {
		case n%10 == 3:
			race = "asian"
		case n%10 == 7:
			race = "black"
		}
		app := scholarship.Application{
			Applicant: scholarship.Applicant{PersonID: string(pv.ID), ProviderID: pv.ID, Name: pv.Name, MonthsEmployed: 6 + n%30, HoursPerWeek: 40,
				Languages: []bsk.Language{bsk.English}, Demographics: bsk.Demographics{Race: []bsk.RaceEthnicity{race}}},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 3_000_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: start,
		}
		if st, b := s.api("POST", "/api/v1/programs/esit/cycles/2026/applications", s.Admin, app); st != 201 {
			t.Fatalf("application %d = %d %s", n, st, b)
		}
		byOrg[org] = append(byOrg[org], pv.Name)
		n++
	}
	if n != 30 {
		t.Fatalf("%d applicants; want 30", n)
	}
	st, b := s.api("POST", "/api/v1/programs/esit/cycles/2026/runs", s.Admin, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, b)
	}
	var run service.CycleRun
	json.Unmarshal(b, &run)
	return run.ID, byOrg
}

// TestEquityAndDecisionDownloads: the coordinator's equity page and its
// downloads hold the same cells, each figure the service hides reading
// "suppressed", its chart drawing only shown counts; agencies may not see
// equity at all; an agency's decisions download holds its own staff's
// decisions and nobody else's, the coordinator's every decision, each as
// on the page.
func TestEquityAndDecisionDownloads(t *testing.T) {
	s := start(t, true)
	runID, byOrg := equityRun(t, s)
	coord, _ := s.key("coordinator", "", "")
	var eq scholarship.ProtectedEquity
	st, body := s.api("GET", "/api/v1/programs/esit/cycles/2026/runs/"+runID+"/equity", coord, nil)
	if st != 200 {
		t.Fatalf("API equity = %d %s", st, body)
	}
	json.Unmarshal(body, &eq)
	var hidden, shown []string
	for _, r := range eq.Rows {
		for col, v := range map[string]*int{"applicants": r.Applicants, "eligible": r.Eligible, "awarded": r.Awarded} {
			if v == nil {
				hidden = append(hidden, r.Dimension+"/"+r.Group+"/"+col)
			} else {
				shown = append(shown, strconv.Itoa(*v))
			}
		}
	}
	if len(hidden) == 0 || len(shown) == 0 {
		t.Fatalf("the equity summary hides %d and shows %d figures; the test needs both", len(hidden), len(shown))
	}
	b := s.browser()
	b.signIn(coord)
	q := "?program=esit&cycle=2026&run=" + url.QueryEscape(runID)
	p := b.get("/web/equity" + q)
	if p.Status != 200 {
		t.Fatalf("equity = %d\n%s", p.Status, p.Body)
	}
	page := pageTables(p.Body, 0)
	// The page's rows, as the downloads write them: the dimension, then
	// the row's cells (the total's note is empty).
	var want [][]string
	for ti, tb := range page {
		for _, r := range tb[1:] {
			if ti == 0 {
				want = append(want, append([]string{"All"}, append(r, "")...))
				continue
			}
			dim := strings.TrimPrefix(regexp.MustCompile(`(?s)<caption>(.*?)</caption>`).FindAllStringSubmatch(p.Body, -1)[ti][1], "Applicants and awards by ")
			want = append(want, append([]string{dim}, r...))
		}
	}
	suppressedOnPage := 0
	for _, r := range want {
		for _, c := range r[2:5] {
			if c == "suppressed" {
				suppressedOnPage++
			}
		}
	}
	if suppressedOnPage != len(hidden) {
		t.Errorf("the page reads suppressed %d times among the counts; the service hides %v", suppressedOnPage, hidden)
	}
	for _, path := range []string{"/web/equity.csv", "/web/equity.xlsx"} {
		d := b.get(path + q)
		if d.Status != 200 {
			t.Fatalf("%s = %d %s", path, d.Status, d.Body)
		}
		var got [][][]string
		if strings.HasSuffix(path, ".csv") {
			got = readCSV(t, d.Body)
		} else {
			got = readXLSX(t, d.Body)
		}
		if len(got) != 1 || len(got[0]) < 2 || !slices.EqualFunc(got[0][1:], want, func(a, b []string) bool { return slices.Equal(trimEmpty(a), trimEmpty(b)) }) {
			t.Errorf("%s = %q; the page shows %q", path, got, want)
		}
	}
	svgs := regexp.MustCompile(`(?s)<svg[^>]*role="img"[^>]*>.*?</svg>`).FindAllString(p.Body, -1)
	bars, marks := 0, 0
	for _, svg := range svgs {
		bars += strings.Count(svg, `<rect class="bar`)
		marks += strings.Count(svg, `: suppressed</text>`)
	}
	if bars != len(shown) || marks != len(hidden) {
		t.Errorf("the charts draw %d bars and write %d suppressed marks; the service shows %d figures and hides %d", bars, marks, len(shown), len(hidden))
	}

	// Agencies see no equity; an agency's decisions are its staff's.
	var everyone []string
	for _, names := range byOrg {
		everyone = append(everyone, names...)
	}
	if len(byOrg["org-002"]) == 0 || len(byOrg["org-002"]) == len(everyone) {
		t.Fatalf("applicants by organization %v; the test needs some of org-002 and some of others", byOrg)
	}
	agency, _ := s.key("agency", "org-002", "")
	a := s.browser()
	a.signIn(agency)
	for _, path := range []string{"/web/equity", "/web/equity.csv", "/web/equity.xlsx"} {
		if p := a.get(path + q); p.Status != http.StatusForbidden {
			t.Errorf("agency GET %s = %d; want 403", path, p.Status)
		}
	}
	for _, who := range []struct {
		br   *browser
		want []string
	}{{a, byOrg["org-002"]}, {b, everyone}} {
		pg := who.br.get("/web/scholarships" + q)
		d := who.br.get("/web/scholarships.csv" + q)
		x := who.br.get("/web/scholarships.xlsx" + q)
		if pg.Status != 200 || d.Status != 200 || x.Status != 200 {
			t.Fatalf("decisions %d, CSV %d, Excel %d", pg.Status, d.Status, x.Status)
		}
		for name, got := range map[string][][][]string{"CSV": readCSV(t, d.Body), "Excel": readXLSX(t, x.Body)} {
			var names []string
			for _, r := range got[0][1:] {
				names = append(names, r[0])
			}
			if !sameSet(names, who.want) {
				t.Errorf("%s names %v; want %v", name, names, who.want)
			}
		}
		// The page's rows (50 at most) are the download's first rows, with
		// the reasons one per line.
		onPage := pageTables(pg.Body, 0)[0][1:]
		rows := readCSV(t, d.Body)[0][1:]
		for i, r := range onPage {
			if i >= len(rows) || !slices.Equal(r[:3], rows[i][:3]) {
				t.Errorf("page row %q; download row %q", r, rows[min(i, len(rows)-1)])
			}
		}
	}
	if p := a.get("/web/scholarships?program=esit&cycle=2026&run=" + url.QueryEscape(runID)); strings.Contains(p.Body, `id="equity-link"`) {
		t.Error("the agency's decisions page links to the equity page")
	}
}

func trimEmpty(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestListingsAndSearch: a consultant lists the runs in which they lead
// groups, and nobody else's; the providers search by name finds exactly
// the names that hold the text, an agency only among its own staff.
func TestListingsAndSearch(t *testing.T) {
	s := start(t, true)
	runID, rosters := finishedRun(t, s)
	led := map[string]int{}
	for _, r := range rosters {
		if r.Consultant != nil && len(r.Members) > 0 {
			led[string(r.Consultant.ID)]++
		}
	}
	var mine string
	for id := range led {
		if mine == "" || id < mine {
			mine = id
		}
	}
	key, _ := s.key("consultant", "", mine)
	b := s.browser()
	b.signIn(key)
	p := b.get("/web/runs")
	if p.Status != 200 || !strings.Contains(p.Body, `href="/web/runs/`+runID+`/rosters"`) || !strings.Contains(p.Body, fmt.Sprintf("<td>%d</td>", led[mine])) {
		t.Errorf("the consultant's runs = %d; want run %s with %d groups\n%s", p.Status, runID, led[mine], p.Body)
	}
	other, _ := s.key("consultant", "", string(rosters[0].Members[0].ID))
	o := s.browser()
	o.signIn(other)
	if p := o.get("/web/runs"); p.Status != 200 || strings.Contains(p.Body, runID) {
		t.Errorf("a consultant who leads nothing sees the run: %d\n%s", p.Status, p.Body)
	}

	provs := allProviders(t, s)
	text := strings.ToLower(strings.Fields(provs[0].Name)[len(strings.Fields(provs[0].Name))-1])
	var all, org1 []string
	for _, pv := range provs {
		if strings.Contains(strings.ToLower(pv.Name), text) {
			all = append(all, string(pv.ID))
			if pv.OrganizationID == "org-001" {
				org1 = append(org1, string(pv.ID))
			}
		}
	}
	if len(all) <= len(org1) || len(org1) == 0 {
		t.Fatalf("%q matches %d providers, %d of org-001; the test needs matches in and out of org-001", text, len(all), len(org1))
	}
	coord, _ := s.key("coordinator", "", "")
	agency, _ := s.key("agency", "org-001", "")
	idRE := regexp.MustCompile(`<td>([^<]+)</td><td><a href="/web/providers/`)
	for _, who := range []struct {
		key  string
		want []string
	}{{coord, all}, {agency, org1}} {
		br := s.browser()
		br.signIn(who.key)
		var got []string
		path := "/web/providers?name=" + url.QueryEscape(strings.ToUpper(text))
		for range 100 {
			p := br.get(path)
			if p.Status != 200 {
				t.Fatalf("search = %d\n%s", p.Status, p.Body)
			}
			for _, m := range idRE.FindAllStringSubmatch(p.Body, -1) {
				got = append(got, m[1])
			}
			m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(p.Body)
			if m == nil {
				break
			}
			path = html.UnescapeString(m[1])
		}
		if !slices.Equal(got, who.want) {
			t.Errorf("search %q found %v; want %v", text, got, who.want)
		}
	}
	ev, _ := s.key("evaluator", "", "")
	e := s.browser()
	e.signIn(ev)
	if p := e.get("/web/providers?name=" + url.QueryEscape(text)); p.Status != http.StatusForbidden {
		t.Errorf("evaluator search = %d; want 403", p.Status)
	}
}
