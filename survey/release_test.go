package survey_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

func TestReleaseValidate(t *testing.T) {
	in := attackSet(t, 1, 10).Instrument()
	six := []survey.Dimension{survey.ByRace, survey.ByGender, survey.ByAgeBand, survey.ByRegion, survey.ByPlace, survey.ByIncome}
	many := make([][]survey.Dimension, survey.MaxBreakdowns+1)
	for k := range many {
		many[k] = []survey.Dimension{survey.ByRace}
	}
	cases := []struct {
		name  string
		r     survey.Release
		field string
	}{
		{"no rule", survey.Release{Standard: survey.Disclosure{Name: "none"}}, "standard"},
		{"unknown item", survey.Release{Standard: survey.WADOH(), Items: []string{"shoe"}}, "items[0]"},
		{"unknown dimension", survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{"shoe_size"}}}, "breakdowns[0][0]"},
		{"too many dimensions", survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{six}}, "breakdowns[0]"},
		{"too many breakdowns", survey.Release{Standard: survey.WADOH(), Breakdowns: many}, "breakdowns"},
		{"breakdown twice", survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace, survey.ByPlace}, {survey.ByPlace, survey.ByRace}}}, "breakdowns[1]"},
		{"negative population", survey.Release{Standard: survey.WADOH(), Population: -1}, "population"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.r.Validate(in)
			require.Error(t, err)
			var fields []string
			var list bsk.Errors
			require.ErrorAs(t, err, &list)
			for _, e := range list {
				fields = append(fields, e.Field)
			}
			require.Contains(t, fields, c.field, "Validate = %v", err)
		})
	}
	require.NoError(t, survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByRace, survey.ByPlace}}}.Validate(in))
}

func TestPublicationSelect(t *testing.T) {
	s := attackSet(t, 2, 300)
	pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace, survey.ByRace}}})
	require.NoError(t, err)
	rep, err := pub.Select(nil, [][]survey.Dimension{{survey.ByRace, survey.ByPlace}})
	require.NoError(t, err)
	var got [][]survey.Dimension
	for _, tb := range rep.Tables {
		got = append(got, tb.Dimensions)
	}
	if diff := cmp.Diff([][]survey.Dimension{{}, {survey.ByPlace, survey.ByRace}}, got); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	_, err = pub.Select(nil, [][]survey.Dimension{{survey.ByGender}})
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	require.Equal(t, "breakdowns[0]", list[0].Field)
	_, err = pub.Select([]string{"shoe"}, nil)
	require.ErrorAs(t, err, &list)
	require.Equal(t, "items[0]", list[0].Field)
}

// TestPublishedRulesAreNeutral checks that a reader learns only that a
// cell is hidden, never which figure was small or which cell it protects,
// and that sentences carry no figure of a hidden cell.
func TestPublishedRulesAreNeutral(t *testing.T) {
	s, in := seedSet(t, "2020", "providers who initiated the endorsement process", 137, endorsement2020)
	pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}}})
	require.NoError(t, err)
	hidden := 0
	for _, tb := range pub.Report.Tables {
		for _, c := range tb.Cells {
			switch c.Rule {
			case "":
			case "wa_doh:suppressed":
				hidden++
				if c.N != nil || c.Count != nil || c.Percent != nil || c.Low != nil || c.Mean != nil || c.Caution {
					t.Errorf("%s %v: hidden cell with figures %+v", tb.Item, c.Group, c)
				}
				it, _ := in.Item(tb.Item)
				if got, want := survey.Sentence(in, it, c), "Not shown under the wa_doh disclosure standard."; got != want {
					t.Errorf("Sentence = %q; want %q", got, want)
				}
			default:
				t.Errorf("%s %v: rule %q tells more than that the cell is hidden", tb.Item, c.Group, c.Rule)
			}
		}
	}
	// "94% of 137" hides its total: 8 disagreed.
	require.Positive(t, hidden)
	total, _ := pub.Report.Total("responsive")
	require.True(t, total.Suppressed)
}

