package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

// The scholarship and plug-in services refuse a caller on their own,
// before touching anything, whatever route or page called them: a context
// without a principal is unauthenticated, and a role outside a method's
// is unauthorized. (Over HTTP the routes refuse first; a web page calls
// these methods directly.)
func TestScholarshipServicesRefuseOnTheirOwn(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := service.New(db, zerolog.Nop(), service.Config{Data: dir})
	t.Cleanup(svc.Close)
	s, pl := svc.Scholarships, svc.Plugins
	cy := service.CycleRef{ProgramID: "esit", CycleID: "2026"}
	run := service.RunRef{CycleRef: cy, RunID: "cyc-1"}
	prog := service.ProgramConfig{Program: scholarship.Program{ID: "esit"}}

	staff := []service.Role{service.RoleAdmin, service.RoleCoordinator}
	applicants := []service.Role{service.RoleAdmin, service.RoleCoordinator, service.RoleAgency}
	admin := []service.Role{service.RoleAdmin}
	methods := []struct {
		name  string
		roles []service.Role
		call  func(context.Context) error
	}{
		{"CreateProgram", staff, func(ctx context.Context) error { _, err := s.CreateProgram(ctx, prog); return err }},
		{"UpdateProgram", staff, func(ctx context.Context) error { _, err := s.UpdateProgram(ctx, "esit", prog); return err }},
		{"Program", applicants, func(ctx context.Context) error { _, err := s.Program(ctx, "esit"); return err }},
		{"Programs", applicants, func(ctx context.Context) error { _, err := s.Programs(ctx); return err }},
		{"Submit", applicants, func(ctx context.Context) error {
			_, err := s.Submit(ctx, cy, scholarship.Application{})
			return err
		}},
		{"Applications", applicants, func(ctx context.Context) error { _, err := s.Applications(ctx, cy); return err }},
		{"Withdraw", applicants, func(ctx context.Context) error { _, err := s.Withdraw(ctx, cy, "app-1"); return err }},
		{"PostReviews", staff, func(ctx context.Context) error { _, err := s.PostReviews(ctx, cy, nil); return err }},
		{"Run", staff, func(ctx context.Context) error { _, err := s.Run(ctx, cy); return err }},
		{"GetRun", staff, func(ctx context.Context) error { _, err := s.GetRun(ctx, run); return err }},
		{"Decisions", applicants, func(ctx context.Context) error {
			_, err := s.Decisions(ctx, run, service.DecisionQuery{Limit: 10})
			return err
		}},
		{"Verify", admin, func(ctx context.Context) error { _, err := s.Verify(ctx, run, "app-1"); return err }},
		{"Decline", staff, func(ctx context.Context) error {
			_, err := s.Decline(ctx, run, service.DeclineRequest{ApplicationIDs: []string{"app-1"}})
			return err
		}},
		{"AppendLedger", staff, func(ctx context.Context) error {
			_, err := s.AppendLedger(ctx, run, scholarship.Entry{ApplicationID: "app-1", Kind: scholarship.Disbursement, Amount: 1})
			return err
		}},
		{"Ledger", staff, func(ctx context.Context) error { _, err := s.Ledger(ctx, run); return err }},
		{"Owed", staff, func(ctx context.Context) error { _, err := s.Owed(ctx, run, "app-1", time.Now()); return err }},
		{"Equity", staff, func(ctx context.Context) error { _, err := s.Equity(ctx, run, service.EquityQuery{}); return err }},
		{"Plugins.Status", admin, func(ctx context.Context) error { _, err := pl.Status(ctx); return err }},
		{"Plugins.Health", admin, func(ctx context.Context) error { _, err := pl.Health(ctx, "none"); return err }},
		{"Plugins.Rules", staff, func(ctx context.Context) error { _, err := pl.Rules(ctx, prog); return err }},
	}
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			if err := m.call(context.Background()); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("without a caller: %v; want %v", err, service.ErrUnauthenticated)
			}
			for _, role := range service.Roles {
				p := service.Principal{KeyID: "key-" + string(role), Role: role, OrganizationID: "org-001", ProviderID: "prov-1"}
				err := m.call(service.WithPrincipal(context.Background(), p))
				allowed := false
				for _, r := range m.roles {
					allowed = allowed || r == role
				}
				if got := bsk.ErrorCode(err) == bsk.CodeUnauthorized; got == allowed {
					t.Errorf("%s: %v; refused = %v, want %v", role, err, got, !allowed)
				}
			}
		})
	}
}
