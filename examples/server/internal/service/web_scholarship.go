package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/scholarship"
)

// What the web app's scholarship pages read beyond the API's methods: a
// cycle's runs, applications across programs and cycles with where each
// stands, one application with its decision, and an application made from
// a provider's record on file. The access rules are the API's (see
// scholarship_access.go).

// ApplicationStatus is where an application stands: before its cycle runs,
// withdrawn, or the step of its decision in the cycle's newest run.
type ApplicationStatus string

// The application statuses.
const (
	// StatusSubmitted: no run of the cycle has judged it yet.
	StatusSubmitted ApplicationStatus = "submitted"
	// StatusWithdrawn: withdrawn before the cycle ran.
	StatusWithdrawn ApplicationStatus = "withdrawn"
	// StatusSkipped: the newest run did not judge it (a person's second
	// application, or one no longer valid).
	StatusSkipped ApplicationStatus = "skipped"
	// StatusAwarded: the newest run awarded it money.
	StatusAwarded ApplicationStatus = "awarded"
	// StatusWaitlisted: eligible, and waiting for money.
	StatusWaitlisted ApplicationStatus = "waitlisted"
	// StatusNothingToAward: eligible, with no covered amount left to award.
	StatusNothingToAward ApplicationStatus = "nothing_to_award"
	// StatusIneligible: the rules found it not eligible.
	StatusIneligible ApplicationStatus = "ineligible"
	// StatusNeedsReview: a person must look at it.
	StatusNeedsReview ApplicationStatus = "needs_review"
	// StatusDeclined: the applicant declined the award.
	StatusDeclined ApplicationStatus = "declined"
)

// ApplicationStatuses lists every status, in the order a person follows
// an application.
func ApplicationStatuses() []ApplicationStatus {
	return []ApplicationStatus{StatusSubmitted, StatusWithdrawn, StatusSkipped, StatusAwarded, StatusWaitlisted,
		StatusNothingToAward, StatusIneligible, StatusNeedsReview, StatusDeclined}
}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool { return slices.Contains(ApplicationStatuses(), s) }

// CycleRunSummary is one run of a cycle as a listing shows it.
type CycleRunSummary struct {
	// ID names the run.
	ID string `json:"id"`
	// At is when it ran.
	At time.Time `json:"at"`
	// Counts are the decisions by outcome.
	Counts map[scholarship.Outcome]int `json:"counts"`
	// Awards counts the awards; Spent and Left are the allocation's sums.
	Awards int               `json:"awards"`
	Spent  scholarship.Cents `json:"spent"`
	Left   scholarship.Cents `json:"left"`
	// Waitlisted counts the eligible applications waiting for money.
	Waitlisted int `json:"waitlisted"`
}

// CycleRuns lists the runs of a cycle, newest first.
//
// Errors: not_found for the program or the cycle, unauthorized for a role
// other than staff.
func (s *Scholarships) CycleRuns(ctx context.Context, ref CycleRef) ([]CycleRunSummary, error) {
	if _, err := require(ctx, scholarshipStaff...); err != nil {
		return nil, err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return nil, err
	}
	runs, err := listAll[CycleRun](ctx, s.db, store.CycleRuns, "cycle run", store.Filter{Parent: ref.key()})
	if err != nil {
		return nil, err
	}
	out := make([]CycleRunSummary, 0, len(runs))
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		out = append(out, CycleRunSummary{ID: r.ID, At: r.At, Counts: r.Counts, Awards: len(r.Allocation.Awards),
			Spent: r.Allocation.Spent, Left: r.Allocation.Left, Waitlisted: len(r.Allocation.Waitlist)})
	}
	return out, nil
}

// ApplicationQuery finds applications across programs and cycles.
type ApplicationQuery struct {
	// ProgramID and CycleID keep one program's, or one cycle's,
	// applications (a cycle needs its program).
	ProgramID, CycleID string
	// Status keeps the applications with this status.
	Status ApplicationStatus
	// Cursor is the previous page's NextCursor.
	Cursor string
	// Limit is the most applications a page holds (1-1000).
	Limit int
}

