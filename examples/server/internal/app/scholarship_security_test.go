package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// private is the demographics the security tests' applicants report.
var private = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceBlack}, Gender: bsk.GenderWoman, AgeBand: bsk.Age25To34, Income: bsk.IncomeUnder200FPL}

// cyc is the test cycle's path.
const cyc = "/api/v1/programs/esit/cycles/2026"

// scholarshipWorld is a running server with a program, keys for each
// role, and the demo workforce's first two organizations' staff.
type scholarshipWorld struct {
	s                      *server
	coord, agency, agency2 string
	staff, staff2          []bsk.Provider
}

func newScholarshipWorld(t *testing.T, cfg app.Config, prog app.ProgramConfig) *scholarshipWorld {
	t.Helper()
	if cfg.Data == "" {
		cfg.Data = t.TempDir()
	}
	s := startWith(t, backend{name: "sqlite"}, cfg)
	w := &scholarshipWorld{s: s, coord: s.key("coordinator", "", ""), agency: s.key("agency", "org-001", ""), agency2: s.key("agency", "org-002", ""),
		staff: staffOf(t, s, "org-001"), staff2: staffOf(t, s, "org-002")}
	if len(w.staff) < 4 || len(w.staff2) < 2 {
		t.Fatalf("demo organizations too small: %d, %d", len(w.staff), len(w.staff2))
	}
	s.expect(201, "POST", "/api/v1/programs", w.coord, prog)
	return w
}

// apply submits an application with the private demographics and returns
// its ID.
func (w *scholarshipWorld) apply(t *testing.T, key string, p bsk.Provider, name string) string {
	t.Helper()
	a := application(p.ID, name, 24, 40)
	a.Applicant.Demographics = private
	var got scholarship.Application
	w.s.expect(201, "POST", cyc+"/applications", key, a).json(t, &got)
	return got.ID
}

func (w *scholarshipWorld) run(t *testing.T) app.CycleRun {
	t.Helper()
	var run app.CycleRun
	w.s.expect(201, "POST", cyc+"/runs", w.coord, nil).json(t, &run)
	return run
}

// rawDecisions returns a run's decisions as JSON objects, by application.
func rawDecisions(t *testing.T, s *server, key, runID string) map[string]map[string]any {
	t.Helper()
	var page struct{ Items []map[string]any }
	s.expect(200, "GET", cyc+"/runs/"+runID+"/decisions?limit=500", key, nil).json(t, &page)
	out := map[string]map[string]any{}
	for _, d := range page.Items {
		out[d["application_id"].(string)] = d
	}
	return out
}

// candidates lists demographics an attacker would try: no race, one or two
// categories, every gender, age band and income band (and none).
func candidates() []bsk.Demographics {
	races := [][]bsk.RaceEthnicity{nil}
	codes := bsk.RaceEthnicity("").Enum()
	for i, a := range codes {
		races = append(races, []bsk.RaceEthnicity{bsk.RaceEthnicity(a)})
		for _, b := range codes[i+1:] {
			races = append(races, []bsk.RaceEthnicity{bsk.RaceEthnicity(a), bsk.RaceEthnicity(b)})
		}
	}
	var out []bsk.Demographics
	for _, r := range races {
		for _, g := range append([]string{""}, bsk.Gender("").Enum()...) {
			for _, ab := range append([]string{""}, bsk.AgeBand("").Enum()...) {
				for _, in := range append([]string{""}, bsk.IncomeBand("").Enum()...) {
					out = append(out, bsk.Demographics{Race: r, Gender: bsk.Gender(g), AgeBand: bsk.AgeBand(ab), Income: bsk.IncomeBand(in)})
				}
			}
		}
	}
	return out
}

// enumerate tries every candidate's demographics in the application and
// returns those whose hash matches.
func enumerate(app scholarship.Application, hash string, sum func(scholarship.Application) string) []bsk.Demographics {
	var found []bsk.Demographics
	for _, d := range candidates() {
		app.Applicant.Demographics = d
		if sum(app) == hash {
			found = append(found, d)
		}
	}
	return found
}

