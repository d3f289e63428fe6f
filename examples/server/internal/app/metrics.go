package app

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// serverMetrics is the server's Prometheus registry (its own, never the
// process-wide default) and the HTTP metrics. Every label is a closed set
// or a route template: never an ID, a name or a raw URL.
type serverMetrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	service  *service.Metrics
	from     []*net.IPNet
}

// defaultMetricsFrom is who reads /metrics without a key when nothing is
// configured: this machine.
var defaultMetricsFrom = []string{"127.0.0.0/8", "::1/128"}

func newServerMetrics(db *store.DB, from []string) (*serverMetrics, error) {
	if len(from) == 0 {
		from = defaultMetricsFrom
	}
	m := &serverMetrics{reg: prometheus.NewRegistry()}
	for _, f := range from {
		_, n, err := net.ParseCIDR(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("metrics networks: %q is not a network in CIDR notation", f)
		}
		m.from = append(m.from, n)
	}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "workforce_http_requests_total",
		Help: "HTTP requests answered, by method, route template and status class (2xx, 4xx, ...)."}, []string{"method", "route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "workforce_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by method and route template.", Buckets: prometheus.DefBuckets}, []string{"method", "route"})
	cs := []prometheus.Collector{m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})}
	for name, pool := range db.Pools() {
		cs = append(cs, collectors.NewDBStatsCollector(pool, name))
	}
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return nil, err
		}
	}
	var err error
	m.service, err = service.NewMetrics(m.reg)
	return m, err
}

// knownMethods are the methods counted by name; any other is "other", so
// that a client cannot grow the label set.
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// http counts each request by its route template (Echo's c.Path(), with
// ":id" where the URL had an ID) and times it.
func (m *serverMetrics) http(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		began := time.Now()
		err := next(c)
		method := c.Request().Method
		if !knownMethods[method] {
			method = "other"
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		if err != nil && !c.Response().Committed {
			// Not rendered yet: the status the error will be rendered with.
			status = http.StatusInternalServerError
			var he *echo.HTTPError
			if errors.As(err, &he) {
				status = he.Code
			}
		}
		m.requests.WithLabelValues(method, route, fmt.Sprintf("%dxx", status/100)).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(began).Seconds())
		return err
	}
}

// serveMetrics answers /metrics in the Prometheus text format to clients
// of the configured networks and to administrators; anyone else gets the
// 404 of a route that does not exist. A wrong key counts against the
// client's sign-in failures, as on the API.
func (a *App) serveMetrics(c echo.Context) error {
	if !a.metrics.allowed(c.RealIP()) && !a.metricsAdmin(c) {
		return echo.ErrNotFound
	}
	promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(c.Response(), c.Request())
	return nil
}

// allowed reports whether the client address is in a network allowed to
// read the metrics without a key.
func (m *serverMetrics) allowed(client string) bool {
	ip := net.ParseIP(client)
	if ip == nil {
		return false
	}
	for _, n := range m.from {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// metricsAdmin reports whether the request carries a valid administrator
// key. A refused key is audited and limited like any failed sign-in, but
// answered like everything else here: 404.
func (a *App) metricsAdmin(c echo.Context) bool {
	key, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !ok {
		return false
	}
	p, err := a.svc.Keys.Authenticate(c.Request().Context(), strings.TrimSpace(key))
	var refused *service.SignInError
	if errors.As(err, &refused) {
		client := c.RealIP()
		if ok, _, _ := a.failures.allow(client, time.Now()); ok {
			if err := a.svc.Audit.SignInFailed(c.Request().Context(), refused.KeyID, client, refused.Reason); err != nil {
				a.log.Error().Err(err).Str("client", client).Msg("recording a failed sign-in")
			}
		}
		return false
	}
	return err == nil && p.Role == RoleAdmin
}
