package main_test

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// write is one provider written by the load: when its request was sent
// and, if it got a 2xx, when the answer came.
type write struct {
	id         string
	sent, done time.Time
	acked      bool
}

// writeLoad posts providers to url from workers goroutines until stop is
// closed or each has made limit requests, and returns every write made.
func writeLoad(url, key string, workers, limit int, stop <-chan struct{}) func() []write {
	var mu sync.Mutex
	var all []write
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; i < limit; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("b-%d-%05d", w, i)
				p := bsk.Provider{ID: bsk.ProviderID(id), OrganizationID: "org-b", Name: "N", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English}}
				b, _ := json.Marshal(p)
				req, _ := http.NewRequest("POST", url+"/api/v1/providers", bytes.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				wr := write{id: id, sent: time.Now()}
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					wr.acked = resp.StatusCode/100 == 2
				}
				wr.done = time.Now()
				mu.Lock()
				all = append(all, wr)
				mu.Unlock()
			}
		}()
	}
	return func() []write {
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return all
	}
}

// TestBackupUnderLoad backs up a real server's database while clients
// write to it over loopback, restores the backup into a fresh directory,
// starts a server on it, and finds there every write acknowledged before
// the backup began and none begun after it ended. The restored audit
// chain verifies, the original administrator key works, and the decision
// key comes back.
func TestBackupUnderLoad(t *testing.T) {
	bin := buildServer(t)
	data := t.TempDir()
	decisionKey := make([]byte, 32)
	rand.Read(decisionKey)
	if err := os.WriteFile(filepath.Join(data, "decision.key"), decisionKey, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, url := startProcess(t, bin, data)
	key := readKey(t, data)
	post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: "org-b", Name: "B", Kind: bsk.OrgClinic, Place: "seattle"})

	stop := make(chan struct{})
	stopped := false
	stopLoad := func() {
		if !stopped {
			close(stop)
			stopped = true
		}
	}
	defer stopLoad()
	wait := writeLoad(url, key, 4, 5_000, stop)
	// Let the load run for a while before the backup.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n := get(t, url, key, "/api/v1/providers/b-0-00100"); n == http.StatusOK {
			break
		}
	}
	backup := filepath.Join(t.TempDir(), "workforce-backup.db")
	began := time.Now()
	code, stdout, stderr := runServer(t, bin, nil, "-backup", backup, "-data", data)
	ended := time.Now()
	if code != 0 || !strings.Contains(stdout, "with decision.key") {
		t.Fatalf("-backup: status %d\n%s%s", code, stdout, stderr)
	}
	time.Sleep(200 * time.Millisecond) // writes begun after the backup ended
	stopLoad()
	writes := wait()
	cmd.Process.Kill()
	cmd.Wait()

	st, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v; want 0600", st.Mode().Perm())
	}
	var before, during, after []string
	for _, w := range writes {
		switch {
		case w.acked && w.done.Before(began):
			before = append(before, w.id)
		case w.sent.After(ended):
			after = append(after, w.id)
		case w.acked && w.done.After(began) && w.done.Before(ended):
			during = append(during, w.id)
		}
	}
	if len(before) == 0 || len(after) == 0 {
		t.Fatalf("%d writes acknowledged before the backup, %d begun after it: the load did not span it", len(before), len(after))
	}
	if len(during) == 0 {
		t.Errorf("no write was acknowledged while the backup ran (%s): the server did not go on writing", ended.Sub(began))
	}

	restored := filepath.Join(t.TempDir(), "restored")
	code, stdout, stderr = runServer(t, bin, nil, "-restore", backup, "-data", restored)
	if code != 0 || !strings.Contains(stdout, "the chain holds") || !strings.Contains(stdout, "with decision.key") {
		t.Fatalf("-restore: status %d\n%s%s", code, stdout, stderr)
	}
	if got, err := os.ReadFile(filepath.Join(restored, "decision.key")); err != nil || !bytes.Equal(got, decisionKey) {
		t.Errorf("restored decision.key = %x, %v; want %x", got, err, decisionKey)
	}
	if code, out, _ := runServer(t, bin, nil, "-verify-audit", "-data", restored); code != 0 || !strings.Contains(out, "the chain holds") {
		t.Errorf("-verify-audit on the restored database: status %d\n%s", code, out)
	}
	// A second restore into the same directory is refused without -force.
	if code, _, stderr := runServer(t, bin, nil, "-restore", backup, "-data", restored); code == 0 || !strings.Contains(stderr, "-force") {
		t.Errorf("a restore over a database: status %d, %s; want a refusal naming -force", code, stderr)
	}

	rcmd, rurl := startProcess(t, bin, restored)
	missing, present := 0, 0
	for _, id := range before {
		if get(t, rurl, key, "/api/v1/providers/"+id) != http.StatusOK {
			missing++
		}
	}
	for _, id := range after {
		if get(t, rurl, key, "/api/v1/providers/"+id) != http.StatusNotFound {
			present++
		}
	}
	if missing > 0 {
		t.Errorf("%d of the %d writes acknowledged before the backup began are missing from the restored server", missing, len(before))
	}
	if present > 0 {
		t.Errorf("%d of the %d writes begun after the backup ended are in it", present, len(after))
	}
	t.Logf("%d writes acknowledged before the backup, %d while it ran (%s), %d begun after it", len(before), len(during), ended.Sub(began).Round(time.Millisecond), len(after))
	rcmd.Process.Kill()
	rcmd.Wait()

	if code, _, stderr := runServer(t, bin, nil, "-restore", backup, "-data", restored, "-force"); code != 0 {
		t.Errorf("-restore -force over a stopped server's database: status %d\n%s", code, stderr)
	}
}

