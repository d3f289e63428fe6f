package service

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"github.com/rs/zerolog"

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
//
// The decisions' texts of a CEL rule's reasons come from its file (the
// library's catalogs do not know its codes), in the reader's language or
// English.
type CELRules struct {
	dir string
	log zerolog.Logger

	mu      sync.Mutex
	rules   map[celKey]*cel.Rule // every rule compiled, by name and version
	scanned bool                 // the folder was read for texts
}

type celKey struct{ name, version string }

func newCELRules(dir string, log zerolog.Logger) *CELRules {
	return &CELRules{dir: dir, log: log, rules: map[celKey]*cel.Rule{}}
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
		// An application the rule fails on needs review, with a reason
		// that gives only the error's code; the log has the error.
		r.OnError = func(application string, err error) {
			c.log.Error().Str("cel_rule", name).Str("application", application).Err(err).Msg("CEL rule failed on one application")
		}
		c.remember(r)
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

func (c *CELRules) remember(r *cel.Rule) {
	info := r.Describe()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rules[celKey{info.Name, info.Version}] = r
}

// localize writes the texts of a decision's reasons that come from CEL
// rules (the last len(Reasons) of Texts) from their rule files, in
// language l or English. A code the library has a text for keeps it.
func (c *CELRules) localize(d *Decision, l scholarship.Lang) {
	if c == nil || c.dir == "" {
		return
	}
	off := len(d.Texts) - len(d.Reasons)
	for i, reason := range d.Reasons {
		if off+i < 0 || scholarship.HasText(reason.Code, l) || scholarship.HasText(reason.Code, scholarship.EnglishText) {
			continue
		}
		if r := c.rule(reason.Rule, reason.Version); r != nil {
			if t := r.Text(reason, string(l)); t != "" {
				d.Texts[off+i] = t
			}
		}
	}
}

// rule returns the compiled rule name at version, reading the folder
// once for the rules no program has been saved or run with since the
// server started.
func (c *CELRules) rule(name, version string) *cel.Rule {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.rules[celKey{name, version}]; ok || c.scanned {
		return r
	}
	c.scanned = true
	files, _ := filepath.Glob(filepath.Join(c.dir, "*.yaml"))
	for _, f := range files {
		if r, err := cel.Load(f, cel.Options{}); err == nil {
			info := r.Describe()
			c.rules[celKey{info.Name, info.Version}] = r
		}
	}
	return c.rules[celKey{name, version}]
}
