package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// CalendarRoles are the roles that read the program calendar.
var CalendarRoles = []Role{RoleAdmin, RoleCoordinator, RoleAgency}

// Calendar is every session of a month the caller may see.
type Calendar struct {
	// Month is the month, "2026-03".
	Month string `json:"month"`
	// TimeZone is the zone the month is read in.
	TimeZone string `json:"time_zone"`
	// Sessions are the month's sessions, in time then ID order.
	Sessions []CalendarSession `json:"sessions"`
	// Unled are the reflective consultation groups meeting this month
	// without a consultant.
	Unled []bsk.OfferingID `json:"unled"`
}

// CalendarSession is one session with what a coordinator plans it by.
type CalendarSession struct {
	// SessionID is the session.
	SessionID bsk.SessionID `json:"session_id"`
	// OfferingID is its offering.
	OfferingID bsk.OfferingID `json:"offering_id"`
	// Title is the offering's title.
	Title string `json:"title"`
	// Kind is the offering's kind.
	Kind bsk.OfferingKind `json:"kind"`
	// Starts is when it begins (UTC).
	Starts time.Time `json:"starts"`
	// Minutes is how long it lasts.
	Minutes int `json:"minutes"`
	// Leaders are its leaders, with their names.
	Leaders []RosterMember `json:"leaders"`
	// Language is the language it is held in.
	Language bsk.Language `json:"language"`
	// Interpretation lists the languages interpreted.
	Interpretation []bsk.Language `json:"interpretation"`
	// Registrations counts the members enrolled when it meets (for an
	// agency, its own staff only).
	Registrations int `json:"registrations"`
	// Unled is true for a reflective consultation group without a
	// consultant.
	Unled bool `json:"unled,omitempty"`
}

