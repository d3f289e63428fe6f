package bsk

// Workforce is a whole data set: organizations, their providers, the
// offerings and their sessions, and attendance. It is the unit that files
// and the synthetic generator exchange.
type Workforce struct {
	// Organizations lists every organization.
	Organizations []Organization `json:"organizations"`
	// Providers lists every provider.
	Providers []Provider `json:"providers"`
	// Offerings lists every offering.
	Offerings []Offering `json:"offerings,omitempty"`
	// Sessions lists every session of the offerings.
	Sessions []Session `json:"sessions,omitempty"`
	// Attendance lists every attendance record.
	Attendance []Attendance `json:"attendance,omitempty"`
}

// Validate validates every element and the references between them:
// duplicate IDs ([CodeConflict]), references to unknown organizations,
// providers, offerings or sessions ([CodeNotFound]), a supervisor in another
// organization, and cycles in reporting lines. Every problem is reported,
// with its path, for example `providers[3].languages[0]`.
func (w Workforce) Validate() error {
	var p Problems
	orgs := make(map[OrganizationID]int, len(w.Organizations))
	for i, o := range w.Organizations {
		f := Index("organizations", i)
		p.Merge(f, o.Validate())
		if j, dup := orgs[o.ID]; dup && o.ID != "" {
			p.AddCode(CodeConflict, JoinField(f, "id"), "duplicate organization id %q (also organizations[%d])", o.ID, j)
			continue
		}
		orgs[o.ID] = i
	}
	provs := make(map[ProviderID]int, len(w.Providers))
	for i, v := range w.Providers {
		f := Index("providers", i)
		p.Merge(f, v.Validate())
		if j, dup := provs[v.ID]; dup && v.ID != "" {
			p.AddCode(CodeConflict, JoinField(f, "id"), "duplicate provider id %q (also providers[%d])", v.ID, j)
			continue
		}
		provs[v.ID] = i
	}
	for i, v := range w.Providers {
		f := Index("providers", i)
		if _, ok := orgs[v.OrganizationID]; !ok && v.OrganizationID != "" {
			p.AddCode(CodeNotFound, JoinField(f, "organization_id"), "unknown organization %q", v.OrganizationID)
		}
		if v.ReportsTo == "" || v.ReportsTo == v.ID {
			continue
		}
		j, ok := provs[v.ReportsTo]
		if !ok {
			p.AddCode(CodeNotFound, JoinField(f, "reports_to"), "unknown provider %q", v.ReportsTo)
			continue
		}
		if w.Providers[j].OrganizationID != v.OrganizationID {
			p.Add(JoinField(f, "reports_to"), "supervisor %q works for another organization", v.ReportsTo)
		}
		if reportingCycle(w.Providers, provs, i) {
			p.Add(JoinField(f, "reports_to"), "reporting line from %q loops back to it", v.ID)
		}
	}
	offs := make(map[OfferingID]int, len(w.Offerings))
	for i, o := range w.Offerings {
		f := Index("offerings", i)
		p.Merge(f, o.Validate())
		if j, dup := offs[o.ID]; dup && o.ID != "" {
			p.AddCode(CodeConflict, JoinField(f, "id"), "duplicate offering id %q (also offerings[%d])", o.ID, j)
		} else {
			offs[o.ID] = i
		}
		for k, id := range o.Leaders {
			if _, ok := provs[id]; !ok && id != "" {
				p.AddCode(CodeNotFound, JoinField(f, Index("leaders", k)), "unknown provider %q", id)
			}
		}
		if _, ok := orgs[o.OrganizationID]; !ok && o.OrganizationID != "" {
			p.AddCode(CodeNotFound, JoinField(f, "organization_id"), "unknown organization %q", o.OrganizationID)
		}
	}
	sess := make(map[SessionID]int, len(w.Sessions))
	for i, s := range w.Sessions {
		f := Index("sessions", i)
		p.Merge(f, s.Validate())
		if j, dup := sess[s.ID]; dup && s.ID != "" {
			p.AddCode(CodeConflict, JoinField(f, "id"), "duplicate session id %q (also sessions[%d])", s.ID, j)
		} else {
			sess[s.ID] = i
		}
		if _, ok := offs[s.OfferingID]; !ok && s.OfferingID != "" {
			p.AddCode(CodeNotFound, JoinField(f, "offering_id"), "unknown offering %q", s.OfferingID)
		}
	}
	type seen struct {
		s SessionID
		p ProviderID
	}
	att := make(map[seen]int, len(w.Attendance))
	for i, a := range w.Attendance {
		f := Index("attendance", i)
		p.Merge(f, a.Validate())
		if _, ok := sess[a.SessionID]; !ok && a.SessionID != "" {
			p.AddCode(CodeNotFound, JoinField(f, "session_id"), "unknown session %q", a.SessionID)
		}
		if _, ok := provs[a.ProviderID]; !ok && a.ProviderID != "" {
			p.AddCode(CodeNotFound, JoinField(f, "provider_id"), "unknown provider %q", a.ProviderID)
		}
		k := seen{a.SessionID, a.ProviderID}
		if j, dup := att[k]; dup {
			p.AddCode(CodeConflict, f, "provider %q already recorded for session %q (attendance[%d])", a.ProviderID, a.SessionID, j)
		} else {
			att[k] = i
		}
	}
	return p.Err()
}

// reportingCycle reports whether following reports_to from providers[i]
// returns to it.
func reportingCycle(ps []Provider, index map[ProviderID]int, i int) bool {
	start := ps[i].ID
	cur := ps[i].ReportsTo
	for steps := 0; steps < len(ps); steps++ {
		if cur == "" {
			return false
		}
		if cur == start {
			return true
		}
		j, ok := index[cur]
		if !ok || ps[j].ReportsTo == cur {
			return false
		}
		cur = ps[j].ReportsTo
	}
	return false
}
