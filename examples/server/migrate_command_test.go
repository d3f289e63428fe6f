package main_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/pgtest"
)

// runServer runs the binary to completion with extra environment
// variables and returns its exit status, standard output and standard
// error.
func runServer(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), stdout.String(), stderr.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, stdout.String(), stderr.String()
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("server %q did not exit within 60s:\n%s", args, stdout.String())
	}
	return 0, "", ""
}

// migrationNames lists the store's migration files, in order.
func migrationNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("internal/store/migrations/*.sql")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no migration files: %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	slices.Sort(names)
	return names
}

var statusLine = regexp.MustCompile(`^(\d+)\s+(\S+)\s+(\S+)$`)

// parseStatus reads `-migrate status` output: name -> "pending" or the
// time it was applied.
func parseStatus(t *testing.T, out string) map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "VERSION") {
		t.Fatalf("status has no header:\n%s", out)
	}
	got := map[string]string{}
	for _, l := range lines[1:] {
		m := statusLine.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			t.Fatalf("status line %q is not VERSION NAME APPLIED", l)
		}
		if v, _ := strconv.Atoi(m[1]); !strings.HasPrefix(m[2], fmt.Sprintf("%04d_", v)) {
			t.Errorf("status line %q: version %s is not the file's", l, m[1])
		}
		got[m[2]] = m[3]
	}
	return got
}

