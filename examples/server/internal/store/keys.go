package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Key is an API key's stored form: never the key itself, only its hash.
type Key struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Role           string    `json:"role"`
	OrganizationID string    `json:"organization_id,omitempty"`
	ProviderID     string    `json:"provider_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	// ExpiresAt is when the key stops working; zero for never.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// RevokedAt is when an administrator revoked the key; zero if never.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	// LastUsedAt is the last authenticated request, to the minute; zero
	// if never.
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	// OrganizationGone and ProviderGone report that the organization or
	// provider the key is bound to no longer exists.
	OrganizationGone bool `json:"organization_gone,omitempty"`
	ProviderGone     bool `json:"provider_gone,omitempty"`
}

// Usable reports why the key cannot authenticate at t: "revoked",
// "expired", "organization deleted", "provider deleted", or "" when it can.
func (k Key) Usable(t time.Time) string {
	switch {
	case !k.RevokedAt.IsZero():
		return "revoked"
	case !k.ExpiresAt.IsZero() && !t.Before(k.ExpiresAt):
		return "expired"
	case k.OrganizationGone:
		return "organization deleted"
	case k.ProviderGone:
		return "provider deleted"
	}
	return ""
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{} // most keys: no expiry, never revoked
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// keyColumns selects a key with whether its organization and provider
// still exist, so authentication needs one query.
const keyColumns = `SELECT k.id, k.name, k.role, k.organization_id, k.provider_id, k.created_at, k.expires_at, k.revoked_at, k.last_used_at, k.hash,
	CASE WHEN k.organization_id = '' OR EXISTS (SELECT 1 FROM organizations o WHERE o.id = k.organization_id) THEN 0 ELSE 1 END,
	CASE WHEN k.provider_id = '' OR EXISTS (SELECT 1 FROM providers p WHERE p.id = k.provider_id) THEN 0 ELSE 1 END
	FROM api_keys k`

type scanner interface{ Scan(...any) error }

func scanKey(s scanner) (Key, string, error) {
	var k Key
	var created, expires, revoked, used, hash string
	var orgGone, provGone int
	err := s.Scan(&k.ID, &k.Name, &k.Role, &k.OrganizationID, &k.ProviderID, &created, &expires, &revoked, &used, &hash, &orgGone, &provGone)
	k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt = parseTime(created), parseTime(expires), parseTime(revoked), parseTime(used)
	k.OrganizationGone, k.ProviderGone = orgGone == 1, provGone == 1
	return k, hash, err
}

// CreateKey stores a key's hash with its role, in the transaction.
func (t *Tx) CreateKey(ctx context.Context, k Key, hash string) error {
	_, err := t.tx.ExecContext(ctx, t.db.bind("INSERT INTO api_keys (id, hash, name, role, organization_id, provider_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		k.ID, hash, k.Name, k.Role, k.OrganizationID, k.ProviderID, timeText(k.CreatedAt), timeText(k.ExpiresAt))
	return err
}

// KeyByHash finds the key with this hash and returns it with the stored
// hash, whether or not it is still usable (see [Key.Usable]); none is a
// [bsk.CodeUnauthorized] error.
func (db *DB) KeyByHash(ctx context.Context, hash string) (Key, string, error) {
	s, err := db.stmt(ctx, db.read, keyColumns+" WHERE k.hash = ?")
	if err != nil {
		return Key{}, "", storeErr("key", err)
	}
	k, stored, err := scanKey(s.QueryRowContext(ctx, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, "", bsk.Errorf(bsk.CodeUnauthorized, "unknown API key")
	}
	if err != nil {
		return Key{}, "", storeErr("key", err)
	}
	return k, stored, nil
}

// Key returns one key in the transaction; a missing key is a
// [bsk.CodeNotFound] error.
func (t *Tx) Key(ctx context.Context, id string) (Key, error) {
	k, _, err := scanKey(t.tx.QueryRowContext(ctx, t.db.bind(keyColumns+" WHERE k.id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, bsk.NotFoundf("id", "no API key %q", id)
	}
	return k, storeErr("key", err)
}

// Keys lists keys in ID (creation) order after the cursor.
func (db *DB) Keys(ctx context.Context, after string, limit int) ([]Key, error) {
	rows, err := db.read.QueryContext(ctx, db.bind(keyColumns+" WHERE k.id > ? ORDER BY k.id LIMIT ?"), after, limit)
	if err != nil {
		return nil, storeErr("keys", err)
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		k, _, err := scanKey(rows)
		if err != nil {
			return nil, storeErr("keys", err)
		}
		out = append(out, k)
	}
	return out, storeErr("keys", rows.Err())
}

// RevokeKey marks a key revoked at t, in the transaction.
func (t *Tx) RevokeKey(ctx context.Context, id string, at time.Time) error {
	res, err := t.tx.ExecContext(ctx, t.db.bind("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = ''"), timeText(at), id)
	if err != nil {
		return storeErr("revoke key", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bsk.Errorf(bsk.CodeConflict, "API key %q is not active", id)
	}
	return nil
}

// ActiveKeys counts the keys of a role that can authenticate at t, other
// than the key except, in the transaction.
func (t *Tx) ActiveKeys(ctx context.Context, role string, at time.Time, except string) (int, error) {
	rows, err := t.tx.QueryContext(ctx, t.db.bind(keyColumns+" WHERE k.role = ? AND k.id <> ? AND k.revoked_at = ''"), role, except)
	if err != nil {
		return 0, storeErr("keys", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		k, _, err := scanKey(rows)
		if err != nil {
			return 0, storeErr("keys", err)
		}
		if k.Usable(at) == "" {
			n++
		}
	}
	return n, storeErr("keys", rows.Err())
}

// TouchKeys records the keys' last use, in the transaction. Keys that no
// longer exist are skipped.
func (t *Tx) TouchKeys(ctx context.Context, used map[string]time.Time) error {
	for id, at := range used {
		if _, err := t.tx.ExecContext(ctx, t.db.bind("UPDATE api_keys SET last_used_at = ? WHERE id = ?"), timeText(at), id); err != nil {
			return storeErr("key use", err)
		}
	}
	return nil
}

// CountKeys returns how many API keys exist.
func (db *DB) CountKeys(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM api_keys").Scan(&n)
	return n, storeErr("count keys", err)
}