// ApplicationSummary is an application as a listing shows it.
type ApplicationSummary struct {
	// ID, ProgramID and CycleID name the application and where it applies.
	ID        string `json:"id"`
	ProgramID string `json:"program_id"`
	CycleID   string `json:"cycle_id"`
	// Applicant is the applicant's name.
	Applicant string `json:"applicant"`
	// Submitted is when it was submitted.
	Submitted time.Time `json:"submitted"`
	// Requested is the total asked for.
	Requested scholarship.Cents `json:"requested"`
	// Status is where it stands.
	Status ApplicationStatus `json:"status"`
	// Award is the amount awarded in the newest run, 0 without an award.
	Award scholarship.Cents `json:"award,omitempty"`
	// RunID is the newest run of the cycle, "" before any.
	RunID string `json:"run_id,omitempty"`
}

// applicationScan bounds the applications one listing page reads, so that
// a filter nobody matches does not read every application in one request;
// the page's NextCursor then continues.
const applicationScan = 5000

// FindApplications lists the applications the caller may see, in ID
// order, with the status each has after its cycle's newest run: staff
// every application, an agency its own staff's. A page holds at most
// q.Limit applications and ends early, with a NextCursor to continue,
// after reading 5,000. The statuses come from the runs' decisions, so
// each run they are read from is audited as a read of its decisions.
//
// Errors: invalid (/limit out of 1-1000, an unknown /status, a /cycle_id
// without a /program_id), unauthorized (a role that does not take part in
// scholarships).
func (s *Scholarships) FindApplications(ctx context.Context, q ApplicationQuery) (Page[ApplicationSummary], error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return Page[ApplicationSummary]{}, err
	}
	var pr bsk.Problems
	if q.Limit < 1 || q.Limit > 1000 {
		pr.Add("/limit", "must be from 1 to 1000")
	}
	if q.Status != "" && !q.Status.Valid() {
		pr.Add("/status", "unknown status %q", q.Status)
	}
	if q.CycleID != "" && q.ProgramID == "" {
		pr.Add("/cycle_id", "a cycle needs its program_id")
	}
	if err := pr.Err(); err != nil {
		return Page[ApplicationSummary]{}, err
	}
	f := store.Filter{Org: applicationScope(p)}
	if q.CycleID != "" {
		f.Parent = CycleRef{ProgramID: q.ProgramID, CycleID: q.CycleID}.key()
	}
	out := Page[ApplicationSummary]{Items: []ApplicationSummary{}}
	runs := newestRuns{s: s, byCycle: map[string]*CycleRun{}}
	used := map[string]bool{}
	cursor, read := q.Cursor, 0
scan:
	for read < applicationScan {
		const batch = 500
		f.After, f.Limit = cursor, batch
		recs, err := s.db.List(ctx, store.Applications, f)
		if err != nil {
			return Page[ApplicationSummary]{}, err
		}
		for i, rec := range recs {
			if q.ProgramID != "" && !strings.HasPrefix(rec.Parent, q.ProgramID+"/") {
				continue
			}
			st, err := decode[storedApplication]("application", rec)
			if err != nil {
				return Page[ApplicationSummary]{}, err
			}
			run, err := runs.of(ctx, rec.Parent)
			if err != nil {
				return Page[ApplicationSummary]{}, err
			}
			sum := summarize(st, run)
			if q.Status != "" && sum.Status != q.Status {
				continue
			}
			if sum.RunID != "" {
				used[sum.RunID] = true
			}
			out.Items = append(out.Items, sum)
			if len(out.Items) == q.Limit {
				if i < len(recs)-1 || len(recs) == batch {
					out.NextCursor = rec.ID
				}
				break scan
			}
		}
		read += len(recs)
		if len(recs) < batch {
			break
		}
		cursor = recs[len(recs)-1].ID
		if read >= applicationScan {
			out.NextCursor = cursor
		}
	}
	if len(used) > 0 {
		ids := make([]string, 0, len(used))
		for id := range used {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if err := s.audit.Reads(ctx, "decisions", ids...); err != nil {
			return Page[ApplicationSummary]{}, err
		}
	}
	return out, nil
}

// newestRuns reads each cycle's newest run once per request.
type newestRuns struct {
	s       *Scholarships
	byCycle map[string]*CycleRun
}

