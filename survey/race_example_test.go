package survey_test

import (
	"fmt"
	"strings"

	"github.com/beststarts/workforce/survey"
)

// A release by the 2024 standard's detailed groups: groups of 10 or more
// respondents are cells of their own; the three Filipino respondents are
// rolled up into Asian's other group with those who wrote Hmong in (a
// write-in is never a group of its own); White respondents who gave no
// detailed group are White's other group.
func ExampleByRaceDetail() {
	in := survey.Instrument{ID: "rc", Cycle: "2026", Population: "participants",
		Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"}}}
	var csv strings.Builder
	csv.WriteString("respondent_id,race,race_detail,race_write_in_asian,again\n")
	for i, row := range []struct {
		race, detail, writeIn string
		yes, no               int
	}{
		{"asian", "chinese", "", 30, 10},
		{"asian", "vietnamese", "", 20, 10},
		{"asian", "filipino", "", 2, 1},
		{"asian", "", "Hmong", 15, 12},
		{"", "mexican", "", 20, 10}, // the detailed group implies its category
		{"white", "", "", 35, 15},
	} {
		for k := range row.yes + row.no {
			fmt.Fprintf(&csv, "r%d-%d,%s,%s,%s,%v\n", i, k, row.race, row.detail, row.writeIn, k < row.yes)
		}
	}
	s, _, err := survey.ImportCSV(strings.NewReader(csv.String()), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRaceDetail}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, _ := pub.Select(nil, [][]survey.Dimension{{survey.ByRaceDetail}})
	tb, _ := rep.Table("again", survey.ByRaceDetail)
	for _, c := range tb.Cells {
		if c.N != nil && *c.N == 0 {
			continue
		}
		group := c.Group[0]
		if group == "" {
			group = "all"
		}
		fmt.Printf("%-16s %s\n", group, c)
	}
	// Output:
	// chinese          75% of 40 [60, 86]
	// vietnamese       67% of 30 [49, 81]
	// mexican          67% of 30 [49, 81]
	// asian:other      57% of 30 [39, 73]
	// white:other      70% of 50 [56, 81]
	// all              68% of 180 [61, 74]
}

// A breakdown by detailed group and place that cannot be protected (each
// detailed group's 30 respondents in a place include 6 who would not
// join again, a complement under 10) is withheld; the release publishes
// the minimum categories by place in its stead.
func ExamplePublication_RolledUp() {
	in := survey.Instrument{ID: "rc", Cycle: "2026", Population: "participants",
		Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"}}}
	var csv strings.Builder
	csv.WriteString("respondent_id,race_detail,place,again\n")
	groups := []string{"irish", "german", "chinese", "vietnamese"}
	places := []string{"seattle", "kent"}
	for i := range 240 {
		cell := i % 8
		fmt.Fprintf(&csv, "r%d,%s,%s,%v\n", i, groups[cell/2], places[cell%2], (i/8)%5 != 0)
	}
	s, _, err := survey.ImportCSV(strings.NewReader(csv.String()), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Race: survey.MultipleRaces,
		Breakdowns: [][]survey.Dimension{{survey.ByPlace}, {survey.ByRaceDetail, survey.ByPlace}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("withheld:", pub.WithheldBreakdowns)
	for _, u := range pub.RolledUp {
		fmt.Println("rolled up:", u.From, "->", u.To)
	}
	rep, _ := pub.Select(nil, [][]survey.Dimension{{survey.ByRace, survey.ByPlace}})
	tb, _ := rep.Table("again", survey.ByRace, survey.ByPlace)
	for _, c := range tb.Cells {
		if c.Group[0] != "" && c.Group[1] != "" && c.N != nil && *c.N > 0 {
			fmt.Printf("%-6s %-8s %s\n", c.Group[0], c.Group[1], c)
		}
	}
	// Output:
	// withheld: [[race_detail place]]
	// rolled up: [race_detail place] -> [race place]
	// asian  seattle  80% of 60 [68, 88]
	// asian  kent     80% of 60 [68, 88]
	// white  seattle  80% of 60 [68, 88]
	// white  kent     80% of 60 [68, 88]
}

// Race under the 1997 scheme: Hispanic or Latino is the separate
// ethnicity question, and Middle Eastern or North African respondents
// count as White, so that a 2026 cycle compares with cycles collected
// before the 2024 standard. The 2024 race table keeps them apart.
func ExampleByRace1997() {
	in := survey.Instrument{ID: "rc", Cycle: "2026", Population: "participants",
		Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"}}}
	csv := "respondent_id,race,again\n" +
		"r1,middle_eastern_north_african,yes\n" +
		"r2,middle_eastern_north_african;white,yes\n" +
		"r3,white,no\n" +
		"r4,white;hispanic_latinx,yes\n" +
		"r5,hispanic_latinx,yes\n" +
		"r6,black;hispanic_latinx,no\n" +
		"r7,declined,yes\n"
	s, _, err := survey.ImportCSV(strings.NewReader(csv), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	std := survey.Unsuppressed() // seven respondents: figures as computed, for the example only
	rep, err := s.Estimate(survey.Query{Disclosure: &std, Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByRace1997}, {survey.ByEthnicity1997}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, dim := range []survey.Dimension{survey.ByRace, survey.ByRace1997, survey.ByEthnicity1997} {
		tb, _ := rep.Table("again", dim)
		var groups []string
		for _, c := range tb.Cells {
			if c.Group[0] != "" && *c.N > 0 {
				groups = append(groups, fmt.Sprintf("%s %d", c.Group[0], *c.N))
			}
		}
		fmt.Printf("%s: %s\n", dim, strings.Join(groups, ", "))
	}
	// Output:
	// race: black 1, hispanic_latinx 3, middle_eastern_north_african 2, white 3, declined 1
	// race_1997: black 1, white 4, declined 1, not_reported 1
	// ethnicity_1997: hispanic_latino 3, not_hispanic_latino 3, declined 1
}

// The 1997 standard's table: race crossed with the separate ethnicity
// question, each 2024 answer mapped (Middle Eastern or North African as
// White; Hispanic or Latino alone has no 1997 race).
func ExampleByEthnicity1997() {
	in := survey.Instrument{ID: "rc", Cycle: "2026", Population: "participants",
		Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"}}}
	csv := "respondent_id,race,again\n" +
		"r1,middle_eastern_north_african,yes\n" +
		"r2,white;hispanic_latinx,yes\n" +
		"r3,white,no\n" +
		"r4,hispanic_latinx,yes\n"
	s, _, err := survey.ImportCSV(strings.NewReader(csv), in, survey.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	std := survey.Unsuppressed() // four respondents: figures as computed, for the example only
	crossed := []survey.Dimension{survey.ByRace1997, survey.ByEthnicity1997}
	rep, err := s.Estimate(survey.Query{Disclosure: &std, Breakdowns: [][]survey.Dimension{crossed}})
	if err != nil {
		fmt.Println(err)
		return
	}
	tb, _ := rep.Table("again", crossed...)
	for _, c := range tb.Cells {
		if c.Group[0] != "" && c.Group[1] != "" && *c.N > 0 {
			fmt.Printf("%s, %s: %d\n", c.Group[0], c.Group[1], *c.N)
		}
	}
	// Output:
	// white, hispanic_latino: 1
	// white, not_hispanic_latino: 2
	// not_reported, hispanic_latino: 1
}
