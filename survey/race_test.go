package survey_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// TestMiddleEasternNorthAfricanGroup imports 5,000 respondents of whom 129
// chose Middle Eastern or North African (some also another category) in
// the combined question, and finds them as a group of their own, alone or
// in combination and alone, with Hispanic or Latino a choice beside them.
func TestMiddleEasternNorthAfricanGroup(t *testing.T) {
	var b strings.Builder
	b.WriteString("respondent_id,race,again\n")
	mena, menaAlone, hispanic := 0, 0, 0
	for i := range 5000 {
		race := []string{"white", "asian", "black", "hispanic_latinx", "white;hispanic_latinx"}[i%5]
		if i%39 == 0 && mena < 129 {
			mena++
			race = "middle_eastern_north_african"
			if i%2 == 0 {
				race += ";hispanic_latinx"
			} else {
				menaAlone++
			}
		}
		if strings.Contains(race, "hispanic_latinx") {
			hispanic++
		}
		fmt.Fprintf(&b, "r%d,%s,%s\n", i, race, []string{"yes", "no"}[i%2])
	}
	require.Equal(t, 129, mena)
	s, _, err := survey.ImportCSV(strings.NewReader(b.String()), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	group := func(mode survey.RaceMode, race bsk.RaceEthnicity) int {
		rep, err := s.Estimate(survey.Query{Items: []string{"again"}, Breakdowns: [][]survey.Dimension{{survey.ByRace}}, Race: mode})
		require.NoError(t, err)
		tb, ok := rep.Table("again", survey.ByRace)
		require.True(t, ok)
		for _, c := range tb.Cells {
			if c.Group[0] == string(race) {
				require.NotNil(t, c.N, "%s cell hidden: %s", race, c.Rule)
				return *c.N
			}
		}
		t.Fatalf("no %s cell", race)
		return 0
	}
	require.Equal(t, 129, group(survey.AloneOrInCombination, bsk.RaceMiddleEasternNorthAfrican))
	require.Equal(t, hispanic, group(survey.AloneOrInCombination, bsk.RaceHispanicLatinx))
	require.Equal(t, menaAlone, group(survey.MultipleRaces, bsk.RaceMiddleEasternNorthAfrican))
}

// TestImport1997Ethnicity reads the 1997 standard's separate ethnicity
// question beside the race question, from CSV (codes and yes/no) and
// from REDCap (choice codes mapped), and finds the combined question's
// answers.
func TestImport1997Ethnicity(t *testing.T) {
	csv := "respondent_id,hispanic_latino,race,again\n" +
		"r1,yes,white,yes\n" +
		"r2,no,black;american_indian_alaska_native,no\n" +
		"r3,hispanic_latino,,yes\n" +
		"r4,declined,,no\n" +
		"r5,,asian,yes\n" +
		"r6,hispanic_latino,declined,yes\n"
	s, _, err := survey.ImportCSV(strings.NewReader(csv), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	type R = []bsk.RaceEthnicity
	// A set keeps the categories chosen in their canonical order.
	want := []R{
		{bsk.RaceHispanicLatinx, bsk.RaceWhite},
		{bsk.RaceAmericanIndianAlaskaNative, bsk.RaceBlack},
		{bsk.RaceHispanicLatinx},
		{bsk.RaceDeclined},
		{bsk.RaceAsian},
		{bsk.RaceHispanicLatinx},
	}
	for i, w := range want {
		require.Equal(t, w, s.Response(i).Demographics.Race, "row %d", i+2)
	}
	_, _, err = survey.ImportCSV(strings.NewReader("respondent_id,hispanic_latino,again\nr1,maybe,yes\n"), trainingInstrument(false), survey.ImportOptions{})
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.Contains(t, err.Error(), "rows[2].hispanic_latino")

	const header = `"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"`
	dict := header + "\n" +
		"record_id,f,,text,ID,,,,,,,,,,,,,\n" +
		`ethnicity,f,,radio,Ethnicity,"0, Hispanic or Latino | 1, NOT Hispanic or Latino | 2, Unknown / Not Reported",,,,,,,,,,,,` + "\n" +
		`race,f,,checkbox,Race,"0, American Indian/Alaska Native | 1, Asian | 4, Black | 5, White | 6, More Than One Race",,,,,,,,,,,,` + "\n" +
		`again,f,,yesno,Again?,,,,,,,,,,,,,` + "\n"
	d, err := survey.ParseREDCapDictionary(strings.NewReader(dict), "ethnicity")
	require.NoError(t, err)
	records := "record_id,ethnicity,race___0,race___1,race___4,race___5,race___6,again\n" +
		"1,0,0,0,0,1,0,1\n" +
		"2,1,0,1,0,0,0,0\n" +
		"3,2,,,,,,1\n"
	s, _, err = survey.ImportREDCap(strings.NewReader(records), d, survey.REDCapOptions{
		Respondent: map[string]string{"hispanic_latino": "ethnicity", "race": "race"},
		Codes: map[string]map[string]string{
			"hispanic_latino": {"0": "hispanic_latino", "1": "not_hispanic_latino", "2": "declined"},
			"race":            {"0": "american_indian_alaska_native", "1": "asian", "4": "black", "5": "white"},
		}})
	require.NoError(t, err)
	require.Equal(t, R{bsk.RaceHispanicLatinx, bsk.RaceWhite}, s.Response(0).Demographics.Race)
	require.Equal(t, R{bsk.RaceAsian}, s.Response(1).Demographics.Race)
	require.Equal(t, R{bsk.RaceDeclined}, s.Response(2).Demographics.Race)
}
