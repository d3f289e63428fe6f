package training

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// MaxHourlyCents bounds a consultant's hourly rate: $10,000.00 an hour.
const MaxHourlyCents = 1_000_000

// Rates price consultants' hours, in integer cents an hour.
type Rates struct {
	// HourlyCents is every consultant's rate unless Consultants names
	// theirs; 1 to [MaxHourlyCents].
	HourlyCents int64 `json:"hourly_cents" jsonschema:"minimum=1,maximum=1000000"`
	// Consultants are rates of their own, by consultant.
	Consultants map[bsk.ProviderID]int64 `json:"consultants,omitempty"`
}

// Of returns a consultant's hourly rate.
func (r Rates) Of(id bsk.ProviderID) int64 {
	if c, ok := r.Consultants[id]; ok {
		return c
	}
	return r.HourlyCents
}

// Validate reports rates outside 1 to [MaxHourlyCents].
func (r Rates) Validate() error {
	var p bsk.Problems
	if r.HourlyCents < 1 || r.HourlyCents > MaxHourlyCents {
		p.Add("hourly_cents", "%d is outside 1 to %d", r.HourlyCents, MaxHourlyCents)
	}
	ids := make([]bsk.ProviderID, 0, len(r.Consultants))
	for id := range r.Consultants {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if c := r.Consultants[id]; c < 1 || c > MaxHourlyCents {
			p.Add("consultants."+string(id), "%d is outside 1 to %d", c, MaxHourlyCents)
		}
	}
	return p.Err()
}

// InvoiceLine is one consultant's reflective consultation for one month:
// the sessions they led that their groups attended, and what they are owed.
type InvoiceLine struct {
	// Consultant is the consultant's provider ID.
	Consultant bsk.ProviderID `json:"consultant"`
	// Month is the month, "2026-03".
	Month string `json:"month"`
	// Sessions are the sessions billed, in ID order.
	Sessions []bsk.SessionID `json:"sessions"`
	// Minutes is the sessions' minutes, summed.
	Minutes int `json:"minutes"`
	// RateCents is the consultant's hourly rate.
	RateCents int64 `json:"rate_cents"`
	// AmountCents is Minutes at RateCents, rounded half up to the cent.
	AmountCents int64 `json:"amount_cents"`
}

// Hours returns the line's minutes in hours.
func (l InvoiceLine) Hours() float64 { return float64(l.Minutes) / 60 }

// InvoiceInput is what [Invoice] bills from.
type InvoiceInput struct {
	// Offerings are the offerings on file; only reflective consultation
	// groups are billed, to each of their leaders.
	Offerings []bsk.Offering
	// Sessions are the sessions on file.
	Sessions []bsk.Session
	// Attendance shows which sessions met: a session with no attendance
	// record is not billed.
	Attendance []bsk.Attendance
	// Rates price the hours.
	Rates Rates
	// Month, when set ("2026-03"), bills only that month's sessions.
	Month string
	// Location places sessions in their month; nil means UTC.
	Location *time.Location
	// Invoiced are the sessions already on an invoice, with that
	// invoice's ID: billing one of them again is refused.
	Invoiced map[bsk.SessionID]string
}

// Invoice bills the reflective consultation sessions that met: one line
// per consultant and month, in consultant then month order, each session
// at its own minutes, at the consultant's rate. A session co-led by two
// consultants is on each one's line. The same input always gets the same
// lines.
//
// Errors: [bsk.CodeInvalid] for bad rates or month; [bsk.CodeConflict]
// naming the first session (in ID order) that is already invoiced, since
// hours are never billed twice.
func Invoice(in InvoiceInput) ([]InvoiceLine, error) {
	if err := in.Rates.Validate(); err != nil {
		return nil, err
	}
	if in.Month != "" {
		if _, err := time.Parse("2006-01", in.Month); err != nil {
			return nil, bsk.Errors{bsk.Invalidf("month", "%q is not a month such as 2026-03", in.Month)}
		}
	}
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	rc := make(map[bsk.OfferingID]*bsk.Offering, len(in.Offerings))
	for i := range in.Offerings {
		if o := &in.Offerings[i]; o.Kind == bsk.OfferingReflectiveConsultation && len(o.Leaders) > 0 {
			rc[o.ID] = o
		}
	}
	met := make(map[bsk.SessionID]bool, len(in.Sessions))
	for _, a := range in.Attendance {
		met[a.SessionID] = true
	}
	type key struct {
		who   bsk.ProviderID
		month string
	}
	lines := map[key]*InvoiceLine{}
	var billed []bsk.SessionID
	for _, s := range in.Sessions {
		o, ok := rc[s.OfferingID]
		if !ok || !met[s.ID] {
			continue
		}
		month := s.Starts.In(loc).Format("2006-01")
		if in.Month != "" && month != in.Month {
			continue
		}
		billed = append(billed, s.ID)
		for _, who := range o.Leaders {
			k := key{who, month}
			l := lines[k]
			if l == nil {
				l = &InvoiceLine{Consultant: who, Month: month, RateCents: in.Rates.Of(who)}
				lines[k] = l
			}
			l.Sessions = append(l.Sessions, s.ID)
			l.Minutes += s.Minutes
		}
	}
	slices.Sort(billed)
	for _, id := range billed {
		if inv, ok := in.Invoiced[id]; ok {
			return nil, bsk.Errorf(bsk.CodeConflict, "session %q is already on invoice %q: hours are never invoiced twice", id, inv)
		}
	}
	out := make([]InvoiceLine, 0, len(lines))
	for _, l := range lines {
		slices.Sort(l.Sessions)
		l.AmountCents = amount(l.Minutes, l.RateCents)
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b InvoiceLine) int {
		if a.Consultant != b.Consultant {
			return compare(a.Consultant, b.Consultant)
		}
		return compare(a.Month, b.Month)
	})
	return out, nil
}

func compare[T ~string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// amount is minutes at an hourly rate, rounded half up to the cent.
func amount(minutes int, rate int64) int64 { return (int64(minutes)*rate + 30) / 60 }

// InvoiceHeader is the header row [WriteInvoiceCSV] writes.
var InvoiceHeader = []string{"consultant", "month", "sessions", "minutes", "hours", "rate", "amount"}

// WriteInvoiceCSV writes lines as CSV, with [InvoiceHeader]: the sessions
// joined by spaces, hours to two decimals, the rate and the amount in
// dollars and cents ("125.00").
func WriteInvoiceCSV(w io.Writer, lines []InvoiceLine) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(InvoiceHeader); err != nil {
		return err
	}
	for _, l := range lines {
		sessions := ""
		for i, s := range l.Sessions {
			if i > 0 {
				sessions += " "
			}
			sessions += string(s)
		}
		row := []string{string(l.Consultant), l.Month, sessions, strconv.Itoa(l.Minutes),
			strconv.FormatFloat(l.Hours(), 'f', 2, 64), Dollars(l.RateCents), Dollars(l.AmountCents)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Dollars renders cents as dollars and cents, without separators and
// with a sign only when negative: 12550 is "125.50", -5 is "-0.05".
func Dollars(cents int64) string {
	sign := ""
	u := uint64(cents)
	if cents < 0 {
		sign, u = "-", uint64(-cents)
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
