package grouping_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// emittedCodes reads the package's non-test sources and returns the codes
// its reasons carry: string literals (or constants) given as the Code of a
// Reason or Unmet literal, assigned to a variable named code, and the
// literal prefixes joined to an attribute ("no_group_shares_" + attr).
func emittedCodes(t *testing.T) (codes, prefixes []string) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	consts := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "reason_text") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	add := func(e ast.Expr) {
		switch v := e.(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(v.Value); err == nil {
				codes = append(codes, s)
			}
		case *ast.Ident:
			if s, ok := consts[v.Name]; ok {
				codes = append(codes, s)
			}
		case *ast.BinaryExpr:
			if lit, ok := v.X.(*ast.BasicLit); ok && v.Op == token.ADD {
				s, _ := strconv.Unquote(lit.Value)
				prefixes = append(prefixes, s)
			}
		}
	}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.CompositeLit:
				if id, ok := v.Type.(*ast.Ident); ok && (id.Name == "Reason" || id.Name == "Unmet") {
					for _, el := range v.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Code" {
							add(kv.Value)
						}
					}
				}
			case *ast.AssignStmt:
				for i, l := range v.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "code" && i < len(v.Rhs) {
						add(v.Rhs[i])
					}
				}
			}
			return true
		})
	}
	slices.Sort(codes)
	slices.Sort(prefixes)
	return slices.Compact(codes), slices.Compact(prefixes)
}

// TestReasonTextsCoverEveryCode: every code the package's sources give,
// and every prefix they join an attribute to, is listed and has a text in
// English and in Spanish; a new code without one fails here.
func TestReasonTextsCoverEveryCode(t *testing.T) {
	codes, prefixes := emittedCodes(t)
	// The scan itself must see the codes it is meant to see.
	for _, c := range []string{"groups_full", "no_leaders", "choices_full", "isolated", "no_hours_left", "group_below_minimum"} {
		if !slices.Contains(codes, c) {
			t.Errorf("the source scan missed the code %q (found %v)", c, codes)
		}
	}
	for _, p := range []string{"no_group_shares_", "no_group_with_same_", "no_leader_shares_"} {
		if !slices.Contains(prefixes, p) {
			t.Errorf("the source scan missed the prefix %q (found %v)", p, prefixes)
		}
	}
	for _, c := range codes {
		if !slices.Contains(grouping.ReasonCodes(), c) {
			t.Errorf("code %q is given by the package but missing from ReasonCodes", c)
		}
	}
	if diff := cmp.Diff(prefixes, slices.Sorted(slices.Values(grouping.ReasonPrefixes()))); diff != "" {
		t.Errorf("ReasonPrefixes differ from the prefixes in the sources (-sources +listed):\n%s", diff)
	}
	all := slices.Clone(grouping.ReasonCodes())
	for _, p := range grouping.ReasonPrefixes() {
		all = append(all, p+"languages", p+"some_attribute")
	}
	for _, c := range all {
		for _, l := range []string{grouping.EnglishText, grouping.SpanishText} {
			if !grouping.HasText(c, l) {
				t.Errorf("HasText(%q, %q) = false; want a text", c, l)
				continue
			}
			r := grouping.Reason{Code: c, Params: map[string]string{"group": "2", "attr": "languages", "values": "ar"}}
			txt := r.Text(l)
			if txt == "" || strings.Contains(txt, c) || strings.ContainsAny(txt, "{}") || !strings.HasSuffix(txt, ".") {
				t.Errorf("Reason{%q}.Text(%q) = %q; want a full sentence without the code", c, l, txt)
			}
		}
		en := grouping.Reason{Code: c}.Text(grouping.EnglishText)
		if es := (grouping.Reason{Code: c}).Text(grouping.SpanishText); es == en {
			t.Errorf("Reason{%q} reads the same in Spanish as in English: %q", c, en)
		}
	}
}

