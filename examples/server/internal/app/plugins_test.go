package app_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// quickPlugins fail fast and retry fast, for tests.
var quickPlugins = service.PluginOptions{CallTimeout: 2 * time.Second, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}

// copyBinary copies the file at src to dst (a new or replaced file, in
// one rename) with the execute bit.
func copyBinary(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst+".new", b, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dst+".new", dst); err != nil {
		t.Fatal(err)
	}
}

// pluginStatus returns the administrator's view of one plug-in.
func pluginStatus(t *testing.T, s *server, name string) app.PluginStatus {
	t.Helper()
	var list struct{ Plugins []app.PluginStatus }
	s.expect(200, "GET", "/api/v1/plugins", s.Admin, nil).json(t, &list)
	for _, p := range list.Plugins {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("/plugins lists no %q: %+v", name, list.Plugins)
	return app.PluginStatus{}
}

// TestPluginFaultIsolation: a plug-in that hangs, one that crashes and one
// that answers garbage judge applications from two agencies. Every
// application needs review; neither agency's decisions, nor the errors it
// can provoke, name the other agency's applications; no role but the
// administrator reads a plug-in's path or checksum, and the
// administrator reads why each rule failed.
func TestPluginFaultIsolation(t *testing.T) {
	faulty := faultyPlugin(t)
	sum, err := plugins.Checksum(faulty)
	if err != nil {
		t.Fatal(err)
	}
	catalog := catalogFile(t,
		plugins.Entry{Agency: "Hanging Agency", Name: "hangs", Path: faulty, Args: []string{"-name", "hangs"}, Enabled: true},
		plugins.Entry{Agency: "Crashing Agency", Name: "crashes", Path: faulty, Args: []string{"-name", "crashes"}, Enabled: true},
		plugins.Entry{Agency: "Babbling Agency", Name: "garbage", Path: faulty, Args: []string{"-name", "garbage", "-mode", "garbage"}, Enabled: true},
	)
	w := newScholarshipWorld(t, app.Config{PluginCatalog: catalog, Plugins: quickPlugins},
		esitProgram(19_000_00, "hangs/stall", "crashes/die", "garbage/babble"))
	s := w.s
	mine := []string{w.apply(t, w.agency, w.staff[0], "ana"), w.apply(t, w.agency, w.staff[1], "bo")}
	theirs := []string{w.apply(t, w.agency2, w.staff2[0], "zed"), w.apply(t, w.agency2, w.staff2[1], "yan")}
	secrets := []string{faulty, filepath.Dir(faulty), sum, pluginDir}

	run := w.run(t)
	if len(run.NeedsReview) != 4 {
		t.Fatalf("needs review %v; want all 4 applications", run.NeedsReview)
	}
	for _, side := range []struct {
		key          string
		own, other   []string
		name, reader string
	}{
		{w.agency, mine, theirs, "agency 1", "org-001"},
		{w.agency2, theirs, mine, "agency 2", "org-002"},
	} {
		ds := decisions(t, s, side.key, cyc+"/runs/"+run.ID, "")
		for _, id := range side.own {
			d, ok := ds[id]
			if !ok {
				t.Errorf("%s: its application %s is missing", side.name, id)
				continue
			}
			failed := 0
			for _, r := range d.Reasons {
				if r.Code == scholarship.CodeRuleFailed {
					failed++
				}
			}
			if failed != 3 || d.Outcome != scholarship.NeedsReview {
				t.Errorf("%s: %s = %s with %d rule_failed reasons; want needs review with 3", side.name, id, d.Outcome, failed)
			}
		}
		bodies := map[string]string{
			"decisions": string(s.do("GET", cyc+"/runs/"+run.ID+"/decisions?limit=500", side.key, nil).Body),
			"run":       string(s.do("GET", cyc+"/runs/"+run.ID, side.key, nil).Body),
			"plugins":   string(s.do("GET", "/api/v1/plugins", side.key, nil).Body),
			"health":    string(s.do("GET", "/api/v1/plugins/hangs/health", side.key, nil).Body),
			"runs":      string(s.do("POST", cyc+"/runs", side.key, nil).Body),
		}
		for what, body := range bodies {
			for _, leak := range append(slices.Clone(side.other), secrets...) {
				if strings.Contains(body, leak) {
					t.Errorf("%s: its %s reply names %q:\n%s", side.name, what, leak, body)
				}
			}
		}
	}
	for what, body := range map[string]string{
		"decisions": string(s.do("GET", cyc+"/runs/"+run.ID+"/decisions?limit=500", w.coord, nil).Body),
		"run":       string(s.do("GET", cyc+"/runs/"+run.ID, w.coord, nil).Body),
		"readyz":    string(s.do("GET", "/readyz", "", nil).Body),
	} {
		for _, leak := range secrets {
			if strings.Contains(body, leak) {
				t.Errorf("the coordinator's %s reply names %q", what, leak)
			}
		}
	}
	// The administrator reads why each rule failed.
	var adm app.CycleRun
	s.expect(200, "GET", cyc+"/runs/"+run.ID, s.Admin, nil).json(t, &adm)
	got := map[string]string{}
	for _, f := range adm.Failures {
		got[f.Rule] = f.Error
	}
	for rule, why := range map[string]string{"stall": "no answer within", "die": "exited", "babble": "malformed"} {
		if !strings.Contains(got[rule], why) {
			t.Errorf("the administrator's failure of %s = %q; want %q in it", rule, got[rule], why)
		}
	}
}

// TestPluginRecoversWithoutRestart: a plug-in refused at start-up (its
// binary does not match the catalog's checksum) says so on /plugins and
// /readyz; a cycle run makes its applications need review instead of
// failing; once the registered binary is back, the plug-in runs without a
// server restart and the next run judges with it, in the applicants'
// language.
func TestPluginRecoversWithoutRestart(t *testing.T) {
	good := filepath.Join(pluginDir, "minhours")
	sum, err := plugins.Checksum(good)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "minhours")
	copyBinary(t, filepath.Join(pluginDir, "sixmonths"), bin) // the wrong binary
	catalog := catalogFile(t, plugins.Entry{Agency: "Example Early Learning Center", Name: "minhours", Path: bin, SHA256: sum, Args: []string{"-hours", "30"}, Enabled: true})
	w := newScholarshipWorld(t, app.Config{PluginCatalog: catalog, Plugins: quickPlugins},
		esitProgram(19_000_00, "minhours/agency_minimum_hours"))
	s := w.s
	id := w.apply(t, w.agency, w.staff[0], "ana") // works 40 hours a week
	short := application(w.staff[1].ID, "bo", 24, 40)
	short.Applicant.HoursPerWeek = 12
	var got scholarship.Application
	s.expect(201, "POST", cyc+"/applications", w.agency, short).json(t, &got)

	st := pluginStatus(t, s, "minhours")
	if st.Status != "refused" || !strings.Contains(st.Reason, "checksum") || !strings.Contains(st.Error, sum) {
		t.Errorf("/plugins = %+v; want refused with the checksum", st)
	}
	if strings.Contains(st.Reason, bin) || strings.Contains(st.Reason, sum) {
		t.Errorf("the reason %q names the path or checksum", st.Reason)
	}
	r := s.expect(503, "GET", "/readyz", "", nil)
	if !strings.Contains(string(r.Body), "plugin minhours refused") || strings.Contains(string(r.Body), bin) || strings.Contains(string(r.Body), sum) {
		t.Errorf("/readyz = %s; want the plug-in refused, nothing more", r.Body)
	}

	run := w.run(t)
	if len(run.NeedsReview) != 2 {
		t.Errorf("needs review %v while the plug-in is refused; want both applications", run.NeedsReview)
	}
	for _, key := range []string{w.agency, w.coord} {
		body := string(s.do("GET", cyc+"/runs/"+run.ID+"/decisions?limit=500", key, nil).Body) + string(s.do("GET", cyc+"/runs/"+run.ID, key, nil).Body)
		if strings.Contains(body, bin) || strings.Contains(body, sum) {
			t.Errorf("a non-administrator reads the refused plug-in's path or checksum:\n%s", body)
		}
	}
	var adm app.CycleRun
	s.expect(200, "GET", cyc+"/runs/"+run.ID, s.Admin, nil).json(t, &adm)
	if len(adm.Failures) != 1 || !strings.Contains(adm.Failures[0].Error, "refused") || !strings.Contains(adm.Failures[0].Error, sum) {
		t.Errorf("the administrator's failures = %+v; want the refusal in full", adm.Failures)
	}
	ds := decisions(t, s, w.agency, cyc+"/runs/"+run.ID, "")
	if d := ds[id]; len(d.Reasons) == 0 || d.Reasons[len(d.Reasons)-1].Code != scholarship.CodeRuleFailed ||
		!slices.Contains(d.Texts, `The rule "agency_minimum_hours" could not be checked, so a person will review this application.`) {
		t.Errorf("decision while refused = %+v; want rule_failed with its text", d)
	}

	copyBinary(t, good, bin)
	deadline := time.Now().Add(15 * time.Second)
	for st = pluginStatus(t, s, "minhours"); st.Status != "running"; st = pluginStatus(t, s, "minhours") {
		if time.Now().After(deadline) {
			t.Fatalf("/plugins = %+v 15 s after the binary came back; want running", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st.Reason != "" || st.Error != "" || st.Info == nil || st.Info.Version != "1.0.0" {
		t.Errorf("/plugins once running = %+v", st)
	}
	// /readyz keeps its last answer for a second (-ready-cache).
	for ready := s.do("GET", "/readyz", "", nil); ready.Status != 200; ready = s.do("GET", "/readyz", "", nil) {
		if time.Now().After(deadline.Add(5 * time.Second)) {
			t.Fatalf("/readyz = %d once the plug-in runs; want 200\n%s", ready.Status, ready.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}

	run = w.run(t)
	if len(run.NeedsReview) != 0 || run.Counts[scholarship.Ineligible] != 1 {
		t.Errorf("run once running: counts %v, needs review %v; want one ineligible", run.Counts, run.NeedsReview)
	}
	for lang, want := range map[string]string{
		"":   "You work 12 hours a week; this agency supports staff who work at least 30.",
		"es": "Trabaja 12 horas por semana; esta agencia apoya al personal que trabaja al menos 30.",
		"vi": "You work 12 hours a week; this agency supports staff who work at least 30.",
	} {
		d := decisions(t, s, w.agency, cyc+"/runs/"+run.ID, lang)[got.ID]
		if !slices.Contains(d.Texts, want) {
			t.Errorf("texts in %q = %q; want %q", lang, d.Texts, want)
		}
		for _, text := range d.Texts {
			if strings.Contains(text, "agency_hours_short") {
				t.Errorf("texts in %q show the raw code: %q", lang, text)
			}
		}
	}
}

// TestProgramPluginWiring: a program naming a plug-in that is not in the
// catalog, or a rule its plug-in does not provide, is refused with the
// pointer of the rule at fault; plugin_rules misplaced inside program is
// refused with its pointer too.
func TestProgramPluginWiring(t *testing.T) {
	catalog := catalogFile(t, plugins.Entry{Agency: "Example Early Learning Center", Name: "minhours", Enabled: true})
	s := startWith(t, backend{name: "sqlite"}, app.Config{Data: t.TempDir(), NoDemo: true, PluginCatalog: catalog, Plugins: quickPlugins})
	coord := s.key("coordinator", "", "")
	tests := []struct {
		name  string
		rules []string
		want  []string
	}{
		{"unknown rule", []string{"minhours/agency_minimum_hours", "minhours/agency_maximum_hours"}, []string{"/plugin_rules/1"}},
		{"unknown plug-in", []string{"nohours/agency_minimum_hours"}, []string{"/plugin_rules/0"}},
		{"both", []string{"nohours/x", "minhours/agency_minimum_hours", "minhours/y"}, []string{"/plugin_rules/0", "/plugin_rules/2"}},
		{"not plugin/rule", []string{"minhours"}, []string{"/plugin_rules/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.expect(400, "POST", "/api/v1/programs", coord, esitProgram(19_000_00, tt.rules...))
			if got := r.problems(t); !slices.Equal(got, tt.want) {
				t.Errorf("problems at %v; want %v\n%s", got, tt.want, r.Body)
			}
		})
	}
	s.expect(201, "POST", "/api/v1/programs", coord, esitProgram(19_000_00, "minhours/agency_minimum_hours"))
	prog := esitProgram(19_000_00, "minhours/agency_minimum_hours", "minhours/nope")
	r := s.expect(400, "PUT", "/api/v1/programs/esit", coord, prog)
	if got := r.problems(t); !slices.Equal(got, []string{"/plugin_rules/1"}) {
		t.Errorf("update: problems at %v; want [/plugin_rules/1]", got)
	}

	// plugin_rules inside program, where the program type has no such field.
	body := `{"program": {"id": "esit2", "name": "ESIT", "kind": "esit_career_pathways", "plugin_rules": ["minhours/agency_minimum_hours"]}}`
	r = s.expect(400, "POST", "/api/v1/programs", coord, []byte(body))
	if got := r.problems(t); !slices.Equal(got, []string{"/program/plugin_rules"}) {
		t.Errorf("misplaced plugin_rules: problems at %v; want [/program/plugin_rules]\n%s", got, r.Body)
	}
}
