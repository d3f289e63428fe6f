package app_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

var cycleStart = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

func esitProgram(budget scholarship.Cents, pluginRules ...string) app.ProgramConfig {
	return app.ProgramConfig{
		Program: scholarship.Program{ID: "esit", Name: "ESIT Career Pathways", Kind: scholarship.ESITCareerPathways,
			Cycles: []scholarship.Cycle{{ID: "2026", Effective: cycleStart, Budget: budget,
				Caps:             map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
				CommitmentMonths: 12}}},
		PriorityWeight: 10,
		PluginRules:    pluginRules,
	}
}

func application(provider bsk.ProviderID, name string, months int, hours float64) scholarship.Application {
	return scholarship.Application{
		Applicant: scholarship.Applicant{PersonID: string(provider), ProviderID: provider, Name: name, MonthsEmployed: months, HoursPerWeek: hours,
			Languages: []bsk.Language{bsk.English}},
		Requested: map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 9_000_00, scholarship.Books: 500_00},
		Answers:   scholarship.Answers{EmployerConfirmed: true}, Submitted: cycleStart,
	}
}

// staffOf returns an organization's providers.
func staffOf(t testing.TB, s *server, org string) []bsk.Provider {
	t.Helper()
	var page app.Page[bsk.Provider]
	s.expect(200, "GET", "/api/v1/providers?limit=500&organization_id="+org, s.Admin, nil).json(t, &page)
	return page.Items
}

func decisions(t *testing.T, s *server, key, path, lang string) map[string]app.Decision {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path+"/decisions?limit=500", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("decisions: %d", resp.StatusCode)
	}
	var page app.Page[app.Decision]
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	out := map[string]app.Decision{}
	for _, d := range page.Items {
		out[d.ApplicationID] = d
	}
	return out
}

func TestScholarshipCycleWithPlugins(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testScholarshipCycle(t, b) })
	}
}

