package scholarship_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

func TestEquityProtect(t *testing.T) {
	// 40 applicants: 36 white, 4 Black; 30 eligible; 12 awarded, 3 of them Black.
	var apps []scholarship.Application
	var verdicts []scholarship.Verdict
	var al scholarship.Allocation
	for i := range 40 {
		race := bsk.RaceWhite
		if i < 4 {
			race = bsk.RaceBlack
		}
		a := scholarship.Application{ID: fmt.Sprintf("a%02d", i), Applicant: scholarship.Applicant{Demographics: bsk.Demographics{Race: []bsk.RaceEthnicity{race}, Gender: bsk.GenderWoman}}}
		apps = append(apps, a)
		v := scholarship.Verdict{Outcome: scholarship.Ineligible}
		if i < 30 {
			v.Outcome = scholarship.Eligible
		}
		verdicts = append(verdicts, v)
		if i < 3 || (i >= 10 && i < 19) {
			al.Awards = append(al.Awards, scholarship.Award{ApplicationID: a.ID, Amount: 1000_00})
		}
	}
	e := scholarship.Equity(apps, verdicts, al)
	assert.Equal(t, 40, e.Total.Applicants)
	assert.Equal(t, 12, e.Total.Awarded)
	p, err := e.Protect(survey.WADOH())
	require.NoError(t, err)
	rows := map[string]scholarship.ProtectedEquityRow{}
	for _, r := range p.Rows {
		rows[r.Dimension+"/"+r.Group] = r
	}
	black, white := rows["race/black"], rows["race/white"]
	assert.Nil(t, black.Applicants, "4 Black applicants must not be shown")
	assert.Nil(t, black.Awarded)
	assert.Nil(t, black.Amount, "the amount of 3 awards reveals each award")
	// Every hidden figure reads the same: the label does not say which
	// rule hid it (a complement or secondary label would tell the reader
	// more than that the figure is hidden).
	assert.Equal(t, "wa_doh:suppressed", black.Hidden["applicants"])
	// The white row would give the Black counts away by subtraction from the total.
	assert.Nil(t, white.Applicants)
	assert.Equal(t, "wa_doh:suppressed", white.Hidden["applicants"])
	for _, r := range p.Rows {
		for col, label := range r.Hidden {
			assert.Equal(t, "wa_doh:suppressed", label, "%s/%s %s", r.Dimension, r.Group, col)
		}
	}
	// Everyone is a woman: 40, 30, 12, shown.
	woman := rows["gender/woman"]
	require.NotNil(t, woman.Applicants)
	assert.Equal(t, 40, *woman.Applicants)
	assert.Equal(t, 12, *woman.Awarded)
	assert.Equal(t, scholarship.Cents(12*1000_00), *woman.Amount)

	open, err := e.Protect(survey.Unsuppressed())
	require.NoError(t, err)
	for _, r := range open.Rows {
		assert.NotNil(t, r.Applicants)
	}
}
