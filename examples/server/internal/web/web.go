package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Prefix is where the web app lives; the JSON API stays under /api/v1.
const Prefix = "/web"

// CSP is the pages' Content-Security-Policy: the server's strict policy,
// loosened only for the app's own style sheet and script and its forms.
const CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Config configures the web app.
type Config struct {
	// Log is the server's logger.
	Log zerolog.Logger
	// SignInFailed answers a failed sign-in (audit and limit, as the API
	// does); it returns an error with status 429 when the client is over
	// its limit. nil answers without auditing.
	SignInFailed func(c echo.Context, keyID, why string) error
	// ParseProviders reads a provider CSV file (the API's format),
	// returning every problem of the file at once.
	ParseProviders func(r io.Reader) ([]bsk.Provider, error)
	// SessionTTL is how long a session lasts; default 8 hours.
	SessionTTL time.Duration
	// ImportLimit is the largest CSV upload in bytes; default 20 MiB.
	ImportLimit int64
	// SSO, when set, adds single sign-on with an OpenID Connect provider.
	SSO *SSO
}

// Web is the web app.
type Web struct {
	cfg   Config
	svc   *service.Services
	db    *store.DB
	pages map[string]*template.Template
	sso   *sso
}

// New builds the web app over the services; db keeps its sessions only
// (records are read through the services).
func New(svc *service.Services, db *store.DB, cfg Config) *Web {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.ImportLimit == 0 {
		cfg.ImportLimit = 20 << 20
	}
	w := &Web{cfg: cfg, svc: svc, db: db, pages: map[string]*template.Template{}}
	if cfg.SSO != nil {
		w.sso = newSSO(*cfg.SSO)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		if n == "templates/layout.html" {
			continue
		}
		w.pages[n[len("templates/"):len(n)-len(".html")]] = template.Must(template.New("layout.html").ParseFS(templateFiles, "templates/layout.html", n))
	}
	return w
}

// Mount adds the web app's routes to e: everything under [Prefix], and a
// redirect from / to the home page.
func (w *Web) Mount(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, Prefix+"/") })
	g := e.Group(Prefix, w.headers, w.language)
	static, _ := fs.Sub(staticFiles, "static")
	g.GET("/static/*", echo.WrapHandler(http.StripPrefix(Prefix+"/static/", http.FileServer(http.FS(static)))))
	g.GET("/signin", w.signInPage)
	g.POST("/signin", w.signIn, w.csrfBefore)
	g.GET("/signin/link", w.linkPage)
	g.POST("/signin/link", w.useLink, w.csrfBefore)
	g.GET("/signin/sso", w.ssoStart)
	g.GET("/signin/sso/callback", w.ssoCallback)

	in := g.Group("", w.session)
	in.POST("/signout", w.signOut)
	in.GET("/", w.home)
	in.GET("/organizations", w.organizations)
	in.GET("/providers", w.providers)
	in.GET("/providers/import", w.importPage)
	in.POST("/providers/import", w.importProviders)
	in.GET("/providers/:id", w.provider)
	in.GET("/runs", w.runs)
	in.POST("/runs", w.startRun)
	in.GET("/runs/:id", w.run)
	in.GET("/runs/:id/rosters", w.rosters)
	in.GET("/runs/:id/rosters.xlsx", w.rostersExcel)
	in.POST("/runs/:id/moves", w.moveMember)
	in.GET("/reports", w.report)
	in.GET("/reports.csv", w.reportDownload)
	in.GET("/reports.xlsx", w.reportDownload)
	in.GET("/reports/rankings", w.rankings)
	in.GET("/imports", w.imports)
	in.GET("/imports/upload", w.surveyUploadForm)
	in.POST("/imports/upload", w.uploadSurvey)
	in.GET("/imports/:id", w.surveyImport)
	in.GET("/sessions/:id/zoom", w.zoomSession)
	in.POST("/sessions/:id/zoom", w.reviewZoom)
	in.POST("/sessions/:id/zoom/confirm", w.confirmZoom)
	in.GET("/scholarships", w.decisions)
	in.GET("/scholarships.csv", w.decisionsDownload)
	in.GET("/scholarships.xlsx", w.decisionsDownload)
	in.GET("/scholarships/ledger", w.ledger)
	in.POST("/scholarships/decline", w.decline)
	in.GET("/scholarships/programs", w.programs)
	in.GET("/scholarships/programs/new", w.programFormPage)
	in.POST("/scholarships/programs", w.createProgram)
	in.GET("/scholarships/programs/:id", w.program)
	in.GET("/scholarships/programs/:id/edit", w.programFormPage)
	in.POST("/scholarships/programs/:id", w.updateProgram)
	in.GET("/scholarships/programs/:id/cycles/:cycle", w.cycle)
	in.POST("/scholarships/programs/:id/cycles/:cycle/runs", w.runCycle)
	in.GET("/scholarships/applications", w.applications)
	in.GET("/scholarships/applications/new", w.applicationFormPage)
	in.POST("/scholarships/applications", w.submitApplication)
	in.GET("/scholarships/applications/:id", w.application)
	in.POST("/scholarships/applications/:id/withdraw", w.withdrawApplication)
	in.GET("/scholarships/funds", w.funds)
	in.POST("/scholarships/funds", w.saveFunds)
	in.GET("/equity", w.equity)
	in.GET("/equity.csv", w.equityDownload)
	in.GET("/equity.xlsx", w.equityDownload)
	in.POST("/runs/:id/publish", w.publishRun)
	in.GET("/program/calendar", w.calendar)
	in.GET("/program/invoices", w.invoices)
	in.POST("/program/invoices", w.createInvoice)
	in.GET("/program/invoices/:id", w.invoice)
	in.GET("/program/invoices/:id/csv", w.invoiceDownload)
	in.GET("/program/invoices/:id/xlsx", w.invoiceDownload)
	in.GET("/program/groups", w.myGroups)
	in.GET("/program/sessions/:id/attendance", w.attendanceForm)
	in.POST("/program/sessions/:id/attendance", w.recordAttendance)
	in.GET("/trainings", w.trainings)
	in.GET("/trainings/registrations", w.staffRegistrations)
	in.GET("/trainings/reach", w.reach)
	in.GET("/trainings/:id", w.offering)
	in.POST("/trainings/:id/register", w.register)
	in.POST("/trainings/:id/cancel", w.cancelRegistration)
	in.GET("/providers/:id/transcript", w.transcript)
	in.GET("/review/assignment", w.assignment)
	in.POST("/review/assignment", w.assign)
	in.GET("/review/queue", w.queue)
	in.GET("/review/preview", w.reviewPreview)
	in.POST("/review/queue", w.score)
	in.GET("/review/pipeline", w.pipeline)
}

