package training

import (
	"slices"
	"strconv"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// The certificate cohort's shape in the source documents: a 14-month
// program of monthly day-long modules for a cohort of 100.
const (
	// CohortMonths is the longest a cohort runs: its last module starts
	// before the first module's start plus this many months.
	CohortMonths = 14
	// DefaultCohortCapacity is the cohort's size when its offering gives
	// no capacity.
	DefaultCohortCapacity = 100
	// MaxCohortModules bounds a cohort's modules: a module a week for 14
	// months is 61.
	MaxCohortModules = 64
)

// Module is one day of a certificate cohort: a morning of classroom
// learning taught by a clinician and an afternoon of reflection groups led
// by the local mentor paired with them. Each module is one session of the
// cohort's offering.
type Module struct {
	// ID is the module's session ID.
	ID bsk.SessionID `json:"id"`
	// Title is the module's topic: "Anti-Racist Perspectives on
	// Attachment Theory, Research, and Practice".
	Title string `json:"title"`
	// Starts is when the day begins (UTC).
	Starts time.Time `json:"starts"`
	// Minutes is the day's length, 1 to 1440.
	Minutes int `json:"minutes" jsonschema:"minimum=1,maximum=1440"`
	// Clinician teaches the morning.
	Clinician bsk.ProviderID `json:"clinician"`
	// Mentor leads the afternoon's reflection groups.
	Mentor bsk.ProviderID `json:"mentor"`
}

// Session returns the module as a session of offering o.
func (m Module) Session(o bsk.OfferingID) bsk.Session {
	return bsk.Session{ID: m.ID, OfferingID: o, Starts: m.Starts, Minutes: m.Minutes}
}

// Cohort is a certificate cohort: its offering (kind
// [bsk.OfferingCertificateCohort]), its modules in time order, the
// modules a participant attends to complete, and its enrolment, a
// [Roster] for the whole offering: participants up to the capacity, a
// waitlist promoted in the order enrolled when a participant withdraws. A
// Cohort is not safe for concurrent use.
type Cohort struct {
	offering bsk.Offering
	modules  []Module
	required int
	roster   *Roster
}

// NewCohort returns the cohort of offering o with modules, of which a
// participant attends required to complete (0: every module), holding the
// registrations given: a cohort stored earlier and read back (see
// [NewRoster] for the rules they keep). o.Capacity 0 means
// [DefaultCohortCapacity].
//
// Errors, every problem at once ([bsk.Errors]): an invalid offering or one
// of another kind; no module; a module without a clinician or a mentor,
// with one person in both, or otherwise invalid (each naming the module:
// "modules[3].mentor"); two modules with one ID ([bsk.CodeConflict]) or
// one start; modules spanning more than [CohortMonths], or more than
// [MaxCohortModules] of them; required outside
// 0 to the modules; registrations that break the roster's rules.
func NewCohort(o bsk.Offering, modules []Module, required int, regs ...bsk.Registration) (*Cohort, error) {
	var p bsk.Problems
	if o.Capacity == 0 {
		o.Capacity = DefaultCohortCapacity
	}
	p.Merge("offering", o.Validate())
	if o.Kind != bsk.OfferingCertificateCohort {
		p.Add("offering.kind", "a cohort's offering is a %s, not a %s", bsk.OfferingCertificateCohort, o.Kind)
	}
	ms := slices.Clone(modules)
	slices.SortStableFunc(ms, func(a, b Module) int { return a.Starts.Compare(b.Starts) })
	checkModules(&p, modules)
	if len(ms) > 0 && !ms[0].Starts.IsZero() {
		if last, limit := ms[len(ms)-1].Starts, ms[0].Starts.AddDate(0, CohortMonths, 0); !last.Before(limit) {
			p.Add("modules", "the modules run from %s to %s, longer than %d months", ms[0].Starts.Format(time.DateOnly), last.Format(time.DateOnly), CohortMonths)
		}
	}
	if required < 0 || required > len(modules) {
		p.Add("required", "%d is outside 0 to the %d modules", required, len(modules))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	r, err := NewRoster(o, "", regs...)
	if err != nil {
		return nil, err
	}
	if required == 0 {
		required = len(ms)
	}
	return &Cohort{offering: o, modules: ms, required: required, roster: r}, nil
}

// checkModules adds every problem of the modules to p.
func checkModules(p *bsk.Problems, modules []Module) {
	if len(modules) == 0 {
		p.Add("modules", "at least one module is required")
	}
	if len(modules) > MaxCohortModules {
		p.Add("modules", "%d modules; a cohort has at most %d", len(modules), MaxCohortModules)
		return
	}
	ids := map[bsk.SessionID]int{}
	starts := map[int64]int{}
	for i, m := range modules {
		f := bsk.Index("modules", i)
		if msg := bsk.IDProblem(string(m.ID)); msg != "" {
			p.Add(bsk.JoinField(f, "id"), "%s", msg)
		} else if j, dup := ids[m.ID]; dup {
			p.AddCode(bsk.CodeConflict, bsk.JoinField(f, "id"), "module %q is listed twice (also modules[%d])", m.ID, j)
		} else {
			ids[m.ID] = i
		}
		name := string(m.ID)
		if name == "" {
			name = strconv.Itoa(i + 1)
		}
		if m.Title == "" {
			p.Add(bsk.JoinField(f, "title"), "module %q has no title", name)
		} else if len(m.Title) > 300 {
			p.Add(bsk.JoinField(f, "title"), "module %q: the title is longer than 300 bytes", name)
		}
		if m.Starts.IsZero() {
			p.Add(bsk.JoinField(f, "starts"), "module %q has no start", name)
		} else if j, dup := starts[m.Starts.UnixNano()]; dup {
			p.Add(bsk.JoinField(f, "starts"), "module %q starts with modules[%d]", name, j)
		} else {
			starts[m.Starts.UnixNano()] = i
		}
		if m.Minutes < 1 || m.Minutes > bsk.MinutesPerDay {
			p.Add(bsk.JoinField(f, "minutes"), "module %q lasts %d minutes, outside 1 to %d", name, m.Minutes, bsk.MinutesPerDay)
		}
		checkPerson(p, bsk.JoinField(f, "clinician"), name, "clinician", m.Clinician)
		checkPerson(p, bsk.JoinField(f, "mentor"), name, "mentor", m.Mentor)
		if m.Clinician != "" && m.Clinician == m.Mentor {
			p.Add(bsk.JoinField(f, "mentor"), "module %q: %q is both its clinician and its mentor", name, m.Mentor)
		}
	}
}

func checkPerson(p *bsk.Problems, field, module, role string, id bsk.ProviderID) {
	if id == "" {
		p.Add(field, "module %q has no %s", module, role)
		return
	}
	if msg := bsk.IDProblem(string(id)); msg != "" {
		p.Add(field, "module %q: %s", module, msg)
	}
}

// Offering returns the cohort's offering, its capacity set.
func (c *Cohort) Offering() bsk.Offering { return c.offering }

// Modules returns the modules in time order.
func (c *Cohort) Modules() []Module { return slices.Clone(c.modules) }

// Required returns the modules a participant attends to complete.
func (c *Cohort) Required() int { return c.required }

// Sessions returns the modules as sessions of the cohort's offering, in
// time order.
func (c *Cohort) Sessions() []bsk.Session {
	out := make([]bsk.Session, len(c.modules))
	for i, m := range c.modules {
		out[i] = m.Session(c.offering.ID)
	}
	return out
}

// Mentors returns the modules' mentors, each once, in the order they
// first lead a module.
func (c *Cohort) Mentors() []bsk.ProviderID {
	var out []bsk.ProviderID
	for _, m := range c.modules {
		if !slices.Contains(out, m.Mentor) {
			out = append(out, m.Mentor)
		}
	}
	return out
}

// Enrol enrols reg's provider for the whole cohort: a seat while one is
// free, the waitlist otherwise ([Roster.Register], whose errors it
// returns).
func (c *Cohort) Enrol(reg bsk.Registration) (bsk.Registration, error) { return c.roster.Register(reg) }

// Withdraw withdraws the registration id at time at; a participant's seat
// goes to the first on the waitlist, whose notice is returned
// ([Roster.Cancel], whose errors it returns).
func (c *Cohort) Withdraw(id bsk.RegistrationID, at time.Time) ([]bsk.WaitlistNotice, error) {
	return c.roster.Cancel(id, at)
}

// Roster returns the cohort's roster. Changing it changes the cohort.
func (c *Cohort) Roster() *Roster { return c.roster }

// Participants returns the registrations holding a seat, in the order
// made.
func (c *Cohort) Participants() []bsk.Registration { return c.roster.Registered() }
