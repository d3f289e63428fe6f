package web_test

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// offeringWithSession stores a training of capacity seats with one
// session at starts.
func offeringWithSession(t *testing.T, s *server, id, title string, capacity int, starts time.Time) {
	t.Helper()
	off := bsk.Offering{ID: bsk.OfferingID(id), Kind: bsk.OfferingTraining, Title: title, Strategy: bsk.StrategyIECMH, Topic: "Attachment",
		Language: bsk.English, Capacity: capacity, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 120}
	if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
		t.Fatalf("offering %s = %d %s", id, st, b)
	}
	if st, b := s.api("POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: bsk.SessionID(id + "-s1"), OfferingID: off.ID, Starts: starts, Minutes: 120}); st != 201 {
		t.Fatalf("session of %s = %d %s", id, st, b)
	}
}

// TestCoordinatorHome: the coordinator's home shows the coming sessions
// (not past ones), the offerings with 90% of their seats taken (not those
// below), the open scholarship cycle (linked to its decisions) and the
// latest survey import, each linked to its page, in English and Spanish;
// an agency's, a consultant's and an evaluator's homes show none of it.
func TestCoordinatorHome(t *testing.T) {
	s := start(t, true)
	soon := time.Now().UTC().Add(26 * time.Hour).Truncate(time.Hour)
	offeringWithSession(t, s, "tr-full", "Full house", 1, soon)
	offeringWithSession(t, s, "tr-room", "Plenty of room", 10, soon.Add(time.Hour))
	offeringWithSession(t, s, "tr-past", "Long ago", 10, time.Now().UTC().Add(-2*time.Hour))
	var org1 []bsk.Provider
	for _, p := range allProviders(t, s) {
		if p.OrganizationID == "org-001" && len(org1) < 3 {
			org1 = append(org1, p)
		}
	}
	for _, reg := range []struct {
		off string
		p   bsk.Provider
	}{{"tr-full", org1[0]}, {"tr-full", org1[1]}, {"tr-room", org1[2]}} {
		if st, b := s.api("POST", "/api/v1/offerings/"+reg.off+"/registrations", s.Admin, service.RegistrationRequest{ProviderID: reg.p.ID}); st != 201 {
			t.Fatalf("registering %s in %s = %d %s", reg.p.ID, reg.off, st, b)
		}
	}
	importID := releasedSurvey(t, s, 40)
	waitlistedRun(t, s) // program esit-l, its 2026 cycle open since September 2026

	coordKey, _ := s.key("coordinator", "", "")
	cb := s.browser()
	cb.signIn(coordKey)
	home := cb.get("/web/")
	expectStatus(t, "the coordinator's home", home, 200)
	for _, want := range []string{
		`id="next"`, `<a href="/web/trainings/tr-full">Full house</a>`, `<a href="/web/trainings/tr-room">Plenty of room</a>`,
		`id="full"`, "1 of 1 seats taken, 1 on the waitlist.",
		`id="import"`, `<a href="/web/reports?import=` + importID + `">` + importID + `</a>`, "instrument annual-web",
		`<a href="/web/scholarships?program=esit-l&amp;cycle=2026">ESIT Career Pathways: cycle 2026`,
	} {
		if !strings.Contains(home.Body, html.EscapeString(want)) && !strings.Contains(home.Body, want) {
			t.Errorf("the coordinator's home lacks %q", want)
		}
	}
	if strings.Contains(home.Body, "Long ago") {
		t.Error("the coordinator's home lists a past session")
	}
	iNext, iFull, iImport := strings.Index(home.Body, `id="next"`), strings.Index(home.Body, `id="full"`), strings.Index(home.Body, `id="import"`)
	if iNext < 0 || iFull < iNext || iImport < iFull {
		t.Fatalf("the coordinator's home lacks the next sessions, offerings near capacity and latest import, in that order\n%s", home.Body)
	}
	full := home.Body[iFull:iImport]
	if strings.Contains(full, "tr-room") {
		t.Errorf("an offering with 1 of 10 seats taken is listed as near capacity\n%s", full)
	}
	next := home.Body[iNext:iFull]
	if strings.Index(next, "tr-full") > strings.Index(next, "tr-room") {
		t.Errorf("the next sessions are not soonest first\n%s", next)
	}

	cb.lang = "es"
	es := cb.get("/web/")
	for _, want := range []string{"Próximas sesiones", "1 de 1 plazas ocupadas, 1 en la lista de espera.", "Última importación de encuesta"} {
		if !strings.Contains(es.Body, want) {
			t.Errorf("the Spanish home lacks %q", want)
		}
	}

	agencyKey, _ := s.key("agency", "org-001", "")
	consultant := allProviders(t, s)[0]
	consultantKey, _ := s.key("consultant", "", string(consultant.ID))
	evaluatorKey, _ := s.key("evaluator", "", "")
	for role, key := range map[string]string{"agency": agencyKey, "consultant": consultantKey, "evaluator": evaluatorKey} {
		b := s.browser()
		b.signIn(key)
		p := b.get("/web/")
		expectStatus(t, "the "+role+"'s home", p, 200)
		for _, id := range []string{`id="next"`, `id="full"`, `id="import"`, "Full house"} {
			if strings.Contains(p.Body, id) {
				t.Errorf("the %s's home shows %s", role, id)
			}
		}
	}
}
