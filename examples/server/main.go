// Command server is the reference server of github.com/beststarts/workforce:
// an Echo JSON API over an embedded SQLite database (or PostgreSQL), with
// schema-validated input, API keys with roles, an audit log and structured
// logs.
//
// With no flags it creates ./data, loads a synthetic King County workforce,
// writes an administrator key to data/admin.key (readable only by the
// owner), and listens on 127.0.0.1:8080:
//
//	go run ./examples/server
//
// Every flag can also be set by an environment variable, named in -help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		var broken *store.AuditBreak
		if errors.As(err, &broken) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// verifyAudit checks the audit log's hash chain and prints the entries
// checked, the head and the first break. A broken chain is an
// [*store.AuditBreak] error.
func verifyAudit(cfg app.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var db *store.DB
	var err error
	if cfg.Postgres != "" {
		db, err = store.OpenPostgres(ctx, cfg.Postgres)
	} else {
		if _, err := os.Stat(filepath.Join(cfg.Data, "workforce.db")); err != nil {
			return fmt.Errorf("no database in %s: %w", cfg.Data, err)
		}
		db, err = store.OpenSQLite(ctx, cfg.Data)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("audit entries checked: %d\nhead: entry %d, hash %s\n", r.Entries, r.Head.Seq, r.Head.Hash)
	if r.Unchained > 0 {
		fmt.Printf("entries written before the chain, chained by the next append: %d\n", r.Unchained)
	}
	if r.Break != nil {
		fmt.Printf("BROKEN at entry %d: %s\n", r.Break.Seq, r.Break.Reason)
		return r.Break
	}
	fmt.Println("the chain holds")
	return nil
}

// env returns the environment variable's value, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func run(args []string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	var cfg app.Config
	fs.StringVar(&cfg.Addr, "addr", env("WORKFORCE_ADDR", "127.0.0.1:8080"), "listen address (env WORKFORCE_ADDR); port 0 picks a free port")
	fs.StringVar(&cfg.Data, "data", env("WORKFORCE_DATA", "data"), "data directory: SQLite database and admin key (env WORKFORCE_DATA)")
	fs.StringVar(&cfg.Postgres, "postgres", env("WORKFORCE_POSTGRES", ""), "PostgreSQL DSN; when set, PostgreSQL replaces SQLite (env WORKFORCE_POSTGRES)")
	fs.BoolVar(&cfg.NoDemo, "no-demo", env("WORKFORCE_NO_DEMO", "") != "", "do not load the synthetic workforce on first start (env WORKFORCE_NO_DEMO)")
	fs.StringVar(&cfg.BodyLimit, "body-limit", env("WORKFORCE_BODY_LIMIT", "1M"), "largest request body (env WORKFORCE_BODY_LIMIT)")
	fs.StringVar(&cfg.ImportLimit, "import-limit", env("WORKFORCE_IMPORT_LIMIT", "20M"), "largest CSV import (env WORKFORCE_IMPORT_LIMIT)")
	fs.StringVar(&cfg.PluginCatalog, "plugins", env("WORKFORCE_PLUGINS", ""), "plug-in catalog file: agencies' rules to run (env WORKFORCE_PLUGINS)")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", 30*time.Second, "time limit of one API request")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "time to drain in-flight requests on shutdown")
	proxies := fs.String("trusted-proxies", env("WORKFORCE_TRUSTED_PROXIES", ""), "comma-separated networks (CIDR) of reverse proxies whose X-Forwarded-For names the client; empty trusts none (env WORKFORCE_TRUSTED_PROXIES)")
	verify := fs.Bool("verify-audit", false, "verify the audit log's hash chain in the -data or -postgres database, print the result and exit: status 0 if it holds, 2 if it is broken")
	logLevel := fs.String("log-level", env("WORKFORCE_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env WORKFORCE_LOG_LEVEL)")
	pretty := fs.Bool("pretty", env("WORKFORCE_PRETTY_LOGS", "") != "", "human-readable logs instead of JSON (env WORKFORCE_PRETTY_LOGS)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: server [flags]\n       server -verify-audit [-data DIR | -postgres DSN]\n\nThe Best Starts for Kids workforce reference server.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return err
	}
	if *proxies != "" {
		cfg.TrustedProxies = strings.Split(*proxies, ",")
	}
	if *verify {
		return verifyAudit(cfg)
	}
	level, err := zerolog.ParseLevel(strings.ToLower(*logLevel))
	if err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	var log zerolog.Logger
	if *pretty {
		log = zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(level).With().Timestamp().Logger()
	} else {
		log = zerolog.New(os.Stderr).Level(level).With().Timestamp().Logger()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	url := "http://" + l.Addr().String()
	log.Info().Str("url", url).Msg("listening")
	fmt.Printf("listening on %s\n", url)
	fmt.Printf("administrator key: %s\n", a.AdminKeyFile)
	fmt.Printf("try: curl -H \"Authorization: Bearer $(cat %s)\" %s/api/v1/providers?limit=2\n", a.AdminKeyFile, url)
	return a.Serve(ctx, l)
}
