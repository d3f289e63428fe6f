package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // the program's time zones, wherever the server runs

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/training"
)

// The access policy for the program year, in one place:
//
//	reflective consultation runs   start (with the leader check), publish:
//	                               admin, coordinator
//	enrolments                     admin, coordinator; agency: its own
//	                               staff's; consultant: the groups they lead
//	attendance of a group          admin, coordinator; consultant: the
//	                               sessions of the groups they lead
//	invoices                       admin, coordinator
//	communities of practice        admin, coordinator
//	calendar                       admin, coordinator; agency: the
//	                               offerings it may see, counting its own
//	                               staff's registrations
//
// As everywhere, a record the caller may not see reads like one that does
// not exist: a consultant recording another consultant's session gets
// not_found "no session".

// ProgramRoles are the roles that run the program year: publish runs,
// invoice, place communities of practice.
var ProgramRoles = []Role{RoleAdmin, RoleCoordinator}

// DefaultTimeZone is where the program's groups meet.
const DefaultTimeZone = "America/Los_Angeles"

// Program serves the program year of reflective consultation: it
// publishes a finished grouping run as one offering per group with its
// monthly sessions and enrols the members, moves enrolments when a
// re-grouping is published, lets consultants record their groups'
// attendance, invoices their hours, places communities of practice and
// lists a month's calendar.
type Program struct {
	db       *store.DB
	grouping *Grouping
}

func newProgram(db *store.DB, g *Grouping) *Program { return &Program{db: db, grouping: g} }

// PublishRequest says when a published run's groups meet.
type PublishRequest struct {
	// From is the first month, "2026-01"; for a re-grouping, new groups
	// start in the month of Effective instead.
	From string `json:"from"`
	// Months is the number of months, 1 to 24; 0 means 12.
	Months int `json:"months,omitempty" jsonschema:"minimum=0,maximum=24"`
	// Week is which of the month's meeting days a group meets on, 1 to 4; 0
	// means the first.
	Week int `json:"week,omitempty" jsonschema:"minimum=0,maximum=4"`
	// Minutes is a session's length, 60 to 90; 0 means 90.
	Minutes int `json:"minutes,omitempty" jsonschema:"minimum=0,maximum=90"`
	// TimeZone is where the groups meet (an IANA name); empty means
	// America/Los_Angeles.
	TimeZone string `json:"time_zone,omitempty"`
	// Holidays are days without sessions, "2026-11-26": a session on one
	// moves a week later in its month, or is skipped.
	Holidays []string `json:"holidays,omitempty"`
	// Effective, for a re-grouping of a published run, is when members'
	// moves take effect: their enrolments end and begin here, so sessions
	// from then on count the new groups and earlier ones keep the old.
	// Empty means now.
	Effective *time.Time `json:"effective,omitempty"`
}

// Publication is a published run: its groups' offerings, by group.
type Publication struct {
	// RunID is the run published.
	RunID string `json:"run_id"`
	// PreviousRunID is the published run it re-groups, if any.
	PreviousRunID string `json:"previous_run_id,omitempty"`
	// Request is how it was published.
	Request PublishRequest `json:"request"`
	// Offerings are the groups' offerings, by group index; "" for a group
	// without members, which meets nowhere.
	Offerings []bsk.OfferingID `json:"offerings"`
	// Unled are the groups without a consultant, by index: their
	// offerings have no leader until one is set.
	Unled []int `json:"unled,omitempty"`
	// Leaders are each group's consultants as this publication set them,
	// by group index, from Effective on: invoices bill a session to the
	// consultants who led it then.
	Leaders [][]bsk.ProviderID `json:"leaders,omitempty"`
	// Effective is when a re-grouping's changes took effect; zero for a
	// first publication, whose groups start with their sessions.
	Effective time.Time `json:"effective,omitzero"`
	// Sessions counts the sessions this publication created.
	Sessions int `json:"sessions"`
	// Enrolled counts the enrolments it began.
	Enrolled int `json:"enrolled"`
	// Ended counts the enrolments it ended (a re-grouping's moves and
	// leavers).
	Ended int `json:"ended"`
	// PublishedBy is the key that published it.
	PublishedBy string `json:"published_by"`
	// PublishedAt is when.
	PublishedAt time.Time `json:"published_at"`
}

