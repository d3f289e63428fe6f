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
// survey import and runs a job for it on the services' job runner that
// panics, as a library bug reached from a request would. The server must
// keep answering, the import must read failed with an error that names no
// internal detail, and the log must hold the stack under the job's ID.
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

	// A survey import's job that panics: the server keeps answering and
	// the import reads failed, naming the job and nothing of the panic.
	// (A grouping run's panic is the grouping service's test.)
	if status, body := get("/healthz"); status != 200 {
		t.Fatalf("healthz = %d %s", status, body)
	}
	imp := SurveyImport{ID: "imp-panics", InstrumentID: "annual", Format: "csv", Status: RunRunning, CreatedBy: "test", CreatedAt: time.Now().UTC()}
	if err := a.saveImport(ctx, imp, true); err != nil {
		t.Fatal(err)
	}
	if !a.jobs.start(imp.ID, func(context.Context) {
		var m map[string]int
		m["import parser bug"]++ // a nil map write: a real runtime panic
	}) {
		t.Fatal("jobs.start refused")
	}
	var gotImp SurveyImport
	for deadline := time.Now().Add(10 * time.Second); ; {
		status, body := get("/api/v1/imports/" + imp.ID)
		if status != 200 {
			t.Fatalf("GET import = %d %s", status, body)
		}
		if err := json.Unmarshal(body, &gotImp); err != nil {
			t.Fatal(err)
		}
		if gotImp.Status != RunRunning || time.Now().After(deadline) {
			if strings.Contains(string(body), "parser bug") {
				t.Errorf("the import's record shows the panic's detail: %s", body)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if gotImp.Status != RunFailed || len(gotImp.Problems) != 1 || !strings.Contains(gotImp.Problems[0].Message, imp.ID) {
		t.Errorf("after a panic the import reads %s with problems %+v; want failed, naming the job", gotImp.Status, gotImp.Problems)
	}

	if status, body := get("/healthz"); status != 200 {
		t.Fatalf("healthz after the panic = %d %s", status, body)
	}
	log := logs.String()
	if !strings.Contains(log, `"job":"imp-panics"`) || !strings.Contains(log, "jobs_panic_test.go") || !strings.Contains(log, "assignment to entry in nil map") {
		t.Errorf("the log should hold the panic with its stack and job ID:\n%s", log)
	}
}
