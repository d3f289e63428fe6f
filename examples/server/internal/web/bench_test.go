package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkProvidersPage10k: a page of the providers list, and the next
// page by its link, with 10,000 providers on file (one organization's
// import). Each op is one page read by a signed-in administrator.
func BenchmarkProvidersPage10k(b *testing.B) {
	s := startB(b)
	var csv strings.Builder
	csv.WriteString("id,organization_id,name,role,languages\n")
	for i := range 10_000 {
		fmt.Fprintf(&csv, "org-001-b%05d,org-001,Person %d,direct_service,en\n", i, i)
	}
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/providers/import", strings.NewReader(csv.String()))
	req.Header.Set("Authorization", "Bearer "+s.Admin)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		b.Fatalf("import: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	br := s.browser()
	br.signIn(s.Admin)
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	path := "/web/providers?org=org-001"
	b.ResetTimer()
	for b.Loop() {
		p := br.get(strings.ReplaceAll(path, "&amp;", "&"))
		if p.Status != 200 {
			b.Fatalf("GET %s = %d", path, p.Status)
		}
		if m := next.FindStringSubmatch(p.Body); m != nil {
			path = m[1]
		} else {
			path = "/web/providers?org=org-001"
		}
	}
}

// BenchmarkPages reads each main page over loopback HTTP, signed in as a
// coordinator (an evaluator for the survey pages), over the demo data
// with a finished reflective consultation run, a scholarship run of 30
// applicants and a released survey of 400 answers. Each sub-benchmark
// reports the 95th percentile of its page's time, from request to the
// last byte, as p95-ms.
//
//	go test -run '^$' -bench Pages -benchtime 200x ./examples/server/internal/web/
func BenchmarkPages(b *testing.B) {
	s := startB(b)
	runID, _ := finishedRun(b, s)
	eqRun, _ := equityRun(b, s)
	imp := releasedSurvey(b, s, 400)
	coord, _ := s.key("coordinator", "", "")
	ev, _ := s.key("evaluator", "", "")
	cb, eb := s.browser(), s.browser()
	cb.signIn(coord)
	eb.signIn(ev)
	sch := "?program=esit&cycle=2026&run=" + eqRun
	for _, pg := range []struct {
		name string
		br   *browser
		path string
	}{
		{"home", cb, "/web/"},
		{"providers", cb, "/web/providers"},
		{"providers-name", cb, "/web/providers?name=tran"},
		{"runs", cb, "/web/runs"},
		{"run", cb, "/web/runs/" + runID},
		{"rosters", cb, "/web/runs/" + runID + "/rosters"},
		{"rosters-xlsx", cb, "/web/runs/" + runID + "/rosters.xlsx"},
		{"decisions", cb, "/web/scholarships" + sch},
		{"decisions-xlsx", cb, "/web/scholarships.xlsx" + sch},
		{"equity", cb, "/web/equity" + sch},
		{"equity-csv", cb, "/web/equity.csv" + sch},
		{"imports", eb, "/web/imports"},
		{"report", eb, "/web/reports?import=" + imp + "&by=race"},
		{"report-xlsx", eb, "/web/reports.xlsx?import=" + imp + "&by=race"},
	} {
		b.Run(pg.name, func(b *testing.B) { benchPage(b, pg.br, pg.path) })
	}
}

// benchPage reads path as br's reader b.N times, each read from request to
// the last byte, and reports the 95th percentile as p95-ms; a read that is
// not a 200 stops the benchmark.
func benchPage(b *testing.B, br *browser, path string) {
	br.t = b
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		p := br.get(path)
		times = append(times, time.Since(t0))
		if p.Status != 200 {
			b.Fatalf("GET %s = %d\n%.500s", path, p.Status, p.Body)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[(len(times)*95+99)/100-1])/1e6, "p95-ms")
}
