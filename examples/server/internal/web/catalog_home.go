package web

// homePages are the texts of the staff's home page (the program year at
// a glance), added to [catalog].
var homePages = map[Lang]map[string]string{
	English: {
		"home.next_sessions":      "Next sessions",
		"home.when":               "When",
		"home.no_sessions":        "No session is planned for the rest of this month or the next.",
		"home.near_capacity":      "Registrations near capacity",
		"home.seats":              "%d of %d seats taken, %d on the waitlist.",
		"home.none_full":          "No offering has 90% of its seats taken.",
		"home.latest_import":      "Latest survey import",
		"home.import_line":        "instrument %s, imported %s, %s.",
		"home.no_import":          "No survey has been imported yet.",
		"import.status.queued":    "waiting to start",
		"import.status.running":   "being read",
		"import.status.done":      "done",
		"import.status.failed":    "failed",
		"import.status.cancelled": "cancelled",
	},
	Spanish: {
		"home.next_sessions":      "Próximas sesiones",
		"home.when":               "Cuándo",
		"home.no_sessions":        "No hay sesiones previstas para lo que queda de este mes ni para el próximo.",
		"home.near_capacity":      "Inscripciones casi completas",
		"home.seats":              "%d de %d plazas ocupadas, %d en la lista de espera.",
		"home.none_full":          "Ninguna oferta tiene ocupado el 90 % de sus plazas.",
		"home.latest_import":      "Última importación de encuesta",
		"home.import_line":        "cuestionario %s, importado el %s, %s.",
		"home.no_import":          "Todavía no se ha importado ninguna encuesta.",
		"import.status.queued":    "esperando para empezar",
		"import.status.running":   "leyéndose",
		"import.status.done":      "terminada",
		"import.status.failed":    "fallida",
		"import.status.cancelled": "cancelada",
	},
}

func init() {
	for l, m := range homePages {
		for k, v := range m {
			catalog[l][k] = v
		}
	}
}
