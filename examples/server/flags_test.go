package main

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// samples holds, for every flag, a value other than its default. A new
// flag needs one here: the test below fails until it has one.
var samples = map[string]string{
	"addr":                    "127.0.0.1:9191",
	"data":                    "/srv/workforce",
	"postgres":                "postgres://county@db.example/workforce",
	"no-demo":                 "true",
	"body-limit":              "2M",
	"import-limit":            "64M",
	"plugins":                 "/etc/workforce/catalog.json",
	"plugin-call-timeout":     "20s",
	"plugin-max-backoff":      "1m",
	"cel-rules":               "/etc/workforce/cel-rules",
	"request-timeout":         "7s",
	"shutdown-timeout":        "45s",
	"trusted-proxies":         "10.0.0.0/8,192.168.0.0/16",
	"metrics-from":            "10.20.0.0/16",
	"ready-cache":             "5s",
	"verify-audit":            "true",
	"migrate":                 "status",
	"log-level":               "debug",
	"pretty":                  "true",
	"backup":                  "/var/backups/workforce/workforce.db",
	"restore":                 "/var/backups/workforce/workforce.db",
	"force":                   "true",
	"tls-cert":                "/etc/workforce/tls.crt",
	"tls-key":                 "/etc/workforce/tls.key",
	"oidc-issuer":             "https://login.microsoftonline.com/8a0d3a5e-2c4b-4f5e-9b1a-3c2d1e0f9a8b/v2.0",
	"oidc-name":               "King County",
	"oidc-client-id":          "2b1c9d4e-7f3a-4e6b-8c5d-1a2b3c4d5e6f",
	"oidc-client-secret":      "s3cret-from-the-portal",
	"oidc-client-secret-file": "/run/secrets/oidc-client-secret",
	"oidc-redirect-url":       "https://workforce.kingcounty.example/web/signin/sso/callback",
	"oidc-mapping":            "/etc/workforce/oidc-mapping.json",
}

// clearEnv unsets every flag's variable for the test, so that the
// environment the tests run in does not leak in.
func clearEnv(t *testing.T) {
	t.Helper()
	newFlags(&options{}).VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		t.Setenv(name, "") // restores the value after the test
		os.Unsetenv(name)
	})
}

func parse(t *testing.T, args ...string) options {
	t.Helper()
	o, err := parseFlags(args)
	if err != nil {
		t.Fatalf("parseFlags(%q): %v", args, err)
	}
	return *o
}

// TestEveryFlagHasItsVariable sets each flag's variable alone and checks
// that it selects what the same value on the command line selects, which
// is not the default, and that -help names the variable.
func TestEveryFlagHasItsVariable(t *testing.T) {
	clearEnv(t)
	defaults := parse(t)
	seen := map[string]string{}
	newFlags(&options{}).VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		t.Run(f.Name, func(t *testing.T) {
			if other, ok := seen[name]; ok {
				t.Fatalf("-%s and -%s share the variable %s", f.Name, other, name)
			}
			seen[name] = f.Name
			if !strings.HasPrefix(name, "WORKFORCE_") {
				t.Errorf("envName(%q) = %s; want a WORKFORCE_ variable", f.Name, name)
			}
			if !strings.HasSuffix(f.Usage, "(env "+name+")") {
				t.Errorf("-%s usage %q does not name %s", f.Name, f.Usage, name)
			}
			v, ok := samples[f.Name]
			if !ok {
				t.Fatalf("-%s has no sample value in this test", f.Name)
			}
			flagged := parse(t, "-"+f.Name+"="+v)
			if reflect.DeepEqual(flagged, defaults) {
				t.Fatalf("-%s=%s selects the defaults: pick another sample", f.Name, v)
			}
			t.Setenv(name, v)
			if got := parse(t); !reflect.DeepEqual(got, flagged) {
				t.Errorf("%s=%s gives %+v; want %+v, as -%s=%s does", name, v, got, flagged, f.Name, v)
			}
		})
	})
}

func TestPublishedVariableNames(t *testing.T) {
	for flagName, want := range map[string]string{
		"addr":             "WORKFORCE_ADDR",
		"no-demo":          "WORKFORCE_NO_DEMO",
		"trusted-proxies":  "WORKFORCE_TRUSTED_PROXIES",
		"metrics-from":     "WORKFORCE_METRICS_FROM",
		"pretty":           "WORKFORCE_PRETTY_LOGS",
		"request-timeout":  "WORKFORCE_REQUEST_TIMEOUT",
		"shutdown-timeout": "WORKFORCE_SHUTDOWN_TIMEOUT",
	} {
		if got := envName(flagName); got != want {
			t.Errorf("envName(%q) = %s; want %s", flagName, got, want)
		}
	}
}

// TestCommandLineWinsOverEnvironment gives a flag both ways.
func TestCommandLineWinsOverEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv("WORKFORCE_REQUEST_TIMEOUT", "5s")
	t.Setenv("WORKFORCE_ADDR", "127.0.0.1:1")
	o := parse(t, "-request-timeout", "9s")
	if o.cfg.RequestTimeout.String() != "9s" || o.cfg.Addr != "127.0.0.1:1" {
		t.Errorf("request timeout %s, addr %s; want 9s from the command line and 127.0.0.1:1 from the environment", o.cfg.RequestTimeout, o.cfg.Addr)
	}
}

func TestBadVariableNamed(t *testing.T) {
	clearEnv(t)
	t.Setenv("WORKFORCE_SHUTDOWN_TIMEOUT", "soon")
	t.Setenv("WORKFORCE_NO_DEMO", "yes please")
	_, err := parseFlags(nil)
	if err == nil {
		t.Fatal("invalid variables accepted")
	}
	for _, name := range []string{"WORKFORCE_SHUTDOWN_TIMEOUT", "WORKFORCE_NO_DEMO"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("ErrorCode = %s; want %s", bsk.ErrorCode(err), bsk.CodeInvalid)
	}
}

