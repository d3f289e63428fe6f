package main_test

import (
	"bufio"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// instruction is one Dockerfile instruction: its keyword in capitals and
// its arguments, continuation lines joined.
type instruction struct {
	line int
	cmd  string
	args string
}

// readDockerfile splits a Dockerfile into instructions, grouped by build
// stage (each FROM starts one).
func readDockerfile(t *testing.T, path string) [][]instruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages [][]instruction
	var cur string
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur == "" && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur == "" {
			start = n
		}
		if more, ok := strings.CutSuffix(line, `\`); ok {
			cur += more + " "
			continue
		}
		cur += line
		cmd, args, _ := strings.Cut(cur, " ")
		in := instruction{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		cur = ""
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("%s:%d: %s before the first FROM", path, in.line, in.cmd)
			}
			continue
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return stages
}

// secretLike finds what a secret written into an image would look like.
var secretLike = regexp.MustCompile(`(?i)(password|passwd|secret|token|api[_-]?key|private key|admin\.key|decision\.key|\.pem\b|\.key\b|postgres://[^@\s]*:[^@\s]*@)`)

// TestDockerfile checks the image's recipe: a build stage and a small
// final one, a static (CGO off) build of this command, a non-root user, a
// data volume at /data the server uses, an exec-form entry point, and no
// secret anywhere. The CI script builds the image itself when a container
// engine runs.
func TestDockerfile(t *testing.T) {
	stages := readDockerfile(t, "Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("%d build stages; want a multi-stage build", len(stages))
	}
	final := stages[len(stages)-1]
	base := strings.Fields(final[0].args)[0]
	if !strings.HasPrefix(base, "gcr.io/distroless/static") && base != "scratch" {
		t.Errorf("final stage FROM %s; want distroless static or scratch", base)
	}

	static := false
	for _, stage := range stages[:len(stages)-1] {
		for _, in := range stage {
			if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
				static = strings.Contains(in.args, "CGO_ENABLED=0") && strings.Contains(in.args, "./examples/server")
			}
		}
	}
	if !static {
		t.Error("no RUN builds ./examples/server with CGO_ENABLED=0")
	}

	var user, entry string
	var env, volumes []string
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entry = in.args
		case "ENV":
			env = append(env, strings.Fields(in.args)...)
		case "VOLUME":
			volumes = append(volumes, in.args)
		case "RUN":
			t.Errorf("Dockerfile:%d: RUN in the final stage: it has no shell", in.line)
		}
	}
	name, _, _ := strings.Cut(user, ":")
	if name == "" || name == "root" || name == "0" {
		t.Errorf("final stage USER %q; want a non-root user", user)
	}
	if !strings.HasPrefix(entry, "[") {
		t.Errorf("ENTRYPOINT %s; want the exec form", entry)
	}
	if !slices.Contains(env, "WORKFORCE_DATA=/data") || !slices.Contains(volumes, `["/data"]`) {
		t.Errorf("ENV %q, VOLUME %q; want WORKFORCE_DATA=/data on a volume at /data", env, volumes)
	}
	if !slices.ContainsFunc(env, func(s string) bool { return strings.HasPrefix(s, "WORKFORCE_ADDR=0.0.0.0:") }) {
		t.Errorf("ENV %q; want WORKFORCE_ADDR listening beyond the container's loopback", env)
	}

	for _, stage := range stages {
		for _, in := range stage {
			if in.cmd == "ARG" || in.cmd == "ENV" || in.cmd == "COPY" || in.cmd == "ADD" || in.cmd == "RUN" {
				if m := secretLike.FindString(in.args); m != "" {
					t.Errorf("Dockerfile:%d: %s %s holds %q: secrets never go into the image", in.line, in.cmd, in.args, m)
				}
			}
		}
	}

	// The build context is the repository: data, keys and databases stay out.
	ignore, err := os.ReadFile("Dockerfile.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{".git", "**/data", "**/*.db", "**/*.key", "**/.env"} {
		if !slices.Contains(strings.Split(string(ignore), "\n"), pattern) {
			t.Errorf("Dockerfile.dockerignore lacks %s", pattern)
		}
	}
}

// readUnit reads a systemd unit file: section -> key -> values, in order
// (a key may repeat).
func readUnit(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string]map[string][]string{}
	section := ""
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			unit[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: %q is not a key=value line of a section", path, n+1, line)
			}
			unit[section][k] = append(unit[section][k], v)
		}
	}
	return unit
}

