package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// TestFormsByRole: the invoice, reviewer assignment, review queue and
// pipeline pages show their form to each role the service takes it from
// and, to every other role, a plain sentence in the reader's language and
// status 403, with no form to fill in; in English and Spanish.
func TestFormsByRole(t *testing.T) {
	s := start(t, true)
	var consultant string
	for _, p := range allProviders(t, s) {
		if p.Role == bsk.RoleConsultant {
			consultant = string(p.ID)
			break
		}
	}
	if consultant == "" {
		t.Fatal("the demo workforce has no consultant")
	}
	keys := map[string]string{"admin": s.Admin}
	keys["coordinator"], _ = s.key("coordinator", "", "")
	keys["agency"], _ = s.key("agency", "org-001", "")
	keys["consultant"], _ = s.key("consultant", "", consultant)
	keys["evaluator"], _ = s.key("evaluator", "", "")
	pages := []struct {
		path, form string
		roles      []string
		sentence   map[string]string
	}{
		{"/web/program/invoices", `action="/web/program/invoices"`, []string{"admin", "coordinator"},
			map[string]string{"en": "Your role does not create or read consultants&#39; invoices", "es": "Su función no crea ni consulta las facturas"}},
		{"/web/review/assignment", `action="/web/review/assignment"`, []string{"admin", "coordinator"},
			map[string]string{"en": "Your role does not assign reviewers", "es": "Su función no asigna revisores"}},
		{"/web/review/queue", `action="/web/review/queue"`, []string{"consultant"},
			map[string]string{"en": "Your role has no review queue", "es": "Su función no tiene solicitudes por revisar"}},
		{"/web/review/pipeline", `action="/web/review/pipeline"`, []string{"admin", "coordinator", "evaluator"},
			map[string]string{"en": "Your role does not read the pipeline", "es": "Su función no consulta la equidad del proceso"}},
	}
	for role, key := range keys {
		br := s.browser()
		br.signIn(key)
		for _, lang := range []string{"en", "es"} {
			for _, pg := range pages {
				p := br.get(pg.path + "?lang=" + lang)
				allowed := false
				for _, r := range pg.roles {
					allowed = allowed || r == role
				}
				switch {
				case allowed && (p.Status != 200 || !strings.Contains(p.Body, pg.form)):
					t.Errorf("%s as %s (%s) = %d; want 200 with its form\n%.300s", pg.path, role, lang, p.Status, p.Body)
				case allowed && strings.Contains(p.Body, `id="not-yours"`):
					t.Errorf("%s as %s (%s) says the form is not theirs", pg.path, role, lang)
				case !allowed && p.Status != 403:
					t.Errorf("%s as %s (%s) = %d; want 403", pg.path, role, lang, p.Status)
				case !allowed && strings.Contains(p.Body, pg.form):
					t.Errorf("%s as %s (%s) shows the form", pg.path, role, lang)
				case !allowed && !strings.Contains(p.Body, `<p id="not-yours">`+pg.sentence[lang]):
					t.Errorf("%s as %s (%s) lacks the sentence %q\n%s", pg.path, role, lang, pg.sentence[lang], p.Body)
				}
			}
		}
	}
}

