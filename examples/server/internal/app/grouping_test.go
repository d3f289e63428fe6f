package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// waitRun polls a grouping run until it is no longer running.
func waitRun(t *testing.T, s *server, key, id string) app.GroupingRun {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var run app.GroupingRun
		s.expect(200, "GET", "/api/v1/grouping-runs/"+id, key, nil).json(t, &run)
		if run.Status != app.RunRunning {
			return run
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("run %s still running after 60 s", id)
	return app.GroupingRun{}
}

func providersOf(t *testing.T, s *server) map[grouping.MemberID]bsk.Provider {
	t.Helper()
	out := map[grouping.MemberID]bsk.Provider{}
	cursor := ""
	for {
		var page app.Page[bsk.Provider]
		s.expect(200, "GET", "/api/v1/providers?limit=500&cursor="+cursor, s.Admin, nil).json(t, &page)
		for _, p := range page.Items {
			out[grouping.MemberID(p.ID)] = p
		}
		if page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
}

func TestGroupingRunReflectiveConsultation(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testGroupingRun(t, b) })
	}
}

func testGroupingRun(t *testing.T, b backend) {
	s := start(t, b, true)
	coord := s.key("coordinator", "", "")
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
		Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 1, Seed: 3,
		Weights: map[string]float64{"mixed disciplines": 0},
	}).json(t, &run)
	if run.Status != app.RunRunning || run.ID == "" {
		t.Fatalf("new run = %+v", run)
	}
	run = waitRun(t, s, coord, run.ID)
	if run.Status != app.RunDone || run.Solution == nil {
		t.Fatalf("run ended %s: %+v", run.Status, run.Error)
	}
	if run.Progress == nil || run.Progress.Placed == 0 {
		t.Errorf("a finished run reports its last progress; got %+v", run.Progress)
	}
	people := providersOf(t, s)
	placed := 0
	for g, members := range run.Solution.Groups {
		placed += len(members)
		if len(members) > 8 {
			t.Errorf("group %d has %d members", g, len(members))
		}
		// Every group shares a language.
		var common []bsk.Language
		for i, m := range members {
			if i == 0 {
				common = slices.Clone(people[m].Languages)
				continue
			}
			common = slices.DeleteFunc(common, func(l bsk.Language) bool { return !people[m].Speaks(l) })
		}
		if len(members) > 0 && len(common) == 0 {
			t.Errorf("group %d shares no language", g)
		}
	}
	// The demo workforce is the program's size: about 700 providers in
	// reflective consultation roles, 97 groups of 6-8.
	if members := placed + len(run.Solution.Unplaced); members < 600 || placed < members*9/10-20 {
		t.Errorf("placed %d of %d members (20 of them consultants, who lead)", placed, members)
	}
	for _, u := range run.Solution.Unplaced {
		if u.Reason.Code == "" {
			t.Errorf("%s unplaced without a reason", u.Member)
		}
	}
	for _, b := range run.Solution.Breakdown {
		if b.Criterion == "mixed disciplines" && b.Weight != 0 {
			t.Errorf("weight override ignored: %+v", b)
		}
	}

	// Consultants lead groups: at most 5 each, speaking the group's language,
	// never from a member's organization. 20 consultants of capacity 5 can
	// lead the program's 97 groups, and the groups are formed so that they
	// do: every group has one.
	load := map[string]int{}
	for g, leader := range run.Leaders {
		if leader == "" {
			continue
		}
		load[leader]++
		c := people[grouping.MemberID(leader)]
		if c.Role != bsk.RoleConsultant {
			t.Fatalf("group %d led by %s, a %s", g, leader, c.Role)
		}
		for _, m := range run.Solution.Groups[g] {
			if people[m].OrganizationID == c.OrganizationID {
				t.Errorf("consultant %s leads a member of their own organization", leader)
			}
		}
	}
	if len(load) < 15 {
		t.Errorf("only %d consultants lead groups: %v", len(load), load)
	}
	for c, n := range load {
		if n > 5 {
			t.Errorf("%s leads %d groups", c, n)
		}
	}
	if len(run.Unled) != 0 || len(run.Leaders) != len(run.Solution.Groups) {
		t.Errorf("unled groups = %v, %d leaders for %d groups; want every group led", run.Unled, len(run.Leaders), len(run.Solution.Groups))
	}
	formed := 0
	for g, members := range run.Solution.Groups {
		if len(members) > 0 {
			formed++
			if run.Leaders[g] == "" {
				t.Errorf("group %d of %d members has no consultant", g, len(members))
			}
		}
	}
	if formed < 85 {
		t.Errorf("%d groups formed; want about the program's 97", formed)
	}
	// A consultant's rosters are their own groups only, with names.
	var mine string
	for c := range load {
		mine = c
		break
	}
	ckey := s.key("consultant", "org-coordinator", mine)
	var rs struct {
		Rosters []app.Roster `json:"rosters"`
	}
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", ckey, nil).json(t, &rs)
	if len(rs.Rosters) != load[mine] {
		t.Errorf("consultant sees %d rosters; leads %d", len(rs.Rosters), load[mine])
	}
	for _, r := range rs.Rosters {
		if r.Leader != mine || len(r.Members) == 0 || r.Members[0].Name == "" {
			t.Errorf("roster %+v", r)
		}
		// Every group, with its consultant, has a language and a meeting time.
		if len(r.Languages) == 0 || len(r.Slots) == 0 {
			t.Errorf("group %d meets in %v at %v", r.Group, r.Languages, r.Slots)
		}
	}
	s.expect(403, "GET", "/api/v1/grouping-runs/"+run.ID, ckey, nil)

	// Listing omits solutions; an agency may not run or read groupings.
	var page app.Page[app.GroupingRun]
	s.expect(200, "GET", "/api/v1/grouping-runs", coord, nil).json(t, &page)
	if len(page.Items) != 1 || page.Items[0].Solution != nil {
		t.Errorf("list = %+v", page.Items)
	}
	agency := s.key("agency", "org-001", "")
	s.expect(403, "GET", "/api/v1/grouping-runs/"+run.ID, agency, nil)
	s.expect(403, "POST", "/api/v1/grouping-runs", agency, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset})
	// Dialogue groups use private demographics: administrators only.
	s.expect(403, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{Preset: grouping.IntergroupDialoguePreset})

	// Re-grouping after a provider leaves keeps everyone else in place.
	// The leaver is the first of group 0 nobody reports to and who leads
	// no offering: deleting the others is refused with a conflict.
	var leaver grouping.MemberID
	for _, m := range run.Solution.Groups[0] {
		r := s.do("DELETE", "/api/v1/providers/"+string(m), s.Admin, nil)
		if r.Status == 204 {
			leaver = m
			break
		}
		if r.Status != 409 {
			t.Fatalf("DELETE provider %s = %d; want 204, or 409 while others refer to them\n%s", m, r.Status, r.Body)
		}
	}
	if leaver == "" {
		t.Fatal("every member of group 0 is referred to by another record")
	}
	var again app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs/"+run.ID+"/regroup", coord, app.RegroupRequest{TimeLimitSeconds: 1}).json(t, &again)
	again = waitRun(t, s, coord, again.ID)
	if again.Status != app.RunDone || again.Diff == nil {
		t.Fatalf("regroup ended %s: %+v", again.Status, again.Error)
	}
	if !slices.Contains(again.Diff.Left, leaver) {
		t.Errorf("diff.left = %v; want %s", again.Diff.Left, leaver)
	}
	if again.Diff.Stayed < placed*9/10 {
		t.Errorf("only %d of %d stayed in place", again.Diff.Stayed, placed)
	}
	if again.PreviousRunID != run.ID {
		t.Errorf("previous_run_id = %q", again.PreviousRunID)
	}
}

