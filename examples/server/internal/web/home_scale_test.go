package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// TestHomeNearCapacityNotEnded: the coordinator's home lists a full
// offering that ends tomorrow (or has no dates) among those near capacity,
// and not one that ended yesterday, whose seats no longer matter.
func TestHomeNearCapacityNotEnded(t *testing.T) {
	s := start(t, true)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var staff []bsk.Provider
	for _, p := range allProviders(t, s) {
		if !p.Role.Leads() && len(staff) < 3 {
			staff = append(staff, p)
		}
	}
	for i, o := range []struct {
		id, title    string
		starts, ends time.Time
	}{
		{"tr-ended", "Ended yesterday", today.AddDate(0, 0, -3), today.AddDate(0, 0, -1)},
		{"tr-ongoing", "Ends tomorrow", today.AddDate(0, 0, -3), today.AddDate(0, 0, 1)},
		{"tr-undated", "No dates", time.Time{}, time.Time{}},
	} {
		off := bsk.Offering{ID: bsk.OfferingID(o.id), Kind: bsk.OfferingTraining, Title: o.title, Strategy: bsk.StrategyIECMH, Topic: "Attachment",
			Language: bsk.English, Capacity: 1, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 60, Starts: o.starts, Ends: o.ends}
		if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
			t.Fatalf("offering %s = %d %s", o.id, st, b)
		}
		if st, b := s.api("POST", "/api/v1/offerings/"+o.id+"/registrations", s.Admin, service.RegistrationRequest{ProviderID: staff[i].ID}); st != 201 {
			t.Fatalf("registering in %s = %d %s", o.id, st, b)
		}
	}
	coord, _ := s.key("coordinator", "", "")
	br := s.browser()
	br.signIn(coord)
	home := br.get("/web/")
	expectStatus(t, "the coordinator's home", home, 200)
	iFull, iImport := strings.Index(home.Body, `id="full"`), strings.Index(home.Body, `id="import"`)
	if iFull < 0 || iImport < iFull {
		t.Fatalf("the home lacks the offerings near capacity\n%s", home.Body)
	}
	full := home.Body[iFull:iImport]
	for _, want := range []string{`<a href="/web/trainings/tr-ongoing">Ends tomorrow</a>`, `<a href="/web/trainings/tr-undated">No dates</a>`} {
		if !strings.Contains(full, want) {
			t.Errorf("the offerings near capacity lack %s\n%s", want, full)
		}
	}
	if strings.Contains(full, "tr-ended") {
		t.Errorf("an offering that ended yesterday is listed near capacity\n%s", full)
	}
}