// Enrolment is a member's place in a group from a time until a time: a
// re-grouping ends one and begins another, and both are kept.
type Enrolment struct {
	// ID is "<offering>/<provider>/<from, YYYYMMDDhhmm>".
	ID string `json:"id"`
	// OfferingID is the group's offering.
	OfferingID bsk.OfferingID `json:"offering_id"`
	// ProviderID is the member.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// From is when it begins.
	From time.Time `json:"from"`
	// Until is when it ended, if it has.
	Until *time.Time `json:"until,omitempty"`
	// RunID is the published run that began it.
	RunID string `json:"run_id"`
}

// activeAt reports whether e covers time t.
func (e Enrolment) activeAt(t time.Time) bool {
	return !t.Before(e.From) && (e.Until == nil || t.Before(*e.Until))
}

// location loads a time zone, DefaultTimeZone for "".
func location(name, field string) (*time.Location, error) {
	if name == "" {
		name = DefaultTimeZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, bsk.Errors{bsk.Invalidf(field, "unknown time zone %q", name)}
	}
	return loc, nil
}

// series checks a publication request and returns the series of one
// group (OfferingID and Slot still to set) and the publication's
// effective time.
func (req *PublishRequest) series(now time.Time) (training.Series, time.Time, error) {
	var p bsk.Problems
	s := training.Series{Months: req.Months, Week: req.Week}
	if s.Months == 0 {
		s.Months = 12
	}
	if req.Minutes == 0 {
		req.Minutes = 90
	}
	if req.Minutes < training.SeriesMinMinutes || req.Minutes > training.SeriesMaxMinutes {
		p.Add("/minutes", "%d is outside %d to %d", req.Minutes, training.SeriesMinMinutes, training.SeriesMaxMinutes)
	}
	from, err := time.Parse("2006-01", req.From)
	if err != nil {
		p.Add("/from", "%q is not a month such as 2026-01", req.From)
	}
	s.From = from
	loc, err := location(req.TimeZone, "/time_zone")
	if err != nil {
		p.Merge("", err)
	}
	s.Location = loc
	for i, h := range req.Holidays {
		d, err := time.Parse(time.DateOnly, h)
		if err != nil {
			p.Add(bsk.Index("/holidays", i), "%q is not a date such as 2026-11-26", h)
			continue
		}
		s.Holidays = append(s.Holidays, d)
	}
	eff := now
	if req.Effective != nil {
		eff = req.Effective.UTC()
	}
	if s.Months < 1 || s.Months > training.MaxSeriesMonths {
		p.Add("/months", "%d is outside 1 to %d", s.Months, training.MaxSeriesMonths)
	}
	if s.Week < 0 || s.Week > 4 {
		p.Add("/week", "%d is outside 0 to 4", s.Week)
	}
	return s, eff, p.Err()
}

// groupPlan is one group of a run as published.
type groupPlan struct {
	offering bsk.Offering
	members  []bsk.ProviderID
	slot     bsk.Slot
}

// plans builds each group's offering from the run and the providers on
// file: the consultant leads, the group meets at the first weekly slot its
// members share, in the language they share (English when they share it),
// for the organization its members work in when they all work in one.
func (g *Grouping) plans(ctx context.Context, run GroupingRun, minutes int) ([]groupPlan, error) {
	people, err := g.providers(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[grouping.MemberID]bsk.Provider, len(people))
	for _, pv := range people {
		byID[grouping.MemberID(pv.ID)] = pv
	}
	slots := runSlots(run.Request)
	out := make([]groupPlan, len(run.Solution.Groups))
	for gi, members := range run.Solution.Groups {
		leader := ""
		if gi < len(run.Leaders) {
			leader = run.Leaders[gi]
		}
		r := rosterOf(gi, members, leader, byID, slots)
		off := bsk.Offering{
			ID: bsk.OfferingID(fmt.Sprintf("%s-g%02d", run.ID, gi+1)), Kind: bsk.OfferingReflectiveConsultation,
			Title: fmt.Sprintf("Reflective consultation, group %d", gi+1), Strategy: bsk.StrategyIECMH,
			Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: minutes,
			Capacity: len(members),
		}
		if len(r.Languages) > 0 && !slices.Contains(r.Languages, string(bsk.English)) {
			off.Language = bsk.Language(r.Languages[0])
		}
		if leader != "" {
			off.Leaders = []bsk.ProviderID{bsk.ProviderID(leader)}
		}
		orgs := map[bsk.OrganizationID]bool{}
		plan := groupPlan{}
		for _, m := range members {
			plan.members = append(plan.members, bsk.ProviderID(m))
			orgs[byID[m].OrganizationID] = true
		}
		if len(orgs) == 1 {
			for o := range orgs {
				off.OrganizationID = o
			}
		}
		// The first shared slot, else the run's first: the coordinator
		// moves a session that suits nobody.
		slot := slots[0]
		for _, code := range r.Slots {
			if i := slices.IndexFunc(slots, func(s bsk.Slot) bool { return grouping.SlotCode(s) == code }); i >= 0 {
				slot = slots[i]
				break
			}
		}
		slot.End = min(slot.Start+minutes, bsk.MinutesPerDay)
		if slot.End-slot.Start < training.SeriesMinMinutes {
			slot.Start = slot.End - minutes
		}
		plan.offering, plan.slot = off, slot
		out[gi] = plan
	}
	return out, nil
}

