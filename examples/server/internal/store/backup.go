package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// dbFile is the SQLite database's file name in the data directory.
const dbFile = "workforce.db"

// filesTable holds, inside a backup, the data directory's files that
// travel with the database (the decision key). [Restore] moves them back
// into the directory and drops the table.
const filesTable = "backup_files"

// sqliteHeader is how every SQLite database file begins.
var sqliteHeader = []byte("SQLite format 3\x00")

// BackupFile is a file of the data directory carried inside a backup: a
// plain name (no directory) and its contents.
type BackupFile struct {
	Name string
	Data []byte
}

// PostgresBackupHelp says how a PostgreSQL database is backed up and
// restored: with PostgreSQL's own tools, not by the server.
const PostgresBackupHelp = "a PostgreSQL database is backed up with pg_dump and restored with pg_restore: " +
	"pg_dump --format=custom --file=workforce.dump \"$DSN\"; " +
	"pg_restore --clean --if-exists --no-owner --dbname=\"$DSN\" workforce.dump " +
	"(keep the data directory's decision.key with the dump)"

// Backup writes an online, consistent copy of the SQLite database to dest
// with VACUUM INTO: one read transaction, so writers go on while it runs
// and the copy holds every transaction committed before it began and none
// after. files (the data directory's decision key) are stored inside the
// copy. The file is readable by its owner only (mode 0600), written under
// a temporary name beside dest and renamed into place once complete and
// synced, so dest is never a partial copy.
//
// An existing dest is a [bsk.CodeConflict] error unless overwrite is set;
// dest may never be the database itself. On PostgreSQL Backup is a
// [bsk.CodeInvalid] error that names pg_dump ([PostgresBackupHelp]).
func (db *DB) Backup(ctx context.Context, dest string, files []BackupFile, overwrite bool) error {
	if db.dialect != SQLite {
		return bsk.Invalidf("backup", "%s", PostgresBackupHelp)
	}
	for _, f := range files {
		if err := checkCarried("backup", f.Name); err != nil {
			return err
		}
	}
	if st, err := os.Stat(dest); err == nil {
		for _, own := range []string{db.path, db.path + "-wal", db.path + "-shm"} {
			if o, err := os.Stat(own); err == nil && os.SameFile(st, o) {
				return bsk.Invalidf("backup", "%s is the database itself: back it up to another file", dest)
			}
		}
		if !overwrite {
			return &bsk.Error{Code: bsk.CodeConflict, Field: "backup", Message: fmt.Sprintf("%s already exists: choose another file or overwrite it with -force", dest)}
		}
		if !st.Mode().IsRegular() {
			return bsk.Invalidf("backup", "%s is not a regular file", dest)
		}
	}
	// A private directory beside dest: VACUUM INTO creates its file with
	// the process's umask, so the copy is unreachable by others until its
	// mode is 0600.
	tmp, err := os.MkdirTemp(filepath.Dir(dest), ".workforce-backup-")
	if err != nil {
		return bsk.Errorf(bsk.CodeInternal, "backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, dbFile)
	if _, err := db.read.ExecContext(ctx, "VACUUM INTO ?", copyPath); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "backup: VACUUM INTO: %w", err)
	}
	if err := os.Chmod(copyPath, 0o600); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "backup: %w", err)
	}
	if err := storeFiles(ctx, copyPath, files); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "backup: %w", err)
	}
	if err := syncFile(copyPath); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "backup: %w", err)
	}
	if err := os.Rename(copyPath, dest); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "backup: %w", err)
	}
	return storeErr("backup", syncDir(filepath.Dir(dest)))
}

// storeFiles writes files into the table of carried files of the SQLite
// database at path (a fresh copy no one else has open).
func storeFiles(ctx context.Context, path string, files []BackupFile) error {
	c, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "CREATE TABLE "+filesTable+" (name TEXT PRIMARY KEY, data BLOB NOT NULL)"); err != nil {
		return err
	}
	for _, f := range files {
		if _, err := c.ExecContext(ctx, "INSERT INTO "+filesTable+" (name, data) VALUES (?, ?)", f.Name, f.Data); err != nil {
			return fmt.Errorf("storing %s: %w", f.Name, err)
		}
	}
	return c.Close()
}

