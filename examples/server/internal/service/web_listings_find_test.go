package service

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
)

// TestFindProvidersInStore: a search by an ASCII name, answered by the
// database, finds page by page exactly the providers that reading every
// provider the caller may list and comparing lowered names finds, in ID
// order, on SQLite and PostgreSQL: for staff, an agency (its own staff
// alone, with or without naming its organization; nobody when naming
// another), names in any case and a name nobody has.
func TestFindProvidersInStore(t *testing.T) {
	for dialect, svc := range homeServices(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			coord := WithPrincipal(ctx, Principal{KeyID: "k-coord", Role: RoleCoordinator})
			agency := WithPrincipal(ctx, Principal{KeyID: "k-agency", Role: RoleAgency, OrganizationID: "org-001"})
			// Every provider the caller may list, the slow way.
			everyone := func(ctx context.Context) []bsk.Provider {
				var out []bsk.Provider
				q := ListQuery{Limit: 1000}
				for {
					page, err := svc.Workforce.Providers.List(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, page.Items...)
					if page.NextCursor == "" {
						return out
					}
					q.Cursor = page.NextCursor
				}
			}
			all := everyone(coord)
			if len(all) < 20 {
				t.Fatalf("the demo has %d providers", len(all))
			}
			// Names: part of a real name in upper case, a common letter pair,
			// a single letter, and none.
			first := ""
			for _, v := range all[len(all)/2:] {
				if isASCII(v.Name) && len(v.Name) > 4 {
					first = v.Name
					break
				}
			}
			names := []string{strings.ToUpper(first[1:4]), "an", "E", "zzqx"}
			for _, c := range []struct {
				who    string
				ctx    context.Context
				org    string
				listed []bsk.Provider
			}{
				{"coordinator", coord, "", all},
				{"coordinator in org-002", coord, "org-002", nil},
				{"agency", agency, "", everyone(agency)},
				{"agency naming itself", agency, "org-001", everyone(agency)},
				{"agency naming another", agency, "org-002", []bsk.Provider{}},
			} {
				listed := c.listed
				if c.org == "org-002" && c.who == "coordinator in org-002" {
					for _, v := range all {
						if v.OrganizationID == "org-002" {
							listed = append(listed, v)
						}
					}
				}
				for _, name := range names {
					var want []bsk.ProviderID
					for _, v := range listed {
						if strings.Contains(strings.ToLower(v.Name), strings.ToLower(name)) {
							want = append(want, v.ID)
						}
					}
					if c.who == "coordinator" && name != "zzqx" && len(want) == 0 {
						t.Fatalf("nobody's name holds %q: the search is not exercised", name)
					}
					var got []bsk.ProviderID
					cursor := ""
					for range 1000 {
						page, err := svc.Workforce.FindProviders(c.ctx, ProviderSearch{Name: name, Cursor: cursor, Limit: 7, OrganizationID: c.org})
						if err != nil {
							t.Fatalf("%s: FindProviders(%q): %v", c.who, name, err)
						}
						if len(page.Items) > 7 {
							t.Fatalf("%s: FindProviders(%q) = %d on a page of 7", c.who, name, len(page.Items))
						}
						for _, v := range page.Items {
							got = append(got, v.ID)
						}
						if page.NextCursor == "" {
							break
						}
						cursor = page.NextCursor
					}
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("%s: FindProviders(%q) page by page (-every provider listed +got):\n%s", c.who, name, d)
					}
				}
			}
		})
	}
}
