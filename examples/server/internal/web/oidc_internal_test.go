package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

const testMapping = `{
	"claims": {
		"roles": {"Workforce.Admin": "admin", "Workforce.Evaluator": "evaluator"},
		"groups": {"g-agency": "agency", "g-coach": "consultant", "g-admins": "admin"}
	},
	"organization_claim": "org",
	"provider_claim": "provider",
	"name_claim": "display"
}`

// TestClaimMappingPrincipal maps claims of the shapes providers send (a
// string, a list, other JSON) to a principal, or to the reason it refuses.
func TestClaimMappingPrincipal(t *testing.T) {
	m, err := ParseClaimMapping(strings.NewReader(testMapping))
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		P       service.Principal
		Name    string
		Refused string
	}
	for _, c := range []struct {
		name   string
		claims string
		want   result
	}{
		{"role in a list", `{"roles": ["Other", "Workforce.Admin"], "display": "Ada"}`,
			result{P: service.Principal{KeyID: "sso:sub-1", Role: service.RoleAdmin}, Name: "Ada"}},
		{"role as one string", `{"roles": "Workforce.Evaluator", "name": "Eve"}`,
			result{P: service.Principal{KeyID: "sso:sub-1", Role: service.RoleEvaluator}, Name: "Eve"}},
		{"two values, one role", `{"roles": ["Workforce.Admin"], "groups": ["g-admins"], "email": "a@county.example"}`,
			result{P: service.Principal{KeyID: "sso:sub-1", Role: service.RoleAdmin}, Name: "a@county.example"}},
		{"agency with organization", `{"groups": ["g-agency"], "org": "org-7"}`,
			result{P: service.Principal{KeyID: "sso:sub-1", Role: service.RoleAgency, OrganizationID: "org-7"}}},
		{"consultant with provider", `{"groups": ["g-coach"], "provider": "prov-3", "org": "org-ignored"}`,
			result{P: service.Principal{KeyID: "sso:sub-1", Role: service.RoleConsultant, ProviderID: "prov-3"}}},
		{"no claims", `{}`, result{Refused: "sso.no_role"}},
		{"values of no role", `{"roles": ["Payroll"], "groups": "g-other"}`, result{Refused: "sso.no_role"}},
		{"value of a role under another claim", `{"groups": ["Workforce.Admin"]}`, result{Refused: "sso.no_role"}},
		{"not strings", `{"roles": [1, true, {"x": "Workforce.Admin"}, ["Workforce.Admin"]], "groups": 3}`, result{Refused: "sso.no_role"}},
		{"two roles", `{"roles": ["Workforce.Admin", "Workforce.Evaluator"]}`, result{Refused: "sso.many_roles"}},
		{"agency without organization", `{"groups": ["g-agency"]}`, result{Refused: "sso.no_organization"}},
		{"agency with a list for organization", `{"groups": ["g-agency"], "org": ["org-1", "org-2"]}`, result{Refused: "sso.no_organization"}},
		{"agency with an oversized organization", `{"groups": ["g-agency"], "org": "` + strings.Repeat("o", 300) + `"}`, result{Refused: "sso.no_organization"}},
		{"consultant without provider", `{"groups": ["g-coach"]}`, result{Refused: "sso.no_provider"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var claims map[string]any
			if err := json.Unmarshal([]byte(c.claims), &claims); err != nil {
				t.Fatal(err)
			}
			var got result
			got.P, got.Name, got.Refused = m.principal("sub-1", claims)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("principal(%s) (-want +got):\n%s", c.claims, diff)
			}
		})
	}
	if _, _, refused := m.principal("", map[string]any{"roles": "Workforce.Admin"}); refused != "sso.failed" {
		t.Errorf("no subject: refused %q; want sso.failed", refused)
	}
	if _, _, refused := m.principal(strings.Repeat("s", 300), map[string]any{"roles": "Workforce.Admin"}); refused != "sso.failed" {
		t.Errorf("an oversized subject: refused %q; want sso.failed", refused)
	}
}

// FuzzClaimMapping: no mapping file and no claims make the mapping panic,
// and a principal it admits always has a valid role, with the
// organization or provider record its role needs.
func FuzzClaimMapping(f *testing.F) {
	f.Add(testMapping, `{"roles": ["Workforce.Admin"]}`)
	f.Add(testMapping, `{"groups": ["g-agency"], "org": "org-1"}`)
	f.Add(`{"claims": {"roles": {"A": "agency"}}, "organization_claim": "roles"}`, `{"roles": "A"}`)
	f.Add(`{"claims": {}}`, `{}`)
	f.Add(`[]`, `null`)
	f.Fuzz(func(t *testing.T, mapping, claims string) {
		m, err := ParseClaimMapping(strings.NewReader(mapping))
		if err != nil {
			return
		}
		var c map[string]any
		if json.Unmarshal([]byte(claims), &c) != nil {
			return
		}
		p, _, refused := m.principal("subject", c)
		if refused != "" {
			if p != (service.Principal{}) {
				t.Fatalf("refused (%s) with a principal %+v", refused, p)
			}
			return
		}
		if !p.Role.Valid() || p.KeyID != "sso:subject" {
			t.Fatalf("admitted %+v", p)
		}
		if p.Role == service.RoleAgency && p.OrganizationID == "" || p.Role == service.RoleConsultant && p.ProviderID == "" {
			t.Fatalf("admitted %+v without the record its role needs", p)
		}
	})
}

func TestAuthorizedParty(t *testing.T) {
	for _, c := range []struct {
		aud    []string
		claims map[string]any
		want   bool
	}{
		{[]string{"app"}, map[string]any{}, true},
		{[]string{"app"}, map[string]any{"azp": "app"}, true},
		{[]string{"app"}, map[string]any{"azp": "other"}, false},
		{[]string{"app", "other"}, map[string]any{"azp": "app"}, true},
		{[]string{"app", "other"}, map[string]any{}, false},
		{[]string{"app", "other"}, map[string]any{"azp": "other"}, false},
		{[]string{"app", "other"}, map[string]any{"azp": []any{"app"}}, false},
	} {
		if got := authorizedParty(c.aud, c.claims, "app"); got != c.want {
			t.Errorf("authorizedParty(%v, %v, app) = %v; want %v", c.aud, c.claims, got, c.want)
		}
	}
}