// Publish turns a finished reflective consultation run into the program
// year: one offering per group (kind reflective_consultation, its
// consultant leading), its monthly sessions, and an enrolment for each
// member. Publishing a re-grouping of a published run keeps the groups'
// offerings and sessions: members who moved or left have their
// enrolments ended at the request's Effective time and begin new ones
// there, new groups get offerings and sessions from that month, and the
// future sessions of dissolved groups are removed. A run is published
// once, and a lineage of re-groupings gets one fresh publication (see
// freshLineage). Each group's leaders are recorded with the time they
// take over, so that invoices bill a session to who led it then.
//
// Errors: not_found (a run the caller may not see), conflict (the run is
// not done or is already published; a run it re-groups, or one that
// re-groups it, is published and this one would be fresh groups), invalid (naming the field: /from,
// /months, /minutes, /time_zone, /holidays/<i>; a run that is not
// reflective consultation), unauthorized.
func (pr *Program) Publish(ctx context.Context, runID string, req PublishRequest) (Publication, error) {
	p, err := require(ctx, ProgramRoles...)
	if err != nil {
		return Publication{}, err
	}
	run, err := pr.grouping.visibleRun(ctx, p, runID)
	if err != nil {
		return Publication{}, err
	}
	if run.Request.Preset != grouping.ReflectiveConsultationPreset {
		return Publication{}, bsk.Errors{bsk.Invalidf("id", "run %q is a %s run; only reflective consultation runs are published as groups", runID, run.Request.Preset)}
	}
	if run.Status != RunDone || run.Solution == nil {
		return Publication{}, bsk.Errorf(bsk.CodeConflict, "run %q is %s; only a finished run is published", runID, run.Status)
	}
	now := time.Now().UTC()
	series, eff, err := req.series(now)
	if err != nil {
		return Publication{}, err
	}
	plans, err := pr.grouping.plans(ctx, run, req.Minutes)
	if err != nil {
		return Publication{}, err
	}
	pub := Publication{RunID: runID, Request: req, PublishedBy: p.KeyID, PublishedAt: now}
	for gi := range plans {
		if len(plans[gi].offering.Leaders) == 0 && len(plans[gi].members) > 0 {
			pub.Unled = append(pub.Unled, gi)
		}
		pub.Leaders = append(pub.Leaders, append([]bsk.ProviderID{}, plans[gi].offering.Leaders...))
	}
	err = pr.db.Write(ctx, func(tx *store.Tx) error {
		if ok, err := tx.Exists(ctx, store.Publications, runID); err != nil || ok {
			return firstErr(err, bsk.Errorf(bsk.CodeConflict, "run %q is already published", runID))
		}
		var prev *Publication
		if run.PreviousRunID != "" {
			rec, err := tx.Get(ctx, store.Publications, run.PreviousRunID)
			switch {
			case err == nil:
				v, err := decode[Publication]("publication", rec)
				if err != nil {
					return err
				}
				prev = &v
			case bsk.ErrorCode(err) != bsk.CodeNotFound:
				return err
			}
		}
		pt := publishTx{ctx: ctx, tx: tx, pub: &pub, series: series}
		if prev == nil {
			if err := freshLineage(ctx, tx, run); err != nil {
				return err
			}
			for _, plan := range plans {
				if err := pt.newGroup(plan, time.Time{}); err != nil {
					return err
				}
			}
		} else {
			pub.PreviousRunID, pub.Effective = prev.RunID, eff
			if err := pt.regroup(prev, plans, eff); err != nil {
				return err
			}
		}
		doc, err := encode("publication", pub)
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, store.Publications, store.Record{ID: runID, Parent: pub.PreviousRunID, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "publish", "grouping_run", runID)
	})
	if err != nil {
		return Publication{}, err
	}
	return pub, nil
}

