package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// A scholarship cycle's funds: for a run, each fund's balance and every
// award, waitlisting, decline, return and promotion step in plain
// language (staff; an agency reads its own staff's steps only), and for
// staff a form that defines the cycle's funds. The ledger page links
// here.

// fundFormRows is how many rows the form has beyond the funds defined.
const fundFormRows = 2

type fundsPage struct {
	Program, Cycle, Run string
	// Shown is true once a run's funds are read; Funded when it drew on
	// funds; Own when the steps are the reader's agency's only.
	Shown, Funded, Own bool
	Balances           []fundBalanceRow
	Steps              []fundStepRow
	// Form is true for staff with a cycle named: the rows of its funds,
	// then blank ones; Defined when the cycle has funds.
	Form, Defined bool
	Rows          []fundFormRow
	Criteria      []string
	// Done says what the last form did.
	Done string
}

type fundBalanceRow struct {
	Name                  string
	Tier                  int
	Rule                  string
	Budget, Awarded, Left string
}

type fundStepRow struct {
	Seq             int
	Applicant, Text string
}

type fundFormRow struct {
	// N numbers the row's fields from 0; Num is N+1, as people count.
	N, Num                                   int
	Name, Tier, Budget, Criterion, Languages string
}

// funds shows a cycle's funds form and a run's funds.
func (w *Web) funds(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	out := fundsPage{Program: strings.TrimSpace(c.QueryParam("program")), Cycle: strings.TrimSpace(c.QueryParam("cycle")),
		Run: strings.TrimSpace(c.QueryParam("run")), Criteria: []string{}}
	if d := c.QueryParam("done"); d == "saved" || d == "removed" {
		out.Done = d
	}
	p := who(c)
	if !p.IsStaff() && out.Run == "" {
		return w.fail(c, bsk.Errorf(bsk.CodeUnauthorized, "the %s role may not define a cycle's funds", p.Role))
	}
	ref := service.CycleRef{ProgramID: out.Program, CycleID: out.Cycle}
	if out.Run != "" {
		if err := w.fillRunFunds(c, &out, service.RunRef{CycleRef: ref, RunID: out.Run}, l); err != nil {
			return w.fail(c, err)
		}
	}
	if p.IsStaff() && out.Program != "" && out.Cycle != "" {
		out.Form = true
		for _, cr := range (scholarship.PoolCriterion("")).Enum() {
			if !scholarship.PoolCriterion(cr).Demographic() {
				out.Criteria = append(out.Criteria, cr)
			}
		}
		cf, err := w.svc.Scholarships.Funds(ctx, ref)
		if err != nil && bsk.ErrorCode(err) != bsk.CodeNotFound {
			return w.fail(c, err)
		}
		out.Defined = err == nil
		for i, f := range cf.Funds {
			langs := make([]string, len(f.Languages))
			for j, lg := range f.Languages {
				langs[j] = string(lg)
			}
			out.Rows = append(out.Rows, fundFormRow{N: i, Num: i + 1, Name: f.Name, Tier: strconv.Itoa(f.Tier), Budget: dollarsPlain(f.Budget),
				Criterion: string(f.Criterion), Languages: strings.Join(langs, ", ")})
		}
		for i := 0; i < fundFormRows; i++ {
			out.Rows = append(out.Rows, fundFormRow{N: len(out.Rows), Num: len(out.Rows) + 1})
		}
	}
	return w.render(c, http.StatusOK, "funds", "funds.title", out)
}

// fillRunFunds reads a run's funds as the reader may see them.
func (w *Web) fillRunFunds(c echo.Context, out *fundsPage, ref service.RunRef, l Lang) error {
	ctx := c.Request().Context()
	rf, err := w.svc.Scholarships.RunFunds(ctx, ref, textLang(l))
	if err != nil {
		return err
	}
	apps, err := w.svc.Scholarships.Applications(ctx, ref.CycleRef)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(apps.Items))
	for _, a := range apps.Items {
		names[a.ID] = a.Applicant.Name
	}
	out.Shown, out.Funded, out.Own = true, rf.Funded, rf.Own
	for _, f := range rf.Funds {
		out.Balances = append(out.Balances, fundBalanceRow{Name: f.Name, Tier: f.Tier, Rule: fundRule(l, f.Criterion, f.Languages),
			Budget: l.Dollars(int64(f.Budget)), Awarded: l.Dollars(int64(f.Awarded)), Left: l.Dollars(int64(f.Left))})
	}
	for _, st := range rf.Steps {
		name := names[st.ApplicationID]
		if name == "" {
			name = st.ApplicationID
		}
		out.Steps = append(out.Steps, fundStepRow{Seq: st.Seq, Applicant: name, Text: st.Text})
	}
	return nil
}