// TestRestoreRefusesBrokenChain edits an audit entry inside a backup: the
// restore exits with status 2, names the entry and writes nothing.
func TestRestoreRefusesBrokenChain(t *testing.T) {
	bin := buildServer(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	key := readKey(t, data)
	for _, id := range []string{"org-c1", "org-c2"} {
		post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: bsk.OrganizationID(id), Name: "C", Kind: bsk.OrgClinic, Place: "seattle"})
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if code, out, stderr := runServer(t, bin, nil, "-backup", backup, "-data", data); code != 0 {
		t.Fatalf("-backup: status %d\n%s%s", code, out, stderr)
	}
	cmd.Process.Kill()
	cmd.Wait()
	db, err := sql.Open("sqlite", "file:"+backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit SET entity_id = 'org-c9' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	restored := filepath.Join(t.TempDir(), "restored")
	code, out, _ := runServer(t, bin, nil, "-restore", backup, "-data", restored)
	if code != 2 || !strings.Contains(out, "BROKEN at entry 3") {
		t.Errorf("-restore of a backup with an edited entry: status %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(restored, "workforce.db")); !os.IsNotExist(err) {
		t.Errorf("the broken backup was restored: %v", err)
	}
}

// TestBackupPostgresRefused: on PostgreSQL both commands refuse before
// connecting, naming PostgreSQL's own tools.
func TestBackupPostgresRefused(t *testing.T) {
	bin := buildServer(t)
	dsn := "postgres://workforce@127.0.0.1:1/workforce"
	for flag, tool := range map[string]string{"-backup": "pg_dump", "-restore": "pg_restore"} {
		file := filepath.Join(t.TempDir(), "b.db")
		code, _, stderr := runServer(t, bin, nil, flag, file, "-postgres", dsn)
		if code != 1 || !strings.Contains(stderr, tool) || !strings.Contains(stderr, flag) {
			t.Errorf("%s with -postgres: status %d, %q; want status 1 naming %s", flag, code, stderr, tool)
		}
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("%s with -postgres touched %s", flag, file)
		}
	}
}
