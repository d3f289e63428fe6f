package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/scholarship"
)

// grant is what each application of fundProgram asks and is granted:
// its tuition and books, each at the cycle's cap.
const grant = 9_500_00

// fundProgram is a program "funded" whose cycle 2026 has budget enough
// for every fund the tests define.
func fundProgram() app.ProgramConfig {
	p := esitProgram(60_000_00)
	p.Program.ID = "funded"
	return p
}

// testFunds are a language-access fund for Spanish speakers in tier 1
// (one award) and the general fund in tier 2 (two awards, and 4,000.00
// left).
func testFunds() []scholarship.Fund {
	return []scholarship.Fund{
		{Name: "general", Tier: 2, Budget: 2*grant + 4_000_00},
		{Name: "language-access", Tier: 1, Budget: grant, Languages: []bsk.Language{bsk.Spanish}},
	}
}

// fundOracle allocates as the issue describes, written here from the
// funds' rules: each application in rank order, from the first fund in
// tier order that admits it and has money enough; the waitlist, in rank
// order, is offered freed money the same way.
type fundOracle struct {
	funds   []scholarship.Fund // in tier order
	left    map[string]scholarship.Cents
	award   map[string]string // application -> fund
	amount  map[string]scholarship.Cents
	spanish map[string]bool
	closed  map[string]bool
	ranking []string
}

func newOracle(funds []scholarship.Fund, ranking []string, spanish map[string]bool) *fundOracle {
	o := &fundOracle{funds: slices.Clone(funds), left: map[string]scholarship.Cents{}, award: map[string]string{},
		amount: map[string]scholarship.Cents{}, spanish: spanish, closed: map[string]bool{}, ranking: ranking}
	slices.SortStableFunc(o.funds, func(a, b scholarship.Fund) int { return a.Tier - b.Tier })
	for _, f := range funds {
		o.left[f.Name] = f.Budget
	}
	o.fill()
	return o
}

func (o *fundOracle) fill() {
	for _, id := range o.ranking {
		if o.award[id] != "" || o.closed[id] {
			continue
		}
		for _, f := range o.funds {
			if len(f.Languages) > 0 && !o.spanish[id] {
				continue
			}
			if o.left[f.Name] >= grant {
				o.left[f.Name] -= grant
				o.award[id], o.amount[id] = f.Name, grant
				break
			}
		}
	}
}

func (o *fundOracle) decline(id string) {
	o.left[o.award[id]] += o.amount[id]
	delete(o.award, id)
	o.closed[id] = true
	o.fill()
}

func (o *fundOracle) giveBack(id string, amount scholarship.Cents) {
	o.left[o.award[id]] += amount
	o.amount[id] -= amount
	o.fill()
}

// check compares the run's allocation and its funds' balances with the
// oracle, and every fund's awards with its budget.
func (o *fundOracle) check(t *testing.T, run app.CycleRun, rf app.RunFunds) {
	t.Helper()
	got, want := map[string]string{}, map[string]string{}
	spent := map[string]scholarship.Cents{}
	for _, a := range run.Allocation.Awards {
		got[a.ApplicationID] = a.Pool
		spent[a.Pool] += a.Amount
		if a.Amount != o.amount[a.ApplicationID] {
			t.Errorf("award of %s = %s; want %s", a.ApplicationID, a.Amount, o.amount[a.ApplicationID])
		}
	}
	for id, f := range o.award {
		want[id] = f
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("awards by fund (-want +got):\n%s", d)
	}
	for _, f := range o.funds {
		if spent[f.Name] > f.Budget {
			t.Errorf("fund %s awards %s, over its budget %s", f.Name, spent[f.Name], f.Budget)
		}
		i := slices.IndexFunc(rf.Funds, func(b app.FundView) bool { return b.Name == f.Name })
		if i < 0 {
			t.Errorf("no balance of fund %s in %+v", f.Name, rf.Funds)
			continue
		}
		if b := rf.Funds[i]; b.Awarded != spent[f.Name] || b.Left != f.Budget-spent[f.Name] || b.Left != o.left[f.Name] {
			t.Errorf("balance of %s = %+v; want awarded %s, left %s", f.Name, b.FundBalance, spent[f.Name], o.left[f.Name])
		}
	}
}

