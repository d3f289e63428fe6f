package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

// releasedSurvey imports n synthetic answers to a two-item survey through
// the API and releases them under WA DOH's standard with breakdowns by
// race and by place; it returns the import's ID.
func releasedSurvey(t testing.TB, s *server, n int) string {
	t.Helper()
	in := survey.Instrument{ID: "annual-web", Version: "1", Cycle: "2026", Population: "providers who answered the annual survey",
		Items: []survey.Item{
			{Code: "respected", Kind: survey.Likert, Text: "Reflective consultation respected my community", Reported: "reported that reflective consultation was respectful of their community's needs"},
			{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"},
		}}
	if st, b := s.api("POST", "/api/v1/instruments", s.Admin, in); st != 201 {
		t.Fatalf("instrument = %d %s", st, b)
	}
	r := rand.New(rand.NewPCG(7, 1))
	races := []string{"white", "white", "white", "hispanic_latinx", "asian", "black", "native_hawaiian_pacific_islander"}
	var csv strings.Builder
	csv.WriteString("respondent_id,race,place,respected,again\n")
	for i := range n {
		fmt.Fprintf(&csv, "r%05d,%s,%s,%s,%s\n", i, races[r.IntN(len(races))], []string{"seattle", "kent"}[r.IntN(2)],
			[]string{"4", "5", "5", "2"}[r.IntN(4)], []string{"yes", "no"}[r.IntN(2)])
	}
	imp := importSurvey(t, s, "annual-web", csv.String())
	rel := service.ReleaseRequest{Standard: "wa_doh", Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}}}
	if st, b := s.api("POST", "/api/v1/imports/"+imp.ID+"/release", s.Admin, rel); st != 201 {
		t.Fatalf("release = %d %s", st, b)
	}
	return imp.ID
}

// importSurvey posts csv to the instrument's imports as the administrator
// and waits (at most 10 s) for the import to finish, which it must.
func importSurvey(t testing.TB, s *server, instrument, csv string) service.SurveyImport {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/instruments/"+instrument+"/imports", strings.NewReader(csv))
	req.Header.Set("Authorization", "Bearer "+s.Admin)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var imp service.SurveyImport
	json.Unmarshal(body, &imp)
	for range 200 {
		_, b := s.api("GET", "/api/v1/imports/"+imp.ID, s.Admin, nil)
		json.Unmarshal(b, &imp)
		if imp.Status != service.RunRunning && imp.Status != service.RunQueued {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if imp.Status != service.RunDone {
		t.Fatalf("survey import = %+v\n%s", imp, body)
	}
	return imp
}

// scholarshipRun creates the ESIT program with a 2026 cycle, has org-001
// apply for three of its staff (one employed two months, too short), runs
// the cycle as a coordinator and returns the run's ID with the agency's key.
func scholarshipRun(t *testing.T, s *server) (runID, agencyKey string) {
	t.Helper()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	prog := service.ProgramConfig{
		Program: scholarship.Program{ID: "esit", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
			Cycles: []scholarship.Cycle{{ID: "2026", Effective: start, Budget: 19_000_00,
				Caps:             map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
				CommitmentMonths: 12}}},
		PriorityWeight: 10,
	}
	coord, _ := s.key("coordinator", "", "")
	if st, b := s.api("POST", "/api/v1/programs", coord, prog); st != 201 {
		t.Fatalf("program = %d %s", st, b)
	}
	agencyKey, _ = s.key("agency", "org-001", "")
	for i, a := range []struct {
		name   string
		months int
	}{{"Grace Tran", 24}, {"Zahra Jackson", 12}, {"Grace Nguyen", 2}} {
		app := scholarship.Application{
			Applicant: scholarship.Applicant{PersonID: fmt.Sprintf("prov-0000%d", i+1), ProviderID: bsk.ProviderID(fmt.Sprintf("prov-0000%d", i+1)), Name: a.name,
				MonthsEmployed: a.months, HoursPerWeek: 40, Languages: []bsk.Language{bsk.English}},
			Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
			Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: start,
		}
		if st, b := s.api("POST", "/api/v1/programs/esit/cycles/2026/applications", agencyKey, app); st != 201 {
			t.Fatalf("application %d = %d %s", i, st, b)
		}
	}
	st, b := s.api("POST", "/api/v1/programs/esit/cycles/2026/runs", coord, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, b)
	}
	var run service.CycleRun
	json.Unmarshal(b, &run)
	return run.ID, agencyKey
}
