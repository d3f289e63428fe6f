// Package store keeps the server's records in SQLite (embedded, the
// default) or PostgreSQL. Records are JSON documents stored beside the key
// columns the server filters by.
//
// # Migrations
//
// The schema is a set of numbered goose SQL files (migrations/), each with
// its Up and Down sections; the same files serve both databases.
// [OpenSQLite] and [OpenPostgres] apply the pending ones; [ConnectSQLite]
// and [ConnectPostgres] open a database without touching its schema, for
// [DB.MigrationStatus] and [DB.Migrate]. On PostgreSQL the migrations run
// under an advisory lock, and on SQLite under a flock of migrate.lock in
// the data directory, so replicas starting together apply each one once.
// A server holds [LockServing] on its SQLite data directory, and
// [Restore] refuses while any does. Databases made before goose keep their history: the versions in
// their schema_migrations table move into goose's goose_db_version.
//
// SQLite runs in WAL mode with a busy timeout, one writer connection and a
// pool of readers, so concurrent writers queue instead of failing with
// "database is locked".
package store
