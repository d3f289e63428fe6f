package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// trainingWithOneSeat stores a public training with one seat and a
// session, and returns two staff of org-001 and one of org-002.
func trainingWithOneSeat(t *testing.T, s *server) (a1, a2, b1 bsk.Provider) {
	t.Helper()
	off := bsk.Offering{ID: "tr-web", Kind: bsk.OfferingTraining, Title: "Attachment basics", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
		Language: bsk.English, Capacity: 1, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240}
	if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
		t.Fatalf("offering = %d %s", st, b)
	}
	if st, b := s.api("POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "tr-web-s1", OfferingID: off.ID, Starts: time.Date(2026, 2, 10, 17, 0, 0, 0, time.UTC), Minutes: 240}); st != 201 {
		t.Fatalf("session = %d %s", st, b)
	}
	var org1 []bsk.Provider
	for _, p := range allProviders(t, s) {
		switch {
		case p.OrganizationID == "org-001" && len(org1) < 2:
			org1 = append(org1, p)
		case p.OrganizationID == "org-002" && b1.ID == "":
			b1 = p
		}
	}
	if len(org1) < 2 || b1.ID == "" {
		t.Fatal("the demo workforce lacks two staff of org-001 and one of org-002")
	}
	return org1[0], org1[1], b1
}

// TestTrainingPages: an agency registers its staff from an offering's
// page (the second goes on the waitlist), reads only its own staff's
// registrations, cannot register another agency's provider; cancelling
// the seat promotes the waitlist and the agency reads the notice; staff
// see the whole roster and the interpreters to book; reach is staff's.
func TestTrainingPages(t *testing.T) {
	s := start(t, true)
	a1, a2, b1 := trainingWithOneSeat(t, s)
	keyA, _ := s.key("agency", "org-001", "")
	keyB, _ := s.key("agency", "org-002", "")
	ag, bg := s.browser(), s.browser()
	ag.signIn(keyA)
	bg.signIn(keyB)

	list := ag.get("/web/trainings")
	expectStatus(t, "the trainings", list, 200)
	if !strings.Contains(list.Body, `href="/web/trainings/tr-web"`) {
		t.Fatalf("the agency's trainings do not link tr-web\n%s", list.Body)
	}
	off := ag.get("/web/trainings/tr-web?who=" + url.QueryEscape(a1.Name))
	expectStatus(t, "the offering", off, 200)
	if strings.Contains(off.Body, html.EscapeString(b1.Name)) || !strings.Contains(off.Body, `name="provider_id" value="`+string(a1.ID)+`" required>`) {
		t.Fatalf("the register form does not offer the agency's own staff only\n%s", off.Body)
	}
	tok := tokenRE.FindStringSubmatch(off.Body)[1]
	reg := func(b *browser, p bsk.Provider, interp string) page {
		return b.post("/web/trainings/tr-web/register", url.Values{"csrf": {tok}, "provider_id": {string(p.ID)}, "interpretation": {interp}})
	}
	r := reg(ag, a1, "vi")
	expectStatus(t, "registering a1", r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); !strings.HasSuffix(got, "done=registered") {
		t.Errorf("registering a1 leads to %q", got)
	}
	r = reg(ag, a2, "")
	expectStatus(t, "registering a2", r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); !strings.HasSuffix(got, "done=waitlisted") {
		t.Errorf("registering a2 into a full offering leads to %q", got)
	}
	expectStatus(t, "registering another agency's provider", reg(ag, b1, ""), 404)
	expectStatus(t, "registering without a token", ag.post("/web/trainings/tr-web/register", url.Values{"provider_id": {string(a2.ID)}}), 403)

	// B's view of the roster: counts, none of A's names.
	tokB := tokenRE.FindStringSubmatch(bg.get("/web/trainings/tr-web").Body)[1]
	r = bg.post("/web/trainings/tr-web/register", url.Values{"csrf": {tokB}, "provider_id": {string(b1.ID)}})
	expectStatus(t, "B registering b1", r, http.StatusSeeOther)
	bv := bg.get("/web/trainings/tr-web")
	if !strings.Contains(bv.Body, "1 registered, 2 on the waitlist.") {
		t.Errorf("B's roster counts\n%s", bv.Body)
	}
	for _, n := range []string{a1.Name, a2.Name} {
		if strings.Contains(bv.Body, html.EscapeString(n)) {
			t.Errorf("B's roster shows A's staff %q", n)
		}
	}
	regsB := bg.get("/web/trainings/registrations")
	expectStatus(t, "B's registrations", regsB, 200)
	if !strings.Contains(regsB.Body, html.EscapeString(b1.Name)) || strings.Contains(regsB.Body, html.EscapeString(a1.Name)) || strings.Contains(regsB.Body, string(a1.ID)) {
		t.Errorf("B's registrations are not B's alone\n%s", regsB.Body)
	}

	// The coordinator: the whole roster and the interpreter to book.
	coordKey, _ := s.key("coordinator", "", "")
	cg := s.browser()
	cg.signIn(coordKey)
	cv := cg.get("/web/trainings/tr-web")
	for _, n := range []string{a1.Name, a2.Name, b1.Name} {
		if !strings.Contains(cv.Body, html.EscapeString(n)) {
			t.Errorf("the coordinator's roster lacks %q", n)
		}
	}
	if !strings.Contains(cv.Body, `id="bookings"`) || !strings.Contains(cv.Body, "Vietnamese") {
		t.Errorf("the coordinator's page does not book a Vietnamese interpreter\n%s", cv.Body)
	}
	if strings.Contains(off.Body, `id="bookings"`) {
		t.Error("the agency's page shows the interpreters to book")
	}

	// A cancels a1's seat: a2, first on the waitlist, takes it.
	var regID string
	for _, part := range strings.Split(ag.get("/web/trainings/tr-web").Body, `name="registration" value="`)[1:] {
		regID = part[:strings.IndexByte(part, '"')]
		break
	}
	c := ag.post("/web/trainings/tr-web/cancel", url.Values{"csrf": {tok}, "registration": {regID}})
	expectStatus(t, "cancelling", c, http.StatusSeeOther)
	if got := c.Header.Get("Location"); !strings.Contains(got, "promoted=1") {
		t.Errorf("cancelling the seat leads to %q; want one promoted", got)
	}
	regsA := ag.get("/web/trainings/registrations")
	if !strings.Contains(regsA.Body, `id="notices"`) || !strings.Contains(regsA.Body, html.EscapeString(a2.Name)) {
		t.Errorf("A's notices lack a2's seat\n%s", regsA.Body)
	}
	if strings.Contains(bg.get("/web/trainings/registrations").Body, `id="notices"`) {
		t.Error("B reads A's waitlist notice")
	}
	expectStatus(t, "B cancelling A's registration", bg.post("/web/trainings/tr-web/cancel", url.Values{"csrf": {tokB}, "registration": {regID}}), 404)

	// Reach: staff only.
	reach := cg.get("/web/trainings/reach")
	expectStatus(t, "reach", reach, 200)
	expectStatus(t, "an agency's reach", ag.get("/web/trainings/reach"), 403)
	ev, _ := s.key("evaluator", "", "")
	eb := s.browser()
	eb.signIn(ev)
	expectStatus(t, "an evaluator's trainings", eb.get("/web/trainings"), 403)
}