// fundCycle stores the funded program, its funds and five applications:
// org-001's f-1 (Spanish), f-2 and f-5, org-002's f-3 and f-4
// (Spanish). It returns the cycle's path and which applications are
// whose.
func fundCycle(t *testing.T, s *server) (string, map[string]string, map[string]bool) {
	t.Helper()
	s.expect(201, "POST", "/api/v1/programs", s.Admin, fundProgram())
	path := "/api/v1/programs/funded/cycles/2026"
	s.expect(201, "POST", path+"/funds", s.Admin, app.FundsRequest{Funds: testFunds()})
	one, two := staffOf(t, s, "org-001"), staffOf(t, s, "org-002")
	if len(one) < 3 || len(two) < 2 {
		t.Fatalf("demo organizations too small: %d, %d", len(one), len(two))
	}
	orgOf, spanish := map[string]string{}, map[string]bool{}
	for i, p := range []bsk.Provider{one[0], one[1], two[0], two[1], one[2]} {
		a := application(p.ID, "Applicant", 24, 40)
		a.ID = "f-" + string(rune('1'+i))
		if i == 0 || i == 3 {
			a.Applicant.Languages = []bsk.Language{bsk.Spanish, bsk.English}
			spanish[a.ID] = true
		}
		orgOf[a.ID] = string(p.OrganizationID)
		s.expect(201, "POST", path+"/applications", s.Admin, a)
	}
	return path, orgOf, spanish
}

func TestScholarshipFunds(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { testScholarshipFunds(t, b) })
	}
}

