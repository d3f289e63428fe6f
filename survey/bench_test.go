package survey_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
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

// BenchmarkImportCSV reads 200,000 rows; goal at least 200,000 rows a
// second, streaming: the importer keeps the columnar responses (their IDs
// and index included), never the file; retained-B/row is what a kept
// response costs, whatever the file's size.
func BenchmarkImportCSV(b *testing.B) {
	const rows = 200_000
	data := benchCSV(rows)
	in := benchInstrument()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var retained float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s, _, err := survey.ImportCSV(bytes.NewReader(data), in, survey.ImportOptions{})
		if err != nil || s.Len() != rows {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		runtime.KeepAlive(s)
	}
	b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(len(data))/rows, "file-B/row")
	b.ReportMetric(retained/rows, "retained-B/row")
}

var benchSets = map[[2]bool]*survey.Set{}

// benchSet builds 1,000,000 responses to 20 items with five respondent
// attributes (some respondents of two races), once per weighting and
// design; clustered respondents are weighted and drawn from 3,000
// organizations in 10 strata.
func benchSet(b *testing.B, weighted, clustered bool) *survey.Set {
	if s, ok := benchSets[[2]bool{weighted, clustered}]; ok {
		return s
	}
	in := benchInstrument()
	in.Weighted = weighted
	s, err := survey.NewSet(in)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(6, 6))
	races := [][]bsk.RaceEthnicity{{bsk.RaceWhite}, {bsk.RaceAsian}, {bsk.RaceBlack}, {bsk.RaceHispanicLatinx}, {bsk.RaceAmericanIndianAlaskaNative},
		{bsk.RaceWhite, bsk.RaceHispanicLatinx}, {bsk.RaceNativeHawaiianPacificIslander}, nil}
	genders := []bsk.Gender{bsk.GenderWoman, bsk.GenderWoman, bsk.GenderMan, bsk.GenderNonbinary, ""}
	ages := []bsk.AgeBand{bsk.AgeUnder25, bsk.Age25To34, bsk.Age35To44, bsk.Age45To54, bsk.Age55To64, bsk.Age65Plus}
	places := []bsk.Place{"seattle", "kent", "bellevue", "vashon", "auburn", "shoreline", "federal_way", "skykomish"}
	incomes := []bsk.IncomeBand{bsk.IncomeUnder200FPL, bsk.Income200To399FPL, bsk.Income400PlusFPL, ""}
	resp := survey.Response{Answers: map[string][]string{}}
	yes, no := []string{"yes"}, []string{"no"}
	likert := [][]string{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}}
	for i := range 1_000_000 {
		resp.ID = "r" + strconv.Itoa(i)
		resp.Demographics = bsk.Demographics{Race: races[r.IntN(len(races))], Gender: genders[r.IntN(len(genders))],
			AgeBand: ages[r.IntN(len(ages))], Place: places[r.IntN(len(places))], Income: incomes[r.IntN(len(incomes))]}
		if weighted {
			resp.Weight = 0.5 + 2*r.Float64()
		}
		if clustered {
			h := r.IntN(10)
			resp.Stratum, resp.Cluster = "s"+strconv.Itoa(h), "org"+strconv.Itoa(r.IntN(300))
		}
		for q := range 20 {
			code := in.Items[q].Code
			switch {
			case r.IntN(20) == 0:
				delete(resp.Answers, code)
			case q%4 == 3:
				resp.Answers[code] = [][]string{yes, no}[r.IntN(2)]
			default:
				resp.Answers[code] = likert[min(4, int(5*math.Sqrt(r.Float64())))]
			}
		}
		if err := s.Add(resp); err != nil {
			b.Fatal(err)
		}
	}
	benchSets[[2]bool{weighted, clustered}] = s
	return s
}

