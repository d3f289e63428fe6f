package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env is the environment variable that holds the test database's DSN.
const Env = "WORKFORCE_TEST_POSTGRES"

// Schema creates a new schema in the test database, dropped when t ends,
// and returns the database's DSN with its search_path set to that schema
// and params (such as "timezone=America/Los_Angeles") appended. Without
// [Env] it returns "", false, and the caller skips or logs.
func Schema(t testing.TB, params ...string) (string, bool) {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		return "", false
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + strings.Join(append([]string{"search_path=" + schema}, params...), "&"), true
}