// unkeyed is the public, unkeyed SHA-256 of an application's JSON that
// decision records used to carry.
func unkeyed(a scholarship.Application) string {
	b, _ := json.Marshal(a)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestDecisionHashResistsEnumeration: a coordinator who reads a decision's
// inputs hash and the application (without demographics) cannot find the
// demographics by trying every combination; whoever holds the server's
// key can, which shows the enumeration itself works. The key file is the
// owner's alone and survives a restart.
func TestDecisionHashResistsEnumeration(t *testing.T) {
	dir := t.TempDir()
	w := newScholarshipWorld(t, app.Config{Data: dir}, esitProgram(19_000_00))
	id := w.apply(t, w.agency, w.staff[0], "ana")
	run := w.run(t)
	d := decisions(t, w.s, w.coord, cyc+"/runs/"+run.ID, "")[id]
	if len(d.InputsHash) != 64 {
		t.Fatalf("inputs_hash = %q", d.InputsHash)
	}
	var apps app.Page[scholarship.Application]
	w.s.expect(200, "GET", cyc+"/applications", w.coord, nil).json(t, &apps)
	if len(apps.Items) != 1 || apps.Items[0].ID != id || len(apps.Items[0].Applicant.Demographics.Race) != 0 {
		t.Fatalf("the coordinator's view of the applications = %+v", apps.Items)
	}
	seen := apps.Items[0]
	if n := len(candidates()); n < 5000 {
		t.Fatalf("only %d candidates", n)
	}
	if found := enumerate(seen, d.InputsHash, unkeyed); len(found) != 0 {
		t.Fatalf("a coordinator recovered the applicant's demographics from inputs_hash: %+v", found)
	}
	for _, k := range [][]byte{nil, {}, make([]byte, 32)} {
		if found := enumerate(seen, d.InputsHash, func(a scholarship.Application) string { return scholarship.InputsHash(k, a) }); len(found) != 0 {
			t.Fatalf("a guessed key %x recovers the demographics: %+v", k, found)
		}
	}
	keyFile := filepath.Join(dir, "decision.key")
	key, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 32 {
		t.Errorf("the key file holds %d bytes; want 32", len(key))
	}
	found := enumerate(seen, d.InputsHash, func(a scholarship.Application) string { return scholarship.InputsHash(key, a) })
	if len(found) != 1 || !slices.Equal(found[0].Race, private.Race) || found[0].Gender != private.Gender || found[0].AgeBand != private.AgeBand || found[0].Income != private.Income {
		t.Fatalf("with the key, the enumeration found %+v; want exactly %+v", found, private)
	}
	if !scholarship.VerifyInputsHash(key, func() scholarship.Application { a := seen; a.Applicant.Demographics = private; return a }(), d.InputsHash) {
		t.Error("VerifyInputsHash refuses the true inputs")
	}
	fi, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("decision.key has mode %v; want 0600", fi.Mode().Perm())
	}
	if strings.Contains(w.s.logs.String(), hex.EncodeToString(key)) {
		t.Error("the key is in the log")
	}
	// The administrator verifies a record against the stored application.
	var v app.DecisionCheck
	w.s.expect(200, "GET", cyc+"/runs/"+run.ID+"/decisions/"+id+"/verify", w.s.Admin, nil).json(t, &v)
	if !v.Matches {
		t.Errorf("verify = %+v; want a match", v)
	}
	w.s.expect(403, "GET", cyc+"/runs/"+run.ID+"/decisions/"+id+"/verify", w.coord, nil)

	// After a restart the same key gives the same hash.
	w.s.App.Close()
	s2 := startIn(t, backend{name: "sqlite"}, true, dir)
	coord2 := s2.key("coordinator", "", "")
	var again app.CycleRun
	s2.expect(201, "POST", cyc+"/runs", coord2, nil).json(t, &again)
	if d2 := decisions(t, s2, coord2, cyc+"/runs/"+again.ID, "")[id]; d2.InputsHash != d.InputsHash {
		t.Errorf("after a restart inputs_hash = %s; want %s", d2.InputsHash, d.InputsHash)
	}
	if key2, _ := os.ReadFile(keyFile); string(key2) != string(key) {
		t.Error("the key changed across a restart")
	}
	if strings.Contains(w.s.logs.String()+s2.logs.String(), hex.EncodeToString(key)) {
		t.Error("the key is in the log")
	}
}

