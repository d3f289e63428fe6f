package store

import "database/sql"

// Pools returns the store's connection pools by role, for metrics
// ([database/sql.DBStats]): "read" and "write" for SQLite, which keeps a
// single writer apart from its readers, and "main" for PostgreSQL, whose
// one pool serves both. The caller must not close them.
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"main": db.read}
	}
	return map[string]*sql.DB{"read": db.read, "write": db.write}
}
