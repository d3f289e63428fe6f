package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// A run's options may allow groups below their minimum: seven attendees
// cannot fill two breakout rooms of at least four, which is refused and
// names the option that allows it at the field's place in the request
// (/options/size), and with "allow_underfilled" everyone
// is placed and the small room is listed.
func TestGroupingRunAllowUnderfilled(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, true)
	coord := s.key("coordinator", "", "")
	var ids []string
	for id, p := range providersOf(t, s) {
		if !p.Role.Leads() && slices.Equal(p.Languages, []bsk.Language{bsk.English}) {
			ids = append(ids, string(id))
		}
	}
	slices.Sort(ids)
	if len(ids) < 7 {
		t.Fatalf("%d English-only providers in the demo; want 7", len(ids))
	}
	ids = ids[:7]
	req := app.GroupingRunRequest{Preset: grouping.TrainingBreakoutsPreset, TimeLimitSeconds: 1, Seed: 2, ProviderIDs: ids,
		Options: grouping.PresetOptions{Groups: 2, Size: grouping.Bounds{Min: 4, Max: 6}}}
	r := s.expect(400, "POST", "/api/v1/grouping-runs", coord, req)
	var refusal app.ErrorBody
	r.json(t, &refusal)
	if p := refusal.Error.Problems; refusal.Error.Code != bsk.CodeInvalid || len(p) != 1 || p[0].Field != "/options/size" ||
		!strings.Contains(p[0].Message, "allow_underfilled") {
		t.Errorf("refusal %s; want an invalid /options/size naming allow_underfilled", r.Body)
	}
	// A slot the options give is named by its place in the request.
	bad := req
	bad.Options.Slots = []bsk.Slot{{Day: bsk.Tuesday, Start: 600, End: 540}}
	r = s.expect(400, "POST", "/api/v1/grouping-runs", coord, bad)
	if f := r.problems(t); len(f) != 1 || !strings.HasPrefix(f[0], "/options/slots/0") {
		t.Errorf("bad slot: problems %v; want /options/slots/0...\n%s", f, r.Body)
	}

	req.Options.AllowUnderfilled = true
	var run app.GroupingRun
	s.expect(202, "POST", "/api/v1/grouping-runs", coord, req).json(t, &run)
	if !run.Request.Options.AllowUnderfilled {
		t.Error("the run's request lost allow_underfilled")
	}
	run = waitRun(t, s, coord, run.ID)
	if run.Status != app.RunDone || run.Solution == nil {
		t.Fatalf("run ended %s: %+v", run.Status, run.Error)
	}
	placed := 0
	for _, g := range run.Solution.Groups {
		placed += len(g)
	}
	if placed != 7 || len(run.Solution.Unplaced) != 0 {
		t.Errorf("%d placed, unplaced %v; want all 7", placed, run.Solution.Unplaced)
	}
	if len(run.Solution.Underfilled) != 1 || len(run.Solution.Groups[run.Solution.Underfilled[0]]) >= 4 {
		t.Errorf("underfilled %v of groups %v; want the one room below four", run.Solution.Underfilled, run.Solution.Groups)
	}
}
