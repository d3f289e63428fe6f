package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// refOrg checks that an organization exists and, for an agency, that it is
// the agency's own; both failures read the same.
func refOrg(ctx context.Context, tx *store.Tx, p Principal, field, org string) error {
	if p.Role == RoleAgency && org != p.OrganizationID {
		return bsk.Errors{bsk.NotFoundf(field, "unknown organization %q", org)}
	}
	ok, err := tx.Exists(ctx, store.Organizations, org)
	if err != nil {
		return err
	}
	if !ok {
		return bsk.Errors{bsk.NotFoundf(field, "unknown organization %q", org)}
	}
	return nil
}

func (a *App) organizationRoutes(g *echo.Group) {
	r := &resource[bsk.Organization]{
		kind: store.Organizations, schema: "organization", entity: "organization", store: a.db, startReads: a.startReads,
		id: func(o bsk.Organization) string { return string(o.ID) },
		keys: func(ctx context.Context, tx *store.Tx, p Principal, o bsk.Organization) (string, string, error) {
			if p.Role == RoleAgency && string(o.ID) != p.OrganizationID {
				// Another agency's organization reads like one that is not there.
				return "", "", bsk.NotFoundf("id", "no organization %q", o.ID)
			}
			return string(o.ID), "", nil
		},
	}
	r.register(g, "/organizations")
}

func (a *App) providerResource() *resource[bsk.Provider] {
	return &resource[bsk.Provider]{
		kind: store.Providers, schema: "provider", entity: "provider", store: a.db, startReads: a.startReads,
		id:          func(v bsk.Provider) string { return string(v.ID) },
		checkDelete: a.checkProviderDelete,
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Provider) (string, string, error) {
			if err := refOrg(ctx, tx, p, "/organization_id", string(v.OrganizationID)); err != nil {
				return "", "", err
			}
			if v.ReportsTo != "" {
				sup, err := tx.Get(ctx, store.Providers, string(v.ReportsTo))
				if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && sup.Org != string(v.OrganizationID)) {
					return "", "", bsk.Errors{bsk.NotFoundf("/reports_to", "no provider %q in organization %q", v.ReportsTo, v.OrganizationID)}
				}
				if err != nil {
					return "", "", err
				}
			}
			return string(v.OrganizationID), "", nil
		},
		checkNew: agencyPrefix,
		redact: func(p Principal, v bsk.Provider) bsk.Provider {
			if !seesDemographics(p) {
				v.Demographics = bsk.Demographics{}
			}
			return v
		},
		merge: func(p Principal, stored, v bsk.Provider) bsk.Provider {
			// A role that cannot see demographics cannot change them either.
			if !seesDemographics(p) {
				v.Demographics = stored.Demographics
			}
			return v
		},
	}
}

// agencyPrefix requires the providers an agency creates to have IDs that
// begin with the agency's organization ID and a hyphen. Provider IDs are
// unique county-wide, so without it a conflict on create would tell one
// agency which IDs another agency uses.
func agencyPrefix(p Principal, v bsk.Provider) error {
	if p.Role == RoleAgency && !strings.HasPrefix(string(v.ID), p.OrganizationID+"-") {
		return bsk.Errors{bsk.Invalidf("/id", "an agency's new provider IDs must begin with %q", p.OrganizationID+"-")}
	}
	return nil
}

func (a *App) providerRoutes(g *echo.Group) {
	r := a.providerResource()
	g.POST("/providers/import", a.importProviders, allow(writers(store.Providers)...))
	r.register(g, "/providers")
}

