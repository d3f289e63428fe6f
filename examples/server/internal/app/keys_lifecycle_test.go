package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// newKey creates a key from a request body and returns the answer.
func (s *server) newKey(body map[string]any) app.KeyResponse {
	s.t.Helper()
	var k app.KeyResponse
	s.expect(201, "POST", "/api/v1/keys", s.Admin, body).json(s.t, &k)
	return k
}

// keyList returns every key the administrator lists, by ID.
func (s *server) keyList() map[string]app.KeyInfo {
	s.t.Helper()
	out := map[string]app.KeyInfo{}
	cursor := ""
	for {
		var page app.Page[app.KeyInfo]
		r := s.expect(200, "GET", "/api/v1/keys?limit=2&cursor="+cursor, s.Admin, nil)
		if strings.Contains(string(r.Body), `"hash"`) || strings.Contains(string(r.Body), "bsk_") {
			s.t.Fatalf("the key list shows a hash or a secret: %s", r.Body)
		}
		r.json(s.t, &page)
		for _, k := range page.Items {
			out[k.ID] = k
		}
		if page.NextCursor == "" {
			return out
		}
		cursor = page.NextCursor
	}
}

// auditLog returns the audit log, oldest first.
func (s *server) auditLog() []store.AuditEntry {
	s.t.Helper()
	var page struct {
		Items []store.AuditEntry `json:"items"`
	}
	s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", s.Admin, nil).json(s.t, &page)
	return page.Items
}

func TestKeyListAndRevoke(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			agency := s.newKey(map[string]any{"name": "org-a lead", "role": "agency", "organization_id": "org-a"})
			coord := s.newKey(map[string]any{"name": "coordinator", "role": "coordinator"})
			s.expect(200, "GET", "/api/v1/organizations/org-a", agency.Key, nil)

			keys := s.keyList()
			if len(keys) != 3 {
				t.Fatalf("listed %d keys; want 3 (administrator, agency, coordinator)", len(keys))
			}
			got := keys[agency.ID]
			if got.Name != "org-a lead" || got.Role != app.RoleAgency || got.OrganizationID != "org-a" || got.Status != "active" ||
				!got.RevokedAt.IsZero() || !got.ExpiresAt.IsZero() || !got.CreatedAt.Equal(agency.CreatedAt) {
				t.Errorf("listed agency key = %+v", got)
			}
			s.expect(403, "GET", "/api/v1/keys", coord.Key, nil)
			s.expect(403, "DELETE", "/api/v1/keys/"+agency.ID, coord.Key, nil)
			s.expect(404, "DELETE", "/api/v1/keys/key_nope", s.Admin, nil)

			var revoked app.KeyInfo
			s.expect(200, "DELETE", "/api/v1/keys/"+agency.ID, s.Admin, nil).json(t, &revoked)
			if revoked.Status != "revoked" || revoked.RevokedAt.IsZero() {
				t.Errorf("revoke answered %+v; want status revoked with a time", revoked)
			}
			s.expect(401, "GET", "/api/v1/organizations/org-a", agency.Key, nil)
			if k := s.keyList()[agency.ID]; k.Status != "revoked" || !k.RevokedAt.Equal(revoked.RevokedAt) {
				t.Errorf("listed revoked key = %+v", k)
			}
			// Revoking again changes nothing.
			var again app.KeyInfo
			s.expect(200, "DELETE", "/api/v1/keys/"+agency.ID, s.Admin, nil).json(t, &again)
			if !again.RevokedAt.Equal(revoked.RevokedAt) {
				t.Errorf("second revoke moved revoked_at from %v to %v", revoked.RevokedAt, again.RevokedAt)
			}
			var revokes, failed int
			for _, e := range s.auditLog() {
				if e.Action == "revoke" && e.EntityID == agency.ID && e.KeyName == "first administrator" && e.KeyRole == "admin" {
					revokes++
				}
				if e.Action == "auth_failed" && e.EntityID == agency.ID && e.Detail == "revoked" {
					failed++
				}
			}
			if revokes != 1 || failed != 1 {
				t.Errorf("audit: %d revoke entries by the named administrator, %d failed sign-ins with the revoked key; want 1 and 1", revokes, failed)
			}
		})
	}
}

