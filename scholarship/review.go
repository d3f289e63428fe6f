package scholarship

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/internal/flow"
)

// The reasons an application is short of reviewers ([ReviewShortfall]):
// which constraint bound.
const (
	// CodeReviewNoLanguage: fewer reviewers read the application's
	// language than it needs, conflicts of interest aside.
	CodeReviewNoLanguage = "review_no_language_match"
	// CodeReviewConflicted: enough reviewers read its language, but too
	// few of them have no conflict of interest with the applicant.
	CodeReviewConflicted = "review_all_conflicted"
	// CodeReviewCapacity: enough reviewers could review it, but their
	// capacity went to other applications.
	CodeReviewCapacity = "review_capacity"
)

// DefaultReviewsPer is how many reviewers each application gets when
// [ReviewSettings.PerApplication] is 0.
const DefaultReviewsPer = 2

// DefaultSupervisionDepth is how far up and down a reporting line a
// conflict of interest reaches when [ReviewSettings.SupervisionDepth] is 0:
// a supervisor, and the supervisor's supervisor.
const DefaultSupervisionDepth = 2

// evenWindow is how many review levels above the even share a reviewer's
// load is balanced exactly; above it, extra reviews still go to whoever
// may take them, at one price.
const evenWindow = 64

// ConflictKind says why a reviewer may not review an application.
type ConflictKind string

// The kinds of conflict of interest.
const (
	// ConflictSameOrganization: the reviewer works at the applicant's
	// organization.
	ConflictSameOrganization ConflictKind = "same_organization"
	// ConflictSupervision: one supervises the other, directly or up the
	// reporting line ([bsk.Provider.ReportsTo]) within the depth set.
	ConflictSupervision ConflictKind = "supervision"
	// ConflictDeclared: the reviewer declared a conflict with the
	// applicant or the applicant's organization.
	ConflictDeclared ConflictKind = "declared"
	// ConflictApplicant: the reviewer applied in the same cycle, and
	// reviews nothing in it.
	ConflictApplicant ConflictKind = "applicant_in_cycle"
)

// Reviewer is a person who scores applications.
type Reviewer struct {
	// ID is the reviewer's provider record; its reporting line comes from
	// [ReviewRequest.Providers].
	ID bsk.ProviderID `json:"id"`
	// PersonID is the reviewer as a person, when known: a reviewer whose
	// PersonID or ID applied in the cycle reviews nothing in it.
	PersonID string `json:"person_id,omitempty"`
	// OrganizationID is where the reviewer works; empty takes it from the
	// reviewer's provider record.
	OrganizationID bsk.OrganizationID `json:"organization_id,omitempty"`
	// Languages are the languages the reviewer reviews in besides English
	// (every reviewer reads English).
	Languages []bsk.Language `json:"languages,omitempty"`
	// Capacity is the most applications the reviewer takes, at least 1.
	Capacity int `json:"capacity"`
	// ConflictPeople are applicants (by PersonID) the reviewer declared a
	// conflict with.
	ConflictPeople []string `json:"conflict_people,omitempty"`
	// ConflictOrganizations are organizations the reviewer declared a
	// conflict with.
	ConflictOrganizations []bsk.OrganizationID `json:"conflict_organizations,omitempty"`
}

func (r Reviewer) reads(l bsk.Language) bool {
	return l == "" || l == bsk.English || slices.Contains(r.Languages, l)
}

// ReviewSettings are a program's settings for review; the zero value
// works.
type ReviewSettings struct {
	// PerApplication is how many reviewers each application gets; 0
	// means [DefaultReviewsPer].
	PerApplication int `json:"per_application,omitempty" jsonschema:"minimum=0,maximum=10"`
	// SupervisionDepth is how many steps up or down a reporting line make
	// a conflict; 0 means [DefaultSupervisionDepth].
	SupervisionDepth int `json:"supervision_depth,omitempty" jsonschema:"minimum=0,maximum=20"`
	// Blind hides fields of an application from reviewers, by role
	// ([BlindView]).
	Blind BlindPolicy `json:"blind,omitempty"`
}

func (s ReviewSettings) k() int {
	if s.PerApplication == 0 {
		return DefaultReviewsPer
	}
	return s.PerApplication
}