// TestCSVEscapesFormulas writes reports whose instrument ID, cycle and
// group begin with each character a spreadsheet runs as a formula.
func TestCSVEscapesFormulas(t *testing.T) {
	for _, p := range []string{"=", "+", "-", "@", "\t", "\r"} {
		n := 3
		rep := survey.Report{Instrument: p + "HYPERLINK(1)", Cycle: p + "2026", Tables: []survey.Table{
			{Item: "q1", Dimensions: []survey.Dimension{survey.ByPlace}, Cells: []survey.Cell{{Group: []string{p + "cmd"}, N: &n}}},
		}}
		var b bytes.Buffer
		require.NoError(t, rep.WriteCSV(&b))
		recs, err := csv.NewReader(&b).ReadAll()
		require.NoError(t, err)
		for _, rec := range recs[1:] {
			for k, v := range rec {
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Errorf("%q: column %s = %q begins with a formula character", p, recs[0][k], v)
				}
			}
			if rec[0] != "'"+p+"HYPERLINK(1)" || rec[1] != "'"+p+"2026" || rec[4] != "'"+p+"cmd" {
				t.Errorf("%q: record %q", p, rec)
			}
		}
	}
}

// TestPublishRefusesTooManyCells builds a release whose tables would hold
// more than MaxReleaseCells cells: it is refused, naming the field.
func TestPublishRefusesTooManyCells(t *testing.T) {
	in := survey.Instrument{ID: "wide", Cycle: "2026"}
	for i := range 40 {
		in.Items = append(in.Items, survey.Item{Code: fmt.Sprint("q", i), Kind: survey.YesNo, Text: "q"})
	}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	places := []bsk.Place{"seattle", "shoreline", "kenmore", "kirkland", "mercer_island", "newcastle", "north_bend", "skykomish", "renton", "burien", "kent", "covington", "skyway", "black_diamond"}
	ages := []bsk.AgeBand{bsk.AgeUnder25, bsk.Age25To34, bsk.Age35To44, bsk.Age45To54, bsk.Age55To64, bsk.Age65Plus}
	for i := range 200 {
		r := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprint("r", i)}, Answers: map[string][]string{"q0": {"yes"}}}
		r.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceWhite}, Place: places[i%len(places)], AgeBand: ages[i%len(ages)], Gender: bsk.GenderWoman}
		require.NoError(t, s.Add(r))
	}
	dims := []survey.Dimension{survey.ByRace, survey.ByPlace, survey.ByAgeBand, survey.ByGender, survey.ByIncome}
	var bds [][]survey.Dimension
	for i := range dims {
		for j := i + 1; j < len(dims); j++ {
			for k := j + 1; k < len(dims); k++ {
				bds = append(bds, []survey.Dimension{dims[i], dims[j], dims[k]})
			}
		}
	}
	_, err = s.Publish(survey.Release{Standard: survey.WADOH(), Breakdowns: bds})
	require.ErrorIs(t, err, bsk.ErrInvalid)
	var e *bsk.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "breakdowns", e.Field, "Publish = %v", err)
	require.Contains(t, e.Message, fmt.Sprint(survey.MaxReleaseCells))
}

// TestInstrumentRefusesHiddenCharacters: an instrument's ID is a safe ID,
// and its texts and option labels refuse the characters that make a text
// display differently from what it holds, each named by its field.
func TestInstrumentRefusesHiddenCharacters(t *testing.T) {
	in := survey.Instrument{ID: "../annual", Version: "1", Cycle: "2026\u202e", Population: "providers",
		Items: []survey.Item{
			{Code: "again", Kind: survey.YesNo, Text: "Again?\x00", Reported: "would come\u200b again"},
			{Code: "pick", Kind: survey.Single, Text: "Pick", Options: []survey.Option{{Code: "a", Label: "A"}, {Code: "b", Label: "B\u2067"}}},
		}}
	var list bsk.Errors
	require.ErrorAs(t, in.Validate(), &list)
	var fields []string
	for _, e := range list {
		fields = append(fields, e.Field)
	}
	for _, f := range []string{"id", "cycle", "items[0].text", "items[0].reported", "items[1].options[1].label"} {
		if !slices.Contains(fields, f) {
			t.Errorf("problems at %v; want one at %s", fields, f)
		}
	}
	if len(fields) != 5 {
		t.Errorf("problems at %v; want exactly the five bad fields", fields)
	}
}
