package service

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

// Trainings serves the program year's trainings: registrations with a
// waitlist, offerings' audiences, a provider's transcript and endorsement
// progress, and reach and retention.
//
// Access:
//
//	operation                 who
//	register, cancel, roster  admin, coordinator; agency: its own staff, in
//	                          offerings it can see (public ones and its own)
//	audience: read            admin, coordinator; agency: offerings it sees
//	audience: set             admin, coordinator
//	transcript, progress      admin, coordinator; agency: its own staff;
//	                          consultant: their own
//	organization's progress   admin, coordinator; agency: its own
//	reach                     admin, coordinator (every table suppressed)
//
// A registration, offering or provider the caller may not see reads like
// one that does not exist. An agency sees its own registrations and the
// roster's counts, never another agency's registrations or the notices of
// their promotions.
type Trainings struct {
	db    *store.DB
	audit *Audit
}

func newTrainings(db *store.DB, audit *Audit) *Trainings { return &Trainings{db: db, audit: audit} }

// registrants are the roles that register.
var registrants = []Role{RoleAdmin, RoleCoordinator, RoleAgency}

// RegistrationRequest asks for a seat for a provider in an offering, or in
// one session of it.
type RegistrationRequest struct {
	// ProviderID is who attends.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// SessionID, when set, limits the registration to one session.
	SessionID bsk.SessionID `json:"session_id,omitempty"`
	// Interpretation is the language an interpreter is asked for, if any.
	Interpretation bsk.Language `json:"interpretation,omitempty"`
}

// TrainingRoster is an offering's (or one session's) registrations as the caller
// may see them.
type TrainingRoster struct {
	OfferingID bsk.OfferingID `json:"offering_id"`
	SessionID  bsk.SessionID  `json:"session_id,omitempty"`
	// Capacity is the most seats; 0 means no limit.
	Capacity int `json:"capacity"`
	// Registered and Waitlisted count every registration holding a seat
	// and waiting.
	Registered int `json:"registered"`
	Waitlisted int `json:"waitlisted"`
	// Registrations lists the registrations the caller may see, cancelled
	// ones included, in the order made.
	Registrations []bsk.Registration `json:"registrations"`
}

// RegistrationCancel is a cancelled registration and the promotions it caused
// that the caller may see.
type RegistrationCancel struct {
	Registration bsk.Registration     `json:"registration"`
	Notices      []bsk.WaitlistNotice `json:"notices"`
}

// offering reads an offering the caller may see, and the session named
// (which must be the offering's), or not found.
func (t *Trainings) offering(ctx context.Context, tx *store.Tx, p Principal, id string, session bsk.SessionID) (bsk.Offering, error) {
	rec, err := tx.Get(ctx, store.Offerings, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Offerings, rec)) {
		return bsk.Offering{}, bsk.NotFoundf("id", "no offering %q", id)
	}
	if err != nil {
		return bsk.Offering{}, err
	}
	if session != "" {
		s, err := tx.Get(ctx, store.Sessions, string(session))
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && s.Parent != id) {
			return bsk.Offering{}, bsk.Errors{bsk.NotFoundf("/session_id", "offering %q has no session %q", id, session)}
		}
		if err != nil {
			return bsk.Offering{}, err
		}
	}
	return decode[bsk.Offering]("offering", rec)
}