// of returns the newest run of the cycle whose key is key, nil before
// any. Run IDs begin with the time they were made, so the newest sorts
// last.
func (n newestRuns) of(ctx context.Context, key string) (*CycleRun, error) {
	if r, ok := n.byCycle[key]; ok {
		return r, nil
	}
	var newest *store.Record
	err := n.s.scan(ctx, store.CycleRuns, store.Filter{Parent: key}, func(rec store.Record) error {
		newest = &rec
		return nil
	})
	if err != nil {
		return nil, err
	}
	var run *CycleRun
	if newest != nil {
		r, err := decode[CycleRun]("cycle run", *newest)
		if err != nil {
			return nil, err
		}
		run = &r
	}
	n.byCycle[key] = run
	return run, nil
}

// summarize gives a stored application its status after run, the newest
// run of its cycle (nil before any).
func summarize(st storedApplication, run *CycleRun) ApplicationSummary {
	a := st.Application
	sum := ApplicationSummary{ID: a.ID, ProgramID: a.ProgramID, CycleID: a.CycleID, Applicant: a.Applicant.Name,
		Submitted: a.Submitted, Requested: a.Total(), Status: StatusSubmitted}
	switch {
	case st.Withdrawn != nil:
		sum.Status = StatusWithdrawn
		return sum
	case run == nil:
		return sum
	}
	sum.RunID = run.ID
	for _, aw := range run.Allocation.Awards {
		if aw.ApplicationID == a.ID {
			sum.Status, sum.Award = StatusAwarded, aw.Amount
			return sum
		}
	}
	for _, u := range slices.Concat(run.Allocation.Waitlist, run.Allocation.Unfunded) {
		if u.ApplicationID == a.ID {
			sum.Status = ApplicationStatus(u.Code)
			return sum
		}
	}
	for _, sk := range run.Skipped {
		if sk.ApplicationID == a.ID {
			sum.Status = StatusSkipped
			return sum
		}
	}
	// Submitted after the run.
	sum.RunID = ""
	return sum
}

// ApplicationView is one application as the caller may see it, with where
// it stands and its decision in the cycle's newest run.
type ApplicationView struct {
	// Application is shown as [Scholarships.Applications] shows it.
	Application scholarship.Application `json:"application"`
	// Program names the program.
	Program string `json:"program"`
	// Status is where the application stands.
	Status ApplicationStatus `json:"status"`
	// Withdrawn is set once withdrawn.
	Withdrawn *Withdrawal `json:"withdrawn,omitempty"`
	// RunID and RunAt name the newest run that judged the application.
	RunID string    `json:"run_id,omitempty"`
	RunAt time.Time `json:"run_at,omitzero"`
	// Decision is the application's decision in that run, as
	// [Scholarships.Decisions] shows it; nil before a run judged it.
	Decision *Decision `json:"decision,omitempty"`
}

// Application returns one application with its status and its decision
// in the cycle's newest run, the reasons in l: staff any application, an
// agency its own staff's (another agency's reads as unknown). The
// decision's read is audited.
//
// Errors: not_found, unauthorized (a role that does not take part in
// scholarships), internal when the read cannot be audited.
func (s *Scholarships) Application(ctx context.Context, id string, l scholarship.Lang) (ApplicationView, error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return ApplicationView{}, err
	}
	rec, err := s.db.Get(ctx, store.Applications, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canSeeApplication(p, rec)) {
		return ApplicationView{}, bsk.NotFoundf("id", "no application %q", id)
	}
	if err != nil {
		return ApplicationView{}, err
	}
	st, err := decode[storedApplication]("application", rec)
	if err != nil {
		return ApplicationView{}, err
	}
	ref := CycleRef{ProgramID: st.ProgramID, CycleID: st.CycleID}
	cfg, _, err := s.cycle(ctx, ref)
	if err != nil {
		return ApplicationView{}, err
	}
	run, err := newestRuns{s: s, byCycle: map[string]*CycleRun{}}.of(ctx, rec.Parent)
	if err != nil {
		return ApplicationView{}, err
	}
	sum := summarize(st, run)
	v := ApplicationView{Application: showApplication(p, st.Application), Program: cfg.Program.Name, Status: sum.Status,
		Withdrawn: st.Withdrawn, RunID: sum.RunID}
	if sum.RunID == "" || sum.Status == StatusSkipped {
		return v, nil
	}
	v.RunAt = run.At
	drec, err := s.db.Get(ctx, store.Decisions, run.ID+"/"+id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return v, nil
	}
	if err != nil {
		return ApplicationView{}, err
	}
	d, err := decode[scholarship.DecisionRecord]("decision", drec)
	if err != nil {
		return ApplicationView{}, err
	}
	sees, err := s.demographicsSeen(ctx, p, ref)
	if err != nil {
		return ApplicationView{}, err
	}
	if err := s.audit.Reads(ctx, "decision", drec.ID); err != nil {
		return ApplicationView{}, err
	}
	if l == "" {
		l = scholarship.EnglishText
	}
	shown := showDecision(p, sees(id), d, l, s.plugins.host.texts())
	s.cel.localize(&shown, l)
	v.Decision = &shown
	return v, nil
}

