package app_test

import (
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// Small-group mentorship as the seeds run it: mentors named by a list
// (here reflective consultants), each leading several groups of 6-8, none
// of them a member; a mentor's own key reads the rosters of their groups.
func TestGroupingRunMentorsByList(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coord := s.key("coordinator", "", "")
	people := providersOf(t, s)
	var mentors, members []string
	for id, p := range people {
		switch {
		case p.Role == bsk.RoleConsultant && len(mentors) < 3:
			mentors = append(mentors, string(id))
		case p.Role == bsk.RoleDirectService && len(members) < 82:
			members = append(members, string(id))
		}
	}
	slices.Sort(mentors)
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
		Preset: grouping.MentorshipPreset, TimeLimitSeconds: 1, Seed: 3,
		ProviderIDs: members, LeaderIDs: mentors, Options: grouping.PresetOptions{LeaderCapacity: 6},
	}).json(t, &run)
	run = waitRun(t, s, coord, run.ID)
	if run.Status != app.RunDone || run.Solution == nil {
		t.Fatalf("run ended %s: %+v", run.Status, run.Error)
	}
	load := map[string]int{}
	unled := map[int]bool{}
	for _, u := range run.Unled {
		unled[u.Group] = true
	}
	formed := 0
	for g, ms := range run.Solution.Groups {
		if len(ms) == 0 {
			continue
		}
		formed++
		if len(ms) < 6 || len(ms) > 8 {
			t.Errorf("group %d has %d members; want 6-8", g, len(ms))
		}
		for _, m := range ms {
			if slices.Contains(mentors, string(m)) {
				t.Errorf("mentor %s is a member of group %d", m, g)
			}
		}
		switch {
		case g < len(run.Leaders) && run.Leaders[g] != "":
			if !slices.Contains(mentors, run.Leaders[g]) {
				t.Errorf("group %d is led by %s, not a named mentor", g, run.Leaders[g])
			}
			load[run.Leaders[g]]++
		case !unled[g]:
			t.Errorf("group %d has no mentor and no reason", g)
		}
	}
	if formed < 6 {
		t.Errorf("%d groups formed from 82 members; want small groups", formed)
	}
	for m, n := range load {
		if n > 6 {
			t.Errorf("mentor %s leads %d groups; capacity 6", m, n)
		}
	}
	if len(load) == 0 {
		t.Fatal("no group has a mentor")
	}
	// A mentor's consultant key sees exactly the groups they lead.
	var lead string
	for m := range load {
		lead = m
	}
	key := s.key("consultant", "", lead)
	var rosters struct {
		Rosters []app.Roster `json:"rosters"`
	}
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", key, nil).json(t, &rosters)
	if len(rosters.Rosters) != load[lead] {
		t.Errorf("mentor %s reads %d rosters; leads %d groups", lead, len(rosters.Rosters), load[lead])
	}
	// An unknown mentor is named.
	r := s.expect(404, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
		Preset: grouping.MentorshipPreset, LeaderIDs: []string{"nobody"}, Options: grouping.PresetOptions{LeaderCapacity: 6}})
	if f := r.problems(t); !slices.Equal(f, []string{"/leader_ids/0"}) {
		t.Errorf("unknown mentor: problems %v; want /leader_ids/0", f)
	}
}
