package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// audited opens a fresh SQLite database in dir holding n organizations,
// each written with its audit entry.
func audited(t *testing.T, dir string, n int) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := range n {
		id := "org-" + string(rune('a'+i))
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Insert(ctx, store.Organizations, store.Record{ID: id, Org: id, Doc: []byte(`{}`)}); err != nil {
				return err
			}
			return tx.Audit(ctx, "key-1", "create", "organization", id)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// ids lists the organizations of db.
func ids(t *testing.T, db *store.DB) []string {
	t.Helper()
	recs, err := db.List(context.Background(), store.Organizations, store.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Name())
	}
	return out
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := audited(t, t.TempDir(), 3)
	backup := filepath.Join(t.TempDir(), "b.db")
	key := []byte("0123456789abcdef0123456789abcdef")
	if err := db.Backup(ctx, backup, []store.BackupFile{{Name: "decision.key", Data: key}}, false); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(backup); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want mode 0600", err, st.Mode().Perm())
	}
	if err := db.Backup(ctx, backup, nil, false); bsk.ErrorCode(err) != bsk.CodeConflict {
		t.Errorf("Backup over an existing file = %v; want a conflict", err)
	}
	if err := db.Backup(ctx, db.Path(), nil, true); bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("Backup onto the database itself, with overwrite = %v; want invalid", err)
	}

	dir := filepath.Join(t.TempDir(), "restored")
	r, err := store.Restore(ctx, backup, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Audit.Break != nil || r.Audit.Entries != 3 {
		t.Errorf("restored audit: %+v; want 3 entries, no break", r.Audit)
	}
	if diff := cmp.Diff([]string{"decision.key"}, r.Files); diff != "" {
		t.Errorf("restored files (-want +got):\n%s", diff)
	}
	got, err := os.ReadFile(filepath.Join(dir, "decision.key"))
	if err != nil || string(got) != string(key) {
		t.Errorf("restored decision.key = %q, %v; want %q", got, err, key)
	}
	if diff := cmp.Diff([]string{"decision.key", "workforce.db"}, entries(t, dir)); diff != "" {
		t.Errorf("data directory after restore (-want +got):\n%s", diff)
	}
	rdb, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if diff := cmp.Diff(ids(t, db), ids(t, rdb)); diff != "" {
		t.Errorf("restored organizations (-want +got):\n%s", diff)
	}
	c, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "workforce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	if err := c.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name = 'backup_files'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the restored database keeps the table of carried files (%d, %v)", n, err)
	}
}

// TestRestoreRefuses checks each backup Restore must refuse, and that a
// refusal leaves the data directory as it was.
func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	db := audited(t, t.TempDir(), 2)
	backup := func(t *testing.T, files ...store.BackupFile) string {
		t.Helper()
		p := filepath.Join(t.TempDir(), "b.db")
		if err := db.Backup(ctx, p, files, false); err != nil {
			t.Fatal(err)
		}
		return p
	}
	edit := func(t *testing.T, path, stmt string) {
		t.Helper()
		c, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name    string
		src     func(t *testing.T) string
		present map[string]string // files in the data directory before
		code    bsk.Code
		text    string
	}{
		{name: "not a database", code: bsk.CodeInvalid, text: "not a SQLite database", src: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "notes.txt")
			os.WriteFile(p, []byte("SELECT * FROM providers; -- not a database at all"), 0o600)
			return p
		}},
		{name: "another application's database", code: bsk.CodeInvalid, text: "no migration history", src: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "other.db")
			edit(t, p, "CREATE TABLE notes (body TEXT)")
			return p
		}},
		{name: "a carried file outside the directory", code: bsk.CodeInvalid, text: `"../escape"`, src: func(t *testing.T) string {
			p := backup(t)
			edit(t, p, "INSERT INTO backup_files (name, data) VALUES ('../escape', x'00')")
			return p
		}},
		{name: "a carried file over the database", code: bsk.CodeInvalid, text: `"workforce.db-wal"`, src: func(t *testing.T) string {
			p := backup(t)
			edit(t, p, "INSERT INTO backup_files (name, data) VALUES ('workforce.db-wal', x'00')")
			return p
		}},
		{name: "a database already there", code: bsk.CodeConflict, text: "-force", present: map[string]string{"workforce.db": "old"},
			src: func(t *testing.T) string { return backup(t) }},
		{name: "a decision key already there", code: bsk.CodeConflict, text: "decision.key", present: map[string]string{"decision.key": "old"},
			src: func(t *testing.T) string {
				return backup(t, store.BackupFile{Name: "decision.key", Data: []byte("new")})
			}},
		{name: "a database in use", code: bsk.CodeInvalid, text: "write-ahead log", src: func(t *testing.T) string {
			p := backup(t)
			os.WriteFile(p+"-wal", []byte("frames not yet checkpointed"), 0o600)
			return p
		}},
		{name: "a missing backup", code: bsk.CodeNotFound, text: "no backup",
			src: func(t *testing.T) string { return filepath.Join(t.TempDir(), "absent.db") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.present {
				os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600)
			}
			before := entries(t, dir)
			_, err := store.Restore(ctx, tc.src(t), dir, false)
			if bsk.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("Restore = %v; want a %s error naming %s", err, tc.code, tc.text)
			}
			if diff := cmp.Diff(before, entries(t, dir)); diff != "" {
				t.Errorf("data directory changed by a refused restore (-want +got):\n%s", diff)
			}
			for name, body := range tc.present {
				if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != body {
					t.Errorf("%s = %q after a refused restore; want %q", name, b, body)
				}
			}
		})
	}

	t.Run("a broken audit chain", func(t *testing.T) {
		p := backup(t)
		edit(t, p, "UPDATE audit SET entity_id = 'org-z' WHERE seq = 2")
		dir := t.TempDir()
		r, err := store.Restore(ctx, p, dir, false)
		var broken *store.AuditBreak
		if !errors.As(err, &broken) || broken.Seq != 2 || r.Audit.Break == nil {
			t.Errorf("Restore = %v; want an audit break at entry 2", err)
		}
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("a backup with a broken chain left %q in the data directory", got)
		}
	})

	t.Run("overwrite replaces the database and its WAL", func(t *testing.T) {
		dir := t.TempDir()
		other := audited(t, dir, 1)
		other.Close()
		os.WriteFile(filepath.Join(dir, "workforce.db-wal"), []byte("stale"), 0o600)
		if _, err := store.Restore(ctx, backup(t), dir, true); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "workforce.db-wal")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the old WAL is still there: %v", err)
		}
		rdb, err := store.OpenSQLite(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer rdb.Close()
		if diff := cmp.Diff(ids(t, db), ids(t, rdb)); diff != "" {
			t.Errorf("organizations after an overwriting restore (-want +got):\n%s", diff)
		}
	})
}

func TestBackupRefusesPostgres(t *testing.T) {
	pg, ok := postgresPlace(t)
	if !ok {
		t.Skip("no PostgreSQL")
	}
	db, err := store.OpenPostgres(context.Background(), pg.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dest := filepath.Join(t.TempDir(), "b.db")
	err = db.Backup(context.Background(), dest, nil, false)
	if bsk.ErrorCode(err) != bsk.CodeInvalid || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup on PostgreSQL = %v; want invalid, naming pg_dump", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Backup on PostgreSQL wrote %s", dest)
	}
}