// checkCarried refuses a carried file's name that is not a plain file name
// of the data directory, or that is the database's own: a backup never
// writes outside the directory or over the database.
func checkCarried(field, name string) error {
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, dbFile) {
		return bsk.Invalidf(field, "the backup carries a file named %q: only plain file names of the data directory may be restored", name)
	}
	return nil
}

// Restored is what [Restore] did.
type Restored struct {
	// Path is the restored database file.
	Path string
	// Files names the carried files written into the data directory.
	Files []string
	// Migrated lists the migrations applied to bring an older backup up to
	// this release's schema.
	Migrated []Migration
	// Audit is the verification of the restored audit log's hash chain.
	Audit AuditReport
}

// Restore puts the SQLite backup src (made by [DB.Backup], or any copy of
// this server's database that has no write-ahead log beside it) into the
// data directory dir, creating it if
// needed. The backup is first copied into a private staging directory
// inside dir and checked there: a SQLite file of this server (its
// migration history present) that passes SQLite's integrity check, brought
// to this release's schema, whose audit log's hash chain verifies. Only
// then are the database and its carried files renamed into dir, so a
// refused backup leaves dir as it was.
//
// A database (or a carried file, such as the decision key) already in dir
// is a [bsk.CodeConflict] error unless overwrite is set; overwriting
// removes the old database's WAL and shared-memory files, so no server may
// be running on dir: while one holds [LockServing] on dir, Restore is a
// [bsk.CodeConflict] error, with or without overwrite, and while Restore
// runs no server can take that lock. A file that is not such a backup is a
// [bsk.CodeInvalid] error; a broken audit chain is an [*AuditBreak]
// error.
func Restore(ctx context.Context, src, dir string, overwrite bool) (Restored, error) {
	var r Restored
	if _, err := os.Stat(src); err != nil {
		return r, bsk.NotFoundf("restore", "no backup: %v", err)
	}
	if st, err := os.Stat(src + "-wal"); err == nil && st.Size() > 0 {
		return r, bsk.Invalidf("restore", "%s has a write-ahead log beside it: it is a database in use, not a backup; copy it with -backup first", src)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return r, bsk.Errorf(bsk.CodeInternal, "restore: data directory: %w", err)
	}
	lock, err := lockRestore(dir)
	if err != nil {
		return r, err
	}
	defer lock.Unlock()
	r.Path = filepath.Join(dir, dbFile)
	if !overwrite {
		for _, name := range []string{dbFile, dbFile + "-wal"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return r, &bsk.Error{Code: bsk.CodeConflict, Field: "restore", Message: fmt.Sprintf("%s already holds a database (%s): restore into an empty data directory, or replace it with -force once no server runs on it", dir, name)}
			}
		}
	}
	stage, err := os.MkdirTemp(dir, ".restore-")
	if err != nil {
		return r, bsk.Errorf(bsk.CodeInternal, "restore: %w", err)
	}
	defer os.RemoveAll(stage)
	staged := filepath.Join(stage, dbFile)
	if err := copyBackup(src, staged); err != nil {
		return r, err
	}
	files, err := checkStaged(ctx, stage, &r)
	if err != nil {
		return r, err
	}
	if r.Audit.Break != nil {
		return r, r.Audit.Break
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f.Name)); err == nil && !overwrite {
			return r, &bsk.Error{Code: bsk.CodeConflict, Field: "restore", Message: fmt.Sprintf("%s already holds %s: restore into an empty data directory, or replace it with -force", dir, f.Name)}
		}
	}
	// Into place: the carried files first, then the database, each by a
	// rename within dir.
	for _, f := range files {
		p := filepath.Join(stage, f.Name)
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			return r, bsk.Errorf(bsk.CodeInternal, "restore: %w", err)
		}
		if err := errors.Join(syncFile(p), os.Rename(p, filepath.Join(dir, f.Name))); err != nil {
			return r, bsk.Errorf(bsk.CodeInternal, "restore: %s: %w", f.Name, err)
		}
		r.Files = append(r.Files, f.Name)
	}
	for _, side := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(r.Path + side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return r, bsk.Errorf(bsk.CodeInternal, "restore: removing the old database's %s file: %w", side, err)
		}
	}
	if err := os.Rename(staged, r.Path); err != nil {
		return r, bsk.Errorf(bsk.CodeInternal, "restore: %w", err)
	}
	return r, storeErr("restore", syncDir(dir))
}

