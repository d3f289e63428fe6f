package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// SSO configures single sign-on with an OpenID Connect provider (Microsoft
// Entra ID, Okta, Keycloak, ...): the authorization code flow with PKCE
// (S256), state and nonce. The person's role, organization and provider
// record come from the ID token's claims through [ClaimMapping]; a person
// no claim maps to a role is refused.
type SSO struct {
	// Name is the provider's name on the sign-in page's button ("Sign in
	// with Name"); default "single sign-on".
	Name string
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer string
	// ClientID and ClientSecret are the app's registration at the
	// provider.
	ClientID     string
	ClientSecret string
	// RedirectURL is where the provider sends the browser back: this
	// server's public origin + [Prefix] + "/signin/sso/callback".
	RedirectURL string
	// PostLogoutRedirectURL is where the provider sends the browser after
	// signing out; default the sign-in page at RedirectURL's origin.
	PostLogoutRedirectURL string
	// Mapping gives the role, organization and provider from the claims.
	Mapping ClaimMapping
	// HTTPClient talks to the provider; nil uses a client with a
	// 30-second timeout.
	HTTPClient *http.Client
}

// ClaimMapping turns an ID token's claims into a [service.Principal]. It is
// read from a small JSON file (see [ParseClaimMapping]):
//
//	{
//	  "claims": {
//	    "roles":  {"Workforce.Admin": "admin", "Workforce.Agency": "agency"},
//	    "groups": {"5f4e...": "evaluator"}
//	  },
//	  "organization_claim": "extension_organization",
//	  "provider_claim": "extension_provider"
//	}
//
// A claim holds one string or a list of strings; every value listed under
// the claim's name gives its role. A person whose values give no role, or
// more than one role, is refused.
type ClaimMapping struct {
	// Claims maps a claim's name to the roles of its values.
	Claims map[string]map[string]service.Role `json:"claims"`
	// OrganizationClaim names the claim holding an agency's organization
	// ID; required when a value maps to agency. A consultant's
	// organization is their provider record's.
	OrganizationClaim string `json:"organization_claim,omitempty"`
	// ProviderClaim names the claim holding a consultant's own provider
	// ID; required when a value maps to consultant.
	ProviderClaim string `json:"provider_claim,omitempty"`
	// NameClaim names the claim holding the person's name; default "name",
	// then "preferred_username", then "email".
	NameClaim string `json:"name_claim,omitempty"`
}

// ParseClaimMapping reads a claim mapping from JSON, refusing unknown
// fields, and validates it.
//
// Errors: invalid, naming the field.
func ParseClaimMapping(r io.Reader) (ClaimMapping, error) {
	var m ClaimMapping
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return ClaimMapping{}, bsk.Invalidf("claims", "reading the claim mapping: %v", err)
	}
	return m, m.Validate()
}

// Validate reports every problem of the mapping: no claim, an empty claim
// name or value, a role that is not one of [service.Roles], and a missing
// organization or provider claim for the roles that need one.
//
// Errors: invalid, naming each field.
func (m ClaimMapping) Validate() error {
	var errs []error
	if len(m.Claims) == 0 {
		errs = append(errs, bsk.Invalidf("claims", "maps no claim to a role"))
	}
	uses := map[service.Role]bool{}
	for _, claim := range slices.Sorted(maps.Keys(m.Claims)) {
		values := m.Claims[claim]
		if claim == "" || len(values) == 0 {
			errs = append(errs, bsk.Invalidf("claims", "claim %q maps no value to a role", claim))
		}
		for _, v := range slices.Sorted(maps.Keys(values)) {
			role := values[v]
			switch {
			case v == "":
				errs = append(errs, bsk.Invalidf("claims."+claim, "an empty value maps to %q", role))
			case !role.Valid():
				errs = append(errs, bsk.Invalidf("claims."+claim+"."+v, "%q is not a role: use one of %v", role, service.Roles))
			}
			uses[role] = true
		}
	}
	if uses[service.RoleAgency] && m.OrganizationClaim == "" {
		errs = append(errs, bsk.Invalidf("organization_claim", "is required when a value maps to agency"))
	}
	if uses[service.RoleConsultant] && m.ProviderClaim == "" {
		errs = append(errs, bsk.Invalidf("provider_claim", "is required when a value maps to consultant"))
	}
	return errors.Join(errs...)
}

