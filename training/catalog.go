package training

import (
	"fmt"

	"github.com/beststarts/workforce/bsk"
)

// Catalog indexes a program year: its organizations, providers, offerings
// and sessions, so that registration, interpretation, import, transcripts,
// progress and reach look each one up by ID. Attendance is kept outside it
// and passed to each call. A Catalog is read-only once made and safe for
// concurrent use.
type Catalog struct {
	w         bsk.Workforce
	orgs      map[bsk.OrganizationID]int
	providers map[bsk.ProviderID]int
	offerings map[bsk.OfferingID]int
	sessions  map[bsk.SessionID]int
	// bySession lists, per offering, its sessions' indexes in time order.
	byOffering map[bsk.OfferingID][]int
}

// NewCatalog indexes w's organizations, providers, offerings and sessions
// (its attendance is not read). It returns the problems of
// [bsk.Workforce.Validate] (invalid fields, duplicate IDs as
// [bsk.CodeConflict], unknown references as [bsk.CodeNotFound]), so that
// every later lookup can trust what it finds.
func NewCatalog(w bsk.Workforce) (*Catalog, error) {
	w.Attendance = nil
	if err := w.Validate(); err != nil {
		return nil, err
	}
	c := &Catalog{w: w,
		orgs:       make(map[bsk.OrganizationID]int, len(w.Organizations)),
		providers:  make(map[bsk.ProviderID]int, len(w.Providers)),
		offerings:  make(map[bsk.OfferingID]int, len(w.Offerings)),
		sessions:   make(map[bsk.SessionID]int, len(w.Sessions)),
		byOffering: make(map[bsk.OfferingID][]int, len(w.Offerings)),
	}
	for i, o := range w.Organizations {
		c.orgs[o.ID] = i
	}
	for i, p := range w.Providers {
		c.providers[p.ID] = i
	}
	for i, o := range w.Offerings {
		c.offerings[o.ID] = i
	}
	for i, s := range w.Sessions {
		c.sessions[s.ID] = i
		c.byOffering[s.OfferingID] = append(c.byOffering[s.OfferingID], i)
	}
	for _, idx := range c.byOffering {
		sortByStart(idx, w.Sessions)
	}
	return c, nil
}

// sortByStart orders session indexes by start, then ID (insertion sort:
// an offering has few sessions).
func sortByStart(idx []int, ss []bsk.Session) {
	less := func(a, b int) bool {
		if !ss[a].Starts.Equal(ss[b].Starts) {
			return ss[a].Starts.Before(ss[b].Starts)
		}
		return ss[a].ID < ss[b].ID
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && less(idx[j], idx[j-1]); j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}

// Provider returns the provider with id.
func (c *Catalog) Provider(id bsk.ProviderID) (bsk.Provider, bool) {
	i, ok := c.providers[id]
	if !ok {
		return bsk.Provider{}, false
	}
	return c.w.Providers[i], true
}

// Organization returns the organization with id.
func (c *Catalog) Organization(id bsk.OrganizationID) (bsk.Organization, bool) {
	i, ok := c.orgs[id]
	if !ok {
		return bsk.Organization{}, false
	}
	return c.w.Organizations[i], true
}

// Offering returns the offering with id.
func (c *Catalog) Offering(id bsk.OfferingID) (bsk.Offering, bool) {
	i, ok := c.offerings[id]
	if !ok {
		return bsk.Offering{}, false
	}
	return c.w.Offerings[i], true
}

// Session returns the session with id.
func (c *Catalog) Session(id bsk.SessionID) (bsk.Session, bool) {
	i, ok := c.sessions[id]
	if !ok {
		return bsk.Session{}, false
	}
	return c.w.Sessions[i], true
}

// Sessions returns an offering's sessions in time order.
func (c *Catalog) Sessions(id bsk.OfferingID) []bsk.Session {
	idx := c.byOffering[id]
	out := make([]bsk.Session, len(idx))
	for k, i := range idx {
		out[k] = c.w.Sessions[i]
	}
	return out
}

// Providers returns every provider, in the order given.
func (c *Catalog) Providers() []bsk.Provider { return append([]bsk.Provider(nil), c.w.Providers...) }

// Credit returns the kind of hours a session earns ([bsk.Session.CreditFor]
// with its offering's kind).
func (c *Catalog) Credit(id bsk.SessionID) (bsk.Credit, bool) {
	i, ok := c.sessions[id]
	if !ok {
		return "", false
	}
	s := c.w.Sessions[i]
	o := c.w.Offerings[c.offerings[s.OfferingID]]
	return s.CreditFor(o.Kind), true
}

// sessionAndOffering returns the session with id and its offering.
func (c *Catalog) sessionAndOffering(id bsk.SessionID) (*bsk.Session, *bsk.Offering, bool) {
	i, ok := c.sessions[id]
	if !ok {
		return nil, nil, false
	}
	s := &c.w.Sessions[i]
	return s, &c.w.Offerings[c.offerings[s.OfferingID]], true
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
