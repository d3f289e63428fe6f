package training

import (
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Requirement is one thing a leader completes before they lead groups:
// enough attended hours of offerings of a kind, and, when Topic is set,
// on that topic.
type Requirement struct {
	// Code names the requirement in reasons: "reflective_practice".
	Code string `json:"code"`
	// Kind is the kind of offering that counts.
	Kind bsk.OfferingKind `json:"kind"`
	// Topic, when set, must appear (ignoring case) in the offering's topic
	// or title.
	Topic string `json:"topic,omitempty"`
	// Hours is the attended hours that complete it, more than 0.
	Hours float64 `json:"hours"`
}

// counts reports whether attendance of o counts toward r.
func (r Requirement) counts(o bsk.Offering) bool {
	if o.Kind != r.Kind {
		return false
	}
	if r.Topic == "" {
		return true
	}
	t := strings.ToLower(r.Topic)
	return strings.Contains(strings.ToLower(o.Topic), t) || strings.Contains(strings.ToLower(o.Title), t)
}

// LeaderRequirements are the program's: the Reflective Practice training
// (one four-hour session) and intergroup dialogue (ten monthly sessions
// of 90 minutes, of which at least eight attended: 12 hours).
var LeaderRequirements = []Requirement{
	{Code: "reflective_practice", Kind: bsk.OfferingTraining, Topic: "reflective practice", Hours: 4},
	{Code: "intergroup_dialogue", Kind: bsk.OfferingIntergroupDialogue, Hours: 12},
}

// Leader is a prospective leader with the hours they attended, by
// offering. [LeadersOf] builds them from the records on file.
type Leader struct {
	// ID is the provider's ID.
	ID bsk.ProviderID `json:"id"`
	// Attended are the offerings they attended, with their hours.
	Attended []Attended `json:"attended,omitempty"`
}

// Attended is the hours one leader attended of one offering.
type Attended struct {
	// Offering is the offering attended.
	Offering bsk.Offering `json:"offering"`
	// Hours is the time attended of its sessions, summed.
	Hours float64 `json:"hours"`
}

// LeadersOf gathers, for each of ids, the hours they attended of each
// offering, in offering ID order. Attendance of a session or offering not
// given is ignored.
func LeadersOf(ids []bsk.ProviderID, offerings []bsk.Offering, sessions []bsk.Session, attendance []bsk.Attendance) []Leader {
	offIdx := make(map[bsk.OfferingID]int, len(offerings))
	for i, o := range offerings {
		offIdx[o.ID] = i
	}
	sessOff := make(map[bsk.SessionID]int, len(sessions))
	for _, s := range sessions {
		if i, ok := offIdx[s.OfferingID]; ok {
			sessOff[s.ID] = i
		}
	}
	want := make(map[bsk.ProviderID]map[int]float64, len(ids))
	for _, id := range ids {
		want[id] = map[int]float64{}
	}
	for _, a := range attendance {
		hours, ok := want[a.ProviderID]
		if !ok {
			continue
		}
		if i, ok := sessOff[a.SessionID]; ok {
			hours[i] += a.Hours
		}
	}
	out := make([]Leader, len(ids))
	for k, id := range ids {
		out[k].ID = id
		idx := make([]int, 0, len(want[id]))
		for i := range want[id] {
			idx = append(idx, i)
		}
		slices.SortFunc(idx, func(a, b int) int { return compare(offerings[a].ID, offerings[b].ID) })
		for _, i := range idx {
			out[k].Attended = append(out[k].Attended, Attended{Offering: offerings[i], Hours: want[id][i]})
		}
	}
	return out
}

// ReasonLeaderTraining is the code of a leader's missing requirement.
// Params: "requirement" (the [Requirement.Code]), "hours" (attended so
// far) and "needed".
const ReasonLeaderTraining = "leader_requirement_incomplete"

// LeaderRuleInfo names the leader rule.
var LeaderRuleInfo = scholarship.RuleInfo{Name: "leader_requirements", Version: "1",
	Description: "a leader has completed the Reflective Practice training and intergroup dialogue"}

// LeaderRule is the rule that a leader has completed every requirement
// (nil means [LeaderRequirements]); each one not yet complete gives an
// ineligible reason [ReasonLeaderTraining] naming it, the hours attended
// and the hours needed.
func LeaderRule(reqs []Requirement) scholarship.Rule[Leader] {
	if reqs == nil {
		reqs = LeaderRequirements
	}
	reqs = slices.Clone(reqs)
	return scholarship.Each(LeaderRuleInfo, func(l Leader) []scholarship.Reason {
		var out []scholarship.Reason
		for _, r := range reqs {
			var h float64
			for _, a := range l.Attended {
				if r.counts(a.Offering) {
					h += a.Hours
				}
			}
			if h+1e-9 >= r.Hours {
				continue
			}
			out = append(out, scholarship.Reason{Code: ReasonLeaderTraining, Outcome: scholarship.Ineligible, Field: "attended",
				Params: map[string]string{"requirement": r.Code, "hours": hoursText(h), "needed": hoursText(r.Hours)}})
		}
		return out
	})
}

func hoursText(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

// LeaderReasonText renders a leader rule's reason in language lang ("en",
// "es" or another of [scholarship.Languages]; English for any other), as
// [Text] does.
func LeaderReasonText(r scholarship.Reason, lang string) string {
	return Text(r, scholarship.Lang(lang))
}
