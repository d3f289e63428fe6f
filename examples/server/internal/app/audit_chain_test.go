package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/store"
)

// rawDB opens the server's database directly, as someone with write
// access to it would.
func rawDB(t *testing.T, s *server, b backend) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if b.postgres != "" {
		db, err = sql.Open("pgx", b.postgres)
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.Join(s.Dir, "workforce.db")+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func verifyChain(t *testing.T, s *server) store.AuditReport {
	t.Helper()
	r, err := s.App.DB().VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAuditChainDetectsTampering(t *testing.T) {
	rehash := func(t *testing.T, db *sql.DB, seq int) {
		var e store.AuditEntry
		var at string
		row := db.QueryRow(fmt.Sprintf("SELECT id, at, key_id, action, entity, entity_id, client, detail, prev_hash FROM audit WHERE seq = %d", seq))
		if err := row.Scan(&e.ID, &at, &e.KeyID, &e.Action, &e.Entity, &e.EntityID, &e.Client, &e.Detail, &e.PrevHash); err != nil {
			t.Fatal(err)
		}
		h := store.ChainHash(e.PrevHash, int64(seq), e.ID, at, e.KeyID, e.Action, e.Entity, e.EntityID, e.Client, e.Detail)
		mustExec(t, db, fmt.Sprintf("UPDATE audit SET hash = '%s' WHERE seq = %d", h, seq))
	}
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB)
		seq    int64  // the entry the break names
		named  int    // the seq of the stored row the break names; 0 for none
		reason string // a word of the reason
	}{
		{"edit", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, "UPDATE audit SET entity_id = 'org-z' WHERE seq = 4")
		}, 4, 4, "changed"},
		{"edit and rehash", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, "UPDATE audit SET action = 'update' WHERE seq = 4")
			rehash(t, db, 4)
		}, 5, 5, "entry 4 was changed"},
		{"delete", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, "DELETE FROM audit WHERE seq = 4")
		}, 4, 0, "missing"},
		{"reorder", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, "UPDATE audit SET seq = -1 WHERE seq = 5")
			mustExec(t, db, "UPDATE audit SET seq = 5 WHERE seq = 4")
			mustExec(t, db, "UPDATE audit SET seq = 4 WHERE seq = -1")
		}, 4, 5, "changed"},
		{"delete the last", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, "DELETE FROM audit WHERE seq = 7")
		}, 7, 0, "missing"},
		{"insert", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, "INSERT INTO audit (seq, id, at, key_id, action, entity, entity_id) VALUES (8, '0000000000000-forged', '2026-01-01T00:00:00Z', 'system', 'delete', 'provider', 'org-a-p1')")
		}, 8, 0, "after the head"},
	}
	for _, c := range cases {
		// Each case gets databases of its own.
		for _, b := range backends(t) {
			t.Run(c.name+"/"+b.name, func(t *testing.T) {
				s := start(t, b, false)
				fixture(s) // the key's creation and six records: entries 1-7
				if r := verifyChain(t, s); r.Break != nil || r.Entries != 7 || r.Head.Seq != 7 {
					t.Fatalf("untouched log: %+v, break %v; want 7 entries that verify", r, r.Break)
				}
				db := rawDB(t, s, b)
				var id string
				if c.named > 0 {
					// The ID of the row that will sit at the named seq.
					db.QueryRow(fmt.Sprintf("SELECT id FROM audit WHERE seq = %d", c.named)).Scan(&id)
				}
				c.tamper(t, db)
				r := verifyChain(t, s)
				if r.Break == nil {
					t.Fatalf("tampered log verifies: %+v", r)
				}
				if c.name == "insert" {
					id = "0000000000000-forged"
				}
				if r.Break.Seq != c.seq || r.Break.ID != id || !strings.Contains(r.Break.Reason, c.reason) {
					t.Errorf("break = %+v; want entry %d, id %q, reason with %q", *r.Break, c.seq, id, c.reason)
				}
			})
		}
	}
}

// TestAuditChainConcurrentWriters appends from many requests at once:
// record writes (each in its own transaction) and audited reads (in
// batches), and checks that they form one unbroken chain.
func TestAuditChainConcurrentWriters(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, false)
			fixture(s)
			agency := s.key("agency", "org-a", "")
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 6 {
						switch i % 3 {
						case 0:
							s.expect(201, "POST", "/api/v1/organizations", s.Admin, org(fmt.Sprintf("org-w%d-%d", w, i)))
						case 1:
							s.expect(200, "GET", "/api/v1/providers/org-b-p1", s.Admin, nil)
						case 2:
							s.expect(200, "GET", "/api/v1/providers", agency, nil)
						}
					}
				}()
			}
			wg.Wait()
			r := verifyChain(t, s)
			var rows int64
			rawDB(t, s, b).QueryRow("SELECT COUNT(*) FROM audit").Scan(&rows)
			// 7 entries of the fixture, the agency key, 16 organizations,
			// 16 reads of one provider and 16 lists of org-a's 2.
			const want = 7 + 1 + 16 + 16 + 16*2
			if r.Break != nil || r.Entries != want || r.Head.Seq != want || rows != want {
				t.Errorf("after concurrent appends: %+v (break %v), %d rows; want %d chained entries", r, r.Break, rows, want)
			}
		})
	}
}

// TestAuditChainsOlderEntries simulates a database from before the chain:
// its entries get seq numbers and hashes, oldest first, with the next
// append.
func TestAuditChainsOlderEntries(t *testing.T) {
	b := backend{name: "sqlite"}
	s := start(t, b, false)
	fixture(s)
	db := rawDB(t, s, b)
	mustExec(t, db, "UPDATE audit SET prev_hash = '', hash = ''")
	mustExec(t, db, "UPDATE audit_head SET seq = 0, hash = '"+store.GenesisHash+"'")
	if r := verifyChain(t, s); r.Break != nil || r.Unchained != 7 {
		t.Fatalf("unchained log: %+v (break %v); want 7 unchained entries and no break", r, r.Break)
	}
	s.expect(201, "POST", "/api/v1/organizations", s.Admin, org("org-c"))
	if r := verifyChain(t, s); r.Break != nil || r.Entries != 8 || r.Unchained != 0 {
		t.Fatalf("after the next append: %+v (break %v); want 8 chained entries", r, r.Break)
	}
	log := s.auditLog()
	for i := 1; i < len(log); i++ {
		if log[i].ID <= log[i-1].ID {
			t.Errorf("entry %d (%s) follows %s: older entries are not chained oldest first", log[i].Seq, log[i].ID, log[i-1].ID)
		}
	}
}
