package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/training"
)

// TestCohort walks a certificate cohort over HTTP on every backend: a
// cohort of three seats enrolled over capacity, an agency's withdrawal
// promoting its waitlisted staff member, the modules' interpreters, and
// completion after attendance, each agency seeing its own staff only.
func TestCohort(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, true)
			cohortWalk(t, s, func(method, path, key string, body any, want int) []byte {
				t.Helper()
				return s.expect(want, method, path, key, body).Body
			})
		})
	}
}

// cohortRequest is a cohort of capacity seats with three monthly modules
// from January 2026, two of them required, taught and mentored by the
// providers given.
func cohortRequest(id string, capacity int, clinician, mentor bsk.ProviderID) app.CohortRequest {
	req := app.CohortRequest{Required: 2, Offering: bsk.Offering{ID: bsk.OfferingID(id), Kind: bsk.OfferingCertificateCohort, Title: "IECMH Certificate",
		Strategy: bsk.StrategyIECMH, Language: bsk.English, Interpretation: []bsk.Language{bsk.Spanish, bsk.ASL}, Capacity: capacity,
		Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityInPerson, SessionMinutes: 420}}
	for i := range 3 {
		req.Modules = append(req.Modules, training.Module{ID: bsk.SessionID(fmt.Sprintf("%s-m%d", id, i+1)), Title: fmt.Sprintf("Module %d", i+1),
			Starts: time.Date(2026, time.Month(1+i), 16, 16, 0, 0, 0, time.UTC), Minutes: 420, Clinician: clinician, Mentor: mentor})
	}
	return req
}

