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
	Surveys   *Surveys
}

// Config configures the services.
type Config struct {
	// Data is the server's data directory (uploaded files, the decision
	// key).
	Data string
}

// New assembles the services over db. Close stops their background work.
func New(db *store.DB, log zerolog.Logger, cfg Config) *Services {
	audit := newAudit(db, log)
	return &Services{
		Workforce: newWorkforce(db, audit),
		Keys:      &Keys{db: db, audit: audit},
		Audit:     audit,
		Surveys:   newSurveys(db, audit, log, cfg.Data),
	}
}

// Close appends the audit entries still queued and stops background work.
func (s *Services) Close() {
	s.Surveys.close()
	s.Audit.close()
}