// TestSystemdUnits checks the service's hardening: its own user, a
// read-only system but for the data directory, no privileges, private
// /tmp, and the data directory the server is told to use.
func TestSystemdUnits(t *testing.T) {
	for _, path := range []string{"deploy/workforce.service", "deploy/workforce-backup.service"} {
		t.Run(path, func(t *testing.T) {
			svc := readUnit(t, path)["Service"]
			if svc == nil {
				t.Fatal("no [Service] section")
			}
			last := func(k string) string {
				if v := svc[k]; len(v) > 0 {
					return v[len(v)-1]
				}
				return ""
			}
			if last("DynamicUser") != "yes" && (last("User") == "" || last("User") == "root") {
				t.Errorf("DynamicUser=%q User=%q; want a dynamic or dedicated user", last("DynamicUser"), last("User"))
			}
			for k, want := range map[string]string{
				"ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes", "ProtectHome": "yes",
				"PrivateDevices": "yes", "CapabilityBoundingSet": "", "UMask": "0077", "SystemCallArchitectures": "native",
			} {
				if got, ok := svc[k]; !ok || last(k) != want {
					t.Errorf("%s=%q (set: %v); want %q", k, got, ok, want)
				}
			}
			var data string
			for _, e := range svc["Environment"] {
				for _, kv := range strings.Fields(e) {
					if v, ok := strings.CutPrefix(kv, "WORKFORCE_DATA="); ok {
						data = v
					}
				}
			}
			writable := strings.Fields(strings.Join(svc["ReadWritePaths"], " "))
			if data == "" || !slices.Contains(writable, data) {
				t.Errorf("WORKFORCE_DATA=%q, ReadWritePaths %q; want the data directory writable, and only what is needed", data, writable)
			}
			if !strings.HasPrefix(last("ExecStart"), "/") {
				t.Errorf("ExecStart=%q; want an absolute path", last("ExecStart"))
			}
		})
	}
	timer := readUnit(t, "deploy/workforce-backup.timer")
	if len(timer["Timer"]["OnCalendar"]) == 0 {
		t.Error("workforce-backup.timer has no OnCalendar")
	}
	verifyUnits(t, "workforce.service", "workforce-backup.service", "workforce-backup.timer")
}

// verifyUnits runs `systemd-analyze verify` on copies of the units, where
// it is installed, with the server's path replaced by /bin/true (verify
// wants the executable present): an unknown key or a bad value is a
// warning naming the file, and fails the test.
func verifyUnits(t *testing.T, names ...string) {
	t.Helper()
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: the units' syntax is not verified")
		return
	}
	dir := t.TempDir()
	var paths []string
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("deploy", name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/workforce-server", "/bin/true")), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, _ := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, dir) {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}
}

// TestComposeFile parses the compose file: the server and PostgreSQL,
// the server read-only with a tmpfs /tmp, its data on a volume at /data,
// plug-ins mounted read-only with their catalog named, waiting for a
// healthy database, and no password written in the file.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type service struct {
		Image       string            `yaml:"image"`
		Build       map[string]string `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		ReadOnly    bool              `yaml:"read_only"`
		Tmpfs       []string          `yaml:"tmpfs"`
		User        string            `yaml:"user"`
		CapDrop     []string          `yaml:"cap_drop"`
		SecurityOpt []string          `yaml:"security_opt"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck map[string]any `yaml:"healthcheck"`
	}
	var file struct {
		Services map[string]service `yaml:"services"`
		Volumes  map[string]any     `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(b, &file); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	wf, ok := file.Services["workforce"]
	pg, ok2 := file.Services["postgres"]
	if !ok || !ok2 {
		t.Fatalf("services %v; want workforce and postgres", slices.Sorted(maps.Keys(file.Services)))
	}
	if wf.Build["dockerfile"] != "examples/server/Dockerfile" || wf.Build["context"] != "../../.." {
		t.Errorf("workforce build %v; want this Dockerfile from the repository root", wf.Build)
	}
	if !wf.ReadOnly || !slices.Contains(wf.Tmpfs, "/tmp") {
		t.Errorf("workforce read_only %v, tmpfs %v; want a read-only root with /tmp on tmpfs", wf.ReadOnly, wf.Tmpfs)
	}
	if !slices.Contains(wf.Volumes, "data:/data") || !slices.ContainsFunc(wf.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/plugins:ro") }) {
		t.Errorf("workforce volumes %v; want data:/data and plug-ins read-only at /plugins", wf.Volumes)
	}
	if wf.Environment["WORKFORCE_PLUGINS"] != "/plugins/catalog.json" {
		t.Errorf("WORKFORCE_PLUGINS = %q; want the mounted catalog", wf.Environment["WORKFORCE_PLUGINS"])
	}
	if _, err := os.Stat("deploy/plugins/catalog.json"); err != nil {
		t.Errorf("the mounted catalog: %v", err)
	}
	if dsn := wf.Environment["WORKFORCE_POSTGRES"]; !strings.Contains(dsn, "@postgres:5432/") || !strings.Contains(dsn, "${POSTGRES_PASSWORD") {
		t.Errorf("WORKFORCE_POSTGRES = %q; want the postgres service, its password from the environment", dsn)
	}
	if pw := pg.Environment["POSTGRES_PASSWORD"]; !strings.HasPrefix(pw, "${POSTGRES_PASSWORD:?") {
		t.Errorf("POSTGRES_PASSWORD = %q; want it required from the environment, never written here", pw)
	}
	if wf.DependsOn["postgres"].Condition != "service_healthy" || pg.Healthcheck == nil {
		t.Errorf("workforce depends_on %v, postgres healthcheck %v; want to wait for a healthy database", wf.DependsOn, pg.Healthcheck)
	}
	if u, _, _ := strings.Cut(wf.User, ":"); u == "" || u == "0" || u == "root" {
		t.Errorf("workforce user %q; want non-root", wf.User)
	}
	if !slices.Contains(wf.CapDrop, "ALL") || !slices.Contains(wf.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("cap_drop %v, security_opt %v; want ALL dropped and no-new-privileges", wf.CapDrop, wf.SecurityOpt)
	}
	if _, ok := file.Volumes["data"]; !ok {
		t.Error("no named volume data")
	}
}
