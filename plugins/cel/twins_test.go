//go:build unix

package cel_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/plugins/cel"
	"github.com/beststarts/workforce/scholarship"
)

// binDir holds the Go plug-ins, built once by the first test that
// launches one: the CEL rules are checked against them.
var (
	binDir   string
	build    sync.Once
	buildErr error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func buildPlugins() {
	binDir, buildErr = os.MkdirTemp("", "cel-twins-")
	if buildErr != nil {
		return
	}
	cmd := exec.Command("go", "build", "-o", binDir+string(filepath.Separator),
		"../examples/minhours", "../examples/sixmonths", "../examples/prioritylanguages", "../examples/noreports")
	out, err := cmd.CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("building the example plug-ins: %v\n%s", err, out)
	}
}

// launch starts the built plug-in name with args, and stops it at the end
// of the test.
func launch(t *testing.T, name string, args ...string) *plugins.Client {
	t.Helper()
	build.Do(buildPlugins)
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	path := filepath.Join(binDir, name)
	sum, err := plugins.Checksum(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := plugins.Open(context.Background(), plugins.Entry{Agency: "Test Agency", Name: name, Path: path, SHA256: sum, Args: args, Enabled: true},
		plugins.Options{CallTimeout: 20 * time.Second, StartTimeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// applications crosses hours, months, hired and languages: 432
// applications, every boundary of the example rules on both sides.
func applications() []scholarship.Application {
	var out []scholarship.Application
	langs := [][]bsk.Language{nil, {"en"}, {"so"}, {"en", "ti", "so"}, {"am", "am"}, {"ti", "en", "am", "so"}, {"es"}, {"es", "so", "vi"}}
	for _, h := range []float64{0, 9.5, 12.5, 19.99, 20, 37.5} {
		for _, m := range []int{0, 5, 6, 12} {
			for _, hired := range []bool{false, true} {
				for _, l := range langs {
					out = append(out, scholarship.Application{
						ID: fmt.Sprintf("app-%d", len(out)), ProgramID: "p", CycleID: "c",
						Applicant: scholarship.Applicant{PersonID: "person", Name: "A", HoursPerWeek: h, MonthsEmployed: m, Hired: hired, Languages: l},
					})
				}
			}
		}
	}
	return out
}

// TestSameVerdictsAsGoPlugins runs the same applications through each
// example Go plug-in, launched as a real process, and through its CEL
// twin, and requires identical verdicts: outcome, and every reason's code,
// params, field, rule and version.
func TestSameVerdictsAsGoPlugins(t *testing.T) {
	apps := applications()
	tests := []struct {
		plugin, rule string
		args         []string
		file         string
		replace      []string
	}{
		{"minhours", "agency_minimum_hours", nil, "minhours", nil},
		{"minhours", "agency_minimum_hours", []string{"-hours", "12.5"}, "minhours", []string{"required: 20", "required: 12.5"}},
		{"sixmonths", "agency_six_months", nil, "sixmonths", nil},
		{"sixmonths", "agency_six_months", []string{"-months", "12"}, "sixmonths", []string{"required: 6", "required: 12"}},
		{"prioritylanguages", "priority_languages", nil, "prioritylanguages", nil},
		{"prioritylanguages", "priority_languages", []string{"-languages", "es,so"}, "prioritylanguages", []string{"[so, am, ti]", "[es, so]"}},
	}
	for _, tt := range tests {
		t.Run(tt.plugin+strings.Join(tt.args, ""), func(t *testing.T) {
			goRule, err := plugins.NewRule(launch(t, tt.plugin, tt.args...), tt.rule, func(a scholarship.Application) string { return a.ID })
			if err != nil {
				t.Fatal(err)
			}
			celRule, err := cel.Compile(example(t, tt.file, tt.replace...), cel.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			want := scholarship.RuleSet[scholarship.Application]{Rules: []scholarship.Rule[scholarship.Application]{goRule}}.Evaluate(ctx, apps)
			got := scholarship.RuleSet[scholarship.Application]{Rules: []scholarship.Rule[scholarship.Application]{celRule}}.Evaluate(ctx, apps)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("verdicts (-go plug-in +cel):\n%s", diff)
			}
			// The cases reach both sides of the rule: some applications
			// get reasons, some none.
			with := 0
			for _, v := range want {
				if len(v.Reasons) > 0 {
					with++
				}
			}
			if with == 0 || with == len(apps) {
				t.Errorf("%d of %d applications get reasons; the cases must reach both sides of the rule", with, len(apps))
			}
			if info := celRule.Describe(); info.Name != goRule.Describe().Name || info.Version != goRule.Describe().Version {
				t.Errorf("Describe() = %+v; want the Go plug-in's name and version %+v", info, goRule.Describe())
			}
		})
	}
}

// TestSameAmendmentsAsGoPlugin runs grouping problems through the noreports
// Go plug-in and its CEL twin.
func TestSameAmendmentsAsGoPlugin(t *testing.T) {
	m := func(id string, attrs ...string) grouping.Member {
		mem := grouping.Member{ID: grouping.MemberID(id)}
		for i := 0; i+1 < len(attrs); i += 2 {
			if mem.Attrs == nil {
				mem.Attrs = map[string]string{}
			}
			mem.Attrs[attrs[i]] = attrs[i+1]
		}
		return mem
	}
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 1, Max: 6}, Members: []grouping.Member{
		m("director"),
		m("sup-1", "supervisor", "director", "manager", "director"),
		m("hv-1", "supervisor", "sup-1"),
		m("hv-2", "supervisor", "sup-1", "manager", "sup-1"),
		m("hv-3", "supervisor", "sup-9"),
		m("self", "supervisor", "self"),
		m("empty", "supervisor", ""),
		m("doula-1", "supervisor", "sup-2", "manager", "hv-2"),
	}}
	for _, tt := range []struct {
		args    []string
		replace []string
	}{
		{nil, nil},
		{[]string{"-attr", "manager"}, []string{"attr: supervisor", "attr: manager"}},
		{[]string{"-attr", "nobody"}, []string{"attr: supervisor", "attr: nobody"}},
	} {
		t.Run(strings.Join(tt.args, ""), func(t *testing.T) {
			goRule, err := plugins.NewGroupingRule(launch(t, "noreports", tt.args...), "no_direct_reports")
			if err != nil {
				t.Fatal(err)
			}
			celRule, err := cel.CompileGrouping(example(t, "noreports", tt.replace...), cel.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := goRule.Amend(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := celRule.Amend(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("amendment (-go plug-in +cel):\n%s", diff)
			}
		})
	}
}
