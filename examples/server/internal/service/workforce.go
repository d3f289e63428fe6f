package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Workforce serves the county's workforce records: organizations, the
// providers who work in them, offerings with their sessions, and
// attendance. Each kind is a [Records] under the access policy.
type Workforce struct {
	db    *store.DB
	audit *Audit

	Organizations *Records[bsk.Organization]
	Providers     *Records[bsk.Provider]
	Offerings     *Records[bsk.Offering]
	Sessions      *Records[bsk.Session]
	Attendance    *Records[bsk.Attendance]
}

// AttendanceID is an attendance record's ID: its session and provider.
func AttendanceID(a bsk.Attendance) string { return string(a.SessionID) + "/" + string(a.ProviderID) }

func newWorkforce(db *store.DB, audit *Audit) *Workforce {
	w := &Workforce{db: db, audit: audit}
	w.Organizations = &Records[bsk.Organization]{
		kind: store.Organizations, entity: "organization", db: db, audit: audit,
		id: func(o bsk.Organization) string { return string(o.ID) },
		keys: func(ctx context.Context, tx *store.Tx, p Principal, o bsk.Organization) (string, string, error) {
			if p.Role == RoleAgency && string(o.ID) != p.OrganizationID {
				// Another agency's organization reads like one that is not there.
				return "", "", bsk.NotFoundf("id", "no organization %q", o.ID)
			}
			return string(o.ID), "", nil
		},
		refs: organizationRefs,
	}
	w.Providers = &Records[bsk.Provider]{
		kind: store.Providers, entity: "provider", db: db, audit: audit,
		id:       func(v bsk.Provider) string { return string(v.ID) },
		keys:     providerKeys,
		checkNew: agencyPrefix,
		redact: func(p Principal, v bsk.Provider) bsk.Provider {
			if !p.SeesDemographics() {
				v.Demographics = bsk.Demographics{}
			}
			return v
		},
		merge: func(p Principal, stored, v bsk.Provider) bsk.Provider {
			// A role that cannot see demographics cannot change them either.
			if !p.SeesDemographics() {
				v.Demographics = stored.Demographics
			}
			return v
		},
		refs:    providerRefs,
		cascade: deleteHistoryOf, // see trainings_cascade.go
	}
	w.Offerings = &Records[bsk.Offering]{
		kind: store.Offerings, entity: "offering", db: db, audit: audit,
		id: func(v bsk.Offering) string { return string(v.ID) },
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
		refs:    offeringRefs,          // offering_rosters.go
		cascade: deleteOfferingRecords, // offering_rosters.go
		changed: offeringChanged,
	}
	w.Sessions = &Records[bsk.Session]{
		kind: store.Sessions, entity: "session", db: db, audit: audit,
		id: func(v bsk.Session) string { return string(v.ID) },
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Session) (string, string, error) {
			off, err := tx.Get(ctx, store.Offerings, string(v.OfferingID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound {
				return "", "", bsk.Errors{bsk.NotFoundf("/offering_id", "unknown offering %q", v.OfferingID)}
			}
			return off.Org, string(v.OfferingID), err
		},
		refs: func(ctx context.Context, tx *store.Tx, p Principal, id string) ([]reference, error) {
			refs, err := children(ctx, tx, p, store.Attendance, "attendance records", "session_id", id)
			for i := range refs {
				refs[i].hint = "a session that was attended is kept as the record of its hours"
			}
			return refs, err
		},
	}
	w.Attendance = &Records[bsk.Attendance]{
		kind: store.Attendance, entity: "attendance record", db: db, audit: audit,
		id: AttendanceID,
		keys: func(ctx context.Context, tx *store.Tx, p Principal, v bsk.Attendance) (string, string, error) {
			prov, err := tx.Get(ctx, store.Providers, string(v.ProviderID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Providers, prov)) {
				return "", "", bsk.Errors{bsk.NotFoundf("/provider_id", "unknown provider %q", v.ProviderID)}
			}
			if err != nil {
				return "", "", err
			}
			// The session must be one the caller can see: an agency records
			// hours only in public sessions and its own organization's.
			sess, err := tx.Get(ctx, store.Sessions, string(v.SessionID))
			if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Sessions, sess)) {
				return "", "", bsk.Errors{bsk.NotFoundf("/session_id", "unknown session %q", v.SessionID)}
			}
			if err != nil {
				return "", "", err
			}
			return prov.Org, string(v.SessionID), nil
		},
	}
	return w
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

