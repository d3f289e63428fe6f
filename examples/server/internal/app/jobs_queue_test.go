package app_test

import (
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/grouping"
)

// TestRunLimitsQueue starts real grouping runs beyond the limits: one
// running run per key, two in all, two waiting per key, three waiting in
// all. Runs beyond a running limit wait "queued" and start in order when a
// slot frees; runs beyond a queue's bound are refused with 429; a queued
// run can be cancelled and then never starts.
func TestRunLimitsQueue(t *testing.T) {
	dir := t.TempDir()
	s := startWith(t, backend{name: "sqlite"}, app.Config{Data: dir,
		Runs: app.RunLimits{PerKey: 1, Total: 2, QueuedPerKey: 2, Queue: 3}})
	c1, c2 := s.key("coordinator", "", ""), s.key("coordinator", "", "")
	firstID := ""
	post := func(key string, seconds float64, want int, status app.RunStatus) string {
		t.Helper()
		req := app.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: seconds, NoLeaders: true}
		r := s.expect(want, "POST", "/api/v1/grouping-runs", key, req)
		if want != 202 {
			return ""
		}
		var run app.GroupingRun
		r.json(t, &run)
		if run.Status != status {
			t.Fatalf("new run %s is %s; want %s (first run: %s)", run.ID, run.Status, status, runOf(t, s, key, firstID).Status)
		}
		return run.ID
	}
	// r1 and r5 run long and are cancelled when the test needs their slots.
	r1 := post(c1, 300, 202, app.RunRunning)
	firstID = r1
	r2 := post(c1, 3, 202, app.RunQueued)
	r3 := post(c1, 3, 202, app.RunQueued)
	post(c1, 3, 429, "") // c1 has two waiting
	r5 := post(c2, 300, 202, app.RunRunning)
	r6 := post(c2, 3, 202, app.RunQueued)
	post(c2, 3, 429, "") // three waiting in all
	if got := runOf(t, s, c1, r2).Status; got != app.RunQueued {
		t.Fatalf("r2 is %s while r1 runs; want queued", got)
	}

	// A queued run is cancelled at once and never starts.
	var cancelled map[string]string
	s.expect(200, "POST", "/api/v1/grouping-runs/"+r6+"/cancel", c2, nil).json(t, &cancelled)
	if cancelled["status"] != string(app.RunCancelled) {
		t.Errorf("cancel of a queued run = %v; want status cancelled", cancelled)
	}

	// When r1 ends, r2 (the older) starts and r3 keeps waiting behind it.
	s.expect(202, "POST", "/api/v1/grouping-runs/"+r1+"/cancel", c1, nil)
	if run := waitFinished(t, s, c1, r1); run.Status != app.RunCancelled {
		t.Fatalf("r1 ended %s: %+v", run.Status, run.Error)
	}
	// r2 leaves the queue once r1's slot is free (its record changes a
	// moment later).
	got := runOf(t, s, c1, r2).Status
	for deadline := time.Now().Add(10 * time.Second); got == app.RunQueued && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		got = runOf(t, s, c1, r2).Status
	}
	if got != app.RunRunning && got != app.RunDone {
		t.Fatalf("r2 is %s after r1 ended; want running", got)
	} else if got == app.RunRunning {
		if got3 := runOf(t, s, c1, r3).Status; got3 != app.RunQueued {
			t.Fatalf("r3 is %s while r2 runs; want queued (runs start in order)", got3)
		}
		s.expect(200, "POST", "/api/v1/grouping-runs/"+r3+"/cancel", c1, nil)
	}
	if run := waitFinished(t, s, c1, r2); run.Status != app.RunDone || run.Solution == nil {
		t.Fatalf("queued run r2 ended %s: %+v", run.Status, run.Error)
	}
	waitFinished(t, s, c1, r3)
	if run := waitFinished(t, s, c2, r6); run.Status != app.RunCancelled || run.Solution != nil {
		t.Errorf("cancelled queued run r6 = %s with solution %v", run.Status, run.Solution != nil)
	}
	s.expect(202, "POST", "/api/v1/grouping-runs/"+r5+"/cancel", c2, nil)
	waitFinished(t, s, c2, r5)
	// With the queue empty again, a new run starts at once.
	post(c1, 1, 202, app.RunRunning)
}
