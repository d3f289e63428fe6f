package plugins_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
)

const goodSum = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestParseCatalog(t *testing.T) {
	tests := []struct {
		name, json string
		code       bsk.Code
		contains   string
	}{
		{"ok", `{"plugins":[{"agency":"A","name":"six","path":"/bin/six","sha256":"` + goodSum + `","enabled":true}]}`, "", ""},
		{"empty", `{"plugins":[]}`, "", ""},
		{"not json", `{"plugins":`, bsk.CodeInvalid, "catalog:"},
		{"unknown field", `{"plugins":[{"agency":"A","name":"six","path":"p","sha256":"` + goodSum + `","enabeld":true}]}`, bsk.CodeInvalid, `unknown field "enabeld"`},
		{"trailing data", `{"plugins":[]} {}`, bsk.CodeInvalid, "data after"},
		{"missing fields", `{"plugins":[{}]}`, bsk.CodeInvalid, "plugins[0].agency: is required"},
		{"bad sha", `{"plugins":[{"agency":"A","name":"six","path":"p","sha256":"ABC"}]}`, bsk.CodeInvalid, "plugins[0].sha256: must be 64 lowercase hex digits"},
		{"bad name", `{"plugins":[{"agency":"A","name":"Six Months","path":"p","sha256":"` + goodSum + `"}]}`, bsk.CodeInvalid, "plugins[0].name"},
		{"duplicate", `{"plugins":[{"agency":"A","name":"six","path":"p","sha256":"` + goodSum + `"},{"agency":"B","name":"six","path":"q","sha256":"` + goodSum + `"}]}`, bsk.CodeConflict, `plugins[1].name: "six" is also the name of plugins[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plugins.ParseCatalog([]byte(tt.json))
			if got := bsk.ErrorCode(err); got != tt.code {
				t.Fatalf("ParseCatalog = %v (%q); want code %q", err, got, tt.code)
			}
			if err != nil && !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("ParseCatalog = %q; want it to contain %q", err, tt.contains)
			}
		})
	}
}

func TestReadCatalog(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "catalog.json")
	body := `{"plugins":[{"agency":"A","name":"six","path":"bin/six","sha256":"` + goodSum + `","enabled":true},` +
		`{"agency":"A","name":"abs","path":"/opt/abs","sha256":"` + goodSum + `"}]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := plugins.ReadCatalog(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Plugins[0].Path, filepath.Join(dir, "bin/six"); got != want {
		t.Errorf("relative path = %q; want %q", got, want)
	}
	if got := c.Plugins[1].Path; got != "/opt/abs" {
		t.Errorf("absolute path = %q", got)
	}
	if _, err := plugins.ReadCatalog(filepath.Join(dir, "none.json")); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("ReadCatalog(missing) = %v; want not found", err)
	}
}

func TestChecksum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("test"), 0o600); err != nil {
		t.Fatal(err)
	}
	// sha256("test"), from the FIPS 180-4 reference implementation (sha256sum).
	if got, err := plugins.Checksum(path); err != nil || got != goodSum {
		t.Errorf("Checksum = %q, %v; want %q", got, err, goodSum)
	}
}

func FuzzParseCatalog(f *testing.F) {
	f.Add([]byte(`{"plugins":[{"agency":"A","name":"six","path":"p","sha256":"` + goodSum + `","args":["-x"],"enabled":true}]}`))
	f.Add([]byte(`{"plugins":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := plugins.ParseCatalog(b)
		if err != nil {
			if bsk.ErrorCode(err) != bsk.CodeInvalid && bsk.ErrorCode(err) != bsk.CodeConflict {
				t.Errorf("ParseCatalog error code %q: %v", bsk.ErrorCode(err), err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Errorf("a parsed catalog does not validate: %v", err)
		}
	})
}
