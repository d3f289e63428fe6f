package survey

import (
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// ItemKind is the kind of a survey item.
type ItemKind string

// The item kinds.
const (
	// YesNo answers "yes" or "no"; its indicator is "yes".
	YesNo ItemKind = "yes_no"
	// Likert is 5-point agreement, answered 1-5 or by code; its indicator
	// is "agree or strongly agree" (4 or 5) unless configured.
	Likert ItemKind = "likert"
	// Single is one choice among options.
	Single ItemKind = "single"
	// Multi is any number of options (barriers); reported as frequencies.
	Multi ItemKind = "multi"
	// Ranking orders options (desired topics); reported by Borda count.
	Ranking ItemKind = "ranking"
	// Numeric is a number within optional bounds.
	Numeric ItemKind = "numeric"
	// Text is free text: kept, never aggregated.
	Text ItemKind = "text"
)

var itemKinds = []ItemKind{YesNo, Likert, Single, Multi, Ranking, Numeric, Text}

// Valid reports whether k is a known item kind.
func (k ItemKind) Valid() bool { return slices.Contains(itemKinds, k) }

// Enum lists every item kind code.
func (ItemKind) Enum() []string { return strs(itemKinds) }

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// Option is one answer an item offers.
type Option struct {
	// Code is the stable code stored in answers.
	Code string `json:"code"`
	// Label is the text shown.
	Label string `json:"label"`
}

// LikertOptions are the 5-point agreement scale, coded 1 to 5.
var LikertOptions = []Option{
	{"1", "Strongly disagree"}, {"2", "Disagree"}, {"3", "Neither agree nor disagree"}, {"4", "Agree"}, {"5", "Strongly agree"},
}

// YesNoOptions are a yes/no item's answers.
var YesNoOptions = []Option{{"yes", "Yes"}, {"no", "No"}}

// Item is one question with a stable code.
type Item struct {
	// Code identifies the item across cycles, e.g. "endorse_responsive".
	Code string `json:"code"`
	// Kind is the kind of answer.
	Kind ItemKind `json:"kind"`
	// Text is the question as asked.
	Text string `json:"text"`
	// Options are the answers of single, multi and ranking items; yes/no
	// and Likert items get theirs by default.
	Options []Option `json:"options,omitempty"`
	// Indicator lists the option codes that meet the item's indicator;
	// empty means "yes" for yes/no and "4", "5" (agree or strongly agree)
	// for Likert.
	Indicator []string `json:"indicator,omitempty"`
	// Min and Max bound a numeric answer when Max > Min.
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`
	// Reported is the item's phrase in a report sentence, e.g. "reported
	// the endorsement process was responsive to their needs".
	Reported string `json:"reported,omitempty"`
}

// options returns the item's options, with the defaults of yes/no and
// Likert items.
func (it Item) options() []Option {
	if len(it.Options) > 0 {
		return it.Options
	}
	switch it.Kind {
	case YesNo:
		return YesNoOptions
	case Likert:
		return LikertOptions
	}
	return nil
}

// indicator returns the option codes that meet the item's indicator.
func (it Item) indicator() []string {
	if len(it.Indicator) > 0 {
		return it.Indicator
	}
	switch it.Kind {
	case YesNo:
		return []string{"yes"}
	case Likert:
		return []string{"4", "5"}
	}
	return nil
}

// HasIndicator reports whether the item is estimated as a percentage
// meeting an indicator (yes/no, Likert and single items with one).
func (it Item) HasIndicator() bool {
	return it.Kind == YesNo || it.Kind == Likert || (it.Kind == Single && len(it.Indicator) > 0)
}

// Instrument is a versioned questionnaire of one cycle.
type Instrument struct {
	// ID identifies the instrument, e.g. "endorsement-followup".
	ID string `json:"id"`
	// Version identifies this version; items keep their codes across versions.
	Version string `json:"version"`
	// Cycle is the reporting cycle, e.g. "2021".
	Cycle string `json:"cycle"`
	// Program names the program or post-training session it evaluates.
	Program string `json:"program,omitempty"`
	// Population describes respondents in report sentences, e.g.
	// "providers who initiated the endorsement process".
	Population string `json:"population,omitempty"`
	// Weighted says responses carry survey weights; every response must
	// then have a positive, finite weight.
	Weighted bool `json:"weighted,omitempty"`
	// Items are the questions.
	Items []Item `json:"items"`
}

// Item returns the item with a code.
func (in Instrument) Item(code string) (Item, bool) {
	for _, it := range in.Items {
		if it.Code == code {
			return it, true
		}
	}
	return Item{}, false
}

func validCode(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// reserved are the CSV columns that describe respondents, not items. An
// item may share such a name (REDCap projects often have a "race" field),
// but not in a plain CSV import, where the column would be ambiguous.
var reserved = append([]string{"respondent_id", "weight", "race", "gender", "age_band", "place", "income", "role", "organization_kind", "session", "stratum", "cluster", "stratum_size", "hispanic_latino"}, raceColumns...)

// Validate reports every problem with the instrument, with its field.
func (in Instrument) Validate() error {
	var pr bsk.Problems
	if msg := bsk.IDProblem(in.ID); msg != "" {
		pr.Add("id", "%s", msg)
	}
	for _, t := range [...]struct{ field, text string }{{"version", in.Version}, {"cycle", in.Cycle}, {"population", in.Population}} {
		if msg := bsk.TextProblem(t.text); msg != "" {
			pr.Add(t.field, "%s", msg)
		}
	}
	if len(in.Items) == 0 {
		pr.Add("items", "at least one item is required")
	}
	seen := map[string]int{}
	for i, it := range in.Items {
		f := bsk.Index("items", i)
		switch {
		case !validCode(it.Code):
			pr.Add(f+".code", "%q is not a code: letters, digits, _ and -, at most 100", it.Code)
		default:
			if j, dup := seen[it.Code]; dup {
				pr.AddCode(bsk.CodeConflict, f+".code", "duplicate item code %q (also items[%d])", it.Code, j)
			}
			seen[it.Code] = i
		}
		// A question's wording may run over several lines (REDCap's field
		// labels do); every other character TextProblem refuses stays
		// refused.
		text := strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(it.Text)
		for _, t := range [...]struct{ field, text string }{{".text", text}, {".reported", it.Reported}} {
			if msg := bsk.TextProblem(t.text); msg != "" {
				pr.Add(f+t.field, "%s", msg)
			}
		}
		for o, opt := range it.Options {
			if msg := bsk.TextProblem(opt.Label); msg != "" {
				pr.Add(bsk.Index(f+".options", o)+".label", "%s", msg)
			}
		}
		if !it.Kind.Valid() {
			pr.Add(f+".kind", "unknown item kind %q", it.Kind)
			continue
		}
		opts := it.options()
		switch it.Kind {
		case Single, Ranking:
			if len(opts) < 2 {
				pr.Add(f+".options", "a %s item needs at least two options", it.Kind)
			}
			if len(opts) > 64 {
				pr.Add(f+".options", "at most 64 options")
			}
		case Multi:
			if len(opts) < 1 {
				pr.Add(f+".options", "a multi item needs at least one option")
			}
			if len(opts) > 64 {
				pr.Add(f+".options", "at most 64 options")
			}
		case Likert:
			if len(it.Options) > 0 && len(it.Options) != 5 {
				pr.Add(f+".options", "a Likert item has 5 options")
			}
		}
		codes := map[string]bool{}
		for k, o := range opts {
			if !validCode(o.Code) {
				pr.Add(bsk.Index(f+".options", k)+".code", "%q is not a code", o.Code)
			}
			if codes[o.Code] {
				pr.AddCode(bsk.CodeConflict, bsk.Index(f+".options", k)+".code", "duplicate option %q", o.Code)
			}
			codes[o.Code] = true
		}
		for k, c := range it.Indicator {
			if !codes[c] {
				pr.Add(bsk.Index(f+".indicator", k), "%q is not one of the item's options", c)
			}
		}
		if len(it.Indicator) > 0 && it.Kind != YesNo && it.Kind != Likert && it.Kind != Single {
			pr.Add(f+".indicator", "only yes/no, Likert and single items have an indicator")
		}
		if it.Kind == Numeric && it.Max < it.Min {
			pr.Add(f+".max", "%s is below min %s", ftoa(it.Max), ftoa(it.Min))
		}
	}
	return pr.Err()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
