package bsk_test

import (
	"slices"
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
