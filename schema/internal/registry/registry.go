// Package registry lists the Go types that cross a process boundary and
// generates their JSON Schemas. It is internal: the schema package serves
// the generated files, and the generator in ../gen writes them.
package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/plugins/cel"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

// Module is the import path of this module.
const Module = "github.com/beststarts/workforce"

// BaseURL prefixes every schema's $id.
const BaseURL = "https://github.com/beststarts/workforce/schema/"

// Entry names one type whose schema is published.
type Entry struct {
	// Name is the schema's name: the file is Name + ".schema.json".
	Name string
	// Type is the Go type.
	Type reflect.Type
}

func entry[T any](name string) Entry { return Entry{name, reflect.TypeFor[T]()} }

// Entries is the one table of published types. Add a type with one line.
var Entries = []Entry{
	entry[bsk.Organization]("organization"),
	entry[bsk.Provider]("provider"),
	entry[bsk.Offering]("offering"),
	entry[bsk.Session]("session"),
	entry[bsk.Attendance]("attendance"),
	entry[bsk.Workforce]("workforce"),
	entry[bsk.Demographics]("demographics"),
	entry[bsk.Error]("error"),
	entry[bsk.Registration]("registration"),
	entry[bsk.WaitlistNotice]("waitlist-notice"),
	entry[bsk.InterpreterBooking]("interpreter-booking"),
	entry[bsk.TranscriptLine]("transcript-line"),
	entry[grouping.Problem]("grouping-problem"),
	entry[grouping.Solution]("grouping-solution"),
	entry[grouping.Regrouping]("grouping-regrouping"),
	entry[grouping.PresetOptions]("grouping-preset-options"),
	entry[grouping.LeaderProblem]("grouping-leader-problem"),
	entry[grouping.LeaderAssignment]("grouping-leader-assignment"),
	entry[grouping.ChoiceProblem]("grouping-choice-problem"),
	entry[grouping.ChoiceAssignment]("grouping-choice-assignment"),
	entry[grouping.Amendment]("grouping-amendment"),
	entry[scholarship.Program]("scholarship-program"),
	entry[scholarship.Application]("scholarship-application"),
	entry[scholarship.DecisionRecord]("scholarship-decision"),
	entry[scholarship.ProtectedEquity]("scholarship-equity"),
	entry[survey.Instrument]("survey-instrument"),
	entry[survey.Response]("survey-response"),
	entry[survey.Query]("survey-query"),
	entry[survey.Report]("survey-report"),
	entry[survey.RankResult]("survey-ranking"),
	entry[survey.Frequencies]("survey-frequencies"),
	entry[survey.ImportReport]("survey-import-report"),
	entry[survey.Paired]("survey-paired"),
	entry[survey.Trend]("survey-trend"),
	entry[plugins.Info]("plugin-info"),
	entry[plugins.Catalog]("plugin-catalog"),
	entry[plugins.Request]("plugin-request"),
	entry[plugins.Response]("plugin-response"),
	entry[plugins.CheckInput[scholarship.Application]]("plugin-check-input"),
	entry[plugins.CheckOutput]("plugin-check-output"),
	entry[plugins.ScoreInput]("plugin-score-input"),
	entry[plugins.ScoreOutput]("plugin-score-output"),
	entry[cel.File]("cel-rule"),
}

// commentDirs are the package directories whose doc comments become
// descriptions, relative to the module root.
var commentDirs = []string{"bsk", "grouping", "scholarship", "survey", "plugins"}

// enumer is implemented by every enumeration type of bsk.
type enumer interface{ Enum() []string }

var enumType = reflect.TypeFor[enumer]()

// Generate returns every schema, by file name, generated from the types and
// the doc comments found under root, the module's root directory.
func Generate(root string) (map[string][]byte, error) {
	r := &jsonschema.Reflector{}
	for _, d := range commentDirs {
		dir := filepath.Join(root, d)
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		if err := addComments(r, root, d); err != nil {
			return nil, err
		}
	}
	// A generic type's name holds its type arguments' import paths, whose
	// slashes would break the $ref pointers: name it without them.
	r.Namer = typeName
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		if t.Kind() != reflect.String || !t.Implements(enumType) {
			return nil
		}
		codes := reflect.Zero(t).Interface().(enumer).Enum()
		s := &jsonschema.Schema{Type: "string", Title: t.Name()}
		for _, c := range codes {
			s.Enum = append(s.Enum, c)
		}
		if c, ok := r.CommentMap[t.PkgPath()+"."+t.Name()]; ok {
			s.Description = c
		}
		return s
	}
	out := make(map[string][]byte, len(Entries))
	for _, e := range Entries {
		s := r.ReflectFromType(e.Type)
		s.ID = jsonschema.ID(BaseURL + e.Name + ".schema.json")
		s.Title = typeName(e.Type)
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", e.Name, err)
		}
		out[e.Name+".schema.json"] = append(b, '\n')
	}
	return out, nil
}

// typeName is t's name without type arguments: "CheckInput" for
// CheckInput[scholarship.Application].
func typeName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	return n
}

// addComments reads doc comments from dir (relative to root) with paths
// that match the module's import paths, whatever the working directory.
func addComments(r *jsonschema.Reflector, root, dir string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	defer os.Chdir(wd)
	return r.AddGoComments(Module, dir)
}

// Root finds the module root from dir by walking up to go.mod.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(b, []byte("module "+Module+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod for %s above %s", Module, dir)
		}
		dir = parent
	}
}

// Names lists the schema names in table order.
func Names() []string {
	out := make([]string, len(Entries))
	for i, e := range Entries {
		out[i] = e.Name
	}
	return out
}

// Sorted returns the file names of m in order.
func Sorted(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	return keys
}
