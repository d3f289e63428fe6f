//go:build unix

package plugins_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// writeCatalog writes a catalog of the example plug-ins built for the
// tests, with their true checksums, and returns its path.
func writeCatalog(dir string) string {
	sum := func(name string) string {
		s, err := plugins.Checksum(filepath.Join(binDir, name))
		if err != nil {
			panic(err)
		}
		return s
	}
	cat := fmt.Sprintf(`{"plugins": [
  {"agency": "Example Family Services", "name": "sixmonths", "path": %q, "sha256": %q, "args": ["-months", "6"], "enabled": true},
  {"agency": "Example East African Community Services", "name": "prioritylanguages", "path": %q, "sha256": %q, "enabled": true}
]}`, filepath.Join(binDir, "sixmonths"), sum("sixmonths"), filepath.Join(binDir, "prioritylanguages"), sum("prioritylanguages"))
	path := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(path, []byte(cat), 0o600); err != nil {
		panic(err)
	}
	return path
}

// The county runs two agencies' rules next to its own: the host turns
// each plug-in into an ordinary scholarship.Rule.
func Example() {
	dir, _ := os.MkdirTemp("", "catalog")
	defer os.RemoveAll(dir)

	cat, err := plugins.ReadCatalog(writeCatalog(dir))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	host, err := plugins.NewHost(ctx, cat, plugins.Options{})
	defer host.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	id := func(a scholarship.Application) string { return a.ID }
	six, _ := host.Plugin("sixmonths")
	tenure, _ := plugins.NewRule(six, "agency_six_months", id)
	langs, _ := host.Plugin("prioritylanguages")
	priority, _ := plugins.NewRule(langs, "priority_languages", id)

	set := scholarship.RuleSet[scholarship.Application]{Rules: []scholarship.Rule[scholarship.Application]{
		scholarship.MinimumEmployment(3, 10), // the county's own rule, in process
		tenure,
		priority,
	}}
	apps := []scholarship.Application{
		{ID: "app-1", Applicant: scholarship.Applicant{MonthsEmployed: 14, HoursPerWeek: 40, Languages: []bsk.Language{bsk.English, bsk.Tigrinya}}},
		{ID: "app-2", Applicant: scholarship.Applicant{MonthsEmployed: 4, HoursPerWeek: 30}},
	}
	for i, v := range set.Evaluate(ctx, apps) {
		fmt.Print(apps[i].ID, " ", v.Outcome)
		for _, r := range v.Reasons {
			fmt.Print(" ", r.Rule, ":", r.Code)
		}
		fmt.Println()
	}
	// Output:
	// app-1 eligible priority_languages:priority_language
	// app-2 ineligible agency_six_months:agency_tenure_short
}

// A plug-in describes itself and its rules.
func ExampleClient_Info() {
	e := plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Path: filepath.Join(binDir, "sixmonths"), Enabled: true}
	e.SHA256, _ = plugins.Checksum(e.Path)
	c, err := plugins.Open(context.Background(), e, plugins.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	info := c.Info()
	fmt.Println(info.Name, info.Version, info.Agency)
	for _, r := range info.Rules {
		fmt.Printf("%s %s %s: %s\n", r.Kind, r.Name, r.Version, r.Description)
	}
	// Output:
	// sixmonths 1.0.0 Example Family Services
	// eligibility agency_six_months 1.0.0: the agency nominates staff after 6 months of employment
}

// A binary that changed after the administrator registered it is refused.
func ExampleOpen_checksum() {
	e := plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Path: filepath.Join(binDir, "sixmonths"), Enabled: true,
		SHA256: "0000000000000000000000000000000000000000000000000000000000000000"}
	_, err := plugins.Open(context.Background(), e, plugins.Options{})
	fmt.Println(bsk.ErrorCode(err))
	// Output:
	// unauthorized
}

// A rubric criterion served by a plug-in scores applications in batches.
func ExampleNewCriterion() {
	e := plugins.Entry{Agency: "Example East African Community Services", Name: "prioritylanguages",
		Path: filepath.Join(binDir, "prioritylanguages"), Enabled: true}
	e.SHA256, _ = plugins.Checksum(e.Path)
	c, err := plugins.Open(context.Background(), e, plugins.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	crit, err := plugins.NewCriterion(c, "priority_language")
	if err != nil {
		fmt.Println(err)
		return
	}
	pts, err := crit.Score(context.Background(), []scholarship.Application{
		{ID: "app-1", Applicant: scholarship.Applicant{Languages: []bsk.Language{bsk.Somali}}},
		{ID: "app-2", Applicant: scholarship.Applicant{Languages: []bsk.Language{bsk.Spanish}}},
	})
	fmt.Println(pts, err)
	// Output:
	// [{1 speaks_priority_language} {0 }] <nil>
}

// A grouping rule served by a plug-in is asked once per problem.
func ExampleNewGroupingRule() {
	e := plugins.Entry{Agency: "Example Early Learning Network", Name: "noreports",
		Path: filepath.Join(binDir, "noreports"), Enabled: true}
	e.SHA256, _ = plugins.Checksum(e.Path)
	c, err := plugins.Open(context.Background(), e, plugins.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	rule, _ := plugins.NewGroupingRule(c, "no_direct_reports")
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 1, Max: 3}, Members: []grouping.Member{
		{ID: "sup-1"},
		{ID: "hv-1", Attrs: map[string]string{"supervisor": "sup-1"}},
		{ID: "hv-2", Attrs: map[string]string{"supervisor": "sup-1"}},
	}}
	p, err = grouping.Apply(context.Background(), p, map[string]grouping.Rule{"noreports": rule})
	fmt.Println(p.CannotLink, err)
	// Output:
	// [{sup-1 hv-1} {sup-1 hv-2}] <nil>
}
