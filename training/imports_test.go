package training_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package where the architecture puts it: its
// non-test files import the standard library, bsk, scholarship, survey and
// grouping (a certificate cohort's reflection groups), never plugins,
// schema or a framework.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"github.com/beststarts/workforce/bsk":         true,
		"github.com/beststarts/workforce/scholarship": true,
		"github.com/beststarts/workforce/survey":      true,
		"github.com/beststarts/workforce/grouping":    true,
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && !allowed[path] {
				t.Errorf("%s imports %q: training imports only the standard library, bsk, scholarship, survey and grouping", name, path)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("checked %d files", checked)
	}
}
