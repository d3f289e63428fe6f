package scholarship

import "slices"

// WithheldPool is the pool an award shows to a reader who may not see
// demographics, in a cycle with a set-aside for a demographic group.
const WithheldPool = "withheld"

// demographicPools reports whether the cycle sets money aside by a
// demographic criterion.
func demographicPools(c Cycle) bool {
	return slices.ContainsFunc(c.Pools, func(p Pool) bool { return p.Criterion.Demographic() })
}

// WithoutDemographics returns the record as a reader who may not see the
// applicant's demographics may read it: the score without the lines of
// demographic criteria ([Score.WithoutDemographics]), and, when the cycle
// has a set-aside for a demographic group ([PoolCriterion.Demographic]),
// the award's pool and its top-ups' pools shown as [WithheldPool]. The inputs hash stays: it is
// keyed, so it reveals nothing without the key.
//
// The rank and the award still follow from the whole score, by design: a
// reader who recomputes every other line from the application can tell
// that an application ranks higher than those lines explain.
func (r DecisionRecord) WithoutDemographics() DecisionRecord {
	r.Score = r.Score.WithoutDemographics()
	if r.Award != nil && demographicPools(r.Cycle) {
		aw := withheldPools(*r.Award)
		r.Award = &aw
	}
	return r
}

// WithoutDemographics returns the allocation as a reader who may not see
// applicants' demographics may read it. When the cycle has a set-aside for
// a demographic group, every award's pool is [WithheldPool] and the awards
// are listed by rank, not in the order they were made (set-asides first),
// which would tell who drew on the set-aside. Otherwise the allocation is
// returned as it is.
func (al Allocation) WithoutDemographics(c Cycle) Allocation {
	if !demographicPools(c) {
		return al
	}
	awards := slices.Clone(al.Awards)
	for i := range awards {
		awards[i] = withheldPools(awards[i])
	}
	slices.SortStableFunc(awards, func(x, y Award) int { return x.Rank - y.Rank })
	al.Awards = awards
	return al
}

// withheldPools shows every pool an award drew on, its top-ups' too, as
// [WithheldPool]: a top-up from the general pool would tell that the
// award began in a set-aside.
func withheldPools(aw Award) Award {
	aw.Pool = WithheldPool
	if len(aw.TopUps) > 0 {
		tops := slices.Clone(aw.TopUps)
		for i := range tops {
			tops[i].Pool = WithheldPool
		}
		aw.TopUps = tops
	}
	return aw
}
