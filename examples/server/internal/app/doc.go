// Package app is the reference server: an Echo application over the store,
// with schema-validated JSON, API keys with roles, an audit log and
// structured logs. Handlers translate between HTTP and library calls; they
// hold no business logic.
package app