func (s ReviewSettings) depth() int {
	if s.SupervisionDepth == 0 {
		return DefaultSupervisionDepth
	}
	return s.SupervisionDepth
}

// Validate reports every problem with the settings.
func (s ReviewSettings) Validate() error {
	var p bsk.Problems
	if s.PerApplication < 0 || s.PerApplication > 10 {
		p.Add("per_application", "%d is outside 0 to 10", s.PerApplication)
	}
	if s.SupervisionDepth < 0 || s.SupervisionDepth > 20 {
		p.Add("supervision_depth", "%d is outside 0 to 20", s.SupervisionDepth)
	}
	p.Merge("blind", s.Blind.Validate())
	return p.Err()
}

// ReviewRequest is everything reviewer assignment needs.
type ReviewRequest struct {
	Settings ReviewSettings
	// Applications are the cycle's applications, every one of which is
	// assigned reviewers.
	Applications []Application
	// Written is the language each application (by ID) is written in;
	// one not listed is in English.
	Written map[string]bsk.Language
	// Reviewers are the people who may review.
	Reviewers []Reviewer
	// Providers are the provider records whose reporting lines
	// ([bsk.Provider.ReportsTo]) make supervision conflicts, and whose
	// organizations stand in for a reviewer's missing OrganizationID.
	Providers []bsk.Provider
}

// ReviewerSet is the reviewers assigned to one application.
type ReviewerSet struct {
	ApplicationID string           `json:"application_id"`
	Reviewers     []bsk.ProviderID `json:"reviewers"`
}

// ReviewShortfall is an application that got fewer reviewers than it
// needs, with the constraint that bound ([CodeReviewNoLanguage],
// [CodeReviewConflicted] or [CodeReviewCapacity]) as a reason whose
// parameters are "needed", "assigned", "available" (reviewers who read
// its language, or of those, without a conflict) and "language".
type ReviewShortfall struct {
	ApplicationID string `json:"application_id"`
	Assigned      int    `json:"assigned"`
	Needed        int    `json:"needed"`
	Reason        Reason `json:"reason"`
}

// ReviewerLoad is how many applications a reviewer got.
type ReviewerLoad struct {
	Reviewer bsk.ProviderID `json:"reviewer"`
	Assigned int            `json:"assigned"`
	Capacity int            `json:"capacity"`
	// Excluded is true for a reviewer who applied in the cycle.
	Excluded bool `json:"excluded,omitempty"`
}

// ReviewAssignment is the outcome of [AssignReviewers].
type ReviewAssignment struct {
	// Sets hold each application's reviewers, in the order of the
	// request's applications.
	Sets []ReviewerSet `json:"sets"`
	// Loads hold each reviewer's load, in the order of the request's
	// reviewers.
	Loads []ReviewerLoad `json:"loads"`
	// Short lists the applications with fewer than the reviewers needed,
	// in the order of the request's applications.
	Short []ReviewShortfall `json:"short"`
}

// Validate reports every problem with the request: settings, duplicate or
// missing IDs, unknown languages, capacities below 1.
func (req ReviewRequest) Validate() error {
	var p bsk.Problems
	p.Merge("settings", req.Settings.Validate())
	seen := make(map[string]int, len(req.Applications))
	for i, a := range req.Applications {
		f := bsk.Index("applications", i)
		if msg := bsk.IDProblem(a.ID); msg != "" {
			p.Add(bsk.JoinField(f, "id"), "%s", msg)
		}
		if j, dup := seen[a.ID]; dup {
			p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "id"), "duplicate application id %q (also applications[%d])", a.ID, j)
		}
		seen[a.ID] = i
	}
	for id, l := range req.Written {
		if _, ok := seen[id]; !ok {
			p.AddCode(bsk.CodeNotFound, "written."+id, "no application %q", id)
		}
		if !l.Valid() {
			p.Add("written."+id, "unknown language code %q", l)
		}
	}
	rseen := make(map[bsk.ProviderID]int, len(req.Reviewers))
	for i, r := range req.Reviewers {
		f := bsk.Index("reviewers", i)
		if msg := bsk.IDProblem(string(r.ID)); msg != "" {
			p.Add(bsk.JoinField(f, "id"), "%s", msg)
		}
		if j, dup := rseen[r.ID]; dup {
			p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "id"), "duplicate reviewer id %q (also reviewers[%d])", r.ID, j)
		}
		rseen[r.ID] = i
		if r.Capacity < 1 || r.Capacity > 1_000_000 {
			p.Add(bsk.JoinField(f, "capacity"), "%d is outside 1 to 1000000", r.Capacity)
		}
		for j, l := range r.Languages {
			if !l.Valid() {
				p.Add(bsk.Index(bsk.JoinField(f, "languages"), j), "unknown language code %q", l)
			}
		}
	}
	return p.Err()
}

