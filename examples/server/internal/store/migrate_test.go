package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"

	"github.com/beststarts/workforce/examples/server/internal/pgtest"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// place is an empty database: a directory for SQLite, or a schema of its
// own in the PostgreSQL database of WORKFORCE_TEST_POSTGRES.
type place struct {
	dialect store.Dialect
	dir     string
	dsn     string
}

// places returns a fresh SQLite place, and a fresh PostgreSQL one when
// WORKFORCE_TEST_POSTGRES holds a DSN (the CI script sets it).
func places(t *testing.T) []place {
	t.Helper()
	out := []place{{dialect: store.SQLite, dir: t.TempDir()}}
	if pg, ok := postgresPlace(t); ok {
		out = append(out, pg)
	}
	return out
}

// postgresPlace returns a fresh schema in the test database, dropped when
// the test ends. Its sessions keep the county's time (Pacific), so that
// times the database fills in are checked away from UTC.
func postgresPlace(t *testing.T) (place, bool) {
	t.Helper()
	dsn, ok := pgtest.Schema(t, "timezone=America/Los_Angeles")
	if !ok {
		t.Log("WORKFORCE_TEST_POSTGRES is not set: PostgreSQL variant skipped")
		return place{}, false
	}
	return place{dialect: store.Postgres, dsn: dsn}, true
}

