package service

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
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
	// Status is "running"; "restarting" (it crashed, hung or did not
	// start, and is launched again after a backoff); "refused" (its
	// binary is missing or does not match the catalog's checksum, or it
	// describes itself in a way the host refuses; retried with backoff,
	// the checksum checked each time, so putting the registered binary
	// back recovers it without a server restart); or "disabled".
	Status string `json:"status"`
	// Restarts counts the plug-in's relaunches since the server started.
	Restarts int `json:"restarts"`
	// Reason says why a plug-in is not running, in a sentence that names
	// no path, checksum or application.
	Reason string `json:"reason,omitempty"`
	// NextStart is when the next launch of a plug-in that is not running
	// is due.
	NextStart *time.Time `json:"next_start,omitempty"`
	// Info is what the plug-in said of itself at its latest launch:
	// version, rules and their reason texts.
	Info *plugins.Info `json:"info,omitempty"`
	// Error is the plug-in's last failure in full (it may name the
	// binary's path and checksums): administrators alone read it.
	Error string `json:"error,omitempty"`
}

// PluginHealth is the answer of a health check.
type PluginHealth struct {
	Name      string  `json:"name"`
	Healthy   bool    `json:"healthy"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

// PluginOptions tune the plug-in host. The zero value uses the plugins
// package's defaults: calls have 10 s, and a plug-in that is down is
// launched again after 100 ms, doubling up to 30 s while it keeps failing.
type PluginOptions struct {
	// CallTimeout bounds every call of a plug-in rule.
	CallTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before a relaunch.
	MinBackoff, MaxBackoff time.Duration
	// db keeps the plug-ins' texts; nil keeps none.
	db *store.DB
	// PingInterval is how often the host pings a running plug-in between
	// calls to find one that hangs; 0 means every 10 s.
	PingInterval time.Duration
}

// WithStore returns the options with the store that keeps the reason
// texts each plug-in declared when it last ran (see [PluginHost]).
func (o PluginOptions) WithStore(db *store.DB) PluginOptions {
	o.db = db
	return o
}

// PluginHost is the server's plug-ins: the catalog and the host that runs
// its enabled entries, restarting those that fail. The zero value (and
// nil) runs no plug-ins.
//
// The reason texts each plug-in declares are stored (see [WithStore]) when
// it is seen running, and a plug-in that does not run now (refused, not
// started, or gone from the catalog) has its stored decisions rendered
// with the texts it declared when it last ran.
type PluginHost struct {
	catalog plugins.Catalog
	host    *plugins.Host
	db      *store.DB
	log     zerolog.Logger

	mu    sync.Mutex
	saved map[string]string // plug-in -> the JSON of the texts stored for it
}

// StartPlugins reads the catalog at path and launches its enabled
// plug-ins; an empty path runs none. A bad catalog is an error (the server
// does not start); a plug-in that fails to start is logged, listed as
// refused or restarting, and launched again with backoff until it runs.
// Restarts are counted in m (nil counts nothing).
func StartPlugins(ctx context.Context, path string, opts PluginOptions, log zerolog.Logger, m *Metrics) (*PluginHost, error) {
	if path == "" {
		return &PluginHost{}, nil
	}
	cat, err := plugins.ReadCatalog(path)
	if err != nil {
		return nil, err
	}
	h := &PluginHost{catalog: cat, db: opts.db, log: log, saved: map[string]string{}}
	h.host, err = plugins.NewHost(ctx, cat, plugins.Options{Logger: log, Restarted: m.PluginRestarted,
		CallTimeout: opts.CallTimeout, MinBackoff: opts.MinBackoff, MaxBackoff: opts.MaxBackoff, PingInterval: opts.PingInterval})
	var list bsk.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			log.Error().Str("plugin", e.Field).Str("error", e.Message).Msg("plug-in did not start; it is retried")
		}
		h.rememberTexts(ctx)
		return h, nil
	}
	if err != nil {
		h.Close()
		return nil, err
	}
	h.rememberTexts(ctx)
	return h, nil
}

// Close stops the plug-in processes.
func (h *PluginHost) Close() {
	if h != nil && h.host != nil {
		h.host.Close()
	}
}

// client returns the plug-in name of the catalog, running or not.
func (h *PluginHost) client(name string) (*plugins.Client, error) {
	if h == nil || h.host == nil {
		return nil, bsk.NotFoundf("plugin", "no enabled plugin named %q in the catalog", name)
	}
	return h.host.Plugin(name)
}

// readiness checks each plug-in of the catalog for /readyz: name and
// state only. A running plug-in is pinged; one that does not answer is
// "down".
func (h *PluginHost) readiness(ctx context.Context) []ReadyCheck {
	if h == nil {
		return nil
	}
	var out []ReadyCheck
	for _, e := range h.catalog.Plugins {
		c := ReadyCheck{Name: "plugin " + e.Name, Status: "disabled", OK: true}
		if cl, err := h.client(e.Name); e.Enabled && err == nil {
			c.Status, c.OK = string(cl.Status().State), false
			if c.Status == string(plugins.StateRunning) {
				c.OK = cl.Ping(ctx) == nil
				if !c.OK {
					c.Status = "down"
				}
			}
		} else if e.Enabled {
			c.Status, c.OK = "refused", false
		}
		out = append(out, c)
	}
	// A plug-in that launched since the last probe has its texts stored.
	h.rememberTexts(ctx)
	return out
}

// texts returns the reason texts of the catalog's plug-ins, for rendering
// their reasons: each running plug-in's from its latest launch, each
// other's as stored when it last ran, then those stored for plug-ins no
// longer in the catalog. A plug-in listed first in the catalog wins a code
// two declare.
func (h *PluginHost) texts() scholarship.Texts {
	out := scholarship.Texts{}
	if h == nil {
		return out
	}
	add := func(t scholarship.Texts) {
		for code, byLang := range t {
			if _, dup := out[code]; !dup {
				out[code] = byLang
			}
		}
	}
	live := h.rememberTexts(context.Background())
	stored := h.storedTexts()
	for _, e := range h.catalog.Plugins {
		if t, ok := live[e.Name]; ok {
			add(t)
		}
		add(stored[e.Name])
	}
	for _, name := range slices.Sorted(maps.Keys(stored)) {
		add(stored[name])
	}
	return out
}

// rememberTexts returns the texts of each plug-in that has launched, by
// name, and stores those that differ from what is stored for it.
func (h *PluginHost) rememberTexts(ctx context.Context) map[string]scholarship.Texts {
	live := map[string]scholarship.Texts{}
	if h == nil || h.host == nil {
		return live
	}
	for _, e := range h.catalog.Plugins {
		cl, err := h.client(e.Name)
		if err != nil {
			continue
		}
		info := cl.Info()
		if info.Name == "" {
			continue
		}
		live[e.Name] = info.Texts()
		if h.db == nil || len(live[e.Name]) == 0 {
			continue
		}
		b, err := json.Marshal(live[e.Name])
		if err != nil {
			continue
		}
		h.mu.Lock()
		if h.saved[e.Name] != string(b) {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			err := h.db.SavePluginTexts(sctx, store.PluginTexts{Plugin: e.Name, Version: info.Version, Texts: b, SeenAt: time.Now().UTC()})
			cancel()
			if err != nil {
				h.log.Error().Err(err).Str("plugin", e.Name).Msg("storing the plug-in's reason texts")
			} else {
				h.saved[e.Name] = string(b)
			}
		}
		h.mu.Unlock()
	}
	return live
}

// storedTexts reads the texts stored for every plug-in, by name.
func (h *PluginHost) storedTexts() map[string]scholarship.Texts {
	out := map[string]scholarship.Texts{}
	if h.db == nil {
		return out
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	all, err := h.db.AllPluginTexts(ctx)
	if err != nil {
		h.log.Error().Err(err).Msg("reading the plug-ins' stored reason texts")
		return out
	}
	for _, p := range all {
		var t scholarship.Texts
		if err := json.Unmarshal(p.Texts, &t); err != nil {
			h.log.Error().Err(err).Str("plugin", p.Plugin).Msg("the plug-in's stored reason texts are malformed")
			continue
		}
		out[p.Plugin] = t
	}
	return out
}

// Plugins serves the plug-in host to administrators (each plug-in's status
// and health) and agencies' eligibility rules to the scholarship service.
type Plugins struct {
	host    *PluginHost
	metrics *Metrics
}

// Status lists the catalog's entries, each with its state.
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
		if cl, err := s.host.client(e.Name); e.Enabled && err == nil {
			ps := cl.Status()
			st.Status, st.Restarts, st.Reason = string(ps.State), ps.Restarts, ps.Reason
			if ps.Err != nil {
				st.Error = ps.Err.Error()
			}
			if !ps.NextStart.IsZero() {
				next := ps.NextStart.UTC()
				st.NextStart = &next
			}
			if info := cl.Info(); info.Name != "" {
				st.Info = &info
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
// rules. A rule that cannot be called (its plug-in is refused, never
// started, no longer in the catalog, or no longer provides it) is a rule
// that fails, so that its applications need review with the reason
// "rule_failed" and the run goes on; the full error goes to the run's
// failures, which administrators read.
func (s *Plugins) rules(names []string) ([]scholarship.Rule[scholarship.Application], error) {
	var out []scholarship.Rule[scholarship.Application]
	for i, full := range names {
		plugin, rule, ok := strings.Cut(full, "/")
		if !ok {
			return nil, bsk.Invalidf(pluginRulePointer(i), "%q is not plugin/rule", full)
		}
		cl, err := s.host.client(plugin)
		if err == nil && cl.Status().State == plugins.StateRefused {
			st := cl.Status()
			err = &plugins.Error{Plugin: plugin, Kind: plugins.KindEligibility, Rule: rule,
				Err: bsk.Errorf(bsk.CodeInternal, "the plugin is refused (%s): %v", st.Reason, st.Err)}
		}
		var r *plugins.Rule[scholarship.Application]
		if err == nil {
			r, err = plugins.NewRule(cl, rule, func(app scholarship.Application) string { return app.ID })
		}
		if err != nil {
			out = append(out, unavailableRule{info: scholarship.RuleInfo{Name: rule}, err: err})
			continue
		}
		out = append(out, withoutDemographics{r: r, plugin: plugin, metrics: s.metrics})
	}
	return out, nil
}

// pluginRulePointer is the JSON pointer of a program's i-th plug-in rule.
func pluginRulePointer(i int) string { return "/plugin_rules/" + strconv.Itoa(i) }

// checkWiring refuses a program's plug-in rules that name a plug-in that
// is not enabled in the catalog, or a rule its plug-in does not provide
// (as it described itself at its latest launch; a plug-in that has never
// started cannot be checked, and its rules are accepted). Problems name
// the rule by its JSON pointer, /plugin_rules/i.
//
// Errors: invalid.
func (s *Plugins) checkWiring(names []string) error {
	var errs bsk.Errors
	for i, full := range names {
		plugin, rule, _ := strings.Cut(full, "/")
		cl, err := s.host.client(plugin)
		if err != nil {
			errs = append(errs, bsk.Invalidf(pluginRulePointer(i), "no enabled plug-in named %q in the catalog", plugin))
			continue
		}
		info := cl.Info()
		if info.Name == "" {
			continue
		}
		var have []string
		for _, r := range info.Rules {
			if r.Kind == plugins.KindEligibility {
				have = append(have, r.Name)
			}
		}
		if !slices.Contains(have, rule) {
			errs = append(errs, bsk.Invalidf(pluginRulePointer(i), "plug-in %q provides no eligibility rule %q; it provides %q", plugin, rule, have))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// unavailableRule stands for a plug-in rule that cannot be called: it
// fails every batch with err, so a rule set makes its applications need
// review.
type unavailableRule struct {
	info scholarship.RuleInfo
	err  error
}

// Check fails with the reason the rule cannot be called.
func (u unavailableRule) Check(context.Context, []scholarship.Application) ([][]scholarship.Reason, error) {
	return nil, u.err
}

// Describe names the rule.
func (u unavailableRule) Describe() scholarship.RuleInfo { return u.info }

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
