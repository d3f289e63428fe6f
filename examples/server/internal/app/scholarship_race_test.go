package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// post sends a JSON body and returns the status, for use from goroutines
// (it never stops the test itself).
func post(url, key string, body any) (int, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, resp.Body.Close()
}

// Concurrent submissions for one person: the one-application-per-person
// check runs in the write transaction, so exactly one is stored and every
// other is a conflict.
func TestConcurrentApplicationsOnePerPerson(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, true)
			coord := s.key("coordinator", "", "")
			agency := s.key("agency", "org-001", "")
			s.expect(201, "POST", "/api/v1/programs", coord, esitProgram(19_000_00))
			staff := staffOf(t, s, "org-001")
			const people, tries = 4, 8
			if len(staff) < people {
				t.Fatalf("org-001 has %d staff; want %d", len(staff), people)
			}
			path := s.URL + "/api/v1/programs/esit/cycles/2026/applications"
			var wg sync.WaitGroup
			status := make([][]int, people)
			errs := make(chan error, people*tries)
			begin := make(chan struct{})
			for p := range people {
				status[p] = make([]int, tries)
				for i := range tries {
					a := application(staff[p].ID, fmt.Sprintf("person %d try %d", p, i), 24, 40)
					a.ID = fmt.Sprintf("org-001-race-%d-%d", p, i)
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-begin
						st, err := post(path, agency, a)
						if err != nil {
							errs <- err
						}
						status[p][i] = st
					}()
				}
			}
			close(begin)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			var page app.Page[scholarship.Application]
			s.expect(200, "GET", "/api/v1/programs/esit/cycles/2026/applications", coord, nil).json(t, &page)
			stored := map[string]int{}
			for _, a := range page.Items {
				stored[a.Applicant.PersonID]++
			}
			for p := range people {
				created, conflicts := 0, 0
				for _, st := range status[p] {
					switch st {
					case http.StatusCreated:
						created++
					case http.StatusConflict:
						conflicts++
					}
				}
				if created != 1 || conflicts != tries-1 {
					t.Errorf("person %d: statuses %v; want one 201 and %d 409", p, status[p], tries-1)
				}
				if n := stored[string(staff[p].ID)]; n != 1 {
					t.Errorf("person %d has %d applications stored; want 1", p, n)
				}
			}
		})
	}
}

// A run and withdrawals at once: the "cycle has run" check and the run's
// reading of the applications are both in write transactions, so no run
// is stored with a decision for an application withdrawn, and no
// withdrawal succeeds after the run that judged it. Each round is a cycle
// of its own; the withdrawals are spread over the few milliseconds a run
// takes.
func TestWithdrawalsRacingARun(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			// An agency's plug-in rule makes the run call out to another
			// process while the withdrawals arrive.
			catalog := catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "flaky", Args: []string{"-marker", filepath.Join(t.TempDir(), "died")}, Enabled: true})
			s := startWith(t, b, app.Config{Data: t.TempDir(), Postgres: b.postgres, PluginCatalog: catalog})
			coord := s.key("coordinator", "", "")
			agency := s.key("agency", "org-001", "")
			staff := staffOf(t, s, "org-001")
			for round := range 4 {
				prog := esitProgram(19_000_00, "flaky/flaky")
				prog.Program.ID = fmt.Sprintf("esit-%d", round)
				s.expect(201, "POST", "/api/v1/programs", coord, prog)
				raceWithdrawals(t, s, coord, agency, "/api/v1/programs/"+prog.Program.ID+"/cycles/2026", staff)
			}
		})
	}
}

// raceWithdrawals submits applications to cycle, then runs it while all
// but the first are withdrawn, and checks that the run and the
// withdrawals agree.
func raceWithdrawals(t *testing.T, s *server, coord, agency, cycle string, staff []bsk.Provider) {
	t.Helper()
	const n = 6
	if len(staff) < n {
		t.Fatalf("org-001 has %d staff; want %d", len(staff), n)
	}
	ids := make([]string, n)
	for i := range n {
		var got scholarship.Application
		s.expect(201, "POST", cycle+"/applications", agency, application(staff[i].ID, fmt.Sprintf("applicant %d", i), 24, 40)).json(t, &got)
		ids[i] = got.ID
	}
	var wg sync.WaitGroup
	withdrawn := make([]int, n)
	var runStatus int
	var runBody []byte
	errs := make(chan error, n)
	begin := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-begin
		req, err := http.NewRequest("POST", s.URL+cycle+"/runs", nil)
		if err != nil {
			errs <- err
			return
		}
		req.Header.Set("Authorization", "Bearer "+coord)
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			errs <- err
			return
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(resp.Body); err != nil {
			errs <- err
		}
		runStatus, runBody = resp.StatusCode, buf.Bytes()
	}()
	for i := 1; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-begin
			time.Sleep(time.Duration(i-1) * time.Millisecond)
			st, err := post(s.URL+cycle+"/applications/"+ids[i]+"/withdraw", agency, nil)
			if err != nil {
				errs <- err
			}
			withdrawn[i] = st
		}()
	}
	close(begin)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if runStatus != http.StatusCreated {
		// A run refused because applications changed under it stores
		// nothing; the withdrawals all stand.
		if runStatus != http.StatusConflict {
			t.Fatalf("run = %d %s; want 201 or 409", runStatus, runBody)
		}
		for i := 1; i < n; i++ {
			if withdrawn[i] != http.StatusOK {
				t.Errorf("%s: withdrawal %d = %d beside a refused run; want 200", cycle, i, withdrawn[i])
			}
		}
		return
	}
	var run app.CycleRun
	if err := json.Unmarshal(runBody, &run); err != nil {
		t.Fatal(err)
	}
	ds := decisions(t, s, coord, cycle+"/runs/"+run.ID, "")
	for i := 1; i < n; i++ {
		_, judged := ds[ids[i]]
		switch withdrawn[i] {
		case http.StatusOK:
			if judged {
				t.Errorf("%s: application %d was withdrawn, yet run %s decided it", cycle, i, run.ID)
			}
		case http.StatusConflict:
			if !judged {
				t.Errorf("%s: application %d could not be withdrawn, yet run %s did not decide it", cycle, i, run.ID)
			}
		default:
			t.Errorf("%s: withdrawal %d = %d; want 200 or 409", cycle, i, withdrawn[i])
		}
	}
	if _, judged := ds[ids[0]]; !judged {
		t.Errorf("%s: run %s did not decide the application nobody withdrew", cycle, run.ID)
	}
}