// conflicts finds, for every application, the reviewers it may not have.
type conflicts struct {
	req        ReviewRequest
	org        []bsk.OrganizationID // each reviewer's organization
	applicant  []bool               // reviewer applied in the cycle
	applicants []int                // the reviewers who did
	byOrg      map[bsk.OrganizationID][]int
	byID       map[bsk.ProviderID]int
	boss       map[bsk.ProviderID]bsk.ProviderID
	below      map[bsk.ProviderID][]int // reviewers whose line up reaches the provider
	declared   map[string][]int         // person ID -> reviewers
	declOrg    map[bsk.OrganizationID][]int
}

func newConflicts(req ReviewRequest) *conflicts {
	c := &conflicts{req: req, org: make([]bsk.OrganizationID, len(req.Reviewers)), applicant: make([]bool, len(req.Reviewers)),
		byOrg: map[bsk.OrganizationID][]int{}, byID: map[bsk.ProviderID]int{}, boss: map[bsk.ProviderID]bsk.ProviderID{},
		below: map[bsk.ProviderID][]int{}, declared: map[string][]int{}, declOrg: map[bsk.OrganizationID][]int{}}
	provOrg := map[bsk.ProviderID]bsk.OrganizationID{}
	for _, p := range req.Providers {
		if p.ReportsTo != "" {
			c.boss[p.ID] = p.ReportsTo
		}
		provOrg[p.ID] = p.OrganizationID
	}
	people := map[string]bool{}
	provs := map[bsk.ProviderID]bool{}
	for _, a := range req.Applications {
		people[a.Applicant.PersonID] = true
		if a.Applicant.ProviderID != "" {
			provs[a.Applicant.ProviderID] = true
		}
	}
	depth := req.Settings.depth()
	for i, r := range req.Reviewers {
		c.org[i] = r.OrganizationID
		if c.org[i] == "" {
			c.org[i] = provOrg[r.ID]
		}
		if c.org[i] != "" {
			c.byOrg[c.org[i]] = append(c.byOrg[c.org[i]], i)
		}
		c.byID[r.ID] = i
		c.applicant[i] = provs[r.ID] || (r.PersonID != "" && people[r.PersonID])
		if c.applicant[i] {
			c.applicants = append(c.applicants, i)
		}
		for _, up := range c.lineUp(r.ID, depth) {
			c.below[up] = append(c.below[up], i)
		}
		for _, p := range r.ConflictPeople {
			c.declared[p] = append(c.declared[p], i)
		}
		for _, o := range r.ConflictOrganizations {
			c.declOrg[o] = append(c.declOrg[o], i)
		}
	}
	return c
}

// lineUp returns the supervisors of id, nearest first, at most depth of
// them, stopping at a loop in the reporting lines.
func (c *conflicts) lineUp(id bsk.ProviderID, depth int) []bsk.ProviderID {
	var out []bsk.ProviderID
	for cur := id; len(out) < depth; {
		next, ok := c.boss[cur]
		if !ok || next == id || slices.Contains(out, next) {
			break
		}
		out = append(out, next)
		cur = next
	}
	return out
}

func applicantOrg(a Application) bsk.OrganizationID {
	if a.Applicant.Employer != nil {
		return a.Applicant.Employer.ID
	}
	return ""
}