// SubjectPrefix starts the audit log's name of a person signed in by
// single sign-on: "sso:" + the ID token's subject.
const SubjectPrefix = "sso:"

// maxClaim bounds the subject and the IDs taken from claims.
const maxClaim = 256

// principal maps a verified ID token's subject and claims to a principal
// and a name; refused is the catalog key of why not ("" when admitted).
func (m ClaimMapping) principal(subject string, claims map[string]any) (p service.Principal, name, refused string) {
	if subject == "" || len(subject) > maxClaim {
		return p, "", "sso.failed"
	}
	var roles []service.Role
	for _, claim := range slices.Sorted(maps.Keys(m.Claims)) {
		for _, v := range claimValues(claims[claim]) {
			if r, ok := m.Claims[claim][v]; ok && !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
		}
	}
	switch len(roles) {
	case 0:
		return p, "", "sso.no_role"
	case 1:
	default:
		return p, "", "sso.many_roles"
	}
	p = service.Principal{KeyID: SubjectPrefix + subject, Role: roles[0]}
	if m.OrganizationClaim != "" && p.Role == service.RoleAgency {
		p.OrganizationID = claimString(claims[m.OrganizationClaim])
	}
	if m.ProviderClaim != "" && p.Role == service.RoleConsultant {
		p.ProviderID = claimString(claims[m.ProviderClaim])
	}
	if p.Role == service.RoleAgency && p.OrganizationID == "" {
		return service.Principal{}, "", "sso.no_organization"
	}
	if p.Role == service.RoleConsultant && p.ProviderID == "" {
		return service.Principal{}, "", "sso.no_provider"
	}
	for _, c := range []string{m.NameClaim, "name", "preferred_username", "email"} {
		if name = claimString(claims[c]); c != "" && name != "" {
			break
		}
	}
	return p, name, ""
}

// claimValues are a claim's strings: one string, or the strings of a list.
func claimValues(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// claimString is a claim holding one string of at most maxClaim bytes.
func claimString(v any) string {
	s, _ := v.(string)
	if len(s) > maxClaim {
		return ""
	}
	return s
}

// sso is the running single sign-on: the configuration and the provider,
// discovered on first use and kept once found.
type sso struct {
	cfg      SSO
	mu       sync.Mutex
	provider *oidc.Provider
	// endSession is the provider's end_session_endpoint, "" when it
	// advertises none.
	endSession string
}

func newSSO(cfg SSO) *sso {
	if cfg.Name == "" {
		cfg.Name = "single sign-on"
	}
	if cfg.PostLogoutRedirectURL == "" {
		if u, err := url.Parse(cfg.RedirectURL); err == nil && u.Host != "" {
			cfg.PostLogoutRedirectURL = u.Scheme + "://" + u.Host + Prefix + "/signin"
		}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	return &sso{cfg: cfg}
}

// context carries the HTTP client the provider is reached with.
func (s *sso) context(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, s.cfg.HTTPClient)
}

// discover returns the provider, reading its discovery document the first
// time; a failure is tried again at the next sign-in.
func (s *sso) discover(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil {
		return s.provider, nil
	}
	p, err := oidc.NewProvider(s.context(ctx), s.cfg.Issuer)
	if err != nil {
		return nil, err
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, err
	}
	if u, err := url.Parse(meta.EndSession); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		s.endSession = meta.EndSession
	}
	s.provider = p
	return p, nil
}

func (s *sso) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, RedirectURL: s.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"}}
}

// ssoCookie holds a sign-in's state, nonce and PKCE verifier between the
// redirect to the provider and its answer. It is SameSite=Lax: the answer
// is a navigation from the provider's site, which a Strict cookie would
// not follow.
const ssoCookie = "bsk_sso"

// ssoFlowTTL is how long a person has at the provider to sign in.
const ssoFlowTTL = 10 * time.Minute

func (w *Web) ssoName() string {
	if w.sso == nil {
		return ""
	}
	return w.sso.cfg.Name
}

