package app

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

var staff = []Role{RoleAdmin, RoleCoordinator}

// scopeFor returns the organization an agency is limited to, "" for the
// county's staff, and an unauthorized error for every other role.
func scopeFor(allowed ...Role) func(Principal) (string, error) {
	return func(p Principal) (string, error) {
		switch {
		case p.Role == RoleAdmin || p.Role == RoleCoordinator:
			return "", nil
		case p.Role == RoleAgency:
			return p.OrganizationID, nil
		}
		for _, r := range allowed {
			if p.Role == r {
				return "", nil
			}
		}
		return "", bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not list these records", p.Role)
	}
}

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
		kind: store.Organizations, schema: "organization", entity: "organization", store: a.db,
		id:    func(o bsk.Organization) string { return string(o.ID) },
		scope: scopeFor(),
		canRead: func(p Principal, rec store.Record) bool {
			return p.Role == RoleAdmin || p.Role == RoleCoordinator || (p.Role == RoleAgency && rec.ID == p.OrganizationID)
		},
		writers: []Role{RoleAdmin, RoleCoordinator, RoleAgency},
		keys: func(ctx context.Context, tx *store.Tx, p Principal, o bsk.Organization) (string, string, error) {
			if p.Role == RoleAgency && string(o.ID) != p.OrganizationID {
				return "", "", bsk.Errorf(bsk.CodeUnauthorized, "an agency may change only its own organization")
			}
			return string(o.ID), "", nil
		},
	}
	r.register(g, "/organizations")
}

// seesDemographics reports whether a role may see a person's demographics:
// the administrator, and an agency for its own staff. Coordinators see them
// only as suppressed aggregates.
func seesDemographics(p Principal) bool { return p.Role == RoleAdmin || p.Role == RoleAgency }

func (a *App) providerResource() *resource[bsk.Provider] {
	return &resource[bsk.Provider]{
		kind: store.Providers, schema: "provider", entity: "provider", store: a.db,
		id:    func(v bsk.Provider) string { return string(v.ID) },
		scope: scopeFor(),
		canRead: func(p Principal, rec store.Record) bool {
			switch p.Role {
			case RoleAdmin, RoleCoordinator:
				return true
			case RoleAgency:
				return rec.Org == p.OrganizationID
			case RoleConsultant:
				return rec.ID == p.ProviderID
			}
			return false
		},
		writers: []Role{RoleAdmin, RoleCoordinator, RoleAgency},
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
	g.POST("/providers/import", a.importProviders, allow(r.writers...))
	r.register(g, "/providers")
}

// publicOrOwn lets staff read everything and others read records that
// belong to no organization or to their own.
func publicOrOwn(p Principal, rec store.Record) bool {
	switch p.Role {
	case RoleAdmin, RoleCoordinator:
		return true
	case RoleAgency, RoleConsultant:
		return rec.Org == "" || rec.Org == p.OrganizationID
	}
	return false
}

// catalogScope lets every role but the evaluator list offerings and
// sessions; publicOrOwn then hides other agencies' own offerings.
func catalogScope(p Principal) (string, error) {
	if p.Role == RoleEvaluator {
		return "", bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not list these records", p.Role)
	}
	return "", nil
}

func (a *App) offeringRoutes(g *echo.Group) {
	offerings := &resource[bsk.Offering]{
		kind: store.Offerings, schema: "offering", entity: "offering", store: a.db,
		id:      func(v bsk.Offering) string { return string(v.ID) },
		scope:   catalogScope,
		canRead: publicOrOwn,
		writers: staff,
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
		id:      func(v bsk.Session) string { return string(v.ID) },
		scope:   catalogScope,
		canRead: publicOrOwn,
		writers: staff,
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
		id:    attendanceID,
		scope: scopeFor(),
		canRead: func(p Principal, rec store.Record) bool {
			return p.Role == RoleAdmin || p.Role == RoleCoordinator || (p.Role == RoleAgency && rec.Org == p.OrganizationID)
		},
		writers: []Role{RoleAdmin, RoleCoordinator, RoleAgency},
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Attendance) (string, string, error) {
			prov, err := tx.Get(ctx, store.Providers, string(v.ProviderID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && p.Role == RoleAgency && prov.Org != p.OrganizationID) {
				return "", "", bsk.Errors{bsk.NotFoundf("/provider_id", "unknown provider %q", v.ProviderID)}
			}
			if err != nil {
				return "", "", err
			}
			if ok, err := tx.Exists(ctx, store.Sessions, string(v.SessionID)); err != nil || !ok {
				return "", "", firstErr(err, bsk.Errors{bsk.NotFoundf("/session_id", "unknown session %q", v.SessionID)})
			}
			return prov.Org, string(v.SessionID), nil
		},
	}
	// Attendance IDs join the session and provider IDs, so records are
	// listed (?parent=<session id>) and created, not addressed one by one.
	g.GET("/attendance", r.list)
	g.POST("/attendance", r.create, allow(r.writers...))
}
