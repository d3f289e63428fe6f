package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

// reviewCycle stores three agencies and a cycle with eleven applications:
// org-a's a-1..a-5 (a-1 reports to a-sup), org-b's b-1..b-5 and org-c's
// c-rev2, who also reviews. It returns the program path.
func reviewCycle(t *testing.T, s *server) string {
	t.Helper()
	for _, o := range []string{"org-a", "org-b", "org-c"} {
		s.expect(201, "POST", "/api/v1/organizations", s.Admin, org(o))
	}
	add := func(id, o string, boss bsk.ProviderID) {
		p := provider(id, o)
		p.ReportsTo = boss
		s.expect(201, "POST", "/api/v1/providers", s.Admin, p)
	}
	add("a-sup", "org-a", "")
	add("a-1", "org-a", "a-sup")
	for i := 2; i <= 5; i++ {
		add(fmt.Sprintf("a-%d", i), "org-a", "")
	}
	for i := 1; i <= 6; i++ {
		add(fmt.Sprintf("b-%d", i), "org-b", "")
	}
	add("c-rev", "org-c", "")
	add("c-rev2", "org-c", "")
	prog := esitProgram(30_000_00)
	prog.Reviewed = []scholarship.Weighted{{Name: "essay", Weight: 20, Max: 10}}
	s.expect(201, "POST", "/api/v1/programs", s.Admin, prog)
	path := "/api/v1/programs/esit/cycles/2026"
	for _, id := range []string{"a-1", "a-2", "a-3", "a-4", "a-5", "b-1", "b-2", "b-3", "b-4", "b-5", "c-rev2"} {
		a := application(bsk.ProviderID(id), "Applicant "+id, 24, 40)
		a.ID = "app-" + id
		a.Applicant.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceNativeHawaiianPacificIslander}, Gender: bsk.GenderNonbinary}
		s.expect(201, "POST", path+"/applications", s.Admin, a)
	}
	return path
}

// reviewSetup: four reviewers of capacity 10; a-sup now consults for
// org-c (so only the reporting line keeps them from a-1), b-6 works at
// org-b, c-rev2 applied. app-b-5 is written in Spanish, which nobody
// reads. Consultants review without names or employers.
func reviewSetup() app.ReviewSetup {
	return app.ReviewSetup{
		Settings: scholarship.ReviewSettings{PerApplication: 2, Blind: scholarship.BlindPolicy{Hide: map[string][]scholarship.BlindField{
			"consultant": {scholarship.BlindName, scholarship.BlindEmployer},
		}}},
		Reviewers: []scholarship.Reviewer{
			{ID: "a-sup", OrganizationID: "org-c", Capacity: 10},
			{ID: "b-6", Capacity: 10},
			{ID: "c-rev", Capacity: 10},
			{ID: "c-rev2", Capacity: 10},
		},
		Written: map[string]bsk.Language{"app-b-5": bsk.Spanish},
	}
}