// checkProviderDelete refuses to delete a provider others report to, with
// a conflict naming them: deleting the supervisor would leave their
// reports_to pointing at nobody, and every later change to them would fail.
// Change or clear their reports_to first. Reports the caller may not see
// are counted, not named.
func (a *App) checkProviderDelete(ctx context.Context, p Principal, id string) error {
	var named []string
	hidden := 0
	after := ""
	for {
		recs, err := a.db.List(ctx, store.Providers, store.Filter{After: after, Limit: 1000})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			var v struct {
				ReportsTo string `json:"reports_to"`
			}
			if err := json.Unmarshal(rec.Doc, &v); err != nil {
				return bsk.Errorf(bsk.CodeInternal, "stored provider %q: %w", rec.ID, err)
			}
			switch {
			case v.ReportsTo != id:
			case canRead(p, store.Providers, rec):
				named = append(named, rec.ID)
			default:
				hidden++
			}
		}
		if len(recs) < 1000 {
			break
		}
		after = recs[len(recs)-1].ID
	}
	if len(named) == 0 && hidden == 0 {
		return nil
	}
	who := strings.Join(named, ", ")
	if hidden > 0 {
		who = strings.TrimPrefix(fmt.Sprintf("%s and %d more", who, hidden), " and ")
	}
	return bsk.Errors{&bsk.Error{Code: bsk.CodeConflict, Field: "id",
		Message: fmt.Sprintf("providers report to %q (%s): change or clear their reports_to first", id, who)}}
}

func (a *App) offeringRoutes(g *echo.Group) {
	offerings := &resource[bsk.Offering]{
		kind: store.Offerings, schema: "offering", entity: "offering", store: a.db,
		startReads: a.startReads,
		id:         func(v bsk.Offering) string { return string(v.ID) },
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Offering) (string, string, error) {
			if v.OrganizationID != "" {
				if err := refOrg(ctx, tx, p, "/organization_id", string(v.OrganizationID)); err != nil {
					return "", "", err
				}
			}
			for i, id := range v.Leaders {
				if ok, err := tx.Exists(ctx, store.Providers, string(id)); err != nil || !ok {
					return "", "", firstErr(err, bsk.Errors{bsk.NotFoundf(bsk.Index("/leaders", i), "unknown provider %q", id)})
				}
			}
			return string(v.OrganizationID), "", nil
		},
	}
	offerings.register(g, "/offerings")
	sessions := &resource[bsk.Session]{
		kind: store.Sessions, schema: "session", entity: "session", store: a.db,
		startReads: a.startReads,
		id:         func(v bsk.Session) string { return string(v.ID) },
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Session) (string, string, error) {
			off, err := tx.Get(ctx, store.Offerings, string(v.OfferingID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound {
				return "", "", bsk.Errors{bsk.NotFoundf("/offering_id", "unknown offering %q", v.OfferingID)}
			}
			return off.Org, string(v.OfferingID), err
		},
	}
	sessions.register(g, "/sessions")
}

func (a *App) attendanceRoutes(g *echo.Group) {
	r := &resource[bsk.Attendance]{
		kind: store.Attendance, schema: "attendance", entity: "attendance record", store: a.db,
		id: attendanceID, startReads: a.startReads,
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Attendance) (string, string, error) {
			prov, err := tx.Get(ctx, store.Providers, string(v.ProviderID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canRead(p, store.Providers, prov)) {
				return "", "", bsk.Errors{bsk.NotFoundf("/provider_id", "unknown provider %q", v.ProviderID)}
			}
			if err != nil {
				return "", "", err
			}
			// The session must be one the caller can see: an agency records
			// hours only in public sessions and its own organization's.
			sess, err := tx.Get(ctx, store.Sessions, string(v.SessionID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canRead(p, store.Sessions, sess)) {
				return "", "", bsk.Errors{bsk.NotFoundf("/session_id", "unknown session %q", v.SessionID)}
			}
			if err != nil {
				return "", "", err
			}
			return prov.Org, string(v.SessionID), nil
		},
	}
	// Attendance IDs join the session and provider IDs, so records are
	// listed (?parent=<session id>) and created, not addressed one by one.
	g.GET("/attendance", r.list)
	g.POST("/attendance", r.create, allow(writers(store.Attendance)...))
}
