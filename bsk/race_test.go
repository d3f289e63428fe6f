package bsk_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// TestRace2024Categories checks the 2024 standard's minimum categories:
// Middle Eastern or North African is one, Hispanic or Latino is a choice
// of the same question, and a person may choose several.
func TestRace2024Categories(t *testing.T) {
	for _, code := range []string{"american_indian_alaska_native", "asian", "black", "hispanic_latinx", "middle_eastern_north_african", "native_hawaiian_pacific_islander", "white"} {
		if !bsk.RaceEthnicity(code).Valid() {
			t.Errorf("RaceEthnicity(%q).Valid() = false; want true", code)
		}
		if !slices.Contains(bsk.RaceEthnicity("").Enum(), code) {
			t.Errorf("Enum() lacks %q", code)
		}
	}
	d := bsk.Demographics{Race: []bsk.RaceEthnicity{bsk.RaceMiddleEasternNorthAfrican, bsk.RaceHispanicLatinx}}
	if err := d.Validate(); err != nil {
		t.Errorf("MENA and Hispanic chosen together: %v", err)
	}
	if !d.BIPOC() || !d.MultiRace() {
		t.Errorf("BIPOC() = %v, MultiRace() = %v; want true, true", d.BIPOC(), d.MultiRace())
	}
}