func TestReviewAssignmentOverHTTP(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			path := reviewCycle(t, s)
			coord := s.key("coordinator", "", "")
			agency := s.key("agency", "org-a", "")
			sup := s.key("consultant", "", "a-sup")
			crev := s.key("consultant", "", "c-rev")

			// Only staff assign.
			s.expect(403, "POST", path+"/review-assignment", agency, reviewSetup())
			s.expect(403, "POST", path+"/review-assignment", sup, reviewSetup())

			req, _ := json.Marshal(reviewSetup())
			r := s.doLang("POST", path+"/review-assignment", coord, req, "es")
			if r.Status != 201 {
				t.Fatalf("POST review-assignment = %d\n%s", r.Status, r.Body)
			}
			var got app.ReviewAssignment
			r.json(t, &got)

			// No reviewer with a conflict, from the stored organizations
			// and reporting lines: b-6 never on org-b, a-sup never on a-1
			// (their supervisee), c-rev2 (an applicant) never at all.
			reviewersOf := map[string][]bsk.ProviderID{}
			for _, set := range got.Sets {
				reviewersOf[set.ApplicationID] = set.Reviewers
				for _, rv := range set.Reviewers {
					switch {
					case rv == "c-rev2",
						rv == "b-6" && strings.HasPrefix(set.ApplicationID, "app-b-"),
						rv == "a-sup" && set.ApplicationID == "app-a-1":
						t.Errorf("%s assigned to %s, who has a conflict of interest", set.ApplicationID, rv)
					}
				}
			}
			if len(got.Sets) != 11 {
				t.Fatalf("%d sets; want the 11 applications", len(got.Sets))
			}
			// app-b-5 is in Spanish: short, saying why in Spanish. c-rev2
			// works at org-c, as c-rev and (now) a-sup do: only b-6 is
			// free for them. The rest have two reviewers each (a-sup, b-6
			// and c-rev have room for all the reviews).
			var short []string
			for _, sh := range got.Short {
				short = append(short, fmt.Sprintf("%s %s available=%s", sh.ApplicationID, sh.Reason.Code, sh.Reason.Params["available"]))
			}
			want := []string{"app-b-5 " + scholarship.CodeReviewNoLanguage + " available=0", "app-c-rev2 " + scholarship.CodeReviewConflicted + " available=1"}
			if !slices.Equal(short, want) {
				t.Fatalf("short = %q; want %q", short, want)
			}
			if got.Language != "es" || len(got.ShortTexts) != 2 || !strings.HasPrefix(got.ShortTexts[0], "Esta solicitud necesita 2 revisores que lean") {
				t.Errorf("short texts = %q in %q; want Spanish", got.ShortTexts, got.Language)
			}
			if got := reviewersOf["app-c-rev2"]; !slices.Equal(got, []bsk.ProviderID{"b-6"}) {
				t.Errorf("app-c-rev2 has reviewers %v; want b-6, the only one free", got)
			}
			for id, rvs := range reviewersOf {
				if id != "app-b-5" && id != "app-c-rev2" && len(rvs) != 2 {
					t.Errorf("%s has reviewers %v; want 2", id, rvs)
				}
			}
			var again app.ReviewAssignment
			s.expect(200, "GET", path+"/review-assignment", coord, nil).json(t, &again)
			if !slices.EqualFunc(again.Sets, got.Sets, func(x, y scholarship.ReviewerSet) bool {
				return x.ApplicationID == y.ApplicationID && slices.Equal(x.Reviewers, y.Reviewers)
			}) {
				t.Errorf("stored assignment differs from the one made")
			}

			// The reviewer's queue: their applications only, without name,
			// employer or demographics, each saying so, and audited.
			s.expect(403, "GET", path+"/review-queue", agency, nil)
			s.expect(403, "GET", path+"/review-queue", coord, nil)
			qr := s.expect(200, "GET", path+"/review-queue", sup, nil)
			var q app.ReviewQueue
			qr.json(t, &q)
			var mine []string
			for id, rvs := range reviewersOf {
				if slices.Contains(rvs, "a-sup") {
					mine = append(mine, id)
				}
			}
			var shown []string
			for _, it := range q.Items {
				shown = append(shown, it.Application.ID)
				ap := it.Application.Applicant
				if ap.Name != "" || ap.PersonID != "" || ap.ProviderID != "" || ap.Employer != nil || len(ap.Demographics.Race) != 0 || ap.Demographics.Gender != "" {
					t.Errorf("%s shows %+v to its reviewer", it.Application.ID, ap)
				}
				for _, f := range []string{"applicant.name", "applicant.employer", "applicant.demographics"} {
					if !slices.Contains(it.Hidden, f) {
						t.Errorf("%s: hidden = %v; want %s listed", it.Application.ID, it.Hidden, f)
					}
				}
			}
			slices.Sort(mine)
			slices.Sort(shown)
			if len(mine) == 0 || !slices.Equal(mine, shown) {
				t.Errorf("a-sup's queue = %v; assigned %v", shown, mine)
			}
			if strings.Contains(string(qr.Body), "Person a-") || strings.Contains(string(qr.Body), "native_hawaiian") {
				t.Errorf("the queue names an applicant or their demographics: %.300s", qr.Body)
			}
			var log struct {
				Items []store.AuditEntry `json:"items"`
			}
			s.expect(200, "GET", "/api/v1/audit?limit=500", s.Admin, nil).json(t, &log)
			audited := 0
			for _, e := range log.Items {
				if e.Entity == "blind review" && strings.Contains(e.EntityID, "hidden=") && strings.Contains(e.EntityID, "applicant.demographics") {
					audited++
				}
			}
			if audited != len(mine) {
				t.Errorf("%d blind views audited; want %d", audited, len(mine))
			}

			// Scores go to the reviewer's own applications, as themselves.
			s.expect(201, "POST", path+"/review-queue/reviews", sup, []scholarship.Review{{ApplicationID: mine[0], Criterion: "essay", Points: 7}})
			s.expect(404, "POST", path+"/review-queue/reviews", sup, []scholarship.Review{{ApplicationID: "app-a-1", Criterion: "essay", Points: 7}})
			s.expect(400, "POST", path+"/review-queue/reviews", sup, []scholarship.Review{{ApplicationID: mine[0], Reviewer: "c-rev", Criterion: "essay", Points: 1}})
			var cq app.ReviewQueue
			s.expect(200, "GET", path+"/review-queue", crev, nil).json(t, &cq)
			for _, it := range cq.Items {
				s.expect(201, "POST", path+"/review-queue/reviews", crev, []scholarship.Review{{ApplicationID: it.Application.ID, Criterion: "essay", Points: 9}})
			}
		})
	}
}

// doLang sends a JSON body with an Accept-Language header.
func (s *server) doLang(method, path, key string, body []byte, lang string) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(string(body)))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept-Language", lang)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, b}
}