// scoreLines returns a raw decision's score line names and total.
func scoreLines(t *testing.T, d map[string]any) ([]string, float64) {
	t.Helper()
	score, _ := d["score"].(map[string]any)
	var names []string
	lines, _ := score["lines"].([]any)
	for _, l := range lines {
		names = append(names, l.(map[string]any)["criterion"].(string))
	}
	total, _ := score["total"].(float64)
	return names, total
}

// TestDecisionScoresByRole: a coordinator never reads the BIPOC line, nor a
// total that includes it; the administrator and the applicant's own agency
// do. Awards from a BIPOC set-aside do not name their pool to a
// coordinator, and the awards are not listed in the order that reveals it.
func TestDecisionScoresByRole(t *testing.T) {
	prog := esitProgram(40_000_00)
	prog.Program.Cycles[0].Pools = []scholarship.Pool{{Name: "bipoc_set_aside", Amount: 9_500_00, Criterion: scholarship.PoolBIPOC}}
	w := newScholarshipWorld(t, app.Config{}, prog)
	ids := []string{w.apply(t, w.agency, w.staff[0], "ana"), w.apply(t, w.agency, w.staff[1], "ben")}
	// A white applicant with a higher visible score ranks above ...
	a := application(w.staff[2].ID, "cai", 24, 40)
	a.Applicant.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceWhite}}
	a.Answers.FinancialNeed = 3
	var got scholarship.Application
	w.s.expect(201, "POST", cyc+"/applications", w.agency, a).json(t, &got)
	ids = append(ids, got.ID)
	run := w.run(t)

	for _, tc := range []struct {
		name  string
		key   string
		sees  bool
		count int
	}{
		{"administrator", w.s.Admin, true, 3},
		{"own agency", w.agency, true, 3},
		{"coordinator", w.coord, false, 3},
		{"other agency", w.agency2, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := rawDecisions(t, w.s, tc.key, run.ID)
			if len(ds) != tc.count {
				t.Fatalf("%d decisions; want %d", len(ds), tc.count)
			}
			for _, id := range ids {
				d, ok := ds[id]
				if !ok {
					continue
				}
				names, total := scoreLines(t, d)
				b, _ := json.Marshal([]any{d["score"], d["award"], d["reasons"], d["texts"]})
				hasBIPOC := slices.Contains(names, "bipoc")
				if tc.sees != hasBIPOC {
					t.Errorf("%s: score lines %v; BIPOC line shown = %v, want %v", id, names, hasBIPOC, tc.sees)
				}
				if !tc.sees {
					if strings.Contains(string(b), `"bipoc`) {
						t.Errorf("%s: the decision's score, award or reasons mention bipoc: %s", id, b)
					}
					// The total shown must be the sum of the lines shown.
					var sum float64
					for _, l := range d["score"].(map[string]any)["lines"].([]any) {
						sum += l.(map[string]any)["points"].(float64)
					}
					if total != sum {
						t.Errorf("%s: total %v is not the sum %v of the lines shown: the hidden line is its difference", id, total, sum)
					}
				}
			}
		})
	}
	// Every read of the decisions is audited: four readers above.
	var audit struct{ Items []store.AuditEntry }
	w.s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", w.s.Admin, nil).json(t, &audit)
	reads := 0
	for _, e := range audit.Items {
		if e.Action == "read" && e.Entity == "decisions" && e.EntityID == run.ID {
			reads++
		}
	}
	if reads != 4 {
		t.Errorf("%d reads of the decisions audited; want 4", reads)
	}

	// The run's allocation: pools named only to those who may see them.
	for _, tc := range []struct {
		key  string
		sees bool
	}{{w.s.Admin, true}, {w.coord, false}} {
		var r app.CycleRun
		w.s.expect(200, "GET", cyc+"/runs/"+run.ID, tc.key, nil).json(t, &r)
		var pools []string
		for _, aw := range r.Allocation.Awards {
			pools = append(pools, aw.Pool)
		}
		if got := slices.Contains(pools, "bipoc_set_aside"); got != tc.sees {
			t.Errorf("pools %v shown: set-aside named = %v, want %v", pools, got, tc.sees)
		}
		if !tc.sees && !slices.IsSortedFunc(r.Allocation.Awards, func(x, y scholarship.Award) int { return x.Rank - y.Rank }) {
			t.Errorf("awards are not in rank order: the set-aside's award shows first: %+v", r.Allocation.Awards)
		}
	}
}

