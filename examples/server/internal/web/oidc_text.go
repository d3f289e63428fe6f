package web

// ssoText is the single sign-on pages' text, added to [catalog].
var ssoText = map[Lang]map[string]string{
	English: {
		"sso.title":                "Sign in with %s",
		"sso.signin":               "Sign in with %s",
		"sso.or":                   "Or, for those given an API key:",
		"sso.continue":             "You are signed in. Continue to the home page.",
		"sso.again":                "Back to sign-in",
		"sso.unavailable":          "%s cannot be reached right now. Try again in a few minutes, or sign in with an API key.",
		"sso.expired":              "This sign-in was not started here or took too long. Start again from the sign-in page.",
		"sso.failed":               "%s did not confirm who you are. Start again from the sign-in page; if it keeps happening, tell the administrator.",
		"sso.no_role":              "%s signed you in, but your account has no role in this app. Ask the county's administrator to give you one.",
		"sso.many_roles":           "%s signed you in, but your account has more than one role in this app, and it takes one. Ask the county's administrator to keep only the one you need.",
		"sso.no_organization":      "%s signed you in as an agency, but your account names no organization. Ask the county's administrator to set it.",
		"sso.no_provider":          "%s signed you in as a consultant, but your account names no provider record. Ask the county's administrator to set it.",
		"sso.unknown_organization": "%s signed you in, but the organization your account names is not known here. Ask the county's administrator to check it.",
		"sso.unknown_provider":     "%s signed you in, but the provider record your account names is not known here. Ask the county's administrator to check it.",
	},
	Spanish: {
		"sso.title":                "Iniciar sesión con %s",
		"sso.signin":               "Iniciar sesión con %s",
		"sso.or":                   "O, si le dieron una clave de API:",
		"sso.continue":             "Ha iniciado sesión. Continúe a la página de inicio.",
		"sso.again":                "Volver a iniciar sesión",
		"sso.unavailable":          "No se puede contactar con %s en este momento. Inténtelo de nuevo en unos minutos, o inicie sesión con una clave de API.",
		"sso.expired":              "Este inicio de sesión no empezó aquí o tardó demasiado. Empiece de nuevo desde la página de inicio de sesión.",
		"sso.failed":               "%s no confirmó quién es usted. Empiece de nuevo desde la página de inicio de sesión; si sigue pasando, avise al administrador.",
		"sso.no_role":              "%s confirmó quién es usted, pero su cuenta no tiene ningún rol en esta aplicación. Pida uno al administrador del condado.",
		"sso.many_roles":           "%s confirmó quién es usted, pero su cuenta tiene más de un rol en esta aplicación, que admite uno solo. Pida al administrador del condado que deje solo el que necesita.",
		"sso.no_organization":      "%s confirmó que usted es de una agencia, pero su cuenta no indica ninguna organización. Pida al administrador del condado que la indique.",
		"sso.no_provider":          "%s confirmó que usted es consultor, pero su cuenta no indica su registro de proveedor. Pida al administrador del condado que lo indique.",
		"sso.unknown_organization": "%s confirmó quién es usted, pero la organización que indica su cuenta no se conoce aquí. Pida al administrador del condado que la revise.",
		"sso.unknown_provider":     "%s confirmó quién es usted, pero el registro de proveedor que indica su cuenta no se conoce aquí. Pida al administrador del condado que lo revise.",
	},
}

func init() {
	for l, texts := range ssoText {
		for k, v := range texts {
			catalog[l][k] = v
		}
	}
}
