package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// KeyInfo describes a stored API key (see [service.KeyInfo]).
type KeyInfo = service.KeyInfo

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
	k, err := a.svc.Keys.Create(c.Request().Context(), req)
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
	page, err := a.svc.Keys.List(c.Request().Context(), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// revokeKey revokes a key at once (see [service.Keys.Revoke]).
func (a *App) revokeKey(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	k, err := a.svc.Keys.Revoke(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, k)
}

// recoverAdmin writes a new administrator key to the key file when keys
// exist but none of them is an active administrator key (the last one
// expired): whoever can restart the server and read its data directory is
// trusted with the database already.
func (a *App) recoverAdmin(ctx context.Context) error {
	n, err := a.svc.Keys.ActiveAdmins(ctx)
	if err != nil || n > 0 {
		return err
	}
	k, err := a.svc.Keys.Create(service.WithPrincipal(ctx, service.System), KeyRequest{Name: "recovered administrator", Role: RoleAdmin})
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
