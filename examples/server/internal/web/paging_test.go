package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// TestRegistrationsPaged: an agency's registrations come 50 to a page,
// with links to the next and previous pages that together show each
// registration once; a page number past the end shows an empty page, one
// that is not a page number the first, never an error.
func TestRegistrationsPaged(t *testing.T) {
	s := start(t, true)
	staff := map[bsk.OrganizationID][]bsk.Provider{}
	var org bsk.OrganizationID
	for _, p := range allProviders(t, s) {
		if p.Role.Leads() {
			continue
		}
		staff[p.OrganizationID] = append(staff[p.OrganizationID], p)
		if len(staff[p.OrganizationID]) > len(staff[org]) {
			org = p.OrganizationID
		}
	}
	// The agency's staff register for as many open trainings as give 55
	// registrations.
	registered := map[string]bool{}
	for i := 0; len(registered) < 55; i++ {
		id := bsk.OfferingID(fmt.Sprintf("tr-many-%d", i))
		off := bsk.Offering{ID: id, Kind: bsk.OfferingTraining, Title: "Open to all", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
			Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 60}
		if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
			t.Fatalf("offering = %d %s", st, b)
		}
		for _, p := range staff[org] {
			if len(registered) == 55 {
				break
			}
			if st, b := s.api("POST", "/api/v1/offerings/"+string(id)+"/registrations", s.Admin, service.RegistrationRequest{ProviderID: p.ID}); st != 201 {
				t.Fatalf("registering %s = %d %s", p.ID, st, b)
			}
			registered[p.Name+" in "+string(id)] = true
		}
	}
	key, _ := s.key("agency", string(org), "")
	br := s.browser()
	br.signIn(key)
	row := regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td><a href="/web/trainings/(tr-many-\d+)">`)
	link := func(body, id string) string {
		m := regexp.MustCompile(`<a href="([^"]+)" rel="(?:next|prev)" id="` + id + `">`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	seen := map[string]bool{}
	first := br.get("/web/trainings/registrations")
	expectStatus(t, "the registrations", first, 200)
	rows := row.FindAllStringSubmatch(first.Body, -1)
	if len(rows) != 50 {
		t.Fatalf("the first page shows %d registrations; want 50", len(rows))
	}
	next := link(first.Body, "regs-next")
	if next == "" || link(first.Body, "regs-prev") != "" {
		t.Fatalf("the first page's pager: next %q, prev %q", next, link(first.Body, "regs-prev"))
	}
	second := br.get(next)
	expectStatus(t, "the second page", second, 200)
	rows = append(rows, row.FindAllStringSubmatch(second.Body, -1)...)
	for _, r := range rows {
		name := html.UnescapeString(r[1]) + " in " + r[2]
		if seen[name] {
			t.Errorf("%s is shown twice", name)
		}
		seen[name] = true
		if !registered[name] {
			t.Errorf("%s was not registered", name)
		}
	}
	if len(seen) != len(registered) {
		t.Errorf("the two pages show %d registrations; want %d", len(seen), len(registered))
	}
	if link(second.Body, "regs-next") != "" || !strings.HasSuffix(link(second.Body, "regs-prev"), "page=1") {
		t.Errorf("the last page's pager: next %q, prev %q", link(second.Body, "regs-next"), link(second.Body, "regs-prev"))
	}
	for _, q := range []string{"?page=99999999999999999999", "?page=99999999999999999", "?page=9223372036854775807", "?page=-3", "?page=x"} {
		p := br.get("/web/trainings/registrations" + q)
		expectStatus(t, "the registrations "+q, p, 200)
		n := len(row.FindAllStringSubmatch(p.Body, -1))
		if (q == "?page=-3" || q == "?page=x" || q == "?page=99999999999999999999") && n != 50 {
			t.Errorf("%s shows %d rows; want the first page's 50", q, n)
		}
		if (q == "?page=9223372036854775807" || q == "?page=99999999999999999") && n != 0 {
			t.Errorf("%s shows %d rows; want none", q, n)
		}
	}
}

// TestRosterPaged: an offering's seats come 50 to a page, the next page
// holding the rest, each registration shown once.
func TestRosterPaged(t *testing.T) {
	s := start(t, true)
	off := bsk.Offering{ID: "tr-big", Kind: bsk.OfferingTraining, Title: "No limit", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
		Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 60}
	if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
		t.Fatalf("offering = %d %s", st, b)
	}
	want, registered := map[string]int{}, 0
	for _, p := range allProviders(t, s) {
		if registered == 57 {
			break
		}
		if p.Role.Leads() {
			continue
		}
		if st, b := s.api("POST", "/api/v1/offerings/tr-big/registrations", s.Admin, service.RegistrationRequest{ProviderID: p.ID}); st != 201 {
			t.Fatalf("registering %s = %d %s", p.ID, st, b)
		}
		want[html.EscapeString(p.Name)]++
		registered++
	}
	coord, _ := s.key("coordinator", "", "")
	br := s.browser()
	br.signIn(coord)
	row := regexp.MustCompile(`<tr><th scope="row">([^<]+)</th>`)
	rows := func(body string) []string {
		i := strings.Index(body, `<table id="registered">`)
		if i < 0 {
			return nil
		}
		j := strings.Index(body[i:], "</table>")
		var out []string
		for _, m := range row.FindAllStringSubmatch(body[i:i+j], -1) {
			out = append(out, m[1])
		}
		return out
	}
	first := br.get("/web/trainings/tr-big?done=registered")
	expectStatus(t, "the offering", first, 200)
	got := rows(first.Body)
	if len(got) != 50 {
		t.Fatalf("the first page shows %d seats; want 50", len(got))
	}
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next" id="seats-next">`).FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("the first page of seats has no next link")
	}
	next := html.UnescapeString(m[1])
	if strings.Contains(next, "done=") {
		t.Errorf("the next link %q carries the form's outcome", next)
	}
	second := br.get(next)
	expectStatus(t, "the second page", second, 200)
	got = append(got, rows(second.Body)...)
	seen := map[string]int{}
	for _, n := range got {
		seen[n]++
	}
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("the two pages' seats by name (-registered +shown):\n%s", d)
	}
}