// freshLineage refuses to publish run as fresh groups when a run of its
// lineage (the runs it re-groups, and the runs that re-group it) is
// published already: the same members would be enrolled in two sets of
// groups, with two sets of sessions. A re-grouping of a published run is
// published as a re-grouping; a lineage gets one fresh publication.
func freshLineage(ctx context.Context, tx *store.Tx, run GroupingRun) error {
	previous := func(id string) (string, error) {
		rec, err := tx.Get(ctx, store.GroupingRuns, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		var v struct {
			PreviousRunID string `json:"previous_run_id"`
		}
		if err := json.Unmarshal(rec.Doc, &v); err != nil {
			return "", bsk.Errorf(bsk.CodeInternal, "stored grouping run %q: %w", id, err)
		}
		return v.PreviousRunID, nil
	}
	seen := map[string]bool{run.ID: true}
	for id := run.PreviousRunID; id != "" && !seen[id]; {
		seen[id] = true
		ok, err := tx.Exists(ctx, store.Publications, id)
		if err != nil {
			return err
		}
		if ok {
			return bsk.Errorf(bsk.CodeConflict, "run %q re-groups run %q, which is published: publish a re-grouping of the published run instead of fresh groups", run.ID, id)
		}
		if id, err = previous(id); err != nil {
			return err
		}
	}
	var published []string
	err := scanAll(ctx, tx, store.Publications, store.Filter{}, func(rec store.Record) error {
		published = append(published, rec.ID)
		return nil
	})
	if err != nil {
		return err
	}
	for _, pid := range published {
		walked := map[string]bool{}
		for id := pid; id != "" && !walked[id]; {
			walked[id] = true
			if id, err = previous(id); err != nil {
				return err
			}
			if id == run.ID {
				return bsk.Errorf(bsk.CodeConflict, "run %q is re-grouped by run %q, which is published: the run's members already have groups", run.ID, pid)
			}
		}
	}
	return nil
}

// publishTx publishes inside one transaction.
type publishTx struct {
	ctx    context.Context
	tx     *store.Tx
	pub    *Publication
	series training.Series
}

// newGroup stores a group's offering, its sessions from the month of
// since (the series' first month when since is zero), and its members'
// enrolments from since (from the first session's month when zero).
func (pt *publishTx) newGroup(plan groupPlan, since time.Time) error {
	if len(plan.members) == 0 {
		pt.pub.Offerings = append(pt.pub.Offerings, "") // an empty group meets nowhere
		return nil
	}
	s := pt.series
	s.OfferingID, s.Slot = plan.offering.ID, plan.slot
	from := time.Date(s.From.Year(), s.From.Month(), 1, 0, 0, 0, 0, s.Location).UTC()
	if !since.IsZero() {
		local := since.In(s.Location)
		s.From = time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, time.UTC)
		from = since
	}
	sessions, err := s.Sessions()
	if err != nil {
		return err
	}
	off := plan.offering
	if len(sessions) > 0 {
		off.Starts, off.Ends = sessions[0].Starts, sessions[len(sessions)-1].Starts
	}
	if err := pt.put(store.Offerings, string(off.ID), string(off.OrganizationID), "", off); err != nil {
		return err
	}
	pt.pub.Offerings = append(pt.pub.Offerings, off.ID)
	for _, x := range sessions {
		if x.Starts.Before(from) {
			continue
		}
		if err := pt.put(store.Sessions, string(x.ID), string(off.OrganizationID), string(off.ID), x); err != nil {
			return err
		}
		pt.pub.Sessions++
	}
	for _, m := range plan.members {
		if err := pt.enrol(off.ID, m, from); err != nil {
			return err
		}
	}
	return nil
}

// enrol begins a member's enrolment in an offering.
func (pt *publishTx) enrol(off bsk.OfferingID, who bsk.ProviderID, from time.Time) error {
	rec, err := pt.tx.Get(pt.ctx, store.Providers, string(who))
	if err != nil {
		return err
	}
	e := Enrolment{ID: fmt.Sprintf("%s/%s/%s", off, who, from.Format("200601021504")), OfferingID: off, ProviderID: who, From: from, RunID: pt.pub.RunID}
	if err := pt.put(store.Enrolments, e.ID, rec.Org, string(off), e); err != nil {
		return err
	}
	pt.pub.Enrolled++
	return nil
}

