package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/schema"
)

// -leaders names the mentors, here reflective consultants, and the
// mentorship preset with a leader capacity forms small groups of 6-8 that
// they lead, several each: the seeds' 82 participants and 3 mentors.
func TestMentorshipLeaders(t *testing.T) {
	w := bsktest.Workforce(3, bsktest.Options{Organizations: 12, Providers: 82, Consultants: 3, NoOfferings: true})
	data, err := json.Marshal(w)
	require.NoError(t, err)
	var mentors []string
	for _, pv := range w.Providers {
		if pv.Role == bsk.RoleConsultant {
			mentors = append(mentors, string(pv.ID))
		}
	}
	require.Len(t, mentors, 3)
	opts := filepath.Join(t.TempDir(), "opts.json")
	require.NoError(t, os.WriteFile(opts, []byte(`{"leader_capacity": 4}`), 0o600))
	list := mentors[0] + "," + mentors[1] + "," + mentors[2]
	out, stderr, code := runBin(t, data, "-preset", "mentorship", "-leaders", list, "-options", opts, "-iterations", "20")
	require.Equal(t, 0, code, string(stderr))
	require.NoError(t, schema.Validate("grouping-solution", out))
	var sol grouping.Solution
	require.NoError(t, json.Unmarshal(out, &sol))
	require.Len(t, sol.Groups, 12)
	load := map[string]int{}
	for g, ms := range sol.Groups {
		for _, m := range ms {
			assert.False(t, slices.Contains(mentors, string(m)), "mentor %s is a member of group %d", m, g)
		}
		if len(ms) == 0 {
			continue
		}
		assert.GreaterOrEqual(t, len(ms), 6, "group %d", g)
		assert.LessOrEqual(t, len(ms), 8, "group %d", g)
		assert.Contains(t, mentors, sol.Leaders[g], "group %d's leader", g)
		load[sol.Leaders[g]]++
	}
	for id, n := range load {
		assert.LessOrEqual(t, n, 4, "mentor %s", id)
	}
	assert.Empty(t, sol.Unled)

	_, stderr, code = runBin(t, data, "-preset", "mentorship", "-leaders", mentors[0]+",prov-nobody")
	assert.Equal(t, 1, code)
	assert.Contains(t, string(stderr), "/leader_ids/1")
	_, _, code = runBin(t, data, "-leaders", mentors[0])
	assert.Equal(t, 2, code, "-leaders without -preset")
}

// -history keeps apart who met before: sixteen attendees in rooms of four
// whose last session sat them by rows sit together again with nobody from
// their row.
func TestHistoryKeepsPairsApart(t *testing.T) {
	dir := t.TempDir()
	p := grouping.Problem{Groups: 4, Size: grouping.Bounds{Min: 4, Max: 4}}
	var rows []grouping.PastGroup
	for r := range 4 {
		g := grouping.PastGroup{Session: "2026-03"}
		for c := range 4 {
			id := grouping.MemberID(fmt.Sprintf("m%d%d", r, c))
			p.Members = append(p.Members, grouping.Member{ID: id})
			g.Members = append(g.Members, id)
		}
		rows = append(rows, g)
	}
	problem, err := json.Marshal(p)
	require.NoError(t, err)
	history, err := json.Marshal(rows)
	require.NoError(t, err)
	hf := filepath.Join(dir, "rooms.json")
	require.NoError(t, os.WriteFile(hf, history, 0o600))
	out, stderr, code := runBin(t, problem, "-history", hf, "-iterations", "20")
	require.Equal(t, 0, code, string(stderr))
	var sol grouping.Solution
	require.NoError(t, json.Unmarshal(out, &sol))
	require.Len(t, sol.Groups, 4)
	for g, ms := range sol.Groups {
		require.Len(t, ms, 4)
		for i, a := range ms {
			for _, b := range ms[i+1:] {
				assert.NotEqual(t, string(a)[1], string(b)[1], "group %d seats %s and %s of one row again", g, a, b)
			}
		}
	}
	// The pairs are part of the problem printed.
	out, stderr, code = runBin(t, problem, "-history", hf, "-print-problem")
	require.Equal(t, 0, code, string(stderr))
	var printed grouping.Problem
	require.NoError(t, json.Unmarshal(out, &printed))
	assert.Len(t, printed.Pairs, 4*6, "each row's six pairs")

	bad := filepath.Join(dir, "bad-rooms.json")
	require.NoError(t, os.WriteFile(bad, []byte(`[{"session": "2026-03", "members": ["m00", "m00"]}]`), 0o600))
	_, stderr, code = runBin(t, problem, "-history", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, string(stderr), "bad-rooms.json")
	assert.Contains(t, string(stderr), "/history/0/members/1")
	require.NoError(t, os.WriteFile(bad, []byte(`[{"session": "2026-03", "people": ["m00"]}]`), 0o600))
	_, stderr, code = runBin(t, problem, "-history", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, string(stderr), "history")
}