func cohortWalk(t *testing.T, s *server, send sender) {
	const py = "/api/v1/program-year"
	coord := s.key("coordinator", "", "")
	agency := s.key("agency", "org-001", "")
	other := s.key("agency", "org-002", "")
	own, theirs, teachers := staffOf(t, s, "org-001"), staffOf(t, s, "org-002"), staffOf(t, s, "org-003")
	if len(own) < 3 || len(theirs) < 1 || len(teachers) < 2 {
		t.Fatalf("demo staff: %d, %d, %d", len(own), len(theirs), len(teachers))
	}
	a, b, d, c := own[0], own[1], own[2], theirs[0]

	// A module without a mentor is refused, naming it.
	bad := cohortRequest("cert-bad", 3, teachers[0].ID, teachers[1].ID)
	bad.Modules[1].Mentor = ""
	r := s.expect(400, "POST", py+"/cohorts", coord, bad)
	if got := r.problems(t); !slices.Contains(got, "/modules/1/mentor") {
		t.Errorf("a module without a mentor: problems %v; want /modules/1/mentor", got)
	}
	var view app.CohortView
	decodeJSON(t, send("POST", py+"/cohorts", coord, cohortRequest("cert-1", 3, teachers[0].ID, teachers[1].ID), 201), &view)
	if view.Capacity != 3 || len(view.Modules) != 3 || view.Required != 2 {
		t.Fatalf("created %+v", view)
	}
	base := py + "/cohorts/cert-1"

	// Enrolment over capacity: the fourth waits. The agency enrols its
	// own staff, never another agency's.
	enrol := func(key string, p bsk.ProviderID, lang bsk.Language, want bsk.RegistrationStatus) bsk.Registration {
		t.Helper()
		var g bsk.Registration
		decodeJSON(t, send("POST", base+"/enrolments", key, app.CohortEnrolment{ProviderID: p, Interpretation: lang}, 201), &g)
		if g.Status != want {
			t.Fatalf("enrolling %s: %s; want %s", p, g.Status, want)
		}
		return g
	}
	ra := enrol(agency, a.ID, bsk.Spanish, bsk.RegistrationRegistered)
	rb := enrol(agency, b.ID, "", bsk.RegistrationRegistered)
	rc := enrol(coord, c.ID, bsk.ASL, bsk.RegistrationRegistered)
	rd := enrol(agency, d.ID, "", bsk.RegistrationWaitlisted)
	s.expect(404, "POST", base+"/enrolments", agency, app.CohortEnrolment{ProviderID: theirs[1].ID})
	s.expect(409, "POST", base+"/enrolments", coord, app.CohortEnrolment{ProviderID: a.ID})

	// Each agency sees the counts and its own staff only.
	ids := func(v app.CohortView) []bsk.RegistrationID {
		var out []bsk.RegistrationID
		for _, g := range v.Registrations {
			out = append(out, g.ID)
		}
		return out
	}
	decodeJSON(t, send("GET", base, agency, nil, 200), &view)
	if view.Enrolled != 3 || view.Waitlisted != 1 {
		t.Errorf("agency view: %d enrolled, %d waiting; want 3, 1", view.Enrolled, view.Waitlisted)
	}
	if diff := cmp.Diff([]bsk.RegistrationID{ra.ID, rb.ID, rd.ID}, ids(view)); diff != "" {
		t.Errorf("agency sees (-want +got):\n%s", diff)
	}
	decodeJSON(t, send("GET", base, other, nil, 200), &view)
	if diff := cmp.Diff([]bsk.RegistrationID{rc.ID}, ids(view)); diff != "" {
		t.Errorf("other agency sees (-want +got):\n%s", diff)
	}

	// Another agency cannot withdraw the agency's participant; the agency
	// can, and its waitlisted staff member takes the seat.
	s.expect(404, "DELETE", base+"/enrolments/"+string(rb.ID), other, nil)
	var w app.CohortWithdrawal
	decodeJSON(t, send("DELETE", base+"/enrolments/"+string(rb.ID), agency, nil, 200), &w)
	if w.Registration.Status != bsk.RegistrationCancelled || len(w.Notices) != 1 || w.Notices[0].RegistrationID != rd.ID ||
		w.Notices[0].FreedBy != rb.ID || w.Notices[0].Position != 1 {
		t.Fatalf("withdrawal = %+v; want %s promoted, freed by %s", w, rd.ID, rb.ID)
	}
	s.expect(409, "DELETE", base+"/enrolments/"+string(rb.ID), coord, nil)
	decodeJSON(t, send("GET", base, coord, nil, 200), &view)
	if view.Enrolled != 3 || view.Waitlisted != 0 {
		t.Errorf("after the withdrawal: %d enrolled, %d waiting; want 3, 0", view.Enrolled, view.Waitlisted)
	}

	// Interpreters per module, for the seated participants: what each
	// asked for, or the first language of one who does not work in
	// English (worked out here from their records).
	want := map[bsk.Language][]bsk.ProviderID{bsk.Spanish: {a.ID}, bsk.ASL: {c.ID}}
	if !slices.Contains(d.Languages, bsk.English) {
		want[d.Languages[0]] = append(want[d.Languages[0]], d.ID)
	}
	var plan app.CohortInterpretation
	decodeJSON(t, send("GET", base+"/interpretation", coord, nil, 200), &plan)
	got := map[bsk.SessionID]map[bsk.Language][]bsk.ProviderID{}
	for _, bk := range plan.Bookings {
		if got[bk.SessionID] == nil {
			got[bk.SessionID] = map[bsk.Language][]bsk.ProviderID{}
		}
		got[bk.SessionID][bk.Language] = bk.Registrants
	}
	for _, m := range view.Modules {
		w := map[bsk.Language][]bsk.ProviderID{}
		for l, who := range want {
			w[l] = slices.Sorted(slices.Values(who))
		}
		if diff := cmp.Diff(w, got[m.ID]); diff != "" {
			t.Errorf("%s interpreters (-want +got):\n%s", m.ID, diff)
		}
	}
	s.expect(403, "GET", base+"/interpretation", agency, nil)

	// Attendance, then completion after the modules: a attended all three,
	// c one (and cannot reach two), d the last two; b withdrew.
	for _, at := range []struct {
		p bsk.ProviderID
		m int
	}{{a.ID, 0}, {a.ID, 1}, {a.ID, 2}, {c.ID, 0}, {d.ID, 1}, {d.ID, 2}} {
		s.expect(201, "POST", "/api/v1/attendance", coord, bsk.Attendance{SessionID: view.Modules[at.m].ID, ProviderID: at.p, Hours: 7, Credit: bsk.CreditTraining})
	}
	type row struct {
		P        bsk.ProviderID
		S        training.CompletionStatus
		Attended int
	}
	completion := func(key string) []row {
		t.Helper()
		var cc app.CohortCompletion
		decodeJSON(t, send("GET", base+"/completion?as_of=2026-04-01T00:00:00Z", key, nil, 200), &cc)
		if cc.Modules != 3 || cc.Required != 2 {
			t.Errorf("completion of %d modules, %d required; want 3, 2", cc.Modules, cc.Required)
		}
		var out []row
		for _, p := range cc.Participants {
			out = append(out, row{p.ProviderID, p.Status, p.Attended})
		}
		return out
	}
	if diff := cmp.Diff([]row{{a.ID, training.Completed, 3}, {b.ID, training.Withdrawn, 0}, {c.ID, training.Incomplete, 1}, {d.ID, training.Completed, 2}}, completion(coord)); diff != "" {
		t.Errorf("completion (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]row{{a.ID, training.Completed, 3}, {b.ID, training.Withdrawn, 0}, {d.ID, training.Completed, 2}}, completion(agency)); diff != "" {
		t.Errorf("the agency's completion (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]row{{c.ID, training.Incomplete, 1}}, completion(other)); diff != "" {
		t.Errorf("the other agency's completion (-want +got):\n%s", diff)
	}
}