// ssoStart sends the browser to the provider with a fresh state, nonce and
// PKCE challenge, keeping them in the flow cookie.
func (w *Web) ssoStart(c echo.Context) error {
	if w.sso == nil {
		return w.fail(c, bsk.NotFoundf("sso", "single sign-on is not configured"))
	}
	p, err := w.sso.discover(c.Request().Context())
	if err != nil {
		w.cfg.Log.Error().Err(err).Str("issuer", w.sso.cfg.Issuer).Msg("single sign-on: discovery")
		return w.ssoPage(c, http.StatusBadGateway, ssoPage{Problem: lang(c).T("sso.unavailable", w.sso.cfg.Name)})
	}
	state, nonce, verifier := secret(), secret(), oauth2.GenerateVerifier()
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: state + "." + nonce + "." + verifier, Path: Prefix + "/signin/sso",
		MaxAge: int(ssoFlowTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request().TLS != nil})
	return c.Redirect(http.StatusSeeOther, w.sso.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

type ssoPage struct {
	Problem string
	// Continue is where a signed-in browser goes next.
	Continue string
}

func (w *Web) ssoPage(c echo.Context, status int, data ssoPage) error {
	return w.render(c, status, "sso", "sso.title", data, w.ssoName())
}

// maxDetail bounds the reason a refusal leaves in the audit log (a
// provider's error answer can be long).
const maxDetail = 300

// ssoRefuse answers a sign-in that did not succeed with status and the
// catalog text key, and audits why (for the log only) like a refused key;
// no session is started. The page names no claim value.
func (w *Web) ssoRefuse(c echo.Context, status int, key, subject, why string) error {
	if w.cfg.SignInFailed != nil {
		id := ""
		if subject != "" {
			id = SubjectPrefix + subject
		}
		if len(why) > maxDetail {
			why = why[:maxDetail] + "..."
		}
		var he *echo.HTTPError
		if e := w.cfg.SignInFailed(c, id, "web single sign-on: "+strings.ToValidUTF8(why, "?")); errors.As(e, &he) && he.Code == http.StatusTooManyRequests {
			status, key = http.StatusTooManyRequests, "signin.limited"
		}
	}
	return w.ssoPage(c, status, ssoPage{Problem: lang(c).T(key, w.sso.cfg.Name)})
}

// ssoCallback finishes a sign-in: it checks the state against the flow
// cookie, redeems the code with the PKCE verifier, verifies the ID token
// (signature, issuer, audience, expiry) and its nonce, maps its claims to
// a principal and starts a session that ends no later than the token.
func (w *Web) ssoCallback(c echo.Context) error {
	if w.sso == nil {
		return w.fail(c, bsk.NotFoundf("sso", "single sign-on is not configured"))
	}
	ck, err := c.Cookie(ssoCookie)
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: "", Path: Prefix + "/signin/sso", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request().TLS != nil})
	var flow []string
	if err == nil {
		flow = strings.Split(ck.Value, ".")
	}
	if len(flow) != 3 {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.expired", "", "no sign-in under way in this browser")
	}
	state, nonce, verifier := flow[0], flow[1], flow[2]
	if e := c.QueryParam("error"); e != "" {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", "", fmt.Sprintf("the provider answered %.64q", e))
	}
	if !equal(c.QueryParam("state"), state) {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.expired", "", "state does not match")
	}
	ctx := c.Request().Context()
	p, err := w.sso.discover(ctx)
	if err != nil {
		w.cfg.Log.Error().Err(err).Str("issuer", w.sso.cfg.Issuer).Msg("single sign-on: discovery")
		return w.ssoPage(c, http.StatusBadGateway, ssoPage{Problem: lang(c).T("sso.unavailable", w.sso.cfg.Name)})
	}
	tok, err := w.sso.oauth(p).Exchange(w.sso.context(ctx), c.QueryParam("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", "", "redeeming the code: "+err.Error())
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", "", "the token answer holds no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: w.sso.cfg.ClientID}).Verify(w.sso.context(ctx), raw)
	if err != nil {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", "", "ID token: "+err.Error())
	}
	if !equal(idt.Nonce, nonce) {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", idt.Subject, "ID token: nonce does not match")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", idt.Subject, "ID token claims: "+err.Error())
	}
	if !authorizedParty(idt.Audience, claims, w.sso.cfg.ClientID) {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", idt.Subject, "ID token: issued to more than this app, and not for it (azp)")
	}
	who, name, refused := w.sso.cfg.Mapping.principal(idt.Subject, claims)
	if refused != "" {
		return w.ssoRefuse(c, http.StatusForbidden, refused, idt.Subject, strings.TrimPrefix(refused, "sso."))
	}
	who, refused, err = w.ssoRecords(ctx, who)
	if err != nil {
		return w.fail(c, err)
	} else if refused != "" {
		return w.ssoRefuse(c, http.StatusForbidden, refused, idt.Subject, strings.TrimPrefix(refused, "sso."))
	}
	now := time.Now().UTC()
	expires := now.Add(w.cfg.SessionTTL)
	if idt.Expiry.Before(expires) {
		expires = idt.Expiry.UTC()
	}
	if !expires.After(now.Add(time.Second)) {
		return w.ssoRefuse(c, http.StatusUnauthorized, "sso.failed", idt.Subject, "ID token expires now")
	}
	return w.startPersonSession(c, store.Session{Subject: idt.Subject, Name: name, Role: string(who.Role),
		OrganizationID: who.OrganizationID, ProviderID: who.ProviderID, CreatedAt: now, ExpiresAt: expires})
}

