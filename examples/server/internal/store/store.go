package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/beststarts/workforce/bsk"
)

// Kind names a table of records.
type Kind string

// The record kinds.
const (
	Organizations Kind = "organizations"
	Providers     Kind = "providers"
	Offerings     Kind = "offerings"
	Sessions      Kind = "sessions"
	Attendance    Kind = "attendance"
	GroupingRuns  Kind = "grouping_runs"
	Programs      Kind = "programs"
	Applications  Kind = "applications"
	Reviews       Kind = "reviews"
	CycleRuns     Kind = "cycle_runs"
	Decisions     Kind = "decisions"
	LedgerEntries Kind = "ledger_entries"
	Instruments   Kind = "instruments"
	SurveyImports Kind = "survey_imports"
	SurveyData    Kind = "survey_data"
	// Registrations and WaitlistNotices are the trainings' (0005_trainings.sql).
	Registrations   Kind = "registrations"
	WaitlistNotices Kind = "waitlist_notices"
	// The program year (0006_program_year.sql).
	Publications, Enrolments, Invoices, InvoicedSessions Kind = "rc_publications", "enrolments", "invoices", "invoiced_sessions"
	// ReviewAssignments and CourseProgress are scholarship review and
	// completion (0008_review.sql).
	ReviewAssignments Kind = "review_assignments"
	CourseProgress    Kind = "course_progress"
	// Cohorts are the certificate cohorts (0009_cohort.sql).
	Cohorts Kind = "cohorts"
	// Audiences are offerings' audience rules (0010_audiences.sql).
	Audiences Kind = "offering_audiences"
	// CycleFunds are the funds defined for a scholarship cycle, and
	// FundRuns a funded run's allocation across them (0011_funds.sql).
	CycleFunds, FundRuns Kind = "cycle_funds", "fund_runs"
)

var kinds = []Kind{Organizations, Providers, Offerings, Sessions, Attendance,
	GroupingRuns, Programs, Applications, Reviews, CycleRuns, Decisions, LedgerEntries, Instruments, SurveyImports, SurveyData,
	Registrations, WaitlistNotices, Publications, Enrolments, Invoices, InvoicedSessions,
	ReviewAssignments, CourseProgress, Cohorts, Audiences, CycleFunds, FundRuns}

func (k Kind) valid() bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Record is one stored document with its key columns: the organization it
// belongs to and its parent (a session's offering, an attendance record's
// session).
type Record struct {
	ID     string
	Org    string
	Parent string
	Doc    []byte
}

// Dialect is the database flavour.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the store. Its methods are safe for concurrent use.
type DB struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	path    string
	stmts   sync.Map // statements prepared on first use: stmtKey -> *sql.Stmt
}

// OpenSQLite opens (creating if needed) the database file in dir and
// applies the migrations.
func OpenSQLite(ctx context.Context, dir string) (*DB, error) {
	db, err := ConnectSQLite(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ConnectSQLite opens (creating if needed) the database file in dir
// without applying the migrations: see [DB.Migrate] and
// [DB.MigrationStatus].
func ConnectSQLite(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	path := filepath.Join(dir, "workforce.db")
	// The database holds private demographic records: only the owner may
	// read it. SQLite gives its WAL and shared-memory files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("creating the database: %w", err)
	} else {
		f.Close()
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	read.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	return &DB{dialect: SQLite, read: read, write: write, path: path}, nil
}

// OpenPostgres connects to PostgreSQL with a DSN and applies the migrations.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := ConnectPostgres(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ConnectPostgres connects to PostgreSQL with a DSN without applying the
// migrations: see [DB.Migrate] and [DB.MigrationStatus].
func ConnectPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(16)
	db := &DB{dialect: Postgres, read: pool, write: pool}
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to postgres: %w", err)
	}
	return db, nil
}

// Dialect reports the database flavour.
func (db *DB) Dialect() Dialect { return db.dialect }

// Path is the SQLite file, or "" for PostgreSQL.
func (db *DB) Path() string { return db.path }

// Close closes the connections.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// IntegrityCheck runs SQLite's integrity check; it returns nil on
// PostgreSQL.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	var res string
	if err := db.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

// bind rewrites ? placeholders to $n for PostgreSQL.
func (db *DB) bind(q string) string {
	if db.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// NewID returns a random identifier with a time prefix, so IDs sort by
// creation.
func NewID() string {
	var b [8]byte
	rand.Read(b[:])
	return fmt.Sprintf("%013x%s", time.Now().UnixMicro(), hex.EncodeToString(b[:]))
}

func storeErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *bsk.Error
	if errors.As(err, &e) {
		return err
	}
	return bsk.Errorf(bsk.CodeInternal, "%s: %w", op, err)
}

// Get returns one record. A missing record is a [bsk.CodeNotFound] error.
func (db *DB) Get(ctx context.Context, k Kind, id string) (Record, error) {
	if !k.valid() {
		return Record{}, bsk.Errorf(bsk.CodeInternal, "unknown kind %q", k)
	}
	r := Record{ID: id}
	err := db.read.QueryRowContext(ctx, db.bind("SELECT org, parent, doc FROM "+string(k)+" WHERE id = ?"), id).Scan(&r.Org, &r.Parent, &r.Doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, bsk.NotFoundf("id", "no %s record %q", strings.TrimSuffix(string(k), "s"), id)
	}
	return r, storeErr("get", err)
}

