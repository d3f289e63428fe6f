package survey

import (
	"maps"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// Respondent is who answered, with the attributes results are
// disaggregated by and an optional survey weight.
type Respondent struct {
	// ID identifies the respondent within the set; IDs are unique.
	ID string `json:"id"`
	// Demographics are race and ethnicity, gender, age band, place and income.
	Demographics bsk.Demographics `json:"demographics"`
	// HispanicLatino is the answer to the 1997 standard's separate
	// ethnicity question, for data collected that way: it is folded into
	// Demographics.Race by [bsk.CombineRace1997] as the response is added
	// ("yes", "no", "1", "0" and the like are accepted too). Empty means
	// the race column holds the 2024 combined question's answer.
	HispanicLatino bsk.Ethnicity1997 `json:"hispanic_latino,omitempty"`
	// Role is what the respondent does.
	Role bsk.Role `json:"role,omitempty"`
	// OrganizationKind is the kind of organization they work at.
	OrganizationKind bsk.OrganizationKind `json:"organization_kind,omitempty"`
	// Session is the post-training session or program the response
	// belongs to.
	Session string `json:"session,omitempty"`
	// Weight is the survey weight; it must be positive and finite when
	// the instrument is weighted, and is ignored otherwise.
	Weight float64 `json:"weight,omitempty"`
	// Stratum is the design stratum the respondent was sampled in; empty
	// is a stratum of its own. Strata, clusters and stratum sizes enter
	// the standard errors only (see [Cell.SE]).
	Stratum string `json:"stratum,omitempty"`
	// Cluster is the primary sampling unit (an organization, say) within
	// the stratum; empty means the respondent was sampled alone.
	Cluster string `json:"cluster,omitempty"`
	// StratumSize is the number of primary sampling units in the
	// stratum's population, for the finite population correction; 0
	// means sampled with replacement. Every respondent of a stratum gives
	// the same size, at least the units sampled.
	StratumSize int `json:"stratum_size,omitempty"`
}

// Response is one respondent's answers, by item code. Single-valued items
// have one value; a multi item lists the options chosen; a ranking item
// lists options from first to last.
type Response struct {
	Respondent
	Answers map[string][]string `json:"answers"`
}

// attribute indexes the categorical respondent attributes a Set keeps.
type attribute int

const (
	attrGender attribute = iota
	attrAge
	attrRegion
	attrIncome
	attrRole
	attrOrgKind
	attrSession
	attrPlace
	nAttrs
)

// races are the race and ethnicity categories, in bit order.
var races = []bsk.RaceEthnicity{bsk.RaceAmericanIndianAlaskaNative, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx,
	bsk.RaceMiddleEasternNorthAfrican, bsk.RaceNativeHawaiianPacificIslander, bsk.RaceWhite, bsk.RaceDeclined}

// column holds one item's answers for every respondent.
type column struct {
	code     []int8    // yes/no, Likert, single: option index; -1 unanswered
	num      []float64 // numeric; NaN unanswered
	bits     []uint64  // multi: options chosen
	answered []bool    // multi and ranking: whether the item was answered
	rank     []uint8   // ranking: n x options, the rank of each option (1 = first), 0 unranked
	text     []string  // free text
}

// Set is a set of responses to one instrument, stored by column (one byte
// per answer) so that a million responses to twenty items take about
// 130 MB, respondent IDs and attributes included. Build
// one with NewSet and Add, or with an importer. A Set is not safe for
// concurrent writes; reads may run concurrently once it is built.
type Set struct {
	inst    Instrument
	ids     []string
	index   map[string]int
	weights []float64
	race    []uint16
	detail  []uint64                             // detailed race groups chosen, one bit each
	writeIn map[int]map[bsk.RaceEthnicity]string // race write-ins, by respondent
	attrs   [nAttrs][]uint16
	vals    [nAttrs][]string // interned values; index 0 is "" (not reported)
	valIdx  [nAttrs]map[string]uint16
	cols    []column
	optIdx  []map[string]int // per item: option code to index
	itemIdx map[string]int   // item code to index
	design  *sampleDesign    // strata, clusters and sizes; nil when no respondent gave one
}

// answerField is the field of an item's answer in problems; a string type
// so that building it costs nothing until a problem is reported.
type answerField string

func (f answerField) String() string { return "answers." + string(f) }

// NewSet returns an empty set for an instrument, which must be valid.
func NewSet(in Instrument) (*Set, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s := &Set{inst: in, index: map[string]int{}, cols: make([]column, len(in.Items)), optIdx: make([]map[string]int, len(in.Items)), itemIdx: map[string]int{}}
	for a := range nAttrs {
		s.vals[a] = []string{""}
		s.valIdx[a] = map[string]uint16{"": 0}
	}
	for i, it := range in.Items {
		s.itemIdx[it.Code] = i
		m := map[string]int{}
		for k, o := range it.options() {
			m[o.Code] = k
		}
		s.optIdx[i] = m
	}
	return s, nil
}

// Instrument returns the set's instrument.
func (s *Set) Instrument() Instrument { return s.inst }

// Len is the number of responses.
func (s *Set) Len() int { return len(s.ids) }

func (s *Set) intern(a attribute, v string) (uint16, bool) {
	if i, ok := s.valIdx[a][v]; ok {
		return i, true
	}
	if len(s.vals[a]) >= math.MaxUint16 {
		return 0, false
	}
	i := uint16(len(s.vals[a]))
	s.vals[a] = append(s.vals[a], v)
	s.valIdx[a][v] = i
	return i, true
}

// parsed is a response checked and converted, ready to append.
type parsed struct {
	stratum, cluster string
	size             int
	race             uint16
	detail           uint64
	writeIn          map[bsk.RaceEthnicity]string
	attrs            [nAttrs]string
	code             []int8
	num              []float64
	bits             []uint64
	seen             []bool
	rank             [][]uint8
	text             []string
}

// check validates a response against the instrument and converts it; it
// reports every problem with the field ("answers.q3", "weight").
func (s *Set) check(r Response, p *parsed) error {
	var pr bsk.Problems
	if r.ID == "" {
		pr.Add("respondent_id", "is required")
	} else if _, dup := s.index[r.ID]; dup {
		pr.AddCode(bsk.CodeConflict, "respondent_id", "duplicate respondent %q", r.ID)
	}
	if s.inst.Weighted {
		if math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) || r.Weight <= 0 {
			pr.Add("weight", "must be a positive, finite number: the instrument is weighted")
		}
	}
	if r.HispanicLatino != "" {
		e := ethnicityAlias(r.HispanicLatino)
		if !e.Valid() {
			pr.Add("hispanic_latino", "unknown answer %q: use one of %v", r.HispanicLatino, e.Enum())
		}
		r.Demographics.Race = bsk.CombineRace1997(e, r.Demographics.Race)
	}
	foldRaceDetail(&r.Demographics)
	if err := r.Demographics.Validate(); err != nil {
		pr.Merge("demographics", err)
	}
	s.checkDesign(r.Respondent, &pr)
	p.stratum, p.cluster, p.size = r.Stratum, r.Cluster, r.StratumSize
	if r.Role != "" && !r.Role.Valid() {
		pr.Add("role", "unknown role %q", r.Role)
	}
	if r.OrganizationKind != "" && !r.OrganizationKind.Valid() {
		pr.Add("organization_kind", "unknown organization kind %q", r.OrganizationKind)
	}
	p.race, p.detail, p.writeIn = 0, detailBits(r.Demographics.RaceDetail), r.Demographics.RaceWriteIn
	for _, rc := range r.Demographics.Race {
		if k := slices.Index(races, rc); k >= 0 {
			p.race |= 1 << k
		}
	}
	d := r.Demographics
	p.attrs = [nAttrs]string{string(d.Gender), string(d.AgeBand), string(d.Place.Region()), string(d.Income), string(r.Role), string(r.OrganizationKind), r.Session, string(d.Place)}
	n := len(s.inst.Items)
	p.code, p.num, p.bits, p.seen, p.text = resize(p.code, n), resize(p.num, n), resize(p.bits, n), resize(p.seen, n), resize(p.text, n)
	p.rank = resize(p.rank, n)
	for i, it := range s.inst.Items {
		p.code[i], p.num[i], p.bits[i], p.seen[i], p.text[i] = -1, math.NaN(), 0, false, ""
		p.rank[i] = p.rank[i][:0]
		vals, ok := r.Answers[it.Code]
		if !ok || len(vals) == 0 || (len(vals) == 1 && vals[0] == "") {
			continue
		}
		f := answerField(it.Code)
		switch it.Kind {
		case YesNo, Likert, Single:
			if len(vals) != 1 {
				pr.Add(f.String(), "takes one answer, got %d", len(vals))
				continue
			}
			k, ok := s.optIdx[i][vals[0]]
			if !ok && it.Kind == YesNo {
				k, ok = yesNoAlias(vals[0])
			}
			if !ok {
				pr.Add(f.String(), "%q is not one of %v", vals[0], optionCodes(it))
				continue
			}
			p.code[i] = int8(k)
		case Numeric:
			if len(vals) != 1 {
				pr.Add(f.String(), "takes one number, got %d values", len(vals))
				continue
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(vals[0]), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				pr.Add(f.String(), "%q is not a number", vals[0])
				continue
			}
			if it.Max > it.Min && (x < it.Min || x > it.Max) {
				pr.Add(f.String(), "%s is outside %s to %s", ftoa(x), ftoa(it.Min), ftoa(it.Max))
				continue
			}
			p.num[i] = x
		case Multi:
			var b uint64
			for _, v := range vals {
				k, ok := s.optIdx[i][v]
				if !ok {
					pr.Add(f.String(), "%q is not one of %v", v, optionCodes(it))
					continue
				}
				b |= 1 << k
			}
			p.bits[i], p.seen[i] = b, true
		case Ranking:
			ranks := make([]uint8, len(it.options()))
			for r, v := range vals {
				k, ok := s.optIdx[i][v]
				if !ok {
					pr.Add(f.String(), "%q is not one of %v", v, optionCodes(it))
					continue
				}
				if ranks[k] != 0 {
					pr.Add(f.String(), "%q is ranked twice", v)
					continue
				}
				ranks[k] = uint8(r + 1)
			}
			p.rank[i], p.seen[i] = ranks, true
		case Text:
			p.text[i] = strings.Join(vals, "; ")
		}
	}
	if len(r.Answers) > 0 {
		var unknown []string
		for code := range r.Answers {
			if _, ok := s.itemIdx[code]; !ok {
				unknown = append(unknown, code)
			}
		}
		slices.Sort(unknown) // problems in a stable order
		for _, code := range unknown {
			pr.AddCode(bsk.CodeNotFound, "answers."+code, "unknown item code %q", code)
		}
	}
	return pr.Err()
}

