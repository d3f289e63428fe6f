package bsk

import "slices"

// RaceEthnicity is one race or ethnicity category of the county's equity
// reporting: the minimum categories of OMB's 2024 revision of Statistical
// Policy Directive 15, asked as one combined question in which Hispanic or
// Latino is one of the choices. People choose every category that
// applies; [RaceDeclined] stands alone. Answers collected the 1997 way,
// with a separate ethnicity question, are mapped by [CombineRace1997].
type RaceEthnicity string

// The race and ethnicity categories.
const (
	RaceAmericanIndianAlaskaNative    RaceEthnicity = "american_indian_alaska_native"
	RaceAsian                         RaceEthnicity = "asian"
	RaceBlack                         RaceEthnicity = "black"
	RaceHispanicLatinx                RaceEthnicity = "hispanic_latinx"
	RaceMiddleEasternNorthAfrican     RaceEthnicity = "middle_eastern_north_african"
	RaceNativeHawaiianPacificIslander RaceEthnicity = "native_hawaiian_pacific_islander"
	RaceWhite                         RaceEthnicity = "white"
	RaceDeclined                      RaceEthnicity = "declined"
)

var races = []RaceEthnicity{
	RaceAmericanIndianAlaskaNative, RaceAsian, RaceBlack, RaceHispanicLatinx,
	RaceMiddleEasternNorthAfrican, RaceNativeHawaiianPacificIslander, RaceWhite, RaceDeclined,
}

// Valid reports whether r is a known race or ethnicity code.
func (r RaceEthnicity) Valid() bool { return validCode(r, races) }

// Enum lists every race and ethnicity code.
func (RaceEthnicity) Enum() []string { return codesOf(races) }

// Ethnicity1997 is the answer to the separate ethnicity question of the
// 1997 standard ("Are you Hispanic or Latino?"), asked before the race
// question. The 2024 standard folds it into the combined question; see
// [CombineRace1997].
type Ethnicity1997 string

// The 1997 ethnicity answers.
const (
	EthnicityHispanicLatino    Ethnicity1997 = "hispanic_latino"
	EthnicityNotHispanicLatino Ethnicity1997 = "not_hispanic_latino"
	EthnicityDeclined          Ethnicity1997 = "declined"
)

var ethnicities1997 = []Ethnicity1997{EthnicityHispanicLatino, EthnicityNotHispanicLatino, EthnicityDeclined}

// Valid reports whether e is a known 1997 ethnicity answer.
func (e Ethnicity1997) Valid() bool { return validCode(e, ethnicities1997) }

// Enum lists every 1997 ethnicity answer's code.
func (Ethnicity1997) Enum() []string { return codesOf(ethnicities1997) }

