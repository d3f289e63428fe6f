// Package web is the reference server's web app: server-rendered pages
// for the people who run the program, in English and Spanish, over the
// same services as the JSON API.
//
// # Sign-in and sessions
//
// A person signs in by exchanging an API key for a session
// ([service.Keys.Authenticate]); the administrator may also use the
// one-time link the server prints on start ([Web.AdminSignInLink]). Only
// the SHA-256 hash of a session's secret is stored, with its expiry; the
// cookie is HttpOnly, SameSite=Strict, and Secure over TLS. A session acts
// for its API key: revoking the key ends its sessions. Failed sign-ins are
// audited and limited by the same hook as the API's.
//
// # Single sign-on
//
// With [Config.SSO] set, a person may sign in with an OpenID Connect
// provider instead: the authorization code flow with PKCE (S256), state
// and nonce kept in a short-lived SameSite=Lax cookie, and the ID token's
// signature, issuer, audience, expiry and nonce checked. The token's
// claims give the role, organization and provider record through a
// [ClaimMapping]; a person no claim maps to one role is refused (403, no
// session) with a page that shows none of their claim values. Such a
// session acts for the person (its principal is stored with it, and the
// audit log names "sso:" and the subject), ends no later than the ID
// token, and signs out at the provider's end_session_endpoint too.
//
// # Forms
//
// Every form carries a token: in a session, a hash of the session's secret
// (which only the browser holding the cookie knows); before it, a random
// value also held in a cookie (double submit). A POST without the right
// token is refused with 403.
//
// # Pages
//
// A home page per role (the staff's program year at a glance: the latest
// run's groups without a consultant, the next sessions of this month and
// next, the offerings with 90% of their seats taken, the open scholarship
// cycles and the latest survey import, each linked to its page; an
// agency's staff, a consultant's groups in a run, an evaluator's
// instruments);
// organizations and providers a page at a time, a provider, the provider
// CSV import (all rows or none, every bad row shown); reflective
// consultation runs with their progress, groups, reasons in words, rosters
// and an Excel download of them; a scholarship run's decisions; a released
// survey's tables, a hidden cell shown as "suppressed" with its rule's
// meaning. Names, dates, dollars and reasons are shown in words, never as
// codes.
//
// Staff move a member of a finished run to another group by hand (a new
// run, checked and scored by the library through the grouping service);
// providers are found by name; consultants list the runs they lead groups
// in, evaluators and staff the survey imports; staff read a scholarship
// run's equity by demographic group.
//
// The program year: staff publish a finished run from its page and
// invoice a month (CSV and Excel); staff and agencies read the month's
// calendar; a consultant lists the groups they lead and records a
// session's attendance (another consultant's session reads "not
// found"). Trainings: the offerings, an offering's roster with its
// waitlist, register and cancel forms (the provider found by name, 20
// matches at a time), the interpreters to book (staff), an agency's
// registrations and waitlist notices 50 to a page, reach with a chart
// (staff), and a provider's transcript (the service offers no
// endorsement progress). Scholarship review: the reviewer assignment
// (staff), a consultant's blind queue with the hidden fields listed and
// a score form, and a run's pipeline equity. A scholarship run's ledger
// (staff): its awards with what was disbursed, repaid and is owed against
// the service commitment, the waitlist, every entry, and a form per award
// to record that it was declined (an award already paid out is not). A
// released survey's rankings: each ranking question's options in Borda
// order, or why the ranking is hidden. Scholarship programs: each with its
// cycles' rules in plain language and budgets in dollars, a form that
// creates or changes one (staff), and a cycle's runs with a form that runs
// it (staff). Applications: a page at a time, filtered by program, cycle
// and status, one with its decision and reasons (and a withdraw form
// before its cycle runs), and a form that submits one (an agency for its
// own staff).
//
// Imports for review: evaluators upload a survey file (a REDCap export or
// the project's CSV) and follow its import, a progress bar while it runs
// and then every bad row with its line, column and reason, nothing stored
// (all or nothing); staff read a session's attendance, upload its video
// meeting participants report, review who it matched and pick the person
// for each row the names did not settle, and only then record it.
//
// # Charts and downloads
//
// Survey tables and the equity tables have inline SVG charts beside them,
// drawn from the tables' own figures: a suppressed figure is written,
// never drawn. Decisions, equity and survey tables download as CSV and
// Excel with the page's cells for the same reader.
//
// # Access
//
// Pages call the services with the session's principal in the context
// ([service.WithPrincipal]); the services apply every access rule, and a
// record the caller may not see reads "not found". Pages repeat no rule:
// a page with a form asks the service's rule for it (service.MayInvoice,
// MayAssignReviewers, MayReview, MayReadPipeline) and shows a role that
// may not use it a sentence saying so, status 403, in place of the form.
//
// # Scale
//
// Every list comes a page at a time; the home counts the seats of the
// offerings not yet ended in one query. BenchmarkPagesAt10k reads each
// main page over a database file holding the program at 10,000 providers.
//
// # Languages
//
// Text comes from a small catalog in English and Spanish; the language is
// the one chosen with the switch on every page (a cookie), or else the best
// match of the browser's Accept-Language. Dates and times are written as
// the reader's language writes them ("March 4, 2026, 9:30 AM PST", "4 de
// marzo de 2026, 9:30 PST"), times on the program's wall clock, by
// Lang.Date and Lang.DateTime alone; form values and downloads stay ISO.
package web
