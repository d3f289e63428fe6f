package survey_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/survey"
)

// placeReport is 40 of 52 in Seattle, 30 of 41 in Kent and 4 of 5 on
// Vashon agreeing, under the default standard.
func placeReport(t *testing.T) (*survey.Report, survey.Instrument) {
	t.Helper()
	in := survey.Instrument{ID: "post-training", Cycle: "2026", Population: "attendees",
		Items: []survey.Item{{Code: "useful", Kind: survey.Likert, Text: "The training was useful", Reported: "found the training useful"}}}
	var b strings.Builder
	b.WriteString("respondent_id,place,useful\n")
	for _, g := range []struct {
		place         string
		agree, others int
	}{{"seattle", 40, 12}, {"kent", 30, 11}, {"vashon", 4, 1}} {
		for k := range g.agree + g.others {
			answer := "5"
			if k >= g.agree {
				answer = "1"
			}
			fmt.Fprintf(&b, "%s-%d,%s,%s\n", g.place, k, g.place, answer)
		}
	}
	s, _, err := survey.ImportCSV(strings.NewReader(b.String()), in, survey.ImportOptions{})
	require.NoError(t, err)
	rep, err := s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByPlace}}})
	require.NoError(t, err)
	return rep, in
}

func TestReportJSON(t *testing.T) {
	rep, _ := placeReport(t)
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	var back struct {
		Disclosure string `json:"disclosure"`
		Tables     []struct {
			Item       string   `json:"item"`
			Dimensions []string `json:"dimensions"`
			Cells      []map[string]any
		} `json:"tables"`
	}
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, "wa_doh", back.Disclosure)
	require.Len(t, back.Tables, 2)
	assert.Equal(t, []string{}, back.Tables[0].Dimensions)
	byPlace := back.Tables[1]
	assert.Equal(t, []string{"place"}, byPlace.Dimensions)
	cells := map[string]map[string]any{}
	for _, c := range byPlace.Cells {
		cells[c["group"].([]any)[0].(string)] = c
	}
	// Vashon: 4 of 5, hidden with its rule; its figures are null, not 0.
	assert.Equal(t, true, cells["vashon"]["suppressed"])
	assert.Equal(t, "wa_doh:count_under_10", cells["vashon"]["rule"])
	for _, k := range []string{"n", "count", "percent", "low", "high"} {
		assert.Contains(t, cells["vashon"], k)
		assert.Nil(t, cells["vashon"][k], k)
	}
	// One hidden cell in the line: Kent, the smaller other, goes too.
	assert.Equal(t, "wa_doh:secondary", cells["kent"]["rule"])
	assert.Equal(t, 52.0, cells["seattle"]["n"])
	assert.Equal(t, 40.0, cells["seattle"]["count"])
	assert.InDelta(t, 100*40.0/52, cells["seattle"]["percent"], 1e-9)
}

func TestReportCSV(t *testing.T) {
	rep, in := placeReport(t)
	var b bytes.Buffer
	require.NoError(t, rep.WriteCSV(&b))
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"instrument", "cycle", "item", "dimensions", "group", "n", "count", "percent", "low", "high", "range", "mean", "effective_n", "suppressed", "rule", "caution", "se", "rse", "mean_se"}, rows[0])
	byGroup := map[string][]string{}
	for _, r := range rows[1:] {
		byGroup[r[3]+"/"+r[4]] = r
	}
	v := byGroup["place/vashon"]
	require.NotNil(t, v)
	assert.Equal(t, []string{"", "", "", "", ""}, v[5:10], "hidden figures are empty")
	assert.Equal(t, "true", v[13])
	assert.Equal(t, "wa_doh:count_under_10", v[14])
	total := byGroup["/"]
	require.NotNil(t, total)
	assert.Equal(t, []string{"98", "74"}, total[5:7])
	// Unweighted: the binomial SE of 74 of 98, in points, and SE/percent.
	p := 74.0 / 98
	assert.Equal(t, strconv.FormatFloat(100*math.Sqrt(p*(1-p)/98), 'f', 4, 64), total[16])
	assert.Equal(t, strconv.FormatFloat(math.Sqrt(p*(1-p)/98)/p, 'f', 4, 64), total[17])
	assert.Equal(t, []string{"", "", ""}, v[16:19], "hidden standard errors are empty")
	assert.Equal(t, "all", byGroup["place/all"][4])

	// The total: 74 of 98 agree, 24 do not: both 10 or more, so it shows.
	cell, ok := rep.Total("useful")
	require.True(t, ok)
	assert.Equal(t, "76 percent of the 98 attendees found the training useful.", survey.Sentence(in, in.Items[0], cell))
	kent, _ := rep.Table("useful", survey.ByPlace)
	for _, c := range kent.Cells {
		if c.Suppressed {
			s := survey.Sentence(in, in.Items[0], c)
			assert.NotContains(t, s, "percent of", "a hidden cell's sentence gives no figure")
			// It names the standard, never the rule that hid the cell.
			assert.Equal(t, "Not shown under the wa_doh disclosure standard.", s)
		}
	}
}

// A top-coded estimate's sentence has the range and no N.
func TestSentenceTopCoded(t *testing.T) {
	in := survey.Instrument{ID: "x", Population: "attendees", Items: []survey.Item{{Code: "q", Kind: survey.YesNo, Reported: "would come again"}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	for i := range 6 {
		require.NoError(t, s.Add(survey.Response{Respondent: survey.Respondent{ID: fmt.Sprint(i)}, Answers: map[string][]string{"q": {"yes"}}}))
	}
	rep, err := s.Estimate(survey.Query{Population: 100}) // a 6% sample: survey rules
	require.NoError(t, err)
	c, _ := rep.Total("q")
	assert.Equal(t, "95-100%", c.Range)
	assert.Nil(t, c.N)
	assert.Equal(t, "x:top_coded", strings.Replace(c.Rule, "wa_doh", "x", 1))
	assert.Equal(t, "95-100 percent of attendees would come again.", survey.Sentence(in, in.Items[0], c))
}
