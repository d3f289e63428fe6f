package app_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// dayName is the English name of a day code, written out here so that the
// test does not take it from the code under test.
var dayName = map[bsk.Day]string{bsk.Monday: "Monday", bsk.Tuesday: "Tuesday", bsk.Wednesday: "Wednesday",
	bsk.Thursday: "Thursday", bsk.Friday: "Friday", bsk.Saturday: "Saturday", bsk.Sunday: "Sunday"}

// TestGroupingAnswersReadable: a finished run says how long it took in
// seconds, and its rosters number groups from 1, name each group's members
// and consultant, and give the meeting times as text.
func TestGroupingAnswersReadable(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coord := s.key("coordinator", "", "")
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
		Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.5, Seed: 2}).json(t, &run)
	run = waitFinished(t, s, coord, run.ID)
	if run.Status != app.RunDone {
		t.Fatalf("run ended %s: %+v", run.Status, run.Error)
	}

	// Times in seconds, beside the nanoseconds the library reports.
	var raw struct {
		ElapsedSeconds *float64 `json:"elapsed_seconds"`
		Progress       struct {
			Elapsed        int64    `json:"elapsed"`
			ElapsedSeconds *float64 `json:"elapsed_seconds"`
		} `json:"progress"`
	}
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID, coord, nil).json(t, &raw)
	if raw.Progress.ElapsedSeconds == nil || *raw.Progress.ElapsedSeconds != float64(raw.Progress.Elapsed)/1e9 {
		t.Errorf("progress.elapsed_seconds = %v; want progress.elapsed (%d ns) in seconds", raw.Progress.ElapsedSeconds, raw.Progress.Elapsed)
	}
	if want := run.FinishedAt.Sub(run.CreatedAt).Seconds(); raw.ElapsedSeconds == nil || *raw.ElapsedSeconds != want {
		t.Errorf("elapsed_seconds = %v; want finished_at - created_at = %v", raw.ElapsedSeconds, want)
	}

	people := providersOf(t, s)
	var rs struct {
		RunID   string `json:"run_id"`
		Rosters []struct {
			Group      int    `json:"group"`
			Number     int    `json:"number"`
			Name       string `json:"name"`
			Leader     string `json:"leader"`
			Consultant *struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"consultant"`
			Members []struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"members"`
			Slots        []string `json:"slots"`
			MeetingTimes []string `json:"meeting_times"`
		} `json:"rosters"`
	}
	s.expect(200, "GET", "/api/v1/grouping-runs/"+run.ID+"/rosters", coord, nil).json(t, &rs)
	if len(rs.Rosters) != len(run.Solution.Groups) {
		t.Fatalf("%d rosters for %d groups", len(rs.Rosters), len(run.Solution.Groups))
	}
	slotByCode := map[string]bsk.Slot{}
	for _, sl := range grouping.DefaultMeetingSlots(90) {
		slotByCode[fmt.Sprintf("%s-%02d%02d", sl.Day, sl.Start/60, sl.Start%60)] = sl
	}
	timed := 0
	for i, r := range rs.Rosters {
		if r.Group != i || r.Number != i+1 || r.Name != fmt.Sprintf("Group %d", i+1) {
			t.Errorf("roster %d: group %d, number %d, name %q; want %d, %d, %q", i, r.Group, r.Number, r.Name, i, i+1, fmt.Sprintf("Group %d", i+1))
		}
		for j, m := range r.Members {
			if want := people[grouping.MemberID(m.ID)].Name; m.Name != want || want == "" {
				t.Errorf("group %d member %d: %s named %q; on file %q", r.Number, j, m.ID, m.Name, want)
			}
		}
		if r.Leader != run.Leaders[i] {
			t.Errorf("group %d leader %q; the run says %q", r.Number, r.Leader, run.Leaders[i])
		}
		if r.Leader != "" {
			if want := people[grouping.MemberID(r.Leader)].Name; r.Consultant == nil || r.Consultant.ID != r.Leader || r.Consultant.Name != want {
				t.Errorf("group %d consultant %+v; want %s named %q", r.Number, r.Consultant, r.Leader, want)
			}
		}
		var want []string
		for _, code := range r.Slots {
			sl, ok := slotByCode[code]
			if !ok {
				t.Fatalf("group %d meets at %q, not a default slot", r.Number, code)
			}
			want = append(want, fmt.Sprintf("%s %02d:%02d-%02d:%02d", dayName[sl.Day], sl.Start/60, sl.Start%60, sl.End/60, sl.End%60))
		}
		if len(want) > 0 {
			timed++
		}
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(r.MeetingTimes, want) {
			t.Errorf("group %d meeting_times %q; want %q", r.Number, r.MeetingTimes, want)
		}
	}
	if timed < len(rs.Rosters)/2 {
		t.Errorf("only %d of %d groups have a meeting time", timed, len(rs.Rosters))
	}
}

