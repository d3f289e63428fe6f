package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

// Scholarships serves scholarship programs and their cycles: programs,
// applications, reviews, cycle runs with their decision records,
// verification of a decision, declined awards, the ledger and the equity
// summary. The access rules are in scholarship_access.go; every write is
// one transaction with its audit entry, and every read of decisions is
// audited before it leaves the server.
type Scholarships struct {
	db      *store.DB
	log     zerolog.Logger
	audit   *Audit
	plugins *Plugins
	cel     *CELRules
	key     *decisionKey
}

func newScholarships(db *store.DB, log zerolog.Logger, audit *Audit, plugins *Plugins, data string) *Scholarships {
	return &Scholarships{db: db, log: log, audit: audit, plugins: plugins, key: newDecisionKey(data, log)}
}

// ProgramConfig is a scholarship program as the server runs it: the
// program and its cycles, how applications are scored, and which agencies'
// plug-in rules judge eligibility beside the built-in rules.
type ProgramConfig struct {
	// Program is the program with its cycles' parameters.
	Program scholarship.Program `json:"program"`
	// PriorityWeight is the points each of the seeds' priority criteria is
	// worth (languages, BIPOC, rural or underserved places, lived
	// experience, first generation, need); 0 means 1.
	PriorityWeight float64 `json:"priority_weight,omitempty"`
	// Reviewed are rubric lines reviewers score, on 0 to Max.
	Reviewed []scholarship.Weighted `json:"reviewed,omitempty"`
	// Normalize rescales each reviewer's points (see scholarship.Rubric).
	Normalize bool `json:"normalize,omitempty"`
	// PluginRules are agencies' eligibility rules, as "plugin/rule".
	PluginRules []string `json:"plugin_rules,omitempty"`
	// CELRules are agencies' declarative eligibility rules, by the name
	// of their file in the server's folder of CEL rules (see [CELRules]).
	CELRules []string `json:"cel_rules,omitempty"`
	// Disclosure names the disclosure-control standard of the program's
	// equity summaries: "wa_doh" (the default) or "phskc", a standard with
	// a small-counts rule. Staff set it when they create the program; only
	// an administrator may change it, and each cycle run keeps the
	// standard in force when it ran, so that every table of one release
	// is protected the same way and no reader can compare two standards.
	Disclosure string `json:"disclosure,omitempty"`
}

// standard returns the name of the program's disclosure standard.
func (c ProgramConfig) standard() string {
	if c.Disclosure == "" {
		return "wa_doh"
	}
	return c.Disclosure
}

// Validate checks the program, the rubric, the plug-in rule names and the
// disclosure standard.
func (c ProgramConfig) Validate() error {
	var pr bsk.Problems
	pr.Merge("program", c.Program.Validate())
	if c.PriorityWeight < 0 {
		pr.Add("priority_weight", "must be at least 0")
	}
	if d, ok := survey.Presets()[c.standard()]; !ok || d.Off || d.MinCount <= 0 {
		pr.Add("disclosure", "%q is not a standard that hides small counts: equity summaries are counts, use wa_doh or phskc", c.Disclosure)
	}
	pr.Merge("", c.rubric(scholarship.Cycle{}).Validate())
	for i, r := range c.PluginRules {
		if p, n, ok := strings.Cut(r, "/"); !ok || p == "" || n == "" {
			pr.Add(pluginRulePointer(i), "%q is not plugin/rule", r)
		}
	}
	return pr.Err()
}

func (c ProgramConfig) rubric(cy scholarship.Cycle) scholarship.Rubric {
	w := c.PriorityWeight
	if w == 0 {
		w = 1
	}
	return scholarship.Rubric{Lines: append(scholarship.PriorityCriteria(w, cy.PriorityLanguages), c.Reviewed...), Normalize: c.Normalize}
}

// Withdrawal records that an application was withdrawn.
type Withdrawal struct {
	ApplicationID string    `json:"application_id"`
	At            time.Time `json:"at"`
	By            string    `json:"by"`
}

// storedApplication is an application as stored: the application, and its
// withdrawal once withdrawn.
type storedApplication struct {
	scholarship.Application
	Withdrawn *Withdrawal `json:"withdrawn,omitempty"`
}

