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
// It prints the web app's address (/web/, pages for the people who run the
// program, over the same services as the API) with a one-time
// administrator sign-in link that works for 15 minutes.
//
// Every flag can also be set by an environment variable, named in -help:
// WORKFORCE_ and the flag's name in capitals (WORKFORCE_REQUEST_TIMEOUT for
// -request-timeout; -pretty keeps WORKFORCE_PRETTY_LOGS). The command line
// wins over the environment.
//
// The database's migrations are applied on start. To apply them as a step
// of their own, or to see where a database stands:
//
//	go run ./examples/server -migrate up
//	go run ./examples/server -migrate status
//
// With -oidc-issuer, -oidc-client-id, a client secret, -oidc-redirect-url
// and -oidc-mapping, people sign in to the web app with the county's
// OpenID Connect provider (Microsoft Entra ID, for one); see the README.
//
// With -tls-cert and -tls-key it serves HTTPS itself (TLS 1.2 or later,
// HTTP/2, Strict-Transport-Security on every response), and reloads the
// certificate on SIGHUP. A SQLite database is backed up while the server
// runs, and restored into an empty data directory, its audit chain
// verified:
//
//	go run ./examples/server -backup /var/backups/workforce-2026-12-01.db
//	go run ./examples/server -restore /var/backups/workforce-2026-12-01.db -data /srv/workforce
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/examples/server/internal/web"
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

// envNames are the environment variables whose names do not follow
// [envName]'s rule, kept as they were first published.
var envNames = map[string]string{"pretty": "WORKFORCE_PRETTY_LOGS"}