// TestRegisterByName: the register form finds providers by name on the
// server, 20 at a time with a link to the next matches, and offers them as
// radio buttons: an agency finds its own staff only, staff anyone; a
// chosen match registers; a name nobody has says so; in both languages.
func TestRegisterByName(t *testing.T) {
	s := start(t, true)
	a1, _, b1 := trainingWithOneSeat(t, s)
	keyA, _ := s.key("agency", "org-001", "")
	coord, _ := s.key("coordinator", "", "")
	ag, co := s.browser(), s.browser()
	ag.signIn(keyA)
	co.signIn(coord)
	radio := regexp.MustCompile(`<input type="radio" id="pick-\d+" name="provider_id" value="([^"]+)" required> <label for="pick-\d+" class="inline-label">([^<]+) \(`)
	picks := func(body string) map[string]string {
		out := map[string]string{}
		for _, m := range radio.FindAllStringSubmatch(body, -1) {
			out[m[1]] = html.UnescapeString(m[2])
		}
		return out
	}
	orgOf := map[string]bsk.OrganizationID{}
	for _, p := range allProviders(t, s) {
		orgOf[string(p.ID)] = p.OrganizationID
	}

	// Before a search, no list of staff: the search form and an ID field.
	p := ag.get("/web/trainings/tr-web")
	expectStatus(t, "the offering", p, 200)
	if strings.Contains(p.Body, "<select id=\"provider_id\"") || len(picks(p.Body)) != 0 {
		t.Error("the register form lists providers before a search")
	}
	if !strings.Contains(p.Body, `<input type="search" id="who" name="who"`) {
		t.Error("the register form has no name search")
	}

	// The agency finds its own staff member, not another agency's.
	p = ag.get("/web/trainings/tr-web?who=" + url.QueryEscape(strings.ToUpper(a1.Name)))
	got := picks(p.Body)
	if got[string(a1.ID)] != a1.Name {
		t.Fatalf("searching %q as org-001 offers %v; want %s among them", a1.Name, got, a1.ID)
	}
	for id := range got {
		if orgOf[id] != "org-001" {
			t.Errorf("the agency is offered %s of %s", id, orgOf[id])
		}
	}
	p = ag.get("/web/trainings/tr-web?who=" + url.QueryEscape(b1.Name))
	if _, ok := picks(p.Body)[string(b1.ID)]; ok {
		t.Errorf("the agency is offered another agency's %s", b1.ID)
	}
	// Staff find anyone.
	if _, ok := picks(co.get("/web/trainings/tr-web?who=" + url.QueryEscape(b1.Name)).Body)[string(b1.ID)]; !ok {
		t.Errorf("the coordinator is not offered %s", b1.ID)
	}

	// Many matches come 20 at a time; the next link gives the next ones.
	seen := map[string]bool{}
	next := "/web/trainings/tr-web?who=a"
	pagesRead := 0
	for next != "" && pagesRead < 5 {
		p = co.get(next)
		got := picks(p.Body)
		if len(got) == 0 || len(got) > 20 {
			t.Fatalf("GET %s offers %d providers; want 1-20", next, len(got))
		}
		for id, name := range got {
			if seen[id] {
				t.Errorf("%s is offered twice", id)
			}
			seen[id] = true
			if !strings.Contains(strings.ToLower(name), "a") {
				t.Errorf("%s (%q) does not hold the name searched", id, name)
			}
		}
		next = ""
		if m := regexp.MustCompile(`<a href="([^"]+)" rel="next" id="more-matches">`).FindStringSubmatch(p.Body); m != nil {
			next = html.UnescapeString(m[1])
		}
		pagesRead++
	}
	if pagesRead < 2 {
		t.Errorf("searching %q read %d page(s); want a next page of matches", "a", pagesRead)
	}

	// A name nobody has, in Spanish.
	p = ag.get("/web/trainings/tr-web?who=zzqx&lang=es")
	if !strings.Contains(p.Body, `<p id="no-match" role="status">Ningún proveedor que usted pueda inscribir tiene un nombre que contenga «zzqx».</p>`) {
		t.Errorf("a search that finds nobody does not say so in Spanish\n%s", p.Body)
	}

	// Choosing a match registers them.
	tok := ag.token("/web/trainings/tr-web")
	r := ag.post("/web/trainings/tr-web/register", url.Values{"csrf": {tok}, "provider_id": {string(a1.ID)}})
	if r.Status != 303 || !strings.Contains(r.Header.Get("Location"), "done=registered") {
		t.Fatalf("registering the match = %d %s", r.Status, r.Header.Get("Location"))
	}
}
