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
	Workforce *Workforce
	Keys      *Keys
	Audit     *Audit
	Grouping  *Grouping
	Surveys   *Surveys
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
}

// New assembles the services over db. Close stops their background work.
func New(db *store.DB, log zerolog.Logger, cfg Config) *Services {
	audit := newAudit(db, log)
	jobs := newJobs(cfg.Runs, log)
	return &Services{
		Workforce: newWorkforce(db, audit),
		Keys:      &Keys{db: db, audit: audit},
		Audit:     audit,
		Grouping:  newGrouping(db, audit, jobs, log),
		Surveys:   newSurveys(db, audit, log, cfg.Data),
		Jobs:      jobs,
	}
}

// Close stops background work (running jobs and imports are cancelled and
// waited for) and then appends the audit entries still queued.
func (s *Services) Close() {
	s.Jobs.close()
	s.Surveys.close()
	s.Audit.close()
}
