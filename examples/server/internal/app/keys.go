package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

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

// keyRoutes serves the administrator's key and audit endpoints.
func (a *App) keyRoutes(g *echo.Group) {
	admin := allow(RoleAdmin)
	g.POST("/keys", a.postKey, admin)
	g.GET("/keys", a.listKeys, admin)
	g.DELETE("/keys/:id", a.revokeKey, admin)
	g.GET("/audit", a.listAudit, admin)
	g.GET("/audit/head", a.auditHead, admin)
}

func (a *App) postKey(c echo.Context) error {
	var req KeyRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	k, err := a.createKey(c.Request().Context(), principal(c).KeyID, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, k)
}

// listKeys lists keys in creation order, a page at a time.
func (a *App) listKeys(c echo.Context) error {
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	keys, err := a.db.Keys(c.Request().Context(), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	page := Page[KeyInfo]{Items: make([]KeyInfo, 0, len(keys))}
	for _, k := range keys {
		page.Items = append(page.Items, keyInfo(k, now))
	}
	if len(keys) == limit {
		page.NextCursor = keys[len(keys)-1].ID
	}
	return c.JSON(http.StatusOK, page)
}

// revokeKey revokes a key at once; the key stays listed, so audit entries
// still name it. Revoking a revoked key changes nothing. The last active
// administrator key cannot be revoked (409): create another first.
func (a *App) revokeKey(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	now := time.Now().UTC()
	var k store.Key
	err = a.db.Write(ctx, func(tx *store.Tx) error {
		if k, err = tx.Key(ctx, id); err != nil || !k.RevokedAt.IsZero() {
			return err
		}
		// The audit append locks the chain's head first, so two revokes
		// cannot both count the other's key as the remaining administrator.
		if err := tx.Audit(ctx, principal(c).KeyID, "revoke", "api_key", id); err != nil {
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
		return err
	}
	return c.JSON(http.StatusOK, keyInfo(k, now))
}

// recoverAdmin writes a new administrator key to the key file when keys
// exist but none of them is an active administrator key (the last one
// expired): whoever can restart the server and read its data directory is
// trusted with the database already.
func (a *App) recoverAdmin(ctx context.Context) error {
	var n int
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.ActiveKeys(ctx, string(RoleAdmin), time.Now().UTC(), "")
		return err
	})
	if err != nil || n > 0 {
		return err
	}
	k, err := a.createKey(ctx, "system", KeyRequest{Name: "recovered administrator", Role: RoleAdmin})
	if err != nil {
		return err
	}
	if err := os.WriteFile(a.AdminKeyFile, []byte(k.Key+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing the administrator key: %w", err)
	}
	a.log.Warn().Str("file", a.AdminKeyFile).Msg("no administrator key was active: wrote a new one")
	return nil
}

// ipExtractor finds a request's client address: the connection's, or with
// trusted proxies, the last address in X-Forwarded-For that is not one of
// them. Loopback and private networks are trusted only when listed.
func ipExtractor(proxies []string) (echo.IPExtractor, error) {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		_, n, err := net.ParseCIDR(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is not a network in CIDR notation", p)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}
