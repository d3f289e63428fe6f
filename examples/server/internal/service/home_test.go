package service

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/pgtest"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// homeServices are the demo's services over SQLite, and over PostgreSQL
// when WORKFORCE_TEST_POSTGRES holds a DSN (a fresh schema each).
func homeServices(t *testing.T) map[store.Dialect]*Services {
	t.Helper()
	ctx := context.Background()
	out := map[store.Dialect]*Services{store.SQLite: testServices(t, &lockedBuffer{})}
	dsn, ok := pgtest.Schema(t)
	if !ok {
		t.Log("WORKFORCE_TEST_POSTGRES is not set: PostgreSQL variant skipped")
		return out
	}
	db, err := store.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	svc := New(db, zerolog.Nop(), Config{Data: t.TempDir()})
	t.Cleanup(func() {
		svc.Close()
		db.Close()
	})
	if err := svc.Workforce.LoadDemo(WithPrincipal(ctx, System), 1); err != nil {
		t.Fatal(err)
	}
	out[store.Postgres] = svc
	return out
}

// latestTheSlowWay is the newest run of a preset the caller may see as the
// home page found it before [Grouping.Latest]: every run listed in ID
// order, the last of the preset kept, then read in full.
func latestTheSlowWay(t *testing.T, g *Grouping, ctx context.Context, preset grouping.Preset) *GroupingRun {
	t.Helper()
	var latest string
	q := ListQuery{Limit: 2}
	for {
		page, err := g.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			if r.Request.Preset == preset {
				latest = r.ID
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if latest == "" {
		return nil
	}
	run, err := g.Get(ctx, latest)
	if err != nil {
		t.Fatal(err)
	}
	return &run
}

// TestGroupingLatest: the newest run of a preset the caller may see is the
// one every run listed and read in full gives, on SQLite and PostgreSQL:
// a coordinator passes over newer runs formed from demographics that an
// administrator is shown; a preset without runs gives none; and roles
// that may not read runs are refused.
func TestGroupingLatest(t *testing.T) {
	for dialect, svc := range homeServices(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			admin := WithPrincipal(ctx, Principal{KeyID: "k-admin", Role: RoleAdmin})
			coord := WithPrincipal(ctx, Principal{KeyID: "k-coord", Role: RoleCoordinator})
			g := svc.Grouping
			for _, p := range []context.Context{admin, coord} {
				if got, err := g.Latest(p, grouping.ReflectiveConsultationPreset); err != nil || got != nil {
					t.Fatalf("Latest with no runs = %v, %v; want nil", got, err)
				}
			}
			started, err := g.Start(admin, GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.2, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			real := finished(t, g, admin, started.ID)
			if real.Status != RunDone || real.Solution == nil {
				t.Fatalf("run %s = %s; want done with a solution", real.ID, real.Status)
			}
			// Newer runs, stored as finished runs are: a reflective
			// consultation, one with a criterion on race (administrators
			// alone see it), then an intergroup dialogue and a mentorship.
			demographic := GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset,
				Criteria: []grouping.Criterion{{Kind: grouping.Diverse, Attr: grouping.AttrRace, Weight: 1}}}
			var ids []string
			for _, req := range []GroupingRunRequest{real.Request, demographic, {Preset: grouping.IntergroupDialoguePreset}, {Preset: grouping.MentorshipPreset}} {
				run := real
				run.ID, run.Request = "run-"+store.NewID(), req
				run.Unplaced, run.Language = nil, ""
				if err := g.save(ctx, run, true); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, run.ID)
			}
			for _, c := range []struct {
				name   string
				ctx    context.Context
				preset grouping.Preset
				want   string
			}{
				{"coordinator", coord, grouping.ReflectiveConsultationPreset, ids[0]},
				{"admin", admin, grouping.ReflectiveConsultationPreset, ids[1]},
				{"coordinator dialogue", coord, grouping.IntergroupDialoguePreset, ""},
				{"admin dialogue", admin, grouping.IntergroupDialoguePreset, ids[2]},
				{"admin mentorship", admin, grouping.MentorshipPreset, ids[3]},
				{"admin training breakouts", admin, grouping.TrainingBreakoutsPreset, ""},
			} {
				t.Run(c.name, func(t *testing.T) {
					got, err := g.Latest(c.ctx, c.preset)
					if err != nil {
						t.Fatal(err)
					}
					want := latestTheSlowWay(t, g, c.ctx, c.preset)
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("Latest(%s) (-slow way +got):\n%s", c.preset, d)
					}
					gotID := ""
					if got != nil {
						gotID = got.ID
						if got.Solution == nil || len(got.Solution.Groups) != len(real.Solution.Groups) {
							t.Errorf("Latest(%s) = run %s without its solution", c.preset, got.ID)
						}
					}
					if gotID != c.want {
						t.Errorf("Latest(%s) = run %q; want %q", c.preset, gotID, c.want)
					}
				})
			}
			for _, role := range []Role{RoleAgency, RoleConsultant, RoleEvaluator} {
				p := WithPrincipal(ctx, Principal{KeyID: "k-" + string(role), Role: role, OrganizationID: "org-001"})
				if got, err := g.Latest(p, grouping.ReflectiveConsultationPreset); bsk.ErrorCode(err) != bsk.CodeUnauthorized || got != nil {
					t.Errorf("Latest as %s = %v, %v; want unauthorized", role, got, err)
				}
			}
			if got, err := g.Latest(ctx, grouping.ReflectiveConsultationPreset); !errors.Is(err, ErrUnauthenticated) || got != nil {
				t.Errorf("Latest with nobody signed in = %v, %v; want ErrUnauthenticated", got, err)
			}
		})
	}
}

// TestGroupingListWithoutSolutions: a listing steps over each run's
// solution and gives every other field as reading the run in full does.
func TestGroupingListWithoutSolutions(t *testing.T) {
	for dialect, svc := range homeServices(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			admin := WithPrincipal(ctx, Principal{KeyID: "k-admin", Role: RoleAdmin})
			coord := WithPrincipal(ctx, Principal{KeyID: "k-coord", Role: RoleCoordinator})
			g := svc.Grouping
			started, err := g.Start(admin, GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: 0.2, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			real := finished(t, g, admin, started.ID)
			demographic := real
			demographic.ID = "run-" + store.NewID()
			demographic.Request.Criteria = []grouping.Criterion{{Kind: grouping.Diverse, Attr: grouping.AttrRace, Weight: 1}}
			if err := g.save(ctx, demographic, true); err != nil {
				t.Fatal(err)
			}
			for name, who := range map[string]context.Context{"admin": admin, "coordinator": coord} {
				page, err := g.List(who, ListQuery{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]int{"admin": 2, "coordinator": 1}[name]
				if len(page.Items) != want {
					t.Fatalf("%s lists %d runs; want %d", name, len(page.Items), want)
				}
				for _, listed := range page.Items {
					if listed.Solution != nil {
						t.Errorf("%s: run %s listed with its solution", name, listed.ID)
					}
					full, err := g.Get(who, listed.ID)
					if err != nil {
						t.Fatal(err)
					}
					if full.Solution == nil {
						t.Fatalf("run %s read in full has no solution", listed.ID)
					}
					// The unplaced members with their reasons are read from
					// the solution, so a listing has none.
					full.Solution, full.Unplaced = nil, nil
					if d := cmp.Diff(full, listed); d != "" {
						t.Errorf("%s: run %s listed differs from the run read in full (-full +listed):\n%s", name, listed.ID, d)
					}
				}
			}
		})
	}
}