// CycleRef names one cycle of one program, as the path of a request does.
type CycleRef struct {
	ProgramID string
	CycleID   string
}

// key is the cycle's parent key in the store: applications, reviews and
// runs are stored under it.
func (r CycleRef) key() string { return r.ProgramID + "/" + r.CycleID }

// RunRef names one run of a cycle.
type RunRef struct {
	CycleRef
	RunID string
}

// CreateProgram stores a new program.
//
// Errors: invalid (naming the field), conflict for a taken program ID,
// unauthorized for a role other than staff.
func (s *Scholarships) CreateProgram(ctx context.Context, cfg ProgramConfig) (ProgramConfig, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return ProgramConfig{}, err
	}
	if err := cfg.Validate(); err != nil {
		return ProgramConfig{}, err
	}
	if err := s.plugins.checkWiring(cfg.PluginRules); err != nil {
		return ProgramConfig{}, err
	}
	if _, err := s.cel.compile(cfg.CELRules); err != nil {
		return ProgramConfig{}, err
	}
	doc, err := encode("program", cfg)
	if err != nil {
		return ProgramConfig{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Insert(ctx, store.Programs, store.Record{ID: cfg.Program.ID, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "create", "program", cfg.Program.ID)
	})
	if err != nil {
		return ProgramConfig{}, err
	}
	return cfg, nil
}

// UpdateProgram replaces the program id with cfg. Only an administrator
// may change its disclosure standard (see [ProgramConfig.Disclosure]).
//
// Errors: invalid (naming the field; also an ID that differs from id),
// not_found, unauthorized for a role other than staff, and for a
// coordinator who changes the disclosure standard.
func (s *Scholarships) UpdateProgram(ctx context.Context, id string, cfg ProgramConfig) (ProgramConfig, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return ProgramConfig{}, err
	}
	if err := cfg.Validate(); err != nil {
		return ProgramConfig{}, err
	}
	if err := s.plugins.checkWiring(cfg.PluginRules); err != nil {
		return ProgramConfig{}, err
	}
	if _, err := s.cel.compile(cfg.CELRules); err != nil {
		return ProgramConfig{}, err
	}
	if id != cfg.Program.ID {
		return ProgramConfig{}, bsk.Errors{bsk.Invalidf("program.id", "%q differs from the path's %q", cfg.Program.ID, id)}
	}
	doc, err := encode("program", cfg)
	if err != nil {
		return ProgramConfig{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it serializes this write with every other
		// one, so the standard compared below is the one in force.
		if err := tx.Audit(ctx, p.KeyID, "update", "program", id); err != nil {
			return err
		}
		rec, err := tx.Get(ctx, store.Programs, id)
		old, err := programOf(rec, err, id)
		if err != nil {
			return err
		}
		if p.Role != RoleAdmin && old.standard() != cfg.standard() {
			return bsk.Errorf(bsk.CodeUnauthorized, "only an administrator may change a program's disclosure standard (%s)", old.standard())
		}
		return tx.Update(ctx, store.Programs, store.Record{ID: id, Doc: doc})
	})
	if err != nil {
		return ProgramConfig{}, err
	}
	return cfg, nil
}

// Program returns one program.
//
// Errors: not_found, unauthorized for a role that does not take part in
// scholarships.
func (s *Scholarships) Program(ctx context.Context, id string) (ProgramConfig, error) {
	if _, err := require(ctx, applicantRoles...); err != nil {
		return ProgramConfig{}, err
	}
	rec, err := s.db.Get(ctx, store.Programs, id)
	return programOf(rec, err, id)
}

// Programs lists every program.
//
// Errors: unauthorized for a role that does not take part in scholarships.
func (s *Scholarships) Programs(ctx context.Context) (Page[ProgramConfig], error) {
	if _, err := require(ctx, applicantRoles...); err != nil {
		return Page[ProgramConfig]{}, err
	}
	all, err := listAll[ProgramConfig](ctx, s.db, store.Programs, "program", store.Filter{})
	if err != nil {
		return Page[ProgramConfig]{}, err
	}
	return Page[ProgramConfig]{Items: all}, nil
}

// programOf decodes a program read with err.
func programOf(rec store.Record, err error, id string) (ProgramConfig, error) {
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return ProgramConfig{}, bsk.NotFoundf("id", "no program %q", id)
	}
	if err != nil {
		return ProgramConfig{}, err
	}
	return decode[ProgramConfig]("program", rec)
}