func testScholarshipFunds(t *testing.T, b backend) {
	s := start(t, b, true)
	coord := s.key("coordinator", "", "")
	agency := s.key("agency", "org-001", "")
	evaluator := s.key("evaluator", "", "")
	path, orgOf, spanish := fundCycle(t, s)

	// The funds as stored; a second definition is a conflict; an agency
	// does not read them.
	var cf app.CycleFunds
	s.expect(200, "GET", path+"/funds", coord, nil).json(t, &cf)
	if d := cmp.Diff(testFunds(), cf.Funds); d != "" {
		t.Errorf("stored funds (-want +got):\n%s", d)
	}
	s.expect(409, "POST", path+"/funds", coord, app.FundsRequest{Funds: testFunds()})
	s.expect(403, "GET", path+"/funds", agency, nil)

	var run app.CycleRun
	s.expect(201, "POST", path+"/runs", coord, nil).json(t, &run)
	if len(run.Ranking) != 5 || run.Counts[scholarship.Eligible] != 5 {
		t.Fatalf("run = %+v", run)
	}
	rp := path + "/runs/" + run.ID
	o := newOracle(testFunds(), run.Ranking, spanish)
	readFunds := func(key string) app.RunFunds {
		t.Helper()
		var rf app.RunFunds
		s.expect(200, "GET", rp+"/funds", key, nil).json(t, &rf)
		return rf
	}
	readRun := func() app.CycleRun {
		t.Helper()
		var r app.CycleRun
		s.expect(200, "GET", rp, coord, nil).json(t, &r)
		return r
	}
	o.check(t, run, readFunds(coord))
	if len(o.award) != 3 {
		t.Fatalf("the oracle awards %v: the fixture needs three awards and two waiting", o.award)
	}

	// Each decision record says which fund paid, its tier and its rule,
	// or that no fund could.
	recs := decisions(t, s, s.Admin, rp, "")
	for _, id := range run.Ranking {
		d := recs[id]
		reason := fundReasonOf(d.Reasons, "fund_awarded")
		if f := o.award[id]; f != "" {
			if d.Step != "awarded" || d.Award == nil || d.Award.Pool != f || d.Award.Amount != grant || reason == nil || reason.Params["fund"] != f {
				t.Errorf("decision of %s = step %q, award %+v, reason %+v; want awarded from %s", id, d.Step, d.Award, reason, f)
				continue
			}
			wantTier, wantRule := "2", ""
			if f == "language-access" {
				wantTier, wantRule = "1", "es"
			}
			if reason.Params["tier"] != wantTier || reason.Params["languages"] != wantRule {
				t.Errorf("reason of %s = %v; want tier %s, languages %q", id, reason.Params, wantTier, wantRule)
			}
			// The award is said once; the fund's line names the fund.
			said, named := 0, false
			for _, text := range d.Texts {
				said += strings.Count(text, "You are awarded")
				named = named || strings.Contains(text, "The "+f+" fund pays")
			}
			if said != 1 || !named {
				t.Errorf("texts of %s say the award %d times, name the fund %v: %q", id, said, named, d.Texts)
			}
		} else if d.Step != "waitlisted" || d.Award != nil || fundReasonOf(d.Reasons, "fund_waitlisted") == nil {
			t.Errorf("decision of %s = step %q, award %+v, reasons %+v; want waitlisted by the funds", id, d.Step, d.Award, d.Reasons)
		}
	}

	// A general award is declined: the first applicant waiting is promoted
	// into the general fund, and both records say so, in Spanish too.
	var declined string
	for _, id := range run.Ranking {
		if o.award[id] == "general" {
			declined = id
			break
		}
	}
	waiting := slices.DeleteFunc(slices.Clone(run.Ranking), func(id string) bool { return o.award[id] != "" })
	s.expect(200, "POST", rp+"/declines", coord, app.DeclineRequest{ApplicationIDs: []string{declined}})
	o.decline(declined)
	run = readRun()
	o.check(t, run, readFunds(coord))
	if o.award[waiting[0]] != "general" {
		t.Fatalf("the oracle promoted %v, not %s", o.award, waiting[0])
	}
	es := decisions(t, s, s.Admin, rp, "es")
	if d := es[declined]; d.Step != scholarship.StepDeclined || d.Award != nil || fundReasonOf(d.Reasons, "fund_declined") == nil {
		t.Errorf("decliner's decision = step %q, award %+v, reasons %+v", d.Step, d.Award, d.Reasons)
	}
	promoted := es[waiting[0]]
	if r := fundReasonOf(promoted.Reasons, "fund_promoted"); promoted.Step != "awarded" || promoted.Award == nil || promoted.Award.Pool != "general" || r == nil {
		t.Errorf("promoted decision = step %q, award %+v, reasons %+v", promoted.Step, promoted.Award, promoted.Reasons)
	}
	if !slices.ContainsFunc(promoted.Texts, func(s string) bool { return strings.Contains(s, "del fondo general") }) {
		t.Errorf("promoted texts in Spanish = %q", promoted.Texts)
	}
	// Declined twice, or an application without an award: conflicts.
	s.expect(409, "POST", rp+"/declines", coord, app.DeclineRequest{ApplicationIDs: []string{declined}})
	s.expect(409, "POST", rp+"/declines", coord, app.DeclineRequest{ApplicationIDs: []string{waiting[1]}})
	s.expect(404, "POST", rp+"/declines", coord, app.DeclineRequest{ApplicationIDs: []string{"nobody"}})

	// The ledger follows the funds: the promoted award is paid, the
	// declined one no longer exists.
	s.expect(201, "POST", rp+"/ledger", coord, scholarship.Entry{ApplicationID: waiting[0], Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 1_000_00, At: cycleStart})
	if r := s.do("POST", rp+"/ledger", coord, scholarship.Entry{ApplicationID: declined, Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 1_000_00, At: cycleStart}); r.Status < 400 {
		t.Errorf("a disbursement to the decliner = %d", r.Status)
	}

	// A recipient withdraws after 4,000.00 of the general award was paid:
	// the rest goes back to the fund, which then pays the last applicant
	// waiting.
	var recipient string
	for _, id := range run.Ranking {
		if o.award[id] == "general" && id != waiting[0] {
			recipient = id
		}
	}
	s.expect(201, "POST", rp+"/ledger", coord, scholarship.Entry{ApplicationID: recipient, Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 4_000_00, At: cycleStart})
	s.expect(201, "POST", rp+"/completion/"+recipient+"/outcome", coord, app.CompletionOutcome{Outcome: scholarship.Withdrew, At: cycleStart.AddDate(0, 2, 0)})
	o.giveBack(recipient, grant-4_000_00)
	run = readRun()
	rf := readFunds(coord)
	o.check(t, run, rf)
	if o.award[waiting[1]] != "general" {
		t.Fatalf("the oracle did not promote %s after the return: %v", waiting[1], o.award)
	}
	kinds := make([]scholarship.FundStepKind, len(rf.Steps))
	for i, st := range rf.Steps {
		kinds[i] = st.Kind
		if st.Seq != i+1 || st.Text == "" || strings.Contains(st.Text, "fund_") {
			t.Errorf("step %d = %+v", i, st)
		}
	}
	wantKinds := []scholarship.FundStepKind{"awarded", "awarded", "awarded", "waitlisted", "waitlisted", "declined", "promoted", "returned", "promoted"}
	slices.Sort(wantKinds[:5])
	slices.Sort(kinds[:min(5, len(kinds))])
	if d := cmp.Diff(wantKinds, kinds); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if last := rf.Steps[len(rf.Steps)-1]; last.ApplicationID != waiting[1] || last.Cause != recipient || last.Fund != "general" {
		t.Errorf("last step = %+v; want %s promoted by %s's return", last, waiting[1], recipient)
	}
	// The ledger still reads: what was paid stands.
	var owed app.Page[struct {
		ApplicationID string `json:"application_id"`
	}]
	s.expect(200, "GET", rp+"/ledger", coord, nil).json(t, &owed)
	if len(owed.Items) != 3 {
		t.Errorf("ledger = %+v; want three entries", owed.Items)
	}

	// An agency reads its own staff's steps only: no balances, and no
	// other agency's application, as a step or as a cause.
	own := readFunds(agency)
	if !own.Own || len(own.Funds) != 0 {
		t.Errorf("agency view = own %v, funds %+v", own.Own, own.Funds)
	}
	var wantOwn int
	for _, st := range rf.Steps {
		if orgOf[st.ApplicationID] == "org-001" {
			wantOwn++
		}
	}
	if len(own.Steps) != wantOwn || wantOwn == 0 {
		t.Errorf("agency steps = %d; want %d", len(own.Steps), wantOwn)
	}
	for _, st := range own.Steps {
		if orgOf[st.ApplicationID] != "org-001" || (st.Cause != "" && orgOf[st.Cause] != "org-001") {
			t.Errorf("agency org-001 reads step %+v", st)
		}
	}
	s.expect(403, "GET", rp+"/funds", evaluator, nil)
	// Nor do its decision records name another agency's application.
	for id, d := range decisions(t, s, agency, rp, "") {
		if orgOf[id] != "org-001" {
			t.Errorf("agency org-001 reads the decision of %s", id)
		}
		for _, r := range d.Reasons {
			for _, v := range r.Params {
				if orgOf[v] == "org-002" {
					t.Errorf("the decision of %s names org-002's %s: %+v", id, v, r)
				}
			}
		}
	}
	// A recipient paid nothing withdraws: refused, the award is declined
	// instead, and nothing changes.
	var unpaid string
	for _, id := range run.Ranking {
		if o.award[id] == "language-access" {
			unpaid = id
		}
	}
	s.expect(409, "POST", rp+"/completion/"+unpaid+"/outcome", coord, app.CompletionOutcome{Outcome: scholarship.Withdrew, At: cycleStart.AddDate(0, 2, 0)})
	s.expect(409, "POST", rp+"/ledger", coord, scholarship.Entry{ApplicationID: unpaid, Kind: scholarship.Withdrew, At: cycleStart.AddDate(0, 2, 0)})
	if after := readFunds(coord); !cmp.Equal(after, rf) {
		t.Errorf("a refused withdrawal changed the funds:\n%s", cmp.Diff(rf, after))
	}

	// Runs keep their funds: changing the cycle's funds changes no run;
	// without funds, the next run draws on the one budget.
	s.expect(200, "PUT", path+"/funds", coord, app.FundsRequest{Funds: testFunds()[:1]})
	if again := readFunds(coord); !cmp.Equal(again, rf) {
		t.Errorf("the run's funds changed with the cycle's:\n%s", cmp.Diff(rf, again))
	}
	s.expect(204, "DELETE", path+"/funds", coord, nil)
	s.expect(404, "GET", path+"/funds", coord, nil)
	var plain app.CycleRun
	s.expect(201, "POST", path+"/runs", coord, nil).json(t, &plain)
	var pf app.RunFunds
	s.expect(200, "GET", path+"/runs/"+plain.ID+"/funds", coord, nil).json(t, &pf)
	if pf.Funded || len(pf.Steps) != 0 || plain.Allocation.Spent != 5*grant {
		t.Errorf("a run without funds: funded %v, steps %d, spent %s", pf.Funded, len(pf.Steps), plain.Allocation.Spent)
	}
	for _, a := range plain.Allocation.Awards {
		if a.Pool != "general" {
			t.Errorf("award %+v of a run without funds", a)
		}
	}
}

