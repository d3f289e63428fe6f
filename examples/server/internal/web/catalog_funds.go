package web

// fundsPages are the texts of a cycle's funds page (balances, the steps
// of a several-fund allocation and the form that defines the funds) and
// of the ledger's link to it, added to [catalog].
var fundsPages = map[Lang]map[string]string{
	English: {
		"funds.title":                      "Scholarship funds",
		"funds.intro":                      "A cycle may draw on several funds, each with its own budget, rule and priority tier: an applicant is paid from the first fund in tier order that admits them and has money enough. When an award is declined or money is given back, the waitlist is promoted across the funds.",
		"funds.run_hint":                   "Leave the run empty to define the cycle's funds only.",
		"funds.show":                       "Show the funds",
		"funds.done_saved":                 "The cycle's funds are saved. Runs made before keep the funds they ran with.",
		"funds.done_removed":               "The cycle's funds are removed: its next run draws on the cycle's one budget.",
		"funds.balances":                   "Balances",
		"funds.balances_caption":           "Each fund's money in run %s, in tier order",
		"funds.not_funded":                 "This run drew on the cycle's one budget, not on funds.",
		"funds.own_only":                   "You see the steps of your own staff's applications only.",
		"funds.fund":                       "Fund",
		"funds.tier":                       "Tier",
		"funds.rule":                       "Who it pays",
		"funds.budget":                     "Budget",
		"funds.budget_dollars":             "Budget in dollars",
		"funds.awarded":                    "Awarded",
		"funds.left":                       "Left",
		"funds.steps":                      "Every step",
		"funds.steps_caption":              "Awards, waitlistings, declines, returns and promotions, in order",
		"funds.what":                       "What happened",
		"funds.no_steps":                   "No steps to show.",
		"funds.define":                     "Funds of cycle %s",
		"funds.define_intro":               "Name each fund, give it a tier (1 is drawn on first), a budget and, if it pays only some applicants, a rule. Leave a row empty to drop it; with no row left the cycle has no funds.",
		"funds.row":                        "Fund %d",
		"funds.criterion":                  "Only applicants who",
		"funds.languages":                  "Only applicants who work in",
		"funds.languages_hint":             "Languages as codes separated by commas, such as es, so, vi.",
		"funds.save":                       "Save the funds",
		"funds.rule_everyone":              "every eligible applicant",
		"funds.rule_languages":             "applicants who work in %s",
		"funds.criterion.multilingual":     "work in a language besides English",
		"funds.criterion.rural":            "serve a rural place",
		"funds.criterion.first_generation": "are the first in their family to attend college",
		"funds.criterion.bipoc":            "identify as Black, Indigenous or a person of color",
		"ledger.funds_link":                "The funds of this run: balances and every promotion step",
	},
	Spanish: {
		"funds.title":                      "Fondos de becas",
		"funds.intro":                      "Un ciclo puede usar varios fondos, cada uno con su presupuesto, su regla y su nivel de prioridad: a cada solicitante lo paga el primer fondo, por orden de nivel, que lo admite y tiene dinero suficiente. Cuando alguien rechaza una beca o devuelve dinero, la lista de espera avanza por todos los fondos.",
		"funds.run_hint":                   "Deje la evaluación vacía para definir solo los fondos del ciclo.",
		"funds.show":                       "Mostrar los fondos",
		"funds.done_saved":                 "Se guardaron los fondos del ciclo. Las evaluaciones anteriores conservan los fondos con que se hicieron.",
		"funds.done_removed":               "Se quitaron los fondos del ciclo: su próxima evaluación usa el presupuesto único del ciclo.",
		"funds.balances":                   "Saldos",
		"funds.balances_caption":           "El dinero de cada fondo en la evaluación %s, por orden de nivel",
		"funds.not_funded":                 "Esta evaluación usó el presupuesto único del ciclo, no fondos.",
		"funds.own_only":                   "Solo ve los pasos de las solicitudes de su propio personal.",
		"funds.fund":                       "Fondo",
		"funds.tier":                       "Nivel",
		"funds.rule":                       "A quién paga",
		"funds.budget":                     "Presupuesto",
		"funds.budget_dollars":             "Presupuesto en dólares",
		"funds.awarded":                    "Otorgado",
		"funds.left":                       "Queda",
		"funds.steps":                      "Todos los pasos",
		"funds.steps_caption":              "Becas, listas de espera, rechazos, devoluciones y ascensos, en orden",
		"funds.what":                       "Qué pasó",
		"funds.no_steps":                   "No hay pasos que mostrar.",
		"funds.define":                     "Fondos del ciclo %s",
		"funds.define_intro":               "Dé a cada fondo un nombre, un nivel (el 1 se usa primero), un presupuesto y, si paga solo a algunos solicitantes, una regla. Deje una fila vacía para quitarla; sin ninguna fila, el ciclo no tiene fondos.",
		"funds.row":                        "Fondo %d",
		"funds.criterion":                  "Solo solicitantes que",
		"funds.languages":                  "Solo solicitantes que trabajan en",
		"funds.languages_hint":             "Idiomas como códigos separados por comas, por ejemplo es, so, vi.",
		"funds.save":                       "Guardar los fondos",
		"funds.rule_everyone":              "todo solicitante elegible",
		"funds.rule_languages":             "solicitantes que trabajan en %s",
		"funds.criterion.multilingual":     "trabajan en un idioma además del inglés",
		"funds.criterion.rural":            "atienden un lugar rural",
		"funds.criterion.first_generation": "son los primeros de su familia en ir a la universidad",
		"funds.criterion.bipoc":            "se identifican como personas negras, indígenas o de color",
		"ledger.funds_link":                "Los fondos de esta evaluación: saldos y cada paso de la lista de espera",
	},
}

func init() {
	for l, m := range fundsPages {
		for k, v := range m {
			catalog[l][k] = v
		}
	}
}
