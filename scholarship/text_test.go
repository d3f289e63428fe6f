package scholarship_test

import (
	"testing"

	"github.com/beststarts/workforce/scholarship"
)

// Parameters read in the reader's language: categories, levels, education
// and languages by their names, amounts as dollars, whole numbers without
// decimals.
func TestTextParamsInReadersLanguage(t *testing.T) {
	tests := []struct {
		r    scholarship.Reason
		l    scholarship.Lang
		want string
	}{
		{scholarship.Reason{Code: scholarship.CodeCategoryNotCovered, Params: map[string]string{"category": "books"}}, scholarship.SpanishText,
			"Este ciclo no cubre los libros."},
		{scholarship.Reason{Code: scholarship.CodeCategoryNotCovered, Params: map[string]string{"category": "release_time"}}, scholarship.EnglishText,
			"This cycle does not cover release time."},
		{scholarship.Reason{Code: scholarship.CodeCategoryNotCovered, Params: map[string]string{"category": "books"}}, scholarship.VietnameseText,
			"Đợt này không chi trả sách."},
		{scholarship.Reason{Code: scholarship.CodeAboveCombinedCap, Params: map[string]string{"categories": "tuition, fees", "requested": "970000", "cap": "900000"}}, scholarship.SpanishText,
			"Pidió $9,700.00 para la matrícula y las cuotas en conjunto; lo máximo que paga este ciclo por ellos en conjunto es $9,000.00."},
		{scholarship.Reason{Code: "awarded", Params: map[string]string{"amount": "125000"}}, scholarship.ChineseText,
			"您获得 $1,250.00 的奖学金。"},
		{scholarship.Reason{Code: scholarship.CodeRenewalHoursShort, Params: map[string]string{"level": "infant_family_specialist", "due": "2027-03-15", "required": "15", "missing": "5.00"}}, scholarship.EnglishText,
			"To renew Infant Family Specialist by 2027-03-15 you need 15 hours of training this year; 5 more are needed."},
		{scholarship.Reason{Code: scholarship.CodeRenewalHoursShort, Params: map[string]string{"level": "infant_family_specialist", "due": "2027-03-15", "required": "15", "missing": "2.50"}}, scholarship.EnglishText,
			"To renew Infant Family Specialist by 2027-03-15 you need 15 hours of training this year; 2.50 more are needed."},
		{scholarship.Reason{Code: scholarship.CodeEducationRequired, Params: map[string]string{"required": "associate"}}, scholarship.SpanishText,
			"Este programa requiere un título asociado o un nivel superior."},
		// Reviewer assignment gives the language by its English name.
		{scholarship.Reason{Code: scholarship.CodeReviewNoLanguage, Params: map[string]string{"needed": "2", "available": "1", "assigned": "1", "language": "Somali"}}, scholarship.SpanishText,
			"Esta solicitud necesita 2 revisores que lean somalí; hay 1, así que tiene 1."},
		// A language without the text reads English, parameters too.
		{scholarship.Reason{Code: scholarship.CodeAboveCombinedCap, Params: map[string]string{"categories": "tuition, fees", "requested": "970000", "cap": "900000"}}, scholarship.KoreanText,
			"You asked for $9,700.00 for tuition and fees together; the most this cycle pays for them together is $9,000.00."},
		{scholarship.Reason{Code: scholarship.CodeCategoryNotCovered, Params: map[string]string{"category": "books"}}, "fr",
			"This cycle does not cover books."},
		// A value is never read as a placeholder.
		{scholarship.Reason{Code: scholarship.CodeAgencyNotYoungChild, Params: map[string]string{"organization": "{cap} Center"}}, scholarship.EnglishText,
			"{cap} Center does not serve children under five and their families."},
	}
	for _, tc := range tests {
		if got := tc.r.Text(tc.l); got != tc.want {
			t.Errorf("%s.Text(%q) = %q; want %q", tc.r.Code, tc.l, got, tc.want)
		}
	}
}

// An eligible decision says which requirements it met.
func TestEligibleText(t *testing.T) {
	rec := scholarship.DecisionRecord{Outcome: scholarship.Eligible, Rules: []scholarship.RuleInfo{
		{Name: "king_county_agency"}, {Name: "qualifying_program"}, {Name: "agency_six_months"}}}
	tests := []struct {
		rec  scholarship.DecisionRecord
		l    scholarship.Lang
		want string
	}{
		{rec, scholarship.EnglishText, "Your application meets every requirement of this cycle: you work at, or are hired by, a King County agency serving children under five; you are enrolled in a qualifying degree or certificate program. It also meets the program's own rules (1)."},
		{rec, scholarship.SpanishText, "Su solicitud cumple todos los requisitos de este ciclo: trabaja en una agencia del condado de King que atiende a niños menores de cinco años, o fue contratado por una; está inscrito en un programa de título o certificado que califica. También cumple las reglas propias del programa (1)."},
		{scholarship.DecisionRecord{Outcome: scholarship.Eligible, Rules: []scholarship.RuleInfo{{Name: "statewide_agency"}}}, scholarship.ChineseText,
			"您的申请符合本周期的所有要求：您在为五岁以下儿童服务的机构工作或已被录用。"},
		{scholarship.DecisionRecord{Outcome: scholarship.Eligible, Rules: []scholarship.RuleInfo{{Name: "agency_six_months"}}}, scholarship.SomaliText,
			"Codsigaagu wuxuu buuxiyaa dhammaan shuruudaha wareegan."},
		{scholarship.DecisionRecord{Outcome: scholarship.Ineligible, Rules: rec.Rules}, scholarship.EnglishText, ""},
	}
	for _, tc := range tests {
		if got := scholarship.EligibleText(tc.rec, tc.l); got != tc.want {
			t.Errorf("EligibleText(%v, %q) = %q; want %q", tc.rec.Rules, tc.l, got, tc.want)
		}
	}
}

// An agency's texts fall back to English in a language they lack, and
// cannot reword the package's own reasons.
func TestTextsFallback(t *testing.T) {
	texts := scholarship.Texts{
		"agency_six_months":      {scholarship.EnglishText: "You have worked {months} months at your agency.", scholarship.SpanishText: "Ha trabajado {months} meses en su agencia."},
		scholarship.CodeDeclined: {scholarship.EnglishText: "reworded"},
	}
	r := scholarship.Reason{Code: "agency_six_months", Params: map[string]string{"months": "4"}}
	if got, want := texts.Text(r, scholarship.SomaliText), "You have worked 4 months at your agency."; got != want {
		t.Errorf("Somali = %q; want %q", got, want)
	}
	if got, want := texts.Text(r, scholarship.SpanishText), "Ha trabajado 4 meses en su agencia."; got != want {
		t.Errorf("Spanish = %q; want %q", got, want)
	}
	if got := texts.Text(scholarship.Reason{Code: scholarship.CodeDeclined}, scholarship.EnglishText); got == "reworded" {
		t.Errorf("a caller's text reworded the package's reason: %q", got)
	}
}

func TestLanguages(t *testing.T) {
	want := []scholarship.Lang{"en", "es", "zh", "vi", "ru", "ko", "so"}
	got := scholarship.Languages()
	if len(got) != len(want) {
		t.Fatalf("Languages() = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] || got[i].Name() == string(got[i]) {
			t.Errorf("Languages()[%d] = %q (%q); want %q with its own name", i, got[i], got[i].Name(), want[i])
		}
	}
}