// fundReasonOf is the reason of code in rs, nil when none.
func fundReasonOf(rs []scholarship.Reason, code string) *scholarship.Reason {
	for i := range rs {
		if rs[i].Code == code && rs[i].Rule == "funds" {
			return &rs[i]
		}
	}
	return nil
}

func TestScholarshipFundsValidation(t *testing.T) {
	s := start(t, backend{name: "sqlite"}, false)
	s.expect(201, "POST", "/api/v1/programs", s.Admin, fundProgram())
	path := "/api/v1/programs/funded/cycles/2026"
	bad := []scholarship.Fund{
		{Name: "general", Tier: 101, Budget: 50_000_00},
		{Name: "general", Tier: 1, Budget: 20_000_00, Criterion: scholarship.PoolBIPOC},
		{Name: "", Tier: 1, Budget: 1_00, Languages: []bsk.Language{"xx"}},
	}
	r := s.expect(400, "POST", path+"/funds", s.Admin, app.FundsRequest{Funds: bad})
	got := r.problems(t)
	for _, f := range []string{"funds[0].tier", "funds[1].name", "funds[1].criterion", "funds[2].name", "funds[2].languages[0]", "funds"} {
		if !slices.Contains(got, f) {
			t.Errorf("problems = %v; want one naming %s", got, f)
		}
	}
	s.expect(404, "GET", path+"/funds", s.Admin, nil)
	s.expect(404, "PUT", path+"/funds", s.Admin, app.FundsRequest{Funds: testFunds()})
	s.expect(404, "POST", "/api/v1/programs/funded/cycles/1999/funds", s.Admin, app.FundsRequest{Funds: testFunds()})
	s.expect(400, "POST", path+"/funds", s.Admin, app.FundsRequest{})
	s.expect(400, "POST", path+"/funds", s.Admin, []byte(`{"funds":[],"extra":1}`))
}

