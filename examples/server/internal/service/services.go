package service

import (
	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Services are the server's services, one per area, over one store. The
// JSON API and the web app call the same services; each method reads its
// caller from the context (see [WithPrincipal]) and applies the access
// policy itself.
type Services struct {
	Workforce    *Workforce
	Keys         *Keys
	Audit        *Audit
	Scholarships *Scholarships
	Plugins      *Plugins
}

// Config configures the services.
type Config struct {
	// Data is the server's data directory (uploaded files, the decision
	// key).
	Data string
	// Plugins is the running plug-in host (nil runs no plug-ins).
	Plugins *PluginHost
}

// New assembles the services over db. Close stops their background work.
func New(db *store.DB, log zerolog.Logger, cfg Config) *Services {
	audit := newAudit(db, log)
	plugins := &Plugins{host: cfg.Plugins}
	return &Services{
		Scholarships: newScholarships(db, log, audit, plugins, cfg.Data),
		Plugins:      plugins,
		Workforce:    newWorkforce(db, audit),
		Keys:         &Keys{db: db, audit: audit},
		Audit:        audit,
	}
}

// Close appends the audit entries still queued and stops background work
// and the plug-ins.
func (s *Services) Close() { s.Plugins.host.Close(); s.Audit.close() }