func (pt *publishTx) put(k store.Kind, id, org, parent string, v any) error {
	doc, err := encode(string(k), v)
	if err != nil {
		return err
	}
	return pt.tx.Insert(pt.ctx, k, store.Record{ID: id, Org: org, Parent: parent, Doc: doc})
}

// regroup applies a re-grouping to the previous publication's groups: group
// gi keeps the previous offering gi, with the new consultant; moves and
// leavers end at eff, arrivals begin there; groups beyond the previous
// ones are new; dissolved groups lose their sessions from eff on.
func (pt *publishTx) regroup(prev *Publication, plans []groupPlan, eff time.Time) error {
	for gi, plan := range plans {
		if gi >= len(prev.Offerings) || prev.Offerings[gi] == "" {
			if err := pt.newGroup(plan, eff); err != nil {
				return err
			}
			continue
		}
		id := prev.Offerings[gi]
		pt.pub.Offerings = append(pt.pub.Offerings, id)
		rec, err := pt.tx.Get(pt.ctx, store.Offerings, string(id))
		if err != nil {
			return err
		}
		off, err := decode[bsk.Offering]("offering", rec)
		if err != nil {
			return err
		}
		if !slices.Equal(off.Leaders, plan.offering.Leaders) {
			off.Leaders = plan.offering.Leaders
			doc, err := encode("offering", off)
			if err != nil {
				return err
			}
			if err := pt.tx.Update(pt.ctx, store.Offerings, store.Record{ID: rec.ID, Org: rec.Org, Doc: doc}); err != nil {
				return err
			}
		}
		current, err := pt.endEnrolments(id, plan.members, eff)
		if err != nil {
			return err
		}
		for _, m := range plan.members {
			if !current[m] {
				if err := pt.enrol(id, m, eff); err != nil {
					return err
				}
			}
		}
	}
	for _, id := range prev.Offerings[min(len(plans), len(prev.Offerings)):] {
		if id == "" {
			continue
		}
		if _, err := pt.endEnrolments(id, nil, eff); err != nil {
			return err
		}
		if err := pt.dropSessionsFrom(id, eff); err != nil {
			return err
		}
	}
	return nil
}

// endEnrolments ends, at eff, the current enrolments in an offering of
// members not in keep, and returns the members whose enrolment goes on.
func (pt *publishTx) endEnrolments(off bsk.OfferingID, keep []bsk.ProviderID, eff time.Time) (map[bsk.ProviderID]bool, error) {
	current := map[bsk.ProviderID]bool{}
	var ended []store.Record
	err := scanAll(pt.ctx, pt.tx, store.Enrolments, store.Filter{Parent: string(off)}, func(rec store.Record) error {
		e, err := decode[Enrolment]("enrolment", rec)
		if err != nil || e.Until != nil {
			return err
		}
		if slices.Contains(keep, e.ProviderID) {
			current[e.ProviderID] = true
			return nil
		}
		until := eff
		e.Until = &until
		doc, err := encode("enrolment", e)
		rec.Doc = doc
		ended = append(ended, rec)
		return err
	})
	for _, rec := range ended {
		if err == nil {
			err = pt.tx.Update(pt.ctx, store.Enrolments, rec)
			pt.pub.Ended++
		}
	}
	return current, err
}

// dropSessionsFrom removes a dissolved group's sessions that start at or
// after eff and that nobody attended.
func (pt *publishTx) dropSessionsFrom(off bsk.OfferingID, eff time.Time) error {
	var drop []string
	err := scanAll(pt.ctx, pt.tx, store.Sessions, store.Filter{Parent: string(off)}, func(rec store.Record) error {
		s, err := decode[bsk.Session]("session", rec)
		if err != nil || s.Starts.Before(eff) {
			return err
		}
		recs, err := pt.tx.List(pt.ctx, store.Attendance, store.Filter{Parent: rec.ID, Limit: 1})
		if err == nil && len(recs) == 0 {
			drop = append(drop, rec.ID)
		}
		return err
	})
	for _, id := range drop {
		if err == nil {
			err = pt.tx.Delete(pt.ctx, store.Sessions, id)
		}
	}
	return err
}
