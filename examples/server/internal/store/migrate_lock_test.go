package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/examples/server/internal/store"
)

// TestMigrateSQLiteServersStartingTogether opens several stores at once on
// one fresh SQLite file, as servers (or a server and -migrate up) started
// together on one data directory do: all succeed, and each migration is
// applied once.
func TestMigrateSQLiteServersStartingTogether(t *testing.T) {
	const servers = 4
	files := migrationFiles(t)
	for round := range 3 {
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, servers)
		applied := make([]int, servers)
		gate := make(chan struct{})
		for i := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				db, err := store.OpenSQLite(context.Background(), dir)
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
				t.Errorf("round %d: server %d: %v", round, i, err)
			} else if applied[i] != len(files) {
				t.Errorf("round %d: server %d sees %d of %d migrations applied", round, i, applied[i], len(files))
			}
		}
		raw, err := sql.Open("sqlite", filepath.Join(dir, "workforce.db"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := raw.Query("SELECT version_id, COUNT(*) FROM goose_db_version GROUP BY version_id ORDER BY version_id")
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
		raw.Close()
		want := []string{"version 0 x1"}
		for _, f := range files {
			want = append(want, fmt.Sprintf("version %d x1", versionOf(t, f)))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round %d: goose_db_version (-want +got):\n%s", round, diff)
		}
	}
}
