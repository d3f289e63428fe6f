package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
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
