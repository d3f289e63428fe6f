package survey_test

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

func trainingInstrument(weighted bool) survey.Instrument {
	return survey.Instrument{ID: "post-training", Version: "2026.1", Cycle: "2026", Population: "attendees", Weighted: weighted,
		Items: []survey.Item{
			{Code: "useful", Kind: survey.Likert, Text: "The training was useful", Reported: "reported the training was useful"},
			{Code: "again", Kind: survey.YesNo, Text: "Would you attend again?"},
			{Code: "barriers", Kind: survey.Multi, Text: "What got in the way?", Options: []survey.Option{{"time", "Time"}, {"cost", "Cost"}, {"language", "Language"}}},
			{Code: "topics", Kind: survey.Ranking, Text: "Rank the topics", Options: []survey.Option{{"trauma", "Trauma-informed practice"}, {"imh101", "Infant mental health 101"}, {"rs", "Reflective supervision"}, {"attachment", "Attachment"}}},
			{Code: "hours", Kind: survey.Numeric, Text: "Hours a week with families", Min: 0, Max: 80},
			{Code: "comments", Kind: survey.Text, Text: "Anything else?"},
		}}
}

const goodCSV = `respondent_id,race,gender,place,role,useful,again,barriers,topics,hours,comments
r1,black;white,woman,kent,direct_service,5,yes,time;cost,rs;trauma;imh101,30,"Great, thanks"
r2,asian,man,seattle,supervisor,2,no,,trauma;rs,12.5,
r3,,,,,4,yes,language,,,
`

func TestImportCSV(t *testing.T) {
	s, rep, err := survey.ImportCSV(strings.NewReader(goodCSV), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Rows)
	assert.Equal(t, 3, rep.Imported)
	require.Equal(t, 3, s.Len())
	r := s.Response(0)
	assert.Equal(t, "r1", r.ID)
	assert.Equal(t, []bsk.RaceEthnicity{bsk.RaceBlack, bsk.RaceWhite}, r.Demographics.Race)
	assert.Equal(t, []string{"5"}, r.Answers["useful"])
	assert.Equal(t, []string{"time", "cost"}, r.Answers["barriers"])
	assert.Equal(t, []string{"rs", "trauma", "imh101"}, r.Answers["topics"], "ranking keeps its order")
	assert.Equal(t, []string{"Great, thanks"}, r.Answers["comments"])
	assert.NotContains(t, s.Response(1).Answers, "barriers")
	assert.Equal(t, []string{"12.5"}, s.Response(1).Answers["hours"])
}

func TestImportCSVAllOrNothing(t *testing.T) {
	bad := `respondent_id,useful,again,barriers,hours
r1,5,yes,time,10
r2,6,maybe,teleport,100
r1,4,yes,,
r4,3,yes,cost
`
	s, rep, err := survey.ImportCSV(strings.NewReader(bad), trainingInstrument(false), survey.ImportOptions{})
	require.Error(t, err)
	assert.Nil(t, s, "a failed import leaves nothing behind")
	assert.Zero(t, rep.Imported)
	msg := err.Error()
	for _, want := range []string{"rows[3].useful", "rows[3].again", "rows[3].barriers", "rows[3].hours", "rows[4].respondent_id", "rows[5]: has 4 fields; the header has 5"} {
		assert.Contains(t, msg, want)
	}
	assert.True(t, errors.Is(err, bsk.ErrInvalid))

	// Skipping bad rows keeps the good ones and lists the bad with why.
	s, rep, err = survey.ImportCSV(strings.NewReader(bad), trainingInstrument(false), survey.ImportOptions{SkipBadRows: true})
	require.NoError(t, err)
	assert.Equal(t, 1, s.Len())
	assert.Equal(t, 4, rep.Rows)
	require.Len(t, rep.Skipped, 3)
	assert.Equal(t, 3, rep.Skipped[0].Row)
	assert.Len(t, rep.Skipped[0].Problems, 4)
}