func TestPipelineAndCompletionOverHTTP(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			path := reviewCycle(t, s)
			coord := s.key("coordinator", "", "")
			evaluator := s.key("evaluator", "", "")
			agency := s.key("agency", "org-a", "")
			// Everyone scored, so every eligible application is reviewed.
			var reviews []scholarship.Review
			for _, id := range []string{"a-1", "a-2", "a-3", "a-4", "a-5", "b-1", "b-2", "b-3", "b-4", "b-5", "c-rev2"} {
				reviews = append(reviews, scholarship.Review{ApplicationID: "app-" + id, Reviewer: "r", Criterion: "essay", Points: 5})
			}
			s.expect(201, "POST", path+"/reviews", coord, reviews)
			var run app.CycleRun
			s.expect(201, "POST", path+"/runs", coord, nil).json(t, &run)
			rp := path + "/runs/" + run.ID

			// The pipeline: evaluators and staff, never an agency; the
			// reader does not choose the standard; no small count shown.
			s.expect(403, "GET", rp+"/pipeline", agency, nil)
			if got := s.expect(400, "GET", rp+"/pipeline?unsuppressed=true", evaluator, nil).problems(t); !slices.Equal(got, []string{"unsuppressed"}) {
				t.Errorf("?unsuppressed problems = %v", got)
			}
			s.expect(400, "GET", rp+"/pipeline?line=high", evaluator, nil)
			var tab scholarship.PipelineTable
			s.expect(200, "GET", rp+"/pipeline", evaluator, nil).json(t, &tab)
			if tab.Disclosure != "wa_doh" || len(tab.Rows) == 0 {
				t.Fatalf("pipeline = %+v; want wa_doh rows", tab)
			}
			for _, row := range append(tab.Rows, tab.Total) {
				for j, c := range row.Cells {
					if c.Count != nil && *c.Count > 0 && *c.Count < 10 {
						t.Errorf("%s/%s at %s shows %d", row.Dimension, row.Group, tab.Steps[j], *c.Count)
					}
					if c.Count == nil && c.Hidden != "wa_doh:suppressed" {
						t.Errorf("%s/%s at %s hidden as %q", row.Dimension, row.Group, tab.Steps[j], c.Hidden)
					}
				}
			}
			if c := tab.Total.Cells[0]; c.Count == nil || *c.Count != 11 {
				t.Errorf("total applied = %+v; want the 11 applications", c)
			}
			// A line above an award's score is refused without naming it.
			r := s.expect(409, "GET", rp+"/pipeline?line=1000", coord, nil)
			if strings.Contains(string(r.Body), "app-") {
				t.Errorf("the refusal names an application: %s", r.Body)
			}

			// Completion: progress, a completion short of the credits is
			// refused, then accepted; the ledger has it.
			if len(run.Allocation.Awards) == 0 {
				t.Fatal("no award in the run")
			}
			aw := run.Allocation.Awards[0].ApplicationID
			cp := rp + "/completion/" + aw
			s.expect(403, "POST", cp+"/progress", agency, scholarship.CourseProgress{CreditsEarned: 30, CreditsRequired: 60, At: cycleStart.AddDate(0, 4, 0)})
			s.expect(201, "POST", cp+"/progress", coord, scholarship.CourseProgress{Term: "2026-fall", CreditsEarned: 30, CreditsRequired: 60, At: cycleStart.AddDate(0, 4, 0)})
			s.expect(409, "POST", cp+"/progress", coord, scholarship.CourseProgress{CreditsEarned: 20, CreditsRequired: 60, At: cycleStart.AddDate(0, 5, 0)})
			s.expect(409, "POST", cp+"/outcome", coord, app.CompletionOutcome{Outcome: scholarship.Completed, At: cycleStart.AddDate(0, 5, 0)})
			s.expect(400, "POST", cp+"/outcome", coord, app.CompletionOutcome{Outcome: scholarship.Disbursement})
			s.expect(201, "POST", cp+"/progress", coord, scholarship.CourseProgress{Term: "2027-spring", CreditsEarned: 60, CreditsRequired: 60, At: cycleStart.AddDate(0, 9, 0)})
			s.expect(201, "POST", cp+"/outcome", coord, app.CompletionOutcome{Outcome: scholarship.Completed, At: cycleStart.AddDate(0, 9, 0)})
			var st scholarship.CompletionStatus
			s.expect(200, "GET", cp+"?as_of=2027-07-01T00:00:00Z", coord, nil).json(t, &st)
			if st.Code != scholarship.CompletionCompleted || st.CreditsEarned != 60 || st.Term != "2027-spring" {
				t.Errorf("status = %+v; want completed with 60 credits", st)
			}
			var led app.Page[json.RawMessage]
			s.expect(200, "GET", rp+"/ledger", coord, nil).json(t, &led)
			if len(led.Items) != 1 || !strings.Contains(string(led.Items[0]), `"kind":"completed"`) {
				t.Errorf("ledger = %s; want the completion", led.Items)
			}
			s.expect(404, "POST", rp+"/completion/app-none/progress", coord, scholarship.CourseProgress{CreditsEarned: 1, CreditsRequired: 2, At: cycleStart})
			s.expect(409, "POST", cp+"/outcome", coord, app.CompletionOutcome{Outcome: scholarship.Withdrew, At: cycleStart.AddDate(0, 10, 0)})
		})
	}
}
