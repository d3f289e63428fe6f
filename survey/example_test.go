package survey_test

import (
	"fmt"
	"strings"

	"github.com/beststarts/workforce/survey"
)

// A post-training survey broken down by place under the default WA DOH
// standard: small cells are hidden with the rule that hid them, and a
// second cell is hidden where one alone could be recomputed from the total.
func Example() {
	in := survey.Instrument{ID: "post-training", Cycle: "2026", Population: "attendees",
		Items: []survey.Item{{Code: "useful", Kind: survey.Likert, Text: "The training was useful", Reported: "found the training useful"}}}
	var csv strings.Builder
	csv.WriteString("respondent_id,place,useful\n")
	for i, row := range []struct {
		place         string
		agree, others int
	}{{"seattle", 40, 12}, {"kent", 30, 11}, {"bellevue", 25, 10}, {"vashon", 4, 1}} {
		for k := range row.agree + row.others {
			answer := "4"
			if k >= row.agree {
				answer = "2"
			}
			fmt.Fprintf(&csv, "r%d-%d,%s,%s\n", i, k, row.place, answer)
		}
	}
	s, _, err := survey.ImportCSV(strings.NewReader(csv.String()), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByPlace}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	tb, _ := rep.Table("useful", survey.ByPlace)
	for _, c := range tb.Cells {
		group := c.Group[0]
		if group == "" {
			group = "all"
		}
		fmt.Printf("%-13s %s\n", group, c)
	}
	total, _ := rep.Total("useful")
	fmt.Println(survey.Sentence(in, in.Items[0], total))
	// Output:
	// seattle       77% of 52 [64, 86]
	// kent          73% of 41 [58, 84]
	// bellevue      suppressed (wa_doh:secondary)
	// vashon        suppressed (wa_doh:count_under_10)
	// not_reported  no responses
	// all           74% of 133 [66, 81]
	// 74 percent of the 133 attendees found the training useful.
}

// A release fixes what readers may see: the standard, the population and
// the breakdowns. Every table of the release is protected jointly, and a
// reader asking for a breakdown outside it is refused, naming the field.
func ExampleSet_Publish() {
	in := survey.Instrument{ID: "post-training", Cycle: "2026", Population: "attendees",
		Items: []survey.Item{{Code: "useful", Kind: survey.YesNo, Text: "The training was useful", Reported: "found the training useful"}}}
	var csv strings.Builder
	csv.WriteString("respondent_id,place,gender,useful\n")
	for i, row := range []struct {
		place, gender string
		yes, no       int
	}{{"seattle", "woman", 30, 12}, {"seattle", "man", 20, 11}, {"kent", "woman", 25, 10}, {"kent", "man", 15, 10}, {"vashon", "woman", 4, 1}} {
		for k := range row.yes + row.no {
			answer := "yes"
			if k >= row.yes {
				answer = "no"
			}
			fmt.Fprintf(&csv, "r%d-%d,%s,%s,%s\n", i, k, row.place, row.gender, answer)
		}
	}
	s, _, err := survey.ImportCSV(strings.NewReader(csv.String()), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByPlace}, {survey.ByGender}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := pub.Select(nil, [][]survey.Dimension{{survey.ByPlace}})
	if err != nil {
		fmt.Println(err)
		return
	}
	tb, _ := rep.Table("useful", survey.ByPlace)
	for _, c := range tb.Cells {
		group := c.Group[0]
		if group == "" {
			group = "all"
		}
		fmt.Printf("%-13s %s\n", group, c)
	}
	_, err = pub.Select(nil, [][]survey.Dimension{{survey.ByPlace, survey.ByGender}})
	fmt.Println(err)
	// Output:
	// seattle       suppressed (wa_doh:suppressed)
	// kent          67% of 60 [54, 77]
	// vashon        suppressed (wa_doh:suppressed)
	// not_reported  no responses
	// all           68% of 138 [60, 75]
	// breakdowns[0]: breakdown [place gender] is not in the release
}

// A weighted survey of providers sampled by organization (the cluster)
// within two strata: the estimate's linearized standard error, relative
// standard error and design-based effective n, with the beta interval (R's
// svyciprop(method = "beta")) and the logit one.
func ExampleSet_Estimate_standardErrors() {
	in := survey.Instrument{ID: "annual", Cycle: "2026", Weighted: true,
		Items: []survey.Item{{Code: "prepared", Kind: survey.YesNo, Text: "Do you feel more prepared?"}}}
	var csv strings.Builder
	csv.WriteString("respondent_id,weight,stratum,cluster,prepared\n")
	for i := range 120 {
		org := i % 12
		answer := "no"
		if (i*7)%10 < 2+org/2 {
			answer = "yes"
		}
		fmt.Fprintf(&csv, "r%d,%.1f,%s,org%d,%s\n", i, 1+float64(i%4)/2, []string{"clinics", "home_visiting"}[org%2], org, answer)
	}
	s, _, err := survey.ImportCSV(strings.NewReader(csv.String()), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []survey.Interval{survey.IntervalBeta, survey.IntervalLogit} {
		rep, err := s.Estimate(survey.Query{Interval: m})
		if err != nil {
			fmt.Println(err)
			return
		}
		c, _ := rep.Total("prepared")
		fmt.Printf("%s: %.1f%% (SE %.2f points, RSE %.3f, effective n %.0f) [%.1f, %.1f]\n", rep.Interval, *c.Percent, *c.SE, *c.RSE, *c.EffectiveN, *c.Low, *c.High)
	}
	// R's survey package gives 45.71%, SE 5.858 points, beta [32.46, 59.43]
	// and logit [33.23, 58.76] for the same design: the beta interval is
	// wider than the effective n alone would make it, as 12 clusters in 2
	// strata leave 10 degrees of freedom.

	// Output:
	// beta: 45.7% (SE 5.86 points, RSE 0.128, effective n 72) [32.5, 59.4]
	// logit: 45.7% (SE 5.86 points, RSE 0.128, effective n 72) [33.2, 58.8]
}

// ExampleComparePaired measures the certificate cohort's change in
// confidence: the same 65 participants asked before and after the
// program, matched by respondent ID, under the WA DOH standard (fewer
// pairs than 10, or a kind of pair from 1 to 9, would hide every figure).
func ExampleComparePaired() {
	in := survey.Instrument{ID: "certificate", Version: "1", Cycle: "2026", Items: []survey.Item{
		{Code: "confident", Kind: survey.YesNo, Text: "I feel confident supporting families' relationships"},
	}}
	before, _ := survey.NewSet(in)
	after, _ := survey.NewSet(in)
	for i := range 65 {
		id := fmt.Sprintf("p%02d", i)
		// 20 confident both times, 25 only after, 10 only before, 10
		// neither: no kind of pair is a small count, so nothing is hidden.
		was, is := i < 20 || (i >= 45 && i < 55), i < 45
		yes := map[bool]string{true: "yes", false: "no"}
		before.Add(survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"confident": {yes[was]}}})
		after.Add(survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"confident": {yes[is]}}})
	}
	p, err := survey.ComparePaired(before, after, "confident", survey.WADOH())
	if err != nil || p.Suppressed {
		fmt.Println(err, p.Rule)
		return
	}
	fmt.Printf("%d pairs: %.0f%% before, %.0f%% after, %+.1f points (%.1f to %.1f)\n", p.Pairs, *p.Before, *p.After, *p.Points, *p.Low, *p.High)
	fmt.Printf("%s p = %.2g\n", p.Test, *p.PValue)
	// Output:
	// 65 pairs: 46% before, 69% after, +23.1 points (6.1 to 40.0)
	// mcnemar p = 0.018
}