// TestApplicationsBelongToTheAgency: an application names a provider on
// file of the submitting agency; the employer is the provider's
// organization on file; a second application for one person is refused;
// applications can be withdrawn until the cycle runs.
func TestApplicationsBelongToTheAgency(t *testing.T) {
	w := newScholarshipWorld(t, app.Config{}, esitProgram(19_000_00))
	s := w.s
	mine, theirs := w.staff[0], w.staff2[0]

	// person_id must be one of the agency's providers; another agency's and
	// an unknown one read the same.
	var bodies []string
	for _, person := range []string{string(theirs.ID), "org-001-nobody"} {
		a := application(mine.ID, "someone", 24, 40)
		a.Applicant.PersonID, a.Applicant.ProviderID = person, ""
		r := s.expect(404, "POST", cyc+"/applications", w.agency, a)
		if p := r.problems(t); !slices.Equal(p, []string{"/applicant/person_id"}) {
			t.Errorf("person %s: problems %v; want /applicant/person_id", person, p)
		}
		var body app.ErrorBody
		r.json(t, &body)
		bodies = append(bodies, strings.ReplaceAll(body.Error.Problems[0].Message, person, "X"))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("another agency's provider reads differently from an unknown one: %q, %q", bodies[0], bodies[1])
	}
	// Staff may apply for any provider on file, not for an unknown one.
	a := application(theirs.ID, "theirs", 24, 40)
	s.expect(201, "POST", cyc+"/applications", w.coord, a)
	a = application("nobody", "nobody", 24, 40)
	if p := s.expect(404, "POST", cyc+"/applications", w.coord, a).problems(t); !slices.Equal(p, []string{"/applicant/person_id"}) {
		t.Errorf("problems %v", p)
	}

	// A forged employer is replaced by the provider's organization on file.
	var org bsk.Organization
	s.expect(200, "GET", "/api/v1/organizations/org-001", s.Admin, nil).json(t, &org)
	a = application(mine.ID, "forged", 24, 40)
	forged := org
	forged.Name, forged.Place, forged.ServesYoungChildren = "Forged Family Services", bsk.Place("seattle"), !org.ServesYoungChildren
	if org.Place == forged.Place {
		forged.Place = bsk.Place("kent")
	}
	a.Applicant.Employer = &forged
	var got scholarship.Application
	s.expect(201, "POST", cyc+"/applications", w.agency, a).json(t, &got)
	if got.Applicant.Employer == nil || !reflect.DeepEqual(*got.Applicant.Employer, org) {
		t.Errorf("employer = %+v; want the organization on file %+v", got.Applicant.Employer, org)
	}
	s.expect(200, "POST", cyc+"/applications/"+got.ID+"/withdraw", w.agency, nil)
	// An employer that is not even valid is ignored the same way.
	a.Applicant.Employer = &bsk.Organization{ID: "org-999", Name: "Nowhere"}
	s.expect(201, "POST", cyc+"/applications", w.agency, a).json(t, &got)
	if got.Applicant.Employer == nil || got.Applicant.Employer.Name != org.Name || got.Applicant.Employer.Place != org.Place ||
		got.Applicant.Employer.ServesYoungChildren != org.ServesYoungChildren {
		t.Errorf("employer = %+v; want the organization on file %+v", got.Applicant.Employer, org)
	}
	first := got.ID

	// A second application for the same person is refused.
	r := s.expect(409, "POST", cyc+"/applications", w.agency, application(mine.ID, "again", 24, 40))
	if p := r.problems(t); !slices.Equal(p, []string{"/applicant/person_id"}) {
		t.Errorf("duplicate: problems %v", p)
	}

	// Withdrawal: another agency's application reads as not found; the
	// owner withdraws; the person may apply again; the cycle runs.
	s.expect(404, "POST", cyc+"/applications/"+first+"/withdraw", w.agency2, nil)
	s.expect(404, "POST", cyc+"/applications/app-nope/withdraw", w.agency, nil)
	s.expect(200, "POST", cyc+"/applications/"+first+"/withdraw", w.agency, nil)
	s.expect(409, "POST", cyc+"/applications/"+first+"/withdraw", w.agency, nil)
	var again scholarship.Application
	s.expect(201, "POST", cyc+"/applications", w.agency, application(mine.ID, "again", 24, 40)).json(t, &again)
	var other scholarship.Application
	s.expect(201, "POST", cyc+"/applications", w.agency, application(w.staff[1].ID, "other", 24, 40)).json(t, &other)
	s.expect(200, "POST", cyc+"/applications/"+other.ID+"/withdraw", w.coord, nil)
	var list app.Page[scholarship.Application]
	s.expect(200, "GET", cyc+"/applications", w.agency, nil).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != again.ID {
		t.Errorf("the agency's applications = %+v; want only %s", list.Items, again.ID)
	}
	var audit struct{ Items []map[string]any }
	s.expect(200, "GET", "/api/v1/audit?order=asc&limit=500", s.Admin, nil).json(t, &audit)
	withdrawn := 0
	for _, e := range audit.Items {
		if e["action"] == "withdraw" {
			withdrawn++
		}
	}
	if withdrawn != 3 {
		t.Errorf("%d withdrawals audited; want 3", withdrawn)
	}
	run := w.run(t)
	if run.Counts[scholarship.Eligible]+run.Counts[scholarship.Ineligible]+run.Counts[scholarship.NeedsReview] != 2 {
		t.Errorf("run counts %v; want the 2 applications not withdrawn", run.Counts)
	}
	if slices.Contains(run.Ranking, first) || slices.Contains(run.Ranking, other.ID) {
		t.Errorf("a withdrawn application was judged: %v", run.Ranking)
	}
	// Once the cycle has run, withdrawal is refused.
	s.expect(409, "POST", cyc+"/applications/"+again.ID+"/withdraw", w.agency, nil)
}

