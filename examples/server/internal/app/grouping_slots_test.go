package app_test

import (
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// customSlots are hour-long meeting times starting on the half hour, none
// of which is among the default 90-minute slots that start on the hour.
func customSlots() []bsk.Slot {
	var out []bsk.Slot
	for _, d := range []bsk.Day{bsk.Monday, bsk.Tuesday, bsk.Wednesday, bsk.Thursday, bsk.Friday} {
		for _, h := range []int{9, 10, 12} {
			out = append(out, bsk.Slot{Day: d, Start: h*60 + 30, End: h*60 + 90})
		}
	}
	return out
}

// A coordinator who gives the run's own meeting times gets groups with
// consultants: consultants are matched on the same meeting times as the
// members, not on the default ones.
func TestGroupingRunCustomMeetingTimesHasConsultants(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testCustomMeetingTimes(t, b) })
	}
}

func testCustomMeetingTimes(t *testing.T, b backend) {
	s := start(t, b, true)
	coord := s.key("coordinator", "", "")
	slots := customSlots()
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
		Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 1, Seed: 5,
		Options: grouping.PresetOptions{Slots: slots},
	}).json(t, &run)
	run = waitRun(t, s, coord, run.ID)
	if run.Status != app.RunDone || run.Solution == nil {
		t.Fatalf("run ended %s: %+v", run.Status, run.Error)
	}
	people := providersOf(t, s)
	if len(run.Unled) != 0 {
		t.Errorf("unled = %v; want every group led", run.Unled)
	}
	formed := 0
	for g, members := range run.Solution.Groups {
		if len(members) == 0 {
			continue
		}
		formed++
		if g >= len(run.Leaders) || run.Leaders[g] == "" {
			t.Errorf("group %d of %d members has no consultant", g, len(members))
			continue
		}
		c := people[grouping.MemberID(run.Leaders[g])]
		if c.Role != bsk.RoleConsultant {
			t.Errorf("group %d led by %s, a %q", g, c.ID, c.Role)
		}
		// Some requested meeting time suits the consultant and every member.
		common := false
		for _, sl := range slots {
			ok := bsk.Free(c.Availability, sl)
			for _, m := range members {
				ok = ok && bsk.Free(people[m].Availability, sl)
			}
			common = common || ok
		}
		if !common {
			t.Errorf("group %d and its consultant %s share none of the requested meeting times", g, c.ID)
		}
		for _, m := range members {
			if people[m].OrganizationID == c.OrganizationID {
				t.Errorf("consultant %s leads %s of their own organization", c.ID, m)
			}
		}
	}
	if formed < 50 {
		t.Errorf("%d groups formed at the requested times; want most of the program's 97", formed)
	}
}