// TestReasonTextReadable: parameters read as people read them: languages
// by name, meeting slots as days and times, groups numbered from 1, and
// the option that keeps small groups explained.
func TestReasonTextReadable(t *testing.T) {
	tue := bsk.Slot{Day: bsk.Tuesday, Start: 9 * 60, End: 10*60 + 30}
	tests := []struct {
		name   string
		texts  grouping.Texts
		reason grouping.Reason
		lang   string
		want   string
	}{
		{"shares en", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_languages",
			Params: map[string]string{"constraint": "share", "attr": "languages", "full_groups": "45", "values": "ar"}}, "en",
			"No group with room shares a language with this member (Arabic); 45 other groups are full."},
		{"shares es", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_languages",
			Params: map[string]string{"constraint": "share", "attr": "languages", "full_groups": "45", "values": "ar"}}, "es",
			"Ningún grupo con lugar comparte un idioma con este miembro (árabe); otros 45 grupos están llenos."},
		{"too few speakers", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_languages",
			Params: map[string]string{"attr": "languages", "with": "2", "needed": "5", "values": "prs,so"}}, "en",
			"Only 2 other members share a language with this member (Dari or Somali), and a group needs at least 5 besides them."},
		{"no one speaks", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_languages",
			Params: map[string]string{"attr": "languages", "with": "0", "needed": "5", "values": "prs"}}, "es-MX",
			"Ningún otro miembro comparte un idioma con este miembro (dari), y un grupo necesita al menos 5 miembros más además de él."},
		{"no values", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_slots",
			Params: map[string]string{"attr": "slots", "with": "-1", "needed": "5"}}, "en",
			"No other member shares a meeting time with this member (none on file), and a group needs at least 5 other members besides them."},
		{"slot window", grouping.Texts{Slots: []bsk.Slot{tue}}, grouping.Reason{Code: "no_group_shares_slots",
			Params: map[string]string{"attr": "slots", "values": "tue-0900"}}, "en",
			"No group with room shares a meeting time with this member (Tuesday 09:00-10:30)."},
		{"slot window es", grouping.Texts{Slots: []bsk.Slot{tue}}, grouping.Reason{Code: "no_group_shares_slots",
			Params: map[string]string{"attr": "slots", "values": "tue-0900"}}, "es",
			"Ningún grupo con lugar comparte un horario de reunión con este miembro (martes 09:00-10:30)."},
		{"slots in the week's order", grouping.Texts{Slots: []bsk.Slot{tue}}, grouping.Reason{Code: "no_group_shares_slots",
			Params: map[string]string{"attr": "slots", "values": "fri-1700,thu-0800,tue-0900"}}, "en",
			"No group with room shares a meeting time with this member (Tuesday 09:00-10:30, Thursday 08:00 or Friday 17:00)."},
		{"slot start only", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_slots",
			Params: map[string]string{"attr": "slots", "values": "wed-1400"}}, "en",
			"No group with room shares a meeting time with this member (Wednesday 14:00)."},
		{"below minimum", grouping.Texts{}, grouping.Reason{Code: "group_below_minimum",
			Params: map[string]string{"group": "39", "min": "6", "size": "2", "allow": "allow_underfilled"}}, "en",
			"Group 40 reached only 2 members, below its minimum of 6, so it was not formed, and no other group could take this member. " +
				"To keep such groups, turn on the option that allows groups below their minimum size (allow_underfilled)."},
		{"below minimum es", grouping.Texts{}, grouping.Reason{Code: "group_below_minimum",
			Params: map[string]string{"group": "0", "min": "6", "size": "1"}}, "es",
			"El grupo 1 solo llegó a 1 miembro, menos que su mínimo de 6, así que no se formó, y ningún otro grupo pudo recibir a este miembro."},
		{"leads", grouping.Texts{}, grouping.Reason{Code: "leads_groups", Params: map[string]string{"role": "consultant"}}, "en",
			"This provider leads groups (reflective consultant), so they are not placed as a member."},
		{"unled slots", grouping.Texts{}, grouping.Reason{Code: "no_leader_shares_slots"}, "es",
			"Ningún líder comparte un horario de reunión con todos los miembros de este grupo."},
		{"same organization", grouping.Texts{}, grouping.Reason{Code: "no_group_with_same_organization",
			Params: map[string]string{"attr": "organization", "values": "org-017", "full_groups": "1"}}, "en",
			"No group with room has the same organization as this member (org-017); one other group is full."},
		{"case language", grouping.Texts{}, grouping.Reason{Code: grouping.ReasonNoLanguage, Params: map[string]string{"languages": "so,am"}}, "es",
			"Ningún clínico habla el idioma de este caso (somalí o amárico)."},
		{"hours left", grouping.Texts{}, grouping.Reason{Code: grouping.ReasonNoHoursLeft,
			Params: map[string]string{"hours": "3", "needed": "1", "eligible": "4"}}, "en",
			"This case needs 1 clinician for 3 hours a week; 4 clinicians could take it, but their hours went to other cases."},
		{"other language reads English", grouping.Texts{}, grouping.Reason{Code: "groups_full"}, "fr",
			"Every group is full, so there was no room for this member."},
		{"groups full vi", grouping.Texts{}, grouping.Reason{Code: "groups_full"}, "vi",
			"Mọi nhóm đều đã đầy, nên không còn chỗ cho thành viên này."},
		{"shares ru", grouping.Texts{}, grouping.Reason{Code: "no_group_shares_languages",
			Params: map[string]string{"attr": "languages", "full_groups": "45", "values": "ar"}}, "ru-RU",
			"Ни в одной группе со свободными местами нет общего с этим участником признака «язык» (арабский); другие группы заполнены: 45."},
		{"below minimum ru few", grouping.Texts{}, grouping.Reason{Code: "group_below_minimum",
			Params: map[string]string{"group": "39", "min": "6", "size": "2"}}, "ru",
			"В группе 40 набралось только 2 участника, меньше минимума (6), поэтому она не создана, и ни одна другая группа не смогла принять этого участника."},
		{"below minimum ru many", grouping.Texts{}, grouping.Reason{Code: "group_below_minimum",
			Params: map[string]string{"group": "0", "min": "6", "size": "5"}}, "ru",
			"В группе 1 набралось только 5 участников, меньше минимума (6), поэтому она не создана, и ни одна другая группа не смогла принять этого участника."},
		{"slot window zh", grouping.Texts{Slots: []bsk.Slot{tue}}, grouping.Reason{Code: "no_group_shares_slots",
			Params: map[string]string{"attr": "slots", "values": "tue-0900"}}, "zh-CN",
			"没有尚有名额的小组与此成员共享会议时间（星期二 09:00-10:30）。"},
		{"leads so", grouping.Texts{}, grouping.Reason{Code: "leads_groups", Params: map[string]string{"role": "consultant"}}, "so",
			"Qofkani wuxuu hoggaamiyaa kooxo (la-taliye milicsi), sidaas darteed looma dhigo xubin ahaan."},
		// A sentence the language lacks a message for reads all English,
		// the language's name too.
		{"no variant in ko", grouping.Texts{}, grouping.Reason{Code: "no_feasible_group",
			Params: map[string]string{"constraint": "at_most", "attr": "languages", "values": "ar"}}, "ko",
			"Every group with room already holds as many members as allowed with this member's language (Arabic)."},
		{"language name in zh", grouping.Texts{}, grouping.Reason{Code: "does_not_speak", Params: map[string]string{"language": "ti"}}, "zh",
			"此成员不会说提格利尼亚语，而所有小组都使用这种语言。"},
		{"unknown code", grouping.Texts{}, grouping.Reason{Code: "agency_rule_x", Params: map[string]string{"b": "2", "a": "1"}}, "en",
			`Reason "agency_rule_x" (a: 1, b: 2): there is no description for this reason yet.`},
		{"unknown code es", grouping.Texts{}, grouping.Reason{Code: "agency_rule_x"}, "es",
			"Motivo «agency_rule_x»: aún no hay una descripción para este motivo."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.texts.Text(tt.reason, tt.lang); got != tt.want {
				t.Errorf("Text(%+v, %q) = %q; want %q", tt.reason, tt.lang, got, tt.want)
			}
			if len(tt.texts.Slots) == 0 {
				if got := tt.reason.Text(tt.lang); got != tt.want {
					t.Errorf("Reason.Text(%q) = %q; want %q", tt.lang, got, tt.want)
				}
			}
		})
	}
	u := grouping.Unmet{Criterion: "nobody isolated by race or ethnicity", Group: 4, Members: []grouping.MemberID{"a", "b"}, Code: "isolated"}
	if got, want := u.Text("en"), `Group 5 has 2 members who are each the only one of their kind (criterion "nobody isolated by race or ethnicity").`; got != want {
		t.Errorf("Unmet.Text(en) = %q; want %q", got, want)
	}
}

