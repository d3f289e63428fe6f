package service

import (
	"context"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// RCRunRequest starts a reflective consultation run whose consultants
// are checked first.
type RCRunRequest struct {
	// Run is the grouping run; its preset must be reflective consultation.
	Run GroupingRunRequest `json:"run"`
	// RequireLeaderTraining, when set, lets only the consultants who have
	// completed the Reflective Practice training and intergroup dialogue
	// (see [training.LeaderRule]), as their attendance on file shows, lead
	// the run's groups.
	RequireLeaderTraining bool `json:"require_leader_training,omitempty"`
}

// RCRun is a started run with the consultants who may not lead yet.
type RCRun struct {
	// Run is the run started.
	Run GroupingRun `json:"run"`
	// NotEligible lists the consultants left out, and why.
	NotEligible []IneligibleLeader `json:"not_eligible"`
}

// IneligibleLeader is a consultant who may not lead yet.
type IneligibleLeader struct {
	// ID is the consultant's provider ID.
	ID bsk.ProviderID `json:"id"`
	// Name is their name as on file.
	Name string `json:"name"`
	// Reasons say what they have not completed.
	Reasons []ReasonText `json:"reasons"`
}

// StartRC starts a reflective consultation run; with
// RequireLeaderTraining, only consultants who meet the leader
// requirements lead (the run's leader_ids, or every consultant on file,
// checked), and the others are listed with their reasons, in the
// language ctx carries ([WithLanguage]).
//
// Errors: those of [Grouping.Start]; invalid (/run/preset not reflective
// consultation); conflict (no consultant meets the requirements).
func (pr *Program) StartRC(ctx context.Context, req RCRunRequest) (RCRun, error) {
	if _, err := require(ctx, ProgramRoles...); err != nil {
		return RCRun{}, err
	}
	if req.Run.Preset != grouping.ReflectiveConsultationPreset {
		return RCRun{}, bsk.Errors{bsk.Invalidf("/run/preset", "must be %q", grouping.ReflectiveConsultationPreset)}
	}
	out := RCRun{NotEligible: []IneligibleLeader{}}
	if req.RequireLeaderTraining {
		people, err := pr.grouping.providers(ctx)
		if err != nil {
			return RCRun{}, err
		}
		var candidates []bsk.Provider
		for _, pv := range people {
			if (len(req.Run.LeaderIDs) == 0 && pv.Role == bsk.RoleConsultant) || slices.Contains(req.Run.LeaderIDs, string(pv.ID)) {
				candidates = append(candidates, pv)
			}
		}
		leaders, err := pr.leaderRecords(ctx, candidates)
		if err != nil {
			return RCRun{}, err
		}
		set := scholarship.RuleSet[training.Leader]{Rules: []scholarship.Rule[training.Leader]{training.LeaderRule(nil)}}
		var ok []string
		for i, v := range set.Evaluate(ctx, leaders) {
			if v.Outcome == scholarship.Eligible {
				ok = append(ok, string(candidates[i].ID))
				continue
			}
			il := IneligibleLeader{ID: candidates[i].ID, Name: candidates[i].Name}
			for _, r := range v.Reasons {
				il.Reasons = append(il.Reasons, ReasonText{Code: r.Code, Params: r.Params, Text: training.Text(r, languageOf(ctx))})
			}
			out.NotEligible = append(out.NotEligible, il)
		}
		if len(ok) == 0 {
			return RCRun{}, bsk.Errorf(bsk.CodeConflict, "none of the %d consultants has completed the Reflective Practice training and intergroup dialogue", len(candidates))
		}
		req.Run.LeaderIDs = ok
	}
	run, err := pr.grouping.Start(ctx, req.Run)
	if err != nil {
		return RCRun{}, err
	}
	out.Run = run
	return out, nil
}

// leaderRecords gathers each candidate's attendance of trainings and
// intergroup dialogues (see [training.LeadersOf]).
func (pr *Program) leaderRecords(ctx context.Context, candidates []bsk.Provider) ([]training.Leader, error) {
	var offs []bsk.Offering
	var sessions []bsk.Session
	var att []bsk.Attendance
	ids := make([]bsk.ProviderID, len(candidates))
	want := map[string]bool{}
	for i, c := range candidates {
		ids[i] = c.ID
		want[string(c.ID)] = true
	}
	err := scanAll(ctx, pr.db, store.Offerings, store.Filter{}, func(rec store.Record) error {
		o, err := decode[bsk.Offering]("offering", rec)
		if err != nil || (o.Kind != bsk.OfferingTraining && o.Kind != bsk.OfferingIntergroupDialogue) {
			return err
		}
		offs = append(offs, o)
		return scanAll(ctx, pr.db, store.Sessions, store.Filter{Parent: rec.ID}, func(rec store.Record) error {
			s, err := decode[bsk.Session]("session", rec)
			sessions = append(sessions, s)
			if err != nil {
				return err
			}
			return scanAll(ctx, pr.db, store.Attendance, store.Filter{Parent: rec.ID}, func(rec store.Record) error {
				a, err := decode[bsk.Attendance]("attendance record", rec)
				if err == nil && want[string(a.ProviderID)] {
					att = append(att, a)
				}
				return err
			})
		})
	})
	if err != nil {
		return nil, err
	}
	return training.LeadersOf(ids, offs, sessions, att), nil
}
