package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// A scholarship run's ledger for staff: the awards with what was paid,
// repaid and is owed against the service commitment, the waitlist, every
// ledger entry, and a form per award to record that it was declined.

type ledgerPage struct {
	Program, Cycle, Run string
	// Shown is true once a run is read.
	Shown    bool
	Awards   []ledgerAward
	Waitlist []ledgerWaiting
	Declined []string
	Entries  []ledgerRow
	// EntriesPrev and EntriesNext page the entries.
	EntriesPrev, EntriesNext string
	// Spent and Left are the allocation's sums in dollars.
	Spent, Left string
	// Done says what the last form did.
	Done string
}

type ledgerAward struct {
	ApplicationID, Applicant       string
	Award, Disbursed, Repaid, Owed string
	UnmetMonths                    int
	Why                            string
}

type ledgerWaiting struct {
	Rank      int
	Applicant string
}

type ledgerRow struct {
	Seq                                 int
	Applicant, Kind, Term, Amount, When string
}

// ledger shows a scholarship run's ledger, awards, repayments and
// waitlist, with a decline form per award (staff).
func (w *Web) ledger(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	out := ledgerPage{Program: strings.TrimSpace(c.QueryParam("program")), Cycle: strings.TrimSpace(c.QueryParam("cycle")),
		Run: strings.TrimSpace(c.QueryParam("run")), Done: c.QueryParam("done")}
	if out.Done != "" && out.Done != "declined" {
		out.Done = ""
	}
	if out.Program == "" || out.Cycle == "" || out.Run == "" {
		// The page's form alone: for staff, who alone read ledgers.
		if p := who(c); !p.IsStaff() {
			return w.fail(c, bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not read a scholarship ledger", p.Role))
		}
		return w.render(c, http.StatusOK, "ledger", "ledger.title", out)
	}
	ref := service.RunRef{CycleRef: service.CycleRef{ProgramID: out.Program, CycleID: out.Cycle}, RunID: out.Run}
	run, err := w.svc.Scholarships.GetRun(ctx, ref)
	if err != nil {
		return w.fail(c, err)
	}
	apps, err := w.svc.Scholarships.Applications(ctx, ref.CycleRef)
	if err != nil {
		return w.fail(c, err)
	}
	names := make(map[string]string, len(apps.Items))
	for _, a := range apps.Items {
		names[a.ID] = a.Applicant.Name
	}
	name := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
	entries, err := w.svc.Scholarships.Ledger(ctx, ref)
	if err != nil {
		return w.fail(c, err)
	}
	out.Shown = true
	out.Spent, out.Left = l.Dollars(int64(run.Allocation.Spent)), l.Dollars(int64(run.Allocation.Left))
	now := time.Now().UTC()
	for _, a := range run.Allocation.Awards {
		owed, err := w.svc.Scholarships.Owed(ctx, ref, a.ApplicationID, now)
		if err != nil {
			return w.fail(c, err)
		}
		out.Awards = append(out.Awards, ledgerAward{ApplicationID: a.ApplicationID, Applicant: name(a.ApplicationID),
			Award: l.Dollars(int64(a.Amount)), Disbursed: l.Dollars(int64(owed.Disbursed)), Repaid: l.Dollars(int64(owed.Repaid)),
			Owed: l.Dollars(int64(owed.Owed)), UnmetMonths: owed.UnmetMonths, Why: l.T("ledger.why." + owed.Code)})
	}
	for _, u := range run.Allocation.Waitlist {
		out.Waitlist = append(out.Waitlist, ledgerWaiting{Rank: u.Rank, Applicant: name(u.ApplicationID)})
	}
	for _, id := range run.Declined {
		out.Declined = append(out.Declined, name(id))
	}
	// The entries a page at a time (paging.go).
	entries.Items, out.EntriesPrev, out.EntriesNext = offsetPage(c, entries.Items, "entries_page")
	for _, e := range entries.Items {
		row := ledgerRow{Seq: e.Seq, Applicant: name(e.ApplicationID), Kind: l.T("ledger.kind." + string(e.Kind)), Term: e.Term,
			Amount: "—", When: l.DateTime(e.At)}
		if e.Amount != 0 {
			row.Amount = l.Dollars(int64(e.Amount))
		}
		out.Entries = append(out.Entries, row)
	}
	return w.render(c, http.StatusOK, "ledger", "ledger.title", out)
}

// decline records that an awarded applicant declined: the money goes down
// the waitlist (staff).
func (w *Web) decline(c echo.Context) error {
	program, cycle, run := strings.TrimSpace(c.FormValue("program")), strings.TrimSpace(c.FormValue("cycle")), strings.TrimSpace(c.FormValue("run"))
	ref := service.RunRef{CycleRef: service.CycleRef{ProgramID: program, CycleID: cycle}, RunID: run}
	if _, err := w.svc.Scholarships.Decline(c.Request().Context(), ref, service.DeclineRequest{ApplicationIDs: []string{strings.TrimSpace(c.FormValue("application"))}}); err != nil {
		return w.fail(c, err)
	}
	q := url.Values{"program": {program}, "cycle": {cycle}, "run": {run}, "done": {"declined"}}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships/ledger?"+q.Encode())
}
