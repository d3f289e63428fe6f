package training_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// leaderRecords: a four-hour Reflective Practice training, another
// training, and ten 90-minute intergroup dialogue sessions.
func leaderRecords() ([]bsk.Offering, []bsk.Session) {
	offs := []bsk.Offering{
		{ID: "rp", Kind: bsk.OfferingTraining, Title: "IECMH training: Reflective practice", Topic: "Reflective practice"},
		{ID: "att", Kind: bsk.OfferingTraining, Title: "IECMH training: Attachment", Topic: "Attachment"},
		{ID: "igd", Kind: bsk.OfferingIntergroupDialogue, Title: "Intergroup dialogue"},
	}
	sess := []bsk.Session{{ID: "rp-1", OfferingID: "rp", Minutes: 240}, {ID: "att-1", OfferingID: "att", Minutes: 240}}
	for i := range 10 {
		sess = append(sess, bsk.Session{ID: bsk.SessionID(fmt.Sprintf("igd-%d", i)), OfferingID: "igd",
			Starts: time.Date(2026, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC), Minutes: 90})
	}
	return offs, sess
}

func attended(who bsk.ProviderID, session bsk.SessionID, hours float64) bsk.Attendance {
	return bsk.Attendance{SessionID: session, ProviderID: who, Hours: hours, Credit: bsk.CreditTraining}
}

func TestLeaderRuleNamesWhatIsMissing(t *testing.T) {
	offs, sess := leaderRecords()
	var att []bsk.Attendance
	// ana: both; ben: the training, 7 dialogue sessions (10.5 h); cy: the
	// other training only.
	att = append(att, attended("ana", "rp-1", 4), attended("ben", "rp-1", 4), attended("cy", "att-1", 4))
	for i := range 10 {
		att = append(att, attended("ana", bsk.SessionID(fmt.Sprintf("igd-%d", i)), 1.5))
		if i < 7 {
			att = append(att, attended("ben", bsk.SessionID(fmt.Sprintf("igd-%d", i)), 1.5))
		}
	}
	leaders := training.LeadersOf([]bsk.ProviderID{"ana", "ben", "cy"}, offs, sess, att)
	got := scholarship.RuleSet[training.Leader]{Rules: []scholarship.Rule[training.Leader]{training.LeaderRule(nil)}}.Evaluate(context.Background(), leaders)
	missing := func(req, hours, needed string) scholarship.Reason {
		return scholarship.Reason{Code: training.ReasonLeaderTraining, Outcome: scholarship.Ineligible, Field: "attended",
			Rule: "leader_requirements", Version: "1", Params: map[string]string{"requirement": req, "hours": hours, "needed": needed}}
	}
	want := []scholarship.Verdict{
		{Outcome: scholarship.Eligible, Reasons: []scholarship.Reason{}},
		{Outcome: scholarship.Ineligible, Reasons: []scholarship.Reason{missing("intergroup_dialogue", "10.5", "12")}},
		{Outcome: scholarship.Ineligible, Reasons: []scholarship.Reason{missing("reflective_practice", "0", "4"), missing("intergroup_dialogue", "0", "12")}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("verdicts (-want +got)\n%s", d)
	}
	if s := training.LeaderReasonText(got[1].Reasons[0], "en"); s != "Has not yet completed intergroup dialogue: 10.5 of 12 hours." {
		t.Errorf("English text = %q", s)
	}
	if s := training.LeaderReasonText(got[2].Reasons[0], "es"); s != "Aún no completó la capacitación en Práctica Reflexiva: 0 de 4 horas." {
		t.Errorf("Spanish text = %q", s)
	}
}

func ExampleLeaderRule() {
	offs, sess := leaderRecords()
	att := []bsk.Attendance{attended("consultant-01", "rp-1", 4)}
	leaders := training.LeadersOf([]bsk.ProviderID{"consultant-01"}, offs, sess, att)
	set := scholarship.RuleSet[training.Leader]{Rules: []scholarship.Rule[training.Leader]{training.LeaderRule(nil)}}
	for _, v := range set.Evaluate(context.Background(), leaders) {
		fmt.Println(v.Outcome)
		for _, r := range v.Reasons {
			fmt.Println(training.LeaderReasonText(r, "en"))
		}
	}
	// Output:
	// ineligible
	// Has not yet completed intergroup dialogue: 0 of 12 hours.
}
