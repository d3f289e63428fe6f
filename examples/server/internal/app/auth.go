package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Role is what an API key may do.
type Role string

// The roles.
const (
	// RoleAdmin, the county administrator, may do everything.
	RoleAdmin Role = "admin"
	// RoleCoordinator runs program operations and sees demographic data only
	// as suppressed aggregates: provider records reach it without demographics.
	RoleCoordinator Role = "coordinator"
	// RoleAgency sees and changes only its own organization's providers.
	RoleAgency Role = "agency"
	// RoleConsultant sees its own record and the rosters of its own groups.
	RoleConsultant Role = "consultant"
	// RoleEvaluator works with survey data only.
	RoleEvaluator Role = "evaluator"
)

func (r Role) valid() bool {
	switch r {
	case RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant, RoleEvaluator:
		return true
	}
	return false
}

// Principal is the caller behind a request's API key.
type Principal struct {
	KeyID          string
	Role           Role
	OrganizationID string
	ProviderID     string
}

const principalKey = "principal"

// hashKey is how keys are stored: SHA-256 of the key. Keys are 32 random
// bytes, so a fast hash is enough; the key itself is never stored.
func hashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// newKey returns a fresh API key.
func newKey() string {
	var b [32]byte
	rand.Read(b[:])
	return "bsk_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// authenticate resolves the bearer key to a [Principal]: the key's hash is
// looked up through the database's unique index, then compared in constant
// time.
func (a *App) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		key, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || key == "" || len(key) > 200 {
			return errUnauthenticated
		}
		hash := hashKey(strings.TrimSpace(key))
		k, stored, err := a.db.KeyByHash(c.Request().Context(), hash)
		if err != nil {
			if bsk.ErrorCode(err) == bsk.CodeUnauthorized {
				return errUnauthenticated
			}
			return err
		}
		if subtle.ConstantTimeCompare([]byte(stored), []byte(hash)) != 1 {
			return errUnauthenticated
		}
		c.Set(principalKey, Principal{KeyID: k.ID, Role: Role(k.Role), OrganizationID: k.OrganizationID, ProviderID: k.ProviderID})
		return next(c)
	}
}

func principal(c echo.Context) Principal {
	p, _ := c.Get(principalKey).(Principal)
	return p
}

// allow admits only the given roles.
func allow(roles ...Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principal(c)
			for _, r := range roles {
				if p.Role == r {
					return next(c)
				}
			}
			return bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not do this", p.Role)
		}
	}
}

// KeyRequest asks for a new API key.
type KeyRequest struct {
	Name           string `json:"name"`
	Role           Role   `json:"role"`
	OrganizationID string `json:"organization_id,omitempty"`
	ProviderID     string `json:"provider_id,omitempty"`
}

// KeyResponse returns a new key once; only its hash is kept.
type KeyResponse struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Role           Role      `json:"role"`
	OrganizationID string    `json:"organization_id,omitempty"`
	ProviderID     string    `json:"provider_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	// Key is the secret, shown this once.
	Key string `json:"key"`
}

// createKey stores a new key for a role and returns it.
func (a *App) createKey(ctx context.Context, by string, req KeyRequest) (KeyResponse, error) {
	var p bsk.Problems
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 200 {
		p.Add("/name", "is required (at most 200 bytes)")
	}
	if !req.Role.valid() {
		p.Add("/role", "unknown role %q (admin, coordinator, agency, consultant, evaluator)", req.Role)
	}
	if req.Role == RoleAgency && req.OrganizationID == "" {
		p.Add("/organization_id", "is required for an agency key")
	}
	if req.Role == RoleConsultant && req.ProviderID == "" {
		p.Add("/provider_id", "is required for a consultant key")
	}
	if err := p.Err(); err != nil {
		return KeyResponse{}, err
	}
	k := store.Key{ID: "key_" + store.NewID(), Name: req.Name, Role: string(req.Role), OrganizationID: req.OrganizationID, ProviderID: req.ProviderID, CreatedAt: time.Now().UTC()}
	secret := newKey()
	err := a.db.Write(ctx, func(tx *store.Tx) error {
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
		return tx.Audit(ctx, by, "create", "api_key", k.ID)
	})
	if err != nil {
		return KeyResponse{}, err
	}
	return KeyResponse{ID: k.ID, Name: k.Name, Role: req.Role, OrganizationID: k.OrganizationID, ProviderID: k.ProviderID, CreatedAt: k.CreatedAt, Key: secret}, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
