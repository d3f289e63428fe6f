package grouping_test

import (
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// Render the reasons a run gives in a coordinator's language: language
// codes read as names, slot codes as meeting times, group indexes as
// group numbers from 1.
func ExampleTexts_Text() {
	texts := grouping.Texts{Slots: []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 10*60 + 30}}}
	reasons := []grouping.Reason{
		{Code: "no_group_shares_languages", Params: map[string]string{"attr": "languages", "values": "ar", "full_groups": "45"}},
		{Code: "no_group_shares_slots", Params: map[string]string{"attr": "slots", "values": "tue-0900"}},
		{Code: grouping.ReasonBelowMinimum, Params: map[string]string{"group": "39", "size": "2", "min": "6", "allow": "allow_underfilled"}},
	}
	for _, r := range reasons {
		fmt.Println(texts.Text(r, "en"))
		fmt.Println(texts.Text(r, "es"))
	}
	// Output:
	// No group with room shares a language with this member (Arabic); 45 other groups are full.
	// Ningún grupo con lugar comparte un idioma con este miembro (árabe); otros 45 grupos están llenos.
	// No group with room shares a meeting time with this member (Tuesday 09:00-10:30).
	// Ningún grupo con lugar comparte un horario de reunión con este miembro (martes 09:00-10:30).
	// Group 40 reached only 2 members, below its minimum of 6, so it was not formed, and no other group could take this member. To keep such groups, turn on the option that allows groups below their minimum size (allow_underfilled).
	// El grupo 40 solo llegó a 2 miembros, menos que su mínimo de 6, así que no se formó, y ningún otro grupo pudo recibir a este miembro. Para conservar esos grupos, active la opción que permite grupos por debajo de su tamaño mínimo (allow_underfilled).
}

// A reason renders without a Texts value too; a language the package has
// no text in reads English.
func ExampleReason_Text() {
	r := grouping.Reason{Code: "leads_groups", Params: map[string]string{"role": "consultant"}}
	fmt.Println(r.Text("es-MX"))
	fmt.Println(r.Text("fr"))
	// Output:
	// Esta persona guía grupos (consultor reflexivo), así que no se la ubica como miembro.
	// This provider leads groups (reflective consultant), so they are not placed as a member.
}