// TestPluginFaultsLeakNothing: a plug-in that dies on a batch, then fails
// its checksum, makes every application need review; the reasons an
// agency reads name none of another agency's applications, no path and no
// checksum. The administrator reads the detail.
func TestPluginFaultsLeakNothing(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "flaky")
	b, err := os.ReadFile(filepath.Join(pluginDir, "flaky"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o700); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "flaky-died")
	catalog := catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "flaky", Path: bin, Args: []string{"-marker", marker}, Enabled: true})
	w := newScholarshipWorld(t, app.Config{PluginCatalog: catalog}, esitProgram(19_000_00, "flaky/flaky"))
	s := w.s
	mine := []string{w.apply(t, w.agency, w.staff[0], "ana"), w.apply(t, w.agency, w.staff[1], "crash")}
	theirs := []string{w.apply(t, w.agency2, w.staff2[0], "zed"), w.apply(t, w.agency2, w.staff2[1], "yan")}
	sum, _ := plugins.Checksum(bin)

	check := func(run app.CycleRun, what string) {
		t.Helper()
		if len(run.NeedsReview) != 4 {
			t.Fatalf("%s: needs review %v; want all 4", what, run.NeedsReview)
		}
		r := s.expect(200, "GET", cyc+"/runs/"+run.ID+"/decisions?limit=500", w.agency, nil)
		body := string(r.Body)
		for _, leak := range append(theirs, bin, filepath.Dir(bin), sum, pluginDir) {
			if strings.Contains(body, leak) {
				t.Errorf("%s: the agency's decisions name %q:\n%s", what, leak, body)
			}
		}
		for _, id := range mine {
			if !strings.Contains(body, id) {
				t.Errorf("%s: the agency's own application %s is missing", what, id)
			}
		}
		if !strings.Contains(body, `"rule_failed"`) {
			t.Errorf("%s: no rule_failed reason:\n%s", what, body)
		}
		// The coordinator's view names no path or checksum either.
		cr := s.expect(200, "GET", cyc+"/runs/"+run.ID+"/decisions?limit=500", w.coord, nil)
		rr := s.expect(200, "GET", cyc+"/runs/"+run.ID, w.coord, nil)
		for _, leak := range []string{bin, sum} {
			if strings.Contains(string(cr.Body)+string(rr.Body), leak) {
				t.Errorf("%s: the coordinator reads %q", what, leak)
			}
		}
	}
	// The plug-in dies in the middle of the batch.
	run := w.run(t)
	check(run, "crash")
	var adm app.CycleRun
	s.expect(200, "GET", cyc+"/runs/"+run.ID, s.Admin, nil).json(t, &adm)
	if len(adm.Failures) == 0 || !strings.Contains(adm.Failures[0].Error, "exited") {
		t.Errorf("the administrator's failures = %+v; want the plug-in's exit", adm.Failures)
	}
	if !strings.Contains(s.logs.String(), theirs[0]) && !strings.Contains(s.logs.String(), mine[0]) {
		t.Error("the log does not name the batch")
	}

	// The binary changes under the plug-in: the restart fails its checksum.
	f, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
	newSum, _ := plugins.Checksum(bin)
	run = w.run(t)
	check(run, "checksum")
	r := s.expect(200, "GET", cyc+"/runs/"+run.ID+"/decisions?limit=500", w.agency, nil)
	if strings.Contains(string(r.Body), newSum) {
		t.Error("the agency reads the binary's new checksum")
	}
	s.expect(200, "GET", cyc+"/runs/"+run.ID, s.Admin, nil).json(t, &adm)
	if len(adm.Failures) == 0 || !strings.Contains(adm.Failures[0].Error, "checksum") {
		t.Errorf("the administrator's failures = %+v; want the checksum", adm.Failures)
	}
}

