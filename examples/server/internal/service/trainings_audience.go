package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// OfferingAudience is who may join an offering: the date-effective periods
// of its [training.Audience] rule. Registration applies the first period
// that covers the day of the request; a day no period covers is refused
// ([training.CodeNotOpen]). An offering without one is open to everyone
// who may see it.
type OfferingAudience struct {
	// OfferingID is the offering.
	OfferingID bsk.OfferingID `json:"offering_id"`
	// Periods are the rule's periods; empty means no rule.
	Periods []training.AudiencePeriod `json:"periods"`
}

// CodeAudienceRestricted is the reason a refusal gives, in place of the
// audience rule's reasons, to a caller who may not read the provider's
// demographics when the period in force has a demographic condition
// (params: from, until): the refusal says the period's audience does not
// include the provider, not which of its conditions they do not meet.
const CodeAudienceRestricted = "audience_restricted"

// audienceRule is the rule name a stored audience is evaluated under.
const audienceRule = "offering_audience"

// Audience returns an offering's audience. Errors: unauthorized for roles
// that do not register; not found for an offering the caller may not see.
func (t *Trainings) Audience(ctx context.Context, offeringID string) (OfferingAudience, error) {
	p, err := require(ctx, registrants...)
	if err != nil {
		return OfferingAudience{}, err
	}
	var out OfferingAudience
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		off, err := t.offering(ctx, tx, p, offeringID, "")
		if err != nil {
			return err
		}
		out, err = audienceOf(ctx, tx, off.ID)
		return err
	})
	return out, err
}

// SetAudience replaces an offering's audience (no periods: removes it).
// Errors: unauthorized for roles other than the administrator and
// coordinators; not found for an unknown offering; invalid naming the
// field (/periods/<i>/from, /periods/<i>/until, /periods/<i>/roles/<j>).
func (t *Trainings) SetAudience(ctx context.Context, offeringID string, a OfferingAudience) (OfferingAudience, error) {
	p, err := require(ctx, RoleAdmin, RoleCoordinator)
	if err != nil {
		return OfferingAudience{}, err
	}
	var pr bsk.Problems
	for i, per := range a.Periods {
		f := fmt.Sprintf("/periods/%d", i)
		if per.From.IsZero() {
			pr.Add(f+"/from", "is required")
		}
		if !per.Until.IsZero() && !per.Until.After(per.From) {
			pr.Add(f+"/until", "%s is not after from (%s)", per.Until.Format(time.DateOnly), per.From.Format(time.DateOnly))
		}
		for j, r := range per.Roles {
			if !r.Valid() {
				pr.Add(fmt.Sprintf("%s/roles/%d", f, j), "unknown role code %q", r)
			}
		}
	}
	if err := pr.Err(); err != nil {
		return OfferingAudience{}, err
	}
	var out OfferingAudience
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		off, err := t.offering(ctx, tx, p, offeringID, "")
		if err != nil {
			return err
		}
		out = OfferingAudience{OfferingID: off.ID, Periods: a.Periods}
		if out.Periods == nil {
			out.Periods = []training.AudiencePeriod{}
		}
		exists, err := tx.Exists(ctx, store.Audiences, string(off.ID))
		if err != nil {
			return err
		}
		switch {
		case len(out.Periods) == 0 && exists:
			err = tx.Delete(ctx, store.Audiences, string(off.ID))
		case len(out.Periods) > 0:
			doc, derr := encode("audience", out)
			if derr != nil {
				return derr
			}
			rec := store.Record{ID: string(off.ID), Parent: string(off.ID), Doc: doc}
			if exists {
				err = tx.Update(ctx, store.Audiences, rec)
			} else {
				err = tx.Insert(ctx, store.Audiences, rec)
			}
		}
		if err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "update", "offering audience", string(off.ID))
	})
	return out, err
}

// audienceOf reads an offering's stored audience (no periods when none).
func audienceOf(ctx context.Context, tx *store.Tx, id bsk.OfferingID) (OfferingAudience, error) {
	rec, err := tx.Get(ctx, store.Audiences, string(id))
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return OfferingAudience{OfferingID: id, Periods: []training.AudiencePeriod{}}, nil
	}
	if err != nil {
		return OfferingAudience{}, err
	}
	return decode[OfferingAudience]("audience", rec)
}

// registrationRules are the rules a registration for off is judged by: an
// organization's own group takes only its staff, and the offering's
// stored audience, if any, which it also returns.
func registrationRules(ctx context.Context, tx *store.Tx, off bsk.Offering) (scholarship.RuleSet[training.Applicant], []training.AudiencePeriod, error) {
	rules := []scholarship.Rule[training.Applicant]{training.SameOrganization()}
	a, err := audienceOf(ctx, tx, off.ID)
	if err != nil {
		return scholarship.RuleSet[training.Applicant]{}, nil, err
	}
	if len(a.Periods) > 0 {
		rules = append(rules, training.Audience(audienceRule, a.Periods...))
	}
	return scholarship.RuleSet[training.Applicant]{Rules: rules}, a.Periods, nil
}

// shownRefusal is a refusal as p may read it. For a caller who may not
// read the provider's demographics, when the audience period in force on
// the day asked has a demographic condition (BIPOC only), the audience
// rule's reasons become one [CodeAudienceRestricted] reason naming the
// period: whether or not the demographic condition is among the reasons,
// the answer has the same shape, so it tells nothing of the provider's
// demographics beyond what the refusal itself does.
func shownRefusal(p Principal, r *training.Refusal, periods []training.AudiencePeriod, on time.Time) *training.Refusal {
	if p.SeesDemographics() {
		return r
	}
	i := slices.IndexFunc(periods, func(x training.AudiencePeriod) bool {
		return !on.Before(x.From) && (x.Until.IsZero() || on.Before(x.Until))
	})
	if i < 0 || !periods[i].BIPOCOnly {
		return r
	}
	out := *r
	out.Verdict.Reasons = nil
	audience := false
	for _, x := range r.Verdict.Reasons {
		if x.Rule == audienceRule {
			audience = true
			continue
		}
		out.Verdict.Reasons = append(out.Verdict.Reasons, x)
	}
	if audience {
		span := map[string]string{"from": periods[i].From.Format(time.DateOnly), "until": ""}
		if !periods[i].Until.IsZero() {
			span["until"] = periods[i].Until.Format(time.DateOnly)
		}
		out.Verdict.Reasons = append(out.Verdict.Reasons, scholarship.Reason{Code: CodeAudienceRestricted, Rule: audienceRule,
			Field: "provider_id", Outcome: scholarship.Ineligible, Params: span})
	}
	return &out
}

// deleteAudienceOf deletes an offering's audience with the offering, so
// that an offering later created with the same ID starts open.
func deleteAudienceOf(ctx context.Context, tx *store.Tx, p Principal, id string) error {
	ok, err := tx.Exists(ctx, store.Audiences, id)
	if err != nil || !ok {
		return err
	}
	if err := tx.Delete(ctx, store.Audiences, id); err != nil {
		return err
	}
	return tx.Audit(ctx, p.KeyID, "delete", "offering audience", id)
}
