package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/training"
)

// TestOfferingAudience stores a community of leaders' audience with the
// offering and has registration apply it over HTTP: the period in force on
// the day asked decides (one levy period open to BIPOC leaders only, the
// next to every agency serving young children), a refusal names its
// reason with parameters, and a caller who may not read the provider's
// demographics is not told which demographic condition failed.
func TestOfferingAudience(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-a"))
			other := org("org-x")
			other.ServesYoungChildren = false
			s.expect(201, "POST", "/api/v1/organizations", s.Admin, other)
			white := provider("org-a-w", "org-a")
			white.Role, white.Demographics.Race = bsk.RoleDirector, []bsk.RaceEthnicity{bsk.RaceWhite}
			bipoc := provider("org-a-b", "org-a") // Native Hawaiian or Pacific Islander
			bipoc.Role = bsk.RoleDirector
			elsewhere := provider("org-x-1", "org-x")
			elsewhere.Role = bsk.RoleDirector
			for _, p := range []bsk.Provider{white, bipoc, elsewhere} {
				s.expect(201, "POST", "/api/v1/providers", s.Admin, p)
			}
			col := bsk.Offering{ID: "col", Kind: bsk.OfferingCommunityOfLeaders, Title: "Community of Leaders", Strategy: bsk.StrategyIECMH,
				Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90}
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, col)
			coord, agency := s.key("coordinator", "", ""), s.key("agency", "org-a", "")

			// Until the end of the levy period in force today: BIPOC leaders
			// only; from then on, every agency serving young children.
			today := time.Now().UTC()
			boundary := day(today.Year()+1, 1, 1)
			levy := app.OfferingAudience{Periods: []training.AudiencePeriod{
				{From: day(2016, 1, 1), Until: boundary, BIPOCOnly: true},
				{From: boundary, YoungChildAgencies: true},
			}}
			s.expect(403, "PUT", "/api/v1/offerings/col/audience", agency, levy)
			r := s.expect(400, "PUT", "/api/v1/offerings/col/audience", coord, app.OfferingAudience{Periods: []training.AudiencePeriod{{From: day(2026, 1, 1), Until: day(2025, 1, 1)}}})
			if got := r.problems(t); len(got) != 1 || got[0] != "/periods/0/until" {
				t.Errorf("problems %v; want /periods/0/until", got)
			}
			s.expect(200, "PUT", "/api/v1/offerings/col/audience", coord, levy)
			var stored app.OfferingAudience
			s.expect(200, "GET", "/api/v1/offerings/col/audience", agency, nil).json(t, &stored)
			if len(stored.Periods) != 2 || !stored.Periods[0].BIPOCOnly || !stored.Periods[1].From.Equal(boundary) {
				t.Errorf("stored audience %+v; want the two periods", stored)
			}

			// The administrator, who reads demographics, is told why.
			r = s.expect(400, "POST", "/api/v1/offerings/col/registrations", s.Admin, app.RegistrationRequest{ProviderID: "org-a-w"})
			until := boundary.Format(time.DateOnly)
			if body := string(r.Body); !strings.Contains(body, training.CodeBIPOCOnly) || !strings.Contains(body, "until: "+until) {
				t.Errorf("refusal to the administrator %s; want %s until %s", body, training.CodeBIPOCOnly, until)
			}
			// So is the provider's own agency, which reads its staff's.
			r = s.expect(400, "POST", "/api/v1/offerings/col/registrations", agency, app.RegistrationRequest{ProviderID: "org-a-w"})
			if !strings.Contains(string(r.Body), training.CodeBIPOCOnly) {
				t.Errorf("refusal to the agency %s; want %s", r.Body, training.CodeBIPOCOnly)
			}
			// A coordinator, who does not, reads only that the period's
			// audience does not include them.
			r = s.expect(400, "POST", "/api/v1/offerings/col/registrations", coord, app.RegistrationRequest{ProviderID: "org-a-w"})
			if body := string(r.Body); strings.Contains(body, "bipoc") || strings.Contains(body, "race") || strings.Contains(body, "white") ||
				!strings.Contains(body, "audience_restricted") || !strings.Contains(body, "until: "+until) {
				t.Errorf("refusal to the coordinator %s; want audience_restricted until %s and no demographic", body, until)
			}
			s.expect(201, "POST", "/api/v1/offerings/col/registrations", coord, app.RegistrationRequest{ProviderID: "org-a-b"})

			// In a period with a demographic condition, the coordinator reads
			// the same answer whichever condition failed: a BIPOC director
			// refused for their role reads like a white one refused for race.
			col2 := col
			col2.ID = "col-supervisors"
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, col2)
			s.expect(200, "PUT", "/api/v1/offerings/col-supervisors/audience", coord, app.OfferingAudience{Periods: []training.AudiencePeriod{
				{From: day(2016, 1, 1), BIPOCOnly: true, Roles: []bsk.Role{bsk.RoleSupervisor}}}})
			r = s.expect(400, "POST", "/api/v1/offerings/col-supervisors/registrations", coord, app.RegistrationRequest{ProviderID: "org-a-b"})
			if body := string(r.Body); strings.Contains(body, training.CodeRoleNotOpen) || !strings.Contains(body, "audience_restricted") {
				t.Errorf("refusal to the coordinator %s; want audience_restricted alone", body)
			}
			r = s.expect(400, "POST", "/api/v1/offerings/col-supervisors/registrations", s.Admin, app.RegistrationRequest{ProviderID: "org-a-b"})
			if body := string(r.Body); !strings.Contains(body, training.CodeRoleNotOpen) || strings.Contains(body, training.CodeBIPOCOnly) {
				t.Errorf("refusal to the administrator %s; want %s alone", body, training.CodeRoleNotOpen)
			}

			// The next levy period is in force: agencies serving young
			// children, whatever their staff's race.
			next := app.OfferingAudience{Periods: []training.AudiencePeriod{
				{From: day(2016, 1, 1), Until: day(2022, 1, 1), BIPOCOnly: true},
				{From: day(2022, 1, 1), YoungChildAgencies: true},
			}}
			s.expect(200, "PUT", "/api/v1/offerings/col/audience", coord, next)
			s.expect(201, "POST", "/api/v1/offerings/col/registrations", coord, app.RegistrationRequest{ProviderID: "org-a-w"})
			r = s.expect(400, "POST", "/api/v1/offerings/col/registrations", coord, app.RegistrationRequest{ProviderID: "org-x-1"})
			if body := string(r.Body); !strings.Contains(body, training.CodeAgencyNotYoungChildren) || !strings.Contains(body, "from: 2022-01-01") {
				t.Errorf("refusal %s; want %s from 2022-01-01", body, training.CodeAgencyNotYoungChildren)
			}

			// No period covers today: not open, saying the day.
			s.expect(200, "PUT", "/api/v1/offerings/col/audience", coord, app.OfferingAudience{Periods: []training.AudiencePeriod{{From: day(today.Year()+2, 1, 1)}}})
			r = s.expect(400, "POST", "/api/v1/offerings/col/registrations", coord, app.RegistrationRequest{ProviderID: "org-x-1"})
			if !strings.Contains(string(r.Body), training.CodeNotOpen) {
				t.Errorf("refusal %s; want %s", r.Body, training.CodeNotOpen)
			}
			// An offering deleted takes its audience with it: one created
			// later with the same ID starts open.
			s.expect(204, "DELETE", "/api/v1/offerings/col-supervisors", s.Admin, nil)
			s.expect(201, "POST", "/api/v1/offerings", s.Admin, col2)
			var fresh app.OfferingAudience
			s.expect(200, "GET", "/api/v1/offerings/col-supervisors/audience", coord, nil).json(t, &fresh)
			if len(fresh.Periods) != 0 {
				t.Errorf("a re-created offering has the deleted one's audience: %+v", fresh)
			}
			// No periods: the rule is gone.
			s.expect(200, "PUT", "/api/v1/offerings/col/audience", coord, app.OfferingAudience{})
			s.expect(201, "POST", "/api/v1/offerings/col/registrations", coord, app.RegistrationRequest{ProviderID: "org-x-1"})
		})
	}
}

