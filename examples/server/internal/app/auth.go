package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

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
// time. The same query tells whether the key is revoked or expired and
// whether its organization or provider still exists; such a key answers 401
// at once. A failed attempt is audited and counts against the client's
// limit (see [failureLimiter]); a valid key is never slowed by it.
func (a *App) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		if h == "" {
			// No credentials is not a guess: 401, neither limited nor
			// audited, so that a client that forgot its key is told so.
			return errUnauthenticated
		}
		key, ok := strings.CutPrefix(h, "Bearer ")
		key = strings.TrimSpace(key)
		if !ok || key == "" || len(key) > 200 {
			return a.authFailed(c, "", "missing or malformed Authorization header")
		}
		hash := hashKey(key)
		k, stored, err := a.db.KeyByHash(c.Request().Context(), hash)
		if err != nil {
			if bsk.ErrorCode(err) == bsk.CodeUnauthorized {
				return a.authFailed(c, "", "unknown key")
			}
			return err
		}
		if subtle.ConstantTimeCompare([]byte(stored), []byte(hash)) != 1 {
			return a.authFailed(c, "", "unknown key")
		}
		now := time.Now().UTC()
		if why := k.Usable(now); why != "" {
			return a.authFailed(c, k.ID, why)
		}
		a.audit.keyUsed(k.ID, now)
		c.Set(principalKey, Principal{KeyID: k.ID, Role: Role(k.Role), OrganizationID: k.OrganizationID, ProviderID: k.ProviderID})
		return next(c)
	}
}

// authFailed answers a failed sign-in: 401 with an audit entry while the
// client is within its failure limit, 429 with Retry-After beyond it.
// Refused attempts are counted, and the count is in the client's next
// entry, so the log stays bounded and complete in total.
func (a *App) authFailed(c echo.Context, keyID, why string) error {
	client := c.RealIP()
	ok, wait, refused := a.failures.allow(client, time.Now())
	if !ok {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
		return echo.NewHTTPError(http.StatusTooManyRequests,
			fmt.Sprintf("too many failed sign-in attempts from this address: retry after %d s", max(1, secs)))
	}
	detail := why
	if refused > 0 {
		detail = fmt.Sprintf("%s (%d attempts refused with 429 before this one)", why, refused)
	}
	err := a.audit.append(c.Request().Context(), store.AuditEntry{
		KeyID: "anonymous", Action: "auth_failed", Entity: "api_key", EntityID: keyID, Client: client, Detail: detail})
	if err != nil {
		a.log.Error().Err(err).Str("client", client).Msg("recording a failed sign-in")
	}
	return errUnauthenticated
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
	return KeyResponse{ID: k.ID, Name: k.Name, Role: req.Role, OrganizationID: k.OrganizationID, ProviderID: k.ProviderID, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, Key: secret}, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// Failed sign-in limits. A client may fail failureBurst times at once and
// then once every failureEvery; all clients together failGlobalRate times
// a second with a burst of failGlobalBurst. Beyond either, failures answer
// 429 and are counted instead of audited one by one.
const (
	failureBurst    = 10
	failureEvery    = 6 * time.Second
	failGlobalRate  = 20
	failGlobalBurst = 100
	// failClientsMax bounds the clients remembered; idle ones (whose
	// bucket has refilled) are forgotten first.
	failClientsMax = 10_000
)

// failureLimiter limits failed sign-ins per client address (an IPv6
// address by its /64, which one machine usually holds whole) and in total.
type failureLimiter struct {
	mu      sync.Mutex
	global  *rate.Limiter
	clients map[string]*failClient
	log     zerolog.Logger
}

type failClient struct {
	lim     *rate.Limiter
	refused int
}

func newFailureLimiter(log zerolog.Logger) *failureLimiter {
	return &failureLimiter{global: rate.NewLimiter(failGlobalRate, failGlobalBurst), clients: map[string]*failClient{}, log: log}
}

// clientKey is the limiter's key for an address.
func clientKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// allow takes a failure of client at t. It reports whether the failure is
// within the limits; if not, how long until the client may fail again;
// and, when it is, how many of the client's failures were refused since
// its last admitted one.
func (f *failureLimiter) allow(client string, t time.Time) (ok bool, wait time.Duration, refused int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := clientKey(client)
	fc := f.clients[key]
	if fc == nil {
		if len(f.clients) >= failClientsMax {
			f.forget(t)
		}
		fc = &failClient{lim: rate.NewLimiter(rate.Every(failureEvery), failureBurst)}
		f.clients[key] = fc
	}
	r := fc.lim.ReserveN(t, 1)
	if d := r.DelayFrom(t); d > 0 {
		r.CancelAt(t)
		fc.refused++
		if fc.refused == 1 {
			f.log.Warn().Str("client", key).Msg("failed sign-ins over the limit: answering 429")
		}
		return false, d, 0
	}
	g := f.global.ReserveN(t, 1)
	if d := g.DelayFrom(t); d > 0 {
		g.CancelAt(t)
		r.CancelAt(t)
		fc.refused++
		return false, d, 0
	}
	refused, fc.refused = fc.refused, 0
	return true, 0, refused
}

// forget drops clients whose buckets have refilled, or, if none has, all:
// a flood from many addresses must not grow the map without bound.
func (f *failureLimiter) forget(t time.Time) {
	for k, fc := range f.clients {
		if fc.lim.TokensAt(t) >= failureBurst {
			if fc.refused > 0 {
				f.log.Warn().Str("client", k).Int("refused", fc.refused).Msg("failed sign-ins refused with 429 and not audited one by one")
			}
			delete(f.clients, k)
		}
	}
	if len(f.clients) >= failClientsMax {
		f.log.Warn().Int("clients", len(f.clients)).Msg("failed sign-ins from too many addresses: forgetting their counts")
		clear(f.clients)
	}
}
