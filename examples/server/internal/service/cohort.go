package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/training"
)

// The access policy for certificate cohorts, in one place:
//
//	create a cohort with its modules,   admin, coordinator
//	its interpreters
//	read a cohort, enrol, withdraw,     admin, coordinator; agency: its
//	completion                          own staff (the counts of seats and
//	                                    waitlist, never another agency's
//	                                    participants)
//
// As everywhere, a record the caller may not see reads like one that does
// not exist: an agency withdrawing another agency's participant gets
// not_found "no registration".

// CohortRoles are the roles that read cohorts and enrol their staff.
var CohortRoles = []Role{RoleAdmin, RoleCoordinator, RoleAgency}

// CohortRequest creates a certificate cohort: its offering (kind
// certificate_cohort, open to every agency) and its modules, each a
// session of the offering with a clinician and a mentor on file.
type CohortRequest struct {
	// Offering is the cohort's offering; capacity 0 means 100.
	Offering bsk.Offering `json:"offering"`
	// Modules are the cohort's day-long modules, over at most 14 months.
	Modules []training.Module `json:"modules" jsonschema:"minItems=1,maxItems=64"`
	// Required is how many modules a participant attends to complete; 0
	// means every module.
	Required int `json:"required,omitempty" jsonschema:"minimum=0"`
}

// cohortDoc is a cohort as stored: the offering and the modules' sessions
// are stored as offerings and sessions.
type cohortDoc struct {
	Modules  []training.Module `json:"modules"`
	Required int               `json:"required"`
}

// CohortView is a cohort as the caller may see it.
type CohortView struct {
	// Offering is the cohort's offering.
	Offering bsk.Offering `json:"offering"`
	// Modules are its modules in time order.
	Modules []training.Module `json:"modules"`
	// Required is how many modules a participant attends to complete.
	Required int `json:"required"`
	// Capacity is the most participants.
	Capacity int `json:"capacity"`
	// Enrolled and Waitlisted count every participant holding a seat and
	// every registration waiting.
	Enrolled   int `json:"enrolled"`
	Waitlisted int `json:"waitlisted"`
	// Registrations lists the registrations the caller may see (an
	// agency: its own staff's), withdrawn ones included, in the order made.
	Registrations []bsk.Registration `json:"registrations"`
}

// CohortEnrolment asks for a provider's place in a cohort.
type CohortEnrolment struct {
	// ProviderID is the participant.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// Interpretation is the language an interpreter is asked for, if any;
	// ASL is "ase".
	Interpretation bsk.Language `json:"interpretation,omitempty"`
}

// CohortWithdrawal is a withdrawn registration and the promotions from the
// waitlist it caused that the caller may see.
type CohortWithdrawal struct {
	// Registration is the registration withdrawn.
	Registration bsk.Registration `json:"registration"`
	// Notices are the promotions the caller may see.
	Notices []bsk.WaitlistNotice `json:"notices"`
}

// CohortInterpretation is the interpreters to book for a cohort's modules.
type CohortInterpretation struct {
	// CohortID is the cohort's offering.
	CohortID bsk.OfferingID `json:"cohort_id"`
	// Bookings are one per module and language, in module order.
	Bookings []bsk.InterpreterBooking `json:"bookings"`
}

// CohortCompletion is the participants' completion at a time.
type CohortCompletion struct {
	// CohortID is the cohort's offering.
	CohortID bsk.OfferingID `json:"cohort_id"`
	// AsOf is the time the standing is taken at.
	AsOf time.Time `json:"as_of"`
	// Modules counts the cohort's modules; Required those a participant
	// attends to complete.
	Modules  int `json:"modules"`
	Required int `json:"required"`
	// Participants are the participants the caller may see (an agency:
	// its own staff), holding a seat or withdrawn, in the order enrolled.
	Participants []training.Completion `json:"participants"`
}

