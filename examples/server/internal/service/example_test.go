package service_test

import (
	"context"
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// A service acts for the caller its context carries. Here the server's own
// principal creates an organization and a provider, an agency key is issued
// for the organization, and the agency, acting through the same services
// as the JSON API, sees its own staff, cannot see another organization,
// and cannot delete an organization that still has providers.
func Example() {
	dir, err := os.MkdirTemp("", "service-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	svc := service.New(db, zerolog.Nop(), service.Config{Data: dir})
	defer svc.Close()

	sys := service.WithPrincipal(ctx, service.System)
	org := bsk.Organization{ID: "org-a", Name: "Family Center A", Kind: bsk.OrgCommunityBased, Place: "kent", ServesYoungChildren: true}
	if _, err := svc.Workforce.Organizations.Create(sys, org); err != nil {
		panic(err)
	}
	p := bsk.Provider{ID: "org-a-1", OrganizationID: "org-a", Name: "Ana", Role: bsk.RoleDirectService, Languages: []bsk.Language{bsk.Spanish}}
	if _, err := svc.Workforce.Providers.Create(sys, p); err != nil {
		panic(err)
	}
	key, err := svc.Keys.Create(sys, service.KeyRequest{Name: "Family Center A", Role: service.RoleAgency, OrganizationID: "org-a"})
	if err != nil {
		panic(err)
	}

	// The HTTP layer resolves a request's key to its principal the same way.
	agency, err := svc.Keys.Authenticate(ctx, key.Key)
	if err != nil {
		panic(err)
	}
	actx := service.WithPrincipal(ctx, agency)
	page, err := svc.Workforce.Providers.List(actx, service.ListQuery{Limit: 10})
	fmt.Println(len(page.Items), page.Items[0].Name, err)
	_, err = svc.Workforce.Organizations.Get(actx, "org-b")
	fmt.Println(bsk.ErrorCode(err), err)
	err = svc.Workforce.Organizations.Delete(actx, "org-a")
	fmt.Println(bsk.ErrorCode(err), err)
	_, err = svc.Workforce.Providers.List(ctx, service.ListQuery{Limit: 10})
	fmt.Println(err)
	// Output:
	// 1 Ana <nil>
	// not_found id: no organization "org-b"
	// conflict id: organization "org-a" is referred to by providers (org-a-1) through organization_id: change or delete them first
	// a valid API key is required: Authorization: Bearer <key>
}