// cycleIn returns the cycle ref names in cfg.
func cycleIn(cfg ProgramConfig, ref CycleRef) (scholarship.Cycle, error) {
	cy, err := cfg.Program.Cycle(ref.CycleID)
	if err != nil {
		return cy, bsk.NotFoundf("cycle", "program %q has no cycle %q", cfg.Program.ID, ref.CycleID)
	}
	return cy, nil
}

// cycle loads the program and the cycle ref names.
func (s *Scholarships) cycle(ctx context.Context, ref CycleRef) (ProgramConfig, scholarship.Cycle, error) {
	rec, err := s.db.Get(ctx, store.Programs, ref.ProgramID)
	cfg, err := programOf(rec, err, ref.ProgramID)
	if err != nil {
		return cfg, scholarship.Cycle{}, err
	}
	cy, err := cycleIn(cfg, ref)
	return cfg, cy, err
}

// Submit stores an application to the cycle ref and returns it as the
// caller sees it. The applicant's person_id is a provider on file: for an
// agency, one of its own staff (another agency's provider reads as
// unknown); for staff, any provider. The employer is the provider's
// organization as on file: an employer in the body is ignored and
// replaced, so no one can make an applicant eligible with an employer
// record of their own. A person has at most one application (not
// withdrawn) per cycle: the check runs in the write transaction, after
// the lock every write takes, so two concurrent submissions for one
// person cannot both be stored.
//
// Errors: invalid (naming the field), not_found for the program, the
// cycle or the person, conflict for a person who already applied or a
// taken ID, unauthorized.
func (s *Scholarships) Submit(ctx context.Context, ref CycleRef, app scholarship.Application) (scholarship.Application, error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return app, err
	}
	cfg, cy, err := s.cycle(ctx, ref)
	if err != nil {
		return app, err
	}
	if app.ID == "" {
		app.ID = "app-" + store.NewID()
	} else if err := mayNameApplication(p, app.ID); err != nil {
		return app, err
	}
	if app.ProgramID == "" {
		app.ProgramID = cfg.Program.ID
	}
	if app.CycleID == "" {
		app.CycleID = cy.ID
	}
	if app.Submitted.IsZero() {
		app.Submitted = time.Now().UTC().Truncate(time.Second)
	}
	var pr bsk.Problems
	if app.ProgramID != cfg.Program.ID {
		pr.Add("program_id", "%q differs from the path's program %q", app.ProgramID, cfg.Program.ID)
	}
	if app.CycleID != cy.ID {
		pr.Add("cycle_id", "%q differs from the path's cycle %q", app.CycleID, cy.ID)
	}
	// The employer is the provider's organization on file: whatever the
	// body says is ignored, not even validated.
	app.Applicant.Employer = nil
	if pid := app.Applicant.ProviderID; pid != "" && string(pid) != app.Applicant.PersonID {
		pr.Add("/applicant/provider_id", "%q differs from person_id %q: the applicant is the provider named by person_id", pid, app.Applicant.PersonID)
	}
	pr.Merge("", app.Validate())
	if err := pr.Err(); err != nil {
		return app, err
	}
	person := app.Applicant.PersonID
	app.Applicant.ProviderID = bsk.ProviderID(person)
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it takes the lock every write takes, so
		// the applications read below include every one committed before.
		if err := tx.Audit(ctx, p.KeyID, "create", "application", app.ID); err != nil {
			return err
		}
		prov, err := tx.Get(ctx, store.Providers, person)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !mayApplyFor(p, prov)) {
			return bsk.Errors{bsk.NotFoundf("/applicant/person_id", "no provider %q", person)}
		}
		if err != nil {
			return err
		}
		if prov.Org != "" {
			orec, err := tx.Get(ctx, store.Organizations, prov.Org)
			if err != nil {
				return err
			}
			o, err := decode[bsk.Organization]("organization", orec)
			if err != nil {
				return err
			}
			app.Applicant.Employer = &o
		}
		if err := noApplicationFrom(ctx, tx, ref, cy, person); err != nil {
			return err
		}
		doc, err := encode("application", storedApplication{Application: app})
		if err != nil {
			return err
		}
		return tx.Insert(ctx, store.Applications, store.Record{ID: app.ID, Org: prov.Org, Parent: ref.key(), Doc: doc})
	})
	if err != nil {
		return app, err
	}
	return showApplication(p, app), nil
}