func TestMigrateModes(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"-migrate", "down"}, {"-migrate", "status", "-verify-audit"}, {"-migrate", "up", "-backup", "b.db"}} {
		if _, err := parseFlags(args); bsk.ErrorCode(err) != bsk.CodeInvalid {
			t.Errorf("parseFlags(%q) = %v; want an invalid -migrate", args, err)
		}
	}
}

// TestOneCommandAtATime gives two of the commands that run and exit: each
// pair is refused, naming both.
func TestOneCommandAtATime(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{
		{"-backup", "b.db", "-restore", "b.db"},
		{"-backup", "b.db", "-verify-audit"},
		{"-restore", "b.db", "-migrate", "status"},
	} {
		_, err := parseFlags(args)
		if bsk.ErrorCode(err) != bsk.CodeInvalid || !strings.Contains(err.Error(), args[0]) || !strings.Contains(err.Error(), args[2]) {
			t.Errorf("parseFlags(%q) = %v; want an invalid error naming %s and %s", args, err, args[0], args[2])
		}
	}
}

// TestSSOConfig: the single sign-on flags are checked together, each
// problem naming its flag, and the files they name are read.
func TestSSOConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mapping := write("mapping.json", `{"claims": {"roles": {"Workforce.Admin": "admin", "Workforce.Agency": "agency"}}, "organization_claim": "org"}`)
	secret := write("secret", "from-a-file\n")
	good := oidcFlags{issuer: "https://login.example/tenant/v2.0", clientID: "app", secretFile: secret,
		redirect: "https://workforce.example/web/signin/sso/callback", mapping: mapping, name: "County"}

	if sso, err := ssoConfig(oidcFlags{}); sso != nil || err != nil {
		t.Errorf("ssoConfig(none) = %v, %v; want nil, nil", sso, err)
	}
	sso, err := ssoConfig(good)
	if err != nil {
		t.Fatalf("ssoConfig(good): %v", err)
	}
	if sso.ClientSecret != "from-a-file" || sso.Issuer != good.issuer || sso.Name != "County" || sso.Mapping.Claims["roles"]["Workforce.Agency"] != "agency" || sso.Mapping.OrganizationClaim != "org" {
		t.Errorf("ssoConfig(good) = %+v", sso)
	}
	loopbackIssuer := good
	loopbackIssuer.issuer = "http://127.0.0.1:5556/dex"
	if _, err := ssoConfig(loopbackIssuer); err != nil {
		t.Errorf("an http issuer on loopback: %v", err)
	}

	for _, c := range []struct {
		name  string
		edit  func(*oidcFlags)
		flags []string
	}{
		{"only an issuer", func(f *oidcFlags) { *f = oidcFlags{issuer: good.issuer} }, []string{"-oidc-client-id", "-oidc-redirect-url", "-oidc-mapping", "-oidc-client-secret"}},
		{"no issuer", func(f *oidcFlags) { f.issuer = "" }, []string{"-oidc-issuer"}},
		{"plain http issuer", func(f *oidcFlags) { f.issuer = "http://login.example/tenant" }, []string{"-oidc-issuer"}},
		{"callback elsewhere", func(f *oidcFlags) { f.redirect = "https://workforce.example/callback" }, []string{"-oidc-redirect-url"}},
		{"both secrets", func(f *oidcFlags) { f.secret = "x" }, []string{"-oidc-client-secret"}},
		{"empty secret file", func(f *oidcFlags) { f.secretFile = write("empty", "\n") }, []string{"-oidc-client-secret-file"}},
		{"missing mapping", func(f *oidcFlags) { f.mapping = filepath.Join(dir, "nope.json") }, []string{"-oidc-mapping"}},
		{"unknown role", func(f *oidcFlags) { f.mapping = write("bad.json", `{"claims": {"groups": {"g1": "superuser"}}}`) }, []string{"-oidc-mapping", "claims.groups.g1"}},
		{"agency without organization claim", func(f *oidcFlags) { f.mapping = write("agency.json", `{"claims": {"roles": {"A": "agency"}}}`) }, []string{"organization_claim"}},
		{"unknown field", func(f *oidcFlags) {
			f.mapping = write("field.json", `{"claims": {"roles": {"A": "admin"}}, "org_claim": "x"}`)
		}, []string{"org_claim"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := good
			c.edit(&f)
			sso, err := ssoConfig(f)
			if sso != nil || bsk.ErrorCode(err) != bsk.CodeInvalid {
				t.Fatalf("ssoConfig = %v, %v; want an invalid error", sso, err)
			}
			for _, name := range c.flags {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("error %q does not name %s", err, name)
				}
			}
		})
	}
}

// TestPluginDurationsPositive refuses a plug-in call timeout or backoff that
// is zero or negative: a negative deadline would fail every call at once.
func TestPluginDurationsPositive(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"-plugin-call-timeout", "0s"}, {"-plugin-call-timeout", "-1s"}, {"-plugin-max-backoff", "-5m"}} {
		_, err := parseFlags(args)
		if bsk.ErrorCode(err) != bsk.CodeInvalid || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("parseFlags(%q) = %v; want invalid naming %s", args, err, args[0])
		}
	}
	o := parse(t, "-plugin-call-timeout", "3s")
	if o.cfg.Plugins.CallTimeout.String() != "3s" || o.cfg.Plugins.MaxBackoff.String() != "30s" {
		t.Errorf("plug-in options %+v; want a 3s call timeout and the 30s default backoff", o.cfg.Plugins)
	}
}
