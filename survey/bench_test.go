package survey_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

func benchInstrument() survey.Instrument {
	in := survey.Instrument{ID: "annual", Cycle: "2026"}
	for i := range 20 {
		kind := survey.Likert
		if i%4 == 3 {
			kind = survey.YesNo
		}
		in.Items = append(in.Items, survey.Item{Code: fmt.Sprintf("q%02d", i), Kind: kind, Text: "item"})
	}
	return in
}

// benchCSV writes n rows of respondents with five attributes and 20 answers.
func benchCSV(n int) []byte {
	r := rand.New(rand.NewPCG(5, 5))
	races := []string{"white", "asian", "black", "hispanic_latinx", "white;hispanic_latinx", "american_indian_alaska_native", "native_hawaiian_pacific_islander", ""}
	genders := []string{"woman", "man", "nonbinary", ""}
	ages := []string{"under_25", "25_34", "35_44", "45_54", "55_64", "65_plus"}
	places := []string{"seattle", "kent", "bellevue", "auburn", "shoreline", "vashon", "federal_way"}
	incomes := []string{"under_200_fpl", "200_399_fpl", "400_plus_fpl", ""}
	var b bytes.Buffer
	b.WriteString("respondent_id,race,gender,age_band,place,income")
	for i := range 20 {
		fmt.Fprintf(&b, ",q%02d", i)
	}
	b.WriteByte('\n')
	for i := range n {
		fmt.Fprintf(&b, "r%d,%s,%s,%s,%s,%s", i, races[r.IntN(len(races))], genders[r.IntN(len(genders))], ages[r.IntN(len(ages))], places[r.IntN(len(places))], incomes[r.IntN(len(incomes))])
		for q := range 20 {
			if q%4 == 3 {
				b.WriteString([]string{",yes", ",no", ","}[r.IntN(3)])
			} else {
				fmt.Fprintf(&b, ",%d", 1+r.IntN(5))
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkImportCSV reads 200,000 rows; goal at least 200,000 rows a second.
func BenchmarkImportCSV(b *testing.B) {
	data := benchCSV(200_000)
	in := benchInstrument()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		s, _, err := survey.ImportCSV(bytes.NewReader(data), in, survey.ImportOptions{})
		if err != nil || s.Len() != 200_000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(200_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkEstimate1M disaggregates 1,000,000 responses x 20 items by five
// dimensions under the default standard; goal at most 3 s and 1 GB.
func BenchmarkEstimate1M(b *testing.B) {
	in := benchInstrument()
	s, err := survey.NewSet(in)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(6, 6))
	races := []bsk.RaceEthnicity{bsk.RaceWhite, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx, bsk.RaceAmericanIndianAlaskaNative}
	resp := survey.Response{Answers: map[string][]string{}}
	vals := make([][]string, 20)
	for i := range 1_000_000 {
		resp.ID = "r" + fmt.Sprint(i)
		resp.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{races[r.IntN(len(races))]}, Gender: []bsk.Gender{bsk.GenderWoman, bsk.GenderMan}[r.IntN(2)],
			AgeBand: []bsk.AgeBand{bsk.Age25To34, bsk.Age35To44, bsk.Age45To54}[r.IntN(3)], Place: []bsk.Place{"seattle", "kent", "bellevue", "vashon"}[r.IntN(4)],
			Income: []bsk.IncomeBand{bsk.IncomeUnder200FPL, bsk.Income400PlusFPL}[r.IntN(2)]}
		for q := range 20 {
			if q%4 == 3 {
				vals[q] = []string{[]string{"yes", "no"}[r.IntN(2)]}
			} else {
				vals[q] = []string{[]string{"1", "2", "3", "4", "5"}[r.IntN(5)]}
			}
			resp.Answers[in.Items[q].Code] = vals[q]
		}
		if err := s.Add(resp); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "set-MB")
	q := survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByGender}, {survey.ByAgeBand}, {survey.ByRegion}, {survey.ByIncome}}}
	b.ResetTimer()
	for b.Loop() {
		rep, err := s.Estimate(q)
		if err != nil || len(rep.Tables) != 20*6 {
			b.Fatal(err)
		}
	}
}