// TestCombineRace1997 maps every combination of a 1997 ethnicity answer
// with typical race answers to the combined question's choices.
func TestCombineRace1997(t *testing.T) {
	type R = []bsk.RaceEthnicity
	tests := []struct {
		e     bsk.Ethnicity1997
		races R
		want  R
	}{
		{bsk.EthnicityHispanicLatino, R{bsk.RaceWhite}, R{bsk.RaceWhite, bsk.RaceHispanicLatinx}},
		{bsk.EthnicityHispanicLatino, R{bsk.RaceBlack, bsk.RaceAmericanIndianAlaskaNative}, R{bsk.RaceBlack, bsk.RaceAmericanIndianAlaskaNative, bsk.RaceHispanicLatinx}},
		{bsk.EthnicityHispanicLatino, nil, R{bsk.RaceHispanicLatinx}},
		{bsk.EthnicityHispanicLatino, R{bsk.RaceDeclined}, R{bsk.RaceHispanicLatinx}},
		{bsk.EthnicityHispanicLatino, R{bsk.RaceHispanicLatinx}, R{bsk.RaceHispanicLatinx}},
		{bsk.EthnicityNotHispanicLatino, R{bsk.RaceAsian}, R{bsk.RaceAsian}},
		{bsk.EthnicityNotHispanicLatino, nil, nil},
		{bsk.EthnicityNotHispanicLatino, R{bsk.RaceDeclined}, R{bsk.RaceDeclined}},
		{bsk.EthnicityDeclined, R{bsk.RaceWhite}, R{bsk.RaceWhite}},
		{bsk.EthnicityDeclined, nil, R{bsk.RaceDeclined}},
		{bsk.EthnicityDeclined, R{bsk.RaceDeclined}, R{bsk.RaceDeclined}},
		{"", R{bsk.RaceWhite, bsk.RaceWhite}, R{bsk.RaceWhite}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		got := bsk.CombineRace1997(tt.e, tt.races)
		if !slices.Equal(got, tt.want) {
			t.Errorf("CombineRace1997(%q, %v) = %v; want %v", tt.e, tt.races, got, tt.want)
		}
		if err := (bsk.Demographics{Race: got}).Validate(); err != nil {
			t.Errorf("CombineRace1997(%q, %v) = %v: %v", tt.e, tt.races, got, err)
		}
	}
	for _, e := range []string{"hispanic_latino", "not_hispanic_latino", "declined"} {
		if !bsk.Ethnicity1997(e).Valid() {
			t.Errorf("Ethnicity1997(%q).Valid() = false", e)
		}
	}
	if bsk.Ethnicity1997("yes").Valid() {
		t.Error(`Ethnicity1997("yes").Valid() = true`)
	}
}

// TestRaceDetailCategories checks that the standard's detailed groups sit
// under their minimum categories: six each, none under declined, every
// example the brief of the 2024 standard names among them.
func TestRaceDetailCategories(t *testing.T) {
	want := map[bsk.RaceEthnicity][]string{
		bsk.RaceAmericanIndianAlaskaNative:    {"navajo_nation", "blackfeet_tribe", "native_village_of_barrow_inupiat", "nome_eskimo_community", "aztec", "maya"},
		bsk.RaceAsian:                         {"chinese", "asian_indian", "filipino", "vietnamese", "korean", "japanese"},
		bsk.RaceBlack:                         {"african_american", "jamaican", "haitian", "nigerian", "ethiopian", "somali"},
		bsk.RaceHispanicLatinx:                {"mexican", "puerto_rican", "salvadoran", "cuban", "dominican", "guatemalan"},
		bsk.RaceMiddleEasternNorthAfrican:     {"lebanese", "iranian", "egyptian", "syrian", "iraqi", "israeli"},
		bsk.RaceNativeHawaiianPacificIslander: {"native_hawaiian", "samoan", "chamorro", "tongan", "fijian", "marshallese"},
		bsk.RaceWhite:                         {"english", "german", "irish", "italian", "polish", "scottish"},
	}
	total := 0
	for race, codes := range want {
		var got []string
		for _, d := range bsk.RaceDetailsOf(race) {
			got = append(got, string(d))
		}
		if !slices.Equal(got, codes) {
			t.Errorf("RaceDetailsOf(%q) = %v; want %v", race, got, codes)
		}
		for _, c := range codes {
			total++
			if d := bsk.RaceDetail(c); !d.Valid() || d.Race() != race {
				t.Errorf("RaceDetail(%q): Valid() = %v, Race() = %q; want true, %q", c, d.Valid(), d.Race(), race)
			}
		}
	}
	if n := len(bsk.RaceDetail("").Enum()); n != total {
		t.Errorf("len(Enum()) = %d; want %d", n, total)
	}
	if got := bsk.RaceDetailsOf(bsk.RaceDeclined); got != nil {
		t.Errorf("RaceDetailsOf(declined) = %v; want none", got)
	}
	if bsk.RaceDetail("hmong").Valid() || bsk.RaceDetail("hmong").Race() != "" {
		t.Error(`RaceDetail("hmong") is known; a group not listed is written in`)
	}
}

// TestRaceDetailValidate reports every detailed group or write-in that
// does not fit the categories chosen, by its field.
func TestRaceDetailValidate(t *testing.T) {
	type R = []bsk.RaceEthnicity
	type D = []bsk.RaceDetail
	type W = map[bsk.RaceEthnicity]string
	tests := []struct {
		name   string
		d      bsk.Demographics
		fields []string
	}{
		{"fits", bsk.Demographics{Race: R{"asian", "middle_eastern_north_african"}, RaceDetail: D{"vietnamese", "lebanese"}, RaceWriteIn: W{"asian": "Hmong", "middle_eastern_north_african": "Amazigh"}}, nil},
		{"unknown", bsk.Demographics{Race: R{"asian"}, RaceDetail: D{"hmong"}}, []string{"race_detail[0]"}},
		{"twice", bsk.Demographics{Race: R{"black"}, RaceDetail: D{"somali", "somali"}}, []string{"race_detail[1]"}},
		{"category not chosen", bsk.Demographics{Race: R{"white"}, RaceDetail: D{"irish", "mexican"}}, []string{"race_detail[1]"}},
		{"write-in category not chosen", bsk.Demographics{Race: R{"white"}, RaceWriteIn: W{"black": "Eritrean"}}, []string{"race_write_in.black"}},
		{"write-in under declined", bsk.Demographics{Race: R{"declined"}, RaceWriteIn: W{"declined": "x"}}, []string{"race_write_in.declined"}},
		{"write-in unknown category", bsk.Demographics{Race: R{"white"}, RaceWriteIn: W{"other": "x"}}, []string{"race_write_in.other"}},
		{"write-in empty", bsk.Demographics{Race: R{"asian"}, RaceWriteIn: W{"asian": ""}}, []string{"race_write_in.asian"}},
		{"write-in long", bsk.Demographics{Race: R{"asian"}, RaceWriteIn: W{"asian": strings.Repeat("é", bsk.MaxWriteIn+1)}}, []string{"race_write_in.asian"}},
		{"write-in at the limit", bsk.Demographics{Race: R{"asian"}, RaceWriteIn: W{"asian": strings.Repeat("é", bsk.MaxWriteIn)}}, nil},
		{"write-in override", bsk.Demographics{Race: R{"asian", "black"}, RaceWriteIn: W{"black": "Eri\u202etrean", "asian": "Hmong\n"}}, []string{"race_write_in.asian", "race_write_in.black"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Validate()
			var got []string
			var list bsk.Errors
			if errors.As(err, &list) {
				for _, e := range list {
					got = append(got, e.Field)
				}
			}
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("Validate() fields = %v; want %v (%v)", got, tt.fields, err)
			}
			if err != nil && !errors.Is(err, bsk.ErrInvalid) {
				t.Errorf("Validate() = %v; want ErrInvalid", err)
			}
		})
	}
}

