package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// buildServer compiles this command once into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs the server binary on a free loopback port and returns
// its URL once it listens.
func startProcess(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-data", data, "-no-demo", "-log-level", "error")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				found <- u
			}
		}
	}()
	select {
	case u := <-found:
		return cmd, u
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start within 30s")
	}
	return nil, ""
}

// TestKillDuringWrites kills the server with SIGKILL in the middle of a
// write load, restarts it, and checks that every write that got a 2xx is
// there and that the database passes its integrity check.
func TestKillDuringWrites(t *testing.T) {
	bin := buildServer(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	key := readKey(t, data)
	post(t, url, key, "/api/v1/organizations", bsk.Organization{ID: "org-k", Name: "K", Kind: bsk.OrgClinic, Place: "seattle"})

	var mu sync.Mutex
	var acked []string
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; i < 100_000 && ctx.Err() == nil; i++ {
				id := fmt.Sprintf("k-%d-%05d", w, i)
				p := bsk.Provider{ID: bsk.ProviderID(id), OrganizationID: "org-k", Name: "N", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.English}}
				b, _ := json.Marshal(p)
				req, _ := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/providers", bytes.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 == 2 {
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
				}
			}
		}()
	}
	// Let the load run, then kill the server mid-stream.
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wg.Wait()
	cancel()
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged before the kill")
	}

	// The database file is consistent after the crash.
	db, err := store.OpenSQLite(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, url = startProcess(t, bin, data)
	missing := 0
	for _, id := range acked {
		resp := get(t, url, key, "/api/v1/providers/"+id)
		if resp != http.StatusOK {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes are missing after SIGKILL and restart", missing, len(acked))
	}
	t.Logf("%d acknowledged writes, all present after SIGKILL", len(acked))
}

func readKey(t *testing.T, data string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "admin.key"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func post(t *testing.T, url, key, path string, v any) {
	t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest("POST", url+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s = %d", path, resp.StatusCode)
	}
}

func get(t *testing.T, url, key, path string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestHelpDocumentsFlags(t *testing.T) {
	bin := buildServer(t)
	out, _ := exec.Command(bin, "-help").CombinedOutput()
	for _, flag := range []string{"-addr", "-data", "-postgres", "WORKFORCE_POSTGRES", "127.0.0.1:8080"} {
		if !strings.Contains(string(out), flag) {
			t.Errorf("-help lacks %s:\n%s", flag, out)
		}
	}
}