// noApplicationFrom fails with a conflict when person has an application
// in the cycle that is not withdrawn.
func noApplicationFrom(ctx context.Context, tx *store.Tx, ref CycleRef, cy scholarship.Cycle, person string) error {
	return scanAll(ctx, tx, store.Applications, store.Filter{Parent: ref.key()}, func(rec store.Record) error {
		st, err := decode[storedApplication]("application", rec)
		if err != nil {
			return err
		}
		if st.Withdrawn == nil && st.Applicant.PersonID == person {
			return bsk.Errors{{Code: bsk.CodeConflict, Field: "/applicant/person_id", Message: fmt.Sprintf("provider %q already has an application in cycle %q: withdraw it first", person, cy.ID)}}
		}
		return nil
	})
}

// Applications lists the cycle's applications not withdrawn: an agency
// its own, staff all; demographics only to the roles that see them.
//
// Errors: not_found for the program or cycle, unauthorized.
func (s *Scholarships) Applications(ctx context.Context, ref CycleRef) (Page[scholarship.Application], error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return Page[scholarship.Application]{}, err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return Page[scholarship.Application]{}, err
	}
	apps, _, err := s.applications(ctx, ref, applicationScope(p))
	if err != nil {
		return Page[scholarship.Application]{}, err
	}
	out := make([]scholarship.Application, len(apps))
	for i, app := range apps {
		out[i] = showApplication(p, app)
	}
	return Page[scholarship.Application]{Items: out}, nil
}

// applications returns a cycle's applications not withdrawn, with their
// organizations: all of them, or one organization's.
func (s *Scholarships) applications(ctx context.Context, ref CycleRef, org string) ([]scholarship.Application, []string, error) {
	var apps []scholarship.Application
	var orgs []string
	err := s.scan(ctx, store.Applications, store.Filter{Parent: ref.key(), Org: org}, func(rec store.Record) error {
		st, err := decode[storedApplication]("application", rec)
		if err != nil || st.Withdrawn != nil {
			return err
		}
		apps = append(apps, st.Application)
		orgs = append(orgs, rec.Org)
		return nil
	})
	return apps, orgs, err
}

// activeApplicationsTx returns a cycle's applications not withdrawn, read
// in tx (for a write that depends on them).
func activeApplicationsTx(ctx context.Context, tx *store.Tx, ref CycleRef) ([]scholarship.Application, error) {
	var apps []scholarship.Application
	err := scanAll(ctx, tx, store.Applications, store.Filter{Parent: ref.key()}, func(rec store.Record) error {
		st, err := decode[storedApplication]("application", rec)
		if err == nil && st.Withdrawn == nil {
			apps = append(apps, st.Application)
		}
		return err
	})
	return apps, err
}

// Withdraw withdraws an application before its cycle runs: an agency its
// own, staff any. Another agency's application reads as unknown. Once the
// cycle has run, the award is declined instead: the check runs in the
// write transaction, so a run and a withdrawal cannot both pass it.
//
// Errors: not_found for the program, the cycle or the application,
// conflict for an application already withdrawn or a cycle that has run,
// unauthorized.
func (s *Scholarships) Withdraw(ctx context.Context, ref CycleRef, id string) (Withdrawal, error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return Withdrawal{}, err
	}
	_, cy, err := s.cycle(ctx, ref)
	if err != nil {
		return Withdrawal{}, err
	}
	w := Withdrawal{ApplicationID: id, At: time.Now().UTC().Truncate(time.Second), By: p.KeyID}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		// The audit entry first: it takes the lock every write takes, so
		// a run committed before this is seen below.
		if err := tx.Audit(ctx, p.KeyID, "withdraw", "application", id); err != nil {
			return err
		}
		rec, err := tx.Get(ctx, store.Applications, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && (rec.Parent != ref.key() || !canSeeApplication(p, rec))) {
			return bsk.NotFoundf("app", "no application %q in cycle %q", id, cy.ID)
		}
		if err != nil {
			return err
		}
		st, err := decode[storedApplication]("application", rec)
		if err != nil {
			return err
		}
		if st.Withdrawn != nil {
			return bsk.Errorf(bsk.CodeConflict, "application %q was withdrawn on %s", id, st.Withdrawn.At.Format(time.DateOnly))
		}
		runs, err := tx.List(ctx, store.CycleRuns, store.Filter{Parent: ref.key(), Limit: 1})
		if err != nil {
			return err
		}
		if len(runs) > 0 {
			return bsk.Errorf(bsk.CodeConflict, "cycle %q has run (%s): an award is declined, not withdrawn", cy.ID, runs[0].ID)
		}
		st.Withdrawn = &w
		if rec.Doc, err = encode("application", st); err != nil {
			return err
		}
		return tx.Update(ctx, store.Applications, rec)
	})
	if err != nil {
		return Withdrawal{}, err
	}
	return w, nil
}

