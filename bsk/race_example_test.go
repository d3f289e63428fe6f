package bsk_test

import (
	"fmt"

	"github.com/beststarts/workforce/bsk"
)

func ExampleRaceDetail() {
	d := bsk.Demographics{
		Race:        []bsk.RaceEthnicity{bsk.RaceAsian, bsk.RaceBlack},
		RaceDetail:  []bsk.RaceDetail{bsk.RaceDetailVietnamese, bsk.RaceDetailLebanese},
		RaceWriteIn: map[bsk.RaceEthnicity]string{bsk.RaceBlack: "Eritrean"},
	}
	for _, x := range d.RaceDetail {
		fmt.Println(x, "is under", x.Race())
	}
	fmt.Println(d.Validate())
	// Output:
	// vietnamese is under asian
	// lebanese is under middle_eastern_north_african
	// race_detail[1]: "lebanese" is a "middle_eastern_north_african" group, but "middle_eastern_north_african" is not among the categories chosen
}

func ExampleRaceDetailsOf() {
	fmt.Println(bsk.RaceDetailsOf(bsk.RaceMiddleEasternNorthAfrican))
	fmt.Println(bsk.RaceDetailsOf(bsk.RaceBlack))
	// Output:
	// [lebanese iranian egyptian syrian iraqi israeli]
	// [african_american jamaican haitian nigerian ethiopian somali]
}

func ExampleRace1997() {
	for _, races := range [][]bsk.RaceEthnicity{
		{bsk.RaceHispanicLatinx, bsk.RaceBlack},
		{bsk.RaceMiddleEasternNorthAfrican},
		{bsk.RaceHispanicLatinx},
		{bsk.RaceDeclined},
	} {
		e, r := bsk.Race1997(races)
		fmt.Println(races, "->", e, r)
	}
	// Output:
	// [hispanic_latinx black] -> hispanic_latino [black]
	// [middle_eastern_north_african] -> not_hispanic_latino [white]
	// [hispanic_latinx] -> hispanic_latino []
	// [declined] -> declined [declined]
}

func ExampleRaceDetail_Race() {
	for _, d := range []bsk.RaceDetail{bsk.RaceDetailSomali, bsk.RaceDetailIranian, bsk.RaceDetailSamoan, "hmong"} {
		fmt.Printf("%s: %q\n", d, d.Race())
	}
	// Output:
	// somali: "black"
	// iranian: "middle_eastern_north_african"
	// samoan: "native_hawaiian_pacific_islander"
	// hmong: ""
}