// TestEquityStandardFromProgram: the program fixes the disclosure standard;
// a reader cannot choose one, and the hidden cells' labels do not say why.
func TestEquityStandardFromProgram(t *testing.T) {
	prog := esitProgram(19_000_00)
	prog.Disclosure = "phskc"
	w := newScholarshipWorld(t, app.Config{}, prog)
	for i := range 4 {
		w.apply(t, w.agency, w.staff[i], "a")
	}
	run := w.run(t)
	eq := cyc + "/runs/" + run.ID + "/equity"
	var p scholarship.ProtectedEquity
	w.s.expect(200, "GET", eq, w.coord, nil).json(t, &p)
	if p.Disclosure != "phskc" {
		t.Errorf("disclosure = %q; want the program's phskc", p.Disclosure)
	}
	for _, q := range []string{"?standard=unsuppressed", "?standard=wa_doh", "?standard=lax", "?population=5", "?population=100000"} {
		r := w.s.expect(400, "GET", eq+q, w.coord, nil)
		if p := r.problems(t); len(p) != 1 || !strings.Contains(q, p[0]+"=") {
			t.Errorf("%s: problems %v", q, p)
		}
	}
	w.s.expect(400, "GET", eq+"?standard=unsuppressed", w.s.Admin, nil)
	w.s.expect(403, "GET", eq+"?unsuppressed=true", w.coord, nil)
	w.s.expect(200, "GET", eq+"?unsuppressed=true", w.s.Admin, nil).json(t, &p)
	if p.Disclosure != "unsuppressed" || p.Rows[0].Applicants == nil {
		t.Errorf("the administrator's unsuppressed table = %+v", p)
	}
	w.s.expect(200, "GET", eq, w.coord, nil).json(t, &p)
	for _, r := range p.Rows {
		for col, rule := range r.Hidden {
			if strings.Contains(rule, "complement") || strings.Contains(rule, "secondary") {
				t.Errorf("%s/%s %s: the label %q says why the figure is hidden", r.Dimension, r.Group, col, rule)
			}
		}
	}
	// A standard that does not protect counts is refused; a coordinator
	// cannot change the program's standard once set.
	prog.Disclosure = "nchs"
	w.s.expect(400, "PUT", "/api/v1/programs/esit", w.coord, prog)
	prog.Disclosure = "wa_doh"
	w.s.expect(403, "PUT", "/api/v1/programs/esit", w.coord, prog)
	w.s.expect(200, "PUT", "/api/v1/programs/esit", w.s.Admin, prog)
}

var faultyOnce struct {
	sync.Once
	path string
	err  error
}

