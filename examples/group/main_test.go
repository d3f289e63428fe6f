package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/schema"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "group")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "group")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func runBin(t *testing.T, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.Bytes(), e.Bytes(), ee.ExitCode()
	}
	require.NoError(t, err)
	return o.Bytes(), e.Bytes(), 0
}

func TestSolvesProblemFile(t *testing.T) {
	out, stderr, code := runBin(t, nil, "-iterations", "20", "testdata/problem.json")
	require.Equal(t, 0, code, string(stderr))
	require.NoError(t, schema.Validate("grouping-solution", out))
	var sol grouping.Solution
	require.NoError(t, json.Unmarshal(out, &sol))

	data, err := os.ReadFile("testdata/problem.json")
	require.NoError(t, err)
	var p grouping.Problem
	require.NoError(t, json.Unmarshal(data, &p))
	assert.InDelta(t, grouping.Evaluate(&p, sol.Groups), sol.Objective, 1e-9)
	seen := 0
	for _, g := range sol.Groups {
		seen += len(g)
		assert.False(t, slices.Contains(g, "ana") && slices.Contains(g, "ben"), "cannot-link broken")
	}
	assert.Equal(t, len(p.Members), seen+len(sol.Unplaced))

	// Reading standard input gives the same solution for the same seed.
	again, _, code := runBin(t, data, "-iterations", "20")
	require.Equal(t, 0, code)
	var sol2 grouping.Solution
	require.NoError(t, json.Unmarshal(again, &sol2))
	assert.Equal(t, sol.Groups, sol2.Groups)
}

// -starts reaches the search: one first grouping and the default of eight
// search from different places, and a count gives the same solution
// twice.
func TestStartsFlag(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 8, Providers: 120, Consultants: 2, NoOfferings: true})
	data, err := json.Marshal(w)
	require.NoError(t, err)
	solve := func(args ...string) grouping.Solution {
		t.Helper()
		out, stderr, code := runBin(t, data, append(args, "-preset", "reflective_consultation", "-iterations", "3")...)
		require.Equal(t, 0, code, string(stderr))
		var sol grouping.Solution
		require.NoError(t, json.Unmarshal(out, &sol))
		return sol
	}
	one, def := solve("-starts", "1"), solve()
	assert.NotEqual(t, one.Groups, def.Groups, "-starts 1 gives the default's groups: the flag is not passed on")
	assert.Equal(t, def.Groups, solve("-starts", "8").Groups, "the default is 8")
	assert.Equal(t, one.Groups, solve("-starts", "1").Groups)
}

func TestPresetFromWorkforce(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 8, Providers: 120, Consultants: 2, NoOfferings: true})
	data, err := json.Marshal(w)
	require.NoError(t, err)
	out, stderr, code := runBin(t, data, "-preset", "reflective_consultation", "-print-problem")
	require.Equal(t, 0, code, string(stderr))
	require.NoError(t, schema.Validate("grouping-problem", out))
	var p grouping.Problem
	require.NoError(t, json.Unmarshal(out, &p))
	// The members are everyone who does not lead groups; the consultants
	// lead.
	participants, consultants := 0, 0
	for _, pv := range w.Providers {
		if !pv.Role.Leads() {
			participants++
		}
		if pv.Role == bsk.RoleConsultant {
			consultants++
		}
	}
	assert.Len(t, p.Members, participants)
	require.NotNil(t, p.Leading)
	assert.Len(t, p.Leading.Leaders, consultants)

	opts := filepath.Join(t.TempDir(), "opts.json")
	require.NoError(t, os.WriteFile(opts, []byte(`{"roles": "together", "size": {"min": 5, "max": 7}}`), 0o600))
	out, stderr, code = runBin(t, data, "-preset", "reflective_consultation", "-options", opts, "-iterations", "3")
	require.Equal(t, 0, code, string(stderr))
	var sol grouping.Solution
	require.NoError(t, json.Unmarshal(out, &sol))
	for _, g := range sol.Groups {
		assert.LessOrEqual(t, len(g), 7)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, input string
		args        []string
		want        string
	}{
		{"malformed", `{"groups": `, nil, "malformed JSON"},
		{"schema", `{"groups": "three", "members": []}`, nil, "/groups"},
		{"unknown member in link", `{"groups": 1, "size": {"min": 1, "max": 2}, "members": [{"id": "a"}], "must_link": [{"a": "a", "b": "zed"}]}`, nil, "must_link[0].b"},
		{"impossible sizes", `{"groups": 2, "size": {"min": 3, "max": 4}, "members": [{"id": "a"}, {"id": "b"}]}`, nil, "size"},
		{"unknown preset", `{}`, []string{"-preset", "potluck"}, "preset"},
		{"options file missing", `{"organizations": [], "providers": []}`, []string{"-preset", "mentorship", "-options", "/nonexistent/opts.json"}, "opts.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runBin(t, []byte(tt.input), tt.args...)
			assert.Equal(t, 1, code)
			assert.Contains(t, string(stderr), tt.want)
		})
	}
}