// Calendar lists every session of a month in the offerings the caller may
// see, with its leaders, language, interpretation and registrations, and
// the reflective consultation groups without a consultant.
//
// Errors: invalid (/month, /time_zone), unauthorized.
func (pr *Program) Calendar(ctx context.Context, month, zone string) (Calendar, error) {
	p, err := require(ctx, CalendarRoles...)
	if err != nil {
		return Calendar{}, err
	}
	loc, err := location(zone, "/time_zone")
	if err != nil {
		return Calendar{}, err
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		return Calendar{}, bsk.Errors{bsk.Invalidf("/month", "%q is not a month such as 2026-03", month)}
	}
	out := Calendar{Month: month, TimeZone: loc.String(), Sessions: []CalendarSession{}, Unled: []bsk.OfferingID{}}
	people := map[bsk.ProviderID]RosterMember{}
	person := func(id bsk.ProviderID) (RosterMember, error) {
		if m, ok := people[id]; ok {
			return m, nil
		}
		rec, err := pr.db.Get(ctx, store.Providers, string(id))
		if err != nil {
			return RosterMember{}, err
		}
		v, err := decode[bsk.Provider]("provider", rec)
		m := RosterMember{ID: id, Name: v.Name, OrganizationID: v.OrganizationID, Role: v.Role}
		people[id] = m
		return m, err
	}
	var offs []store.Record
	err = scanAll(ctx, pr.db, store.Offerings, store.Filter{}, func(rec store.Record) error {
		if CanRead(p, store.Offerings, rec) {
			offs = append(offs, rec)
		}
		return nil
	})
	if err != nil {
		return Calendar{}, err
	}
	for _, orec := range offs {
		off, err := decode[bsk.Offering]("offering", orec)
		if err != nil {
			return Calendar{}, err
		}
		var sessions []bsk.Session
		err = scanAll(ctx, pr.db, store.Sessions, store.Filter{Parent: orec.ID}, func(rec store.Record) error {
			s, err := decode[bsk.Session]("session", rec)
			if err == nil && s.Starts.In(loc).Format("2006-01") == month {
				sessions = append(sessions, s)
			}
			return err
		})
		if err != nil || len(sessions) == 0 {
			if err != nil {
				return Calendar{}, err
			}
			continue
		}
		f := store.Filter{Parent: orec.ID}
		if p.Role == RoleAgency {
			f.Org = p.OrganizationID
		}
		var enrolled []Enrolment
		err = scanAll(ctx, pr.db, store.Enrolments, f, func(rec store.Record) error {
			e, err := decode[Enrolment]("enrolment", rec)
			enrolled = append(enrolled, e)
			return err
		})
		if err != nil {
			return Calendar{}, err
		}
		unled := off.Kind == bsk.OfferingReflectiveConsultation && len(off.Leaders) == 0
		if unled {
			out.Unled = append(out.Unled, off.ID)
		}
		leaders := []RosterMember{}
		for _, id := range off.Leaders {
			m, err := person(id)
			if err != nil {
				return Calendar{}, err
			}
			leaders = append(leaders, m)
		}
		for _, s := range sessions {
			cs := CalendarSession{SessionID: s.ID, OfferingID: off.ID, Title: off.Title, Kind: off.Kind, Starts: s.Starts, Minutes: s.Minutes,
				Leaders: leaders, Language: off.Language, Interpretation: off.Interpretation, Unled: unled}
			if cs.Interpretation == nil {
				cs.Interpretation = []bsk.Language{}
			}
			for _, e := range enrolled {
				if e.activeAt(s.Starts) {
					cs.Registrations++
				}
			}
			out.Sessions = append(out.Sessions, cs)
		}
	}
	slices.SortFunc(out.Sessions, func(a, b CalendarSession) int {
		if c := a.Starts.Compare(b.Starts); c != 0 {
			return c
		}
		return compareStrings(string(a.SessionID), string(b.SessionID))
	})
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

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
// checked), and the others are listed with their reasons.
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
				il.Reasons = append(il.Reasons, ReasonText{Code: r.Code, Params: r.Params, Text: training.LeaderReasonText(r, "en")})
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

// CommunityRequest places participants in communities of practice by
// their rankings.
type CommunityRequest struct {
	// Communities are the communities that may open.
	Communities []Community `json:"communities"`
	// Rankings are the participants' rankings of them.
	Rankings []CommunityRanking `json:"rankings"`
	// Fallback places participants whose ranked communities are full in
	// any community with room in a language they speak.
	Fallback bool `json:"fallback,omitempty"`
}

// Community is a community of practice that may open.
type Community struct {
	// ID names it: an offering ID, say.
	ID string `json:"id"`
	// Topic is its self-identified topic.
	Topic string `json:"topic,omitempty"`
	// Language is the language it meets in; members must speak it.
	Language bsk.Language `json:"language"`
	// Capacity is the most members it takes, at least 1.
	Capacity int `json:"capacity"`
	// MinSize is the fewest it opens with; 0 means any number.
	MinSize int `json:"min_size,omitempty"`
}

// CommunityRanking is one participant's ranking.
type CommunityRanking struct {
	// ProviderID is the participant; their languages are those on file.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// Ranked lists community IDs, first preference first.
	Ranked []string `json:"ranked"`
}

// CommunityPlacement places participants in communities of practice.
type CommunityPlacement struct {
	// Placed gives each placed participant's community.
	Placed map[bsk.ProviderID]string `json:"placed"`
	// Open lists the communities that open, with their members' count.
	Open map[string]int `json:"open"`
	// NotOpened lists the communities that do not open, in request order.
	NotOpened []string `json:"not_opened"`
	// Unplaced lists participants placed nowhere, and why.
	Unplaced []UnplacedMember `json:"unplaced"`
	// ByRank counts participants who got their first, second, ... choice.
	ByRank []int `json:"by_rank"`
	// Language is the language of the reasons' texts.
	Language string `json:"language"`
}

// PlaceCommunities places participants in communities of practice by
// their rankings and the languages on file (see [grouping.AssignChoices]):
// a community below its minimum size does not open and its participants
// go to their next choices; everyone placed nowhere has a reason, in
// language lang ("es" for Spanish).
//
// Errors: invalid (naming /communities/<i>/... or /rankings/<i>/...),
// not_found (/rankings/<i>/provider_id, a ranked community),
// unauthorized.
func (pr *Program) PlaceCommunities(ctx context.Context, req CommunityRequest, lang string) (CommunityPlacement, error) {
	p, err := require(ctx, ProgramRoles...)
	if err != nil {
		return CommunityPlacement{}, err
	}
	var problems bsk.Problems
	prob := grouping.ChoiceProblem{Fallback: req.Fallback}
	for i, c := range req.Communities {
		if !c.Language.Valid() {
			problems.Add(fmt.Sprintf("/communities/%d/language", i), "unknown language code %q", c.Language)
		}
		prob.Choices = append(prob.Choices, grouping.Choice{ID: c.ID, Capacity: c.Capacity, MinSize: c.MinSize, Languages: []string{string(c.Language)}})
	}
	names := map[grouping.MemberID]string{}
	for i, r := range req.Rankings {
		rec, err := pr.db.Get(ctx, store.Providers, string(r.ProviderID))
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, store.Providers, rec)) {
			problems.AddCode(bsk.CodeNotFound, fmt.Sprintf("/rankings/%d/provider_id", i), "unknown provider %q", r.ProviderID)
			continue
		}
		if err != nil {
			return CommunityPlacement{}, err
		}
		pv, err := decode[bsk.Provider]("provider", rec)
		if err != nil {
			return CommunityPlacement{}, err
		}
		names[grouping.MemberID(pv.ID)] = pv.Name
		ch := grouping.Chooser{ID: grouping.MemberID(pv.ID), Ranked: r.Ranked}
		for _, l := range pv.Languages {
			ch.Languages = append(ch.Languages, string(l))
		}
		prob.Choosers = append(prob.Choosers, ch)
	}
	if err := problems.Err(); err != nil {
		return CommunityPlacement{}, err
	}
	asg, err := grouping.AssignChoices(ctx, prob)
	if err != nil {
		return CommunityPlacement{}, choicePointers(err)
	}
	out := CommunityPlacement{Placed: map[bsk.ProviderID]string{}, Open: map[string]int{}, NotOpened: []string{}, Unplaced: []UnplacedMember{},
		ByRank: asg.ByRank, Language: grouping.TextLanguage(lang)}
	for m, c := range asg.Placed {
		out.Placed[bsk.ProviderID(m)] = c
		out.Open[c]++
	}
	for _, c := range req.Communities {
		if out.Open[c.ID] == 0 {
			out.NotOpened = append(out.NotOpened, c.ID)
		}
	}
	texts := grouping.Texts{}
	for _, u := range asg.Unplaced {
		out.Unplaced = append(out.Unplaced, UnplacedMember{Member: u.Member, Name: names[u.Member], Reason: reasonText(texts, u.Reason, lang)})
	}
	return out, nil
}

// choicePointers renames a choice problem's fields as the request's:
// choices[i].capacity is /communities/i/capacity, choosers[i].ranked[k]
// is /rankings/i/ranked/k.
func choicePointers(err error) error {
	var list bsk.Errors
	if !errors.As(err, &list) {
		return err
	}
	out := make(bsk.Errors, len(list))
	for i, e := range list {
		c := *e
		f := strings.NewReplacer("choices[", "/communities/", "choosers[", "/rankings/", "].", "/", "[", "/", "]", "", ".", "/").Replace(e.Field)
		c.Field = f
		out[i] = &c
	}
	return out
}
