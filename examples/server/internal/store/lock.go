package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// migrateLockFile is the file in a SQLite data directory that migrations
// lock, so that servers (and -migrate up) started together on one database
// apply each migration once.
const migrateLockFile = "migrate.lock"

// migrateLockWait is how long a migration waits for another process's
// migration of the same database, as on PostgreSQL.
const migrateLockWait = 5 * time.Minute

// Lock is a held lock: an open file the operating system locks (flock),
// released by Unlock or when the process ends, however it ends.
type Lock struct {
	f *os.File
}

// Unlock releases the lock. Unlocking nil, or twice, does nothing.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// LockServing takes a shared lock of the SQLite data directory dir for a
// server that serves from it, to hold until the server stops: any number
// of servers may hold it together, and [Restore] refuses to replace the
// database while one does. A restore in progress is a [bsk.CodeConflict]
// error.
func LockServing(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	l, ok, err := tryLock(dir, false)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "locking the data directory %s: %w", dir, err)
	}
	if !ok {
		return nil, &bsk.Error{Code: bsk.CodeConflict, Field: "data", Message: fmt.Sprintf("a restore into %s is in progress: start the server when it ends", dir)}
	}
	return l, nil
}

// lockRestore takes the exclusive lock of the data directory dir for a
// restore: none is given while a server holds [LockServing].
func lockRestore(dir string) (*Lock, error) {
	l, ok, err := tryLock(dir, true)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "restore: locking the data directory %s: %w", dir, err)
	}
	if !ok {
		return nil, &bsk.Error{Code: bsk.CodeConflict, Field: "restore", Message: fmt.Sprintf("a server is running on %s (or another restore into it is): stop it first", dir)}
	}
	return l, nil
}

// lockMigrations takes the exclusive lock of the migrations of the SQLite
// database in dir, waiting for another process's migration to end (up to
// [migrateLockWait], or until ctx ends).
func lockMigrations(ctx context.Context, dir string) (*Lock, error) {
	path := filepath.Join(dir, migrateLockFile)
	deadline := time.Now().Add(migrateLockWait)
	for {
		l, ok, err := tryLock(path, true)
		switch {
		case err != nil:
			return nil, bsk.Errorf(bsk.CodeInternal, "migration lock %s: %w", path, err)
		case ok:
			return l, nil
		case time.Now().After(deadline):
			return nil, &bsk.Error{Code: bsk.CodeConflict, Field: "migrate", Message: fmt.Sprintf("another process has been migrating %s for %s: try again when it ends", dir, migrateLockWait)}
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, bsk.Errorf(bsk.CodeInternal, "waiting for the migration lock %s: %w", path, ctx.Err())
		case <-t.C:
		}
	}
}

// tryLock opens path (a directory, or a file it creates with mode 0600)
// and locks it, shared or exclusive, without waiting: ok is false when
// another holder's lock stands in the way.
func tryLock(path string, exclusive bool) (l *Lock, ok bool, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	}
	if err != nil {
		return nil, false, err
	}
	if ok, err = flock(f, exclusive); err != nil || !ok {
		f.Close()
		return nil, false, err
	}
	return &Lock{f: f}, true, nil
}