// BenchmarkEstimate1M estimates 1,000,000 responses x 20 items broken down
// by five dimensions: five one-way tables, or the five crossed with every
// margin (race alone or in combination), under the default standard and
// under NCHS (a Korn-Graubard interval for every cell), equal-weight and
// weighted; and weighted in 3,000 clusters within 10 strata (linearized
// variances summed cluster by cluster) by the five dimensions one way,
// and by three crossed. Goal: at most 3 s and 1 GB.
func BenchmarkEstimate1M(b *testing.B) {
	five := []survey.Dimension{survey.ByRace, survey.ByGender, survey.ByAgeBand, survey.ByRegion, survey.ByIncome}
	var oneWay [][]survey.Dimension
	for _, d := range five {
		oneWay = append(oneWay, []survey.Dimension{d})
	}
	nchs := survey.NCHS()
	cases := []struct {
		name                string
		weighted, clustered bool
		q                   survey.Query
	}{
		{"one_way_x5", false, false, survey.Query{Breakdowns: oneWay}},
		{"crossed_5", false, false, survey.Query{Breakdowns: [][]survey.Dimension{five}}},
		{"crossed_5_multiple_races", false, false, survey.Query{Breakdowns: [][]survey.Dimension{five}, Race: survey.MultipleRaces}},
		{"crossed_5_nchs", false, false, survey.Query{Breakdowns: [][]survey.Dimension{five}, Disclosure: &nchs}},
		{"crossed_5_weighted", true, false, survey.Query{Breakdowns: [][]survey.Dimension{five}}},
		{"one_way_x5_clustered", true, true, survey.Query{Breakdowns: oneWay}},
		{"crossed_3_clustered", true, true, survey.Query{Breakdowns: [][]survey.Dimension{five[:3]}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := benchSet(b, c.weighted, c.clustered)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			setMB := float64(ms.HeapAlloc) / (1 << 20)
			b.ReportAllocs()
			b.ResetTimer()
			cells := 0
			for b.Loop() {
				rep, err := s.Estimate(c.q)
				if err != nil || len(rep.Tables) != 20*(1+len(c.q.Breakdowns)) {
					b.Fatal(err)
				}
				cells = 0
				for _, t := range rep.Tables {
					cells += len(t.Cells)
				}
			}
			b.ReportMetric(float64(cells), "cells")
			b.ReportMetric(setMB, "heap-MB-before")
		})
	}
}

// BenchmarkPublish publishes a release of 5,000 responses to 20 items
// broken down by race, place, gender and age band, alone and in pairs (10
// breakdowns), with rare groups, so that witnesses are searched for
// hundreds of hidden cells; goal under a second.
func BenchmarkPublish(b *testing.B) {
	in := benchInstrument()
	s, err := survey.NewSet(in)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(8, 8))
	races := []bsk.RaceEthnicity{bsk.RaceWhite, bsk.RaceWhite, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx, bsk.RaceAmericanIndianAlaskaNative, bsk.RaceNativeHawaiianPacificIslander}
	places := []bsk.Place{"seattle", "seattle", "kent", "bellevue", "vashon", "auburn", "shoreline", "skykomish"}
	genders := []bsk.Gender{bsk.GenderWoman, bsk.GenderWoman, bsk.GenderMan, bsk.GenderNonbinary}
	ages := []bsk.AgeBand{bsk.AgeUnder25, bsk.Age25To34, bsk.Age35To44, bsk.Age45To54, bsk.Age55To64, bsk.Age65Plus}
	for i := range 5000 {
		resp := survey.Response{Respondent: survey.Respondent{ID: "r" + strconv.Itoa(i)}, Answers: map[string][]string{}}
		resp.Demographics = bsk.Demographics{Race: []bsk.RaceEthnicity{races[r.IntN(len(races))]}, Gender: genders[r.IntN(len(genders))],
			AgeBand: ages[r.IntN(len(ages))], Place: places[r.IntN(len(places))]}
		for q, it := range in.Items {
			switch {
			case it.Kind == survey.YesNo:
				resp.Answers[it.Code] = []string{[]string{"yes", "no"}[min(1, r.IntN(4+q))]}
			default:
				resp.Answers[it.Code] = []string{strconv.Itoa(1 + r.IntN(5))}
			}
		}
		if err := s.Add(resp); err != nil {
			b.Fatal(err)
		}
	}
	dims := []survey.Dimension{survey.ByRace, survey.ByPlace, survey.ByGender, survey.ByAgeBand}
	var bds [][]survey.Dimension
	for i, d := range dims {
		bds = append(bds, []survey.Dimension{d})
		for _, e := range dims[i+1:] {
			bds = append(bds, []survey.Dimension{d, e})
		}
	}
	rel := survey.Release{Standard: survey.WADOH(), Breakdowns: bds}
	b.ReportAllocs()
	var hidden, cells int
	for b.Loop() {
		pub, err := s.Publish(rel)
		if err != nil {
			b.Fatal(err)
		}
		hidden, cells = 0, 0
		for _, t := range pub.Report.Tables {
			for _, c := range t.Cells {
				cells++
				if c.Suppressed {
					hidden++
				}
			}
		}
	}
	b.ReportMetric(float64(cells), "cells")
	b.ReportMetric(float64(hidden), "hidden")
}
