// Package store keeps the server's records in SQLite (embedded, the
// default) or PostgreSQL. Records are JSON documents stored beside the key
// columns the server filters by; one set of numbered migrations serves both
// databases.
//
// SQLite runs in WAL mode with a busy timeout, one writer connection and a
// pool of readers, so concurrent writers queue instead of failing with
// "database is locked".
package store
