package survey_test

import (
	"testing"

	"github.com/beststarts/workforce/survey"
)

// BenchmarkEstimateRaceDetail estimates one item of 100,000 respondents
// with detailed groups by detailed group, by detailed group and gender,
// and by the 1997 race and ethnicity crossed, under WA DOH (the detailed
// groups rolled up under 10 respondents), alone or in combination.
func BenchmarkEstimateRaceDetail(b *testing.B) {
	rs := detailResponses(100, 100_000)
	s, err := survey.NewSet(trainingInstrument(false))
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rs {
		if err := s.Add(r); err != nil {
			b.Fatal(err)
		}
	}
	q := survey.Query{Items: []string{"again", "useful"}, Breakdowns: [][]survey.Dimension{
		{survey.ByRaceDetail}, {survey.ByRaceDetail, survey.ByGender}, {survey.ByRace1997, survey.ByEthnicity1997}}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Estimate(q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishRaceDetail publishes a release of 100,000 respondents by
// detailed group, minimum category, gender and detailed group by gender,
// every table protected jointly.
func BenchmarkPublishRaceDetail(b *testing.B) {
	rs := detailResponses(101, 100_000)
	s, err := survey.NewSet(trainingInstrument(false))
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rs {
		if err := s.Add(r); err != nil {
			b.Fatal(err)
		}
	}
	rel := survey.Release{Standard: survey.WADOH(), Items: []string{"again", "useful"}, Breakdowns: [][]survey.Dimension{
		{survey.ByRaceDetail}, {survey.ByRace}, {survey.ByGender}, {survey.ByRaceDetail, survey.ByGender}}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Publish(rel); err != nil {
			b.Fatal(err)
		}
	}
}
