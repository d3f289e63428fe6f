package survey

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
)

// Sentence renders a cell as the county writes it: "94 percent of the 137
// providers who initiated the endorsement process reported the endorsement
// process was responsive to their needs". It uses the instrument's
// Population and the item's Reported phrase. A hidden cell gives a
// sentence that says so under which standard, never a figure nor which
// rule hid it (a reader must not learn that a complement is small).
func Sentence(in Instrument, item Item, c Cell) string {
	pop := in.Population
	if pop == "" {
		pop = "respondents"
	}
	what := item.Reported
	if what == "" {
		what = "answered " + strconv.Quote(item.Text) + " positively"
	}
	switch {
	case c.Suppressed:
		std, _, _ := strings.Cut(c.Rule, ":")
		if std == "" {
			return "Not shown under disclosure control."
		}
		return "Not shown under the " + std + " disclosure standard."
	case c.Range != "":
		// A top-coded estimate comes without its N.
		return strings.TrimSuffix(c.Range, "%") + " percent of " + pop + " " + what + "."
	case c.N == nil || *c.N == 0:
		return "No " + pop + " answered."
	}
	return strconv.Itoa(int(math.Round(*c.Percent))) + " percent of the " + strconv.Itoa(*c.N) + " " + pop + " " + what + "."
}

// CSVField escapes a CSV cell that a spreadsheet would run as a formula:
// a cell that begins with "=", "+", "-", "@", a tab or a carriage return
// gets a leading "'", as OWASP recommends against CSV injection. Every CSV
// the package writes passes every cell through it.
func CSVField(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes a report's cells as CSV, one row per cell, with the
// rule behind every hidden or top-coded cell, and the standard errors
// last (se in points, rse, mean_se). Hidden figures are empty.
// Text cells that begin like a formula are escaped with [CSVField].
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"instrument", "cycle", "item", "dimensions", "group", "n", "count", "percent", "low", "high", "range", "mean", "effective_n", "suppressed", "rule", "caution", "se", "rse", "mean_se"})
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', 4, 64)
	}
	integer := func(i *int) string {
		if i == nil {
			return ""
		}
		return strconv.Itoa(*i)
	}
	for _, t := range r.Tables {
		dims := make([]string, len(t.Dimensions))
		for i, d := range t.Dimensions {
			dims[i] = string(d)
		}
		for _, c := range t.Cells {
			group := make([]string, len(c.Group))
			for i, g := range c.Group {
				if g == "" {
					g = "all"
				}
				group[i] = g
			}
			rec := []string{r.Instrument, r.Cycle, t.Item, strings.Join(dims, "×"), strings.Join(group, "×"),
				integer(c.N), integer(c.Count), num(c.Percent), num(c.Low), num(c.High), c.Range, num(c.Mean), num(c.EffectiveN),
				strconv.FormatBool(c.Suppressed), c.Rule, strconv.FormatBool(c.Caution), num(c.SE), num(c.RSE), num(c.MeanSE)}
			for k, v := range rec {
				if k < 5 || k == 14 {
					rec[k] = CSVField(v)
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Total returns the program-wide cell of an item's total table.
func (r *Report) Total(item string) (Cell, bool) {
	for _, t := range r.Tables {
		if t.Item == item && len(t.Dimensions) == 0 && len(t.Cells) == 1 {
			return t.Cells[0], true
		}
	}
	return Cell{}, false
}

// Table returns an item's table under a breakdown.
func (r *Report) Table(item string, dims ...Dimension) (Table, bool) {
	for _, t := range r.Tables {
		if t.Item == item && slicesEqual(t.Dimensions, dims) {
			return t, true
		}
	}
	return Table{}, false
}

func slicesEqual(a, b []Dimension) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