// envName is the environment variable of a flag: WORKFORCE_ and the flag's
// name in capitals with dashes as underscores (-request-timeout is
// WORKFORCE_REQUEST_TIMEOUT).
func envName(flagName string) string {
	if name, ok := envNames[flagName]; ok {
		return name
	}
	return "WORKFORCE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// options is what the flags select.
type options struct {
	cfg      app.Config
	proxies  string
	metrics  string
	verify   bool
	migrate  string
	logLevel string
	pretty   bool
	backup   string
	restore  string
	force    bool
	tlsCert  string
	tlsKey   string
	oidc     oidcFlags
}

// oidcFlags are the single sign-on flags, checked together by [ssoConfig].
type oidcFlags struct {
	issuer, name, clientID, secret, secretFile, redirect, mapping string
}

// newFlags defines the server's flags, bound to o. Every flag's usage ends
// with the name of its environment variable.
func newFlags(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.StringVar(&o.cfg.Addr, "addr", "127.0.0.1:8080", "listen address; port 0 picks a free port")
	fs.StringVar(&o.cfg.Data, "data", "data", "data directory: SQLite database and admin key")
	fs.StringVar(&o.cfg.Postgres, "postgres", "", "PostgreSQL DSN; when set, PostgreSQL replaces SQLite")
	fs.BoolVar(&o.cfg.NoDemo, "no-demo", false, "do not load the synthetic workforce on first start")
	fs.StringVar(&o.cfg.BodyLimit, "body-limit", "1M", "largest request body")
	fs.StringVar(&o.cfg.ImportLimit, "import-limit", "20M", "largest CSV import")
	fs.StringVar(&o.cfg.PluginCatalog, "plugins", "", "plug-in catalog file: agencies' rules to run")
	fs.DurationVar(&o.cfg.Plugins.CallTimeout, "plugin-call-timeout", 10*time.Second, "time limit of one call of a plug-in rule; a plug-in that misses it is restarted and its applications need review")
	fs.DurationVar(&o.cfg.Plugins.MaxBackoff, "plugin-max-backoff", 30*time.Second, "longest wait between relaunches of a plug-in that is down (the first is 100ms, doubling)")
	fs.StringVar(&o.cfg.CELRules, "cel-rules", "", "folder of agencies' CEL rule files (NAME.yaml), which programs name in cel_rules")
	fs.DurationVar(&o.cfg.RequestTimeout, "request-timeout", 30*time.Second, "time limit of one API request")
	fs.DurationVar(&o.cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "time to drain in-flight requests on shutdown")
	fs.StringVar(&o.proxies, "trusted-proxies", "", "comma-separated networks (CIDR) of reverse proxies whose X-Forwarded-For names the client; empty trusts none")
	fs.DurationVar(&o.cfg.ReadyCache, "ready-cache", time.Second, "how long /readyz answers its last result before it checks the database and pings the plug-ins again, so a storm of probes reaches them once; 0 checks on every call")
	fs.StringVar(&o.metrics, "metrics-from", "", "comma-separated networks (CIDR) whose clients may read /metrics without a key (an administrator key reads it from anywhere); empty allows loopback only")
	fs.BoolVar(&o.verify, "verify-audit", false, "verify the audit log's hash chain in the -data or -postgres database, print the result and exit: status 0 if it holds, 2 if it is broken")
	fs.StringVar(&o.migrate, "migrate", "", "\"status\": list the migrations of the -data or -postgres database, each with whether and when it was applied, and exit; \"up\": apply the pending ones and exit; empty: apply them and serve")
	fs.StringVar(&o.backup, "backup", "", "write an online, consistent copy of the -data SQLite database (with its decision key) to this file, mode 0600, and exit; the server may keep running")
	fs.StringVar(&o.restore, "restore", "", "restore this backup into the -data directory, verify its audit chain and exit; refuses a directory that holds a database unless -force")
	fs.BoolVar(&o.force, "force", false, "with -backup, overwrite an existing file; with -restore, replace the database in -data (refused while a server runs on it)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate chain file: serve HTTPS (TLS 1.2 or later) instead of HTTP; needs -tls-key; SIGHUP reloads both files")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key file of -tls-cert")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.BoolVar(&o.pretty, "pretty", false, "human-readable logs instead of JSON")
	fs.StringVar(&o.oidc.issuer, "oidc-issuer", "", "single sign-on for the web app: the OpenID Connect provider's issuer URL (https); needs -oidc-client-id, a client secret, -oidc-redirect-url and -oidc-mapping")
	fs.StringVar(&o.oidc.name, "oidc-name", "", "the provider's name on the sign-in button (\"Sign in with NAME\"); default \"single sign-on\"")
	fs.StringVar(&o.oidc.clientID, "oidc-client-id", "", "the web app's client ID at the OpenID Connect provider")
	fs.StringVar(&o.oidc.secret, "oidc-client-secret", "", "the web app's client secret at the provider; prefer -oidc-client-secret-file")
	fs.StringVar(&o.oidc.secretFile, "oidc-client-secret-file", "", "file holding the web app's client secret at the provider")
	fs.StringVar(&o.oidc.redirect, "oidc-redirect-url", "", "this server's public URL of the sign-in callback, registered at the provider: https://HOST/web/signin/sso/callback")
	fs.StringVar(&o.oidc.mapping, "oidc-mapping", "", "JSON file mapping ID-token claim values to roles, and naming the organization and provider claims (see README)")
	fs.VisitAll(func(f *flag.Flag) { f.Usage += " (env " + envName(f.Name) + ")" })
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: server [flags]\n       server -verify-audit [-data DIR | -postgres DSN]\n       server -migrate status|up [-data DIR | -postgres DSN]\n       server -backup FILE [-data DIR] [-force]\n       server -restore FILE [-data DIR] [-force]\n\nThe Best Starts for Kids workforce reference server.\nEvery flag can be set by its environment variable; an empty one is unset, and\nthe command line wins.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags sets every flag from its environment variable, when that is
// set and not empty, then from the command line. A variable that is not a
// valid value of its flag is a [bsk.CodeInvalid] error naming the
// variable.
func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := newFlags(o)
	var bad []error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		if v := os.Getenv(name); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				bad = append(bad, bsk.Invalidf(name, "%q is not a value of -%s: %v", v, f.Name, err))
			}
		}
	})
	if err := errors.Join(bad...); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch o.migrate {
	case "", "up", "status":
	default:
		return nil, bsk.Invalidf("-migrate", "%q is neither status nor up", o.migrate)
	}
	if o.migrate != "" && o.verify {
		return nil, bsk.Invalidf("-migrate", "-migrate and -verify-audit are separate commands: give one")
	}
	var commands []string
	for name, given := range map[string]bool{"-verify-audit": o.verify, "-migrate": o.migrate != "", "-backup": o.backup != "", "-restore": o.restore != ""} {
		if given {
			commands = append(commands, name)
		}
	}
	if len(commands) > 1 {
		slices.Sort(commands)
		return nil, bsk.Invalidf(commands[0], "%s are separate commands: give one", strings.Join(commands, " and "))
	}
	for name, d := range map[string]time.Duration{"-plugin-call-timeout": o.cfg.Plugins.CallTimeout, "-plugin-max-backoff": o.cfg.Plugins.MaxBackoff} {
		if d <= 0 {
			return nil, bsk.Invalidf(name, "%s is not a positive duration", d)
		}
	}
	switch {
	case o.cfg.ReadyCache < 0:
		return nil, bsk.Invalidf("-ready-cache", "%s is negative", o.cfg.ReadyCache)
	case o.cfg.ReadyCache == 0:
		o.cfg.ReadyCache = -1 // the configuration's zero is the default
	}
	if o.proxies != "" {
		o.cfg.TrustedProxies = strings.Split(o.proxies, ",")
	}
	if o.metrics != "" {
		o.cfg.MetricsFrom = strings.Split(o.metrics, ",")
	}
	return o, nil
}