// of returns the reviewers conflicted with application a, sorted, each
// once, with the first kind found for each (in the order of the kinds'
// declaration).
func (c *conflicts) of(a Application) ([]int, []ConflictKind) {
	var idx []int
	var kinds []ConflictKind
	add := func(k ConflictKind, rs ...int) {
		for _, r := range rs {
			if j := slices.Index(idx, r); j < 0 {
				idx = append(idx, r)
				kinds = append(kinds, k)
			}
		}
	}
	if o := applicantOrg(a); o != "" {
		add(ConflictSameOrganization, c.byOrg[o]...)
	}
	if p := a.Applicant.ProviderID; p != "" {
		for _, up := range c.lineUp(p, c.req.Settings.depth()) {
			if r, ok := c.byID[up]; ok {
				add(ConflictSupervision, r)
			}
		}
		add(ConflictSupervision, c.below[p]...)
		if r, ok := c.byID[p]; ok {
			add(ConflictApplicant, r)
		}
	}
	add(ConflictDeclared, c.declared[a.Applicant.PersonID]...)
	if o := applicantOrg(a); o != "" {
		add(ConflictDeclared, c.declOrg[o]...)
	}
	add(ConflictApplicant, c.applicants...)
	order := make([]int, len(idx))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return idx[x] - idx[y] })
	sIdx, sKinds := make([]int, len(idx)), make([]ConflictKind, len(idx))
	for i, o := range order {
		sIdx[i], sKinds[i] = idx[o], kinds[o]
	}
	return sIdx, sKinds
}

// Conflict reports whether reviewer r may not review application a under
// the request's settings, and why: the same check [AssignReviewers] makes.
func (req ReviewRequest) Conflict(a Application, r bsk.ProviderID) (ConflictKind, bool) {
	c := newConflicts(req)
	ri, ok := c.byID[r]
	if !ok {
		return "", false
	}
	idx, kinds := c.of(a)
	if j := slices.Index(idx, ri); j >= 0 {
		return kinds[j], true
	}
	return "", false
}

// reviewClass is a set of applications with the same language and the
// same conflicted reviewers: any reviewer fits all of them or none.
type reviewClass struct {
	lang    bsk.Language
	blocked []int
	apps    []int // indices into the request's applications, in order
}

