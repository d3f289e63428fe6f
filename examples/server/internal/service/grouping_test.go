package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// lockedBuffer is a log that goroutines write while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testServices opens the services over a new SQLite database file holding
// the demo workforce.
func testServices(t *testing.T, logs *lockedBuffer) *Services {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := New(db, zerolog.New(logs), Config{Data: dir})
	t.Cleanup(func() {
		svc.Close()
		db.Close()
	})
	if err := svc.Workforce.LoadDemo(WithPrincipal(ctx, System), 1); err != nil {
		t.Fatal(err)
	}
	return svc
}

// finished polls a run until it is neither queued nor running.
func finished(t *testing.T, g *Grouping, ctx context.Context, id string) GroupingRun {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		run, err := g.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		if run.Status != RunQueued && run.Status != RunRunning {
			return run
		}
	}
	t.Fatalf("run %s unfinished after 30 s", id)
	return GroupingRun{}
}

// TestGroupingRefusesOnItsOwn calls the grouping service as the web app
// would, with no route table in front: every method refuses the roles the
// policy refuses, a run the caller may not see reads like a missing one,
// and a context without a caller is refused.
func TestGroupingRefusesOnItsOwn(t *testing.T) {
	svc := testServices(t, &lockedBuffer{})
	g := svc.Grouping
	bg := context.Background()
	admin := WithPrincipal(bg, Principal{KeyID: "k-admin", Role: RoleAdmin})
	coord := WithPrincipal(bg, Principal{KeyID: "k-coord", Role: RoleCoordinator})

	rc, err := g.Start(admin, GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dialogue, err := g.Start(admin, GroupingRunRequest{Preset: grouping.IntergroupDialoguePreset, TimeLimitSeconds: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	rc, dialogue = finished(t, g, admin, rc.ID), finished(t, g, admin, dialogue.ID)
	if rc.Status != RunDone || dialogue.Status != RunDone || len(rc.Leaders) == 0 || rc.Leaders[0] == "" {
		t.Fatalf("runs ended %s (leaders %v) and %s", rc.Status, rc.Leaders, dialogue.Status)
	}
	leader := rc.Leaders[0]

	calls := map[string]func(ctx context.Context, id string) error{
		"Start": func(ctx context.Context, _ string) error {
			_, err := g.Start(ctx, GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.1})
			return err
		},
		"List": func(ctx context.Context, _ string) error {
			_, err := g.List(ctx, ListQuery{Limit: 10})
			return err
		},
		"Get": func(ctx context.Context, id string) error { _, err := g.Get(ctx, id); return err },
		"Cancel": func(ctx context.Context, id string) error {
			_, err := g.Cancel(ctx, id)
			return err
		},
		"Regroup": func(ctx context.Context, id string) error {
			_, err := g.Regroup(ctx, id, RegroupRequest{TimeLimitSeconds: 0.1})
			return err
		},
		"Rosters": func(ctx context.Context, id string) error { _, err := g.Rosters(ctx, id); return err },
	}
	callers := map[string]Principal{
		"agency":     {KeyID: "k-agency", Role: RoleAgency, OrganizationID: "org-001"},
		"evaluator":  {KeyID: "k-eval", Role: RoleEvaluator},
		"consultant": {KeyID: "k-cons", Role: RoleConsultant, ProviderID: leader},
	}
	for who, p := range callers {
		ctx := WithPrincipal(bg, p)
		for name, call := range calls {
			err := call(ctx, rc.ID)
			if who == "consultant" && name == "Rosters" {
				// A consultant reads the rosters of the groups they lead.
				if err != nil {
					t.Errorf("%s.%s of a run they lead in: %v", who, name, err)
				}
				if err := call(ctx, dialogue.ID); bsk.ErrorCode(err) != bsk.CodeNotFound {
					t.Errorf("%s.%s of a dialogue run = %v; want not_found", who, name, err)
				}
				continue
			}
			if bsk.ErrorCode(err) != bsk.CodeUnauthorized {
				t.Errorf("%s.%s = %v; want unauthorized", who, name, err)
			}
		}
	}
	for name, call := range calls {
		if err := call(bg, rc.ID); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s without a caller = %v; want ErrUnauthenticated", name, err)
		}
	}

	// A coordinator may not see a run formed from demographics: each
	// answer about it is the answer about a run that does not exist.
	for name, call := range calls {
		if name == "Start" || name == "List" {
			continue
		}
		got, missing := call(coord, dialogue.ID), call(coord, "run-missing")
		if bsk.ErrorCode(got) != bsk.CodeNotFound || strings.ReplaceAll(got.Error(), dialogue.ID, "ID") != strings.ReplaceAll(missing.Error(), "run-missing", "ID") {
			t.Errorf("coordinator %s of a dialogue run = %v; of a missing run = %v; want the same not_found", name, got, missing)
		}
	}
	page, err := g.List(coord, ListQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Items {
		if r.ID == dialogue.ID {
			t.Errorf("a coordinator's list shows the dialogue run")
		}
	}
	if _, err := g.Start(coord, GroupingRunRequest{Preset: grouping.IntergroupDialoguePreset}); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("coordinator starts a dialogue run: %v; want unauthorized", err)
	}
}

// TestGroupingRunPanicMarksRunFailed makes a real run's search panic, as a
// library bug reached from a request would: the service recovers it, the
// run reads failed with an error that names the run and no internal
// detail, the log holds the stack under the run's ID, and the next run
// runs.
func TestGroupingRunPanicMarksRunFailed(t *testing.T) {
	logs := &lockedBuffer{}
	svc := testServices(t, logs)
	g := svc.Grouping
	var calls atomic.Int32
	g.solve = func(ctx context.Context, p *grouping.Problem, o grouping.Options) (*grouping.Solution, error) {
		if calls.Add(1) == 1 {
			var m map[string]int
			m["secret internal detail"]++ // a nil map write: a real runtime panic
		}
		return grouping.Solve(ctx, p, o)
	}
	admin := WithPrincipal(context.Background(), Principal{KeyID: "k-admin", Role: RoleAdmin})
	req := GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.2, NoLeaders: true}
	run, err := g.Start(admin, req)
	if err != nil {
		t.Fatal(err)
	}
	got := finished(t, g, admin, run.ID)
	if got.Status != RunFailed || got.Error == nil || got.Error.Code != bsk.CodeInternal || got.FinishedAt == nil || got.Solution != nil {
		t.Fatalf("after a panic the run reads %s, error %+v; want failed with an internal error", got.Status, got.Error)
	}
	if msg := fmt.Sprint(got.Error); !strings.Contains(msg, run.ID) || strings.Contains(msg, "secret") || strings.Contains(msg, "nil map") {
		t.Errorf("error %q should name the run, to find it in the log, and nothing of the panic", msg)
	}
	log := logs.String()
	if !strings.Contains(log, `"job":"`+run.ID+`"`) || !strings.Contains(log, "grouping_test.go") || !strings.Contains(log, "assignment to entry in nil map") {
		t.Errorf("the log should hold the panic with its stack and the run's ID:\n%s", log)
	}
	next, err := g.Start(admin, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := finished(t, g, admin, next.ID); got.Status != RunDone || got.Solution == nil {
		t.Errorf("the run after the panic ended %s: %+v", got.Status, got.Error)
	}
}

// TestGroupingRunStarts: a run's starts reach the search, are kept with
// the run's request (so a re-grouping uses them too), and a count outside
// 0 to 256 is refused at /starts before anything runs.
func TestGroupingRunStarts(t *testing.T) {
	svc := testServices(t, &lockedBuffer{})
	g := svc.Grouping
	var mu sync.Mutex
	var seen []int
	g.solve = func(ctx context.Context, p *grouping.Problem, o grouping.Options) (*grouping.Solution, error) {
		mu.Lock()
		seen = append(seen, o.Starts)
		mu.Unlock()
		return grouping.Solve(ctx, p, o)
	}
	admin := WithPrincipal(context.Background(), Principal{KeyID: "k-admin", Role: RoleAdmin})
	for _, bad := range []int{-1, 257} {
		_, err := g.Start(admin, GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, Starts: bad})
		var errs bsk.Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Field != "/starts" {
			t.Errorf("starts %d: %v; want invalid at /starts", bad, err)
		}
	}
	run, err := g.Start(admin, GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.2, NoLeaders: true, Starts: 3})
	if err != nil {
		t.Fatal(err)
	}
	got := finished(t, g, admin, run.ID)
	if got.Status != RunDone || got.Request.Starts != 3 {
		t.Fatalf("run %s with request starts %d; want done with 3", got.Status, got.Request.Starts)
	}
	again, err := g.Regroup(admin, run.ID, RegroupRequest{TimeLimitSeconds: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if re := finished(t, g, admin, again.ID); re.Status != RunDone || re.Request.Starts != 3 {
		t.Errorf("re-grouping %s with request starts %d; want done with the run's 3", re.Status, re.Request.Starts)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(seen, []int{3}) {
		t.Errorf("the search was asked for starts %v; want [3] (a re-grouping calls grouping.Regroup, not this)", seen)
	}
}
