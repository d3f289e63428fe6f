package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// The web pages' scholarship methods refuse a caller on their own, as the
// API's do: without a principal, unauthenticated; a role outside the
// method's, unauthorized. A query the listing cannot answer is refused
// naming its field.
func TestWebScholarshipMethodsRefuseOnTheirOwn(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := service.New(db, zerolog.Nop(), service.Config{Data: dir})
	t.Cleanup(svc.Close)
	s := svc.Scholarships
	cy := service.CycleRef{ProgramID: "esit", CycleID: "2026"}
	staff := []service.Role{service.RoleAdmin, service.RoleCoordinator}
	applicants := []service.Role{service.RoleAdmin, service.RoleCoordinator, service.RoleAgency}
	for _, m := range []struct {
		name  string
		roles []service.Role
		call  func(context.Context) error
	}{
		{"CycleRuns", staff, func(ctx context.Context) error { _, err := s.CycleRuns(ctx, cy); return err }},
		{"FindApplications", applicants, func(ctx context.Context) error {
			_, err := s.FindApplications(ctx, service.ApplicationQuery{Limit: 10})
			return err
		}},
		{"Application", applicants, func(ctx context.Context) error { _, err := s.Application(ctx, "app-1", ""); return err }},
		{"SubmitForm", applicants, func(ctx context.Context) error {
			_, err := s.SubmitForm(ctx, cy, service.ApplicationForm{ProviderID: "prov-1"})
			return err
		}},
	} {
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

	ctx := service.WithPrincipal(context.Background(), service.Principal{KeyID: "k", Role: service.RoleCoordinator})
	for _, c := range []struct {
		q     service.ApplicationQuery
		field string
	}{
		{service.ApplicationQuery{Limit: 0}, "/limit"},
		{service.ApplicationQuery{Limit: 1001}, "/limit"},
		{service.ApplicationQuery{Limit: 10, Status: "won"}, "/status"},
		{service.ApplicationQuery{Limit: 10, CycleID: "2026"}, "/cycle_id"},
	} {
		_, err := s.FindApplications(ctx, c.q)
		var e *bsk.Error
		if !errors.As(err, &e) || e.Code != bsk.CodeInvalid || e.Field != c.field {
			t.Errorf("FindApplications(%+v) = %v; want invalid naming %s", c.q, err, c.field)
		}
	}
}
