package survey

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// The race dimensions beside [ByRace]: the 2024 standard's detailed
// groups, and race and ethnicity under the 1997 standard.
const (
	// ByRaceDetail breaks results down by the 2024 standard's detailed
	// groups ([bsk.RaceDetail]). Its groups are the detailed codes, then
	// one "<category>:other" per minimum category ("asian:other"): those
	// who chose the category but no detailed group shown under it (they
	// wrote another group in, gave none, or chose a group rolled up),
	// then "declined" (and "multiple" under [MultipleRaces]). Under a
	// disclosure standard, a detailed group with fewer respondents in the
	// set than the standard's [Disclosure.Threshold] is rolled up into its
	// category's other group before any table is computed, so it is never
	// a cell of its own; its category's figure is the [ByRace] cell.
	// Write-ins are never groups. Alone or in combination, a respondent
	// counts in every detailed group chosen, and in the other group of
	// each category chosen without one. A detailed group's cell means the
	// same in every release; an other group holds whichever groups were
	// rolled up, which may differ between releases, so its trend compares
	// like with like only when the same groups were rolled up in both.
	ByRaceDetail Dimension = "race_detail"
	// ByRace1997 breaks results down by race as the 1997 standard asked
	// it, each answer mapped by [bsk.Race1997]: Hispanic or Latino is not
	// a race (see [ByEthnicity1997]) and Middle Eastern or North African
	// counts as White. A respondent who chose Hispanic or Latino alone
	// has no 1997 race: not_reported. Data collected the 1997 way
	// (Respondent.HispanicLatino) report the races as given, so trends
	// across the change of standard compare like with like.
	ByRace1997 Dimension = "race_1997"
	// ByEthnicity1997 is the 1997 standard's separate ethnicity question:
	// hispanic_latino (Hispanic or Latino chosen, in either standard),
	// not_hispanic_latino (a race chosen, Hispanic or Latino not),
	// declined (the race question declined), or not_reported.
	ByEthnicity1997 Dimension = "ethnicity_1997"
)

// raceDims are the dimensions whose groups come from the race question;
// a breakdown crosses at most one of them.
var raceDims = []Dimension{ByRace, ByRace1997, ByRaceDetail}

// raceLike reports whether a dimension's groups come from the race
// question, so that a respondent may be in several.
func raceLike(d Dimension) bool { return slices.Contains(raceDims, d) }

// checkRaceDims reports a breakdown crossing two race dimensions: their
// groups are views of one answer.
func checkRaceDims(pr *bsk.Problems, field string, dims []Dimension) {
	seen := -1
	for j, dim := range dims {
		if !raceLike(dim) {
			continue
		}
		if seen >= 0 {
			pr.Add(bsk.Index(field, j), "dimension %q crosses %q: a breakdown holds at most one of %v", dim, dims[seen], raceDims)
			return
		}
		seen = j
	}
}

// details are the 2024 standard's detailed groups, in bit order.
var details = func() []bsk.RaceDetail {
	var out []bsk.RaceDetail
	for _, c := range bsk.RaceDetail("").Enum() {
		out = append(out, bsk.RaceDetail(c))
	}
	return out
}()

// detailsByBit lists, per bit of races, the indexes in details of the
// category's detailed groups.
var detailsByBit = func() [][]int {
	out := make([][]int, len(races))
	for k, x := range details {
		c := slices.Index(races, x.Race())
		out[c] = append(out[c], k)
	}
	return out
}()

// The indexes of races' bits.
var (
	bitDeclined = slices.Index(races, bsk.RaceDeclined)
	bitHispanic = slices.Index(races, bsk.RaceHispanicLatinx)
)

// races1997 are the groups of ByRace1997 before "multiple" and
// NotReported: the minimum races of the 1997 standard.
var races1997 = []bsk.RaceEthnicity{bsk.RaceAmericanIndianAlaskaNative, bsk.RaceAsian, bsk.RaceBlack,
	bsk.RaceNativeHawaiianPacificIslander, bsk.RaceWhite, bsk.RaceDeclined}