func testScholarshipCycle(t *testing.T, b backend) {
	marker := filepath.Join(t.TempDir(), "flaky-died")
	catalog := catalogFile(t,
		plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Enabled: true},
		plugins.Entry{Agency: "Example Early Learning Center", Name: "minhours", Args: []string{"-hours", "20"}, Enabled: true},
		plugins.Entry{Agency: "Test Agency", Name: "flaky", Args: []string{"-marker", marker}, Enabled: true},
	)
	s := startWith(t, b, app.Config{Data: t.TempDir(), Postgres: b.postgres, PluginCatalog: catalog})

	// Administrators see the plug-ins with versions and checksums, and their health.
	var list struct{ Plugins []app.PluginStatus }
	s.expect(200, "GET", "/api/v1/plugins", s.Admin, nil).json(t, &list)
	if len(list.Plugins) != 3 {
		t.Fatalf("plugins = %+v", list.Plugins)
	}
	for _, p := range list.Plugins {
		if p.Status != "running" || p.Info == nil || p.Info.Version != "1.0.0" || len(p.SHA256) != 64 {
			t.Errorf("plugin %s = %+v", p.Name, p)
		}
	}
	var h app.PluginHealth
	s.expect(200, "GET", "/api/v1/plugins/sixmonths/health", s.Admin, nil).json(t, &h)
	if !h.Healthy {
		t.Errorf("health = %+v", h)
	}
	coord := s.key("coordinator", "", "")
	s.expect(403, "GET", "/api/v1/plugins", coord, nil)

	// Two awards' worth of budget; reviewers score an essay out of 10.
	prog := esitProgram(19_000_00, "sixmonths/agency_six_months", "minhours/agency_minimum_hours", "flaky/flaky")
	prog.Reviewed = []scholarship.Weighted{{Name: "essay", Weight: 20, Max: 10}}
	s.expect(201, "POST", "/api/v1/programs", coord, prog)

	staff := staffOf(t, s, "org-001")
	other := staffOf(t, s, "org-002")
	if len(staff) < 6 || len(other) < 1 {
		t.Fatalf("demo organizations too small: %d, %d", len(staff), len(other))
	}
	agency := s.key("agency", "org-001", "")
	cyc := "/api/v1/programs/esit/cycles/2026"
	// An agency applies only for its own staff.
	s.expect(404, "POST", cyc+"/applications", agency, application(other[0].ID, "someone else's", 12, 40))
	ids := map[string]string{}
	for i, a := range []scholarship.Application{
		application(staff[0].ID, "ana", 24, 40),
		application(staff[1].ID, "ben", 12, 40),
		application(staff[2].ID, "cai", 12, 40),
		application(staff[3].ID, "short tenure", 2, 40), // the built-in rule (3 months) and sixmonths
		application(staff[4].ID, "few hours", 24, 10),   // minhours only: the built-in rule asks 10
		application(staff[5].ID, "crash", 24, 40),       // flaky dies on this one
	} {
		var got scholarship.Application
		s.expect(201, "POST", cyc+"/applications", agency, a).json(t, &got)
		if got.Applicant.Employer == nil || got.Applicant.Employer.ID != "org-001" {
			t.Errorf("application %d: employer not filled from the provider's organization: %+v", i, got.Applicant.Employer)
		}
		ids[a.Applicant.Name] = got.ID
	}

	// First run: the flaky plug-in is killed mid-call. Its applications
	// need review with the reason; every other rule still judged them.
	var run app.CycleRun
	s.expect(201, "POST", cyc+"/runs", coord, nil).json(t, &run)
	if run.Counts[scholarship.NeedsReview] == 0 || len(run.NeedsReview) == 0 {
		t.Fatalf("no application needs review after the plug-in died: %+v", run.Counts)
	}
	ds := decisions(t, s, coord, cyc+"/runs/"+run.ID, "")
	for name, id := range ids {
		d := ds[id]
		var flaky, tenure bool
		for _, r := range d.Reasons {
			if r.Rule == "flaky" && r.Outcome == scholarship.NeedsReview {
				flaky = true
			}
			if r.Code == "agency_tenure_short" {
				tenure = true
			}
		}
		if !flaky {
			t.Errorf("%s: no needs-review reason from the dead plug-in: %+v", name, d.Reasons)
		}
		if name == "short tenure" && !tenure {
			t.Errorf("%s: the other plug-in's reason is missing: %+v", name, d.Reasons)
		}
		if d.Award != nil {
			t.Errorf("%s was awarded while needing review", name)
		}
	}

	// The host restarts the plug-in; the re-run completes.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var h app.PluginHealth
		s.expect(200, "GET", "/api/v1/plugins/flaky/health", s.Admin, nil).json(t, &h)
		if h.Healthy {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the flaky plug-in was not restarted")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Reviewers score the essays: "cai" writes the best one, and an unknown
	// criterion or application is refused.
	var reviews []scholarship.Review
	for name, id := range ids {
		pts := 2.0
		if name == "cai" {
			pts = 10
		}
		reviews = append(reviews, scholarship.Review{ApplicationID: id, Reviewer: "rev-1", Criterion: "essay", Points: pts})
	}
	s.expect(201, "POST", cyc+"/reviews", coord, reviews)
	s.expect(404, "POST", cyc+"/reviews", coord, []scholarship.Review{{ApplicationID: ids["cai"], Reviewer: "rev-1", Criterion: "charm", Points: 1}})
	s.expect(404, "POST", cyc+"/reviews", coord, []scholarship.Review{{ApplicationID: "app-nope", Reviewer: "rev-1", Criterion: "essay", Points: 1}})

	var rerun app.CycleRun
	s.expect(201, "POST", cyc+"/runs", coord, nil).json(t, &rerun)
	if rerun.Ranking[0] != ids["cai"] {
		t.Errorf("the best essay does not rank first: %v", rerun.Ranking)
	}
	if len(rerun.NeedsReview) != 0 {
		t.Fatalf("re-run still needs review: %v", rerun.NeedsReview)
	}
	if rerun.Counts[scholarship.Eligible] != 4 || rerun.Counts[scholarship.Ineligible] != 2 {
		t.Errorf("counts = %v; want 4 eligible, 2 ineligible", rerun.Counts)
	}
	if len(rerun.Allocation.Awards) != 2 || len(rerun.Allocation.Waitlist) != 2 {
		t.Fatalf("allocation = %+v", rerun.Allocation)
	}

	// The equity summary hides six applicants' counts from a coordinator;
	// only an administrator may read them unsuppressed.
	var eq scholarship.ProtectedEquity
	s.expect(200, "GET", cyc+"/runs/"+rerun.ID+"/equity", coord, nil).json(t, &eq)
	if eq.Disclosure != "wa_doh" || eq.Total.Applicants != 6 || len(eq.Rows) == 0 {
		t.Fatalf("equity = %+v", eq)
	}
	for _, r := range eq.Rows {
		if r.Applicants != nil && *r.Applicants > 0 && *r.Applicants < 10 {
			t.Errorf("equity shows %d applicants in %s/%s", *r.Applicants, r.Dimension, r.Group)
		}
	}
	s.expect(403, "GET", cyc+"/runs/"+rerun.ID+"/equity?unsuppressed=true", coord, nil)
	s.expect(400, "GET", cyc+"/runs/"+rerun.ID+"/equity?standard=lax", coord, nil)
	s.expect(200, "GET", cyc+"/runs/"+rerun.ID+"/equity?unsuppressed=true", s.Admin, nil).json(t, &eq)
	if eq.Rows[0].Applicants == nil {
		t.Error("unsuppressed equity hides counts")
	}

	// Reasons in Spanish on request; the agency sees only its applicants.
	es := decisions(t, s, agency, cyc+"/runs/"+rerun.ID, "es-US,es;q=0.9")
	short := es[ids["short tenure"]]
	if short.Language != "es" || !strings.Contains(strings.Join(short.Texts, " "), "Ha trabajado 2 meses") {
		t.Errorf("Spanish texts = %q", short.Texts)
	}
	// A plug-in's own code reads in the plug-in's Spanish text, never as the code.
	if few := es[ids["few hours"]]; !strings.Contains(strings.Join(few.Texts, " "), "Trabaja 10 horas por semana") ||
		strings.Contains(strings.Join(few.Texts, " "), "agency_hours_short") {
		t.Errorf("plug-in reason texts = %q", few.Texts)
	}
	if len(es) != 6 {
		t.Errorf("agency sees %d decisions; want its 6", len(es))
	}
	otherAgency := s.key("agency", "org-002", "")
	if got := decisions(t, s, otherAgency, cyc+"/runs/"+rerun.ID, ""); len(got) != 0 {
		t.Errorf("another agency sees %d decisions", len(got))
	}

	// A declined award goes down the waitlist; the other award stands.
	declined := rerun.Allocation.Awards[0].ApplicationID
	kept := rerun.Allocation.Awards[1].ApplicationID
	var after app.CycleRun
	s.expect(200, "POST", cyc+"/runs/"+rerun.ID+"/declines", coord, app.DeclineRequest{ApplicationIDs: []string{declined}}).json(t, &after)
	awarded := map[string]scholarship.Award{}
	for _, aw := range after.Allocation.Awards {
		awarded[aw.ApplicationID] = aw
	}
	if _, ok := awarded[declined]; ok {
		t.Error("the declined award stands")
	}
	if aw, ok := awarded[kept]; !ok || aw.Step != "allocation" {
		t.Errorf("the other award changed: %+v", aw)
	}
	if len(after.Allocation.Awards) != 2 {
		t.Errorf("the freed money was not offered down the waitlist: %+v", after.Allocation.Awards)
	}
	ds = decisions(t, s, coord, cyc+"/runs/"+rerun.ID, "")
	if ds[declined].Award != nil || ds[declined].Step != "declined" {
		t.Errorf("declined decision = %+v", ds[declined].DecisionRecord)
	}

	// Disbursement, completion, leaving the county: the ledger says what is owed.
	for _, e := range []scholarship.Entry{
		{ApplicationID: kept, Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 9_500_00, At: cycleStart},
		{ApplicationID: kept, Kind: scholarship.Completed, At: cycleStart.AddDate(0, 9, 0)},
		{ApplicationID: kept, Kind: scholarship.LeftCounty, At: cycleStart.AddDate(0, 12, 0)},
	} {
		s.expect(201, "POST", cyc+"/runs/"+rerun.ID+"/ledger", coord, e)
	}
	var owed scholarship.Repayment
	s.expect(200, "GET", cyc+"/runs/"+rerun.ID+"/ledger/"+kept+"/owed?as_of=2027-10-01T00:00:00Z", coord, nil).json(t, &owed)
	if owed.Owed != 7_125_00 || owed.UnmetMonths != 9 {
		t.Errorf("owed = %+v; want $7,125.00 for 9 unmet months (12 owed, 3 served, of $9,500)", owed)
	}
	// A disbursement beyond the award is refused and not recorded.
	r := s.do("POST", cyc+"/runs/"+rerun.ID+"/ledger", coord, scholarship.Entry{ApplicationID: kept, Kind: scholarship.Disbursement, Term: "2027-spring", Amount: 1_00, At: cycleStart})
	if r.Status != 400 && r.Status != 409 {
		t.Errorf("over-disbursement = %d %s", r.Status, r.Body)
	}
	var ledger app.Page[scholarship.Entry]
	s.expect(200, "GET", cyc+"/runs/"+rerun.ID+"/ledger", coord, nil).json(t, &ledger)
	if len(ledger.Items) != 3 {
		t.Errorf("ledger has %d entries; want 3", len(ledger.Items))
	}
}
