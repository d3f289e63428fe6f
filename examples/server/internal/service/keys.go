package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Keys issues, lists, revokes and checks API keys. Only a key's SHA-256
// hash is stored; the secret is shown once, when the key is created.
type Keys struct {
	db    *store.DB
	audit *Audit
}

// KeyRequest asks for a new API key.
type KeyRequest struct {
	Name           string `json:"name"`
	Role           Role   `json:"role"`
	OrganizationID string `json:"organization_id,omitempty"`
	ProviderID     string `json:"provider_id,omitempty"`
	// ExpiresAt is when the key stops working. Keys without ExpiresAt or
	// TTL never expire; revoke them when they are no longer needed.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// TTL is how long the key works, as a Go duration ("720h"); at least a
	// minute. Give ExpiresAt or TTL, not both.
	TTL string `json:"ttl,omitempty"`
}

// KeyResponse returns a new key once; only its hash is kept.
type KeyResponse struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Role           Role      `json:"role"`
	OrganizationID string    `json:"organization_id,omitempty"`
	ProviderID     string    `json:"provider_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	ExpiresAt      time.Time `json:"expires_at,omitzero"`
	// Key is the secret, shown this once.
	Key string `json:"key"`
}

// KeyInfo describes a stored API key to the administrator: never its
// secret or hash.
type KeyInfo struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Role           Role      `json:"role"`
	OrganizationID string    `json:"organization_id,omitempty"`
	ProviderID     string    `json:"provider_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	ExpiresAt      time.Time `json:"expires_at,omitzero"`
	LastUsedAt     time.Time `json:"last_used_at,omitzero"`
	RevokedAt      time.Time `json:"revoked_at,omitzero"`
	// Status is "active", or why the key no longer works: "revoked",
	// "expired", "organization deleted", "provider deleted".
	Status string `json:"status"`
}

func keyInfo(k store.Key, t time.Time) KeyInfo {
	status := k.Usable(t)
	if status == "" {
		status = "active"
	}
	return KeyInfo{ID: k.ID, Name: k.Name, Role: Role(k.Role), OrganizationID: k.OrganizationID, ProviderID: k.ProviderID,
		CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt, Status: status}
}

// hashKey is how keys are stored: SHA-256 of the key. Keys are 32 random
// bytes, so a fast hash is enough; the key itself is never stored.
func hashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// newSecret returns a fresh API key.
func newSecret() string {
	var b [32]byte
	rand.Read(b[:])
	return "bsk_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// SignInError is a refused credential. KeyID names the stored key when the
// secret matched one that no longer works; Reason says why, for the audit
// log only: the caller is told no more than that the key is not valid.
type SignInError struct {
	KeyID  string
	Reason string
}

// Error says the sign-in was refused, and why (for the log only).
func (e *SignInError) Error() string { return "sign-in refused: " + e.Reason }

// Authenticate resolves an API key's secret to its [Principal]. The hash
// is looked up through the database's unique index, then compared in
// constant time. A revoked or expired key, or one whose organization or
// provider no longer exists, is refused with a [*SignInError].
func (s *Keys) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if secret == "" || len(secret) > 200 {
		return Principal{}, &SignInError{Reason: "missing or malformed Authorization header"}
	}
	hash := hashKey(secret)
	k, stored, err := s.db.KeyByHash(ctx, hash)
	if err != nil {
		if bsk.ErrorCode(err) == bsk.CodeUnauthorized {
			return Principal{}, &SignInError{Reason: "unknown key"}
		}
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare([]byte(stored), []byte(hash)) != 1 {
		return Principal{}, &SignInError{Reason: "unknown key"}
	}
	now := time.Now().UTC()
	if why := k.Usable(now); why != "" {
		return Principal{}, &SignInError{KeyID: k.ID, Reason: why}
	}
	s.audit.KeyUsed(k.ID, now)
	return Principal{KeyID: k.ID, Role: Role(k.Role), OrganizationID: k.OrganizationID, ProviderID: k.ProviderID}, nil
}

// Create stores a new key and returns it with its secret, shown this once.
// Administrator only (or [System]).
//
// Errors: invalid (naming the field), not_found (an unknown organization
// or provider), unauthorized.
func (s *Keys) Create(ctx context.Context, req KeyRequest) (KeyResponse, error) {
	by, err := require(ctx, RoleAdmin)
	if err != nil {
		return KeyResponse{}, err
	}
	var p bsk.Problems
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 200 {
		p.Add("/name", "is required (at most 200 bytes)")
	}
	if !req.Role.Valid() {
		p.Add("/role", "unknown role %q (admin, coordinator, agency, consultant, evaluator)", req.Role)
	}
	if req.Role == RoleAgency && req.OrganizationID == "" {
		p.Add("/organization_id", "is required for an agency key")
	}
	if req.Role == RoleConsultant && req.ProviderID == "" {
		p.Add("/provider_id", "is required for a consultant key")
	}
	created := time.Now().UTC()
	var expires time.Time
	switch {
	case req.ExpiresAt != nil && req.TTL != "":
		p.Add("/ttl", "give expires_at or ttl, not both")
	case req.ExpiresAt != nil:
		if expires = req.ExpiresAt.UTC(); !expires.After(created) {
			p.Add("/expires_at", "%s is not in the future", expires.Format(time.RFC3339))
		}
	case req.TTL != "":
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d < time.Minute {
			p.Add("/ttl", "%q is not a duration of at least a minute (e.g. \"720h\")", req.TTL)
		}
		expires = created.Add(d)
	}
	if err := p.Err(); err != nil {
		return KeyResponse{}, err
	}
	k := store.Key{ID: "key_" + store.NewID(), Name: req.Name, Role: string(req.Role), OrganizationID: req.OrganizationID, ProviderID: req.ProviderID, CreatedAt: created, ExpiresAt: expires}
	secret := newSecret()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if req.OrganizationID != "" {
			if ok, err := tx.Exists(ctx, store.Organizations, req.OrganizationID); err != nil || !ok {
				return firstErr(err, bsk.NotFoundf("/organization_id", "unknown organization %q", req.OrganizationID))
			}
		}
		if req.ProviderID != "" {
			if ok, err := tx.Exists(ctx, store.Providers, req.ProviderID); err != nil || !ok {
				return firstErr(err, bsk.NotFoundf("/provider_id", "unknown provider %q", req.ProviderID))
			}
		}
		if err := tx.CreateKey(ctx, k, hashKey(secret)); err != nil {
			return err
		}
		return tx.Audit(ctx, by.KeyID, "create", "api_key", k.ID)
	})
	if err != nil {
		return KeyResponse{}, err
	}
	return KeyResponse{ID: k.ID, Name: k.Name, Role: req.Role, OrganizationID: k.OrganizationID, ProviderID: k.ProviderID, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, Key: secret}, nil
}

