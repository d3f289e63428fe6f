package service

import (
	"context"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// LedRun is a finished run as a consultant sees it in a listing: when it
// ran and how many of its groups they lead; nothing of the other groups.
type LedRun struct {
	// ID names the run.
	ID string `json:"id"`
	// CreatedAt is when the run was asked for.
	CreatedAt time.Time `json:"created_at"`
	// FinishedAt is when it ended.
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Groups counts the groups the caller leads in it.
	Groups int `json:"groups"`
}

// Led lists the finished runs in which the calling consultant leads a
// group (those whose rosters [Grouping.Rosters] gives them), in ID order,
// a page at a time: the page holds the led runs among q.Limit stored runs.
//
// Errors: unauthorized (a role other than a consultant: staff list runs
// with [Grouping.List]).
func (g *Grouping) Led(ctx context.Context, q ListQuery) (Page[LedRun], error) {
	p, err := require(ctx, RoleConsultant)
	if err != nil {
		return Page[LedRun]{}, err
	}
	recs, err := g.db.List(ctx, store.GroupingRuns, store.Filter{After: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[LedRun]{}, err
	}
	page := Page[LedRun]{Items: []LedRun{}}
	for _, rec := range recs {
		run, err := decode[GroupingRun]("grouping run", rec)
		if err != nil {
			return Page[LedRun]{}, err
		}
		if run.Status != RunDone || !CanReadRoster(p, run) {
			continue
		}
		lr := LedRun{ID: run.ID, CreatedAt: run.CreatedAt, FinishedAt: run.FinishedAt}
		for gi, l := range run.Leaders {
			if l == p.ProviderID && run.Solution != nil && gi < len(run.Solution.Groups) && len(run.Solution.Groups[gi]) > 0 {
				lr.Groups++
			}
		}
		page.Items = append(page.Items, lr)
	}
	if len(recs) == q.Limit && q.Limit > 0 {
		page.NextCursor = recs[len(recs)-1].ID
	}
	return page, nil
}

// Imports lists the survey imports, in ID order, a page at a time, with
// their status, report and release (the rows read so far of a running
// one), bad rows' reasons as Import gives them.
//
// Errors: unauthorized (a role that may not read survey data: agencies
// and consultants).
func (s *Surveys) Imports(ctx context.Context, q ListQuery) (Page[SurveyImport], error) {
	p, err := require(ctx, SurveyReaders()...)
	if err != nil {
		return Page[SurveyImport]{}, err
	}
	recs, err := s.db.List(ctx, store.SurveyImports, store.Filter{After: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[SurveyImport]{}, err
	}
	page := Page[SurveyImport]{Items: make([]SurveyImport, 0, len(recs))}
	for _, rec := range recs {
		imp, err := decode[SurveyImport]("import", rec)
		if err != nil {
			return Page[SurveyImport]{}, err
		}
		if imp.Status == RunRunning {
			if rows, ok := s.rows.Load(imp.ID); ok {
				imp.Rows = rows.(int)
			}
		}
		page.Items = append(page.Items, forReader(p, imp))
	}
	if len(recs) == q.Limit && q.Limit > 0 {
		page.NextCursor = recs[len(recs)-1].ID
	}
	return page, nil
}

// ProviderSearch finds providers by name.
type ProviderSearch struct {
	// Name is matched anywhere in a provider's name, ignoring case; it
	// must not be empty.
	Name string
	// Cursor is the previous page's NextCursor.
	Cursor string
	// Limit is the most matches a page holds (1-1000).
	Limit int
	// OrganizationID keeps one organization's providers.
	OrganizationID string
}

// searchScan bounds the providers one search page reads, so that a name
// nobody has does not read the whole file in one request; the page's
// NextCursor then continues the search.
const searchScan = 5000

// FindProviders finds the providers the caller may list whose name holds
// s.Name, in ID order: staff search everyone, an agency its own staff.
// A page holds at most s.Limit matches. A name of ASCII characters is
// looked for by the database, which reads the matches alone; a name
// with other letters, whose case the databases lower differently, is
// looked for by reading providers in ID order, and its page ends early,
// with a NextCursor to continue, after 5,000 of them. Only the providers returned
// count as read (audited for the roles whose reads are audited).
//
// Errors: invalid (/name empty, /limit out of 1-1000), unauthorized (a
// role that may not list providers).
func (w *Workforce) FindProviders(ctx context.Context, s ProviderSearch) (Page[bsk.Provider], error) {
	p, err := caller(ctx)
	if err != nil {
		return Page[bsk.Provider]{}, err
	}
	org, err := listScope(p, store.Providers)
	if err != nil {
		return Page[bsk.Provider]{}, err
	}
	name := strings.ToLower(strings.TrimSpace(s.Name))
	var pr bsk.Problems
	if name == "" {
		pr.Add("/name", "must not be empty")
	}
	if s.Limit < 1 || s.Limit > 1000 {
		pr.Add("/limit", "must be from 1 to 1000")
	}
	if err := pr.Err(); err != nil {
		return Page[bsk.Provider]{}, err
	}
	out := Page[bsk.Provider]{Items: []bsk.Provider{}}
	if s.OrganizationID != "" {
		if org != "" && s.OrganizationID != org {
			return out, nil
		}
		org = s.OrganizationID
	}
	var ids []string
	if isASCII(name) {
		out.Items, ids, out.NextCursor, err = w.findInStore(ctx, p, org, name, s)
	} else {
		out.Items, ids, out.NextCursor, err = w.findByScan(ctx, p, org, name, s)
	}
	if err != nil {
		return Page[bsk.Provider]{}, err
	}
	wait, err := w.Providers.startReads(ctx, p, ids...)
	if err == nil {
		err = wait()
	}
	if err != nil {
		return Page[bsk.Provider]{}, err
	}
	return out, nil
}

// The pages ask these before they show a form, so that a role sees a form
// only where the service would take it; each answers from the same role
// list as the methods it names.

// MayInvoice reports whether p may create and read invoices
// ([Program.CreateInvoice], [Program.GetInvoice]).
func MayInvoice(p Principal) bool { return p.Is(ProgramRoles...) }

// MayAssignReviewers reports whether p may make and read a cycle's
// reviewer assignment ([Scholarships.AssignReviewers],
// [Scholarships.Assignment]).
func MayAssignReviewers(p Principal) bool { return p.Is(scholarshipStaff...) }

// MayReview reports whether p has a review queue to read and score
// ([Scholarships.ReviewQueue], [Scholarships.PostQueueReviews]).
func MayReview(p Principal) bool { return p.Is(ReviewerRoles...) }

// MayReadPipeline reports whether p may read a run's pipeline equity
// ([Scholarships.Pipeline]).
func MayReadPipeline(p Principal) bool { return p.Is(PipelineRoles...) }

// findInStore is a page of [Workforce.FindProviders] for a name of ASCII
// letters alone: the database finds the names that hold it (lowering
// ASCII letters at least, see [store.DB.Containing]) and each match is
// checked again as the scan checks it. It returns the providers shown,
// their IDs and the next page's cursor.
func (w *Workforce) findInStore(ctx context.Context, p Principal, org, name string, s ProviderSearch) (items []bsk.Provider, ids []string, next string, err error) {
	recs, err := w.db.Containing(ctx, store.Providers, "name", name, store.Filter{Org: org, After: s.Cursor, Limit: s.Limit})
	if err != nil {
		return nil, nil, "", err
	}
	items = []bsk.Provider{}
	for _, rec := range recs {
		v, ok, err := w.nameMatch(p, rec, name)
		if err != nil {
			return nil, nil, "", err
		}
		if ok {
			items = append(items, v)
			ids = append(ids, rec.ID)
		}
	}
	if len(recs) == s.Limit {
		next = recs[len(recs)-1].ID
	}
	return items, ids, next, nil
}

// findByScan is a page of [Workforce.FindProviders] for a name with
// letters beyond ASCII, whose case the databases lower differently: it
// reads providers in ID order, at most searchScan of them, and keeps
// those whose name holds name. It returns the providers shown, their IDs
// and the next page's cursor.
func (w *Workforce) findByScan(ctx context.Context, p Principal, org, name string, s ProviderSearch) (items []bsk.Provider, ids []string, next string, err error) {
	items = []bsk.Provider{}
	cursor, read := s.Cursor, 0
scan:
	for read < searchScan {
		const batch = 500
		recs, err := w.db.List(ctx, store.Providers, store.Filter{Org: org, After: cursor, Limit: batch})
		if err != nil {
			return nil, nil, "", err
		}
		for i, rec := range recs {
			v, ok, err := w.nameMatch(p, rec, name)
			if err != nil {
				return nil, nil, "", err
			}
			if !ok {
				continue
			}
			items = append(items, v)
			ids = append(ids, rec.ID)
			if len(items) == s.Limit {
				if i < len(recs)-1 || len(recs) == batch {
					next = rec.ID
				}
				break scan
			}
		}
		read += len(recs)
		if len(recs) < batch {
			break
		}
		cursor = recs[len(recs)-1].ID
		if read >= searchScan {
			next = cursor
		}
	}
	return items, ids, next, nil
}

// nameMatch reports whether p may read provider record rec and its name
// holds name (lowered), and returns the provider as p sees it. Both
// search paths check every record with it.
func (w *Workforce) nameMatch(p Principal, rec store.Record, name string) (bsk.Provider, bool, error) {
	if !CanRead(p, store.Providers, rec) {
		return bsk.Provider{}, false, nil
	}
	v, err := w.Providers.decode(rec)
	if err != nil || !strings.Contains(strings.ToLower(v.Name), name) {
		return bsk.Provider{}, false, err
	}
	return w.Providers.show(p, v), true, nil
}

// isASCII reports whether s holds ASCII characters alone.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
