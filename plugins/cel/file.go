package cel

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// Kind says what a rule file judges.
type Kind string

// The kinds of rule file.
const (
	// Eligibility judges scholarship applications, one at a time: a
	// [scholarship.Rule] (see [Compile]).
	Eligibility Kind = "eligibility"
	// Grouping amends a grouping problem, one member at a time: a
	// [grouping.Rule] (see [CompileGrouping]).
	Grouping Kind = "grouping"
)

// Enum lists every kind.
func (Kind) Enum() []string { return []string{string(Eligibility), string(Grouping)} }

// Action is what a grouping check does with a member it holds for.
type Action string

// The grouping actions.
const (
	// Exclude leaves the member out of every group, with the check's
	// reason code and params.
	Exclude Action = "exclude"
	// CannotLink keeps the member apart from the member named by With.
	CannotLink Action = "cannot_link"
	// MustLink puts the member in the same group as the member named by
	// With.
	MustLink Action = "must_link"
)

// Enum lists every action.
func (Action) Enum() []string { return []string{string(Exclude), string(CannotLink), string(MustLink)} }

// File is a rule file, in YAML or JSON: a rule's name and version, the
// variables its conditions read, its settings, and its checks. Every
// string called an expression is CEL (https://cel.dev), type-checked
// against the declared variables when the file is compiled.
type File struct {
	// Name is the rule's stable name, e.g. "agency_minimum_hours".
	Name string `yaml:"name" json:"name"`
	// Version changes whenever the rule's logic does.
	Version string `yaml:"version" json:"version"`
	// Description says what the rule checks, in a sentence.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Kind is eligibility (the default) or grouping.
	Kind Kind `yaml:"kind,omitempty" json:"kind,omitempty"`
	// Variables names the values of the application (or of the grouping
	// member) the expressions read, from the package's list (see
	// [Variables] and [MemberVariables]); only these are declared.
	Variables []string `yaml:"variables,omitempty" json:"variables,omitempty"`
	// Settings are the rule's own constants by name, each a number, a
	// text, true or false, or a list of texts, e.g. {"required": 20}.
	Settings map[string]any `yaml:"settings,omitempty" json:"settings,omitempty"`
	// Checks are evaluated in order; each may give a reason.
	Checks []Check `yaml:"checks" json:"checks" jsonschema:"minItems=1"`
}

// Check is one condition of a rule. Exactly one of Require (a reason when
// it is false) and When (a reason when it is true) is set. With ForEach,
// the check runs once for each element of a list, named item.
type Check struct {
	// ForEach, an expression giving a list, repeats the check for each
	// element, which the other expressions read as item.
	ForEach string `yaml:"for_each,omitempty" json:"for_each,omitempty"`
	// Require is the condition that must hold: false gives the reason.
	Require string `yaml:"require,omitempty" json:"require,omitempty"`
	// When is the condition that gives the reason when true.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// Outcome is what the reason means for an application: ineligible,
	// needs_review, or eligible for a note to reviewers. Eligibility only.
	Outcome scholarship.Outcome `yaml:"outcome,omitempty" json:"outcome,omitempty"`
	// Action is what a grouping check does: exclude (the default),
	// cannot_link or must_link. Grouping only.
	Action Action `yaml:"action,omitempty" json:"action,omitempty"`
	// With is the expression naming the other member of a link (a
	// member ID). Grouping only.
	With string `yaml:"with,omitempty" json:"with,omitempty"`
	// Code is the reason's stable code, e.g. "agency_hours_short".
	Code string `yaml:"code,omitempty" json:"code,omitempty"`
	// Field is the path of the input the reason concerns, e.g.
	// "applicant.hours_per_week".
	Field string `yaml:"field,omitempty" json:"field,omitempty"`
	// FieldExpr is an expression giving the field, for a path that
	// depends on the application (e.g. an index into a list); at most one
	// of Field and FieldExpr.
	FieldExpr string `yaml:"field_expr,omitempty" json:"field_expr,omitempty"`
	// Params are the reason's parameters by name, each an expression
	// giving a text, a number or true/false; numbers are written in
	// decimal without exponent ("20", "17.5").
	Params map[string]string `yaml:"params,omitempty" json:"params,omitempty"`
	// Text holds the reason's text by language ("en" is required,
	// "es", ...), with {param} placeholders naming Params.
	Text map[string]string `yaml:"text,omitempty" json:"text,omitempty"`
}

// MaxFileSize is the largest rule file Parse reads, in bytes.
const MaxFileSize = 64 << 10

// source is a parsed rule file with its YAML tree, for positions.
type source struct {
	File
	root *yaml.Node
	text []string // the file's lines
}

// Parse reads a rule file (YAML, or JSON, which is YAML too) without
// compiling its expressions. Unknown keys, a second document or a file
// larger than [MaxFileSize] are [bsk.CodeInvalid] errors; a syntax error
// names its line.
func Parse(data []byte) (File, error) {
	s, err := parse(data)
	return s.File, err
}

func parse(data []byte) (*source, error) {
	if len(data) > MaxFileSize {
		return nil, bsk.Invalidf("", "the rule file has %d bytes, more than %d", len(data), MaxFileSize)
	}
	s := &source{text: strings.Split(string(data), "\n")}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, bsk.Invalidf("", "the rule file is empty")
		}
		return nil, bsk.Invalidf("", "%s", yamlMessage(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, bsk.Invalidf("", "the rule file holds more than one document")
	}
	if len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, bsk.Invalidf("", "line %d: the rule file must be a mapping (name, version, checks, ...)", root.Line)
	}
	s.root = root.Content[0]
	if err := decodeStrict(data, &s.File); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeStrict decodes the file into f, refusing unknown keys. A yaml
// panic on hostile input is caught and returned as an error.
func decodeStrict(data []byte, f *File) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = bsk.Invalidf("", "the rule file cannot be read: %v", p)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil {
		return bsk.Invalidf("", "%s", yamlMessage(err))
	}
	return nil
}

func yamlMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// node finds the YAML node at a path of mapping keys (string) and
// sequence indexes (int); for a path the file lacks, its deepest ancestor
// in the file.
func (s *source) node(path ...any) *yaml.Node {
	n := s.root
	for _, p := range path {
		parent := n
		switch k := p.(type) {
		case string:
			var next *yaml.Node
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						next = n.Content[i+1]
					}
				}
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || k >= len(n.Content) {
				return n
			}
			n = n.Content[k]
		}
		if n == nil {
			return parent
		}
	}
	return n
}

// position maps a place in an expression (line from 1, column from 0, as
// CEL reports them) to a line and column (from 1) of the file. Single-line
// values and literal blocks (|) map exactly; other multi-line styles map
// to where the value starts.
func (s *source) position(n *yaml.Node, line, col int) (int, int) {
	if n == nil {
		return 0, 0
	}
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		first := n.Line // the line of the "|"; the text starts below
		indent := 0
		for i := first; i < len(s.text); i++ { // s.text[i] is file line i+1
			if t := strings.TrimLeft(s.text[i], " "); t != "" {
				indent = len(s.text[i]) - len(t)
				break
			}
		}
		return first + line, indent + col + 1
	case !strings.Contains(n.Value, "\n") && line <= 1:
		quote := 0
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			quote = 1
		}
		return n.Line, n.Column + quote + col
	}
	return n.Line, n.Column
}
