package app

import (
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/examples/server/internal/web"
)

// Config configures the server. The zero value of every field but Data
// has a working default.
type Config struct {
	// Addr is the listen address; default 127.0.0.1:8080.
	Addr string
	// Data is the data directory (SQLite file, admin key); default ./data.
	Data string
	// Postgres is a PostgreSQL DSN; when set it replaces SQLite.
	Postgres string
	// NoDemo skips loading the synthetic workforce on first start.
	NoDemo bool
	// DemoSeed seeds the synthetic workforce; default 1.
	DemoSeed int64
	// BodyLimit is the largest request body for ordinary requests; default "1M".
	BodyLimit string
	// ImportLimit is the largest CSV import body; default "20M".
	ImportLimit string
	// RequestTimeout bounds each API request; default 30s.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds the drain of in-flight requests; default 15s.
	ShutdownTimeout time.Duration
	// PluginCatalog is the path of the plug-in catalog (a JSON file the
	// administrator controls); empty runs no plug-ins.
	PluginCatalog string
	// Plugins tune the plug-in host: call deadline and restart backoff.
	Plugins service.PluginOptions
	// CELRules is the folder of agencies' CEL rule files (the
	// administrator controls it); programs name them in cel_rules.
	CELRules string
	// Runs bound the grouping runs running at once, per key and in all;
	// runs beyond them wait in a bounded queue (see [RunLimits]).
	Runs RunLimits
	// TrustedProxies are the networks (CIDR) of reverse proxies whose
	// X-Forwarded-For names the client; empty trusts no header, and the
	// client is the connection's address.
	TrustedProxies []string
	// MetricsFrom are the networks (CIDR) whose clients may read /metrics
	// without a key; empty allows loopback only. Anyone else needs an
	// administrator key, and gets 404 without one.
	MetricsFrom []string
	// SSO, when set, adds single sign-on with an OpenID Connect provider
	// to the web app.
	SSO *web.SSO
	// ReadyCache is how long /readyz answers its last result before it
	// checks the database and pings the plug-ins again; default 1s,
	// negative checks on every call.
	ReadyCache time.Duration
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.Data == "" {
		c.Data = "data"
	}
	if c.DemoSeed == 0 {
		c.DemoSeed = 1
	}
	if c.BodyLimit == "" {
		c.BodyLimit = "1M"
	}
	if c.ImportLimit == "" {
		c.ImportLimit = "20M"
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
	if c.ReadyCache == 0 {
		c.ReadyCache = time.Second
	}
	return c
}

// App is the assembled server.
type App struct {
	cfg  Config
	log  zerolog.Logger
	db   *store.DB
	echo *echo.Echo
	// AdminKeyFile is where the first start wrote the administrator key.
	AdminKeyFile string
	// SignInPath is the web app's one-time administrator sign-in link
	// (path and secret; see [web.Web.AdminSignInLink]), "" if none.
	SignInPath string

	failures *failureLimiter
	metrics  *serverMetrics

	svc *service.Services
	web *web.Web
}

// New opens the store, applies migrations, loads the demo workforce and
// writes an administrator key on first start, and builds the routes.
func New(ctx context.Context, cfg Config, log zerolog.Logger) (*App, error) {
	cfg = cfg.withDefaults()
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	var db *store.DB
	var err error
	if cfg.Postgres != "" {
		db, err = store.OpenPostgres(ctx, cfg.Postgres)
	} else {
		db, err = store.OpenSQLite(ctx, cfg.Data)
	}
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, db: db, AdminKeyFile: filepath.Join(cfg.Data, "admin.key")}
	if a.metrics, err = newServerMetrics(db, cfg.MetricsFrom); err != nil {
		db.Close()
		return nil, err
	}
	plugins, err := service.StartPlugins(ctx, cfg.PluginCatalog, cfg.Plugins.WithStore(db), log, a.metrics.service)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("plug-in catalog: %w", err)
	}
	a.svc, a.failures = service.New(db, log, service.Config{Data: cfg.Data, Runs: cfg.Runs, Plugins: plugins, CELRules: cfg.CELRules, Metrics: a.metrics.service}), newFailureLimiter(log)
	if err := a.firstStart(ctx); err != nil {
		a.svc.Close()
		db.Close()
		return nil, err
	}
	if err := errors.Join(a.svc.Grouping.Recover(service.WithPrincipal(ctx, service.System)), a.recoverImports(ctx)); err != nil {
		a.svc.Close()
		db.Close()
		return nil, err
	}
	if err := a.routes(); err != nil {
		a.svc.Close()
		db.Close()
		return nil, err
	}
	if a.SignInPath, err = a.web.AdminSignInLink(ctx, a.AdminKeyFile); err != nil {
		a.log.Error().Err(err).Msg("creating the one-time sign-in link")
	}
	return a, nil
}

// DB exposes the store, for tests and tools.
func (a *App) DB() *store.DB { return a.db }