// Filter narrows a listing. Empty fields match everything.
type Filter struct {
	// Org keeps records of this organization.
	Org string
	// Parent keeps records with this parent.
	Parent string
	// After keeps records whose ID sorts after this one (the page cursor).
	After string
	// Limit is the most records returned.
	Limit int
}

// List returns records in ID order.
func (db *DB) List(ctx context.Context, k Kind, f Filter) ([]Record, error) {
	return db.list(ctx, db.read, k, f)
}

// List returns records in ID order, as the transaction sees them.
func (t *Tx) List(ctx context.Context, k Kind, f Filter) ([]Record, error) {
	return t.db.list(ctx, t.tx, k, f)
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (db *DB) list(ctx context.Context, from querier, k Kind, f Filter) ([]Record, error) {
	if !k.valid() {
		return nil, bsk.Errorf(bsk.CodeInternal, "unknown kind %q", k)
	}
	q := "SELECT id, org, parent, doc FROM " + string(k) + " WHERE id > ?"
	args := []any{f.After}
	if f.Org != "" {
		q += " AND org = ?"
		args = append(args, f.Org)
	}
	if f.Parent != "" {
		q += " AND parent = ?"
		args = append(args, f.Parent)
	}
	q += " ORDER BY id LIMIT ?"
	args = append(args, f.Limit)
	rows, err := from.QueryContext(ctx, db.bind(q), args...)
	if err != nil {
		return nil, storeErr("list", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Org, &r.Parent, &r.Doc); err != nil {
			return nil, storeErr("list", err)
		}
		out = append(out, r)
	}
	return out, storeErr("list", rows.Err())
}

// Count returns the number of records of a kind.
func (db *DB) Count(ctx context.Context, k Kind) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+string(k)).Scan(&n)
	return n, storeErr("count", err)
}

// Tx is a write transaction. Everything done in one Tx commits together or
// not at all.
type Tx struct {
	db *DB
	tx *sql.Tx
}

// Write runs fn in a transaction on the writer connection and commits when
// fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return storeErr("begin", err)
	}
	if err := fn(&Tx{db, tx}); err != nil {
		tx.Rollback()
		return storeErr("write", err)
	}
	return storeErr("commit", tx.Commit())
}

// Exists reports whether a record exists, inside the transaction.
func (t *Tx) Exists(ctx context.Context, k Kind, id string) (bool, error) {
	var one int
	err := t.tx.QueryRowContext(ctx, t.db.bind("SELECT 1 FROM "+string(k)+" WHERE id = ?"), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Get returns one record inside the transaction.
func (t *Tx) Get(ctx context.Context, k Kind, id string) (Record, error) {
	r := Record{ID: id}
	err := t.tx.QueryRowContext(ctx, t.db.bind("SELECT org, parent, doc FROM "+string(k)+" WHERE id = ?"), id).Scan(&r.Org, &r.Parent, &r.Doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, bsk.NotFoundf("id", "no %s record %q", strings.TrimSuffix(string(k), "s"), id)
	}
	return r, err
}

// Insert adds a record; an existing ID is a [bsk.CodeConflict] error.
func (t *Tx) Insert(ctx context.Context, k Kind, r Record) error {
	ok, err := t.Exists(ctx, k, r.ID)
	if err != nil {
		return err
	}
	if ok {
		return &bsk.Error{Code: bsk.CodeConflict, Field: "id", Message: fmt.Sprintf("%s %q already exists", strings.TrimSuffix(string(k), "s"), r.ID)}
	}
	_, err = t.tx.ExecContext(ctx, t.db.bind("INSERT INTO "+string(k)+" (id, org, parent, doc, updated_at) VALUES (?, ?, ?, ?, ?)"), r.ID, r.Org, r.Parent, string(r.Doc), now())
	if err != nil && (strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "duplicate key")) {
		return &bsk.Error{Code: bsk.CodeConflict, Field: "id", Message: fmt.Sprintf("%q already exists", r.ID)}
	}
	return err
}

// Update replaces a record; a missing ID is a [bsk.CodeNotFound] error.
func (t *Tx) Update(ctx context.Context, k Kind, r Record) error {
	res, err := t.tx.ExecContext(ctx, t.db.bind("UPDATE "+string(k)+" SET org = ?, parent = ?, doc = ?, updated_at = ? WHERE id = ?"), r.Org, r.Parent, string(r.Doc), now(), r.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bsk.NotFoundf("id", "no %s record %q", strings.TrimSuffix(string(k), "s"), r.ID)
	}
	return nil
}

// Delete removes a record; a missing ID is a [bsk.CodeNotFound] error.
func (t *Tx) Delete(ctx context.Context, k Kind, id string) error {
	res, err := t.tx.ExecContext(ctx, t.db.bind("DELETE FROM "+string(k)+" WHERE id = ?"), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bsk.NotFoundf("id", "no %s record %q", strings.TrimSuffix(string(k), "s"), id)
	}
	return nil
}