// roster reads the registrations of an offering's roster (the whole
// offering, or one session) with their stored organizations.
func (t *Trainings) roster(ctx context.Context, tx *store.Tx, off bsk.Offering, session bsk.SessionID) (*training.Roster, map[bsk.RegistrationID]string, error) {
	var regs []bsk.Registration
	orgs := map[bsk.RegistrationID]string{}
	err := scanAll(ctx, tx, store.Registrations, store.Filter{Parent: string(off.ID)}, func(rec store.Record) error {
		g, err := decode[bsk.Registration]("registration", rec)
		if err != nil {
			return err
		}
		if g.SessionID == session {
			regs = append(regs, g)
			orgs[g.ID] = rec.Org
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	r, err := training.NewRoster(off, session, regs...)
	if err != nil {
		return nil, nil, bsk.Errorf(bsk.CodeInternal, "stored roster of %s: %w", off.ID, err)
	}
	return r, orgs, nil
}

// Register gives the provider a seat in the offering, or a place on its
// waitlist when it is full. The offering's eligibility rules are applied
// first (an organization's own group takes only its staff; the offering's
// audience, see [Trainings.SetAudience], on the day of the request): a
// refusal is invalid, one problem per reason, "<code> (<param>: <value>,
// ...)"; a caller who may not read the provider's demographics reads
// [CodeAudienceRestricted] in place of the audience's reasons when the
// period in force has a demographic condition.
// Errors: unauthorized for roles that do not register; not found for an
// offering, session or provider the caller may not see; conflict when the
// provider is already registered or waiting.
func (t *Trainings) Register(ctx context.Context, offeringID string, req RegistrationRequest) (bsk.Registration, error) {
	p, err := require(ctx, registrants...)
	if err != nil {
		return bsk.Registration{}, err
	}
	if req.ProviderID == "" {
		return bsk.Registration{}, bsk.Errors{bsk.Invalidf("/provider_id", "is required")}
	}
	var out bsk.Registration
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		off, err := t.offering(ctx, tx, p, offeringID, req.SessionID)
		if err != nil {
			return err
		}
		provRec, err := tx.Get(ctx, store.Providers, string(req.ProviderID))
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Providers, provRec)) {
			return bsk.Errors{bsk.NotFoundf("/provider_id", "unknown provider %q", req.ProviderID)}
		}
		if err != nil {
			return err
		}
		prov, err := decode[bsk.Provider]("provider", provRec)
		if err != nil {
			return err
		}
		orgRec, err := tx.Get(ctx, store.Organizations, provRec.Org)
		if err != nil {
			return err
		}
		org, err := decode[bsk.Organization]("organization", orgRec)
		if err != nil {
			return err
		}
		roster, _, err := t.roster(ctx, tx, off, req.SessionID)
		if err != nil {
			return err
		}
		at := time.Now().UTC()
		if regs := roster.Registrations(); len(regs) > 0 && at.Before(regs[len(regs)-1].At) {
			at = regs[len(regs)-1].At
		}
		reg := bsk.Registration{ID: bsk.RegistrationID(store.NewID()), OfferingID: off.ID, SessionID: req.SessionID,
			ProviderID: prov.ID, At: at, Interpretation: req.Interpretation}
		if p.Role == RoleAgency {
			reg.OrganizationID = bsk.OrganizationID(p.OrganizationID)
		}
		rules, periods, err := registrationRules(ctx, tx, off)
		if err != nil {
			return err
		}
		got, _, err := roster.Admit(ctx, rules, training.Applicant{Provider: prov, Organization: org, Offering: off, On: at}, reg)
		if ref, ok := err.(*training.Refusal); ok {
			return refusalErrors(shownRefusal(p, ref, periods, at), languageOf(ctx))
		}
		if err != nil {
			return err
		}
		doc, err := encode("registration", got)
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, store.Registrations, store.Record{ID: string(got.ID), Org: provRec.Org, Parent: string(off.ID), Doc: doc}); err != nil {
			return err
		}
		out = got
		return tx.Audit(ctx, p.KeyID, "create", "registration", string(got.ID))
	})
	return out, err
}

// refusalErrors turns a refusal into one invalid problem per reason: its
// text in language l (English where l has none), then its code and
// parameters for programs, "<text> (<code>; <param>: <value>, ...)".
func refusalErrors(r *training.Refusal, l scholarship.Lang) error {
	var out bsk.Errors
	for _, reason := range r.Verdict.Reasons {
		keys := slices.Sorted(maps.Keys(reason.Params))
		var ps []string
		for _, k := range keys {
			ps = append(ps, k+": "+reason.Params[k])
		}
		code := reason.Code
		if len(ps) > 0 {
			code += "; " + strings.Join(ps, ", ")
		}
		var text string
		if _, own := serviceReasonTexts[reason.Code]; own {
			text = serviceReasonTexts.Text(reason, l)
		} else {
			text = training.Text(reason, l)
		}
		out = append(out, bsk.Invalidf("/provider_id", "%s (%s)", text, code))
	}
	return out
}

