package app_test

import (
	"strings"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/scholarship"
)

// A decline over HTTP: the freed money tops up the partial award below the
// decliner before anyone ranked lower gets a new one, every decision
// record agrees with the run's allocation, and declining an application
// with no award, or a second time, is a conflict that changes nothing.
func TestDeclineTopsUpAndUpdatesDecisions(t *testing.T) {
	prog := esitProgram(12_000_00) // one award of 9,500 and 2,500 of a second
	prog.Program.Cycles[0].Fit = scholarship.Partial
	w := newScholarshipWorld(t, app.Config{}, prog)
	for i, name := range []string{"ana", "ben", "cai"} {
		w.apply(t, w.agency, w.staff[i], name)
	}
	run := w.run(t)
	if len(run.Ranking) != 3 || len(run.Allocation.Awards) != 2 || len(run.Allocation.Waitlist) != 1 {
		t.Fatalf("run = %+v", run)
	}
	first, second, third := run.Ranking[0], run.Ranking[1], run.Ranking[2]
	if aw := run.Allocation.Awards[1]; aw.ApplicationID != second || aw.Amount != 2_500_00 || !aw.Partial {
		t.Fatalf("second award = %+v; want 2,500 in part to %s", aw, second)
	}
	path := cyc + "/runs/" + run.ID

	// Refusals name the application and store nothing.
	for _, tc := range []struct {
		status int
		ids    []string
	}{
		{409, []string{third}},        // waitlisted: no award to decline
		{404, []string{"app-nope"}},   // not in the run
		{409, []string{first, first}}, // listed twice
	} {
		r := w.s.expect(tc.status, "POST", path+"/declines", w.coord, app.DeclineRequest{ApplicationIDs: tc.ids})
		if !strings.Contains(string(r.Body), "declined[") {
			t.Errorf("declining %v: %s does not name the application", tc.ids, r.Body)
		}
	}
	var same app.CycleRun
	w.s.expect(200, "GET", path, w.coord, nil).json(t, &same)
	if len(same.Allocation.Awards) != 2 || same.Allocation.Awards[0].ApplicationID != first || len(same.Declined) != 0 {
		t.Fatalf("a refused decline changed the run: %+v", same)
	}

	var after app.CycleRun
	w.s.expect(200, "POST", path+"/declines", w.coord, app.DeclineRequest{ApplicationIDs: []string{first}}).json(t, &after)
	awards := map[string]scholarship.Award{}
	for _, aw := range after.Allocation.Awards {
		awards[aw.ApplicationID] = aw
	}
	if aw := awards[second]; aw.Amount != 9_500_00 || aw.Partial || aw.Step != "allocation" {
		t.Errorf("the partial award after the decline = %+v; want topped up to 9,500", aw)
	}
	if aw := awards[third]; aw.Amount != 2_500_00 || !aw.Partial || aw.Step != "reallocation" {
		t.Errorf("the waitlisted application's award = %+v; want the 2,500 left, in part", aw)
	}
	if _, ok := awards[first]; ok || after.Allocation.Left != 0 || after.Allocation.Spent != 12_000_00 {
		t.Errorf("allocation after the decline = %+v", after.Allocation)
	}

	ds := decisions(t, w.s, w.coord, path, "")
	for id, d := range ds {
		aw, ok := awards[id]
		switch {
		case ok && (d.Step != "awarded" || d.Award == nil || d.Award.Amount != aw.Amount || d.Award.Partial != aw.Partial || d.Award.Step != aw.Step):
			t.Errorf("decision of %s = %+v; the allocation awards %+v", id, d.DecisionRecord, aw)
		case !ok && d.Award != nil:
			t.Errorf("decision of %s has an award the allocation does not: %+v", id, d.Award)
		}
	}
	if d := ds[first]; d.Step != "declined" || len(d.Texts) == 0 || !strings.Contains(d.Texts[len(d.Texts)-1], "You declined the award") {
		t.Errorf("the decliner's decision = %+v, texts %q", d.DecisionRecord, d.Texts)
	}
	if es := decisions(t, w.s, w.coord, path, "es"); !strings.Contains(strings.Join(es[first].Texts, " "), "Usted rechazó la beca") {
		t.Errorf("the decliner's decision in Spanish: %q", es[first].Texts)
	}

	// A second decline of the same award is a conflict.
	w.s.expect(409, "POST", path+"/declines", w.coord, app.DeclineRequest{ApplicationIDs: []string{first}})
}