// The reflective consultation preset assigns the workforce's consultants:
// one leader per group, "" and a reason for a group left without one. Two
// consultants at 5 groups each cannot lead 17 groups; at 10 each they can.
func TestPresetAssignsConsultants(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 8, Providers: 120, Consultants: 2, NoOfferings: true})
	data, err := json.Marshal(w)
	require.NoError(t, err)
	consultants := map[string]bool{}
	for _, pv := range w.Providers {
		if pv.Role == "consultant" {
			consultants[string(pv.ID)] = true
		}
	}
	require.Len(t, consultants, 2)
	solve := func(options string) (grouping.Solution, map[string]json.RawMessage) {
		t.Helper()
		args := []string{"-preset", "reflective_consultation", "-iterations", "5"}
		if options != "" {
			f := filepath.Join(t.TempDir(), "opts.json")
			require.NoError(t, os.WriteFile(f, []byte(options), 0o600))
			args = append(args, "-options", f)
		}
		out, stderr, code := runBin(t, data, args...)
		require.Equal(t, 0, code, string(stderr))
		require.NoError(t, schema.Validate("grouping-solution", out))
		var sol grouping.Solution
		require.NoError(t, json.Unmarshal(out, &sol))
		var raw map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(out, &raw))
		require.Len(t, sol.Leaders, len(sol.Groups))
		load := map[string]int{}
		unled := map[int]bool{}
		for _, u := range sol.Unled {
			unled[u.Group] = true
			assert.NotEmpty(t, u.Reason.Code)
		}
		for g, id := range sol.Leaders {
			if id == "" {
				assert.Equal(t, len(sol.Groups[g]) > 0, unled[g], "group %d", g)
				continue
			}
			assert.True(t, consultants[id], "group %d led by %q, not a consultant", g, id)
			load[id]++
		}
		return sol, raw
	}

	sol, raw := solve("")
	assert.Contains(t, raw, "leaders")
	assert.Contains(t, raw, "unled")
	led := 0
	for _, id := range sol.Leaders {
		if id != "" {
			led++
		}
	}
	assert.Equal(t, 10, led, "two consultants, five groups each")
	require.NotEmpty(t, sol.Unled)
	assert.Equal(t, "all_eligible_leaders_full", sol.Unled[0].Reason.Code)

	sol, raw = solve(`{"leader_capacity": 10}`)
	assert.JSONEq(t, `[]`, string(raw["unled"]))
	for g, ms := range sol.Groups {
		if len(ms) > 0 {
			assert.NotEmpty(t, sol.Leaders[g], "group %d", g)
		}
	}
}

// A fault in the preset options names the options file.
func TestPresetOptionsFaultNamesFile(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 8, Providers: 120, Consultants: 2, NoOfferings: true})
	data, err := json.Marshal(w)
	require.NoError(t, err)
	f := filepath.Join(t.TempDir(), "bad-opts.json")
	require.NoError(t, os.WriteFile(f, []byte(`{"leader_capacity": -1}`), 0o600))
	_, stderr, code := runBin(t, data, "-preset", "reflective_consultation", "-options", f)
	assert.Equal(t, 1, code)
	assert.Contains(t, string(stderr), "bad-opts.json")
	assert.Contains(t, string(stderr), "leader_capacity")
}

