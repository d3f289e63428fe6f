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
}

// CreateKey stores a key's hash with its role, in the transaction.
func (t *Tx) CreateKey(ctx context.Context, k Key, hash string) error {
	_, err := t.tx.ExecContext(ctx, t.db.bind("INSERT INTO api_keys (id, hash, name, role, organization_id, provider_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
		k.ID, hash, k.Name, k.Role, k.OrganizationID, k.ProviderID, k.CreatedAt.UTC().Format(time.RFC3339Nano))
	return err
}

// KeyByHash finds the key with this hash and returns it with the stored
// hash; none is a [bsk.CodeUnauthorized] error.
func (db *DB) KeyByHash(ctx context.Context, hash string) (Key, string, error) {
	var k Key
	var created, stored string
	err := db.read.QueryRowContext(ctx, db.bind("SELECT id, name, role, organization_id, provider_id, created_at, hash FROM api_keys WHERE hash = ?"), hash).
		Scan(&k.ID, &k.Name, &k.Role, &k.OrganizationID, &k.ProviderID, &created, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, "", bsk.Errorf(bsk.CodeUnauthorized, "unknown API key")
	}
	if err != nil {
		return Key{}, "", storeErr("key", err)
	}
	k.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	return k, stored, nil
}

// CountKeys returns how many API keys exist.
func (db *DB) CountKeys(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM api_keys").Scan(&n)
	return n, storeErr("count keys", err)
}
