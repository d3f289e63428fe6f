package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

// The Audience and SameOrganization rules' reasons read in the reader's
// language, roles by their names, never a code.
func TestTextOfRuleReasons(t *testing.T) {
	rules := scholarship.RuleSet[training.Applicant]{Rules: []scholarship.Rule[training.Applicant]{
		training.Audience("leaders", training.AudiencePeriod{From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC),
			Roles: []bsk.Role{bsk.RoleSupervisor, bsk.RoleDirector}}),
		training.SameOrganization(),
	}}
	a := training.Applicant{
		Provider:     bsk.Provider{ID: "p1", Role: bsk.RoleDirectService, OrganizationID: "org-a"},
		Organization: bsk.Organization{ID: "org-a", Name: "Open Arms"},
		Offering:     bsk.Offering{ID: "rc-1", OrganizationID: "org-b"},
		On:           time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
	}
	v := rules.Evaluate(context.Background(), []training.Applicant{a})[0]
	if len(v.Reasons) != 2 {
		t.Fatalf("reasons = %+v; want the role and the organization", v.Reasons)
	}
	tests := []struct {
		r    scholarship.Reason
		l    scholarship.Lang
		want string
	}{
		{v.Reasons[0], scholarship.EnglishText, "This offering is open to supervisors or directors, not to direct service staff."},
		{v.Reasons[0], scholarship.SpanishText, "Esta actividad está abierta a supervisores o directores, no a personal de servicio directo."},
		{v.Reasons[0], scholarship.ChineseText, "此课程面向主管、负责人，不面向直接服务人员。"},
		{v.Reasons[1], scholarship.SpanishText, "Esta actividad es para el personal de otra organización."},
		{v.Reasons[1], "fr", "This offering is run for the staff of another organization."},
		{scholarship.Reason{Code: training.ReasonLeaderTraining, Params: map[string]string{"requirement": "intergroup_dialogue", "hours": "10.5", "needed": "12"}}, scholarship.KoreanText,
			"집단 간 대화을(를) 아직 마치지 않았습니다: 12시간 중 10.5시간."},
	}
	for _, tc := range tests {
		if got := training.Text(tc.r, tc.l); got != tc.want {
			t.Errorf("Text(%s, %q) = %q; want %q", tc.r.Code, tc.l, got, tc.want)
		}
	}
}
