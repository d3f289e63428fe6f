// Package pgtest gives a test of the reference server a PostgreSQL schema
// of its own in the database WORKFORCE_TEST_POSTGRES names, so the
// PostgreSQL variants of the tests run side by side without seeing each
// other's rows. It is imported by tests only.
//
//	dsn, ok := pgtest.Schema(t)
//	if !ok {
//		t.Skip("WORKFORCE_TEST_POSTGRES is not set: PostgreSQL variant skipped")
//	}
package pgtest