// TestGroupingLeaderCapacityOneField: options.leader_capacity is the run's
// leader capacity; the older top-level leader_capacity is accepted alone or
// with the same value, and a request that sets the two differently is
// refused, naming the field.
func TestGroupingLeaderCapacityOneField(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coord := s.key("coordinator", "", "")
	post := func(top, opt int) response {
		return s.do("POST", "/api/v1/grouping-runs", coord, app.GroupingRunRequest{
			Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.3, Seed: 1,
			LeaderCapacity: top, Options: grouping.PresetOptions{LeaderCapacity: opt}})
	}
	r := post(3, 4)
	if r.Status != 400 || !slices.Contains(r.problems(t), "/leader_capacity") {
		t.Fatalf("leader_capacity 3 with options.leader_capacity 4 = %d %s; want 400 naming /leader_capacity", r.Status, r.Body)
	}
	// One consultant group each, set either way, or both alike.
	for _, c := range []struct{ top, opt int }{{0, 1}, {1, 0}, {1, 1}} {
		r := post(c.top, c.opt)
		if r.Status != 202 {
			t.Fatalf("leader_capacity %d, options.leader_capacity %d = %d %s", c.top, c.opt, r.Status, r.Body)
		}
		var run app.GroupingRun
		r.json(t, &run)
		run = waitFinished(t, s, coord, run.ID)
		if run.Status != app.RunDone || run.Request.Options.LeaderCapacity != 1 {
			t.Fatalf("run %s; options.leader_capacity stored %d; want done with 1", run.Status, run.Request.Options.LeaderCapacity)
		}
		load := map[string]int{}
		for _, l := range run.Leaders {
			if l != "" {
				load[l]++
			}
		}
		if len(load) == 0 {
			t.Errorf("%+v: no group has a consultant", c)
		}
		for l, n := range load {
			if n > 1 {
				t.Errorf("%+v: consultant %s leads %d groups; the capacity is 1", c, l, n)
			}
		}
	}
}

// TestGroupingListReadsAuditedPerRun: listing runs formed from
// demographics leaves one audit entry per run, each naming one run.
func TestGroupingListReadsAuditedPerRun(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	adminID, admin := keyWithID(s, "admin", "", "")
	var ids []string
	for range 2 {
		var run app.GroupingRun
		s.expect(202, "POST", "/api/v1/grouping-runs", admin, app.GroupingRunRequest{Preset: grouping.IntergroupDialoguePreset, TimeLimitSeconds: 0.2}).json(t, &run)
		waitFinished(t, s, admin, run.ID)
		ids = append(ids, run.ID)
	}
	before := len(audited(t, s, adminID, "read", "grouping_run"))
	var page json.RawMessage
	s.expect(200, "GET", "/api/v1/grouping-runs", admin, nil).json(t, &page)
	got := audited(t, s, adminID, "read", "grouping_run")[before:]
	var named []string
	for _, e := range got {
		named = append(named, e.EntityID)
	}
	slices.Sort(named)
	slices.Sort(ids)
	if !slices.Equal(named, ids) {
		t.Errorf("listing two dialogue runs left read entries naming %q; want one per run: %q", named, ids)
	}
}