// fundsWalk calls every funds route and the queue preview once with
// success, for the OpenAPI contract's test.
func fundsWalk(t *testing.T, s *server, send sender) {
	t.Helper()
	path, _, _ := fundCycle(t, s)
	coord, agency := s.key("coordinator", "", ""), s.key("agency", "org-001", "")
	send("GET", "/api/v1/programs/funded/funds", coord, nil, 200)
	send("GET", path+"/funds", coord, nil, 200)
	send("PUT", path+"/funds", coord, app.FundsRequest{Funds: testFunds()}, 200)
	var run app.CycleRun
	if err := json.Unmarshal(send("POST", path+"/runs", coord, nil, 201), &run); err != nil {
		t.Fatal(err)
	}
	send("GET", path+"/runs/"+run.ID+"/funds", coord, nil, 200)
	send("GET", path+"/runs/"+run.ID+"/funds", agency, nil, 200)
	send("DELETE", path+"/funds", coord, nil, 204)
	send("POST", path+"/funds", coord, app.FundsRequest{Funds: testFunds()}, 201)
	reviewer := staffOf(t, s, "org-003")[0].ID
	send("POST", path+"/review-assignment", coord, app.ReviewSetup{Reviewers: []scholarship.Reviewer{{ID: reviewer, Capacity: 5}}}, 201)
	send("GET", path+"/review-queue/preview?reviewer="+string(reviewer), coord, nil, 200)
}