func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

func yesNoAlias(v string) (int, bool) {
	switch strings.ToLower(v) {
	case "1", "y", "true":
		return 0, true
	case "0", "n", "false":
		return 1, true
	}
	return 0, false
}

func optionCodes(it Item) []string {
	var out []string
	for _, o := range it.options() {
		out = append(out, o.Code)
	}
	return out
}

// Add checks a response and appends it; a response with any problem is
// not added, and the error lists every problem with its field.
func (s *Set) Add(r Response) error {
	var p parsed
	if err := s.check(r, &p); err != nil {
		return err
	}
	return s.appendParsed(r.ID, r.Weight, &p)
}

func (s *Set) appendParsed(id string, weight float64, p *parsed) error {
	var codes [nAttrs]uint16
	for a := range nAttrs {
		c, ok := s.intern(a, p.attrs[a])
		if !ok {
			return bsk.Invalidf("", "too many distinct values of a respondent attribute")
		}
		codes[a] = c
	}
	if p.stratum != "" || p.cluster != "" || p.size != 0 || s.design != nil {
		s.addDesign(len(s.ids), p.stratum, p.cluster, p.size)
	}
	s.index[id] = len(s.ids)
	s.ids = append(s.ids, id)
	if s.inst.Weighted {
		s.weights = append(s.weights, weight)
	}
	s.race = append(s.race, p.race)
	s.detail = append(s.detail, p.detail)
	if len(p.writeIn) > 0 {
		if s.writeIn == nil {
			s.writeIn = map[int]map[bsk.RaceEthnicity]string{}
		}
		s.writeIn[len(s.ids)-1] = maps.Clone(p.writeIn)
	}
	for a := range nAttrs {
		s.attrs[a] = append(s.attrs[a], codes[a])
	}
	for i, it := range s.inst.Items {
		c := &s.cols[i]
		switch it.Kind {
		case YesNo, Likert, Single:
			c.code = append(c.code, p.code[i])
		case Numeric:
			c.num = append(c.num, p.num[i])
		case Multi:
			c.bits = append(c.bits, p.bits[i])
			c.answered = append(c.answered, p.seen[i])
		case Ranking:
			k := len(it.options())
			if p.seen[i] {
				c.rank = append(c.rank, p.rank[i]...)
			} else {
				c.rank = append(c.rank, make([]uint8, k)...)
			}
			c.answered = append(c.answered, p.seen[i])
		case Text:
			c.text = append(c.text, p.text[i])
		}
	}
	return nil
}