// ApplicationForm is an application as a web form gives it: the provider
// who applies, by ID, and what only the applicant can say. The rest of
// the applicant (name, languages, education, experience, endorsement,
// place, demographics) is the provider's record on file.
type ApplicationForm struct {
	// ProviderID is the provider who applies.
	ProviderID string
	// MonthsEmployed and HoursPerWeek, when set, replace what the record
	// gives (months since Started, its usual hours a week).
	MonthsEmployed *int
	HoursPerWeek   *float64
	// Requested, Hours, Answers and Documents are the application's.
	Requested map[scholarship.Category]scholarship.Cents
	Hours     map[scholarship.Category]scholarship.Hours
	Answers   scholarship.Answers
	Documents []string
}

// SubmitForm stores an application to the cycle ref made from a
// provider's record on file and the form, as [Scholarships.Submit] does:
// an agency applies for its own staff (another agency's provider reads as
// unknown), staff for anyone. The record's demographics are copied into
// the application (for the priority criteria and the equity summary), so
// the record's read is audited for the roles whose provider reads are.
//
// Errors: those of [Scholarships.Submit]; not_found naming
// /applicant/person_id for a provider the caller may not apply for.
func (s *Scholarships) SubmitForm(ctx context.Context, ref CycleRef, f ApplicationForm) (scholarship.Application, error) {
	p, err := require(ctx, applicantRoles...)
	if err != nil {
		return scholarship.Application{}, err
	}
	if _, _, err := s.cycle(ctx, ref); err != nil {
		return scholarship.Application{}, err
	}
	id := strings.TrimSpace(f.ProviderID)
	if id == "" {
		return scholarship.Application{}, bsk.Errors{bsk.Invalidf("/applicant/person_id", "is required")}
	}
	rec, err := s.db.Get(ctx, store.Providers, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !mayApplyFor(p, rec)) {
		return scholarship.Application{}, bsk.Errors{bsk.NotFoundf("/applicant/person_id", "no provider %q", id)}
	}
	if err != nil {
		return scholarship.Application{}, err
	}
	v, err := decode[bsk.Provider]("provider", rec)
	if err != nil {
		return scholarship.Application{}, err
	}
	// The record's demographics go into the application, which the
	// caller is shown: a read of the record like any other.
	if auditsReads(p, store.Providers) {
		if err := s.audit.Reads(ctx, "provider", id); err != nil {
			return scholarship.Application{}, err
		}
	}
	now := time.Now().UTC()
	ap := scholarship.Applicant{PersonID: id, ProviderID: v.ID, Name: v.Name, Languages: v.Languages, Education: v.Education,
		YearsExperience: v.YearsExperience, Endorsement: v.Endorsement, HoursPerWeek: v.HoursPerWeek, Demographics: v.Demographics}
	if !v.Started.IsZero() && v.Started.Before(now) {
		y, m, _ := now.Date()
		sy, sm, _ := v.Started.Date()
		ap.MonthsEmployed = (y-sy)*12 + int(m-sm)
	}
	if f.MonthsEmployed != nil {
		ap.MonthsEmployed = *f.MonthsEmployed
	}
	if f.HoursPerWeek != nil {
		ap.HoursPerWeek = *f.HoursPerWeek
	}
	if rec.Org != "" {
		if orec, err := s.db.Get(ctx, store.Organizations, rec.Org); err == nil {
			if o, err := decode[bsk.Organization]("organization", orec); err == nil {
				ap.Place = o.Place
			}
		}
	}
	app := scholarship.Application{Applicant: ap, Requested: f.Requested, Hours: f.Hours, Answers: f.Answers, Documents: f.Documents,
		Submitted: now.Truncate(time.Second)}
	return s.Submit(ctx, ref, app)
}