func TestImportCSVHeaderAndWeights(t *testing.T) {
	tests := []struct {
		name, csv string
		weighted  bool
		want      string
	}{
		{"unknown column", "respondent_id,useful,colour\nr1,5,blue\n", false, `rows[1].colour: unknown column "colour"`},
		{"no id column", "useful\n5\n", false, "no respondent_id column"},
		{"duplicate column", "respondent_id,useful,useful\nr1,5,5\n", false, `rows[1].useful: column "useful" appears twice`},
		{"empty", "", false, "the file is empty"},
		{"weighted without weights", "respondent_id,useful\nr1,5\n", true, "needs a weight column"},
		{"zero weight", "respondent_id,weight,useful\nr1,0,5\n", true, "rows[2].weight: must be a positive"},
		{"negative weight", "respondent_id,weight,useful\nr1,-2,5\n", true, "rows[2].weight"},
		{"NaN weight", "respondent_id,weight,useful\nr1,NaN,5\n", true, "rows[2].weight"},
		{"missing weight", "respondent_id,weight,useful\nr1,,5\n", true, "rows[2].weight"},
		{"bad quote", "respondent_id,useful\nr1,\"5\n", false, "rows[2]"},
		{"bad race", "respondent_id,race,useful\nr1,martian,5\n", false, "rows[2].race"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := survey.ImportCSV(strings.NewReader(tt.csv), trainingInstrument(tt.weighted), survey.ImportOptions{})
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	s, _, err := survey.ImportCSV(strings.NewReader("respondent_id,weight,useful\nr1,1.5,5\nr2,0.5,1\n"), trainingInstrument(true), survey.ImportOptions{})
	require.NoError(t, err)
	rep, err := s.Estimate(survey.Query{Disclosure: ptr(survey.Unsuppressed())})
	require.NoError(t, err)
	c, _ := rep.Total("useful")
	assert.InDelta(t, 75, *c.Percent, 1e-9, "weighted: 1.5 of 2")
	// Design-based: p(1-p)/Var(p), Var(p) = 2/1 (1.5^2 0.25^2 + 0.5^2 0.75^2) / 2^2.
	assert.InDelta(t, 0.1875/0.140625, *c.EffectiveN, 1e-9, "p(1-p)/Var(p)")
	assert.InDelta(t, 100*math.Sqrt(0.140625), *c.SE, 1e-9, "linearized SE")
}

func ptr[T any](v T) *T { return &v }

func TestRankAndFrequencies(t *testing.T) {
	s, _, err := survey.ImportCSV(strings.NewReader(goodCSV), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	rk, err := s.Rank("topics", survey.Unsuppressed())
	require.NoError(t, err)
	// r1: rs 4, trauma 3, imh101 2; r2: trauma 4, rs 3. rs 7, trauma 7 (tied), imh101 2, attachment 0.
	require.Len(t, rk.Options, 4)
	assert.Equal(t, 2, rk.Respondents)
	assert.Equal(t, []string{"trauma", "rs", "imh101", "attachment"}, []string{rk.Options[0].Code, rk.Options[1].Code, rk.Options[2].Code, rk.Options[3].Code})
	assert.Equal(t, 1, rk.Options[0].Place)
	assert.Equal(t, 1, rk.Options[1].Place)
	assert.True(t, rk.Options[0].Tied && rk.Options[1].Tied)
	assert.Equal(t, 3, rk.Options[2].Place)
	assert.Equal(t, 7, rk.Options[0].Points)
	assert.InDelta(t, 50, rk.Options[2].TopThree, 1e-9)
	// Under the default standard, two respondents are too few to show.
	hidden, err := s.Rank("topics", survey.WADOH())
	require.NoError(t, err)
	assert.True(t, hidden.Suppressed)
	assert.Empty(t, hidden.Options)

	fr, err := s.Frequencies("barriers", survey.Unsuppressed())
	require.NoError(t, err)
	assert.Equal(t, 2, fr.Respondents)
	assert.Equal(t, 1, *fr.Options[0].Count)
	assert.InDelta(t, 50, *fr.Options[0].Percent, 1e-9)
	fr, err = s.Frequencies("barriers", survey.WADOH())
	require.NoError(t, err)
	for _, o := range fr.Options {
		assert.True(t, o.Suppressed, "%s shown with 2 respondents", o.Code)
	}
	_, err = s.Rank("useful", survey.WADOH())
	assert.True(t, errors.Is(err, bsk.ErrInvalid))
	_, err = s.Frequencies("nope", survey.WADOH())
	assert.True(t, errors.Is(err, bsk.ErrNotFound))
}

func TestREDCapFixtures(t *testing.T) {
	open := func(dir, name string) *os.File {
		f, err := os.Open("testdata/redcap/" + dir + "/" + name)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		return f
	}
	dict := func(dir string) *survey.Dictionary {
		d, err := survey.ParseREDCapDictionary(open(dir, "dictionary.csv"), dir)
		require.NoError(t, err)
		return d
	}

	// Checkboxes with letter codes; unchecked boxes are an answer of none.
	d := dict("checkboxes-1")
	assert.Equal(t, "record_id", d.RecordID)
	s, rep, err := survey.ImportREDCap(open("checkboxes-1", "data.csv"), d, survey.REDCapOptions{})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Imported)
	assert.Equal(t, []string{"1"}, s.Response(0).Answers["check_one"])
	assert.Equal(t, []string{"a", "c"}, s.Response(0).Answers["check_two"])
	assert.Equal(t, []string{"b", "d"}, s.Response(1).Answers["check_two"])

	// A longitudinal project: one event, or duplicates.
	d = dict("longitudinal")
	_, _, err = survey.ImportREDCap(open("longitudinal", "data.csv"), d, survey.REDCapOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `duplicate respondent "100"`)
	s, _, err = survey.ImportREDCap(open("longitudinal", "data.csv"), d, survey.REDCapOptions{Event: "enrollment_arm_1",
		Respondent: map[string]string{"gender": "sex"}, Codes: map[string]map[string]string{"gender": {"0": "woman", "1": "man"}}})
	require.NoError(t, err)
	assert.Equal(t, 2, s.Len(), "two records have an enrollment_arm_1 row")
	assert.Equal(t, bsk.GenderMan, s.Response(0).Demographics.Gender)
	assert.Equal(t, bsk.GenderWoman, s.Response(1).Demographics.Gender)

	// Values that break the dictionary's validation: all or nothing, or skipped with reasons.
	d = dict("potentially-problematic-values")
	_, _, err = survey.ImportREDCap(open("potentially-problematic-values", "data.csv"), d, survey.REDCapOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "rows[2].integer_before_validation")
	s, rep, err = survey.ImportREDCap(open("potentially-problematic-values", "data.csv"), d, survey.REDCapOptions{ImportOptions: survey.ImportOptions{SkipBadRows: true}})
	require.NoError(t, err)
	assert.Zero(t, s.Len())
	assert.Len(t, rep.Skipped, 2)

	// A dictionary with a byte order mark and odd characters; a survey project with timestamps.
	dict("potentially-problematic-dictionary")
	d = dict("survey")
	s, _, err = survey.ImportREDCap(open("survey", "data.csv"), d, survey.REDCapOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, s.Len())
}

func TestREDCapWrongFiles(t *testing.T) {
	_, err := survey.ParseREDCapDictionary(strings.NewReader("respondent_id,useful\nr1,5\n"), "x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no "Field Type" column`)
	hdr := `"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max"` + "\n"
	_, err = survey.ParseREDCapDictionary(strings.NewReader(hdr+"record_id,f,,text,ID,,,,,\nq1,f,,hologram,Q,,,,,\nq2,f,,radio,Q2,nonsense,,,,\n"), "x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `rows[3].field_type: unknown REDCap field type "hologram"`)
	assert.Contains(t, err.Error(), `rows[4].choices`)
	d, err := survey.ParseREDCapDictionary(strings.NewReader(hdr+"record_id,f,,text,ID,,,,,\nq1,f,,radio,Q,\"1, Strongly disagree|2, Disagree|3, Neutral|4, Agree|5, Strongly agree\",,,,\n"), "x")
	require.NoError(t, err)
	assert.Equal(t, survey.Likert, d.Instrument.Items[0].Kind, "five agreement choices coded 1-5 are a Likert item")
	_, _, err = survey.ImportREDCap(strings.NewReader("record_id,q1,q9\n1,4,2\n"), d, survey.REDCapOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `rows[1].q9: column "q9" is not a field`)
	_, _, err = survey.ImportREDCap(strings.NewReader("id,q1\n1,4\n"), d, survey.REDCapOptions{})
	assert.Contains(t, err.Error(), `no "record_id" column`)
	s, _, err := survey.ImportREDCap(strings.NewReader("record_id,q1\n1,4\n2,UNK\n3,\n"), d, survey.REDCapOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, s.Len())
	assert.Empty(t, s.Response(1).Answers, "missing-data codes are no answer")
}

func TestAddReportsEveryProblemInOrder(t *testing.T) {
	s, err := survey.NewSet(trainingInstrument(true))
	require.NoError(t, err)
	resp := survey.Response{Respondent: survey.Respondent{ID: "r1", Weight: -1},
		Answers: map[string][]string{"zeta": {"1"}, "alpha": {"1"}, "useful": {"9"}, "mid": {"x"}}}
	err = s.Add(resp)
	require.Error(t, err)
	var list bsk.Errors
	require.True(t, errors.As(err, &list))
	var fields []string
	for _, e := range list {
		fields = append(fields, e.Field)
	}
	assert.Equal(t, []string{"weight", "answers.useful", "answers.alpha", "answers.mid", "answers.zeta"}, fields)
	assert.True(t, errors.Is(err, bsk.ErrNotFound))
	assert.Zero(t, s.Len(), "a response with a problem is not added")
	for range 20 {
		require.Equal(t, err.Error(), s.Add(resp).Error(), "the same problems, in the same order")
	}
}
