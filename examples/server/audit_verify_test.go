package main_test

import (
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// TestVerifyAuditCommand runs `server -verify-audit` on a real database:
// status 0 on an untouched log, 2 with the broken entry named after a row
// is edited in the file.
func TestVerifyAuditCommand(t *testing.T) {
	bin := buildServer(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	key := readKey(t, data)
	for _, id := range []string{"org-v1", "org-v2", "org-v3"} {
		post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: bsk.OrganizationID(id), Name: "V", Kind: bsk.OrgClinic, Place: "seattle"})
	}
	cmd.Process.Kill()
	cmd.Wait()

	run := func() (int, string) {
		out, err := exec.Command(bin, "-verify-audit", "-data", data).CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := run(); code != 0 || !strings.Contains(out, "audit entries checked: 4") || !strings.Contains(out, "the chain holds") {
		t.Fatalf("untouched log: status %d\n%s", code, out)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "workforce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE audit SET key_id = 'someone else' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	if code, out := run(); code != 2 || !strings.Contains(out, "BROKEN at entry 3: changed") {
		t.Fatalf("edited entry 3: status %d\n%s", code, out)
	}
	if err := exec.Command(bin, "-verify-audit", "-data", t.TempDir()).Run(); err == nil {
		t.Errorf("a directory without a database verifies")
	}
}