func TestGroupingRunBadRequests(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{"unknown preset", map[string]any{"preset": "potluck"}, "/preset"},
		{"unknown weight", map[string]any{"preset": "reflective_consultation", "weights": map[string]float64{"charisma": 2}}, "/weights/charisma"},
		{"time limit", map[string]any{"preset": "reflective_consultation", "time_limit_seconds": 9999}, "/time_limit_seconds"},
		{"starts", map[string]any{"preset": "reflective_consultation", "starts": 300}, "/starts"},
		{"unknown provider", map[string]any{"preset": "training_breakouts", "provider_ids": []string{"prov-nobody"}}, "/provider_ids/0"},
		{"unknown field", map[string]any{"preset": "reflective_consultation", "colour": "blue"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do("POST", "/api/v1/grouping-runs", s.Admin, tt.body)
			if r.Status != 400 && r.Status != 404 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if tt.field != "" && !slices.Contains(r.problems(t), tt.field) {
				t.Errorf("problems %v; want %s", r.problems(t), tt.field)
			}
		})
	}
	s.expect(404, "GET", "/api/v1/grouping-runs/run-nope", s.Admin, nil)
}

func TestGroupingRunCancelAndShutdown(t *testing.T) {
	dir := t.TempDir()
	s := startIn(t, backend{name: "sqlite"}, true, dir)
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", s.Admin, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 120}).json(t, &run)
	s.expect(202, "POST", "/api/v1/grouping-runs/"+run.ID+"/cancel", s.Admin, nil)
	run = waitRun(t, s, s.Admin, run.ID)
	if run.Status != app.RunCancelled {
		t.Errorf("cancelled run is %s", run.Status)
	}
	s.expect(409, "POST", "/api/v1/grouping-runs/"+run.ID+"/cancel", s.Admin, nil)

	// A run in progress when the server stops is marked failed, not left running.
	var long app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", s.Admin, app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 120}).json(t, &long)
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	s.App.Close()
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("closing took %v", d)
	}
	s2 := startIn(t, backend{name: "sqlite"}, true, dir)
	var after app.GroupingRun
	s2.expect(200, "GET", "/api/v1/grouping-runs/"+long.ID, s2.Admin, nil).json(t, &after)
	if after.Status != app.RunFailed || after.Error == nil {
		t.Errorf("after shutdown the run is %s (%+v); want failed with a reason", after.Status, after.Error)
	}
}

func TestGroupingRunLeftRunningByACrashIsMarkedFailed(t *testing.T) {
	dir := t.TempDir()
	s := startIn(t, backend{name: "sqlite"}, false, dir)
	// A process killed mid-run leaves its record "running"; write one as it would.
	doc, _ := json.Marshal(app.GroupingRun{ID: "run-crashed", Status: app.RunRunning, Request: app.GroupingRunRequest{Preset: grouping.TrainingBreakoutsPreset}})
	ctx := context.Background()
	if err := s.App.DB().Write(ctx, func(tx *store.Tx) error {
		return tx.Insert(ctx, store.GroupingRuns, store.Record{ID: "run-crashed", Doc: doc})
	}); err != nil {
		t.Fatal(err)
	}
	s.App.Close()
	s2 := startIn(t, backend{name: "sqlite"}, false, dir)
	var run app.GroupingRun
	s2.expect(200, "GET", "/api/v1/grouping-runs/run-crashed", s2.Admin, nil).json(t, &run)
	if run.Status != app.RunFailed {
		t.Errorf("status = %s; want failed", run.Status)
	}
}
