package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// PluginStatus describes one catalog entry for administrators.
type PluginStatus struct {
	Name    string   `json:"name"`
	Agency  string   `json:"agency"`
	Path    string   `json:"path"`
	SHA256  string   `json:"sha256"`
	Args    []string `json:"args,omitempty"`
	Enabled bool     `json:"enabled"`
	// Status is "running", "failed" (it did not start) or "disabled".
	Status string `json:"status"`
	// Info is what the running plug-in says of itself: version and rules.
	Info *plugins.Info `json:"info,omitempty"`
	// Error says why a plug-in failed to start.
	Error string `json:"error,omitempty"`
}

// PluginHealth is the answer of a health check.
type PluginHealth struct {
	Name      string  `json:"name"`
	Healthy   bool    `json:"healthy"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

// startPlugins reads the catalog and launches its enabled plug-ins. A bad
// catalog stops the server from starting; a plug-in that fails to start is
// logged and listed as failed, and the server runs without it.
func (a *App) startPlugins(ctx context.Context) error {
	if a.cfg.PluginCatalog == "" {
		return nil
	}
	cat, err := plugins.ReadCatalog(a.cfg.PluginCatalog)
	if err != nil {
		return err
	}
	a.catalog = cat
	host, err := plugins.NewHost(ctx, cat, plugins.Options{Logger: a.log})
	a.plugins = host
	var list bsk.Errors
	if errors.As(err, &list) {
		a.pluginErrors = map[string]string{}
		for _, e := range list {
			a.pluginErrors[e.Field] = e.Message
			a.log.Error().Str("plugin", e.Field).Str("error", e.Message).Msg("plug-in did not start")
		}
		return nil
	}
	return err
}

func (a *App) pluginRoutes(g *echo.Group) {
	g.GET("/plugins", a.listPlugins, allow(RoleAdmin))
	g.GET("/plugins/:name/health", a.pluginHealth, allow(RoleAdmin))
}

func (a *App) listPlugins(c echo.Context) error {
	out := []PluginStatus{}
	for _, e := range a.catalog.Plugins {
		st := PluginStatus{Name: e.Name, Agency: e.Agency, Path: e.Path, SHA256: e.SHA256, Args: e.Args, Enabled: e.Enabled, Status: "disabled"}
		if e.Enabled {
			st.Status = "failed"
			st.Error = a.pluginErrors[e.Name]
			if cl, err := a.pluginClient(e.Name); err == nil {
				info := cl.Info()
				st.Status, st.Info, st.Error = "running", &info, ""
			}
		}
		out = append(out, st)
	}
	return c.JSON(http.StatusOK, map[string]any{"plugins": out})
}

func (a *App) pluginClient(name string) (*plugins.Client, error) {
	if a.plugins == nil {
		return nil, bsk.NotFoundf("plugin", "no running plugin named %q", name)
	}
	return a.plugins.Plugin(name)
}

func (a *App) pluginHealth(c echo.Context) error {
	name := c.Param("name")
	cl, err := a.pluginClient(name)
	if err != nil {
		return err
	}
	start := time.Now()
	err = cl.Ping(c.Request().Context())
	h := PluginHealth{Name: name, Healthy: err == nil, LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		h.Error = err.Error()
	}
	return c.JSON(http.StatusOK, h)
}

// pluginRules returns the eligibility rules named "plugin/rule" as
// scholarship rules. A plug-in that is not running is an error naming it.
func (a *App) pluginRules(names []string) ([]scholarship.Rule[scholarship.Application], error) {
	var out []scholarship.Rule[scholarship.Application]
	for _, full := range names {
		plugin, rule, ok := strings.Cut(full, "/")
		if !ok {
			return nil, bsk.Invalidf("plugin_rules", "%q is not plugin/rule", full)
		}
		cl, err := a.pluginClient(plugin)
		if err != nil {
			return nil, err
		}
		r, err := plugins.NewRule(cl, rule, func(app scholarship.Application) string { return app.ID })
		if err != nil {
			return nil, err
		}
		out = append(out, withoutDemographics{r})
	}
	return out, nil
}

// withoutDemographics sends an agency's plug-in rule the applications
// without their demographics. Eligibility must not depend on them, and a
// plug-in's reasons reach readers who may not see them (a coordinator,
// and the applicant's agency when the plug-in is another agency's), so
// nothing it says may be derived from them.
type withoutDemographics struct {
	r *plugins.Rule[scholarship.Application]
}

var _ interface {
	scholarship.Rule[scholarship.Application]
	scholarship.Describer
} = withoutDemographics{}

// Check judges the batch with its demographics removed.
func (w withoutDemographics) Check(ctx context.Context, batch []scholarship.Application) ([][]scholarship.Reason, error) {
	clean := make([]scholarship.Application, len(batch))
	for i, app := range batch {
		app.Applicant.Demographics = bsk.Demographics{}
		clean[i] = app
	}
	return w.r.Check(ctx, clean)
}

// Describe names the plug-in's rule.
func (w withoutDemographics) Describe() scholarship.RuleInfo { return w.r.Describe() }