// migrateCommand lists ("status") or applies ("up") the migrations of the
// configured database and prints the result to w. Status changes nothing,
// and on SQLite needs an existing database.
func migrateCommand(cfg app.Config, mode string, w io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var db *store.DB
	var err error
	switch {
	case cfg.Postgres != "":
		db, err = store.ConnectPostgres(ctx, cfg.Postgres)
	case mode == "status":
		if _, err := os.Stat(filepath.Join(cfg.Data, "workforce.db")); err != nil {
			return fmt.Errorf("no database in %s: %w", cfg.Data, err)
		}
		fallthrough
	default:
		db, err = store.ConnectSQLite(ctx, cfg.Data)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if mode == "up" {
		done, err := db.Migrate(ctx)
		for _, m := range done {
			fmt.Fprintf(w, "applied %d %s\n", m.Version, m.Name)
		}
		if err != nil {
			return err
		}
		if len(done) == 0 {
			fmt.Fprintln(w, "nothing to apply")
		}
	}
	list, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if mode == "up" {
		fmt.Fprintf(w, "database at version %d\n", list[len(list)-1].Version)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	for _, m := range list {
		at := "pending"
		if m.Applied {
			at = m.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, at)
	}
	return tw.Flush()
}

func run(args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	cfg := o.cfg
	if o.verify {
		return verifyAudit(cfg)
	}
	if o.migrate != "" {
		return migrateCommand(cfg, o.migrate, os.Stdout)
	}
	if o.backup != "" {
		return backupCommand(cfg, o.backup, o.force, os.Stdout)
	}
	if o.restore != "" {
		return restoreCommand(cfg, o.restore, o.force, os.Stdout)
	}
	tlsConfig, cert, err := loadTLS(o.tlsCert, o.tlsKey)
	if err != nil {
		return err
	}
	if cfg.SSO, err = ssoConfig(o.oidc); err != nil {
		return err
	}
	level, err := zerolog.ParseLevel(strings.ToLower(o.logLevel))
	if err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	var log zerolog.Logger
	if o.pretty {
		log = zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(level).With().Timestamp().Logger()
	} else {
		log = zerolog.New(os.Stderr).Level(level).With().Timestamp().Logger()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reloadOnHangup(ctx, cert, log)
	if cfg.Postgres == "" {
		// Held until the process ends: -restore refuses while it is.
		lock, err := store.LockServing(cfg.Data)
		if err != nil {
			return err
		}
		defer lock.Unlock()
	}
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
	if tlsConfig != nil {
		l = tls.NewListener(l, tlsConfig)
		url = "https://" + l.Addr().String()
	}
	log.Info().Str("url", url).Msg("listening")
	fmt.Printf("listening on %s\n", url)
	fmt.Printf("administrator key: %s\n", a.AdminKeyFile)
	if a.SignInPath != "" {
		fmt.Printf("web app: %s/web/ (one-time administrator sign-in, 15 minutes: %s%s)\n", url, url, a.SignInPath)
	}
	fmt.Printf("try: curl -H \"Authorization: Bearer $(cat %s)\" %s/api/v1/providers?limit=2\n", a.AdminKeyFile, url)
	return a.Serve(ctx, l)
}

// certificate is the served TLS certificate, read from its files on start
// and again on SIGHUP, so that a renewed certificate is served without a
// restart.
type certificate struct {
	certFile, keyFile string
	cur               atomic.Pointer[tls.Certificate]
}

// load reads the certificate and key files; on error the certificate
// served so far stays.
func (c *certificate) load() error {
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return bsk.Invalidf("-tls-cert", "loading %s and %s: %v", c.certFile, c.keyFile, err)
	}
	c.cur.Store(&cert)
	return nil
}

// reloadOnHangup reloads the certificate (when there is one) on every
// SIGHUP until ctx ends, logging the outcome. Without TLS a SIGHUP is
// logged and ignored, so `systemctl reload` never stops the server.
func reloadOnHangup(ctx context.Context, c *certificate, log zerolog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			}
			if c == nil {
				log.Info().Msg("SIGHUP: no TLS certificate to reload")
			} else if err := c.load(); err != nil {
				log.Error().Err(err).Msg("SIGHUP: the TLS certificate was not reloaded; serving the previous one")
			} else {
				log.Info().Str("file", c.certFile).Msg("SIGHUP: reloaded the TLS certificate")
			}
		}
	}()
}

