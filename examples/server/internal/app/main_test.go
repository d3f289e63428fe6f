package app_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/beststarts/workforce/plugins"
)

// pluginDir holds the plug-in binaries the tests run as real processes.
var pluginDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "server-plugins")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pluginDir = dir
	for name, pkg := range map[string]string{
		"sixmonths": "github.com/beststarts/workforce/plugins/examples/sixmonths",
		"minhours":  "github.com/beststarts/workforce/plugins/examples/minhours",
		"flaky":     "./testdata/flaky",
	} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg).CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "building plug-in %s: %v\n%s", name, err, out)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// catalogFile writes a catalog of the built plug-ins, with their true
// checksums, and returns its path.
func catalogFile(t testing.TB, entries ...plugins.Entry) string {
	t.Helper()
	for i := range entries {
		if entries[i].Path == "" {
			entries[i].Path = filepath.Join(pluginDir, entries[i].Name)
		}
		if entries[i].SHA256 == "" {
			sum, err := plugins.Checksum(entries[i].Path)
			if err != nil {
				t.Fatal(err)
			}
			entries[i].SHA256 = sum
		}
	}
	b, err := jsonMarshal(plugins.Catalog{Plugins: entries})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "catalog.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