// CreateCohort stores a cohort: its offering, a session per module and
// the modules' clinicians and mentors. Errors: unauthorized for roles
// other than the administrator and coordinators; invalid for a cohort the
// library refuses (each problem a JSON pointer: a module without a mentor
// is /modules/3/mentor) or an offering of one organization; not_found for
// a clinician or mentor not on file (/modules/i/clinician); conflict for
// an offering or a module session that exists.
func (pr *Program) CreateCohort(ctx context.Context, req CohortRequest) (CohortView, error) {
	p, err := require(ctx, ProgramRoles...)
	if err != nil {
		return CohortView{}, err
	}
	c, err := training.NewCohort(req.Offering, req.Modules, req.Required)
	if err != nil {
		return CohortView{}, pointers(err)
	}
	if req.Offering.OrganizationID != "" {
		return CohortView{}, bsk.Errors{bsk.Invalidf("/offering/organization_id", "a certificate cohort is open to every agency: no organization")}
	}
	var out CohortView
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		var problems bsk.Problems
		for i, m := range req.Modules {
			for _, who := range []struct {
				field string
				id    bsk.ProviderID
			}{{"clinician", m.Clinician}, {"mentor", m.Mentor}} {
				if ok, err := tx.Exists(ctx, store.Providers, string(who.id)); err != nil {
					return err
				} else if !ok {
					problems.AddCode(bsk.CodeNotFound, fmt.Sprintf("/modules/%d/%s", i, who.field), "module %q: unknown provider %q", m.ID, who.id)
				}
			}
		}
		if err := problems.Err(); err != nil {
			return err
		}
		off := c.Offering()
		doc, err := encode("offering", off)
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, store.Offerings, store.Record{ID: string(off.ID), Doc: doc}); err != nil {
			return err
		}
		for _, s := range c.Sessions() {
			doc, err := encode("session", s)
			if err != nil {
				return err
			}
			if err := tx.Insert(ctx, store.Sessions, store.Record{ID: string(s.ID), Parent: string(off.ID), Doc: doc}); err != nil {
				return err
			}
		}
		doc, err = encode("cohort", cohortDoc{Modules: c.Modules(), Required: c.Required()})
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, store.Cohorts, store.Record{ID: string(off.ID), Doc: doc}); err != nil {
			return err
		}
		out = view(p, c, nil)
		return tx.Audit(ctx, p.KeyID, "create", "cohort", string(off.ID))
	})
	return out, err
}

