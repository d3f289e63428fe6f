package bsk

import (
	"slices"
	"unicode/utf8"
)

// RaceDetail is a detailed race or ethnicity group under one minimum
// category: the detailed checkboxes of the 2024 Statistical Policy
// Directive 15's combined question, six under each minimum category (the
// largest groups in the United States, as the standard lists them). A
// person who belongs to a group not listed writes it in
// ([Demographics.RaceWriteIn]). Choosing a detailed group means choosing
// its minimum category ([RaceDetail.Race]).
type RaceDetail string

// The detailed groups, by minimum category, in the standard's order.
const (
	// American Indian or Alaska Native.
	RaceDetailNavajoNation        RaceDetail = "navajo_nation"
	RaceDetailBlackfeetTribe      RaceDetail = "blackfeet_tribe"
	RaceDetailBarrowInupiat       RaceDetail = "native_village_of_barrow_inupiat"
	RaceDetailNomeEskimoCommunity RaceDetail = "nome_eskimo_community"
	RaceDetailAztec               RaceDetail = "aztec"
	RaceDetailMaya                RaceDetail = "maya"
	// Asian.
	RaceDetailChinese     RaceDetail = "chinese"
	RaceDetailAsianIndian RaceDetail = "asian_indian"
	RaceDetailFilipino    RaceDetail = "filipino"
	RaceDetailVietnamese  RaceDetail = "vietnamese"
	RaceDetailKorean      RaceDetail = "korean"
	RaceDetailJapanese    RaceDetail = "japanese"
	// Black or African American.
	RaceDetailAfricanAmerican RaceDetail = "african_american"
	RaceDetailJamaican        RaceDetail = "jamaican"
	RaceDetailHaitian         RaceDetail = "haitian"
	RaceDetailNigerian        RaceDetail = "nigerian"
	RaceDetailEthiopian       RaceDetail = "ethiopian"
	RaceDetailSomali          RaceDetail = "somali"
	// Hispanic or Latino.
	RaceDetailMexican     RaceDetail = "mexican"
	RaceDetailPuertoRican RaceDetail = "puerto_rican"
	RaceDetailSalvadoran  RaceDetail = "salvadoran"
	RaceDetailCuban       RaceDetail = "cuban"
	RaceDetailDominican   RaceDetail = "dominican"
	RaceDetailGuatemalan  RaceDetail = "guatemalan"
	// Middle Eastern or North African.
	RaceDetailLebanese RaceDetail = "lebanese"
	RaceDetailIranian  RaceDetail = "iranian"
	RaceDetailEgyptian RaceDetail = "egyptian"
	RaceDetailSyrian   RaceDetail = "syrian"
	RaceDetailIraqi    RaceDetail = "iraqi"
	RaceDetailIsraeli  RaceDetail = "israeli"
	// Native Hawaiian or Pacific Islander.
	RaceDetailNativeHawaiian RaceDetail = "native_hawaiian"
	RaceDetailSamoan         RaceDetail = "samoan"
	RaceDetailChamorro       RaceDetail = "chamorro"
	RaceDetailTongan         RaceDetail = "tongan"
	RaceDetailFijian         RaceDetail = "fijian"
	RaceDetailMarshallese    RaceDetail = "marshallese"
	// White.
	RaceDetailEnglish  RaceDetail = "english"
	RaceDetailGerman   RaceDetail = "german"
	RaceDetailIrish    RaceDetail = "irish"
	RaceDetailItalian  RaceDetail = "italian"
	RaceDetailPolish   RaceDetail = "polish"
	RaceDetailScottish RaceDetail = "scottish"
)

// raceDetails lists the detailed groups in order, six per minimum
// category in the order of races (declined has none).
var raceDetails = []RaceDetail{
	RaceDetailNavajoNation, RaceDetailBlackfeetTribe, RaceDetailBarrowInupiat, RaceDetailNomeEskimoCommunity, RaceDetailAztec, RaceDetailMaya,
	RaceDetailChinese, RaceDetailAsianIndian, RaceDetailFilipino, RaceDetailVietnamese, RaceDetailKorean, RaceDetailJapanese,
	RaceDetailAfricanAmerican, RaceDetailJamaican, RaceDetailHaitian, RaceDetailNigerian, RaceDetailEthiopian, RaceDetailSomali,
	RaceDetailMexican, RaceDetailPuertoRican, RaceDetailSalvadoran, RaceDetailCuban, RaceDetailDominican, RaceDetailGuatemalan,
	RaceDetailLebanese, RaceDetailIranian, RaceDetailEgyptian, RaceDetailSyrian, RaceDetailIraqi, RaceDetailIsraeli,
	RaceDetailNativeHawaiian, RaceDetailSamoan, RaceDetailChamorro, RaceDetailTongan, RaceDetailFijian, RaceDetailMarshallese,
	RaceDetailEnglish, RaceDetailGerman, RaceDetailIrish, RaceDetailItalian, RaceDetailPolish, RaceDetailScottish,
}

