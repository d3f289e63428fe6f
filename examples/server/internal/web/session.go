package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Cookie names. The session cookie holds the session's secret; the
// pre-session cookie holds the sign-in forms' token.
const (
	SessionCookie = "bsk_session"
	PreCookie     = "bsk_csrf"
	// CSRFField is the form field every form's token travels in.
	CSRFField = "csrf"
)

// LinkTTL is how long a one-time sign-in link works.
const LinkTTL = 15 * time.Minute

func secret() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// formToken is a session's form token: a hash of its secret under a label
// of its own, so neither the stored hash nor the token gives the secret.
func formToken(sessionSecret string) string {
	h := sha256.Sum256([]byte("bsk web form token\x00" + sessionSecret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func equal(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func (w *Web) cookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.Request().TLS != nil})
}

// csrfToken is the token the request's forms carry: the session's, or the
// pre-session cookie's (set here when the browser has none).
func csrfToken(c echo.Context) string {
	if t, ok := c.Get("csrf").(string); ok {
		return t
	}
	return ""
}

// session admits a request with a live session: its principal travels in
// the request's context to the services. Without one, a page redirects to
// the sign-in page. A POST must carry the session's form token.
func (w *Web) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(SessionCookie)
		if err != nil || ck.Value == "" {
			return w.toSignIn(c)
		}
		ctx := c.Request().Context()
		s, k, err := w.db.SessionByHash(ctx, hash(ck.Value))
		now := time.Now().UTC()
		switch {
		case bsk.ErrorCode(err) == bsk.CodeUnauthorized:
			return w.toSignIn(c)
		case err != nil:
			return w.fail(c, err)
		}
		p := service.Principal{KeyID: k.ID, Role: service.Role(k.Role), OrganizationID: k.OrganizationID, ProviderID: k.ProviderID}
		usable := s.KeyID != "" && k.Usable(now) == ""
		if s.KeyID == "" {
			// A single sign-on session acts for its person, not for a key.
			p, usable = ssoPrincipal(s)
		}
		if !s.ExpiresAt.After(now) || !usable {
			// An expired session, or one whose key no longer works, ends.
			if err := w.db.DeleteSession(ctx, hash(ck.Value)); err != nil {
				return w.fail(c, err)
			}
			return w.toSignIn(c)
		}
		token := formToken(ck.Value)
		if c.Request().Method == http.MethodPost {
			c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, w.cfg.ImportLimit)
		}
		if c.Request().Method == http.MethodPost && !equal(c.FormValue(CSRFField), token) {
			return w.refuseForm(c)
		}
		c.Set("csrf", token)
		c.Set("sso", s.KeyID == "")
		c.Set("who", p)
		c.Set("session", ck.Value)
		c.SetRequest(c.Request().WithContext(service.WithPrincipal(ctx, p)))
		return next(c)
	}
}

func who(c echo.Context) service.Principal {
	p, _ := c.Get("who").(service.Principal)
	return p
}

func (w *Web) toSignIn(c echo.Context) error {
	w.cookie(c, SessionCookie, "", -1)
	if c.Request().Method != http.MethodGet {
		return w.refuseForm(c)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
}

// refuseForm answers a form without its token (or without a session): 403.
func (w *Web) refuseForm(c echo.Context) error {
	return w.render(c, http.StatusForbidden, "error", "error.forbidden", errorPage{Message: lang(c).T("error.csrf")})
}

// csrfBefore guards the sign-in forms, sent before any session: the form's
// token must equal the pre-session cookie (double submit); GET pages set it.
func (w *Web) csrfBefore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(PreCookie)
		if err != nil || !equal(c.FormValue(CSRFField), ck.Value) {
			return w.refuseForm(c)
		}
		c.Set("csrf", ck.Value)
		return next(c)
	}
}

// preToken returns the browser's pre-session token, setting a fresh one
// when it has none.
func (w *Web) preToken(c echo.Context) string {
	if ck, err := c.Cookie(PreCookie); err == nil && len(ck.Value) >= 32 {
		c.Set("csrf", ck.Value)
		return ck.Value
	}
	t := secret()
	w.cookie(c, PreCookie, t, 0)
	c.Set("csrf", t)
	return t
}

type signInPage struct {
	Problem string
	Token   string
	// SSO is the single sign-on provider's name; "" when there is none.
	SSO string
}

func (w *Web) signInPage(c echo.Context) error {
	w.preToken(c)
	return w.render(c, http.StatusOK, "signin", "signin.title", signInPage{SSO: w.ssoName()})
}