// TestMigrateCommand runs `server -migrate up` and `-migrate status` as
// processes on a SQLite directory: status needs a database, up creates
// and migrates it and exits without serving, status then lists every
// migration as applied, with its time, and a second up applies nothing.
func TestMigrateCommand(t *testing.T) {
	bin := buildServer(t)
	names := migrationNames(t)
	data := filepath.Join(t.TempDir(), "data")

	if code, _, stderr := runServer(t, bin, nil, "-migrate", "status", "-data", data); code != 1 || !strings.Contains(stderr, "no database in") {
		t.Errorf("status of a missing database: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(data); err == nil {
		t.Errorf("status of a missing database created %s", data)
	}

	before := time.Now().UTC().Truncate(time.Second)
	code, out, stderr := runServer(t, bin, nil, "-migrate", "up", "-data", data)
	if code != 0 {
		t.Fatalf("-migrate up: exit %d\n%s%s", code, out, stderr)
	}
	for _, n := range names {
		if !strings.Contains(out, " "+n+"\n") {
			t.Errorf("-migrate up does not report applying %s:\n%s", n, out)
		}
	}
	if strings.Contains(out, "listening") {
		t.Errorf("-migrate up served:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(data, "admin.key")); err == nil {
		t.Errorf("-migrate up wrote an administrator key: it only migrates")
	}

	code, out, stderr = runServer(t, bin, nil, "-migrate", "status", "-data", data)
	if code != 0 {
		t.Fatalf("-migrate status: exit %d\n%s%s", code, out, stderr)
	}
	status := parseStatus(t, out)
	if len(status) != len(names) {
		t.Errorf("status lists %d migrations; want %d:\n%s", len(status), len(names), out)
	}
	for _, n := range names {
		at, err := time.Parse(time.RFC3339, status[n])
		if err != nil || at.Before(before) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("status of %s = %q; want applied since %s", n, status[n], before.Format(time.RFC3339))
		}
	}

	if code, out, _ := runServer(t, bin, nil, "-migrate", "up", "-data", data); code != 0 || !strings.Contains(out, "nothing to apply") {
		t.Errorf("second -migrate up: exit %d\n%s", code, out)
	}
	if code, _, stderr := runServer(t, bin, nil, "-migrate", "sideways", "-data", data); code != 1 || !strings.Contains(stderr, "-migrate") {
		t.Errorf("-migrate sideways: exit %d, %s", code, stderr)
	}
}

// TestMigrateStatusOfOldDatabase lists, as a process, the migrations of a
// database the runner before goose made, then starts the server on it:
// status reports the old runner's times and writes nothing, and the
// server serves what the database holds.
func TestMigrateStatusOfOldDatabase(t *testing.T) {
	bin := buildServer(t)
	names := migrationNames(t)
	data := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "workforce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i, f := range []string{"0001_init.sql", "0002_workflows.sql", "0003_keys_audit.sql"} {
		body, err := os.ReadFile(filepath.Join("internal/store/testdata/legacy", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range strings.Split(string(body), ";") {
			if strings.Trim(regexp.MustCompile(`(?m)^\s*--.*$`).ReplaceAllString(stmt, ""), " \t\n") == "" {
				continue
			}
			if _, err := db.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		if _, err := db.Exec("INSERT INTO schema_migrations VALUES (?, ?)", i+1, fmt.Sprintf("2024-%02d-15T08:30:00.5Z", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO organizations (id, org, parent, doc, updated_at) VALUES ('org-old', 'org-old', '', '{"id":"org-old","name":"Old Agency","kind":"clinic","place":"kent"}', '2024-03-15T08:30:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, stderr := runServer(t, bin, nil, "-migrate", "status", "-data", data)
	if code != 0 {
		t.Fatalf("-migrate status: exit %d\n%s%s", code, out, stderr)
	}
	want := map[string]string{}
	for i, n := range names {
		want[n] = "pending"
		if i < 3 {
			want[n] = fmt.Sprintf("2024-%02d-15T08:30:00Z", i+1)
		}
	}
	got := parseStatus(t, out)
	for n, w := range want {
		if got[n] != w {
			t.Errorf("status of %s = %q; want %q\n%s", n, got[n], w, out)
		}
	}

	db, err = sql.Open("sqlite", "file:"+filepath.Join(data, "workforce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables int
	db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name = 'goose_db_version'").Scan(&tables)
	if tables != 0 {
		t.Errorf("-migrate status created goose_db_version")
	}
	db.Close()

	_, url := startProcess(t, bin, data)
	key := readKey(t, data)
	if code := get(t, url, key, "/api/v1/organizations/org-old"); code != 200 {
		t.Errorf("GET the old database's organization = %d; want 200", code)
	}
	post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: "org-new", Name: "New", Kind: bsk.OrgClinic, Place: "seattle"})
}

// TestMigrateCommandFromEnvironment selects the command and the database
// with environment variables alone.
func TestMigrateCommandFromEnvironment(t *testing.T) {
	bin := buildServer(t)
	data := filepath.Join(t.TempDir(), "from-env")
	code, out, stderr := runServer(t, bin, []string{"WORKFORCE_MIGRATE=up", "WORKFORCE_DATA=" + data})
	if code != 0 || !strings.Contains(out, "database at version") {
		t.Fatalf("WORKFORCE_MIGRATE=up: exit %d\n%s%s", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "workforce.db")); err != nil {
		t.Errorf("WORKFORCE_DATA was not used: %v", err)
	}
	code, _, stderr = runServer(t, bin, []string{"WORKFORCE_MIGRATE=up", "WORKFORCE_DATA=" + data, "WORKFORCE_REQUEST_TIMEOUT=soon"})
	if code != 1 || !strings.Contains(stderr, "WORKFORCE_REQUEST_TIMEOUT") {
		t.Errorf("a bad WORKFORCE_REQUEST_TIMEOUT: exit %d, %s", code, stderr)
	}
}

// TestMigrateCommandPostgres runs `-migrate status` and `-migrate up` on a
// fresh PostgreSQL schema.
func TestMigrateCommandPostgres(t *testing.T) {
	target, ok := pgtest.Schema(t)
	if !ok {
		t.Skip("WORKFORCE_TEST_POSTGRES is not set: PostgreSQL variant skipped")
	}
	bin := buildServer(t)
	names := migrationNames(t)

	code, out, stderr := runServer(t, bin, nil, "-migrate", "status", "-postgres", target)
	if code != 0 {
		t.Fatalf("-migrate status: exit %d\n%s%s", code, out, stderr)
	}
	for n, at := range parseStatus(t, out) {
		if at != "pending" {
			t.Errorf("fresh schema: %s is %s; want pending", n, at)
		}
	}
	if code, out, stderr := runServer(t, bin, nil, "-migrate", "up", "-postgres", target); code != 0 {
		t.Fatalf("-migrate up: exit %d\n%s%s", code, out, stderr)
	}
	_, out, _ = runServer(t, bin, nil, "-migrate", "status", "-postgres", target)
	got := parseStatus(t, out)
	for _, n := range names {
		if _, err := time.Parse(time.RFC3339, got[n]); err != nil {
			t.Errorf("after up: %s is %q; want a time", n, got[n])
		}
	}
}
