package web_test

import (
	"encoding/json"
	"html"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/grouping"
)

// getRun reads a run through the API as the administrator.
func getRun(t testing.TB, s *server, id string) service.GroupingRun {
	t.Helper()
	st, body := s.api("GET", "/api/v1/grouping-runs/"+id, s.Admin, nil)
	if st != 200 {
		t.Fatalf("GET run %s = %d %s", id, st, body)
	}
	var run service.GroupingRun
	json.Unmarshal(body, &run)
	return run
}

// allProviders reads every provider through the API as the administrator.
func allProviders(t testing.TB, s *server) []bsk.Provider {
	t.Helper()
	var out []bsk.Provider
	cursor := ""
	for range 100 {
		st, body := s.api("GET", "/api/v1/providers?limit=500&cursor="+url.QueryEscape(cursor), s.Admin, nil)
		if st != 200 {
			t.Fatalf("providers = %d %s", st, body)
		}
		var page service.Page[bsk.Provider]
		json.Unmarshal(body, &page)
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
	t.Fatal("the providers list does not end")
	return nil
}

// TestMoveMember: a coordinator moves a member between two groups of a
// finished run on its page. The move is a new run naming the old one,
// with the same groups but for the member, scored as grouping.Evaluate
// scores those groups; the old run is unchanged. A move that breaks a
// hard rule (a direct-service member into a group of supervisors) is
// refused with the library's reason in words; the form needs its token;
// roles other than staff may not move anyone.
func TestMoveMember(t *testing.T) {
	s := start(t, true)
	runID, rosters := finishedRun(t, s)
	before := getRun(t, s, runID)
	coord, _ := s.key("coordinator", "", "")
	b := s.browser()
	b.signIn(coord)
	runPage := b.get("/web/runs/" + runID)
	if runPage.Status != 200 || !strings.Contains(runPage.Body, `action="/web/runs/`+runID+`/moves"`) {
		t.Fatalf("run page = %d without the move form\n%s", runPage.Status, runPage.Body)
	}
	tok := tokenRE.FindStringSubmatch(runPage.Body)[1]

	// Without the token, nothing moves.
	var formed []service.Roster
	for _, r := range rosters {
		if len(r.Members) > 0 {
			formed = append(formed, r)
		}
	}
	if len(formed) < 2 {
		t.Fatalf("the run formed %d groups; the test needs two", len(formed))
	}
	m0 := string(formed[0].Members[0].ID)
	if p := b.post("/web/runs/"+runID+"/moves", url.Values{"member": {m0}, "to": {strconv.Itoa(formed[1].Number)}}); p.Status != http.StatusForbidden {
		t.Errorf("a move without the form token = %d; want 403", p.Status)
	}

	// A direct-service member into a group of supervisors breaks the
	// rule that keeps roles apart: refused, with the reason in words.
	roleOf := func(r service.Roster) bsk.Role {
		role := r.Members[0].Role
		for _, m := range r.Members {
			if m.Role != role {
				return ""
			}
		}
		return role
	}
	var from, to *service.Roster
	for i := range formed {
		for j := range formed {
			if from == nil && roleOf(formed[i]) == bsk.RoleDirectService && roleOf(formed[j]) == bsk.RoleSupervisor {
				from, to = &formed[i], &formed[j]
			}
		}
	}
	if from == nil {
		t.Fatal("no group of direct-service staff and group of supervisors to test the refusal")
	}
	p := b.post("/web/runs/"+runID+"/moves", url.Values{"csrf": {tok}, "member": {string(from.Members[0].ID)}, "to": {strconv.Itoa(to.Number)}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "would break the group&#39;s size limit or one of its rules") {
		t.Errorf("a move across roles = %d; want 409 with the library's reason\n%s", p.Status, p.Body)
	}
	if !strings.Contains(p.Body, html.EscapeString(from.Members[0].Name)) {
		t.Errorf("the refusal does not name %s\n%s", from.Members[0].Name, p.Body)
	}
	b.lang = "es"
	b.get("/web/?lang=es")
	p = b.post("/web/runs/"+runID+"/moves", url.Values{"csrf": {tok}, "member": {string(from.Members[0].ID)}, "to": {strconv.Itoa(to.Number)}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "rompería una de sus reglas") || strings.Contains(p.Body, "would break") {
		t.Errorf("a move across roles in Spanish = %d; want 409 with the reason in Spanish\n%s", p.Status, p.Body)
	}
	b.lang = ""
	b.get("/web/?lang=en")

	// A move that keeps the rules: the first that the library accepts of
	// a member of a group above the least size into a group of the same
	// role below the greatest.
	var moved string
	var fromG, toG int
	var location string
	tries := 0
	for _, a := range formed {
		for _, c := range formed {
			if location != "" || tries >= 40 || a.Group == c.Group || len(a.Members) <= 6 || len(c.Members) >= 8 || roleOf(a) == "" || roleOf(a) != roleOf(c) {
				continue
			}
			tries++
			p := b.post("/web/runs/"+runID+"/moves", url.Values{"csrf": {tok}, "member": {string(a.Members[0].ID)}, "to": {strconv.Itoa(c.Number)}})
			switch p.Status {
			case http.StatusSeeOther:
				location, moved, fromG, toG = p.Header.Get("Location"), string(a.Members[0].ID), a.Group, c.Group
			case http.StatusConflict:
			default:
				t.Fatalf("move = %d\n%s", p.Status, p.Body)
			}
		}
	}
	if location == "" {
		t.Fatalf("none of %d moves was accepted", tries)
	}
	newID := strings.TrimPrefix(location, "/web/runs/")
	after := getRun(t, s, newID)
	if after.PreviousRunID != runID || after.Status != service.RunDone || after.Diff == nil ||
		!slices.Equal(after.Diff.Moved, []grouping.Move{{Member: grouping.MemberID(moved), From: fromG, To: toG}}) {
		t.Fatalf("the moved run = %+v (diff %+v); want a finished run of %s moving %s from %d to %d", after, after.Diff, runID, moved, fromG, toG)
	}
	want := make([][]grouping.MemberID, len(before.Solution.Groups))
	for g, ms := range before.Solution.Groups {
		for _, m := range ms {
			if string(m) != moved {
				want[g] = append(want[g], m)
			}
		}
	}
	want[toG] = append(want[toG], grouping.MemberID(moved))
	for g := range want {
		got, w := slices.Clone(after.Solution.Groups[g]), slices.Clone(want[g])
		slices.Sort(got)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("group %d = %v; want %v", g+1, got, w)
		}
	}
	// The score is the library's independent evaluation of those groups
	// over the same problem.
	provs := allProviders(t, s)
	cohort, err := grouping.CohortOf(before.Request.Preset, provs, grouping.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	prob, err := grouping.NewProblem(before.Request.Preset, cohort.Participants, cohort.Leaders, before.Request.Options)
	if err != nil {
		t.Fatal(err)
	}
	if ev := grouping.Evaluate(prob, want); math.Abs(ev-after.Solution.Objective) > 1e-6 {
		t.Errorf("the moved run's objective %v; grouping.Evaluate gives %v", after.Solution.Objective, ev)
	}
	if ev := grouping.Evaluate(prob, before.Solution.Groups); math.Abs(ev-after.Solution.Objective) < 1e-9 {
		t.Logf("the move left the objective at %v", ev)
	}
	if got := getRun(t, s, runID); !slices.EqualFunc(got.Solution.Groups, before.Solution.Groups, slices.Equal) {
		t.Error("the original run changed")
	}
	// The new run's page says who moved, and shows its score.
	np := b.get(location)
	score := "Score of these groups (higher is better): " + strconv.FormatFloat(after.Solution.Objective, 'f', 1, 64) + ". Before the move: " + strconv.FormatFloat(before.Solution.Objective, 'f', 1, 64) + "."
	if np.Status != 200 || !strings.Contains(np.Body, `id="moved"`) || !strings.Contains(np.Body, "to group "+strconv.Itoa(toG+1)) || !strings.Contains(np.Body, score) {
		t.Errorf("the moved run's page = %d\n%s", np.Status, np.Body)
	}

	// Other roles: no move form, and a forged post is refused.
	ev, _ := s.key("evaluator", "", "")
	agency, _ := s.key("agency", "org-001", "")
	for _, key := range []string{ev, agency} {
		o := s.browser()
		o.signIn(key)
		otok := o.token("/web/")
		if p := o.post("/web/runs/"+runID+"/moves", url.Values{"csrf": {otok}, "member": {moved}, "to": {"1"}}); p.Status != http.StatusForbidden {
			t.Errorf("a move by another role = %d; want 403", p.Status)
		}
	}
	if got := getRun(t, s, runID); !slices.EqualFunc(got.Solution.Groups, before.Solution.Groups, slices.Equal) {
		t.Error("a refused move changed the run")
	}
}