// copyBackup copies the backup src to dst (mode 0600), refusing a file
// that is not a SQLite database.
func copyBackup(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return bsk.Errorf(bsk.CodeNotFound, "restore: %w", err)
	}
	defer in.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(in, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return bsk.Invalidf("restore", "%s is not a SQLite database", src)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return bsk.Errorf(bsk.CodeInternal, "restore: %w", err)
	}
	_, err = io.Copy(out, io.MultiReader(bytes.NewReader(head), in))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return storeErr("restore: copying the backup", err)
}

// checkStaged opens the staged copy in stage, checks it, takes out its
// carried files, migrates it and verifies its audit chain, recording what
// it found in r. It closes the database with its WAL checkpointed, so the
// staged file alone holds everything.
func checkStaged(ctx context.Context, stage string, r *Restored) (files []BackupFile, err error) {
	db, err := ConnectSQLite(ctx, stage)
	if err != nil {
		return nil, bsk.Invalidf("restore", "the backup cannot be opened: %v", err)
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = storeErr("restore", cerr)
		}
		if err == nil {
			err = checkpointed(filepath.Join(stage, dbFile))
		}
	}()
	if err := db.IntegrityCheck(ctx); err != nil {
		return nil, bsk.Invalidf("restore", "the backup is damaged: %v", err)
	}
	ours := false
	for _, t := range []string{versionTable, legacyTable} {
		has, err := db.hasTable(ctx, db.write, t)
		if err != nil {
			return nil, storeErr("restore", err)
		}
		ours = ours || has
	}
	if !ours {
		return nil, bsk.Invalidf("restore", "the backup is not this server's database: it has no migration history")
	}
	if files, err = takeFiles(ctx, db); err != nil {
		return nil, err
	}
	if r.Migrated, err = db.Migrate(ctx); err != nil {
		return nil, err
	}
	if r.Audit, err = db.VerifyAudit(ctx); err != nil {
		return nil, err
	}
	_, err = db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return files, storeErr("restore: checkpoint", err)
}

// takeFiles reads the carried files out of the staged database and drops
// their table.
func takeFiles(ctx context.Context, db *DB) ([]BackupFile, error) {
	has, err := db.hasTable(ctx, db.write, filesTable)
	if err != nil || !has {
		return nil, storeErr("restore", err)
	}
	rows, err := db.write.QueryContext(ctx, "SELECT name, data FROM "+filesTable+" ORDER BY name")
	if err != nil {
		return nil, storeErr("restore", err)
	}
	defer rows.Close()
	var files []BackupFile
	for rows.Next() {
		var f BackupFile
		if err := rows.Scan(&f.Name, &f.Data); err != nil {
			return nil, storeErr("restore", err)
		}
		if err := checkCarried("restore", f.Name); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("restore", err)
	}
	rows.Close()
	_, err = db.write.ExecContext(ctx, "DROP TABLE "+filesTable)
	return files, storeErr("restore", err)
}

// checkpointed makes sure the closed database at path left no WAL content
// behind, so that renaming the file alone moves all of it.
func checkpointed(path string) error {
	st, err := os.Stat(path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return storeErr("restore", err)
	}
	if st.Size() > 0 {
		return bsk.Errorf(bsk.CodeInternal, "restore: the staged database kept %d bytes of WAL after its checkpoint", st.Size())
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