// -organizations keeps one organization's staff; -providers names the
// participants, and an unknown one is reported with its place in the list.
func TestPresetSelection(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 8, Providers: 120, Consultants: 2, NoOfferings: true})
	data, err := json.Marshal(w)
	require.NoError(t, err)
	org := w.Providers[0].OrganizationID
	var want []grouping.MemberID
	for _, pv := range w.Providers {
		if pv.OrganizationID == org && !pv.Role.Leads() {
			want = append(want, grouping.MemberID(pv.ID))
		}
	}
	out, stderr, code := runBin(t, data, "-preset", "training_breakouts", "-organizations", string(org), "-print-problem")
	require.Equal(t, 0, code, string(stderr))
	var p grouping.Problem
	require.NoError(t, json.Unmarshal(out, &p))
	var got []grouping.MemberID
	for _, m := range p.Members {
		got = append(got, m.ID)
	}
	assert.Equal(t, want, got)

	_, stderr, code = runBin(t, data, "-preset", "training_breakouts", "-providers", string(w.Providers[1].ID)+",prov-nobody")
	assert.Equal(t, 1, code)
	assert.Contains(t, string(stderr), "/provider_ids/1")
	assert.Contains(t, string(stderr), "prov-nobody")

	_, _, code = runBin(t, data, "-providers", "prov-00001")
	assert.Equal(t, 2, code, "-providers without -preset")
}

// With -previous, the groups of an earlier run are re-formed and each keeps
// its consultant: two consultants who could each lead either group stay
// where the previous solution put them, either way round, and one who led
// both keeps both rather than share the load.
func TestPreviousKeepsConsultants(t *testing.T) {
	tue := []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 12 * 60}}
	en := []bsk.Language{bsk.English}
	person := func(id, org string, role bsk.Role) bsk.Provider {
		return bsk.Provider{ID: bsk.ProviderID(id), OrganizationID: bsk.OrganizationID(org), Name: id, Role: role, Languages: en, Availability: tue}
	}
	w := bsk.Workforce{
		Organizations: []bsk.Organization{{ID: "org-a", Name: "A", Kind: bsk.OrgClinic, Place: "seattle"}, {ID: "org-b", Name: "B", Kind: bsk.OrgClinic, Place: "seattle"}, {ID: "coord", Name: "C", Kind: bsk.OrgClinic, Place: "seattle"}},
		Providers: []bsk.Provider{
			person("a1", "org-a", bsk.RoleDirectService), person("a2", "org-a", bsk.RoleDirectService),
			person("b1", "org-b", bsk.RoleDirectService), person("b2", "org-b", bsk.RoleDirectService),
			person("c1", "coord", bsk.RoleConsultant), person("c2", "coord", bsk.RoleConsultant),
		},
	}
	data, err := json.Marshal(w)
	require.NoError(t, err)
	dir := t.TempDir()
	opts := filepath.Join(dir, "opts.json")
	require.NoError(t, os.WriteFile(opts, []byte(`{"groups": 2, "size": {"min": 2, "max": 2}}`), 0o600))
	args := []string{"-preset", "reflective_consultation", "-options", opts, "-iterations", "5"}
	first, stderr, code := runBin(t, data, args...)
	require.Equal(t, 0, code, string(stderr))
	var raw map[string]any
	require.NoError(t, json.Unmarshal(first, &raw))
	var groups [][]grouping.MemberID
	require.NoError(t, json.Unmarshal(first, &struct {
		Groups *[][]grouping.MemberID `json:"groups"`
	}{&groups}))
	require.Len(t, groups, 2)
	// A coordinator's choice of consultants, written into the solution.
	for _, leaders := range [][]string{{"c2", "c1"}, {"c1", "c2"}, {"c1", "c1"}} {
		raw["leaders"] = leaders
		pd, err := json.Marshal(raw)
		require.NoError(t, err)
		last := filepath.Join(dir, "last.json")
		require.NoError(t, os.WriteFile(last, pd, 0o600))
		out, stderr, code := runBin(t, data, append(args, "-previous", last)...)
		require.Equal(t, 0, code, string(stderr))
		require.NoError(t, schema.Validate("grouping-solution", out))
		var sol grouping.Solution
		require.NoError(t, json.Unmarshal(out, &sol))
		assert.Equal(t, groups, sol.Groups, "nobody joined or left")
		assert.Equal(t, leaders, sol.Leaders)
		assert.Empty(t, sol.Unled)
	}
}