// List lists keys in creation order, a page at a time. Administrator only.
func (s *Keys) List(ctx context.Context, cursor string, limit int) (Page[KeyInfo], error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return Page[KeyInfo]{}, err
	}
	keys, err := s.db.Keys(ctx, cursor, limit)
	if err != nil {
		return Page[KeyInfo]{}, err
	}
	now := time.Now().UTC()
	page := Page[KeyInfo]{Items: make([]KeyInfo, 0, len(keys))}
	for _, k := range keys {
		page.Items = append(page.Items, keyInfo(k, now))
	}
	if len(keys) == limit {
		page.NextCursor = keys[len(keys)-1].ID
	}
	return page, nil
}

// Revoke revokes a key at once; the key stays listed, so audit entries
// still name it. Revoking a revoked key changes nothing. Administrator only.
//
// Errors: not_found; conflict for the last active administrator key
// (create another first).
func (s *Keys) Revoke(ctx context.Context, id string) (KeyInfo, error) {
	by, err := require(ctx, RoleAdmin)
	if err != nil {
		return KeyInfo{}, err
	}
	now := time.Now().UTC()
	var k store.Key
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if k, err = tx.Key(ctx, id); err != nil || !k.RevokedAt.IsZero() {
			return err
		}
		// The audit append locks the chain's head first, so two revokes
		// cannot both count the other's key as the remaining administrator.
		if err := tx.Audit(ctx, by.KeyID, "revoke", "api_key", id); err != nil {
			return err
		}
		if Role(k.Role) == RoleAdmin && k.Usable(now) == "" {
			n, err := tx.ActiveKeys(ctx, string(RoleAdmin), now, id)
			if err != nil {
				return err
			}
			if n == 0 {
				return &bsk.Error{Code: bsk.CodeConflict, Field: "id", Message: fmt.Sprintf("%q is the last active administrator key: create another administrator key first", id)}
			}
		}
		if err := tx.RevokeKey(ctx, id, now); err != nil {
			return err
		}
		k.RevokedAt = now
		return nil
	})
	if err != nil {
		return KeyInfo{}, err
	}
	return keyInfo(k, now), nil
}

// Count is the number of keys ever issued.
func (s *Keys) Count(ctx context.Context) (int, error) { return s.db.CountKeys(ctx) }

// ActiveAdmins is the number of administrator keys that work now.
func (s *Keys) ActiveAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.ActiveKeys(ctx, string(RoleAdmin), time.Now().UTC(), "")
		return err
	})
	return n, err
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
