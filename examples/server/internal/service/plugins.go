package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/rs/zerolog"

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

// PluginHost is the server's running plug-ins: the catalog, the host that
// launched its enabled entries, and why those that did not start failed.
// The zero value (and nil) runs no plug-ins.
type PluginHost struct {
	catalog plugins.Catalog
	host    *plugins.Host
	failed  map[string]string
}

// StartPlugins reads the catalog at path and launches its enabled
// plug-ins; an empty path runs none. A bad catalog is an error (the server
// does not start); a plug-in that fails to start is logged and listed as
// failed, and the server runs without it. Restarts are counted in m (nil
// counts nothing).
func StartPlugins(ctx context.Context, path string, log zerolog.Logger, m *Metrics) (*PluginHost, error) {
	if path == "" {
		return &PluginHost{}, nil
	}
	cat, err := plugins.ReadCatalog(path)
	if err != nil {
		return nil, err
	}
	h := &PluginHost{catalog: cat}
	h.host, err = plugins.NewHost(ctx, cat, plugins.Options{Logger: log, Restarted: m.PluginRestarted})
	var list bsk.Errors
	if errors.As(err, &list) {
		h.failed = map[string]string{}
		for _, e := range list {
			h.failed[e.Field] = e.Message
			log.Error().Str("plugin", e.Field).Str("error", e.Message).Msg("plug-in did not start")
		}
		return h, nil
	}
	if err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// Close stops the plug-in processes.
func (h *PluginHost) Close() {
	if h != nil && h.host != nil {
		h.host.Close()
	}
}

// client returns the running plug-in name.
func (h *PluginHost) client(name string) (*plugins.Client, error) {
	if h == nil || h.host == nil {
		return nil, bsk.NotFoundf("plugin", "no running plugin named %q", name)
	}
	return h.host.Plugin(name)
}

// Plugins serves the plug-in host to administrators (each plug-in's status
// and health) and agencies' eligibility rules to the scholarship service.
type Plugins struct {
	host    *PluginHost
	metrics *Metrics
}

// Status lists the catalog's entries, each with whether it runs.
//
// Errors: unauthorized for anyone but the administrator.
func (s *Plugins) Status(ctx context.Context) ([]PluginStatus, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	out := []PluginStatus{}
	if s.host == nil {
		return out, nil
	}
	for _, e := range s.host.catalog.Plugins {
		st := PluginStatus{Name: e.Name, Agency: e.Agency, Path: e.Path, SHA256: e.SHA256, Args: e.Args, Enabled: e.Enabled, Status: "disabled"}
		if e.Enabled {
			st.Status = "failed"
			st.Error = s.host.failed[e.Name]
			if cl, err := s.host.client(e.Name); err == nil {
				info := cl.Info()
				st.Status, st.Info, st.Error = "running", &info, ""
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// Health pings the running plug-in name.
//
// Errors: not_found for a plug-in that is not running, unauthorized for
// anyone but the administrator.
func (s *Plugins) Health(ctx context.Context, name string) (PluginHealth, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return PluginHealth{}, err
	}
	cl, err := s.host.client(name)
	if err != nil {
		return PluginHealth{}, err
	}
	start := time.Now()
	err = cl.Ping(ctx)
	h := PluginHealth{Name: name, Healthy: err == nil, LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		h.Error = err.Error()
	}
	return h, nil
}

// Rules returns a program's agency eligibility rules (its plugin_rules)
// as scholarship rules, each sent applications without demographics.
//
// Errors: not_found for the program or a plug-in that is not running,
// invalid for a rule name that is not plugin/rule, unauthorized for a
// role other than staff.
func (s *Plugins) Rules(ctx context.Context, program ProgramConfig) ([]scholarship.Rule[scholarship.Application], error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return nil, err
	}
	return s.rules(program.PluginRules)
}

// rules returns the eligibility rules named "plugin/rule" as scholarship
// rules. A plug-in that is not running is an error naming it.
func (s *Plugins) rules(names []string) ([]scholarship.Rule[scholarship.Application], error) {
	var out []scholarship.Rule[scholarship.Application]
	for _, full := range names {
		plugin, rule, ok := strings.Cut(full, "/")
		if !ok {
			return nil, bsk.Invalidf("plugin_rules", "%q is not plugin/rule", full)
		}
		cl, err := s.host.client(plugin)
		if err != nil {
			return nil, err
		}
		r, err := plugins.NewRule(cl, rule, func(app scholarship.Application) string { return app.ID })
		if err != nil {
			return nil, err
		}
		out = append(out, withoutDemographics{r: r, plugin: plugin, metrics: s.metrics})
	}
	return out, nil
}

// withoutDemographics sends an agency's plug-in rule the applications
// without their demographics. Eligibility must not depend on them, and a
// plug-in's reasons reach readers who may not see them (a coordinator,
// and the applicant's agency when the plug-in is another agency's), so
// nothing it says may be derived from them.
type withoutDemographics struct {
	r       *plugins.Rule[scholarship.Application]
	plugin  string
	metrics *Metrics
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
	began := time.Now()
	reasons, err := w.r.Check(ctx, clean)
	w.metrics.ruleCalled(w.plugin, began, err)
	return reasons, err
}

// Describe names the plug-in's rule.
func (w withoutDemographics) Describe() scholarship.RuleInfo { return w.r.Describe() }