// loadTLS returns the TLS configuration of -tls-cert and -tls-key, and the
// certificate it serves, or nils when neither is given: TLS 1.2 or later
// with Go's default cipher suites and curves, HTTP/2 offered first.
func loadTLS(certFile, keyFile string) (*tls.Config, *certificate, error) {
	switch {
	case certFile == "" && keyFile == "":
		return nil, nil, nil
	case certFile == "":
		return nil, nil, bsk.Invalidf("-tls-cert", "-tls-key needs -tls-cert, its certificate")
	case keyFile == "":
		return nil, nil, bsk.Invalidf("-tls-key", "-tls-cert needs -tls-key, its private key")
	}
	c := &certificate{certFile: certFile, keyFile: keyFile}
	if err := c.load(); err != nil {
		return nil, nil, err
	}
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return c.cur.Load(), nil },
		NextProtos:     []string{"h2", "http/1.1"},
	}, c, nil
}

// carriedFiles are the data directory's files a backup carries with the
// database: the decision key, without which the inputs hashes of the
// decision records cannot be checked. The administrator key is not
// carried: the database keeps only its hash, and whoever restores holds
// the key already.
var carriedFiles = []string{"decision.key"}

// backupCommand writes an online copy of the SQLite database of cfg.Data,
// with its carried files, to dest, and prints what it wrote to w. On
// PostgreSQL it refuses, naming pg_dump.
func backupCommand(cfg app.Config, dest string, force bool, w io.Writer) error {
	if cfg.Postgres != "" {
		return bsk.Invalidf("-backup", "%s", store.PostgresBackupHelp)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	if _, err := os.Stat(filepath.Join(cfg.Data, "workforce.db")); err != nil {
		return bsk.NotFoundf("-data", "no database in %s: %v", cfg.Data, err)
	}
	var files []store.BackupFile
	for _, name := range carriedFiles {
		b, err := os.ReadFile(filepath.Join(cfg.Data, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		files = append(files, store.BackupFile{Name: name, Data: b})
	}
	db, err := store.ConnectSQLite(ctx, cfg.Data)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, dest, files, force); err != nil {
		return err
	}
	st, err := os.Stat(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "backed up %s to %s: %d bytes in %s\n", db.Path(), dest, st.Size(), time.Since(start).Round(time.Millisecond))
	for _, f := range files {
		fmt.Fprintf(w, "with %s\n", f.Name)
	}
	return nil
}

// restoreCommand restores the backup src into cfg.Data and prints what it
// did and the audit chain's verification to w. A broken chain leaves the
// directory as it was and is an [*store.AuditBreak] error. On PostgreSQL it
// refuses, naming pg_restore.
func restoreCommand(cfg app.Config, src string, force bool, w io.Writer) error {
	if cfg.Postgres != "" {
		return bsk.Invalidf("-restore", "%s", store.PostgresBackupHelp)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	r, err := store.Restore(ctx, src, cfg.Data, force)
	if r.Audit.Break != nil {
		fmt.Fprintf(w, "NOT RESTORED: the backup's audit chain is BROKEN at entry %d: %s\n", r.Audit.Break.Seq, r.Audit.Break.Reason)
	}
	if err != nil {
		return err
	}
	for _, m := range r.Migrated {
		fmt.Fprintf(w, "applied %d %s\n", m.Version, m.Name)
	}
	fmt.Fprintf(w, "restored %s to %s\n", src, r.Path)
	for _, name := range r.Files {
		fmt.Fprintf(w, "with %s\n", name)
	}
	fmt.Fprintf(w, "audit entries checked: %d\nhead: entry %d, hash %s\nthe chain holds\n", r.Audit.Entries, r.Audit.Head.Seq, r.Audit.Head.Hash)
	return nil
}

// ssoConfig checks the single sign-on flags together and reads the files
// they name: nil when none is given. The issuer must be https (http only
// on a loopback host, for trying it out), and the redirect URL must end in
// the web app's callback path.
//
// Errors: invalid, naming the flag.
func ssoConfig(f oidcFlags) (*web.SSO, error) {
	if f == (oidcFlags{}) {
		return nil, nil
	}
	var errs []error
	need := func(v, flag string) {
		if v == "" {
			errs = append(errs, bsk.Invalidf(flag, "is required for single sign-on"))
		}
	}
	need(f.issuer, "-oidc-issuer")
	need(f.clientID, "-oidc-client-id")
	need(f.redirect, "-oidc-redirect-url")
	need(f.mapping, "-oidc-mapping")
	if u, err := url.Parse(f.issuer); f.issuer != "" && (err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && loopback(u.Hostname()))) {
		errs = append(errs, bsk.Invalidf("-oidc-issuer", "%q is not an https URL", f.issuer))
	}
	if u, err := url.Parse(f.redirect); f.redirect != "" && (err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.Path != web.Prefix+"/signin/sso/callback") {
		errs = append(errs, bsk.Invalidf("-oidc-redirect-url", "%q is not this server's callback URL: https://HOST%s/signin/sso/callback", f.redirect, web.Prefix))
	}
	secret := f.secret
	switch {
	case f.secret != "" && f.secretFile != "":
		errs = append(errs, bsk.Invalidf("-oidc-client-secret", "give -oidc-client-secret or -oidc-client-secret-file, not both"))
	case f.secretFile != "":
		b, err := os.ReadFile(f.secretFile)
		if secret = strings.TrimSpace(string(b)); err != nil || secret == "" {
			errs = append(errs, bsk.Invalidf("-oidc-client-secret-file", "%s holds no secret", f.secretFile))
		}
	case f.secret == "":
		errs = append(errs, bsk.Invalidf("-oidc-client-secret", "a client secret is required: give -oidc-client-secret-file"))
	}
	var mapping web.ClaimMapping
	if f.mapping != "" {
		b, err := os.Open(f.mapping)
		if err != nil {
			errs = append(errs, bsk.Invalidf("-oidc-mapping", "%v", err))
		} else {
			mapping, err = web.ParseClaimMapping(b)
			b.Close()
			if err != nil {
				errs = append(errs, fmt.Errorf("-oidc-mapping %s: %w", f.mapping, err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &web.SSO{Name: f.name, Issuer: f.issuer, ClientID: f.clientID, ClientSecret: secret, RedirectURL: f.redirect, Mapping: mapping}, nil
}

// loopback reports whether host is a loopback name or address.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