// Handler is the HTTP handler.
func (a *App) Handler() http.Handler { return a.echo }

// Close stops background work (running grouping runs are marked failed)
// and closes the store.
func (a *App) Close() error {
	a.svc.Close()
	return a.db.Close()
}

// Serve serves on l until ctx ends, then drains in-flight requests for up
// to the shutdown timeout. When l is a TLS listener ([crypto/tls.NewListener])
// every response over it carries Strict-Transport-Security, so browsers
// keep to HTTPS for a year; plain HTTP responses never do (behind a
// reverse proxy, the proxy that ends TLS sets it).
func (a *App) Serve(ctx context.Context, l net.Listener) error {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		a.echo.ServeHTTP(w, r)
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// Connection errors (a failed TLS handshake, a plain HTTP request
		// to the HTTPS port) go to the structured log.
		ErrorLog: stdlog.New(a.log.With().Str("source", "http").Logger(), "", 0),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info().Msg("shutting down: draining requests")
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	return err
}

// firstStart loads the synthetic workforce and writes an administrator key
// when the database has no keys yet.
func (a *App) firstStart(ctx context.Context) error {
	n, err := a.svc.Keys.Count(ctx)
	if err != nil || n > 0 {
		return firstErr(err, a.recoverAdmin(ctx))
	}
	sys := service.WithPrincipal(ctx, service.System)
	if !a.cfg.NoDemo {
		if err := a.svc.Workforce.LoadDemo(sys, a.cfg.DemoSeed); err != nil {
			return fmt.Errorf("loading demo data: %w", err)
		}
	}
	k, err := a.svc.Keys.Create(sys, KeyRequest{Name: "first administrator", Role: RoleAdmin})
	if err != nil {
		return err
	}
	if err := os.WriteFile(a.AdminKeyFile, []byte(k.Key+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing the administrator key: %w", err)
	}
	a.log.Info().Str("file", a.AdminKeyFile).Msg("wrote the administrator key")
	return nil
}

// routes builds the Echo application.
func (a *App) routes() error {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	ipx, err := ipExtractor(a.cfg.TrustedProxies)
	if err != nil {
		return err
	}
	e.IPExtractor = ipx
	e.HTTPErrorHandler = errorHandler(a.log)
	e.Use(middleware.RequestID())
	e.Use(noStore)
	e.Use(a.metrics.http) // outside the logger, which renders errors: the status is final
	e.Use(a.requestLogger())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			a.log.Error().Err(err).Bytes("stack", stack).Str("request_id", c.Response().Header().Get(echo.HeaderXRequestID)).Msg("panic")
			return bsk.Errorf(bsk.CodeInternal, "panic: %w", err)
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", ReferrerPolicy: "no-referrer",
	}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: a.cfg.BodyLimit,
		Skipper: func(c echo.Context) bool {
			// Imports enforce their own, larger limit.
			return c.Path() == "/api/v1/providers/import" || c.Path() == "/api/v1/instruments/:id/imports" || c.Path() == web.Prefix+"/providers/import" || c.Path() == web.Prefix+"/imports/upload"
		},
	}))

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", a.readyz(a.cfg.ReadyCache))
	e.GET("/metrics", a.serveMetrics)
	e.GET("/api/v1/openapi.json", a.openAPI)
	a.docsRoutes(e) // the docs page, with its own content-security policy

	api := e.Group("/api/v1", middleware.ContextTimeout(a.cfg.RequestTimeout), a.authenticate)
	a.keyRoutes(api)
	a.webSessionRoutes(api)
	a.organizationRoutes(api)
	a.providerRoutes(api)
	a.offeringRoutes(api)
	a.attendanceRoutes(api)
	a.groupingRoutes(api)
	a.pluginRoutes(api)
	a.scholarshipRoutes(api)
	a.scholarshipReviewRoutes(api)
	a.scholarshipFundRoutes(api)
	a.scholarshipPreviewRoutes(api)
	a.surveyRoutes(api)
	a.programRoutes(api)
	a.cohortRoutes(api)
	a.web = web.New(a.svc, a.db, web.Config{Log: a.log, SignInFailed: a.authFailed, ParseProviders: parseProviderCSV, ImportLimit: parseLimit(a.cfg.ImportLimit), SSO: a.cfg.SSO})
	a.web.Mount(e)
	a.echo = e
	return nil
}

// requestLogger logs one line per request: never a body, never a query
// string, so no demographic value can reach the log.
func (a *App) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogURIPath: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			ev := a.log.Info()
			if v.Status >= 500 {
				ev = a.log.Error()
			}
			ev.Str("request_id", v.RequestID).Str("method", v.Method).Str("path", v.URIPath).
				Int("status", v.Status).Dur("latency", v.Latency).Str("key_id", principal(c).KeyID).Msg("request")
			return nil
		},
	})
}
