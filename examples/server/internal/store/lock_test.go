package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// TestRestoreRefusesWhileServing: servers share the serving lock of a data
// directory, and Restore, even with overwrite, refuses while any of them
// holds it; once all let go, it restores.
func TestRestoreRefusesWhileServing(t *testing.T) {
	ctx := context.Background()
	db := audited(t, t.TempDir(), 2)
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := db.Backup(ctx, backup, nil, false); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	first, err := store.LockServing(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := store.LockServing(dir)
	if err != nil {
		t.Fatalf("a second server's LockServing = %v; want it shared", err)
	}
	for _, l := range []*store.Lock{first, second} {
		_, err := store.Restore(ctx, backup, dir, true)
		if bsk.ErrorCode(err) != bsk.CodeConflict || !strings.Contains(err.Error(), "a server is running") {
			t.Errorf("Restore while a server holds the lock = %v; want a conflict naming the server", err)
		}
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("a refused restore left %q in the data directory", got)
		}
		if err := l.Unlock(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.Restore(ctx, backup, dir, true); err != nil {
		t.Errorf("Restore once the servers stopped = %v", err)
	}
}
