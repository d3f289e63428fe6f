package service

import (
	"context"
	"errors"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Role is what a caller may do.
type Role string

// The roles.
const (
	// RoleAdmin, the county administrator, may do everything.
	RoleAdmin Role = "admin"
	// RoleCoordinator runs program operations and sees demographic data only
	// as suppressed aggregates: provider records reach it without demographics.
	RoleCoordinator Role = "coordinator"
	// RoleAgency sees and changes only its own organization's providers.
	RoleAgency Role = "agency"
	// RoleConsultant sees its own record and the rosters of its own groups.
	RoleConsultant Role = "consultant"
	// RoleEvaluator works with survey data only.
	RoleEvaluator Role = "evaluator"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant, RoleEvaluator}

// Valid reports whether r is one of [Roles].
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Principal is the caller a service acts for: the holder of an API key or
// of a session. Every service method reads it from its context (see
// [WithPrincipal]); a context without one acts for nobody and is refused.
type Principal struct {
	// KeyID names the credential in the audit log.
	KeyID string
	// Role is what the caller may do.
	Role Role
	// OrganizationID scopes an agency (and a consultant's organization).
	OrganizationID string
	// ProviderID is a consultant's own provider record.
	ProviderID string
}

// SeesDemographics reports whether the caller may see a person's
// demographics: the administrator, and an agency for its own staff.
// Coordinators see them only as suppressed aggregates.
func (p Principal) SeesDemographics() bool { return p.Role == RoleAdmin || p.Role == RoleAgency }

// IsStaff reports the county's staff: the administrator and coordinators.
func (p Principal) IsStaff() bool { return p.Role == RoleAdmin || p.Role == RoleCoordinator }

// Is reports whether the caller has one of roles.
func (p Principal) Is(roles ...Role) bool { return slices.Contains(roles, p.Role) }

// ErrUnauthenticated is a request without a valid credential: over HTTP,
// 401 rather than 403.
var ErrUnauthenticated = errors.New("a valid API key is required: Authorization: Bearer <key>")

type principalKey struct{}

// WithPrincipal returns a context that acts for p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller ctx acts for, and false when there is
// none.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok && p.Role != ""
}

// System is the principal of the server's own work (first start, demo
// data, recovery): an administrator whose audit entries read "system".
var System = Principal{KeyID: "system", Role: RoleAdmin}

// caller returns the principal of ctx, or an unauthenticated error.
func caller(ctx context.Context) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, ErrUnauthenticated
	}
	return p, nil
}

// require returns the principal of ctx when it has one of roles, and an
// unauthorized error naming the role otherwise.
func require(ctx context.Context, roles ...Role) (Principal, error) {
	p, err := caller(ctx)
	if err != nil {
		return p, err
	}
	if !p.Is(roles...) {
		return p, bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not do this", p.Role)
	}
	return p, nil
}
