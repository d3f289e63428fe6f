package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/scholarship"
)

// decisionsIn reads a run's decisions with an Accept-Language header and
// returns them by application with the answer's Content-Language.
func decisionsIn(t *testing.T, s *server, key, path, accept string) (map[string]app.Decision, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path+"/decisions?limit=500", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept-Language", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("decisions in %q: %d", accept, resp.StatusCode)
	}
	var page app.Page[app.Decision]
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	out := map[string]app.Decision{}
	for _, d := range page.Items {
		out[d.ApplicationID] = d
	}
	return out, resp.Header.Get("Content-Language")
}

// Decisions read in the language Accept-Language prefers among those the
// county serves (q-values honored), English when none is served; an
// eligible decision says which requirements it met; a category reads by
// its name in the reader's language.
func TestDecisionLanguages(t *testing.T) {
	s := start(t, backends(t)[0], true)
	coord := s.key("coordinator", "", "")
	s.expect(201, "POST", "/api/v1/programs", coord, esitProgram(19_000_00))
	staff := staffOf(t, s, "org-001")
	agency := s.key("agency", "org-001", "")
	cyc := "/api/v1/programs/esit/cycles/2026"
	ids := map[string]string{}
	travel := application(staff[1].ID, "travel", 24, 40)
	travel.Requested[scholarship.TravelExpenses] = 100_00
	for _, a := range []scholarship.Application{application(staff[0].ID, "ana", 24, 40), travel, application(staff[2].ID, "short", 2, 40)} {
		var got scholarship.Application
		s.expect(201, "POST", cyc+"/applications", agency, a).json(t, &got)
		ids[a.Applicant.Name] = got.ID
	}
	var run app.CycleRun
	s.expect(201, "POST", cyc+"/runs", coord, nil).json(t, &run)
	path := cyc + "/runs/" + run.ID

	for _, tc := range []struct {
		accept, lang string
		ana, short   string // a text each decision must hold
	}{
		{"", "en", "Your application meets every requirement of this cycle: you work at, or are hired by, a King County agency serving children under five;",
			"You have worked 2 months at your agency; 3 are required."},
		{"es-US,es;q=0.9", "es", "Su solicitud cumple todos los requisitos de este ciclo: trabaja en una agencia del condado de King",
			"Ha trabajado 2 meses en su agencia; se requieren 3."},
		{"es;q=0.1, vi;q=0.9", "vi", "Đơn của quý vị đáp ứng mọi yêu cầu của đợt này:",
			"Quý vị đã làm việc 2 tháng tại cơ quan; yêu cầu là 3 tháng."},
		{"ko-KR,ko;q=0.9,en;q=0.5", "ko", "귀하의 신청서는 이번 회차의 모든 요건을 충족합니다",
			"기관에서 2개월 근무하셨습니다. 3개월이 필요합니다."},
		{"zh-CN", "zh", "您的申请符合本周期的所有要求", "您在机构工作了 2 个月；要求 3 个月。"},
		{"ru", "ru", "Ваша заявка соответствует всем требованиям этого цикла", "Ваш стаж в организации (в месяцах): 2; требуется: 3."},
		{"so-SO", "so", "Codsigaagu wuxuu buuxiyaa dhammaan shuruudaha wareegan", "Waxaad hay'addaada ka shaqaysay 2 bilood; waxaa loo baahan yahay 3."},
		{"fr-CA,fr;q=0.9", "en", "Your application meets every requirement of this cycle:", "You have worked 2 months at your agency; 3 are required."},
	} {
		ds, lang := decisionsIn(t, s, agency, path, tc.accept)
		if lang != tc.lang || ds[ids["ana"]].Language != tc.lang {
			t.Errorf("Accept-Language %q: Content-Language %q, decision language %q; want %q", tc.accept, lang, ds[ids["ana"]].Language, tc.lang)
		}
		for who, want := range map[string]string{"ana": tc.ana, "short": tc.short} {
			texts := ds[ids[who]].Texts
			if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, want) }) {
				t.Errorf("Accept-Language %q: %s's texts = %q; want one holding %q", tc.accept, who, texts, want)
			}
		}
	}
	es, _ := decisionsIn(t, s, agency, path, "es")
	if texts := strings.Join(es[ids["travel"]].Texts, " "); !strings.Contains(texts, "Este ciclo no cubre los gastos de viaje.") || strings.Contains(texts, "travel") {
		t.Errorf("Spanish texts = %q; want the category by its Spanish name", texts)
	}
}
