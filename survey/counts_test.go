package survey_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/survey"
)

func TestProtectCountsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for range 500 {
		rows := 1 + r.IntN(8)
		tb := survey.CountTable{Columns: []string{"applicants", "eligible", "awarded"}, Totals: make([]int, 3)}
		for i := range rows {
			a := r.IntN(40)
			e := r.IntN(a + 1)
			w := r.IntN(e + 1)
			tb.Rows = append(tb.Rows, string(rune('a'+i)))
			tb.Counts = append(tb.Counts, []int{a, e, w})
			tb.Totals[0] += a
			tb.Totals[1] += e
			tb.Totals[2] += w
		}
		for _, d := range []survey.Disclosure{survey.WADOH(), survey.PHSKC()} {
			p, err := d.ProtectCounts(tb)
			require.NoError(t, err)
			for j := range tb.Columns {
				hidden := 0
				for i := range tb.Rows {
					c := p.Counts[i][j]
					if c == nil {
						assert.NotEmpty(t, p.Rules[i][j])
						if tb.Counts[i][j] > 0 {
							hidden++
						}
						continue
					}
					assert.Equal(t, tb.Counts[i][j], *c)
					if *c > 0 || d.HideZero {
						assert.GreaterOrEqual(t, *c, 10, "%s shows a count of %d", d.Name, *c)
					}
					if d.Complement && j > 0 && tb.Counts[i][0]-*c > 0 {
						assert.GreaterOrEqual(t, tb.Counts[i][0]-*c, 10, "%s shows a complement of %d", d.Name, tb.Counts[i][0]-*c)
					}
				}
				if p.Totals[j] != nil {
					assert.NotEqual(t, 1, hidden, "%s column %d: one hidden cell and a visible total", d.Name, j)
				}
			}
		}
	}
	_, err := survey.WADOH().ProtectCounts(survey.CountTable{Rows: []string{"a"}, Columns: []string{"x"}, Counts: [][]int{{-1}}, Totals: []int{1, 2}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "counts[0][0]")
	assert.Contains(t, err.Error(), "totals")
}