// authorizedParty reports whether a token whose audience holds clientID
// was issued for it: a token for several audiences must name clientID as
// its authorized party (OpenID Connect Core 3.1.3.7, steps 4 and 5).
func authorizedParty(audience []string, claims map[string]any, clientID string) bool {
	azp, given := claims["azp"]
	if len(audience) > 1 || given {
		return azp == clientID
	}
	return true
}

// ssoRecords checks, as the person, that the organization or provider
// record the claims name exists, and gives a consultant the organization
// of their provider record; refused is why not.
func (w *Web) ssoRecords(ctx context.Context, p service.Principal) (_ service.Principal, refused string, err error) {
	as := service.WithPrincipal(ctx, p)
	switch p.Role {
	case service.RoleAgency:
		if _, err := w.svc.Workforce.Organizations.Get(as, p.OrganizationID); bsk.ErrorCode(err) == bsk.CodeNotFound {
			return p, "sso.unknown_organization", nil
		} else if err != nil {
			return p, "", err
		}
	case service.RoleConsultant:
		rec, err := w.svc.Workforce.Providers.Get(as, p.ProviderID)
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return p, "sso.unknown_provider", nil
		} else if err != nil {
			return p, "", err
		}
		p.OrganizationID = string(rec.OrganizationID)
	}
	return p, "", nil
}

// startPersonSession stores a single sign-on session and sends its
// cookie. The answer is a page that moves on to the home page by itself:
// the browser arrived from the provider's site, and a redirect would
// carry on that cross-site navigation, on which the SameSite=Strict
// session cookie is not sent.
func (w *Web) startPersonSession(c echo.Context, s store.Session) error {
	secret := secret()
	ctx := c.Request().Context()
	if _, err := w.db.DeleteExpiredSessions(ctx, s.CreatedAt); err != nil {
		w.cfg.Log.Error().Err(err).Msg("deleting expired sessions")
	}
	if err := w.db.CreateSession(ctx, hash(secret), s); err != nil {
		return w.fail(c, err)
	}
	w.cookie(c, SessionCookie, secret, int(s.ExpiresAt.Sub(s.CreatedAt).Seconds()))
	w.cookie(c, PreCookie, "", -1)
	return w.ssoPage(c, http.StatusOK, ssoPage{Continue: Prefix + "/"})
}

// ssoPrincipal is a single sign-on session's principal; false when the
// session holds none.
func ssoPrincipal(s store.Session) (service.Principal, bool) {
	p := service.Principal{KeyID: SubjectPrefix + s.Subject, Role: service.Role(s.Role), OrganizationID: s.OrganizationID, ProviderID: s.ProviderID}
	return p, s.Subject != "" && p.Role.Valid()
}

// ssoSignOut sends the browser on to the provider's end_session_endpoint,
// when it advertises one, to end the person's session there too; the
// provider then returns it to PostLogoutRedirectURL. The sign-out form's
// Content-Security-Policy admits that one redirect.
func (w *Web) ssoSignOut(c echo.Context) error {
	if w.sso == nil {
		return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
	}
	if _, err := w.sso.discover(c.Request().Context()); err != nil || w.sso.endSession == "" {
		return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
	}
	u, err := url.Parse(w.sso.endSession)
	if err != nil {
		return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
	}
	q := u.Query()
	q.Set("client_id", w.sso.cfg.ClientID)
	if w.sso.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", w.sso.cfg.PostLogoutRedirectURL)
	}
	u.RawQuery = q.Encode()
	c.Response().Header().Set("Content-Security-Policy", strings.Replace(CSP, "form-action 'self'", "form-action 'self' "+u.Scheme+"://"+u.Host, 1))
	return c.Redirect(http.StatusSeeOther, u.String())
}