// The size options of -options reach the problem: seven attendees cannot
// fill two breakout rooms of at least four, which is refused with the
// setting that would allow it, unless "allow_underfilled" keeps a room
// below its minimum; "allow_fewer_groups" is carried into the problem the
// solver gets.
func TestPresetOptionsAllow(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 8, Providers: 120, Consultants: 2, NoOfferings: true})
	var ids []string
	for _, pv := range w.Providers {
		if !pv.Role.Leads() && slices.Equal(pv.Languages, []bsk.Language{bsk.English}) && len(ids) < 7 {
			ids = append(ids, string(pv.ID))
		}
	}
	require.Len(t, ids, 7)
	data, err := json.Marshal(w)
	require.NoError(t, err)
	dir := t.TempDir()
	run := func(opts string, args ...string) ([]byte, string, int) {
		f := filepath.Join(dir, "opts.json")
		require.NoError(t, os.WriteFile(f, []byte(opts), 0o600))
		out, stderr, code := runBin(t, data, append([]string{"-options", f}, args...)...)
		return out, string(stderr), code
	}
	breakouts := []string{"-preset", "training_breakouts", "-providers", strings.Join(ids, ","), "-iterations", "200"}

	_, stderr, code := run(`{"groups": 2, "size": {"min": 4, "max": 6}}`, breakouts...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "7 members cannot form 2 groups of 4 to 6")
	assert.Contains(t, stderr, "allow_underfilled")

	out, stderr, code := run(`{"groups": 2, "size": {"min": 4, "max": 6}, "allow_underfilled": true}`, breakouts...)
	require.Equal(t, 0, code, stderr)
	var sol grouping.Solution
	require.NoError(t, json.Unmarshal(out, &sol), string(out))
	placed := 0
	for _, g := range sol.Groups {
		placed += len(g)
	}
	assert.Equal(t, 7, placed, "everyone placed when a room may stay below four")
	require.Len(t, sol.Underfilled, 1)
	assert.Less(t, len(sol.Groups[sol.Underfilled[0]]), 4)

	out, stderr, code = run(`{"allow_fewer_groups": true}`, "-preset", "reflective_consultation", "-print-problem")
	require.Equal(t, 0, code, stderr)
	var p grouping.Problem
	require.NoError(t, json.Unmarshal(out, &p))
	assert.True(t, p.AllowFewerGroups)
	assert.False(t, p.AllowUnderfilled)
}

// -demo gives the synthetic workforce in place of a file: written as a
// workforce document without -preset, grouped with one; a file beside it
// is a usage error.
func TestDemoWorkforce(t *testing.T) {
	out, stderr, code := runBin(t, nil, "-demo", "1")
	require.Equal(t, 0, code, string(stderr))
	require.NoError(t, schema.Validate("workforce", out))
	var w bsk.Workforce
	require.NoError(t, json.Unmarshal(out, &w))
	require.NoError(t, w.Validate())
	assert.Equal(t, bsktest.Workforce(1, bsktest.Options{}).Providers, w.Providers, "the server's demo providers")

	f := filepath.Join(t.TempDir(), "workforce.json")
	require.NoError(t, os.WriteFile(f, out, 0o600))
	fromFile, stderr, code := runBin(t, nil, "-preset", "reflective_consultation", "-iterations", "30", f)
	require.Equal(t, 0, code, string(stderr))
	demo, stderr, code := runBin(t, nil, "-preset", "reflective_consultation", "-iterations", "30", "-demo", "1")
	require.Equal(t, 0, code, string(stderr))
	var a, b grouping.Solution
	require.NoError(t, json.Unmarshal(fromFile, &a))
	require.NoError(t, json.Unmarshal(demo, &b))
	assert.Equal(t, a.Groups, b.Groups, "the written file and -demo group alike")
	led := 0
	for g, ms := range b.Groups {
		if len(ms) > 0 && b.Leaders[g] != "" {
			led++
		}
	}
	assert.Greater(t, led, 80, "groups with a consultant")

	_, _, code = runBin(t, nil, "-demo", "1", f)
	assert.Equal(t, 2, code, "-demo with a file")
}
