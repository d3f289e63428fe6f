package app

import (
	"errors"
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
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// Role is what an API key may do (see [service.Role]).
type Role = service.Role

// The roles.
const (
	RoleAdmin       = service.RoleAdmin
	RoleCoordinator = service.RoleCoordinator
	RoleAgency      = service.RoleAgency
	RoleConsultant  = service.RoleConsultant
	RoleEvaluator   = service.RoleEvaluator
)

// Principal is the caller behind a request's API key.
type Principal = service.Principal

const principalKey = "principal"

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
		if !ok {
			key = ""
		}
		p, err := a.svc.Keys.Authenticate(c.Request().Context(), strings.TrimSpace(key))
		var refused *service.SignInError
		if errors.As(err, &refused) {
			return a.authFailed(c, refused.KeyID, refused.Reason)
		}
		if err != nil {
			return err
		}
		setPrincipal(c, p)
		return next(c)
	}
}

// setPrincipal makes p the caller of the request: handlers read it with
// [principal], services from the request's context.
func setPrincipal(c echo.Context, p Principal) {
	c.Set(principalKey, p)
	c.SetRequest(c.Request().WithContext(service.WithPrincipal(c.Request().Context(), p)))
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
	if err := a.svc.Audit.SignInFailed(c.Request().Context(), keyID, client, detail); err != nil {
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

// KeyRequest asks for a new API key (see [service.KeyRequest]).
type KeyRequest = service.KeyRequest

// KeyResponse returns a new key once (see [service.KeyResponse]).
type KeyResponse = service.KeyResponse

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