// headers sets the pages' security policy over the API's (which allows
// nothing to load) and keeps pages out of caches.
func (w *Web) headers(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

const langCookie = "bsk_lang"

// language picks the request's language; ?lang= switches it and keeps the
// choice in a cookie.
func (w *Web) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var chosen string
		if q := c.QueryParam("lang"); q == string(English) || q == string(Spanish) {
			chosen = q
			c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: Prefix, MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.Request().TLS != nil})
		} else if ck, err := c.Cookie(langCookie); err == nil {
			chosen = ck.Value
		}
		c.Set("lang", negotiate(chosen, c.Request().Header.Get("Accept-Language")))
		return next(c)
	}
}

func lang(c echo.Context) Lang {
	l, _ := c.Get("lang").(Lang)
	if l == "" {
		return English
	}
	return l
}

// Page is what every template receives.
type Page struct {
	Lang
	// Title is the page's title (already translated).
	Title string
	// Path is the request's path.
	Path string
	// English and Spanish are this page in each language (the switch).
	English, Spanish string
	// CSRF is the form token.
	CSRF string
	// Who is the signed-in caller; zero on the sign-in pages.
	Who service.Principal
	// Data is the page's own data.
	Data any
	// Refresh, when set, is the script that polls the page.
	Refresh bool
}

// SignedIn reports whether the page is shown to a signed-in caller.
func (p Page) SignedIn() bool { return p.Who.Role != "" }

// render writes the page name with status.
func (w *Web) render(c echo.Context, status int, name, titleKey string, data any, args ...any) error {
	t, ok := w.pages[name]
	if !ok {
		return bsk.Errorf(bsk.CodeInternal, "no page %q", name)
	}
	l := lang(c)
	p := Page{Lang: l, Title: l.T(titleKey, args...), Path: c.Request().URL.Path, CSRF: csrfToken(c), Who: who(c), Data: data,
		English: switchTo(c, English), Spanish: switchTo(c, Spanish)}
	if r, ok := data.(interface{ Refreshes() bool }); ok {
		p.Refresh = r.Refreshes()
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return bsk.Errorf(bsk.CodeInternal, "rendering %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// fail renders an error page for a service error: not found, refused,
// invalid (every problem listed), over a limit (429, with Retry-After) or
// internal, in the reader's language.
func (w *Web) fail(c echo.Context, err error) error {
	status, key := http.StatusInternalServerError, "error.internal"
	switch bsk.ErrorCode(err) {
	case bsk.CodeNotFound:
		status, key = http.StatusNotFound, "error.not_found"
	case bsk.CodeUnauthorized:
		status, key = http.StatusForbidden, "error.forbidden"
	case bsk.CodeInvalid:
		status, key = http.StatusBadRequest, "error.invalid"
	case bsk.CodeConflict:
		status, key = http.StatusConflict, "error.conflict"
	case bsk.CodeRateLimited:
		status, key = http.StatusTooManyRequests, "error.busy"
		c.Response().Header().Set("Retry-After", retryAfter)
	}
	if errors.Is(err, service.ErrUnauthenticated) {
		return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
	}
	if status == http.StatusInternalServerError {
		w.cfg.Log.Error().Err(err).Str("path", c.Request().URL.Path).Msg("web page")
	}
	return w.render(c, status, "error", key, errorPage{Message: lang(c).T(key), Detail: detail(err, status)})
}

type errorPage struct {
	Message string
	Detail  string
}

// retryAfter is the Retry-After, in seconds, of a page refused because a
// limit is reached (a full run queue): the API's default.
const retryAfter = "5"

// detail is the error's own message for problems the reader can act on
// (an invalid value, a conflict, a full queue); never for internal errors.
func detail(err error, status int) string {
	if status == http.StatusBadRequest || status == http.StatusConflict || status == http.StatusTooManyRequests {
		return err.Error()
	}
	return ""
}

// switchTo is the request's page (its path and query) in language l. A
// form's POST answer switches to the form's page itself.
func switchTo(c echo.Context, l Lang) string {
	q := url.Values{}
	if c.Request().Method == http.MethodGet {
		for k, v := range c.QueryParams() {
			q[k] = slices.Clone(v)
		}
	}
	q.Set("lang", string(l))
	return c.Request().URL.Path + "?" + q.Encode()
}
