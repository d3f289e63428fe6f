package main

import (
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

// samples holds, for every flag, a value other than its default. A new
// flag needs one here: the test below fails until it has one.
var samples = map[string]string{
	"addr":             "127.0.0.1:9191",
	"data":             "/srv/workforce",
	"postgres":         "postgres://county@db.example/workforce",
	"no-demo":          "true",
	"body-limit":       "2M",
	"import-limit":     "64M",
	"plugins":          "/etc/workforce/catalog.json",
	"cel-rules":        "/etc/workforce/cel-rules",
	"request-timeout":  "7s",
	"shutdown-timeout": "45s",
	"trusted-proxies":  "10.0.0.0/8,192.168.0.0/16",
	"metrics-from":     "10.20.0.0/16",
	"verify-audit":     "true",
	"migrate":          "status",
	"log-level":        "debug",
	"pretty":           "true",
	"backup":           "/var/backups/workforce/workforce.db",
	"restore":          "/var/backups/workforce/workforce.db",
	"force":            "true",
	"tls-cert":         "/etc/workforce/tls.crt",
	"tls-key":          "/etc/workforce/tls.key",
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