func TestLastAdministratorKey(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	first := ""
	for id, k := range s.keyList() {
		if k.Role == app.RoleAdmin {
			first = id
		}
	}
	if r := s.expect(409, "DELETE", "/api/v1/keys/"+first, s.Admin, nil); !strings.Contains(string(r.Body), "last active administrator key") {
		t.Errorf("revoking the only administrator key: %s", r.Body)
	}
	s.expect(200, "GET", "/api/v1/keys", s.Admin, nil)
	second := s.newKey(map[string]any{"name": "second administrator", "role": "admin"})
	// An administrator key that expires soon does not count as the one left.
	s.newKey(map[string]any{"name": "temporary administrator", "role": "admin", "expires_at": time.Now().Add(1500 * time.Millisecond)})
	s.expect(200, "DELETE", "/api/v1/keys/"+first, s.Admin, nil)
	s.expect(401, "GET", "/api/v1/keys", s.Admin, nil)
	time.Sleep(1600 * time.Millisecond)
	s.expect(409, "DELETE", "/api/v1/keys/"+second.ID, second.Key, nil)
	s.expect(200, "GET", "/api/v1/keys", second.Key, nil)
}

func TestKeyExpiry(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"name": "x", "role": "evaluator", "ttl": "30s"}, "/ttl"},
		{map[string]any{"name": "x", "role": "evaluator", "ttl": "soon"}, "/ttl"},
		{map[string]any{"name": "x", "role": "evaluator", "ttl": "1h", "expires_at": time.Now().Add(time.Hour)}, "/ttl"},
		{map[string]any{"name": "x", "role": "evaluator", "expires_at": time.Now().Add(-time.Minute)}, "/expires_at"},
	} {
		if f := s.expect(400, "POST", "/api/v1/keys", s.Admin, bad.body).problems(t); len(f) != 1 || f[0] != bad.field {
			t.Errorf("POST /keys %v: problems %v; want %s", bad.body, f, bad.field)
		}
	}
	t0 := time.Now()
	long := s.newKey(map[string]any{"name": "a month", "role": "evaluator", "ttl": "720h"})
	if d := long.ExpiresAt.Sub(t0); d < 720*time.Hour-time.Minute || d > 720*time.Hour+time.Minute {
		t.Errorf("ttl 720h: expires %v after creation", d)
	}
	short := s.newKey(map[string]any{"name": "two seconds", "role": "evaluator", "expires_at": time.Now().Add(2 * time.Second)})
	s.expect(200, "GET", "/api/v1/instruments", short.Key, nil)
	time.Sleep(time.Until(short.ExpiresAt) + 100*time.Millisecond)
	s.expect(401, "GET", "/api/v1/instruments", short.Key, nil)
	s.expect(200, "GET", "/api/v1/instruments", long.Key, nil)
	if k := s.keyList()[short.ID]; k.Status != "expired" {
		t.Errorf("listed expired key: status %q; want expired", k.Status)
	}
}

func TestKeyLastUse(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	eval := s.newKey(map[string]any{"name": "evaluator", "role": "evaluator"})
	if k := s.keyList()[eval.ID]; !k.LastUsedAt.IsZero() {
		t.Fatalf("unused key has last_used_at %v", k.LastUsedAt)
	}
	t0 := time.Now()
	s.expect(200, "GET", "/api/v1/instruments", eval.Key, nil)
	// The use is written with the next batch of the audit appender.
	var first time.Time
	for deadline := time.Now().Add(5 * time.Second); first.IsZero() && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		first = s.keyList()[eval.ID].LastUsedAt
	}
	if first.Before(t0.Add(-time.Second)) || first.After(time.Now()) {
		t.Fatalf("last_used_at = %v; want the time of the request, %v", first, t0)
	}
	// Uses within the minute write nothing more.
	for range 5 {
		s.expect(200, "GET", "/api/v1/instruments", eval.Key, nil)
	}
	s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-flush")) // a write after the uses
	time.Sleep(100 * time.Millisecond)
	if again := s.keyList()[eval.ID].LastUsedAt; !again.Equal(first) {
		t.Errorf("last_used_at moved from %v to %v within a minute", first, again)
	}
}

