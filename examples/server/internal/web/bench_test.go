package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
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