// serviceReasonTexts are the texts of the reasons the service itself
// gives, in English and Spanish.
var serviceReasonTexts = scholarship.Texts{
	CodeAudienceRestricted: {
		scholarship.EnglishText: "In the period from {from}, this offering is open to an audience that does not include this provider.",
		scholarship.SpanishText: "En el período desde el {from}, esta oferta está abierta a un público que no incluye a este proveedor.",
	},
}

// Roster lists an offering's registrations (session: one session's) as the
// caller may see them. Errors: unauthorized for other roles; not found for
// an offering or session the caller may not see.
func (t *Trainings) Roster(ctx context.Context, offeringID string, session bsk.SessionID) (TrainingRoster, error) {
	p, err := require(ctx, registrants...)
	if err != nil {
		return TrainingRoster{}, err
	}
	var out TrainingRoster
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		off, err := t.offering(ctx, tx, p, offeringID, session)
		if err != nil {
			return err
		}
		r, orgs, err := t.roster(ctx, tx, off, session)
		if err != nil {
			return err
		}
		out = TrainingRoster{OfferingID: off.ID, SessionID: session, Capacity: r.Capacity(), Registered: len(r.Registered()),
			Waitlisted: len(r.Waitlist()), Registrations: []bsk.Registration{}}
		for _, g := range r.Registrations() {
			if p.IsStaff() || orgs[g.ID] == p.OrganizationID {
				out.Registrations = append(out.Registrations, g)
			}
		}
		return nil
	})
	return out, err
}

// Cancel withdraws a registration; when it held a seat, the first on the
// waitlist takes it and a notice is stored. The answer lists the notices
// the caller may see (an agency: its own staff's). Errors: unauthorized
// for other roles; not found for a registration the caller may not see
// or not of this offering; conflict for one already cancelled.
func (t *Trainings) Cancel(ctx context.Context, offeringID, id string) (RegistrationCancel, error) {
	p, err := require(ctx, registrants...)
	if err != nil {
		return RegistrationCancel{}, err
	}
	var out RegistrationCancel
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.Get(ctx, store.Registrations, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && (rec.Parent != offeringID || !(p.IsStaff() || rec.Org == p.OrganizationID))) {
			return bsk.NotFoundf("id", "no registration %q", id)
		}
		if err != nil {
			return err
		}
		g, err := decode[bsk.Registration]("registration", rec)
		if err != nil {
			return err
		}
		offRec, err := tx.Get(ctx, store.Offerings, offeringID)
		if err != nil {
			return err
		}
		off, err := decode[bsk.Offering]("offering", offRec)
		if err != nil {
			return err
		}
		roster, orgs, err := t.roster(ctx, tx, off, g.SessionID)
		if err != nil {
			return err
		}
		before := roster.Registrations()
		notices, err := roster.Cancel(g.ID, time.Now().UTC())
		if err != nil {
			return err
		}
		changed, shown, err := storeRosterChange(ctx, tx, p, before, roster.Registrations(), notices, orgs)
		if err != nil {
			return err
		}
		for _, after := range changed {
			if after.ID == g.ID {
				out.Registration = after
			}
		}
		out.Notices = shown
		return tx.Audit(ctx, p.KeyID, "cancel", "registration", id)
	})
	return out, err
}