// cohort reads a stored cohort with its registrations and their stored
// organizations, or not found.
func (pr *Program) cohort(ctx context.Context, tx *store.Tx, id string) (*training.Cohort, map[bsk.RegistrationID]string, error) {
	rec, err := tx.Get(ctx, store.Cohorts, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return nil, nil, bsk.NotFoundf("id", "no cohort %q", id)
	}
	if err != nil {
		return nil, nil, err
	}
	doc, err := decode[cohortDoc]("cohort", rec)
	if err != nil {
		return nil, nil, err
	}
	offRec, err := tx.Get(ctx, store.Offerings, id)
	if err != nil {
		return nil, nil, err
	}
	off, err := decode[bsk.Offering]("offering", offRec)
	if err != nil {
		return nil, nil, err
	}
	var regs []bsk.Registration
	orgs := map[bsk.RegistrationID]string{}
	err = scanAll(ctx, tx, store.Registrations, store.Filter{Parent: id}, func(rec store.Record) error {
		g, err := decode[bsk.Registration]("registration", rec)
		if err != nil {
			return err
		}
		if g.SessionID == "" {
			regs = append(regs, g)
			orgs[g.ID] = rec.Org
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	c, err := training.NewCohort(off, doc.Modules, doc.Required, regs...)
	if err != nil {
		return nil, nil, bsk.Errorf(bsk.CodeInternal, "stored cohort %s: %w", id, err)
	}
	return c, orgs, nil
}

// view is a cohort as p may see it: an agency sees its own staff's
// registrations only.
func view(p Principal, c *training.Cohort, orgs map[bsk.RegistrationID]string) CohortView {
	out := CohortView{Offering: c.Offering(), Modules: c.Modules(), Required: c.Required(), Capacity: c.Roster().Capacity(),
		Enrolled: len(c.Participants()), Waitlisted: len(c.Roster().Waitlist()), Registrations: []bsk.Registration{}}
	for _, g := range c.Roster().Registrations() {
		if p.IsStaff() || orgs[g.ID] == p.OrganizationID {
			out.Registrations = append(out.Registrations, g)
		}
	}
	return out
}

// Cohort returns a cohort as the caller may see it. Errors: unauthorized
// for the consultant and evaluator; not_found for no such cohort.
func (pr *Program) Cohort(ctx context.Context, id string) (CohortView, error) {
	p, err := require(ctx, CohortRoles...)
	if err != nil {
		return CohortView{}, err
	}
	var out CohortView
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		c, orgs, err := pr.cohort(ctx, tx, id)
		if err != nil {
			return err
		}
		out = view(p, c, orgs)
		return nil
	})
	return out, err
}

// Enrol gives a provider a seat in a cohort, or a place on its waitlist
// when it is full. Errors: unauthorized for the consultant and evaluator;
// not_found for no such cohort, or a provider the caller may not see (an
// agency enrols its own staff only: /provider_id); conflict for a
// provider already enrolled or waiting; invalid for an unknown language.
func (pr *Program) Enrol(ctx context.Context, id string, req CohortEnrolment) (bsk.Registration, error) {
	p, err := require(ctx, CohortRoles...)
	if err != nil {
		return bsk.Registration{}, err
	}
	if req.ProviderID == "" {
		return bsk.Registration{}, bsk.Errors{bsk.Invalidf("/provider_id", "is required")}
	}
	var out bsk.Registration
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		c, _, err := pr.cohort(ctx, tx, id)
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
		at := time.Now().UTC()
		if regs := c.Roster().Registrations(); len(regs) > 0 && at.Before(regs[len(regs)-1].At) {
			at = regs[len(regs)-1].At
		}
		reg := bsk.Registration{ID: bsk.RegistrationID(store.NewID()), OfferingID: bsk.OfferingID(id), ProviderID: req.ProviderID,
			At: at, Interpretation: req.Interpretation}
		if p.Role == RoleAgency {
			reg.OrganizationID = bsk.OrganizationID(p.OrganizationID)
		}
		got, err := c.Enrol(reg)
		if err != nil {
			return pointers(err)
		}
		doc, err := encode("registration", got)
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, store.Registrations, store.Record{ID: string(got.ID), Org: provRec.Org, Parent: id, Doc: doc}); err != nil {
			return err
		}
		out = got
		return tx.Audit(ctx, p.KeyID, "create", "registration", string(got.ID))
	})
	return out, err
}

// Withdraw withdraws a cohort registration; a participant's seat goes to
// the first on the waitlist, whose notice is stored. The answer lists the
// notices the caller may see (an agency: its own staff's). Errors:
// unauthorized for the consultant and evaluator; not_found for no such
// cohort, or a registration the caller may not see or not of the cohort;
// conflict for one already withdrawn.
func (pr *Program) Withdraw(ctx context.Context, id, regID string) (CohortWithdrawal, error) {
	p, err := require(ctx, CohortRoles...)
	if err != nil {
		return CohortWithdrawal{}, err
	}
	var out CohortWithdrawal
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		c, orgs, err := pr.cohort(ctx, tx, id)
		if err != nil {
			return err
		}
		org, ok := orgs[bsk.RegistrationID(regID)]
		if !ok || !(p.IsStaff() || org == p.OrganizationID) {
			return bsk.NotFoundf("id", "no registration %q", regID)
		}
		before := c.Roster().Registrations()
		notices, err := c.Withdraw(bsk.RegistrationID(regID), time.Now().UTC())
		if err != nil {
			return err
		}
		changed, shown, err := storeRosterChange(ctx, tx, p, before, c.Roster().Registrations(), notices, orgs)
		if err != nil {
			return err
		}
		for _, after := range changed {
			if string(after.ID) == regID {
				out.Registration = after
			}
		}
		out.Notices = shown
		return tx.Audit(ctx, p.KeyID, "cancel", "registration", regID)
	})
	return out, err
}

