package survey

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// Dictionary is a REDCap project's data dictionary read as an instrument.
type Dictionary struct {
	// Instrument has one item per answerable field, coded by field name.
	Instrument Instrument `json:"instrument"`
	// RecordID is the field that identifies records (the first field).
	RecordID string `json:"record_id"`
	// Ignored lists fields that carry no answers (descriptive text, file
	// uploads, signatures) or no aggregate (the record ID).
	Ignored []string `json:"ignored"`
}

// The data dictionary columns the importer needs.
const (
	dictField      = "Variable / Field Name"
	dictType       = "Field Type"
	dictLabel      = "Field Label"
	dictChoices    = "Choices, Calculations, OR Slider Labels"
	dictValidation = "Text Validation Type OR Show Slider Number"
	dictMin        = "Text Validation Min"
	dictMax        = "Text Validation Max"
)

// ParseREDCapDictionary reads a REDCap data dictionary export (CSV) into
// an instrument with the given ID: radio and dropdown fields become single
// items (Likert when they offer five agreement choices coded 1-5), yesno
// and truefalse yes/no items, checkbox multi items, integer and number
// text fields, calc and slider fields numeric items, other text and notes
// free text. A file that is not a data dictionary, or a field of a type
// REDCap does not have, is an error naming the row and column.
func ParseREDCapDictionary(r io.Reader, id string) (*Dictionary, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, bsk.Errors{bsk.Invalidf("rows[1]", "not a REDCap data dictionary: %s", csvMessage(err))}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var pr bsk.Problems
	for _, need := range []string{dictField, dictType, dictLabel, dictChoices, dictValidation, dictMin, dictMax} {
		if _, ok := col[need]; !ok {
			pr.Add("rows[1]", "not a REDCap data dictionary: no %q column", need)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	d := &Dictionary{Instrument: Instrument{ID: id, Version: "redcap"}, Ignored: []string{}}
	get := func(rec []string, name string) string {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line := lineOf(cr, err)
		if err != nil {
			return nil, bsk.Errors{bsk.Invalidf(bsk.Index("rows", line), "%s", csvMessage(err))}
		}
		f := bsk.Index("rows", line)
		name, typ, label := get(rec, dictField), get(rec, dictType), get(rec, dictLabel)
		if name == "" {
			pr.Add(f+".field_name", "is empty")
			continue
		}
		if d.RecordID == "" {
			d.RecordID = name
			d.Ignored = append(d.Ignored, name)
			continue
		}
		it := Item{Code: name, Text: label}
		switch typ {
		case "radio", "dropdown":
			opts, err := parseChoices(get(rec, dictChoices))
			if err != nil {
				pr.Add(f+".choices", "%v", err)
				continue
			}
			it.Kind, it.Options = Single, opts
			if likertChoices(opts) {
				it.Kind = Likert
			}
		case "checkbox":
			opts, err := parseChoices(get(rec, dictChoices))
			if err != nil {
				pr.Add(f+".choices", "%v", err)
				continue
			}
			it.Kind, it.Options = Multi, opts
		case "yesno", "truefalse":
			it.Kind = YesNo
		case "calc", "slider":
			it.Kind = Numeric
			if typ == "slider" {
				it.Min, it.Max = 0, 100
			}
		case "text":
			switch v := get(rec, dictValidation); {
			case v == "integer" || strings.HasPrefix(v, "number"):
				it.Kind = Numeric
				lo, e1 := strconv.ParseFloat(get(rec, dictMin), 64)
				hi, e2 := strconv.ParseFloat(get(rec, dictMax), 64)
				if e1 == nil && e2 == nil {
					it.Min, it.Max = lo, hi
				}
			default:
				it.Kind = Text
			}
		case "notes":
			it.Kind = Text
		case "descriptive", "file", "signature", "sql":
			d.Ignored = append(d.Ignored, name)
			continue
		default:
			pr.Add(f+".field_type", "unknown REDCap field type %q", typ)
			continue
		}
		d.Instrument.Items = append(d.Instrument.Items, it)
	}
	if d.RecordID == "" {
		pr.Add("rows[2]", "the dictionary lists no fields")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if err := d.Instrument.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// parseChoices reads "1, One | 2, Two".
func parseChoices(s string) ([]Option, error) {
	if s == "" {
		return nil, errors.New("no choices")
	}
	var out []Option
	for _, part := range strings.Split(s, "|") {
		code, label, ok := strings.Cut(part, ",")
		code = strings.TrimSpace(code)
		if !ok || code == "" {
			return nil, errors.New("choice " + strconv.Quote(strings.TrimSpace(part)) + " is not \"code, label\"")
		}
		out = append(out, Option{Code: code, Label: strings.TrimSpace(label)})
	}
	return out, nil
}

// likertChoices reports five agreement choices coded 1 to 5.
func likertChoices(opts []Option) bool {
	if len(opts) != 5 {
		return false
	}
	for i, o := range opts {
		if o.Code != strconv.Itoa(i+1) || !strings.Contains(strings.ToLower(o.Label), "agree") && i != 2 {
			return false
		}
	}
	return true
}

// DefaultMissingCodes are REDCap's standard missing-data codes: a value
// equal to one of them is no answer.
var DefaultMissingCodes = []string{"NI", "INV", "UNK", "NASK", "ASKU", "NAV", "MSK", "NA", "NAVU", "NP", "QS", "QI", "TRC", "UNC", "DER", "PINF", "NINF", "OTH"}

// REDCapOptions tune ImportREDCap.
type REDCapOptions struct {
	ImportOptions
	// Event keeps the rows of one redcap_event_name in a longitudinal
	// project; empty keeps every row, so a record with several events is
	// a duplicate respondent.
	Event string `json:"event,omitempty"`
	// Respondent maps respondent attributes (race, gender, age_band,
	// place, income, role, organization_kind, session, weight,
	// hispanic_latino, race_detail, race_write_in_<category>, stratum,
	// cluster, stratum_size) to the REDCap fields that hold them. An
	// unknown detailed group is an error naming the row and column.
	Respondent map[string]string `json:"respondent,omitempty"`
	// Codes maps, per respondent attribute, REDCap choice codes to the
	// bsk codes (e.g. race: "1" -> "asian").
	Codes map[string]map[string]string `json:"codes,omitempty"`
	// MissingCodes replaces DefaultMissingCodes.
	MissingCodes []string `json:"missing_codes,omitempty"`
}

// redcapMeta are export columns that are not fields.
func redcapMeta(c string) bool {
	switch c {
	case "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance", "redcap_data_access_group", "redcap_survey_identifier":
		return true
	}
	return strings.HasSuffix(c, "_complete") || strings.HasSuffix(c, "_timestamp")
}

// ImportREDCap reads a REDCap records export (raw codes, CSV) of the
// dictionary's project: one row per record (and event), checkbox fields
// as field___code columns of 1 and 0, missing-data codes as no answer.
// Rows of repeating instruments are left out. Like ImportCSV it streams,
// is all or nothing unless SkipBadRows, and names the row's line and the
// column of every problem.
func ImportREDCap(r io.Reader, d *Dictionary, opts REDCapOptions) (*Set, ImportReport, error) {
	rep := ImportReport{Skipped: []Skipped{}}
	s, err := NewSet(d.Instrument)
	if err != nil {
		return nil, rep, err
	}
	missing := opts.MissingCodes
	if missing == nil {
		missing = DefaultMissingCodes
	}
	isMissing := func(v string) bool { return v == "" || slices.Contains(missing, v) }
	maxProblems := opts.MaxProblems
	if maxProblems <= 0 {
		maxProblems = 100
	}
	var pr bsk.Problems
	for attr := range opts.Respondent {
		if !slices.Contains(reserved[1:], attr) {
			pr.Add("respondent."+attr, "unknown respondent attribute %q", attr)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, rep, err
	}
	attrOf := map[string]string{} // REDCap field -> respondent attribute
	for attr, field := range opts.Respondent {
		attrOf[field] = attr
	}
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, rep, bsk.Errors{bsk.Invalidf("rows[1]", "the file is empty: a header row is required")}
		}
		return nil, rep, bsk.Errors{bsk.Invalidf("rows[1]", "not a REDCap records export: %s", csvMessage(err))}
	}
	header = slices.Clone(header)
	type target struct {
		item   int    // item index, or -1
		option string // checkbox option code
		attr   string // respondent attribute
		meta   bool
		id     bool
	}
	targets := make([]target, len(header))
	eventCol, repeatCol := -1, -1
	idSeen := false
	for c, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[c] = h
		f := "rows[1]." + h
		field, option, checkbox := strings.Cut(h, "___")
		t := target{item: -1, attr: attrOf[field]}
		switch {
		case h == d.RecordID:
			t.id, idSeen = true, true
		case h == "redcap_event_name":
			eventCol, t.meta = c, true
		case h == "redcap_repeat_instrument":
			repeatCol, t.meta = c, true
		case slices.Contains(d.Ignored, field) || redcapMeta(h):
			t.meta = true
		default:
			i := slices.IndexFunc(d.Instrument.Items, func(it Item) bool { return it.Code == field })
			if i < 0 {
				pr.AddCode(bsk.CodeNotFound, f, "column %q is not a field of the dictionary", h)
				continue
			}
			it := d.Instrument.Items[i]
			if checkbox != (it.Kind == Multi) {
				pr.Add(f, "column %q does not fit field %q, a %s item", h, field, it.Kind)
				continue
			}
			if checkbox && !slices.ContainsFunc(it.Options, func(o Option) bool { return o.Code == option }) {
				if slices.Contains(missing, strings.ToUpper(option)) {
					t.meta = true // a missing-data code's own checkbox column
					break
				}
				pr.AddCode(bsk.CodeNotFound, f, "%q is not a choice of checkbox field %q", option, field)
				continue
			}
			t.item, t.option = i, option
		}
		targets[c] = t
	}
	if !idSeen {
		pr.Add("rows[1]", "no %q column: the export does not belong to this dictionary", d.RecordID)
	}
	if opts.Event != "" && eventCol < 0 {
		pr.Add("rows[1]", "no redcap_event_name column, but event %q was asked for", opts.Event)
	}
	if err := pr.Err(); err != nil {
		return nil, rep, err
	}
	resp := Response{Answers: map[string][]string{}}
	var p parsed
	var all bsk.Errors
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line := lineOf(cr, err)
		var fe *csv.ParseError
		if err != nil && !(errors.As(err, &fe) && fe.Err == csv.ErrFieldCount) {
			return nil, rep, append(all, bsk.Invalidf(bsk.Index("rows", line), "%s", csvMessage(err)))
		}
		if err == nil && (opts.Event != "" && rec[eventCol] != opts.Event || repeatCol >= 0 && rec[repeatCol] != "") {
			continue
		}
		rep.Rows++
		if opts.Progress != nil && rep.Rows%10000 == 0 {
			opts.Progress(rep.Rows)
		}
		var rowErr bsk.Errors
		if err != nil {
			rowErr = bsk.Errors{bsk.Invalidf(bsk.Index("rows", line), "has %d fields; the header has %d", len(rec), len(header))}
		} else {
			clear(resp.Answers)
			resp.Respondent = Respondent{}
			var rp bsk.Problems
			for c, v := range rec {
				t := targets[c]
				v = strings.TrimSpace(v)
				switch {
				case t.id:
					resp.ID = v
				case t.meta:
				case isMissing(v):
				default:
					if t.attr != "" {
						if err := setAttr(&resp.Respondent, t.attr, v, t.option, opts.Codes[t.attr]); err != nil {
							rp.Add(header[c], "%v", err)
						}
					}
					if t.item < 0 {
						continue
					}
					it := d.Instrument.Items[t.item]
					if it.Kind == Multi {
						switch v {
						case "1":
							resp.Answers[it.Code] = append(resp.Answers[it.Code], t.option)
						case "0":
							if _, ok := resp.Answers[it.Code]; !ok {
								resp.Answers[it.Code] = []string{}
							}
						default:
							rp.Add(header[c], "%q is not 1 or 0", v)
						}
						continue
					}
					resp.Answers[it.Code] = []string{v}
				}
			}
			// An item answered only with unchecked boxes counts as answered
			// only when some box of it was present; drop empty lists.
			for code, vals := range resp.Answers {
				if len(vals) == 0 {
					delete(resp.Answers, code)
				}
			}
			if err := rp.Err(); err != nil {
				rowErr = rowProblems(err, line)
			} else if err := s.check(resp, &p); err != nil {
				rowErr = rowProblems(err, line)
			} else if err := s.appendParsed(resp.ID, resp.Weight, &p); err != nil {
				rowErr = rowProblems(err, line)
			}
		}
		if rowErr == nil {
			rep.Imported++
			continue
		}
		if badRow(&rep, &all, line, rowErr, opts.SkipBadRows, maxProblems) {
			return nil, rep, all
		}
	}
	if len(all) > 0 {
		rep.Imported = 0
		return nil, rep, all
	}
	return s, rep, nil
}

// setAttr sets a respondent attribute from a REDCap value, through the
// code map when one is given. A checkbox column (option set) adds its
// option when checked.
func setAttr(r *Respondent, attr, v, option string, codes map[string]string) error {
	if option != "" {
		if v != "1" {
			return nil
		}
		v = option
	}
	if codes != nil {
		mapped, ok := codes[v]
		if !ok {
			return errors.New("no " + attr + " code for REDCap value " + strconv.Quote(v))
		}
		v = mapped
	}
	switch attr {
	case "race":
		r.Demographics.Race = append(r.Demographics.Race, bsk.RaceEthnicity(v))
	case "gender":
		r.Demographics.Gender = bsk.Gender(v)
	case "age_band":
		r.Demographics.AgeBand = bsk.AgeBand(v)
	case "place":
		r.Demographics.Place = bsk.Place(v)
	case "income":
		r.Demographics.Income = bsk.IncomeBand(v)
	case "role":
		r.Role = bsk.Role(v)
	case "organization_kind":
		r.OrganizationKind = bsk.OrganizationKind(v)
	case "session":
		r.Session = v
	case "hispanic_latino":
		r.HispanicLatino = bsk.Ethnicity1997(v)
	case "race_detail":
		if !bsk.RaceDetail(v).Valid() {
			return errors.New("unknown detailed race/ethnicity code " + strconv.Quote(v))
		}
		r.Demographics.RaceDetail = append(r.Demographics.RaceDetail, bsk.RaceDetail(v))
	case "stratum":
		r.Stratum = v
	case "cluster":
		r.Cluster = v
	case "stratum_size":
		k, err := strconv.Atoi(v)
		if err != nil {
			return errors.New(strconv.Quote(v) + " is not a whole number")
		}
		r.StratumSize = k
	case "weight":
		w, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return errors.New(strconv.Quote(v) + " is not a number")
		}
		r.Weight = w
	default:
		if cat, ok := writeInColumn(attr); ok {
			setWriteIn(r, cat, v)
		}
	}
	return nil
}
