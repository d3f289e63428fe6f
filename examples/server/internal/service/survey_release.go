package service

import (
	"context"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// ReleaseRequest is what may be published from an import, and under
// which disclosure standard.
type ReleaseRequest struct {
	// Standard names a preset: wa_doh, phskc, nchs, or unsuppressed
	// (administrators only; its figures are then readable by
	// administrators only).
	Standard string `json:"standard"`
	// Population is the eligible population's size; 0 means unknown.
	Population int `json:"population,omitempty"`
	// Race is how multi-race respondents count: alone_or_in_combination
	// (the default) or multiple.
	Race survey.RaceMode `json:"race,omitempty"`
	// Items may be published; empty means every item but free text and
	// numbers.
	Items []string `json:"items,omitempty"`
	// Breakdowns may be published, each a list of dimensions crossed.
	Breakdowns [][]survey.Dimension `json:"breakdowns,omitempty"`
	// Interval names the intervals' method: beta (Korn-Graubard on the
	// design-based effective n, R's svyciprop "beta"), logit, wilson or
	// clopper_pearson; empty takes beta for weighted or designed data and
	// wilson otherwise. Every published cell carries its standard error.
	Interval survey.Interval `json:"interval,omitempty"`
}

// ImportRelease is an import's release as stored with the import: set
// once, by an evaluator or an administrator.
type ImportRelease struct {
	ReleaseRequest
	ReleasedBy string `json:"released_by"`
	// ReleasedAt is UTC, written in RFC 3339.
	ReleasedAt time.Time `json:"released_at"`
	// WithheldBreakdowns are the requested breakdowns that are not
	// published: with them a hidden cell could not be protected (see
	// survey.Publication.WithheldBreakdowns).
	WithheldBreakdowns [][]survey.Dimension `json:"withheld_breakdowns,omitempty"`
	// WithheldItems are the items not published at all.
	WithheldItems []string `json:"withheld_items,omitempty"`
	// RolledUp lists the withheld breakdowns by detailed race group that
	// are published by minimum category instead (see
	// survey.Publication.RolledUp).
	RolledUp []survey.RollUp `json:"rolled_up,omitempty"`
}

// release turns the stored request into the library's release.
func (r ImportRelease) release() survey.Release {
	d := survey.Presets()[r.Standard]
	return survey.Release{Standard: d, Population: r.Population, Race: r.Race, Items: r.Items, Breakdowns: r.Breakdowns, Interval: r.Interval}
}

// Release sets an import's release, once, and returns the import with it.
//
// Errors: invalid naming the field of a bad release (an unknown standard,
// item or dimension, more than survey.MaxBreakdowns breakdowns or
// survey.MaxDimensions dimensions in one, tables of more than
// survey.MaxReleaseCells cells); not_found for an unknown import;
// conflict when the import is not done or already released;
// unauthorized for a role that may not release, and for unsuppressed
// figures released by anyone but an administrator.
func (s *Surveys) Release(ctx context.Context, id string, req ReleaseRequest) (SurveyImport, error) {
	p, err := require(ctx, SurveyEditors()...)
	if err != nil {
		return SurveyImport{}, err
	}
	d, ok := survey.Presets()[req.Standard]
	if !ok {
		return SurveyImport{}, bsk.Errors{bsk.Invalidf("standard", "unknown disclosure standard %q (wa_doh, phskc, nchs or unsuppressed)", req.Standard)}
	}
	if err := mayRelease(p, d); err != nil {
		return SurveyImport{}, err
	}
	imp, err := s.storedImport(ctx, id)
	if err != nil {
		return SurveyImport{}, err
	}
	if imp.Release != nil {
		return SurveyImport{}, bsk.Errorf(bsk.CodeConflict, "import %q was released by %s at %s; a release is set once", id, imp.Release.ReleasedBy, imp.Release.ReleasedAt.Format(time.RFC3339))
	}
	set, err := s.setOf(ctx, id)
	if err != nil {
		return SurveyImport{}, err
	}
	rel := ImportRelease{ReleaseRequest: req, ReleasedBy: p.KeyID, ReleasedAt: time.Now().UTC()}
	pub, err := set.Publish(rel.release())
	if err != nil {
		return SurveyImport{}, err
	}
	rel.WithheldBreakdowns, rel.WithheldItems, rel.RolledUp = pub.WithheldBreakdowns, pub.Withheld, pub.RolledUp
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.Get(ctx, store.SurveyImports, id)
		if err != nil {
			return err
		}
		cur, err := decode[SurveyImport]("import", rec)
		if err != nil {
			return err
		}
		if cur.Release != nil {
			return bsk.Errorf(bsk.CodeConflict, "import %q was released meanwhile; a release is set once", id)
		}
		cur.Release = &rel
		if rec.Doc, err = encode("import", cur); err != nil {
			return err
		}
		if err := tx.Update(ctx, store.SurveyImports, rec); err != nil {
			return err
		}
		imp = cur
		return tx.Audit(ctx, p.KeyID, "release", "survey", id)
	})
	if err != nil {
		return SurveyImport{}, err
	}
	s.cache.putPublication(id, pub)
	return imp, nil
}

// published returns a released import's published tables, computed once
// and cached: not found for an unknown import, conflict before the
// release, unauthorized to anyone but an administrator for an
// unsuppressed release.
func (s *Surveys) published(ctx context.Context, p Principal, id string) (*survey.Publication, error) {
	imp, err := s.storedImport(ctx, id)
	if err != nil {
		return nil, err
	}
	if imp.Status != RunDone {
		return nil, bsk.Errorf(bsk.CodeConflict, "import %q is %s; reports exist once it is done and released", id, imp.Status)
	}
	if imp.Release == nil {
		return nil, bsk.Errorf(bsk.CodeConflict, "import %q is not released: nothing is published before an evaluator or administrator sets its release (POST /imports/%s/release)", id, id)
	}
	if err := mayReadRelease(p, id, imp.Release); err != nil {
		return nil, err
	}
	if pub := s.cache.publication(id); pub != nil {
		return pub, nil
	}
	set, err := s.setOf(ctx, id)
	if err != nil {
		return nil, err
	}
	pub, err := set.Publish(imp.Release.release())
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored release of import %q: %w", id, err)
	}
	s.cache.putPublication(id, pub)
	return pub, nil
}

// setOf returns a finished import's responses, parsed from the stored file
// once and then cached.
func (s *Surveys) setOf(ctx context.Context, id string) (*survey.Set, error) {
	if set := s.cache.set(id); set != nil {
		return set, nil
	}
	imp, err := s.storedImport(ctx, id)
	if err != nil {
		return nil, err
	}
	if imp.Status != RunDone {
		return nil, bsk.Errorf(bsk.CodeConflict, "import %q is %s; reports exist once it is done", id, imp.Status)
	}
	si, err := s.instrument(ctx, imp.InstrumentID)
	if err != nil {
		return nil, err
	}
	rec, err := s.db.Get(ctx, store.SurveyData, id)
	if err != nil {
		return nil, err
	}
	d, err := decode[surveyData]("survey data", rec)
	if err != nil {
		return nil, err
	}
	set, _, err := parseSurvey(si, d, strings.NewReader(d.File), nil)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored survey data %q no longer parses: %w", id, err)
	}
	s.cache.putSet(id, set)
	return set, nil
}