// open opens the place with the store, applying the migrations.
func (p place) open(t *testing.T) *store.DB {
	t.Helper()
	var db *store.DB
	var err error
	if p.dialect == store.Postgres {
		db, err = store.OpenPostgres(context.Background(), p.dsn)
	} else {
		db, err = store.OpenSQLite(context.Background(), p.dir)
	}
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// connect opens the place with the store, applying nothing.
func (p place) connect(t *testing.T) *store.DB {
	t.Helper()
	var db *store.DB
	var err error
	if p.dialect == store.Postgres {
		db, err = store.ConnectPostgres(context.Background(), p.dsn)
	} else {
		db, err = store.ConnectSQLite(context.Background(), p.dir)
	}
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// raw opens the place with database/sql alone, for the test's own SQL.
func (p place) raw(t *testing.T) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", p.dsn
	if p.dialect == store.SQLite {
		driver, dsn = "sqlite", "file:"+filepath.Join(p.dir, "workforce.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// bind rewrites ? placeholders for PostgreSQL.
func (p place) bind(q string) string {
	if p.dialect != store.Postgres {
		return q
	}
	for n := 1; strings.Contains(q, "?"); n++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", n), 1)
	}
	return q
}

// tables lists the place's tables.
func (p place) tables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if p.dialect == store.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	return out
}

// migrationFiles lists the files under migrations/, in version order.
func migrationFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migration files: %v", err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	slices.Sort(names)
	return names
}

// versionOf is the number a migration file's name starts with.
func versionOf(t *testing.T, name string) int64 {
	t.Helper()
	var v int64
	if _, err := fmt.Sscanf(name, "%d_", &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func TestMigrateFreshDatabase(t *testing.T) {
	ctx := context.Background()
	files := migrationFiles(t)
	for _, p := range places(t) {
		t.Run(string(p.dialect), func(t *testing.T) {
			db := p.connect(t)
			raw := p.raw(t)

			// Status of an empty database: everything pending, nothing written.
			st, err := db.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var want []store.Migration
			for _, f := range files {
				want = append(want, store.Migration{Version: versionOf(t, f), Name: f})
			}
			if diff := cmp.Diff(want, st); diff != "" {
				t.Errorf("status of an empty database (-want +got):\n%s", diff)
			}
			if got := p.tables(t, raw); len(got) != 0 {
				t.Errorf("status wrote tables %v to an empty database", got)
			}

			before := time.Now().UTC().Truncate(time.Second)
			done, err := db.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			after := time.Now().UTC()
			var names []string
			for _, m := range done {
				names = append(names, m.Name)
			}
			if diff := cmp.Diff(files, names); diff != "" {
				t.Errorf("Migrate applied (-want +got):\n%s", diff)
			}

			st, err = db.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range st {
				if m.Name != files[i] || !m.Applied || m.AppliedAt.Before(before) || m.AppliedAt.After(after) {
					t.Errorf("status[%d] = %+v; want %s applied between %s and %s", i, m, files[i], before, after)
				}
			}

			// Each version recorded once, after version 0.
			var versions []int64
			rows, err := raw.Query("SELECT version_id FROM goose_db_version ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v int64
				rows.Scan(&v)
				versions = append(versions, v)
			}
			rows.Close()
			wantVersions := []int64{0}
			for _, f := range files {
				wantVersions = append(wantVersions, versionOf(t, f))
			}
			if diff := cmp.Diff(wantVersions, versions); diff != "" {
				t.Errorf("goose_db_version (-want +got):\n%s", diff)
			}

			if again, err := db.Migrate(ctx); err != nil || len(again) != 0 {
				t.Errorf("second Migrate = %v, %v; want nothing applied", again, err)
			}
		})
	}
}

// legacyTime is when the old runner applied version v, in the fixture.
func legacyTime(v int64) time.Time {
	return time.Date(2024, time.Month(v), 1, 10, 0, 0, 123456000, time.UTC)
}

// legacyDatabase builds, in p, the database the runner before goose made
// after applying versions 1..upTo: its migration files (kept under
// testdata/legacy as they were) split on semicolons, each version recorded
// in schema_migrations. It then stores records the way that schema holds
// them: two organizations, a key and three audit entries.
func legacyDatabase(t *testing.T, p place, upTo int64) {
	t.Helper()
	db := p.raw(t)
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/legacy/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no legacy migrations: %v", err)
	}
	slices.Sort(files)
	for _, f := range files {
		v := versionOf(t, filepath.Base(f))
		if v > upTo {
			break
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range strings.Split(string(body), ";") {
			var code []string
			for _, line := range strings.Split(stmt, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(line), "--") {
					code = append(code, line)
				}
			}
			if strings.TrimSpace(strings.Join(code, "\n")) == "" {
				continue
			}
			if _, err := db.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		if _, err := db.Exec(p.bind("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"), v, legacyTime(v).Format(time.RFC3339Nano)); err != nil {
			t.Fatal(err)
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(p.bind(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, id := range []string{"org-kent", "org-vashon"} {
		exec("INSERT INTO organizations (id, org, parent, doc, updated_at) VALUES (?, ?, '', ?, ?)", id, id, legacyDoc(id), "2024-05-01T00:00:00Z")
	}
	exec("INSERT INTO api_keys (id, hash, name, role, created_at) VALUES ('key-admin', 'h1', 'county administrator', 'admin', '2024-05-01T00:00:00Z')")
	for i, action := range []string{"create", "update", "delete"} {
		id := fmt.Sprintf("a-%d", i+1)
		if upTo >= 3 {
			exec("INSERT INTO audit (seq, id, at, key_id, action, entity, entity_id) VALUES (?, ?, '2024-05-01T00:00:00Z', 'key-admin', ?, 'organization', 'org-kent')", i+1, id, action)
		} else {
			exec("INSERT INTO audit (id, at, key_id, action, entity, entity_id) VALUES (?, '2024-05-01T00:00:00Z', 'key-admin', ?, 'organization', 'org-kent')", id, action)
		}
	}
}

func legacyDoc(id string) string { return `{"id":"` + id + `","name":"agency ` + id + `"}` }

// TestMigrateAdoptsLegacyHistory opens databases made by the runner before
// goose, at its last version and one before, and checks that the store
// keeps their history and records and applies only what they lack.
func TestMigrateAdoptsLegacyHistory(t *testing.T) {
	ctx := context.Background()
	files := migrationFiles(t)
	for _, upTo := range []int64{3, 2} {
		for _, p := range places(t) {
			t.Run(fmt.Sprintf("%s/v%d", p.dialect, upTo), func(t *testing.T) {
				legacyDatabase(t, p, upTo)
				raw := p.raw(t)

				// Status reads the old table and changes nothing.
				st, err := p.connect(t).MigrationStatus(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var want []store.Migration
				for _, f := range files {
					m := store.Migration{Version: versionOf(t, f), Name: f}
					if m.Version <= upTo {
						m.Applied, m.AppliedAt = true, legacyTime(m.Version)
					}
					want = append(want, m)
				}
				if diff := cmp.Diff(want, st); diff != "" {
					t.Errorf("status before migrating (-want +got):\n%s", diff)
				}
				if tables := p.tables(t, raw); slices.Contains(tables, "goose_db_version") || !slices.Contains(tables, "schema_migrations") {
					t.Errorf("status changed the version tables: %v", tables)
				}

				start := time.Now().UTC().Truncate(time.Second)
				db := p.open(t)
				st, err = db.MigrationStatus(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for i, m := range st {
					if m.Version <= upTo {
						if diff := cmp.Diff(want[i], m); diff != "" {
							t.Errorf("adopted version %d (-want +got):\n%s", m.Version, diff)
						}
					} else if !m.Applied || m.AppliedAt.Before(start) {
						t.Errorf("version %d = %+v; want applied now", m.Version, m)
					}
				}
				if tables := p.tables(t, raw); slices.Contains(tables, "schema_migrations") {
					t.Errorf("schema_migrations is still there beside goose's table: %v", tables)
				}

				// The records are all there, unchanged.
				for _, id := range []string{"org-kent", "org-vashon"} {
					r, err := db.Get(ctx, store.Organizations, id)
					if err != nil {
						t.Fatalf("Get(%s): %v", id, err)
					}
					if string(r.Doc) != legacyDoc(id) || r.Org != id {
						t.Errorf("Get(%s) = %+v, doc %s; want doc %s", id, r, r.Doc, legacyDoc(id))
					}
				}
				keys, err := db.Keys(ctx, "", 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(keys) != 1 || keys[0].ID != "key-admin" || keys[0].Name != "county administrator" {
					t.Errorf("Keys = %+v; want the county administrator's key", keys)
				}
				log, err := db.AuditLog(ctx, store.AuditQuery{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range log {
					got = append(got, fmt.Sprintf("%d %s %s", e.Seq, e.ID, e.Action))
				}
				if diff := cmp.Diff([]string{"1 a-1 create", "2 a-2 update", "3 a-3 delete"}, got); diff != "" {
					t.Errorf("audit log (-want +got):\n%s", diff)
				}

				// The next append chains the old entries; the chain holds.
				if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Audit(ctx, "key-admin", "read", "organization", "org-vashon") }); err != nil {
					t.Fatal(err)
				}
				if r, err := db.VerifyAudit(ctx); err != nil || r.Break != nil || r.Entries != 4 {
					t.Errorf("VerifyAudit = %+v, %v; want 4 entries, no break", r, err)
				}

				// A later start has nothing to do.
				if again, err := db.Migrate(ctx); err != nil || len(again) != 0 {
					t.Errorf("second Migrate = %v, %v; want nothing applied", again, err)
				}
			})
		}
	}
}

// TestMigrateReplicasStartingTogether opens several stores at once on one
// fresh PostgreSQL schema, as replicas starting together do: all succeed,
// and each migration is applied once.
func TestMigrateReplicasStartingTogether(t *testing.T) {
	const replicas = 4
	files := migrationFiles(t)
	for round := range 3 {
		p, ok := postgresPlace(t)
		if !ok {
			t.Skip("needs PostgreSQL")
		}
		var wg sync.WaitGroup
		errs := make([]error, replicas)
		applied := make([]int, replicas)
		gate := make(chan struct{})
		for i := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				db, err := store.OpenPostgres(context.Background(), p.dsn)
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				st, err := db.MigrationStatus(context.Background())
				for _, m := range st {
					if m.Applied {
						applied[i]++
					}
				}
				errs[i] = err
			}()
		}
		close(gate)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d: replica %d: %v", round, i, err)
			} else if applied[i] != len(files) {
				t.Errorf("round %d: replica %d sees %d of %d migrations applied", round, i, applied[i], len(files))
			}
		}
		rows, err := p.raw(t).Query("SELECT version_id, COUNT(*) FROM goose_db_version GROUP BY version_id ORDER BY version_id")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var v, n int64
			rows.Scan(&v, &n)
			got = append(got, fmt.Sprintf("version %d x%d", v, n))
		}
		rows.Close()
		want := []string{"version 0 x1"}
		for _, f := range files {
			want = append(want, fmt.Sprintf("version %d x1", versionOf(t, f)))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round %d: goose_db_version (-want +got):\n%s", round, diff)
		}
	}
}

// TestMigrationsRollBack runs every migration's Down section with goose
// itself: from the last version back to 0, with records and audit entries
// in the database, and up again.
func TestMigrationsRollBack(t *testing.T) {
	ctx := context.Background()
	for _, p := range places(t) {
		t.Run(string(p.dialect), func(t *testing.T) {
			db := p.open(t)
			for _, action := range []string{"create", "update"} {
				if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Audit(ctx, "key-1", action, "organization", "org-1") }); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()

			raw := p.raw(t)
			dialect := goose.DialectSQLite3
			if p.dialect == store.Postgres {
				dialect = goose.DialectPostgres
			}
			prov, err := goose.NewProvider(dialect, raw, os.DirFS("migrations"), goose.WithDisableGlobalRegistry(true))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := prov.DownTo(ctx, 2); err != nil {
				t.Fatalf("down to 2: %v", err)
			}
			var actions []string
			rows, err := raw.Query("SELECT action FROM audit ORDER BY at, id")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var a string
				rows.Scan(&a)
				actions = append(actions, a)
			}
			rows.Close()
			if diff := cmp.Diff([]string{"create", "update"}, actions); diff != "" {
				t.Errorf("audit entries after rolling back 3 (-want +got):\n%s", diff)
			}
			if _, err := prov.DownTo(ctx, 0); err != nil {
				t.Fatalf("down to 0: %v", err)
			}
			if diff := cmp.Diff([]string{"goose_db_version"}, p.tables(t, raw)); diff != "" {
				t.Errorf("tables after rolling back everything (-want +got):\n%s", diff)
			}
			if _, err := prov.Up(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
			db = p.open(t)
			if r, err := db.VerifyAudit(ctx); err != nil || r.Break != nil {
				t.Errorf("VerifyAudit after down and up = %+v, %v", r, err)
			}
		})
	}
}