// fundRule says who a fund pays, in l.
func fundRule(l Lang, cr scholarship.PoolCriterion, langs []bsk.Language) string {
	var parts []string
	if cr != "" {
		parts = append(parts, l.T("funds.criterion."+string(cr)))
	}
	if len(langs) > 0 {
		parts = append(parts, l.T("funds.rule_languages", l.Langs(langs)))
	}
	if len(parts) == 0 {
		return l.T("funds.rule_everyone")
	}
	return strings.Join(parts, "; ")
}

// dollarsPlain writes cents as a plain dollar amount a form reads back
// ("12500.00").
func dollarsPlain(c scholarship.Cents) string {
	return strconv.FormatInt(int64(c)/100, 10) + "." + strconv.FormatInt(int64(c)%100/10, 10) + strconv.FormatInt(int64(c)%10, 10)
}

// saveFunds defines, changes or removes a cycle's funds from the form
// (staff): rows without a name or a budget are left out; no row left
// removes the funds.
func (w *Web) saveFunds(c echo.Context) error {
	ctx := c.Request().Context()
	program, cycle := strings.TrimSpace(c.FormValue("program")), strings.TrimSpace(c.FormValue("cycle"))
	ref := service.CycleRef{ProgramID: program, CycleID: cycle}
	form, err := c.FormParams()
	if err != nil {
		return w.fail(c, bsk.Errors{bsk.Invalidf("form", "unreadable form")})
	}
	var req service.FundsRequest
	var pr bsk.Problems
	for i := 0; i < 50; i++ {
		n := strconv.Itoa(i)
		name, budget := strings.TrimSpace(form.Get("name_"+n)), strings.TrimSpace(form.Get("budget_"+n))
		if name == "" && budget == "" {
			continue
		}
		fld := bsk.Index("funds", len(req.Funds))
		f := scholarship.Fund{Name: name, Criterion: scholarship.PoolCriterion(strings.TrimSpace(form.Get("criterion_" + n)))}
		if t := strings.TrimSpace(form.Get("tier_" + n)); t != "" {
			if f.Tier, err = strconv.Atoi(t); err != nil {
				pr.Add(bsk.JoinField(fld, "tier"), "%q is not a whole number", t)
			}
		}
		var ok bool
		if f.Budget, ok = parseDollars(budget); !ok || budget == "" {
			pr.Add(bsk.JoinField(fld, "budget"), "%q is not an amount in dollars", budget)
		}
		for _, lg := range strings.FieldsFunc(form.Get("languages_"+n), func(r rune) bool { return r == ',' || r == ' ' }) {
			f.Languages = append(f.Languages, bsk.Language(lg))
		}
		req.Funds = append(req.Funds, f)
	}
	if err := pr.Err(); err != nil {
		return w.fail(c, err)
	}
	_, ferr := w.svc.Scholarships.Funds(ctx, ref)
	if ferr != nil && bsk.ErrorCode(ferr) != bsk.CodeNotFound {
		return w.fail(c, ferr)
	}
	done := "saved"
	switch {
	case len(req.Funds) == 0 && ferr == nil:
		err, done = w.svc.Scholarships.DeleteFunds(ctx, ref), "removed"
	case ferr == nil:
		_, err = w.svc.Scholarships.UpdateFunds(ctx, ref, req)
	default:
		_, err = w.svc.Scholarships.CreateFunds(ctx, ref, req)
	}
	if err != nil {
		return w.fail(c, err)
	}
	q := url.Values{"program": {program}, "cycle": {cycle}, "done": {done}}
	if run := strings.TrimSpace(c.FormValue("run")); run != "" {
		q.Set("run", run)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/scholarships/funds?"+q.Encode())
}