// Transcript returns a provider's transcript: every session attended with
// its hours and credit, and hours by credit kind, competency area and
// year. Errors: unauthorized for the evaluator; not found for a provider
// the caller may not see.
func (t *Trainings) Transcript(ctx context.Context, providerID string) (training.Transcript, error) {
	p, err := require(ctx, RoleAdmin, RoleCoordinator, RoleAgency, RoleConsultant)
	if err != nil {
		return training.Transcript{}, err
	}
	provRec, err := t.db.Get(ctx, store.Providers, providerID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Providers, provRec)) {
		return training.Transcript{}, bsk.NotFoundf("id", "no provider %q", providerID)
	}
	if err != nil {
		return training.Transcript{}, err
	}
	prov, err := decode[bsk.Provider]("provider", provRec)
	if err != nil {
		return training.Transcript{}, err
	}
	orgRec, err := t.db.Get(ctx, store.Organizations, provRec.Org)
	if err != nil {
		return training.Transcript{}, err
	}
	org, err := decode[bsk.Organization]("organization", orgRec)
	if err != nil {
		return training.Transcript{}, err
	}
	// Only what a transcript reads: the provider (without demographics or
	// supervisor), the sessions attended and their offerings (without
	// leaders or owning organization, which it does not show).
	prov.Demographics, prov.ReportsTo = bsk.Demographics{}, ""
	w := bsk.Workforce{Organizations: []bsk.Organization{org}, Providers: []bsk.Provider{prov}}
	att, err := attendedCatalog(ctx, t.db, provRec.Org, func(id bsk.ProviderID) bool { return id == prov.ID }, &w)
	if err != nil {
		return training.Transcript{}, err
	}
	c, err := training.NewCatalog(w)
	if err != nil {
		return training.Transcript{}, bsk.Errorf(bsk.CodeInternal, "stored records of provider %s: %w", prov.ID, err)
	}
	return c.Transcript(att, prov.ID)
}

// Reach reports who the trainings reach and keep (kinds: the offering
// kinds counted, none meaning trainings), every table suppressed under
// Washington's small-numbers standard. Errors: unauthorized for roles
// other than the administrator and coordinators; invalid for an unknown
// offering kind.
func (t *Trainings) Reach(ctx context.Context, kinds []bsk.OfferingKind) (training.Reach, error) {
	if _, err := require(ctx, RoleAdmin, RoleCoordinator); err != nil {
		return training.Reach{}, err
	}
	for i, k := range kinds {
		if !k.Valid() {
			return training.Reach{}, bsk.Errors{bsk.Invalidf(bsk.Index("kind", i), "unknown offering kind code %q", k)}
		}
	}
	var w bsk.Workforce
	if err := loadAll(ctx, t.db, store.Organizations, "organization", &w.Organizations); err != nil {
		return training.Reach{}, err
	}
	if err := loadAll(ctx, t.db, store.Providers, "provider", &w.Providers); err != nil {
		return training.Reach{}, err
	}
	if err := loadAll(ctx, t.db, store.Offerings, "offering", &w.Offerings); err != nil {
		return training.Reach{}, err
	}
	if err := loadAll(ctx, t.db, store.Sessions, "session", &w.Sessions); err != nil {
		return training.Reach{}, err
	}
	var att []bsk.Attendance
	if err := loadAll(ctx, t.db, store.Attendance, "attendance record", &att); err != nil {
		return training.Reach{}, err
	}
	for i := range w.Providers {
		w.Providers[i].Demographics = bsk.Demographics{} // reach reads none
	}
	c, err := training.NewCatalog(w)
	if err != nil {
		return training.Reach{}, bsk.Errorf(bsk.CodeInternal, "stored workforce: %w", err)
	}
	return c.Reach(att, training.ReachOptions{Kinds: kinds, Disclosure: survey.WADOH()})
}

// loadAll decodes every record of kind into out.
func loadAll[T any](ctx context.Context, db *store.DB, kind store.Kind, entity string, out *[]T) error {
	return scanAll(ctx, db, kind, store.Filter{}, func(rec store.Record) error {
		v, err := decode[T](entity, rec)
		if err != nil {
			return err
		}
		*out = append(*out, v)
		return nil
	})
}