// TestRefusalTexts registers a provider an offering's audience refuses:
// the refusal reads as a sentence in the reader's language
// (Accept-Language), with the code and its parameters after it for
// programs, never the code alone.
func TestRefusalTexts(t *testing.T) {
	s := start(t, backends(t)[0], false)
	s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-a"))
	p := provider("org-a-1", "org-a")
	p.Role = bsk.RoleDirectService
	s.expect(201, "POST", "/api/v1/providers", s.Admin, p)
	col := bsk.Offering{ID: "col", Kind: bsk.OfferingCommunityOfLeaders, Title: "Community of Leaders", Strategy: bsk.StrategyIECMH,
		Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90}
	s.expect(201, "POST", "/api/v1/offerings", s.Admin, col)
	s.expect(200, "PUT", "/api/v1/offerings/col/audience", s.Admin, app.OfferingAudience{Periods: []training.AudiencePeriod{
		{From: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), Roles: []bsk.Role{bsk.RoleDirector, bsk.RoleSupervisor}}}})
	for _, c := range []struct{ accept, want string }{
		{"en", "This offering is open to directors or supervisors, not to direct service staff."},
		{"es;q=1, en;q=0.5", "Esta actividad está abierta a directores o supervisores, no a personal de servicio directo."},
	} {
		body, _ := json.Marshal(app.RegistrationRequest{ProviderID: "org-a-1"})
		req, err := http.NewRequest("POST", s.URL+"/api/v1/offerings/col/registrations", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+s.Admin)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", c.accept)
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct {
				Problems []struct{ Field, Message string }
			}
		}
		err = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 400 || len(e.Error.Problems) != 1 {
			t.Fatalf("%s: status %d, %+v, %v; want 400 with one problem", c.accept, resp.StatusCode, e, err)
		}
		msg := e.Error.Problems[0].Message
		if !strings.HasPrefix(msg, c.want) || !strings.Contains(msg, "("+training.CodeRoleNotOpen+"; role: direct_service") {
			t.Errorf("%s: %q; want it to begin %q and end with the code and its parameters", c.accept, msg, c.want)
		}
	}
}

// TestAsOfParameter asks a route that takes ?as_of= (one parser serves
// them all) with a date, an RFC 3339 time and a bad value: the first two
// are accepted, the last is refused naming as_of.
func TestAsOfParameter(t *testing.T) {
	s := start(t, backends(t)[0], true)
	coord := s.key("coordinator", "", "")
	path := "/api/v1/organizations/org-001/progress"
	for _, v := range []string{"2026-06-30", "2026-06-30T00:00:00Z"} {
		s.expect(200, "GET", path+"?as_of="+v, coord, nil)
	}
	if got := s.expect(400, "GET", path+"?as_of=June", coord, nil).problems(t); !slices.Contains(got, "as_of") {
		t.Errorf("problems %v; want as_of", got)
	}
}
