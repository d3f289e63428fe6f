package web

// scalePages are the texts of the register form's name search, the
// listings' pagers and the sentences that stand in for a form a role may
// not use, added to [catalog].
var scalePages = map[Lang]map[string]string{
	English: {
		"trainings.find":             "Find a provider by name",
		"trainings.find_hint":        "Part of a name, in any case. The providers you may register whose name holds it are offered in the form below, 20 at a time.",
		"trainings.find_submit":      "Find",
		"trainings.matches":          "Providers whose name holds “%s”",
		"trainings.more_matches":     "More matches",
		"trainings.no_match":         "No provider you may register has a name holding “%s”.",
		"forms.not_yours.invoices":   "Your role does not create or read consultants' invoices; the program's staff do.",
		"forms.not_yours.assignment": "Your role does not assign reviewers; the program's staff do.",
		"forms.not_yours.queue":      "Your role has no review queue: applications are assigned to consultants who review them.",
		"forms.not_yours.pipeline":   "Your role does not read the pipeline's equity; the program's staff and evaluators do.",
	},
	Spanish: {
		"trainings.find":             "Buscar a un proveedor por su nombre",
		"trainings.find_hint":        "Parte de un nombre, en mayúsculas o minúsculas. Los proveedores que usted puede inscribir cuyo nombre lo contiene se ofrecen en el formulario de abajo, de 20 en 20.",
		"trainings.find_submit":      "Buscar",
		"trainings.matches":          "Proveedores cuyo nombre contiene «%s»",
		"trainings.more_matches":     "Más resultados",
		"trainings.no_match":         "Ningún proveedor que usted pueda inscribir tiene un nombre que contenga «%s».",
		"forms.not_yours.invoices":   "Su función no crea ni consulta las facturas de los consultores; lo hace el personal del programa.",
		"forms.not_yours.assignment": "Su función no asigna revisores; lo hace el personal del programa.",
		"forms.not_yours.queue":      "Su función no tiene solicitudes por revisar: las solicitudes se asignan a los consultores que las revisan.",
		"forms.not_yours.pipeline":   "Su función no consulta la equidad del proceso; lo hacen el personal del programa y los evaluadores.",
	},
}

func init() {
	for l, m := range scalePages {
		for k, v := range m {
			catalog[l][k] = v
		}
	}
}