// TestRace1997 maps every combination of the 2024 categories to the 1997
// standard's two questions and back: the answer is kept but for Middle
// Eastern or North African, which reads White.
func TestRace1997(t *testing.T) {
	type R = []bsk.RaceEthnicity
	tests := []struct {
		in    R
		e     bsk.Ethnicity1997
		races R
	}{
		{nil, "", nil},
		{R{bsk.RaceDeclined}, bsk.EthnicityDeclined, R{bsk.RaceDeclined}},
		{R{bsk.RaceHispanicLatinx}, bsk.EthnicityHispanicLatino, nil},
		{R{bsk.RaceWhite, bsk.RaceHispanicLatinx}, bsk.EthnicityHispanicLatino, R{bsk.RaceWhite}},
		{R{bsk.RaceMiddleEasternNorthAfrican}, bsk.EthnicityNotHispanicLatino, R{bsk.RaceWhite}},
		{R{bsk.RaceMiddleEasternNorthAfrican, bsk.RaceWhite}, bsk.EthnicityNotHispanicLatino, R{bsk.RaceWhite}},
		{R{bsk.RaceHispanicLatinx, bsk.RaceMiddleEasternNorthAfrican, bsk.RaceBlack}, bsk.EthnicityHispanicLatino, R{bsk.RaceWhite, bsk.RaceBlack}},
		{R{bsk.RaceAsian, bsk.RaceNativeHawaiianPacificIslander}, bsk.EthnicityNotHispanicLatino, R{bsk.RaceAsian, bsk.RaceNativeHawaiianPacificIslander}},
	}
	for _, tt := range tests {
		e, races := bsk.Race1997(tt.in)
		if e != tt.e || !slices.Equal(races, tt.races) {
			t.Errorf("Race1997(%v) = %q, %v; want %q, %v", tt.in, e, races, tt.e, tt.races)
		}
	}
	// Every non-empty combination of the seven categories, mapped to 1997
	// and back, is the same set of categories with MENA read as White.
	all := R{"american_indian_alaska_native", "asian", "black", "hispanic_latinx", "middle_eastern_north_african", "native_hawaiian_pacific_islander", "white"}
	for mask := 1; mask < 1<<len(all); mask++ {
		var in R
		want := map[bsk.RaceEthnicity]bool{}
		for k, r := range all {
			if mask&(1<<k) == 0 {
				continue
			}
			in = append(in, r)
			if r == "middle_eastern_north_african" {
				r = "white"
			}
			want[r] = true
		}
		e, races := bsk.Race1997(in)
		if hisp := mask&(1<<3) != 0; (e == bsk.EthnicityHispanicLatino) != hisp || slices.Contains(races, bsk.RaceHispanicLatinx) || slices.Contains(races, bsk.RaceMiddleEasternNorthAfrican) {
			t.Fatalf("Race1997(%v) = %q, %v", in, e, races)
		}
		back := bsk.CombineRace1997(e, races)
		got := map[bsk.RaceEthnicity]bool{}
		for _, r := range back {
			if got[r] {
				t.Fatalf("CombineRace1997(Race1997(%v)) = %v repeats %q", in, back, r)
			}
			got[r] = true
		}
		if !maps.Equal(got, want) {
			t.Fatalf("CombineRace1997(Race1997(%v)) = %v; want the set %v", in, back, want)
		}
	}
}