// detailsPer is the number of detailed groups listed under each minimum
// category.
const detailsPer = 6

// Valid reports whether d is a known detailed group code.
func (d RaceDetail) Valid() bool { return validCode(d, raceDetails) }

// Enum lists every detailed group code, by minimum category.
func (RaceDetail) Enum() []string { return codesOf(raceDetails) }

// Race is the minimum category the detailed group belongs to, or "" for
// an unknown code.
func (d RaceDetail) Race() RaceEthnicity {
	i := slices.Index(raceDetails, d)
	if i < 0 {
		return ""
	}
	return races[i/detailsPer]
}

// RaceDetailsOf lists the detailed groups under a minimum category, in
// the standard's order; none for [RaceDeclined] or an unknown code.
func RaceDetailsOf(r RaceEthnicity) []RaceDetail {
	i := slices.Index(races, r)
	if i < 0 || r == RaceDeclined {
		return nil
	}
	return slices.Clone(raceDetails[i*detailsPer : (i+1)*detailsPer])
}

// MaxWriteIn is the longest write-in answer accepted, in characters.
const MaxWriteIn = 100

// checkRaceDetail reports unknown or repeated detailed groups, groups
// and write-ins whose minimum category was not chosen, and write-ins that
// are empty, too long, or hold characters TextProblem refuses.
func (d Demographics) checkRaceDetail(p *Problems) {
	checkCodes(p, "race_detail", d.RaceDetail, RaceDetail.Valid, "detailed race/ethnicity")
	for i, x := range d.RaceDetail {
		f := Index("race_detail", i)
		if x.Valid() && slices.Index(d.RaceDetail, x) == i && !slices.Contains(d.Race, x.Race()) {
			p.Add(f, "%q is a %q group, but %q is not among the categories chosen", x, x.Race(), x.Race())
		}
	}
	keys := make([]RaceEthnicity, 0, len(d.RaceWriteIn))
	for r := range d.RaceWriteIn {
		keys = append(keys, r)
	}
	slices.Sort(keys) // problems in a stable order
	for _, r := range keys {
		f, text := "race_write_in."+string(r), d.RaceWriteIn[r]
		switch {
		case !r.Valid() || r == RaceDeclined:
			p.Add(f, "unknown race/ethnicity category %q for a write-in", r)
		case !slices.Contains(d.Race, r):
			p.Add(f, "a %q write-in, but %q is not among the categories chosen", r, r)
		case text == "":
			p.Add(f, "is empty: leave a category without a write-in out")
		case utf8.RuneCountInString(text) > MaxWriteIn:
			p.Add(f, "is longer than %d characters", MaxWriteIn)
		default:
			if msg := TextProblem(text); msg != "" {
				p.Add(f, "%s", msg)
			}
		}
	}
}

// Race1997 maps a combined-question answer of the 2024 standard (races,
// as in [Demographics.Race]) to the 1997 standard's two questions, so that
// figures before and after the change of standard compare like with like:
//
//   - [RaceHispanicLatinx] chosen: ethnicity [EthnicityHispanicLatino],
//     and it leaves the races; otherwise [EthnicityNotHispanicLatino];
//   - [RaceMiddleEasternNorthAfrican] becomes [RaceWhite], as the 1997
//     standard defined White (once, when White was chosen too);
//   - every other category stays as chosen, in the order chosen;
//   - Hispanic or Latino alone leaves no race: the 1997 race question
//     would have gone unanswered (nil);
//   - [RaceDeclined] declined both questions: ([EthnicityDeclined],
//     [RaceDeclined]);
//   - no answer (not asked) is ("", nil).
//
// Detailed groups follow their minimum category: a Lebanese respondent is
// White under 1997, a Mexican respondent Hispanic or Latino. Mapped back
// with [CombineRace1997], the answer is the one given except that Middle
// Eastern or North African reads White. Unknown codes are kept for
// Validate to report.
func Race1997(races []RaceEthnicity) (Ethnicity1997, []RaceEthnicity) {
	if len(races) == 0 {
		return "", nil
	}
	if slices.Equal(races, []RaceEthnicity{RaceDeclined}) {
		return EthnicityDeclined, []RaceEthnicity{RaceDeclined}
	}
	e := EthnicityNotHispanicLatino
	var out []RaceEthnicity
	for _, r := range races {
		switch r {
		case RaceHispanicLatinx:
			e = EthnicityHispanicLatino
			continue
		case RaceMiddleEasternNorthAfrican:
			r = RaceWhite
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return e, out
}