// faultyPlugin builds the plugins package's misbehaving test plug-in once.
func faultyPlugin(t *testing.T) string {
	t.Helper()
	faultyOnce.Do(func() {
		faultyOnce.path = filepath.Join(pluginDir, "faulty")
		out, err := exec.Command("go", "build", "-o", faultyOnce.path, "github.com/beststarts/workforce/plugins/internal/testplugins/faulty").CombinedOutput()
		if err != nil {
			faultyOnce.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if faultyOnce.err != nil {
		t.Fatalf("building the faulty plug-in: %v", faultyOnce.err)
	}
	return faultyOnce.path
}

// TestPluginRulesSeeNoDemographics: an agency's plug-in rule is sent the
// applications without demographics, so its reasons, which coordinators
// and other agencies read, cannot be derived from them. The plug-in here
// repeats whatever demographics it receives.
func TestPluginRulesSeeNoDemographics(t *testing.T) {
	catalog := catalogFile(t, plugins.Entry{Agency: "Test Agency", Name: "faulty", Path: faultyPlugin(t), Enabled: true})
	w := newScholarshipWorld(t, app.Config{PluginCatalog: catalog}, esitProgram(19_000_00, "faulty/telltale"))
	id := w.apply(t, w.agency, w.staff[0], "ana")
	run := w.run(t)
	d := rawDecisions(t, w.s, w.s.Admin, run.ID)[id]
	reasons, _ := d["reasons"].([]any)
	told := 0
	for _, r := range reasons {
		r := r.(map[string]any)
		if r["code"] != "telltale" {
			continue
		}
		told++
		for k, v := range r["params"].(map[string]any) {
			if v != "" {
				t.Errorf("the plug-in received the applicant's %s: %v", k, v)
			}
		}
	}
	if told != 1 {
		t.Fatalf("%d telltale reasons; want 1: %v", told, reasons)
	}
}

// TestCycleRunSurvivesStoredData: applications stored before the checks
// existed (two for one person, one no longer valid) do not stop the cycle
// from running: the run judges each person's earliest valid application
// and lists the rest as skipped.
func TestCycleRunSurvivesStoredData(t *testing.T) {
	w := newScholarshipWorld(t, app.Config{}, esitProgram(19_000_00))
	ok := w.apply(t, w.agency, w.staff[0], "ana")
	ctx := context.Background()
	put := func(id string, a scholarship.Application) {
		a.ID, a.ProgramID, a.CycleID = id, "esit", "2026"
		doc, _ := json.Marshal(a)
		if err := w.s.App.DB().Write(ctx, func(tx *store.Tx) error {
			return tx.Insert(ctx, store.Applications, store.Record{ID: id, Org: "org-001", Parent: "esit/2026", Doc: doc})
		}); err != nil {
			t.Fatal(err)
		}
	}
	first := application(w.staff[1].ID, "ben", 24, 40)
	first.Submitted = cycleStart.Add(-time.Hour)
	put("app-old-1", first)
	put("app-old-2", application(w.staff[1].ID, "ben again", 24, 40))
	bad := application(w.staff[2].ID, "cai", 24, 40)
	bad.Applicant.MonthsEmployed = -3
	put("app-old-3", bad)

	run := w.run(t)
	if !slices.Contains(run.Ranking, ok) || !slices.Contains(run.Ranking, "app-old-1") || len(run.Ranking) != 2 {
		t.Errorf("ranking %v; want %s and app-old-1", run.Ranking, ok)
	}
	want := []app.SkippedApplication{{ApplicationID: "app-old-3", Code: "invalid"}, {ApplicationID: "app-old-2", Code: "duplicate_person", Other: "app-old-1"}}
	slices.SortFunc(run.Skipped, func(x, y app.SkippedApplication) int { return strings.Compare(y.ApplicationID, x.ApplicationID) })
	if !slices.Equal(run.Skipped, want) {
		t.Errorf("skipped = %+v; want %+v", run.Skipped, want)
	}
}

// TestDecisionsOfFormerStaff: once the applicant has moved to another
// organization, the agency that applied no longer reads what the decision
// derives from their demographics.
func TestDecisionsOfFormerStaff(t *testing.T) {
	w := newScholarshipWorld(t, app.Config{}, esitProgram(19_000_00))
	id := w.apply(t, w.agency, w.staff[0], "ana")
	run := w.run(t)
	if names, _ := scoreLines(t, rawDecisions(t, w.s, w.agency, run.ID)[id]); !slices.Contains(names, "bipoc") {
		t.Fatalf("the agency does not see its own staff member's BIPOC line: %v", names)
	}
	moved := w.staff[0]
	moved.OrganizationID, moved.ReportsTo = "org-002", ""
	w.s.expect(200, "PUT", "/api/v1/providers/"+string(moved.ID), w.s.Admin, moved)
	if names, _ := scoreLines(t, rawDecisions(t, w.s, w.agency, run.ID)[id]); slices.Contains(names, "bipoc") {
		t.Errorf("the former employer still reads the BIPOC line: %v", names)
	}
}