func TestKeyOfDeletedOwner(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			agency := s.newKey(map[string]any{"name": "org-b lead", "role": "agency", "organization_id": "org-b"})
			consultant := s.newKey(map[string]any{"name": "consultant", "role": "consultant", "provider_id": "org-a-p2"})
			other := s.newKey(map[string]any{"name": "org-a lead", "role": "agency", "organization_id": "org-a"})
			s.expect(200, "GET", "/api/v1/providers?limit=5", agency.Key, nil)
			s.expect(200, "GET", "/api/v1/providers/org-a-p2", consultant.Key, nil)

			// An organization is deleted after its providers.
			s.expect(204, "DELETE", "/api/v1/providers/org-b-p1", s.Admin, nil)
			s.expect(204, "DELETE", "/api/v1/providers/org-b-p2", s.Admin, nil)
			s.expect(204, "DELETE", "/api/v1/organizations/org-b", s.Admin, nil)
			s.expect(401, "GET", "/api/v1/providers?limit=5", agency.Key, nil)
			s.expect(204, "DELETE", "/api/v1/providers/org-a-p2", s.Admin, nil)
			s.expect(401, "GET", "/api/v1/providers/org-a-p2", consultant.Key, nil)
			s.expect(200, "GET", "/api/v1/providers?limit=5", other.Key, nil)

			keys := s.keyList()
			if keys[agency.ID].Status != "organization deleted" || keys[consultant.ID].Status != "provider deleted" || keys[other.ID].Status != "active" {
				t.Errorf("statuses: agency %q, consultant %q, other %q", keys[agency.ID].Status, keys[consultant.ID].Status, keys[other.ID].Status)
			}
		})
	}
}

func TestAuditNewestFirst(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	fixture(s)
	asc := s.auditLog()
	if len(asc) < 7 {
		t.Fatalf("audit log has %d entries; want at least 7", len(asc))
	}
	var desc []store.AuditEntry
	cursor := ""
	for {
		var page struct {
			Items      []store.AuditEntry `json:"items"`
			NextCursor string             `json:"next_cursor"`
		}
		s.expect(200, "GET", "/api/v1/audit?order=desc&limit=3&cursor="+cursor, s.Admin, nil).json(t, &page)
		desc = append(desc, page.Items...)
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(desc) != len(asc) {
		t.Fatalf("newest first: %d entries; oldest first: %d", len(desc), len(asc))
	}
	for i := range asc {
		if d := desc[len(desc)-1-i]; d.ID != asc[i].ID || d.Seq != asc[i].Seq {
			t.Errorf("entry %d: newest first has %s (seq %d), oldest first %s (seq %d)", i, d.ID, d.Seq, asc[i].ID, asc[i].Seq)
		}
	}
	// Newest first is the default.
	var def struct {
		Items []store.AuditEntry `json:"items"`
	}
	s.expect(200, "GET", "/api/v1/audit?limit=3", s.Admin, nil).json(t, &def)
	if len(def.Items) != 3 || def.Items[0].Seq != desc[0].Seq || def.Items[2].Seq != desc[2].Seq {
		t.Errorf("the default order lists %+v first; want the newest, as order=desc", def.Items)
	}
	last := desc[0]
	if last.Action != "create" || last.KeyName != "first administrator" || last.KeyRole != "admin" || last.KeyID == "" {
		t.Errorf("newest entry = %+v; want the administrator's last create, with the key's name and role", last)
	}
	s.expect(400, "GET", "/api/v1/audit?order=sideways", s.Admin, nil)
	s.expect(400, "GET", "/api/v1/audit?cursor=abc", s.Admin, nil)
}

// TestAdministratorKeyRecovered: when every administrator key has
// expired, the next start writes a new one to the key file.
func TestAdministratorKeyRecovered(t *testing.T) {
	b := backend{name: "sqlite"}
	dir := t.TempDir()
	s := startIn(t, b, false, dir)
	temp := s.newKey(map[string]any{"name": "temporary administrator", "role": "admin", "expires_at": time.Now().Add(1500 * time.Millisecond)})
	first := ""
	for id, k := range s.keyList() {
		if k.Name == "first administrator" {
			first = id
		}
	}
	s.expect(200, "DELETE", "/api/v1/keys/"+first, temp.Key, nil)
	time.Sleep(time.Until(temp.ExpiresAt) + 100*time.Millisecond)
	s.expect(401, "GET", "/api/v1/keys", temp.Key, nil)

	again := startIn(t, b, false, dir)
	if again.Admin == s.Admin || again.Admin == temp.Key {
		t.Fatal("the restart kept a dead administrator key in the key file")
	}
	var page app.Page[app.KeyInfo]
	again.expect(200, "GET", "/api/v1/keys", again.Admin, nil).json(t, &page)
	active := 0
	for _, k := range page.Items {
		if k.Role == app.RoleAdmin && k.Status == "active" {
			active++
		}
	}
	if active != 1 {
		t.Errorf("%d active administrator keys after the restart; want the recovered one", active)
	}
}
