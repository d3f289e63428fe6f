package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
)

// reads returns the providers each key read, in order, from the audit log.
func (s *server) reads() map[string][]string {
	s.t.Helper()
	out := map[string][]string{}
	for _, e := range s.auditLog() {
		if e.Action == "read" && e.Entity == "provider" {
			out[e.KeyID] = append(out[e.KeyID], e.EntityID)
		}
	}
	return out
}

func TestDemographicReadsAudited(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			agency := s.newKey(map[string]any{"name": "org-a lead", "role": "agency", "organization_id": "org-a"})
			coord := s.newKey(map[string]any{"name": "coordinator", "role": "coordinator"})
			var admin string
			for id, k := range s.keyList() {
				if k.Name == "first administrator" {
					admin = id
				}
			}

			s.expect(200, "GET", "/api/v1/providers/org-b-p2", s.Admin, nil)
			// Requests for one provider are recorded as they start: an
			// attempt that answers 404 leaves its entry too.
			s.expect(404, "GET", "/api/v1/providers/org-b-nobody", s.Admin, nil)
			var page app.Page[bsk.Provider]
			s.expect(200, "GET", "/api/v1/providers", agency.Key, nil).json(t, &page)
			if len(page.Items) != 2 {
				t.Fatalf("agency lists %d providers; want its 2", len(page.Items))
			}
			s.expect(404, "GET", "/api/v1/providers/org-b-p1", agency.Key, nil)
			// The coordinator sees no demographics: nothing to record.
			s.expect(200, "GET", "/api/v1/providers/org-b-p1", coord.Key, nil)
			s.expect(200, "GET", "/api/v1/providers", coord.Key, nil)

			// The entries are there as soon as the answers are.
			got := s.reads()
			if !slices.Equal(got[admin], []string{"org-b-p2", "org-b-nobody"}) || !slices.Equal(got[agency.ID], []string{"org-a-p1", "org-a-p2", "org-b-p1"}) ||
				len(got[coord.ID]) != 0 || len(got) != 2 {
				t.Errorf("reads recorded: %v; want administrator org-b-p2 and org-b-nobody, agency org-a-p1, org-a-p2 and org-b-p1, nothing else", got)
			}
		})
	}
}

func TestReadFailsWhenItCannotBeRecorded(t *testing.T) {
	b := backend{name: "sqlite"}
	s := start(t, b, false)
	fixture(s)
	mustExec(t, rawDB(t, s, b), "DROP TABLE audit_head")
	r := s.expect(500, "GET", "/api/v1/providers/org-a-p1", s.Admin, nil)
	if strings.Contains(string(r.Body), "Person org-a-p1") || strings.Contains(string(r.Body), "vashon") {
		t.Errorf("an unrecorded read answered with the record: %s", r.Body)
	}
	r = s.expect(500, "GET", "/api/v1/providers", s.Admin, nil)
	if strings.Contains(string(r.Body), "Person") {
		t.Errorf("an unrecorded list answered with records: %s", r.Body)
	}
	// Reads that carry no demographics do not depend on the log.
	s.expect(200, "GET", "/api/v1/organizations/org-a", s.Admin, nil)
}
