package training

import (
	"cmp"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// ReachOptions configure [Catalog.Reach]. The zero value reports the
// monthly trainings under Washington's small-numbers standard.
type ReachOptions struct {
	// Kinds lists the offering kinds counted; nil means trainings only.
	Kinds []bsk.OfferingKind `json:"kinds,omitempty"`
	// Disclosure is the disclosure-control standard every table goes
	// through; the zero value means [survey.WADOH].
	Disclosure survey.Disclosure `json:"disclosure"`
}

// The dimensions of [Reach.Shares].
const (
	ShareRole     = "role"
	ShareRegion   = "region"
	ShareRural    = "rural"
	ShareLanguage = "language"
	ShareAgency   = "organization_kind"
	ShareGrantee  = "grantee"
)

// Share is the attendees of one dimension, by group: a row per group
// (unknown included, so the rows partition the attendees), a column "all"
// for the period and one per month ("2026-01").
type Share struct {
	// Dimension is one of the Share constants.
	Dimension string `json:"dimension"`
	// Table is the protected counts.
	Table survey.ProtectedCounts `json:"table"`
}

// MonthRate is one month's return rate.
type MonthRate struct {
	// Month is the month, as "2026-01".
	Month string `json:"month"`
	// Rate is the share of the month's attendees who attend in the next
	// calendar month, or nil when either count is hidden by disclosure
	// control or no session falls in the next month.
	Rate *float64 `json:"rate"`
}

// Reach is who the sessions reach and who comes back, every count through
// disclosure control.
type Reach struct {
	// Disclosure names the standard applied.
	Disclosure string `json:"disclosure"`
	// Sessions has a row per session (in time order) and columns
	// "attendees" and "first_time" (attending any counted session for the
	// first time).
	Sessions survey.ProtectedCounts `json:"sessions"`
	// Months has a row per month with a session and columns "attendees"
	// (distinct), "returned_next_month" (of them, those who attend in the
	// next calendar month) and "first_time".
	Months survey.ProtectedCounts `json:"months"`
	// ReturnRate is returned_next_month / attendees, month by month.
	ReturnRate []MonthRate `json:"return_rate"`
	// Shares break the attendees down by role, region, rural or not
	// (where the agency is), language (the first language other than
	// English a provider works in, or "en"), agency kind and grantee or
	// not, overall and month by month.
	Shares []Share `json:"shares"`
}

func month(t time.Time) string { return t.UTC().Format("2006-01") }

// Reach reports attendance of the counted offerings: attendees and
// first-time attendees per session and per month, the monthly return rate
// (attendees of one month's sessions who attend the next month's), and
// shares by role, region, rural reach, language, agency kind and grantee,
// overall and by month. Every table goes through
// [survey.Disclosure.ProtectCounts]. Records of sessions of other kinds are
// skipped. Errors: a record for an unknown session or provider
// ([bsk.CodeNotFound], the field naming the record); an invalid
// disclosure standard.
func (c *Catalog) Reach(attendance []bsk.Attendance, opts ReachOptions) (Reach, error) {
	d := opts.Disclosure
	if d.Name == "" {
		d = survey.WADOH()
	}
	kinds := opts.Kinds
	if kinds == nil {
		kinds = []bsk.OfferingKind{bsk.OfferingTraining}
	}
	// Dense indexes: sessions counted, providers, months.
	sessIdx := map[bsk.SessionID]int{}
	var sess []*bsk.Session
	for i := range c.w.Sessions {
		s := &c.w.Sessions[i]
		if slices.Contains(kinds, c.w.Offerings[c.offerings[s.OfferingID]].Kind) {
			sess = append(sess, s)
		}
	}
	slices.SortStableFunc(sess, func(a, b *bsk.Session) int {
		if x := a.Starts.Compare(b.Starts); x != 0 {
			return x
		}
		return cmp.Compare(a.ID, b.ID)
	})
	var months []string
	sessMonth := make([]int, len(sess))
	for i, s := range sess {
		sessIdx[s.ID] = i
		m := month(s.Starts)
		if len(months) == 0 || months[len(months)-1] != m {
			months = append(months, m)
		}
		sessMonth[i] = len(months) - 1
	}
	// Per session, its attendees; per provider, the months attended.
	perSession := make([][]int, len(sess))
	provMonths := make(map[int][]bool)
	for i := range attendance {
		a := &attendance[i]
		si, ok := sessIdx[a.SessionID]
		if !ok {
			if _, known := c.sessions[a.SessionID]; !known {
				return Reach{}, bsk.NotFoundf(bsk.Index("attendance", i)+".session_id", "unknown session %q", a.SessionID)
			}
			continue
		}
		pi, ok := c.providers[a.ProviderID]
		if !ok {
			return Reach{}, bsk.NotFoundf(bsk.Index("attendance", i)+".provider_id", "unknown provider %q", a.ProviderID)
		}
		perSession[si] = append(perSession[si], pi)
		pm := provMonths[pi]
		if pm == nil {
			pm = make([]bool, len(months))
			provMonths[pi] = pm
		}
		pm[sessMonth[si]] = true
	}
	// First attendance: the first session (in time order) of each provider.
	first := map[int]int{}
	for si := range sess {
		for _, pi := range perSession[si] {
			if _, ok := first[pi]; !ok {
				first[pi] = si
			}
		}
	}
	var r Reach
	r.Disclosure = d.Name
	// Sessions table.
	st := survey.CountTable{Columns: []string{"attendees", "first_time"}, Totals: []int{0, 0}}
	for si, s := range sess {
		uniq := slices.Compact(slices.Sorted(slices.Values(perSession[si])))
		n, ft := len(uniq), 0
		for _, pi := range uniq {
			if first[pi] == si {
				ft++
			}
		}
		st.Rows = append(st.Rows, string(s.ID))
		st.Counts = append(st.Counts, []int{n, ft})
		st.Totals[0] += n
		st.Totals[1] += ft
	}
	var err error
	if r.Sessions, err = d.ProtectCounts(st); err != nil {
		return Reach{}, err
	}
	// Months table.
	mt := survey.CountTable{Rows: months, Columns: []string{"attendees", "returned_next_month", "first_time"}, Totals: []int{0, 0, 0}}
	mcounts := make([][]int, len(months))
	for m := range months {
		mcounts[m] = make([]int, 3)
	}
	for pi, pm := range provMonths {
		for m, in := range pm {
			if !in {
				continue
			}
			mcounts[m][0]++
			if m+1 < len(months) && nextMonth(months[m]) == months[m+1] && pm[m+1] {
				mcounts[m][1]++
			}
		}
		mcounts[sessMonth[first[pi]]][2]++
	}
	for m := range months {
		mt.Counts = append(mt.Counts, mcounts[m])
		for j := range 3 {
			mt.Totals[j] += mcounts[m][j]
		}
	}
	if r.Months, err = d.ProtectCounts(mt); err != nil {
		return Reach{}, err
	}
	r.ReturnRate = make([]MonthRate, len(months))
	for m := range months {
		r.ReturnRate[m] = MonthRate{Month: months[m]}
		n, back := r.Months.Counts[m][0], r.Months.Counts[m][1]
		hasNext := m+1 < len(months) && nextMonth(months[m]) == months[m+1]
		if hasNext && n != nil && back != nil && *n > 0 {
			x := float64(*back) / float64(*n)
			r.ReturnRate[m].Rate = &x
		}
	}
	// Shares.
	attendees := make([]int, 0, len(provMonths))
	for pi := range provMonths {
		attendees = append(attendees, pi)
	}
	slices.Sort(attendees)
	for _, dim := range []string{ShareRole, ShareRegion, ShareRural, ShareLanguage, ShareAgency, ShareGrantee} {
		t := c.shareTable(dim, attendees, provMonths, months)
		p, err := d.ProtectCounts(t)
		if err != nil {
			return Reach{}, err
		}
		r.Shares = append(r.Shares, Share{Dimension: dim, Table: p})
	}
	return r, nil
}

func nextMonth(m string) string {
	t, _ := time.Parse("2006-01", m)
	return month(t.AddDate(0, 1, 0))
}

// group returns provider pi's group in a share dimension.
func (c *Catalog) group(dim string, pi int) string {
	p := &c.w.Providers[pi]
	o := c.w.Organizations[c.orgs[p.OrganizationID]]
	switch dim {
	case ShareRole:
		return string(p.Role)
	case ShareRegion:
		if r := o.Place.Region(); r != "" {
			return string(r)
		}
	case ShareRural:
		if o.Place.Valid() && o.Place.InKingCounty() {
			if o.Place.Rural() {
				return "rural"
			}
			return "not_rural"
		}
	case ShareLanguage:
		for _, l := range p.Languages {
			if l != bsk.English {
				return string(l)
			}
		}
		return string(bsk.English)
	case ShareAgency:
		return string(o.Kind)
	case ShareGrantee:
		if o.Grantee {
			return "grantee"
		}
		return "not_grantee"
	}
	return "unknown"
}

func (c *Catalog) shareTable(dim string, attendees []int, provMonths map[int][]bool, months []string) survey.CountTable {
	t := survey.CountTable{Columns: append([]string{"all"}, months...), Totals: make([]int, len(months)+1)}
	rows := map[string][]int{}
	for _, pi := range attendees {
		g := c.group(dim, pi)
		row := rows[g]
		if row == nil {
			row = make([]int, len(months)+1)
			rows[g] = row
		}
		row[0]++
		t.Totals[0]++
		for m, in := range provMonths[pi] {
			if in {
				row[m+1]++
				t.Totals[m+1]++
			}
		}
	}
	t.Rows = make([]string, 0, len(rows))
	for g := range rows {
		t.Rows = append(t.Rows, g)
	}
	slices.Sort(t.Rows)
	for _, g := range t.Rows {
		t.Counts = append(t.Counts, rows[g])
	}
	return t
}