// AssignReviewers gives each application [ReviewSettings.PerApplication]
// reviewers, at most each reviewer's capacity, spread as evenly as the
// constraints allow, never a reviewer with a conflict of interest
// ([ConflictKind]) and, for an application written in a language besides
// English, only reviewers who read it.
//
// The assignment is exact: a minimum-cost maximum flow places the most
// reviews any assignment can, and among those spreads them evenly (the
// load above the even share costs more for each review more, exactly for
// loads up to 64 reviews above it). Applications with the same language
// and the same conflicts share one node of the network, so a cycle of
// 100,000 applications solves in well under a second. An application left
// short gets a [ReviewShortfall] naming the constraint that bound. The
// same request gives the same assignment.
//
// Errors: invalid for a bad request (every problem, by field); ctx's error
// when it ends first.
func AssignReviewers(ctx context.Context, req ReviewRequest) (ReviewAssignment, error) {
	if err := req.Validate(); err != nil {
		return ReviewAssignment{}, err
	}
	k := req.Settings.k()
	c := newConflicts(req)
	R := len(req.Reviewers)

	// Applications with the same language and conflicts form one class.
	var classes []*reviewClass
	byKey := map[string]*reviewClass{}
	var key strings.Builder
	for i, a := range req.Applications {
		lang := req.Written[a.ID]
		if lang == "" {
			lang = bsk.English
		}
		blocked, _ := c.of(a)
		key.Reset()
		key.WriteString(string(lang))
		for _, b := range blocked {
			key.WriteByte(',')
			key.WriteString(strconv.Itoa(b))
		}
		cl := byKey[key.String()]
		if cl == nil {
			cl = &reviewClass{lang: lang, blocked: blocked}
			byKey[key.String()] = cl
			classes = append(classes, cl)
		}
		cl.apps = append(cl.apps, i)
	}
	if err := ctx.Err(); err != nil {
		return ReviewAssignment{}, err
	}

	// The network: source 0, sink 1, reviewers 2.., classes after them
	// (the sink's low number settles it first among equals).
	const src, sink = 0, 1
	rnode := func(r int) int { return 2 + r }
	cnode := func(ci int) int { return 2 + R + ci }
	net := flow.New(2 + R + len(classes))
	active := 0
	for r := range req.Reviewers {
		if !c.applicant[r] {
			active++
		}
	}
	demand := k * len(req.Applications)
	even := 0
	if active > 0 {
		even = (demand + active - 1) / active
	}
	for r, rv := range req.Reviewers {
		if c.applicant[r] {
			continue
		}
		// Reviews up to one below the even share are free; each review
		// above costs one more than the one before, within the window;
		// beyond it, one price.
		base := min(rv.Capacity, max(even-1, 0))
		net.AddArc(rnode(r), sink, base, 0)
		level := base
		for j := 1; level < rv.Capacity && j <= evenWindow; j++ {
			net.AddArc(rnode(r), sink, 1, int64(j))
			level++
		}
		if level < rv.Capacity {
			net.AddArc(rnode(r), sink, rv.Capacity-level, evenWindow+1)
		}
	}
	type carc struct{ arc, reviewer int }
	carcs := make([][]carc, len(classes))
	for ci, cl := range classes {
		m := len(cl.apps)
		net.AddArc(src, cnode(ci), k*m, 0)
		b := 0
		for r, rv := range req.Reviewers {
			if b < len(cl.blocked) && cl.blocked[b] == r {
				b++
				continue
			}
			if c.applicant[r] || !rv.reads(cl.lang) {
				continue
			}
			carcs[ci] = append(carcs[ci], carc{net.AddArc(cnode(ci), rnode(r), m, 0), r})
		}
	}
	if _, _, err := net.Solve(ctx, src, sink, -1); err != nil {
		return ReviewAssignment{}, err
	}

	// Each class's reviews go round its applications in turn: a reviewer
	// with x <= m reviews of the class gets x different applications.
	out := ReviewAssignment{Sets: make([]ReviewerSet, len(req.Applications)), Loads: make([]ReviewerLoad, R)}
	for r, rv := range req.Reviewers {
		out.Loads[r] = ReviewerLoad{Reviewer: rv.ID, Capacity: rv.Capacity, Excluded: c.applicant[r]}
	}
	for i, a := range req.Applications {
		out.Sets[i] = ReviewerSet{ApplicationID: a.ID, Reviewers: make([]bsk.ProviderID, 0, k)}
	}
	for ci, cl := range classes {
		m, u := len(cl.apps), 0
		for _, ca := range carcs[ci] {
			for range net.FlowOn(ca.arc) {
				i := cl.apps[u%m]
				out.Sets[i].Reviewers = append(out.Sets[i].Reviewers, req.Reviewers[ca.reviewer].ID)
				out.Loads[ca.reviewer].Assigned++
				u++
			}
		}
	}
	var shortAt []int
	for ci, cl := range classes {
		// Readers count whoever reads the language, a reviewer who applied
		// too: their absence is a conflict, not a want of language.
		readers, free := 0, len(carcs[ci])
		for _, rv := range req.Reviewers {
			if rv.reads(cl.lang) {
				readers++
			}
		}
		for _, i := range cl.apps {
			got := len(out.Sets[i].Reviewers)
			if got >= k {
				continue
			}
			slices.Sort(out.Sets[i].Reviewers)
			code, avail := CodeReviewCapacity, free
			switch {
			case readers < k:
				code, avail = CodeReviewNoLanguage, readers
			case free < k:
				code = CodeReviewConflicted
			}
			shortAt = append(shortAt, i)
			out.Short = append(out.Short, ReviewShortfall{ApplicationID: req.Applications[i].ID, Assigned: got, Needed: k,
				Reason: Reason{Code: code, Outcome: NeedsReview, Field: "reviewers", Rule: "reviewer_assignment", Version: "1", Params: map[string]string{
					"needed": strconv.Itoa(k), "assigned": strconv.Itoa(got), "available": strconv.Itoa(avail), "language": cl.lang.Name(),
				}}})
		}
	}
	for i := range out.Sets {
		slices.Sort(out.Sets[i].Reviewers)
	}
	order := make([]int, len(shortAt))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return shortAt[x] - shortAt[y] })
	sorted := make([]ReviewShortfall, len(order))
	for i, o := range order {
		sorted[i] = out.Short[o]
	}
	out.Short = sorted
	return out, nil
}