// rawCode matches a code-like word: lowercase words joined by underscores.
var rawCode = regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`)

// TestReasonTextsOfRealRuns: the reasons real runs give (members a
// reflective consultation run leaves out, groups without a consultant, a
// dialogue's unmet criteria) all have their own text, in both languages,
// with no code left in it.
func TestReasonTextsOfRealRuns(t *testing.T) {
	w := bsktest.Workforce(3, bsktest.Options{Organizations: 12, Providers: 200, Consultants: 2, NoOfferings: true})
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{LeaderCapacity: 3})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []grouping.Reason
	for _, u := range sol.Unplaced {
		reasons = append(reasons, u.Reason)
	}
	for _, u := range sol.Unled {
		reasons = append(reasons, u.Reason)
	}
	for _, u := range sol.Unmet {
		reasons = append(reasons, grouping.Reason{Code: u.Code})
	}
	if len(sol.Unplaced) == 0 {
		t.Fatal("the run placed everyone; the test needs members left out")
	}
	seen := map[string]bool{}
	for _, r := range reasons {
		seen[r.Code] = true
		for _, l := range []string{"en", "es"} {
			if !grouping.HasText(r.Code, l) {
				t.Errorf("code %q from a real run has no %s text", r.Code, l)
			}
			txt := grouping.Texts{Slots: grouping.DefaultMeetingSlots(90)}.Text(r, l)
			if m := rawCode.FindString(txt); m != "" && m != "allow_underfilled" {
				t.Errorf("%s text of %+v = %q; it holds the raw word %q", l, r, txt, m)
			}
		}
	}
	t.Logf("codes seen: %v", seen)
}

// FuzzReasonText: any reason, with any parameters, renders as a sentence
// in either language without a panic.
func FuzzReasonText(f *testing.F) {
	f.Add("no_group_shares_slots", "slots", "tue-0900,x-1,-", "-1", "0", "en")
	f.Add("group_below_minimum", "languages", "ar,,zz", "x", "99999999999999999999", "es")
	f.Add("no_leader_fits", "", "", "", "", "es-419")
	f.Fuzz(func(t *testing.T, code, attr, values, group, n, lang string) {
		r := grouping.Reason{Code: code, Params: map[string]string{"attr": attr, "values": values, "group": group,
			"with": n, "needed": n, "full_groups": n, "size": n, "min": n, "constraint": attr, "languages": values}}
		for _, ts := range []grouping.Texts{{}, {Slots: grouping.DefaultMeetingSlots(60)}} {
			if txt := ts.Text(r, lang); txt == "" {
				t.Errorf("Text(%+v, %q) is empty", r, lang)
			}
		}
	})
}