// PostReviews stores reviewers' scores of the cycle's applications; a
// reviewer's new score of a criterion replaces their old one.
//
// Errors: invalid (naming the review), not_found for the program, the
// cycle, a criterion the program does not review or an application not in
// the cycle, unauthorized for a role other than staff.
func (s *Scholarships) PostReviews(ctx context.Context, ref CycleRef, reviews []scholarship.Review) (int, error) {
	p, err := require(ctx, scholarshipStaff...)
	if err != nil {
		return 0, err
	}
	cfg, _, err := s.cycle(ctx, ref)
	if err != nil {
		return 0, err
	}
	var pr bsk.Problems
	for i, r := range reviews {
		f := bsk.Index("", i)
		if r.ApplicationID == "" || r.Reviewer == "" || r.Criterion == "" {
			pr.Add(f, "application_id, reviewer and criterion are required")
		}
		if !slices.ContainsFunc(cfg.Reviewed, func(w scholarship.Weighted) bool { return w.Name == r.Criterion }) {
			pr.AddCode(bsk.CodeNotFound, f+".criterion", "the program has no reviewed criterion %q", r.Criterion)
		}
	}
	if err := pr.Err(); err != nil {
		return 0, err
	}
	key := ref.key()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		for i, r := range reviews {
			arec, err := tx.Get(ctx, store.Applications, r.ApplicationID)
			if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && arec.Parent != key) {
				return bsk.Errors{bsk.NotFoundf(bsk.Index("", i)+".application_id", "no application %q", r.ApplicationID)}
			}
			if err != nil {
				return err
			}
			doc, err := encode("review", r)
			if err != nil {
				return err
			}
			rec := store.Record{ID: key + "/" + r.ApplicationID + "/" + r.Reviewer + "/" + r.Criterion, Parent: key, Doc: doc}
			if err := tx.Update(ctx, store.Reviews, rec); bsk.ErrorCode(err) == bsk.CodeNotFound {
				err = tx.Insert(ctx, store.Reviews, rec)
				if err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
		}
		return tx.Audit(ctx, p.KeyID, "create", "reviews", fmt.Sprintf("%s (%d)", key, len(reviews)))
	})
	if err != nil {
		return 0, err
	}
	return len(reviews), nil
}

// scan calls fn for every record of kind matching f, a page at a time,
// outside any transaction.
func (s *Scholarships) scan(ctx context.Context, kind store.Kind, f store.Filter, fn func(store.Record) error) error {
	return scanAll(ctx, s.db, kind, f, fn)
}

// listAll decodes every record of kind matching f; never nil.
func listAll[T any](ctx context.Context, db *store.DB, kind store.Kind, entity string, f store.Filter) ([]T, error) {
	out := []T{}
	err := scanAll(ctx, db, kind, f, func(rec store.Record) error {
		v, err := decode[T](entity, rec)
		out = append(out, v)
		return err
	})
	return out, err
}

// listAllTx decodes every record of kind matching f inside tx; never nil.
func listAllTx[T any](ctx context.Context, tx *store.Tx, kind store.Kind, entity string, f store.Filter) ([]T, error) {
	out := []T{}
	err := scanAll(ctx, tx, kind, f, func(rec store.Record) error {
		v, err := decode[T](entity, rec)
		out = append(out, v)
		return err
	})
	return out, err
}