// to1997 maps each bit of races to its ByRace1997 group, -1 for Hispanic
// or Latino.
var to1997 = func() []int {
	out := make([]int, len(races))
	for k, r := range races {
		switch r {
		case bsk.RaceHispanicLatinx:
			out[k] = -1
		case bsk.RaceMiddleEasternNorthAfrican:
			out[k] = slices.Index(races1997, bsk.RaceWhite)
		default:
			out[k] = slices.Index(races1997, r)
		}
	}
	return out
}()

// ethnicities1997 are the groups of ByEthnicity1997 before NotReported.
var ethnicities1997 = []bsk.Ethnicity1997{bsk.EthnicityHispanicLatino, bsk.EthnicityNotHispanicLatino, bsk.EthnicityDeclined}

// foldRaceDetail adds to d.Race the minimum category of every detailed
// group and write-in chosen, as the combined question derives them.
func foldRaceDetail(d *bsk.Demographics) {
	d.Race = slices.Clip(d.Race) // never append into the caller's array
	add := func(r bsk.RaceEthnicity) {
		if r.Valid() && r != bsk.RaceDeclined && !slices.Contains(d.Race, r) {
			d.Race = append(d.Race, r)
		}
	}
	for _, x := range d.RaceDetail {
		add(x.Race())
	}
	for _, r := range races { // in a stable order
		if _, ok := d.RaceWriteIn[r]; ok {
			add(r)
		}
	}
}

// detailBits codes the detailed groups chosen, one bit each.
func detailBits(d []bsk.RaceDetail) uint64 {
	var b uint64
	for _, x := range d {
		if k := slices.Index(details, x); k >= 0 {
			b |= 1 << k
		}
	}
	return b
}

// detailLabels returns the groups of ByRaceDetail and, per detailed
// group, its group's index (-1 when rolled up into its category's other
// group): detailed groups with at least fold respondents in the set,
// then one other group per category, declined, "multiple" under
// MultipleRaces, and NotReported.
func (s *Set) detailLabels(fold int, race RaceMode) ([]string, []int) {
	count := make([]int, len(details))
	if fold > 0 {
		for _, b := range s.detail {
			for ; b != 0; b &= b - 1 {
				count[bits.TrailingZeros64(b)]++
			}
		}
	}
	var labels []string
	index := make([]int, len(details))
	for k, x := range details {
		index[k] = -1
		if count[k] >= fold {
			index[k] = len(labels)
			labels = append(labels, string(x))
		}
	}
	for _, r := range races[:bitDeclined] {
		labels = append(labels, string(r)+":other")
	}
	labels = append(labels, string(bsk.RaceDeclined))
	if race == MultipleRaces {
		labels = append(labels, "multiple")
	}
	return append(labels, NotReported), index
}

// raceLabels returns a race dimension's groups, NotReported last.
func raceLabels(dim Dimension, race RaceMode) []string {
	var l []string
	switch dim {
	case ByRace:
		l = strs(races)
	case ByRace1997:
		l = strs(races1997)
	case ByEthnicity1997:
		return append(strs(ethnicities1997), NotReported)
	}
	if race == MultipleRaces {
		l = append(l, "multiple")
	}
	return append(l, NotReported)
}

