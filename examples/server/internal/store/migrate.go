package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"

	"github.com/beststarts/workforce/bsk"
)

// The migrations are goose SQL files (-- +goose Up / -- +goose Down), one
// set for both databases: each file's SQL runs unchanged on SQLite and
// PostgreSQL.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable is goose's record of the migrations a database has applied.
const versionTable = "goose_db_version"

// legacyTable is where releases before goose recorded the migrations they
// applied, one row (version, applied_at) per file.
const legacyTable = "schema_migrations"

// Migration is one schema migration and its state in a database.
type Migration struct {
	// Version is the number its file name starts with.
	Version int64
	// Name is its file name, such as "0001_init.sql".
	Name string
	// Applied reports whether the database has applied it.
	Applied bool
	// AppliedAt is when it was applied, in UTC; zero while pending.
	AppliedAt time.Time
}

// Migrate applies, in order and each in its own transaction, every
// migration the database has not applied, and returns those it applied.
//
// On PostgreSQL it holds a session-level advisory lock while it works,
// keyed by the database and schema, so that replicas starting together
// apply each migration once: the others wait for the lock (up to five
// minutes), then find nothing left to apply. On SQLite it holds the same
// kind of lock, an exclusive flock of the file migrate.lock beside the
// database, so that servers (or a server and -migrate up) started together
// on one data directory do the same. A database made before the
// store used goose (its applied versions in schema_migrations) keeps its
// history: the versions are moved into goose's table, in the transaction
// that creates it, and only the later migrations run.
//
// A failed migration is a [bsk.CodeInternal] error naming its file; the
// migrations before it stay applied.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	if db.dialect == SQLite {
		l, err := lockMigrations(ctx, filepath.Dir(db.path))
		if err != nil {
			return nil, err
		}
		defer l.Unlock()
	}
	p, err := db.migrations(ctx)
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		var partial *goose.PartialError
		if errors.As(err, &partial) {
			return applied(partial.Applied), bsk.Errorf(bsk.CodeInternal, "migration %s: %w", partial.Failed.Source.Path, partial.Err)
		}
		return nil, bsk.Errorf(bsk.CodeInternal, "migrations: %w", err)
	}
	return applied(results), nil
}

// MigrationStatus lists every migration, in version order, with whether
// and when the database applied it. It changes nothing: a database that
// goose has not yet touched is read from the table of the releases before
// it, or has every migration pending. On PostgreSQL it waits for a
// migration in progress to end.
func (db *DB) MigrationStatus(ctx context.Context) ([]Migration, error) {
	p, err := db.migrations(ctx)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, s := range p.ListSources() {
		out = append(out, Migration{Version: s.Version, Name: s.Path})
	}
	has, err := db.hasTable(ctx, db.write, versionTable)
	if err != nil {
		return nil, storeErr("migration status", err)
	}
	if !has {
		legacy, err := db.legacyVersions(ctx, db.write)
		if err != nil {
			return nil, storeErr("migration status", err)
		}
		for i, m := range out {
			if at, ok := legacy[m.Version]; ok {
				out[i].Applied, out[i].AppliedAt = true, at
			}
		}
		return out, nil
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "migration status: %w", err)
	}
	for i, s := range status {
		if s.State == goose.StateApplied {
			out[i].Applied, out[i].AppliedAt = true, s.AppliedAt.UTC()
		}
	}
	return out, nil
}

// applied lists the migrations goose reports applied, in order.
func applied(results []*goose.MigrationResult) []Migration {
	var out []Migration
	for _, r := range results {
		out = append(out, Migration{Version: r.Source.Version, Name: r.Source.Path, Applied: true, AppliedAt: time.Now().UTC()})
	}
	return out
}

// migrate applies the pending migrations, for the Open functions.
func (db *DB) migrate(ctx context.Context) error {
	_, err := db.Migrate(ctx)
	return err
}

// migrations returns a goose provider over the embedded files, the
// database's writer and goose's version table, which adopts the history of
// the releases before goose when it is created.
func (db *DB) migrations(ctx context.Context) (*goose.Provider, error) {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "migrations: %w", err)
	}
	dialect := database.DialectSQLite3
	if db.dialect == Postgres {
		dialect = database.DialectPostgres
	}
	inner, err := database.NewStore(dialect, versionTable)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "migrations: %w", err)
	}
	opts := []goose.ProviderOption{
		goose.WithStore(&adoptingStore{Store: inner, db: db}),
		goose.WithDisableGlobalRegistry(true),
	}
	if db.dialect == Postgres {
		id, err := db.lockID(ctx)
		if err != nil {
			return nil, storeErr("migration lock", err)
		}
		// Probe every second for five minutes: a replica waits about as
		// long as the migration it waits for.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, bsk.Errorf(bsk.CodeInternal, "migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(database.DialectCustom, db.write, files, opts...)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "migrations: %w", err)
	}
	return p, nil
}