// CohortInterpreters returns the interpreters to book for a cohort's
// modules, from its seated participants' languages and requests
// ([training.Cohort.Interpretation]). Errors: unauthorized for roles
// other than the administrator and coordinators; not_found for no such
// cohort.
func (pr *Program) CohortInterpreters(ctx context.Context, id string) (CohortInterpretation, error) {
	if _, err := require(ctx, ProgramRoles...); err != nil {
		return CohortInterpretation{}, err
	}
	var out CohortInterpretation
	err := pr.db.Write(ctx, func(tx *store.Tx) error {
		c, _, err := pr.cohort(ctx, tx, id)
		if err != nil {
			return err
		}
		// Only what the plan reads: the participants' languages and their
		// organizations, without demographics or supervisors.
		var w bsk.Workforce
		seenOrg := map[string]bool{}
		for _, reg := range c.Participants() {
			rec, err := tx.Get(ctx, store.Providers, string(reg.ProviderID))
			if err != nil {
				return err
			}
			pv, err := decode[bsk.Provider]("provider", rec)
			if err != nil {
				return err
			}
			pv.Demographics, pv.ReportsTo = bsk.Demographics{}, ""
			w.Providers = append(w.Providers, pv)
			if seenOrg[rec.Org] {
				continue
			}
			seenOrg[rec.Org] = true
			orgRec, err := tx.Get(ctx, store.Organizations, rec.Org)
			if err != nil {
				return err
			}
			o, err := decode[bsk.Organization]("organization", orgRec)
			if err != nil {
				return err
			}
			w.Organizations = append(w.Organizations, o)
		}
		plan, err := c.Interpretation(w, training.InterpretOptions{})
		if err != nil {
			return bsk.Errorf(bsk.CodeInternal, "stored participants of cohort %s: %w", id, err)
		}
		out = CohortInterpretation{CohortID: bsk.OfferingID(id), Bookings: plan}
		if out.Bookings == nil {
			out.Bookings = []bsk.InterpreterBooking{}
		}
		return nil
	})
	return out, err
}

// CohortCompletion returns each participant's completion at asOf (nil:
// now) from the attendance recorded at the cohort's modules. An agency
// sees its own staff only. Errors: unauthorized for the consultant and
// evaluator; not_found for no such cohort.
func (pr *Program) CohortCompletion(ctx context.Context, id string, asOf *time.Time) (CohortCompletion, error) {
	p, err := require(ctx, CohortRoles...)
	if err != nil {
		return CohortCompletion{}, err
	}
	at := time.Now().UTC()
	if asOf != nil {
		at = asOf.UTC()
	}
	var out CohortCompletion
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		c, orgs, err := pr.cohort(ctx, tx, id)
		if err != nil {
			return err
		}
		var att []bsk.Attendance
		for _, m := range c.Modules() {
			err := scanAll(ctx, tx, store.Attendance, store.Filter{Parent: string(m.ID)}, func(rec store.Record) error {
				a, err := decode[bsk.Attendance]("attendance record", rec)
				if err != nil {
					return err
				}
				att = append(att, a)
				return nil
			})
			if err != nil {
				return err
			}
		}
		out = CohortCompletion{CohortID: bsk.OfferingID(id), AsOf: at, Modules: len(c.Modules()), Required: c.Required(), Participants: []training.Completion{}}
		for _, cp := range c.Completion(att, at) {
			if p.IsStaff() || orgs[cp.RegistrationID] == p.OrganizationID {
				out.Participants = append(out.Participants, cp)
			}
		}
		return nil
	})
	return out, err
}

// pointers renames the fields of a library error as JSON pointers:
// modules[3].mentor is /modules/3/mentor.
func pointers(err error) error {
	return renameFields(listOf(err), func(field string) string {
		if field != "" && !strings.HasPrefix(field, "/") {
			return "/" + pointerPath.Replace(field)
		}
		return field
	})
}