// raceGroups appends respondent i's codes in a race dimension (or
// ByEthnicity1997) of a breakdown; index maps detailed groups to
// ByRaceDetail's groups.
func (s *Set) raceGroups(dst []int, i int, dim Dimension, labels []string, index []int, race RaceMode) []int {
	m := s.race[i]
	notReported := len(labels) - 1
	if m == 0 {
		return append(dst, notReported)
	}
	declined := m == 1<<bitDeclined
	switch dim {
	case ByEthnicity1997:
		switch {
		case declined:
			return append(dst, 2)
		case m&(1<<bitHispanic) != 0:
			return append(dst, 0)
		}
		return append(dst, 1)
	case ByRace1997:
		if declined {
			return append(dst, len(races1997)-1)
		}
		var set uint16
		for ; m != 0; m &= m - 1 {
			if g := to1997[bits.TrailingZeros16(m)]; g >= 0 {
				set |= 1 << g
			}
		}
		switch {
		case set == 0:
			return append(dst, notReported)
		case race == MultipleRaces && bits.OnesCount16(set) >= 2:
			return append(dst, len(races1997))
		}
		for ; set != 0; set &= set - 1 {
			dst = append(dst, bits.TrailingZeros16(set))
		}
		return dst
	}
	// ByRaceDetail: the detailed groups chosen, and the other group of
	// each category chosen without a detailed group shown.
	nDetail := notReported - bitDeclined - 1
	if race == MultipleRaces {
		nDetail--
	}
	if declined {
		return append(dst, nDetail+bitDeclined)
	}
	base := len(dst)
	d := s.detail[i]
	for ; m != 0; m &= m - 1 {
		c := bits.TrailingZeros16(m)
		shown := false
		for _, k := range detailsByBit[c] {
			if d&(1<<k) != 0 && index[k] >= 0 {
				dst = append(dst, index[k])
				shown = true
			}
		}
		if !shown {
			dst = append(dst, nDetail+c)
		}
	}
	if race == MultipleRaces && len(dst)-base >= 2 {
		return append(dst[:base], nDetail+bitDeclined+1)
	}
	return dst
}

// foldOf is the count under which a standard rolls detailed race groups
// up: its threshold, or 0 (every group shown) when it hides nothing.
func foldOf(d Disclosure) int {
	if d.Off {
		return 0
	}
	return d.Threshold()
}

// RollUp is a breakdown by detailed race group that a release withheld
// and published with the minimum categories instead: From with
// ByRaceDetail, To the same dimensions with ByRace.
type RollUp struct {
	From []Dimension `json:"from"`
	To   []Dimension `json:"to"`
}

// rollUp returns breakdown f of a release's breakdowns with ByRaceDetail
// replaced by ByRace, prepared and assigned, or nil when f has no
// detailed race dimension or the release holds the roll-up already
// (published, or withheld in its own right).
func (s *Set) rollUp(bds []*breakdown, f int, r Release, race RaceMode) *breakdown {
	k := slices.Index(bds[f].dims, ByRaceDetail)
	if k < 0 {
		return nil
	}
	dims := slices.Clone(bds[f].dims)
	dims[k] = ByRace
	same := func(b []Dimension) bool { return sameDimensions(b, dims) }
	if slices.ContainsFunc(r.Breakdowns, same) || slices.ContainsFunc(bds[1:], func(bd *breakdown) bool { return same(bd.dims) }) {
		return nil
	}
	bd := &breakdown{dims: dims, fold: bds[f].fold}
	s.prepare(bd, race) // fewer cells than the detailed breakdown: within MaxCells
	s.assign(bd, race)
	return bd
}

// raceColumns are the respondent columns of the 2024 standard's detailed
// groups and write-ins: race_detail, and race_write_in_<category> for
// each minimum category.
var raceColumns = func() []string {
	out := []string{"race_detail"}
	for _, r := range races[:bitDeclined] {
		out = append(out, "race_write_in_"+string(r))
	}
	return out
}()

// writeInColumn returns the category of a write-in column.
func writeInColumn(col string) (bsk.RaceEthnicity, bool) {
	if !strings.HasPrefix(col, "race_write_in_") || !slices.Contains(raceColumns, col) {
		return "", false
	}
	return bsk.RaceEthnicity(strings.TrimPrefix(col, "race_write_in_")), true
}

// setWriteIn records a category's write-in.
func setWriteIn(r *Respondent, cat bsk.RaceEthnicity, text string) {
	if r.Demographics.RaceWriteIn == nil {
		r.Demographics.RaceWriteIn = map[bsk.RaceEthnicity]string{}
	}
	r.Demographics.RaceWriteIn[cat] = text
}