// signIn exchanges an API key for a session. A refused key is audited and
// limited like the API's; the page says only that the key did not work.
func (w *Web) signIn(c echo.Context) error {
	key := strings.TrimSpace(c.FormValue("key"))
	p, err := w.svc.Keys.Authenticate(c.Request().Context(), key)
	var refused *service.SignInError
	if errors.As(err, &refused) {
		status, msg := http.StatusUnauthorized, "signin.refused"
		if w.cfg.SignInFailed != nil {
			var he *echo.HTTPError
			if e := w.cfg.SignInFailed(c, refused.KeyID, "web sign-in: "+refused.Reason); errors.As(e, &he) && he.Code == http.StatusTooManyRequests {
				status, msg = http.StatusTooManyRequests, "signin.limited"
			}
		}
		return w.render(c, status, "signin", "signin.title", signInPage{Problem: lang(c).T(msg), SSO: w.ssoName()})
	}
	if err != nil {
		return w.fail(c, err)
	}
	return w.startSession(c, p.KeyID)
}

// startSession stores a new session for the key and sends its cookie.
func (w *Web) startSession(c echo.Context, keyID string) error {
	s := secret()
	now := time.Now().UTC()
	// Ended sessions and links are swept at each sign-in.
	if _, err := w.db.DeleteExpiredSessions(c.Request().Context(), now); err != nil {
		w.cfg.Log.Error().Err(err).Msg("deleting expired sessions")
	}
	if err := w.db.CreateSession(c.Request().Context(), hash(s), store.Session{KeyID: keyID, CreatedAt: now, ExpiresAt: now.Add(w.cfg.SessionTTL)}); err != nil {
		return w.fail(c, err)
	}
	w.cookie(c, SessionCookie, s, int(w.cfg.SessionTTL.Seconds()))
	w.cookie(c, PreCookie, "", -1)
	return c.Redirect(http.StatusSeeOther, Prefix+"/")
}

// signOut deletes the session and its cookie; a single sign-on session
// signs out at the provider too (see [Web.ssoSignOut]).
func (w *Web) signOut(c echo.Context) error {
	if s, ok := c.Get("session").(string); ok {
		if err := w.db.DeleteSession(c.Request().Context(), hash(s)); err != nil {
			return w.fail(c, err)
		}
	}
	w.cookie(c, SessionCookie, "", -1)
	if sso, _ := c.Get("sso").(bool); sso {
		return w.ssoSignOut(c)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
}

// linkPage asks the holder of a one-time link to press a button: a link
// fetched by a mail scanner or a preview is not spent.
func (w *Web) linkPage(c echo.Context) error {
	w.preToken(c)
	return w.render(c, http.StatusOK, "link", "link.title", signInPage{Token: c.QueryParam("token")})
}

// useLink spends a one-time link and starts an administrator session.
func (w *Web) useLink(c echo.Context) error {
	keyID, err := w.db.UseSignInLink(c.Request().Context(), hash(c.FormValue("token")), time.Now().UTC())
	if bsk.ErrorCode(err) == bsk.CodeUnauthorized {
		status, msg := http.StatusUnauthorized, "link.refused"
		if w.cfg.SignInFailed != nil {
			var he *echo.HTTPError
			if e := w.cfg.SignInFailed(c, "", "web sign-in link: "+strings.TrimPrefix(err.Error(), "unauthorized: ")); errors.As(e, &he) && he.Code == http.StatusTooManyRequests {
				status, msg = http.StatusTooManyRequests, "signin.limited"
			}
		}
		return w.render(c, status, "link", "link.title", signInPage{Problem: lang(c).T(msg)})
	}
	if err != nil {
		return w.fail(c, err)
	}
	return w.startSession(c, keyID)
}

// AdminSignInLink creates a one-time sign-in link, valid for [LinkTTL],
// for the administrator key in keyFile, and returns its path (with the
// secret) under [Prefix]. It returns "" without an error when the file
// holds no working administrator key.
func (w *Web) AdminSignInLink(ctx context.Context, keyFile string) (string, error) {
	b, err := os.ReadFile(keyFile)
	if err != nil {
		return "", nil
	}
	p, err := w.svc.Keys.Authenticate(ctx, strings.TrimSpace(string(b)))
	if err != nil || p.Role != service.RoleAdmin {
		return "", nil
	}
	token := secret()
	if err := w.db.CreateSignInLink(ctx, hash(token), p.KeyID, time.Now().UTC().Add(LinkTTL)); err != nil {
		return "", err
	}
	return Prefix + "/signin/link?token=" + url.QueryEscape(token), nil
}
