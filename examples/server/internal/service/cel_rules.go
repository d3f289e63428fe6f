package service

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins/cel"
	"github.com/beststarts/workforce/scholarship"
)

// CELRules are agencies' declarative eligibility rules: CEL rule files in
// a folder the administrator controls (see package plugins/cel), which
// programs name in cel_rules ("minhours" is the file minhours.yaml). A
// rule file is compiled when a program that names it is saved, so that a
// mistake is refused with its line and column, and again at each cycle
// run, so that a corrected file takes effect. The rules may not read
// applicants' demographics: eligibility must not depend on them, and the
// reasons reach readers who may not see them.
type CELRules struct {
	dir string
}

// celName is a rule file's name: no path, no dot.
var celName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// compile compiles the rules named in a program's cel_rules. Every
// problem is an invalid error naming the field: "cel_rules[1]" for a rule
// that is not in the folder, "cel_rules[1].checks[0].require" (with the
// line and column in the file) for a mistake in one.
func (c *CELRules) compile(names []string) ([]scholarship.Rule[scholarship.Application], error) {
	var p bsk.Problems
	var out []scholarship.Rule[scholarship.Application]
	for i, name := range names {
		field := bsk.Index("cel_rules", i)
		switch {
		case c == nil || c.dir == "":
			p.Add(field, "no folder of CEL rules is configured; %q cannot be found", name)
			continue
		case !celName.MatchString(name):
			p.Add(field, "%q is not a rule file's name (lowercase letters, digits, - and _)", name)
			continue
		}
		data, err := os.ReadFile(filepath.Join(c.dir, name+".yaml"))
		if errors.Is(err, os.ErrNotExist) {
			p.Add(field, "no CEL rule named %q", name)
			continue
		}
		if err != nil {
			return nil, bsk.Errorf(bsk.CodeInternal, "reading the CEL rule %q: %w", name, err)
		}
		r, err := cel.Compile(data, cel.Options{})
		if err != nil {
			p.Merge(field, err)
			continue
		}
		out = append(out, r)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// agencyRules returns a program's agency rules: its plug-ins' rules, then
// its CEL rules.
func (s *Scholarships) agencyRules(cfg ProgramConfig) ([]scholarship.Rule[scholarship.Application], error) {
	extra, err := s.plugins.rules(cfg.PluginRules)
	if err != nil {
		return nil, err
	}
	rules, err := s.cel.compile(cfg.CELRules)
	if err != nil {
		return nil, err
	}
	return append(extra, rules...), nil
}