// TestScholarshipFundsConcurrentDeclines: two awards of one funded run
// declined at once are both applied, each promotion from the money one
// freed: no decline is lost, no fund pays more than its budget, no money
// is left in a fund while an applicant it admits waits, and every
// decision record agrees with the run's allocation.
func TestScholarshipFundsConcurrentDeclines(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := start(t, b, true)
			path, _, spanish := fundCycle(t, s)
			var run app.CycleRun
			s.expect(201, "POST", path+"/runs", s.Admin, nil).json(t, &run)
			rp := path + "/runs/" + run.ID
			var decline []string
			for _, pool := range []string{"language-access", "general"} {
				i := slices.IndexFunc(run.Allocation.Awards, func(a scholarship.Award) bool { return a.Pool == pool })
				if i < 0 {
					t.Fatalf("no award from %s: %+v", pool, run.Allocation.Awards)
				}
				decline = append(decline, run.Allocation.Awards[i].ApplicationID)
			}
			statuses := make(chan int, len(decline))
			for _, id := range decline {
				go func() {
					statuses <- s.do("POST", rp+"/declines", s.Admin, app.DeclineRequest{ApplicationIDs: []string{id}}).Status
				}()
			}
			for range decline {
				if st := <-statuses; st != 200 {
					t.Errorf("a concurrent decline = %d", st)
				}
			}

			s.expect(200, "GET", rp, s.Admin, nil).json(t, &run)
			var rf app.RunFunds
			s.expect(200, "GET", rp+"/funds", s.Admin, nil).json(t, &rf)
			declined := 0
			for _, st := range rf.Steps {
				if st.Kind == scholarship.FundDeclined {
					declined++
				}
			}
			if declined != 2 {
				t.Errorf("%d declined steps; want 2", declined)
			}
			spent := map[string]scholarship.Cents{}
			for _, a := range run.Allocation.Awards {
				spent[a.Pool] += a.Amount
				if slices.Contains(decline, a.ApplicationID) {
					t.Errorf("%s declined and still awarded", a.ApplicationID)
				}
			}
			left := map[string]scholarship.Cents{}
			for _, f := range testFunds() {
				left[f.Name] = f.Budget - spent[f.Name]
				if spent[f.Name] > f.Budget {
					t.Errorf("fund %s pays %s, over its budget %s", f.Name, spent[f.Name], f.Budget)
				}
			}
			for _, w := range run.Allocation.Waitlist {
				if left["general"] >= grant || (spanish[w.ApplicationID] && left["language-access"] >= grant) {
					t.Errorf("%s waits while a fund that admits it has %v left", w.ApplicationID, left)
				}
			}
			recs := decisions(t, s, s.Admin, rp, "")
			for _, a := range run.Allocation.Awards {
				if d := recs[a.ApplicationID]; d.Step != "awarded" || d.Award == nil || d.Award.Pool != a.Pool {
					t.Errorf("record of %s = step %q, award %+v; the run awards it from %s", a.ApplicationID, d.Step, d.Award, a.Pool)
				}
			}
			for _, id := range decline {
				if d := recs[id]; d.Step != scholarship.StepDeclined || d.Award != nil {
					t.Errorf("record of the declined %s = step %q, award %+v", id, d.Step, d.Award)
				}
			}
		})
	}
}
