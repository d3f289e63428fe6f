package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/grouping"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestJobPanicKeepsServing starts a real server on loopback, stores a
// grouping run and runs a job for it that panics, as a library bug reached
// from a request would. The server must keep answering, the run must read
// failed with an error that names no internal detail, and the log must
// hold the stack under the job's ID.
func TestJobPanicKeepsServing(t *testing.T) {
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	a, err := New(ctx, Config{Data: dir, NoDemo: true}, zerolog.New(logs))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, l) }()
	defer func() {
		cancel()
		<-done
		a.Close()
	}()
	keyBytes, err := os.ReadFile(filepath.Join(dir, "admin.key"))
	if err != nil {
		t.Fatal(err)
	}
	admin := strings.TrimSpace(string(keyBytes))
	base := "http://" + l.Addr().String()
	get := func(path string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v (the server died?)", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	run := GroupingRun{ID: "run-panics", Status: RunRunning, Request: GroupingRunRequest{Preset: grouping.TrainingBreakoutsPreset},
		CreatedBy: "test", CreatedAt: time.Now().UTC()}
	if err := a.saveRun(ctx, run, true); err != nil {
		t.Fatal(err)
	}
	if !a.jobs.start(run.ID, func(context.Context) {
		var m map[string]int
		m["secret internal detail"]++ // a nil map write: a real runtime panic
	}) {
		t.Fatal("jobs.start refused")
	}
	var got GroupingRun
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body := get("/api/v1/grouping-runs/" + run.ID)
		if status != 200 {
			t.Fatalf("GET run = %d %s", status, body)
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if got.Status != RunRunning || time.Now().After(deadline) {
			if strings.Contains(string(body), "secret internal detail") || strings.Contains(string(body), "nil map") {
				t.Errorf("the run's record shows the panic's detail: %s", body)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got.Status != RunFailed || got.Error == nil || got.Error.Code != "internal" || got.FinishedAt == nil {
		t.Fatalf("after a panic the run reads %s, error %+v; want failed with an internal error", got.Status, got.Error)
	}
	if !strings.Contains(got.Error.Message, run.ID) {
		t.Errorf("error %q should name the job, to find it in the log", got.Error.Message)
	}
	if status, body := get("/healthz"); status != 200 {
		t.Fatalf("healthz after the panic = %d %s", status, body)
	}
	if status, _ := get("/api/v1/grouping-runs"); status != 200 {
		t.Fatalf("list after the panic = %d", status)
	}
	log := logs.String()
	if !strings.Contains(log, `"job":"run-panics"`) || !strings.Contains(log, "jobs_panic_test.go") || !strings.Contains(log, "assignment to entry in nil map") {
		t.Errorf("the log should hold the panic with its stack and job ID:\n%s", log)
	}
}