// CombineRace1997 maps the answers to the 1997 standard's two questions,
// ethnicity and then race (races lists the races chosen), to the choices
// of the 2024 combined question:
//
//   - Hispanic or Latino adds [RaceHispanicLatinx] to the races chosen,
//     once; with the race question declined or unanswered it stands alone;
//   - not Hispanic or Latino, ethnicity declined or not asked (""): the
//     races as given, [RaceDeclined] included, none when the race
//     question went unanswered;
//   - ethnicity declined and race declined or unanswered: [RaceDeclined].
//
// The 1997 standard had no Middle Eastern or North African category and
// asked those respondents to choose White: their answers stay White, since
// nothing in them tells the two apart. Figures for Middle Eastern or North
// African respondents therefore start with data collected the 2024 way.
// Unknown codes are kept for Validate to report.
func CombineRace1997(e Ethnicity1997, races []RaceEthnicity) []RaceEthnicity {
	var out []RaceEthnicity
	for _, r := range races {
		if r == RaceDeclined && e == EthnicityHispanicLatino {
			continue
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	switch {
	case e == EthnicityHispanicLatino && !slices.Contains(out, RaceHispanicLatinx):
		out = append(out, RaceHispanicLatinx)
	case e == EthnicityDeclined && len(out) == 0:
		out = []RaceEthnicity{RaceDeclined}
	}
	return out
}

// Gender is a person's self-described gender.
type Gender string

// The gender codes.
const (
	GenderWoman     Gender = "woman"
	GenderMan       Gender = "man"
	GenderNonbinary Gender = "nonbinary"
	GenderAnother   Gender = "another"
	GenderDeclined  Gender = "declined"
)

var genders = []Gender{GenderWoman, GenderMan, GenderNonbinary, GenderAnother, GenderDeclined}

// Valid reports whether g is a known gender code.
func (g Gender) Valid() bool { return validCode(g, genders) }

// Enum lists every gender code.
func (Gender) Enum() []string { return codesOf(genders) }

// AgeBand is a person's age group.
type AgeBand string

// The age bands.
const (
	AgeUnder25  AgeBand = "under_25"
	Age25To34   AgeBand = "25_34"
	Age35To44   AgeBand = "35_44"
	Age45To54   AgeBand = "45_54"
	Age55To64   AgeBand = "55_64"
	Age65Plus   AgeBand = "65_plus"
	AgeDeclined AgeBand = "declined"
)

var ageBands = []AgeBand{AgeUnder25, Age25To34, Age35To44, Age45To54, Age55To64, Age65Plus, AgeDeclined}

// Valid reports whether a is a known age band code.
func (a AgeBand) Valid() bool { return validCode(a, ageBands) }

// Enum lists every age band code.
func (AgeBand) Enum() []string { return codesOf(ageBands) }

// IncomeBand is household income relative to the federal poverty level, the
// socioeconomic dimension of the county's equity reporting.
type IncomeBand string

// The income bands.
const (
	IncomeUnder200FPL IncomeBand = "under_200_fpl"
	Income200To399FPL IncomeBand = "200_399_fpl"
	Income400PlusFPL  IncomeBand = "400_plus_fpl"
	IncomeDeclined    IncomeBand = "declined"
)

var incomeBands = []IncomeBand{IncomeUnder200FPL, Income200To399FPL, Income400PlusFPL, IncomeDeclined}

// Valid reports whether b is a known income band code.
func (b IncomeBand) Valid() bool { return validCode(b, incomeBands) }

// Enum lists every income band code.
func (IncomeBand) Enum() []string { return codesOf(incomeBands) }

// Demographics are the self-reported facts used only for equity reporting:
// race and ethnicity, gender, age, place and income. They are private: the
// example server never logs them and shows them to coordinators only as
// suppressed aggregates. Every field is optional; an empty field means "not
// asked", which differs from "declined".
type Demographics struct {
	// Race lists every race and ethnicity category the person chose in
	// the combined question (the 2024 standard).
	Race []RaceEthnicity `json:"race,omitempty"`
	// RaceDetail lists the detailed groups the person chose (the 2024
	// standard's detailed checkboxes); each one's minimum category must
	// be among Race.
	RaceDetail []RaceDetail `json:"race_detail,omitempty"`
	// RaceWriteIn holds, by minimum category, the group the person wrote
	// in ("Hmong", "Eritrean"): free text, at most MaxWriteIn characters,
	// kept for the record and never a breakdown of its own. Each key must
	// be among Race.
	RaceWriteIn map[RaceEthnicity]string `json:"race_write_in,omitempty"`
	// Gender is the person's gender.
	Gender Gender `json:"gender,omitempty"`
	// AgeBand is the person's age group.
	AgeBand AgeBand `json:"age_band,omitempty"`
	// Place is where the person lives.
	Place Place `json:"place,omitempty"`
	// Income is the household's income band.
	Income IncomeBand `json:"income,omitempty"`
}

// MultiRace reports whether the person chose more than one race or
// ethnicity category.
func (d Demographics) MultiRace() bool { return len(d.Race) > 1 }

// BIPOC reports whether the person identifies with at least one category
// other than White (a person who declined is not counted).
func (d Demographics) BIPOC() bool {
	for _, r := range d.Race {
		if r != RaceWhite && r != RaceDeclined {
			return true
		}
	}
	return false
}

// Validate reports every unknown code, a duplicate race category,
// "declined" chosen together with another category, and detailed groups
// and write-ins that do not fit the categories chosen (unknown, repeated,
// under a category not chosen; a write-in empty, longer than MaxWriteIn
// characters or holding a character [TextProblem] refuses).
func (d Demographics) Validate() error {
	var p Problems
	checkCodes(&p, "race", d.Race, RaceEthnicity.Valid, "race/ethnicity")
	for i, r := range d.Race {
		if r == RaceDeclined && len(d.Race) > 1 {
			p.Add(Index("race", i), "\"declined\" cannot be combined with other categories")
		}
	}
	d.checkRaceDetail(&p)
	if d.Gender != "" && !d.Gender.Valid() {
		p.Add("gender", "unknown gender code %q", d.Gender)
	}
	if d.AgeBand != "" && !d.AgeBand.Valid() {
		p.Add("age_band", "unknown age band code %q", d.AgeBand)
	}
	if d.Place != "" && !d.Place.Valid() {
		p.Add("place", "unknown place code %q", d.Place)
	}
	if d.Income != "" && !d.Income.Valid() {
		p.Add("income", "unknown income band code %q", d.Income)
	}
	return p.Err()
}
