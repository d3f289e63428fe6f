package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// TestRestoreRefusesRunningServer: -restore -force into the data directory
// of a running server process is refused, and leaves the database the
// server uses as it was; once the server stops, the same restore works.
func TestRestoreRefusesRunningServer(t *testing.T) {
	bin := buildServer(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	key := readKey(t, data)
	post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: "org-r1", Name: "R", Kind: bsk.OrgClinic, Place: "seattle"})
	backup := filepath.Join(t.TempDir(), "b.db")
	if code, out, stderr := runServer(t, bin, nil, "-backup", backup, "-data", data); code != 0 {
		t.Fatalf("-backup of a running server: status %d\n%s%s", code, out, stderr)
	}
	post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: "org-r2", Name: "R", Kind: bsk.OrgClinic, Place: "seattle"})
	db := filepath.Join(data, "workforce.db")
	before, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}

	code, out, stderr := runServer(t, bin, nil, "-restore", backup, "-data", data, "-force")
	if code == 0 || !strings.Contains(stderr, "a server is running on") {
		t.Errorf("-restore -force under a running server: status %d\n%s%s; want a refusal naming the running server", code, out, stderr)
	}
	if after, err := os.Stat(db); err != nil || !os.SameFile(before, after) {
		t.Errorf("the running server's database was replaced (%v)", err)
	}
	// The server goes on with what it wrote after the backup.
	if st := get(t, url, key, "/api/v1/organizations/org-r2"); st != 200 {
		t.Errorf("GET org-r2 after the refused restore = %d; want 200", st)
	}

	cmd.Process.Kill()
	cmd.Wait()
	if code, out, stderr := runServer(t, bin, nil, "-restore", backup, "-data", data, "-force"); code != 0 {
		t.Fatalf("-restore -force once the server stopped: status %d\n%s%s", code, out, stderr)
	}
	cmd, url = startProcess(t, bin, data)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if st := get(t, url, key, "/api/v1/organizations/org-r2"); st != 404 {
		t.Errorf("GET org-r2 after the restore = %d; want 404 (written after the backup)", st)
	}
}
