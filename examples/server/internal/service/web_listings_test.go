package service

import (
	"context"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// TestWebListingsAccess: the new methods' roles. Moves are the staff's;
// Led is a consultant's own; imports are for survey readers; the search by
// name for those who list providers, an agency within its organization.
func TestWebListingsAccess(t *testing.T) {
	svc := testServices(t, &lockedBuffer{})
	ctx := context.Background()
	as := func(p Principal) context.Context { return WithPrincipal(ctx, p) }
	roles := map[Role]Principal{
		RoleAdmin:       {KeyID: "k-admin", Role: RoleAdmin},
		RoleCoordinator: {KeyID: "k-coord", Role: RoleCoordinator},
		RoleAgency:      {KeyID: "k-agency", Role: RoleAgency, OrganizationID: "org-001"},
		RoleConsultant:  {KeyID: "k-cons", Role: RoleConsultant, ProviderID: "prov-00001"},
		RoleEvaluator:   {KeyID: "k-eval", Role: RoleEvaluator},
	}
	for _, c := range []struct {
		name    string
		allowed []Role
		call    func(context.Context) error
	}{
		{"Move", RunRoles, func(ctx context.Context) error {
			_, err := svc.Grouping.Move(ctx, "run-nosuch", MoveRequest{Member: "prov-00001", To: 1})
			return err
		}},
		{"Led", []Role{RoleConsultant}, func(ctx context.Context) error {
			_, err := svc.Grouping.Led(ctx, ListQuery{Limit: 10})
			return err
		}},
		{"Imports", SurveyReaders(), func(ctx context.Context) error {
			_, err := svc.Surveys.Imports(ctx, ListQuery{Limit: 10})
			return err
		}},
		{"FindProviders", []Role{RoleAdmin, RoleCoordinator, RoleAgency}, func(ctx context.Context) error {
			_, err := svc.Workforce.FindProviders(ctx, ProviderSearch{Name: "a", Limit: 10})
			return err
		}},
	} {
		for role, p := range roles {
			err := c.call(as(p))
			allowed := false
			for _, r := range c.allowed {
				allowed = allowed || r == role
			}
			if got := bsk.ErrorCode(err) == bsk.CodeUnauthorized; got == allowed {
				t.Errorf("%s as %s: %v; want allowed = %v", c.name, role, err, allowed)
			}
		}
	}
	// An agency's search stays within its organization, and an empty name
	// is refused naming the field.
	page, err := svc.Workforce.FindProviders(as(roles[RoleAgency]), ProviderSearch{Name: "a", Limit: 1000})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("agency search: %d found, %v", len(page.Items), err)
	}
	for _, v := range page.Items {
		if v.OrganizationID != "org-001" {
			t.Errorf("the agency's search found %s of %s", v.ID, v.OrganizationID)
		}
	}
	if _, err := svc.Workforce.FindProviders(as(roles[RoleCoordinator]), ProviderSearch{Name: " ", Limit: 10}); bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("an empty name: %v; want invalid", err)
	}
}

// TestFindProvidersAuditsMatchesOnly: a search by name records as read
// the providers it returns, not every provider it looked through.
func TestFindProvidersAuditsMatchesOnly(t *testing.T) {
	svc := testServices(t, &lockedBuffer{})
	ctx := WithPrincipal(context.Background(), Principal{KeyID: "k-agency", Role: RoleAgency, OrganizationID: "org-001"})
	page, err := svc.Workforce.FindProviders(ctx, ProviderSearch{Name: "a", Limit: 2})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("search: %d found, %v", len(page.Items), err)
	}
	all, err := svc.Workforce.Providers.List(ctx, ListQuery{Limit: 1000})
	if err != nil || len(all.Items) <= 2 {
		t.Fatalf("the agency has %d providers (%v); the test needs more than 2", len(all.Items), err)
	}
	log, err := svc.Audit.Log(WithPrincipal(context.Background(), System), AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, e := range log.Items {
		if e.KeyID == "k-agency" && e.Action == "read" {
			read = append(read, e.EntityID)
		}
	}
	// The listing above audits every provider of the agency; the search
	// must add only its two.
	if want := len(all.Items) + 2; len(read) != want {
		t.Errorf("%d reads audited; want %d (the listing's %d and the search's 2)", len(read), want, len(all.Items))
	}
}