// Response returns response i, as added.
func (s *Set) Response(i int) Response {
	r := Response{Respondent: Respondent{ID: s.ids[i]}, Answers: map[string][]string{}}
	if s.weights != nil {
		r.Weight = s.weights[i]
	}
	for k, rc := range races {
		if s.race[i]&(1<<k) != 0 {
			r.Demographics.Race = append(r.Demographics.Race, rc)
		}
	}
	for k, x := range details {
		if s.detail[i]&(1<<k) != 0 {
			r.Demographics.RaceDetail = append(r.Demographics.RaceDetail, x)
		}
	}
	r.Demographics.RaceWriteIn = maps.Clone(s.writeIn[i])
	v := func(a attribute) string { return s.vals[a][s.attrs[a][i]] }
	r.Demographics.Gender = bsk.Gender(v(attrGender))
	r.Demographics.AgeBand = bsk.AgeBand(v(attrAge))
	r.Demographics.Income = bsk.IncomeBand(v(attrIncome))
	r.Demographics.Place = bsk.Place(v(attrPlace))
	r.Role, r.OrganizationKind, r.Session = bsk.Role(v(attrRole)), bsk.OrganizationKind(v(attrOrgKind)), v(attrSession)
	if d := s.design; d != nil {
		h := d.stratum[i]
		r.Stratum, r.StratumSize = d.strata[h], d.size[h]
		if c := d.cluster[i]; c != 0 {
			r.Cluster = d.clusterName(c)
		}
	}
	for j, it := range s.inst.Items {
		c := s.cols[j]
		opts := it.options()
		switch it.Kind {
		case YesNo, Likert, Single:
			if c.code[i] >= 0 {
				r.Answers[it.Code] = []string{opts[c.code[i]].Code}
			}
		case Numeric:
			if !math.IsNaN(c.num[i]) {
				r.Answers[it.Code] = []string{ftoa(c.num[i])}
			}
		case Multi:
			if c.answered[i] {
				vals := []string{}
				for b := c.bits[i]; b != 0; b &= b - 1 {
					vals = append(vals, opts[bits.TrailingZeros64(b)].Code)
				}
				r.Answers[it.Code] = vals
			}
		case Ranking:
			if c.answered[i] {
				k := len(opts)
				ranks := c.rank[i*k : (i+1)*k]
				vals := make([]string, 0, k)
				for pos := 1; pos <= k; pos++ {
					if o := slices.Index(ranks, uint8(pos)); o >= 0 {
						vals = append(vals, opts[o].Code)
					}
				}
				r.Answers[it.Code] = vals
			}
		case Text:
			if c.text[i] != "" {
				r.Answers[it.Code] = []string{c.text[i]}
			}
		}
	}
	return r
}

// ethnicityAlias reads the usual spellings of a yes/no ethnicity answer.
func ethnicityAlias(e bsk.Ethnicity1997) bsk.Ethnicity1997 {
	switch strings.ToLower(string(e)) {
	case "yes", "y", "1", "true":
		return bsk.EthnicityHispanicLatino
	case "no", "n", "0", "false":
		return bsk.EthnicityNotHispanicLatino
	}
	return e
}
