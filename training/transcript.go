package training

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Hours are hours by credit kind.
type Hours struct {
	// Training are hours that count as training.
	Training float64 `json:"training"`
	// Reflective are hours of reflective supervision or consultation.
	Reflective float64 `json:"reflective"`
}

func (h *Hours) add(c bsk.Credit, x float64) {
	if c == bsk.CreditReflective {
		h.Reflective += x
	} else {
		h.Training += x
	}
}

// KeyedHours are the hours of one competency area or one year.
type KeyedHours struct {
	// Key is the competency area or the year.
	Key string `json:"key"`
	Hours
}

// Transcript is one provider's record of sessions attended: every line,
// and hours by credit kind, by competency area and by year.
type Transcript struct {
	// ProviderID is whose transcript it is.
	ProviderID bsk.ProviderID `json:"provider_id"`
	// Lines lists each session attended, in time order.
	Lines []bsk.TranscriptLine `json:"lines"`
	// Total is the hours of every line.
	Total Hours `json:"total"`
	// ByCompetency sums the lines of offerings that have a competency area
	// (their topic), by area in order of name.
	ByCompetency []KeyedHours `json:"by_competency"`
	// ByYear sums the lines by calendar year (UTC), oldest first.
	ByYear []KeyedHours `json:"by_year"`
}

// Transcript returns the transcript of provider who from attendance. Each
// line's credit is its session's ([bsk.Session.CreditFor]): a community
// of leaders' quarterly training counts as training hours and its
// mentorship sessions as reflective, whatever credit a record carries.
// Records of other providers are skipped. Errors: an unknown provider, or
// a record of who's for an unknown session ([bsk.CodeNotFound], the field
// naming the record: "attendance[i].session_id").
func (c *Catalog) Transcript(attendance []bsk.Attendance, who bsk.ProviderID) (Transcript, error) {
	if _, ok := c.providers[who]; !ok {
		return Transcript{}, bsk.NotFoundf("provider_id", "unknown provider %q", who)
	}
	t := Transcript{ProviderID: who, Lines: []bsk.TranscriptLine{}, ByCompetency: []KeyedHours{}, ByYear: []KeyedHours{}}
	for i := range attendance {
		a := &attendance[i]
		if a.ProviderID != who {
			continue
		}
		s, o, ok := c.sessionAndOffering(a.SessionID)
		if !ok {
			return Transcript{}, bsk.NotFoundf(bsk.Index("attendance", i)+".session_id", "unknown session %q", a.SessionID)
		}
		t.Lines = append(t.Lines, bsk.TranscriptLine{SessionID: s.ID, OfferingID: o.ID, Title: o.Title, Competency: o.Topic,
			On: s.Starts, Hours: a.Hours, Credit: s.CreditFor(o.Kind)})
	}
	slices.SortStableFunc(t.Lines, func(a, b bsk.TranscriptLine) int {
		if x := a.On.Compare(b.On); x != 0 {
			return x
		}
		return cmp.Compare(a.SessionID, b.SessionID)
	})
	comp := map[string]*Hours{}
	year := map[string]*Hours{}
	for _, l := range t.Lines {
		t.Total.add(l.Credit, l.Hours)
		if l.Competency != "" {
			h := comp[l.Competency]
			if h == nil {
				h = &Hours{}
				comp[l.Competency] = h
			}
			h.add(l.Credit, l.Hours)
		}
		y := itoa(l.On.Year())
		h := year[y]
		if h == nil {
			h = &Hours{}
			year[y] = h
		}
		h.add(l.Credit, l.Hours)
	}
	t.ByCompetency = keyed(comp)
	t.ByYear = keyed(year)
	return t, nil
}

func keyed(m map[string]*Hours) []KeyedHours {
	out := make([]KeyedHours, 0, len(m))
	for k, h := range m {
		out = append(out, KeyedHours{Key: k, Hours: *h})
	}
	slices.SortFunc(out, func(a, b KeyedHours) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// ProviderProgress is one provider's endorsement progress.
type ProviderProgress struct {
	// ProviderID is whose progress it is.
	ProviderID bsk.ProviderID `json:"provider_id"`
	scholarship.Progress
}

// DatedHours returns every provider's dated hours from attendance, each on
// its session's start and with its session's credit, in one pass. Errors:
// a record for an unknown session or provider ([bsk.CodeNotFound], the
// field naming the record).
func (c *Catalog) DatedHours(attendance []bsk.Attendance) (map[bsk.ProviderID][]scholarship.DatedHours, error) {
	out := make(map[bsk.ProviderID][]scholarship.DatedHours, len(c.w.Providers))
	for i := range attendance {
		a := &attendance[i]
		s, o, ok := c.sessionAndOffering(a.SessionID)
		if !ok {
			return nil, bsk.NotFoundf(bsk.Index("attendance", i)+".session_id", "unknown session %q", a.SessionID)
		}
		if _, ok := c.providers[a.ProviderID]; !ok {
			return nil, bsk.NotFoundf(bsk.Index("attendance", i)+".provider_id", "unknown provider %q", a.ProviderID)
		}
		kind := scholarship.TrainingHoursKind
		if s.CreditFor(o.Kind) == bsk.CreditReflective {
			kind = scholarship.ReflectiveHoursKind
		}
		out[a.ProviderID] = append(out[a.ProviderID], scholarship.DatedHours{Kind: kind, Hours: a.Hours, On: s.Starts})
	}
	return out, nil
}

// Progress returns the endorsement progress of every provider who does not
// lead groups, in the catalog's order, on asOf: [scholarship.ProgressOf]
// over [scholarship.RecordOf] with the hours attendance earned
// ([Catalog.DatedHours]) and prior, the hours each earned elsewhere (nil:
// none). Errors: those of DatedHours, and a cancelled context.
func (c *Catalog) Progress(ctx context.Context, attendance []bsk.Attendance, prior map[bsk.ProviderID][]scholarship.DatedHours, asOf time.Time, opts scholarship.ProgressOptions) ([]ProviderProgress, error) {
	hours, err := c.DatedHours(attendance)
	if err != nil {
		return nil, err
	}
	out := make([]ProviderProgress, 0, len(c.w.Providers))
	for i, p := range c.w.Providers {
		if p.Role.Leads() {
			continue
		}
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		h := hours[p.ID]
		if extra := prior[p.ID]; len(extra) > 0 {
			h = append(slices.Clip(h), extra...)
		}
		out = append(out, ProviderProgress{ProviderID: p.ID, Progress: scholarship.ProgressOf(scholarship.RecordOf(p, h, asOf), asOf, opts)})
	}
	return out, nil
}