// providerKeys checks a provider's organization and supervisor: both must
// exist, the supervisor in the same organization.
func providerKeys(ctx context.Context, tx *store.Tx, p Principal, v bsk.Provider) (string, string, error) {
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

// reference is one kind of record that refers to a record being deleted:
// the records the caller may see by ID, the others counted.
type reference struct {
	what  string // "providers", "offerings", ...
	field string // the referring field: "reports_to"
	// hint says what to do instead; "" for "change or delete them first".
	hint   string
	named  []string
	hidden int
}

func (r *reference) add(p Principal, kind store.Kind, rec store.Record) {
	if CanRead(p, kind, rec) {
		r.named = append(r.named, rec.ID)
	} else {
		r.hidden++
	}
}

// referenceError is the conflict that refuses a deletion: it names every
// kind of record that still refers to id and, of those the caller may see,
// their IDs (at most ten; the rest counted). Change or delete them first.
func referenceError(entity, id string, refs []reference) error {
	var errs bsk.Errors
	for _, r := range refs {
		who := r.named
		more := r.hidden
		if len(who) > 10 {
			more += len(who) - 10
			who = who[:10]
		}
		list := strings.Join(who, ", ")
		switch {
		case more > 0 && list != "":
			list = fmt.Sprintf("%s and %d more", list, more)
		case more > 0:
			list = fmt.Sprintf("%d", more)
		}
		hint := r.hint
		if hint == "" {
			hint = "change or delete them first"
		}
		errs = append(errs, &bsk.Error{Code: bsk.CodeConflict, Field: "id",
			Message: fmt.Sprintf("%s %q is referred to by %s (%s) through %s: %s", entity, id, r.what, list, r.field, hint)})
	}
	return errs
}

func nonEmpty(refs ...reference) []reference {
	var out []reference
	for _, r := range refs {
		if len(r.named)+r.hidden > 0 {
			out = append(out, r)
		}
	}
	return out
}

// children lists the records of kind whose parent is id.
func children(ctx context.Context, tx *store.Tx, p Principal, kind store.Kind, what, field, id string) ([]reference, error) {
	ref := reference{what: what, field: field}
	err := scanAll(ctx, tx, kind, store.Filter{Parent: id}, func(rec store.Record) error {
		ref.add(p, kind, rec)
		return nil
	})
	return nonEmpty(ref), err
}

// organizationRefs lists the providers and offerings of an organization.
func organizationRefs(ctx context.Context, tx *store.Tx, p Principal, id string) ([]reference, error) {
	provs := reference{what: "providers", field: "organization_id"}
	offs := reference{what: "offerings", field: "organization_id"}
	err := scanAll(ctx, tx, store.Providers, store.Filter{Org: id}, func(rec store.Record) error {
		provs.add(p, store.Providers, rec)
		return nil
	})
	if err == nil {
		err = scanAll(ctx, tx, store.Offerings, store.Filter{Org: id}, func(rec store.Record) error {
			offs.add(p, store.Offerings, rec)
			return nil
		})
	}
	return nonEmpty(provs, offs), err
}

// providerRefs lists who reports to a provider, the offerings they
// lead, and their live registrations and enrolments (see
// trainings_cascade.go). Grouping runs and scholarship decisions keep
// their own copies, as history, and do not hold a provider on file.
func providerRefs(ctx context.Context, tx *store.Tx, p Principal, id string) ([]reference, error) {
	rec, err := tx.Get(ctx, store.Providers, id)
	if err != nil {
		return nil, err
	}
	reports := reference{what: "providers", field: "reports_to"}
	leads := reference{what: "offerings", field: "leaders"}
	// A supervisor is in the same organization as those reporting to them.
	err = scanAll(ctx, tx, store.Providers, store.Filter{Org: rec.Org}, func(r store.Record) error {
		var v struct {
			ReportsTo string `json:"reports_to"`
		}
		if err := json.Unmarshal(r.Doc, &v); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored provider %q: %w", r.ID, err)
		}
		if v.ReportsTo == id {
			reports.add(p, store.Providers, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanAll(ctx, tx, store.Offerings, store.Filter{}, func(r store.Record) error {
		var v struct {
			Leaders []string `json:"leaders"`
		}
		if err := json.Unmarshal(r.Doc, &v); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored offering %q: %w", r.ID, err)
		}
		for _, l := range v.Leaders {
			if l == id {
				leads.add(p, store.Offerings, r)
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	live, err := liveTrainingRefs(ctx, tx, p, id, rec.Org)
	if err != nil {
		return nil, err
	}
	return append(nonEmpty(reports, leads), live...), nil
}

// deleteAttendanceOf deletes a provider's attendance records with the
// provider: a person taken off file is taken off with their hours, which
// nobody could read or correct any longer. Each deletion is audited.
func deleteAttendanceOf(ctx context.Context, tx *store.Tx, p Principal, id string) error {
	rec, err := tx.Get(ctx, store.Providers, id)
	if err != nil {
		return err
	}
	var ids []string
	// Attendance is filed under the provider's organization.
	err = scanAll(ctx, tx, store.Attendance, store.Filter{Org: rec.Org}, func(r store.Record) error {
		if strings.HasSuffix(r.ID, "/"+id) {
			ids = append(ids, r.ID)
		}
		return nil
	})
	for _, aid := range ids {
		if err != nil {
			break
		}
		if err = tx.Delete(ctx, store.Attendance, aid); err == nil {
			err = tx.Audit(ctx, p.KeyID, "delete", "attendance record", aid)
		}
	}
	return err
}

// ImportProviders stores providers read from a file in one transaction, or
// none: every problem comes back with its row as rows[LINE].field, where
// LINE is rows[i]'s line in the file (line(i)).
//
// Errors: invalid, not_found, conflict (an ID on file), unauthorized.
func (w *Workforce) ImportProviders(ctx context.Context, provs []bsk.Provider, line func(i int) int) (int, error) {
	p, err := require(ctx, Writers(store.Providers)...)
	if err != nil {
		return 0, err
	}
	err = w.db.Write(ctx, func(tx *store.Tx) error {
		var problems bsk.Problems
		orgs := make([]string, len(provs))
		for i, v := range provs {
			row := fmt.Sprintf("rows[%d]", line(i))
			problems.Merge(row, pointerFields(agencyPrefix(p, v)))
			org, _, err := providerKeys(ctx, tx, p, v)
			if bsk.ErrorCode(err) == bsk.CodeInternal {
				return err
			}
			problems.Merge(row, pointerFields(err))
			orgs[i] = org
			old, err := tx.Get(ctx, store.Providers, string(v.ID))
			switch {
			case bsk.ErrorCode(err) == bsk.CodeNotFound:
			case err != nil:
				return err
			case !CanRead(p, store.Providers, old):
				// An ID another agency's provider holds reads like one
				// that is not there, never as a conflict.
				problems.AddCode(bsk.CodeNotFound, row+".id", "no provider %q", v.ID)
			default:
				problems.AddCode(bsk.CodeConflict, row+".id", "provider %q already exists", v.ID)
			}
		}
		if err := problems.Err(); err != nil {
			return err
		}
		for i, v := range provs {
			doc, err := encode("provider", v)
			if err != nil {
				return err
			}
			if err := tx.Insert(ctx, store.Providers, store.Record{ID: string(v.ID), Org: orgs[i], Doc: doc}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, p.KeyID, "import", "provider", fmt.Sprintf("%d rows", len(provs)))
	})
	if err != nil {
		return 0, err
	}
	return len(provs), nil
}

// pointerFields rewrites JSON-pointer fields ("/organization_id") as field
// paths ("organization_id"), for problems reported per row.
func pointerFields(err error) error {
	return renameFields(err, func(field string) string {
		return strings.ReplaceAll(strings.TrimPrefix(field, "/"), "/", ".")
	})
}

// LoadDemo stores the synthetic workforce of seed (bsktest.Workforce): its
// organizations, providers, offerings, sessions and attendance, and
// registrations for three of its trainings (one full, with a waitlist), in
// one transaction. Administrator only; the server calls it as [System] on
// first start.
func (w *Workforce) LoadDemo(ctx context.Context, seed int64) error {
	p, err := require(ctx, RoleAdmin)
	if err != nil {
		return err
	}
	wf := bsktest.Workforce(seed, bsktest.Options{})
	if err := wf.Validate(); err != nil {
		return err
	}
	orgOf := map[bsk.ProviderID]bsk.OrganizationID{}
	for _, p := range wf.Providers {
		orgOf[p.ID] = p.OrganizationID
	}
	return w.db.Write(ctx, func(tx *store.Tx) error {
		put := func(k store.Kind, id, org, parent string, v any) error {
			b, err := encode(string(k), v)
			if err != nil {
				return err
			}
			return tx.Insert(ctx, k, store.Record{ID: id, Org: org, Parent: parent, Doc: b})
		}
		for _, o := range wf.Organizations {
			if err := put(store.Organizations, string(o.ID), string(o.ID), "", o); err != nil {
				return err
			}
		}
		for _, p := range wf.Providers {
			if err := put(store.Providers, string(p.ID), string(p.OrganizationID), "", p); err != nil {
				return err
			}
		}
		for _, o := range wf.Offerings {
			if err := put(store.Offerings, string(o.ID), string(o.OrganizationID), "", o); err != nil {
				return err
			}
		}
		for _, s := range wf.Sessions {
			if err := put(store.Sessions, string(s.ID), "", string(s.OfferingID), s); err != nil {
				return err
			}
		}
		for _, at := range wf.Attendance {
			if err := put(store.Attendance, AttendanceID(at), string(orgOf[at.ProviderID]), string(at.SessionID), at); err != nil {
				return err
			}
		}
		if err := demoRegistrations(ctx, tx, wf); err != nil { // trainings_demo.go
			return err
		}
		return tx.Audit(ctx, p.KeyID, "load_demo", "workforce", fmt.Sprintf("seed=%d", seed))
	})
}
