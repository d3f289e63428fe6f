package grouping

import "fmt"

// reasonTexts holds every code's sentences, in English and Spanish. A new
// code needs an entry here: the package's tests scan its sources for codes
// without one.
var reasonTexts = map[string]*reasonText{
	// Members the search could not place (Solve).
	ReasonNoGroupSharesPrefix: {
		en: func(a *textArgs) string {
			if a.has("needed") {
				if a.none("with") {
					return fmt.Sprintf("No other member shares %s with this member%s, and a group needs at least %s besides them.",
						a.noun(), a.theirs(), a.count("needed", "other member", "other members"))
				}
				return fmt.Sprintf("Only %s share %s with this member%s, and a group needs at least %s besides them.",
					a.count("with", "other member", "other members"), a.noun(), a.theirs(), a.n("needed"))
			}
			return fmt.Sprintf("No group with room shares %s with this member%s%s.", a.noun(), a.theirs(), a.full())
		},
		es: func(a *textArgs) string {
			if a.has("needed") {
				if a.none("with") {
					return fmt.Sprintf("Ningún otro miembro comparte %s con este miembro%s, y un grupo necesita al menos %s además de él.",
						a.noun(), a.theirs(), a.count("needed", "miembro más", "miembros más"))
				}
				return fmt.Sprintf("Solo %s comparten %s con este miembro%s, y un grupo necesita al menos %s además de él.",
					a.count("with", "miembro más", "miembros más"), a.noun(), a.theirs(), a.n("needed"))
			}
			return fmt.Sprintf("Ningún grupo con lugar comparte %s con este miembro%s%s.", a.noun(), a.theirs(), a.full())
		},
	},
	ReasonNoGroupWithSamePrefix: {
		en: func(a *textArgs) string {
			return fmt.Sprintf("No group with room has the same %s as this member%s%s.", a.bare(), a.theirs(), a.full())
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Ningún grupo con lugar coincide con este miembro en %s%s%s.", a.bare(), a.theirs(), a.full())
		},
	},
	"no_feasible_group": {
		en: func(a *textArgs) string {
			switch ConstraintKind(a.p["constraint"]) {
			case AtMost:
				return fmt.Sprintf("Every group with room already holds as many members as allowed with this member's %s%s%s.", a.bare(), a.theirs(), a.full())
			case Separate:
				return fmt.Sprintf("Every group with room holds members this member must be kept apart from by %s%s%s.", a.bare(), a.theirs(), a.full())
			}
			return fmt.Sprintf("No group with room can take this member without breaking one of the grouping's rules%s.", a.full())
		},
		es: func(a *textArgs) string {
			switch ConstraintKind(a.p["constraint"]) {
			case AtMost:
				return fmt.Sprintf("Cada grupo con lugar ya tiene el máximo permitido de miembros que coinciden con este miembro en %s%s%s.", a.bare(), a.theirs(), a.full())
			case Separate:
				return fmt.Sprintf("Cada grupo con lugar tiene miembros de los que este miembro debe estar separado por %s%s%s.", a.bare(), a.theirs(), a.full())
			}
			return fmt.Sprintf("Ningún grupo con lugar puede recibir a este miembro sin romper una de las reglas de la agrupación%s.", a.full())
		},
	},
	"cannot_link_everywhere": {
		en: func(a *textArgs) string {
			return fmt.Sprintf("Every group with room holds someone this member must not be grouped with%s.", a.full())
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Cada grupo con lugar tiene a alguien con quien este miembro no debe estar en el mismo grupo%s.", a.full())
		},
	},
	"groups_full": {
		en: func(*textArgs) string { return "Every group is full, so there was no room for this member." },
		es: func(*textArgs) string {
			return "Todos los grupos están llenos, así que no quedó lugar para este miembro."
		},
	},
	"pin_breaks_constraint": {
		en: func(a *textArgs) string {
			return fmt.Sprintf("This member was pinned to group %s, but placing them there would break the group's size limit or one of its rules.", a.group("group"))
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Este miembro estaba fijado al grupo %s, pero ponerlo allí superaría el tamaño del grupo o rompería una de sus reglas.", a.group("group"))
		},
	},
	ReasonNoLeaderFits: {
		en: func(a *textArgs) string {
			switch ConstraintKind(a.p["constraint"]) {
			case leaderShare:
				return fmt.Sprintf("No leader with room for another group shares %s with this member%s.", a.noun(), a.theirs())
			case leaderConflict:
				return fmt.Sprintf("Every leader with room for another group has the same %s as this member%s, and a leader never leads members of their own %s.", a.bare(), a.theirs(), a.bare())
			}
			return "No leader with room for another group can lead a group this member could join."
		},
		es: func(a *textArgs) string {
			switch ConstraintKind(a.p["constraint"]) {
			case leaderShare:
				return fmt.Sprintf("Ningún líder con lugar para otro grupo comparte %s con este miembro%s.", a.noun(), a.theirs())
			case leaderConflict:
				return fmt.Sprintf("Todos los líderes con lugar para otro grupo coinciden con este miembro en %s%s, y un líder nunca guía a miembros que coinciden con él en eso.", a.bare(), a.theirs())
			}
			return "Ningún líder con lugar para otro grupo puede guiar un grupo al que este miembro podría unirse."
		},
	},
	ReasonBelowMinimum: {
		en: func(a *textArgs) string {
			s := fmt.Sprintf("Group %s reached only %s, below its minimum of %s, so it was not formed, and no other group could take this member.",
				a.group("group"), a.count("size", "member", "members"), a.n("min"))
			if a.has("allow") {
				s += fmt.Sprintf(" To keep such groups, turn on the option that allows groups below their minimum size (%s).", a.p["allow"])
			}
			return s
		},
		es: func(a *textArgs) string {
			s := fmt.Sprintf("El grupo %s solo llegó a %s, menos que su mínimo de %s, así que no se formó, y ningún otro grupo pudo recibir a este miembro.",
				a.group("group"), a.count("size", "miembro", "miembros"), a.n("min"))
			if a.has("allow") {
				s += fmt.Sprintf(" Para conservar esos grupos, active la opción que permite grupos por debajo de su tamaño mínimo (%s).", a.p["allow"])
			}
			return s
		},
	},

	// Providers a preset leaves out.
	"leads_groups": {
		en: func(a *textArgs) string {
			if a.has("role") {
				return fmt.Sprintf("This provider leads groups (%s), so they are not placed as a member.", a.role(a.p["role"]))
			}
			return "This provider leads groups, so they are not placed as a member."
		},
		es: func(a *textArgs) string {
			if a.has("role") {
				return fmt.Sprintf("Esta persona guía grupos (%s), así que no se la ubica como miembro.", a.role(a.p["role"]))
			}
			return "Esta persona guía grupos, así que no se la ubica como miembro."
		},
	},
	"does_not_speak": {
		en: func(a *textArgs) string {
			return fmt.Sprintf("This member does not speak %s, the language every group meets in.", a.language(a.p["language"]))
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Este miembro no habla %s, el idioma en que se reúnen todos los grupos.", a.language(a.p["language"]))
		},
	},

	// Members without an offering (AssignChoices).
	"choices_full": {
		en: func(*textArgs) string { return "Every offering this member could take is full." },
		es: func(*textArgs) string { return "Todas las opciones que este miembro podía tomar están llenas." },
	},
	"no_choices": {
		en: func(*textArgs) string {
			return "This member ranked no offerings, and members are placed only in offerings they ranked."
		},
		es: func(*textArgs) string {
			return "Este miembro no eligió ninguna opción, y solo se ubica a los miembros en opciones que eligieron."
		},
	},
	"no_choice_in_their_languages": {
		en: func(*textArgs) string { return "No offering is given in a language this member speaks." },
		es: func(*textArgs) string { return "Ninguna opción se ofrece en un idioma que este miembro hable." },
	},
	"no_ranked_choice_in_their_languages": {
		en: func(*textArgs) string {
			return "None of the offerings this member ranked is given in a language they speak."
		},
		es: func(*textArgs) string {
			return "Ninguna de las opciones que este miembro eligió se ofrece en un idioma que hable."
		},
	},

	// Groups without a leader (AssignLeaders, AssignLeading, Solve).
	ReasonNoLeaderSharesPrefix: {
		en: func(a *textArgs) string {
			return fmt.Sprintf("No leader shares %s with every member of this group.", a.noun())
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Ningún líder comparte %s con todos los miembros de este grupo.", a.noun())
		},
	},
	"no_leaders": {
		en: func(*textArgs) string { return "There are no leaders to lead this group." },
		es: func(*textArgs) string { return "No hay líderes para guiar este grupo." },
	},
	"all_eligible_leaders_full": {
		en: func(*textArgs) string {
			return "Every leader who could lead this group already leads as many groups as they can."
		},
		es: func(*textArgs) string {
			return "Todos los líderes que podrían guiar este grupo ya guían tantos grupos como pueden."
		},
	},
	"only_conflicting_leaders": {
		en: func(*textArgs) string {
			return "Every leader who otherwise fits this group has a conflict with one of its members, such as working at the same organization."
		},
		es: func(*textArgs) string {
			return "Todos los líderes que por lo demás sirven para este grupo tienen un conflicto con alguno de sus miembros, como trabajar en la misma organización."
		},
	},
	"no_eligible_leader": {
		en: func(*textArgs) string {
			return "Every leader who otherwise fits this group is barred from leading it."
		},
		es: func(*textArgs) string {
			return "Todos los líderes que por lo demás sirven para este grupo tienen prohibido guiarlo."
		},
	},

	// Cases without clinicians (AssignCases).
	ReasonNoLanguage: {
		en: func(a *textArgs) string {
			return fmt.Sprintf("No clinician speaks this case's language (%s).", a.values("languages", AttrLanguages))
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Ningún clínico habla el idioma de este caso (%s).", a.values("languages", AttrLanguages))
		},
	},
	ReasonCaseTooLong: {
		en: func(a *textArgs) string {
			return fmt.Sprintf("This case needs %s a week, and no clinician who speaks its language has that many (the most is %s).",
				a.count("hours", "hour", "hours"), a.n("most"))
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Este caso necesita %s por semana, y ningún clínico que hable su idioma tiene tantas (el máximo es %s).",
				a.count("hours", "hora", "horas"), a.n("most"))
		},
	},
	ReasonNoSecondClinician: {
		en: func(a *textArgs) string {
			return fmt.Sprintf("This case needs two clinicians, and only %s speaks its language with hours enough.", a.p["clinician"])
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Este caso necesita dos clínicos, y solo %s habla su idioma con horas suficientes.", a.p["clinician"])
		},
	},
	ReasonNoHoursLeft: {
		en: func(a *textArgs) string {
			return fmt.Sprintf("This case needs %s for %s a week; %s could take it, but their hours went to other cases.",
				a.count("needed", "clinician", "clinicians"), a.count("hours", "hour", "hours"), a.count("eligible", "clinician", "clinicians"))
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("Este caso necesita %s durante %s por semana; %s podrían tomarlo, pero sus horas se dieron a otros casos.",
				a.count("needed", "clínico", "clínicos"), a.count("hours", "hora", "horas"), a.count("eligible", "clínico", "clínicos"))
		},
	},

	// Soft criteria a group leaves unmet (Unmet.Code).
	"isolated": {
		en: func(a *textArgs) string {
			if a.n("members") == "1" {
				return fmt.Sprintf("Group %s has 1 member who is the only one of their kind (criterion %q).", a.group("group"), a.p["criterion"])
			}
			return fmt.Sprintf("Group %s has %s members who are each the only one of their kind (criterion %q).", a.group("group"), a.n("members"), a.p["criterion"])
		},
		es: func(a *textArgs) string {
			if a.n("members") == "1" {
				return fmt.Sprintf("El grupo %s tiene 1 miembro que es el único de su tipo (criterio «%s»).", a.group("group"), a.p["criterion"])
			}
			return fmt.Sprintf("El grupo %s tiene %s miembros que son cada uno el único de su tipo (criterio «%s»).", a.group("group"), a.n("members"), a.p["criterion"])
		},
	},
	"no_peer": {
		en: func(a *textArgs) string {
			return fmt.Sprintf("Group %s has %s with no one else alike (criterion %q).", a.group("group"), a.count("members", "member", "members"), a.p["criterion"])
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("El grupo %s tiene %s sin nadie más parecido (criterio «%s»).", a.group("group"), a.count("members", "miembro", "miembros"), a.p["criterion"])
		},
	},
	"unbalanced": {
		en: func(a *textArgs) string {
			return fmt.Sprintf("Group %s is far from the average of the groups (criterion %q).", a.group("group"), a.p["criterion"])
		},
		es: func(a *textArgs) string {
			return fmt.Sprintf("El grupo %s está lejos del promedio de los grupos (criterio «%s»).", a.group("group"), a.p["criterion"])
		},
	},
}