// lockID is the advisory lock of the migrations of this PostgreSQL
// database and schema: replicas sharing both share it, and databases or
// schemas of their own never wait for each other.
func (db *DB) lockID(ctx context.Context) (int64, error) {
	var where string
	if err := db.write.QueryRowContext(ctx, "SELECT current_database() || '.' || COALESCE(current_schema(), '')").Scan(&where); err != nil {
		return 0, err
	}
	h := fnv.New64a()
	h.Write([]byte("workforce migrations " + where))
	return int64(h.Sum64()), nil
}

// hasTable reports whether the table exists (on PostgreSQL, in the
// current schema).
func (db *DB) hasTable(ctx context.Context, q database.DBTxConn, name string) (bool, error) {
	query := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if db.dialect == Postgres {
		query = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1"
	}
	var n int
	err := q.QueryRowContext(ctx, query, name).Scan(&n)
	return n > 0, err
}

// legacyVersions reads the versions, and when they were applied, recorded
// by the releases before goose. A database without their table has none.
func (db *DB) legacyVersions(ctx context.Context, q database.DBTxConn) (map[int64]time.Time, error) {
	has, err := db.hasTable(ctx, q, legacyTable)
	if err != nil || !has {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT version, applied_at FROM "+legacyTable+" ORDER BY version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var v int64
		var at string
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("%s version %d: applied_at %q: %w", legacyTable, v, at, err)
		}
		out[v] = t.UTC()
	}
	return out, rows.Err()
}

// adoptingStore is goose's version table, which, as it is created, takes
// over the history of the releases before goose: goose inserts version 0
// in the transaction that creates the table, and the store follows it with
// each version of schema_migrations, at the time it was applied, then
// drops that table. Version 0 comes first, so goose's order of application
// (by row) stays true and a rollback walks the old versions too.
type adoptingStore struct {
	database.Store
	db *DB
}

var _ database.StoreExtender = (*adoptingStore)(nil)

// Insert records a version; version 0, the table's first row, brings the
// old history with it.
func (s *adoptingStore) Insert(ctx context.Context, q database.DBTxConn, req database.InsertRequest) error {
	if err := s.Store.Insert(ctx, q, req); err != nil {
		return err
	}
	if req.Version != 0 {
		return nil
	}
	legacy, err := s.db.legacyVersions(ctx, q)
	if err != nil || legacy == nil {
		return err
	}
	insert := "INSERT INTO " + versionTable + " (version_id, is_applied, tstamp) VALUES (?, ?, ?)"
	if s.db.dialect == Postgres {
		insert = "INSERT INTO " + versionTable + " (version_id, is_applied, tstamp) VALUES ($1, $2, CAST($3 AS timestamptz) AT TIME ZONE current_setting('TimeZone'))"
	}
	for _, v := range slices.Sorted(maps.Keys(legacy)) {
		if _, err := q.ExecContext(ctx, insert, v, true, legacy[v]); err != nil {
			return fmt.Errorf("adopting version %d of %s: %w", v, legacyTable, err)
		}
	}
	_, err = q.ExecContext(ctx, "DROP TABLE "+legacyTable)
	return err
}

// GetMigration reads whether and when a version was applied. On
// PostgreSQL goose's tstamp is a timestamp without time zone that now()
// fills in the session's time zone, so it is read back in that zone.
func (s *adoptingStore) GetMigration(ctx context.Context, q database.DBTxConn, version int64) (*database.GetMigrationResult, error) {
	if s.db.dialect != Postgres {
		return s.Store.GetMigration(ctx, q, version)
	}
	var r database.GetMigrationResult
	err := q.QueryRowContext(ctx, "SELECT tstamp AT TIME ZONE current_setting('TimeZone'), is_applied FROM "+versionTable+" WHERE version_id = $1 ORDER BY tstamp DESC LIMIT 1", version).Scan(&r.Timestamp, &r.IsApplied)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %d", database.ErrVersionNotFound, version)
	}
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", version, err)
	}
	return &r, nil
}

// TableExists reports whether goose's version table exists.
func (s *adoptingStore) TableExists(ctx context.Context, q database.DBTxConn) (bool, error) {
	return s.db.hasTable(ctx, q, versionTable)
}
