package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// GenesisHash is the previous hash of the audit log's first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEntry records who did what to which record, or who read it. It
// never holds a record's contents or a presented secret.
//
// Entries form a hash chain: Seq numbers them 1, 2, 3, ... without gaps,
// PrevHash is the previous entry's Hash ([GenesisHash] for the first), and
// Hash is [ChainHash] of PrevHash and the entry's fields.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	KeyID    string    `json:"key_id"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	// Client is the network address of a failed sign-in.
	Client string `json:"client,omitempty"`
	// Detail says why a sign-in failed, never with the key presented.
	Detail   string `json:"detail,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
	// KeyName and KeyRole describe KeyID when it names a stored key; they
	// are filled by [DB.AuditLog] and are not part of the chain.
	KeyName string `json:"key_name,omitempty"`
	KeyRole string `json:"key_role,omitempty"`

	at string // At as stored: what the hash covers
}

// ChainHash is an entry's hash: SHA-256, in lower-case hex, over the
// previous entry's hash and the entry's fields, each written as its length
// in bytes, a colon, the bytes and a newline, in this order: "bsk-audit-1",
// prev, seq (decimal), id, at (RFC 3339 with nanoseconds, UTC, as stored),
// key_id, action, entity, entity_id, client, detail. Anyone can recompute
// it from a copy of the table.
func ChainHash(prev string, seq int64, id, at, keyID, action, entity, entityID, client, detail string) string {
	h := sha256.New()
	for _, f := range []string{"bsk-audit-1", prev, strconv.FormatInt(seq, 10), id, at, keyID, action, entity, entityID, client, detail} {
		writeField(h, f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, f string) {
	h.Write([]byte(strconv.Itoa(len(f))))
	h.Write([]byte{':'})
	h.Write([]byte(f))
	h.Write([]byte{'\n'})
}

func (e *AuditEntry) chainHash() string {
	return ChainHash(e.PrevHash, e.Seq, e.ID, e.at, e.KeyID, e.Action, e.Entity, e.EntityID, e.Client, e.Detail)
}

// Audit appends an audit entry in the transaction.
func (t *Tx) Audit(ctx context.Context, keyID, action, entity, entityID string) error {
	return t.AppendAudit(ctx, AuditEntry{KeyID: keyID, Action: action, Entity: entity, EntityID: entityID})
}

type stmtKey struct {
	pool *sql.DB
	q    string
}

// stmt returns q prepared on pool, preparing it on first use: the hot
// statements of authentication and audit appends are parsed once, not on
// every request.
func (db *DB) stmt(ctx context.Context, pool *sql.DB, q string) (*sql.Stmt, error) {
	key := stmtKey{pool, q}
	if s, ok := db.stmts.Load(key); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := pool.PrepareContext(ctx, db.bind(q))
	if err != nil {
		return nil, err
	}
	if old, loaded := db.stmts.LoadOrStore(key, s); loaded {
		s.Close()
		return old.(*sql.Stmt), nil
	}
	return s, nil
}

// stmt returns q prepared for the transaction: the statement
// [DB.PrepareAudit] prepared, or else one prepared on the transaction's
// own connection (asking the pool for another could wait forever on
// SQLite's single writer connection).
func (t *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if s, ok := t.db.stmts.Load(stmtKey{t.db.write, q}); ok {
		return t.tx.StmtContext(ctx, s.(*sql.Stmt)), nil
	}
	return t.tx.PrepareContext(ctx, t.db.bind(q))
}

// PrepareAudit prepares the statements of audit appends once, so appends
// do not parse them again. Call it outside any transaction.
func (db *DB) PrepareAudit(ctx context.Context) error {
	qs := []string{auditInsert, headUpdate, headSelect, auditInsertRows}
	if db.dialect == Postgres {
		qs[2] += " FOR UPDATE"
	}
	for _, q := range qs {
		if _, err := db.stmt(ctx, db.write, q); err != nil {
			return storeErr("prepare audit", err)
		}
	}
	return nil
}

// auditRows is how many entries one prepared INSERT carries; the rest of a
// batch goes one by one.
const auditRows = 16

var auditInsertRows = "INSERT INTO audit (seq, id, at, key_id, action, entity, entity_id, client, detail, prev_hash, hash) VALUES " +
	strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", auditRows), ", ")

const (
	auditInsert = "INSERT INTO audit (seq, id, at, key_id, action, entity, entity_id, client, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	headUpdate  = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"
	headSelect  = "SELECT seq, hash FROM audit_head WHERE id = 1"
)

// AppendAudit appends entries to the audit chain in the transaction, in
// order. It locks the chain's head row until the transaction ends (SQLite
// has a single writer already), so appends from concurrent transactions
// form one chain. ID and At are filled when empty. The first append after
// the upgrade to chained entries chains the older entries first, oldest
// first.
func (t *Tx) AppendAudit(ctx context.Context, entries ...AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	seq, prev, err := t.lockHead(ctx)
	if err != nil {
		return err
	}
	if seq == 0 {
		if seq, prev, err = t.chainLegacy(ctx); err != nil {
			return err
		}
	}
	stamp := now()
	for i := range entries {
		e := &entries[i]
		if e.ID == "" {
			e.ID = NewID()
		}
		e.at = stamp
		if !e.At.IsZero() {
			e.at = e.At.UTC().Format(time.RFC3339Nano)
		}
		seq++
		e.Seq, e.PrevHash = seq, prev
		e.Hash = e.chainHash()
		prev = e.Hash
	}
	rest := entries
	if len(rest) >= auditRows {
		ins, err := t.stmt(ctx, auditInsertRows)
		if err != nil {
			return storeErr("audit", err)
		}
		args := make([]any, 0, 11*auditRows)
		for ; len(rest) >= auditRows; rest = rest[auditRows:] {
			args = args[:0]
			for _, e := range rest[:auditRows] {
				args = append(args, e.Seq, e.ID, e.at, e.KeyID, e.Action, e.Entity, e.EntityID, e.Client, e.Detail, e.PrevHash, e.Hash)
			}
			if _, err := ins.ExecContext(ctx, args...); err != nil {
				return storeErr("audit", err)
			}
		}
	}
	ins, err := t.stmt(ctx, auditInsert)
	if err != nil {
		return storeErr("audit", err)
	}
	for _, e := range rest {
		if _, err := ins.ExecContext(ctx, e.Seq, e.ID, e.at, e.KeyID, e.Action, e.Entity, e.EntityID, e.Client, e.Detail, e.PrevHash, e.Hash); err != nil {
			return storeErr("audit", err)
		}
	}
	up, err := t.stmt(ctx, headUpdate)
	if err != nil {
		return storeErr("audit head", err)
	}
	_, err = up.ExecContext(ctx, seq, prev)
	return storeErr("audit head", err)
}

// lockHead reads the chain's head, locking its row on PostgreSQL.
func (t *Tx) lockHead(ctx context.Context) (int64, string, error) {
	q := headSelect
	if t.db.dialect == Postgres {
		q += " FOR UPDATE"
	}
	s, err := t.stmt(ctx, q)
	if err != nil {
		return 0, "", storeErr("audit head", err)
	}
	var seq int64
	var h string
	if err := s.QueryRowContext(ctx).Scan(&seq, &h); err != nil {
		return 0, "", storeErr("audit head", err)
	}
	return seq, h, nil
}

// chainLegacy gives the entries written before the chain existed (the
// migration numbered them in ID order) their hashes, in seq order.
func (t *Tx) chainLegacy(ctx context.Context) (int64, string, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT seq, id, at, key_id, action, entity, entity_id, client, detail FROM audit ORDER BY seq")
	if err != nil {
		return 0, "", storeErr("audit", err)
	}
	var old []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.ID, &e.at, &e.KeyID, &e.Action, &e.Entity, &e.EntityID, &e.Client, &e.Detail); err != nil {
			rows.Close()
			return 0, "", storeErr("audit", err)
		}
		old = append(old, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, "", storeErr("audit", err)
	}
	seq, prev := int64(0), GenesisHash
	for _, e := range old {
		seq = e.Seq
		e.PrevHash = prev
		e.Hash = e.chainHash()
		prev = e.Hash
		if _, err := t.tx.ExecContext(ctx, t.db.bind("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?"), e.PrevHash, e.Hash, e.Seq); err != nil {
			return 0, "", storeErr("audit", err)
		}
	}
	return seq, prev, nil
}

// AuditQuery selects a page of the audit log.
type AuditQuery struct {
	// After is the cursor: the seq of the last entry of the previous page,
	// as decimal text; "" starts at the oldest (or, with Desc, newest).
	After string
	// Desc lists newest first.
	Desc bool
	// Limit is the most entries returned.
	Limit int
}

// AuditLog lists audit entries in chain order, with the name and role of
// each entry's key when it is a stored key. A malformed cursor is a
// [bsk.CodeInvalid] error.
func (db *DB) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	var after int64
	if q.After != "" {
		n, err := strconv.ParseInt(q.After, 10, 64)
		if err != nil || n < 0 {
			return nil, bsk.Errors{bsk.Invalidf("cursor", "%q is not a cursor of the audit log", q.After)}
		}
		after = n
	}
	where, order := "a.seq > ?", "ASC"
	if q.Desc {
		where, order = "a.seq < ?", "DESC"
		if q.After == "" {
			// From the newest: a bound past every seq would overflow
			// PostgreSQL's integer column, so none is given.
			where, after = "? = 0", 0
		}
	}
	rows, err := db.read.QueryContext(ctx, db.bind(`SELECT a.seq, a.id, a.at, a.key_id, a.action, a.entity, a.entity_id, a.client, a.detail, a.prev_hash, a.hash,
		COALESCE(k.name, ''), COALESCE(k.role, '')
		FROM audit a LEFT JOIN api_keys k ON k.id = a.key_id
		WHERE `+where+` ORDER BY a.seq `+order+` LIMIT ?`), after, q.Limit)
	if err != nil {
		return nil, storeErr("audit", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.ID, &e.at, &e.KeyID, &e.Action, &e.Entity, &e.EntityID, &e.Client, &e.Detail, &e.PrevHash, &e.Hash, &e.KeyName, &e.KeyRole); err != nil {
			return nil, storeErr("audit", err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, e.at)
		out = append(out, e)
	}
	return out, storeErr("audit", rows.Err())
}

// AuditHead is the chain's last entry: publish its hash somewhere the
// database's writers cannot reach, and a later rewrite of any entry up to
// it is detected.
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// AuditHead returns the chain's head.
func (db *DB) AuditHead(ctx context.Context) (AuditHead, error) {
	var h AuditHead
	err := db.read.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&h.Seq, &h.Hash)
	return h, storeErr("audit head", err)
}

// AuditBreak is the first place where the audit log is not the chain its
// appends made.
type AuditBreak struct {
	// Seq is the entry that is broken or missing.
	Seq int64 `json:"seq"`
	// ID is the stored entry's ID, when there is one.
	ID string `json:"id,omitempty"`
	// Reason says what is wrong.
	Reason string `json:"reason"`
}

// Error names the entry where the chain breaks and how.
func (b *AuditBreak) Error() string {
	if b.ID != "" {
		return fmt.Sprintf("audit entry %d (id %s): %s", b.Seq, b.ID, b.Reason)
	}
	return fmt.Sprintf("audit entry %d: %s", b.Seq, b.Reason)
}

// AuditReport is the result of [DB.VerifyAudit].
type AuditReport struct {
	// Entries is how many chained entries were checked.
	Entries int64 `json:"entries"`
	// Head is the head row as stored.
	Head AuditHead `json:"head"`
	// Unchained counts entries written before the chain existed that no
	// append has chained yet (the next append chains them): while the head
	// names no entry, entries without a hash are not checked.
	Unchained int64 `json:"unchained,omitempty"`
	// Break is the first broken or missing entry; nil when the chain holds.
	Break *AuditBreak `json:"break,omitempty"`
}

// VerifyAudit reads the whole audit log in seq order and checks the chain:
// seq numbers without gaps from 1, each entry's prev_hash equal to the
// previous entry's hash, each hash equal to [ChainHash] of the stored
// fields, and the head row naming the last entry. It reports the first
// break; an error is returned only when the database cannot be read.
func (db *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var r AuditReport
	var err error
	if r.Head, err = db.AuditHead(ctx); err != nil {
		return r, err
	}
	if r.Head.Seq == 0 {
		err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit WHERE hash = ''").Scan(&r.Unchained)
		if err != nil {
			return r, storeErr("audit", err)
		}
	}
	rows, err := db.read.QueryContext(ctx, "SELECT seq, id, at, key_id, action, entity, entity_id, client, detail, prev_hash, hash FROM audit ORDER BY seq")
	if err != nil {
		return r, storeErr("audit", err)
	}
	defer rows.Close()
	want, prev := int64(1), GenesisHash
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.ID, &e.at, &e.KeyID, &e.Action, &e.Entity, &e.EntityID, &e.Client, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return r, storeErr("audit", err)
		}
		if r.Head.Seq == 0 && e.Hash == "" {
			continue // older than the chain, not chained yet
		}
		if e.Seq == r.Head.Seq+1 {
			r.Break = &AuditBreak{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("after the head: the head names entry %d", r.Head.Seq)}
			return r, nil
		}
		if r.Break = checkEntry(e, want, prev); r.Break != nil {
			return r, nil
		}
		r.Entries++
		want, prev = e.Seq+1, e.Hash
	}
	if err := rows.Err(); err != nil {
		return r, storeErr("audit", err)
	}
	rows.Close()
	last := want - 1
	switch {
	case r.Head.Seq > last:
		r.Break = &AuditBreak{Seq: last + 1, Reason: fmt.Sprintf("missing: the head names entry %d, the log ends at %d", r.Head.Seq, last)}
		return r, nil
	case r.Head.Seq == last && r.Head.Hash != prev:
		r.Break = &AuditBreak{Seq: last, Reason: "its hash is not the one the head row holds"}
	}
	return r, nil
}

// checkEntry checks one entry against the seq and hash the chain expects.
func checkEntry(e AuditEntry, want int64, prev string) *AuditBreak {
	switch {
	case e.Seq < want:
		return &AuditBreak{Seq: e.Seq, ID: e.ID, Reason: "appears twice"}
	case e.Seq > want && e.Seq == want+1:
		return &AuditBreak{Seq: want, Reason: fmt.Sprintf("missing: entry %d follows entry %d", e.Seq, want-1)}
	case e.Seq > want:
		return &AuditBreak{Seq: want, Reason: fmt.Sprintf("missing, with the %d entries after it: entry %d follows entry %d", e.Seq-want-1, e.Seq, want-1)}
	case e.Hash != e.chainHash():
		return &AuditBreak{Seq: e.Seq, ID: e.ID, Reason: "changed: its fields do not match its hash"}
	case e.PrevHash != prev:
		return &AuditBreak{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("its previous hash is not entry %d's hash: entry %d was changed or replaced", e.Seq-1, e.Seq-1)}
	}
	return nil
}
