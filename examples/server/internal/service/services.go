package service

import (
	"context"

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
	Grouping     *Grouping
	Surveys      *Surveys
	Scholarships *Scholarships
	Plugins      *Plugins
	Trainings    *Trainings
	Program      *Program
	// Jobs runs the services' background work; Close stops it.
	Jobs *Jobs
}

// Config configures the services.
type Config struct {
	// Data is the server's data directory (uploaded files, the decision
	// key).
	Data string
	// Runs bound the grouping runs running and waiting (see [RunLimits]).
	Runs RunLimits
	// Plugins is the running plug-in host (nil runs no plug-ins).
	Plugins *PluginHost
	// CELRules is the folder of agencies' CEL rule files; empty has none.
	CELRules string
	// Metrics counts the background work (nil counts nothing).
	Metrics *Metrics
}

// New assembles the services over db. Close stops their background work.
func New(db *store.DB, log zerolog.Logger, cfg Config) *Services {
	audit := newAudit(db, log, cfg.Metrics)
	jobs := newJobs(cfg.Runs, log)
	cfg.Metrics.watchJobs(jobs)
	plugins := &Plugins{host: cfg.Plugins, metrics: cfg.Metrics}
	s := &Services{
		Workforce:    newWorkforce(db, audit),
		Keys:         &Keys{db: db, audit: audit},
		Audit:        audit,
		Grouping:     newGrouping(db, audit, jobs, log),
		Surveys:      newSurveys(db, audit, jobs, log, cfg.Data),
		Scholarships: newScholarships(db, log, audit, plugins, cfg.Data),
		Plugins:      plugins,
		Trainings:    newTrainings(db, audit),
		Jobs:         jobs,
	}
	s.Grouping.metrics, s.Surveys.metrics = cfg.Metrics, cfg.Metrics
	s.Scholarships.cel = newCELRules(cfg.CELRules, log)
	s.Program = newProgram(db, s.Grouping)
	return s
}

// Ready reports whether the services can answer: the database answers.
func (s *Services) Ready(ctx context.Context) error { return s.Workforce.db.Ping(ctx) }

// Close stops background work (running jobs and imports are cancelled and
// waited for) and the plug-ins, then appends the audit entries still
// queued.
func (s *Services) Close() {
	s.Jobs.close()
	s.Plugins.host.Close()
	s.Audit.close()
}
