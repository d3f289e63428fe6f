// Command group forms groups. It reads a grouping problem as JSON (the
// grouping-problem schema in schema/) and writes the solution as JSON (the
// grouping-solution schema):
//
//	go run ./examples/group -time 2s problem.json > solution.json
//
// With -preset it builds the problem from a workforce file (the workforce
// schema) with one of the grouping presets, adjusted by -options (a JSON
// file in the grouping-preset-options schema), and solves it; -print-problem
// writes the problem instead, to edit and solve later:
//
//	go run ./examples/group -preset reflective_consultation workforce.json
//
// The preset takes the program's participants and leaders from the
// workforce (grouping.CohortOf): -providers names the participants instead
// (a training's attendees), -organizations keeps those organizations' staff,
// and -leaders names the leaders instead of the preset's leading role,
// whatever their role (mentors who are also reflective consultants). With
// "leader_capacity" in the options, the mentorship preset forms small groups
// of 6-8 led by the mentors, that many groups each:
//
//	go run ./examples/group -preset mentorship -leaders rc-1,rc-2,rc-3 -options capacity.json workforce.json
//
// The reflective consultation preset makes the workforce's consultants the
// groups' leaders (5 groups each, or "leader_capacity" in the options): it
// forms only groups a consultant can lead, and the solution gives each
// group's consultant in "leaders" ("" for none) and the groups left without
// one, with the reason, in "unled".
//
// Sizes are hard unless the options say otherwise: "allow_underfilled"
// keeps groups below their minimum (listed in "underfilled"), and
// "allow_fewer_groups" lets the search close groups so that fewer, fuller
// ones form:
//
//	echo '{"allow_fewer_groups": true}' > fewer.json
//	go run ./examples/group -preset reflective_consultation -options fewer.json workforce.json
//
// With -previous, a solution from an earlier run, the groups are re-formed
// from it on the members now in the problem (those who left are dropped,
// those who joined are placed), moving as few as the criteria allow, and
// each group keeps its consultant where the rules allow
// (grouping.AssignLeading):
//
//	go run ./examples/group -preset reflective_consultation -previous last.json workforce.json
//
// With -history, a JSON file of earlier sessions' groups (a list of
// {"session": "2026-03", "members": [...]}, as grouping.PastGroup), the
// groups keep apart who met before: each earlier meeting of a pair costs
// -history-weight (grouping.MetBefore), as a training's monthly breakout
// rooms rotate:
//
//	go run ./examples/group -preset training_breakouts -providers ... -history rooms.json workforce.json
//
// -demo N uses the synthetic workforce of seed N (bsktest.Workforce, the
// server's demo data with seed 1: about 680 providers in 90 agencies and 20
// consultants) in place of a file; without -preset it writes that workforce,
// a file to start from:
//
//	go run ./examples/group -demo 1 > workforce.json
//	go run ./examples/group -preset reflective_consultation workforce.json
//
// With no file argument it reads standard input. Bad input is reported on
// standard error with the file and the field at fault (a fault in the
// preset options names the -options file), and the exit status is 1.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/schema"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("group", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Duration("time", 2*time.Second, "time limit of the search")
	seed := fs.Uint64("seed", 1, "random seed")
	threads := fs.Int("threads", 1, "independent searches in parallel")
	iters := fs.Int("iterations", 0, "stop after this many search rounds instead of the time limit (reproducible everywhere)")
	starts := fs.Int("starts", 0, "first groupings to build and pick from (0: 8); more place more people, at some cost to the objective")
	preset := fs.String("preset", "", "build the problem from a workforce file with this preset: "+fmt.Sprint(grouping.Preset("").Enum()))
	optsFile := fs.String("options", "", "with -preset, a JSON file of preset options")
	printProblem := fs.Bool("print-problem", false, "with -preset, print the problem instead of solving it")
	providers := fs.String("providers", "", "with -preset, the participants' provider IDs, comma-separated, instead of everyone the preset takes")
	orgs := fs.String("organizations", "", "with -preset, keep the participants of these organization IDs, comma-separated")
	previousFile := fs.String("previous", "", "a solution of an earlier run to re-form, keeping its groups' leaders where the rules allow")
	leaders := fs.String("leaders", "", "with -preset, the leaders' provider IDs, comma-separated, instead of the preset's leading role")
	historyFile := fs.String("history", "", "a JSON file of earlier sessions' groups ([{\"session\": ..., \"members\": [...]}]) whose pairs the groups keep apart")
	historyWeight := fs.Float64("history-weight", grouping.RepeatWeight, "with -history, the cost of each earlier meeting of a pair")
	demo := fs.Int64("demo", 0, "use the synthetic workforce of this seed (bsktest.Workforce; the server's demo data is seed 1) instead of a file; without -preset, write it as a workforce file to start from")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: group [flags] [problem.json | workforce.json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 || (*preset == "" && (*providers != "" || *orgs != "" || *leaders != "")) || (*demo != 0 && fs.NArg() > 0) {
		fs.Usage()
		return 2
	}
	if *demo != 0 && *preset == "" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(bsktest.Workforce(*demo, bsktest.Options{})); err != nil {
			fmt.Fprintln(stderr, "group:", err)
			return 1
		}
		return 0
	}
	in := stdin
	name := "standard input"
	if *demo != 0 {
		data, err := json.Marshal(bsktest.Workforce(*demo, bsktest.Options{}))
		if err != nil {
			fmt.Fprintln(stderr, "group:", err)
			return 1
		}
		in, name = bytes.NewReader(data), fmt.Sprintf("the synthetic workforce of seed %d", *demo)
	} else if fs.NArg() == 1 {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			fmt.Fprintln(stderr, "group:", err)
			return 1
		}
		defer f.Close()
		in, name = f, fs.Arg(0)
	}
	data, err := io.ReadAll(in)
	if err != nil {
		fmt.Fprintln(stderr, "group:", err)
		return 1
	}
	var p *grouping.Problem
	if *preset != "" {
		p, err = fromPreset(grouping.Preset(*preset), data, *optsFile, selectionOf(*providers, *orgs, *leaders))
		if err != nil && *optsFile != "" {
			name += " with options " + *optsFile
		}
	} else {
		p = &grouping.Problem{}
		err = decode("grouping-problem", data, p)
	}
	if err == nil && *historyFile != "" {
		if err = withHistory(p, *historyFile, *historyWeight); err != nil {
			name = *historyFile
		}
	}
	if err != nil {
		report(stderr, name, err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if *printProblem {
		if err := enc.Encode(p); err != nil {
			fmt.Fprintln(stderr, "group:", err)
			return 1
		}
		return 0
	}
	runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0), *threads))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := grouping.Options{TimeLimit: *limit, Seed: *seed, Threads: *threads, Iterations: *iters, Starts: *starts}
	var sol *grouping.Solution
	if *previousFile != "" {
		sol, err = again(ctx, p, *previousFile, opts)
	} else {
		sol, err = grouping.Solve(ctx, p, opts)
	}
	if err != nil {
		report(stderr, name, err)
		return 1
	}
	if err := enc.Encode(sol); err != nil {
		fmt.Fprintln(stderr, "group:", err)
		return 1
	}
	return 0
}

// again re-forms the groups of the solution in file on p's members, and
// gives each group its leader, keeping the previous one where it can.
func again(ctx context.Context, p *grouping.Problem, file string, opts grouping.Options) (*grouping.Solution, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var prev grouping.Solution
	if err := decode("grouping-solution", data, &prev); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	rg, err := grouping.Regroup(ctx, p, prev.Groups, grouping.RegroupOptions{Options: opts})
	if err != nil {
		return nil, err
	}
	sol := rg.Solution
	if p.Leading != nil {
		a, err := grouping.AssignLeading(ctx, p, sol.Groups, prev.Leaders)
		if err != nil {
			return nil, err
		}
		sol.Leaders, sol.Unled = a.Leaders, a.Unassigned
	}
	return sol, nil
}

// withHistory adds to p the pair scores that keep apart the members who
// met in the earlier sessions' groups of file.
func withHistory(p *grouping.Problem, file string, weight float64) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var history []grouping.PastGroup
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&history); err != nil {
		return bsk.Invalidf("history", "not a list of past groups: %v", err)
	}
	pairs, err := grouping.MetBefore(p.Members, history, weight)
	if err != nil {
		return err
	}
	p.Pairs = append(p.Pairs, pairs...)
	return nil
}

// selectionOf reads the -providers, -organizations and -leaders lists.
func selectionOf(providers, orgs, leaders string) grouping.Selection {
	var s grouping.Selection
	for id := range strings.SplitSeq(providers, ",") {
		if id = strings.TrimSpace(id); id != "" {
			s.ProviderIDs = append(s.ProviderIDs, bsk.ProviderID(id))
		}
	}
	for id := range strings.SplitSeq(leaders, ",") {
		if id = strings.TrimSpace(id); id != "" {
			s.LeaderIDs = append(s.LeaderIDs, bsk.ProviderID(id))
		}
	}
	for id := range strings.SplitSeq(orgs, ",") {
		if id = strings.TrimSpace(id); id != "" {
			s.OrganizationIDs = append(s.OrganizationIDs, bsk.OrganizationID(id))
		}
	}
	return s
}

// fromPreset builds a preset's problem from a workforce document, with the
// program's participants and leaders (grouping.CohortOf).
func fromPreset(preset grouping.Preset, data []byte, optsFile string, sel grouping.Selection) (*grouping.Problem, error) {
	if !preset.Valid() {
		return nil, bsk.Invalidf("preset", "unknown preset %q (one of %v)", preset, preset.Enum())
	}
	var w bsk.Workforce
	if err := decode("workforce", data, &w); err != nil {
		return nil, err
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	var o grouping.PresetOptions
	if optsFile != "" {
		od, err := os.ReadFile(optsFile)
		if err != nil {
			return nil, err
		}
		if err := decode("grouping-preset-options", od, &o); err != nil {
			return nil, fmt.Errorf("%s: %w", optsFile, err)
		}
	}
	c, err := grouping.CohortOf(preset, w.Providers, sel)
	if err != nil {
		return nil, err
	}
	return grouping.NewProblem(preset, c.Participants, c.Leaders, o)
}

// decode checks a document against its schema, then decodes it.
func decode(name string, data []byte, v any) error {
	if err := schema.Validate(name, data); err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// report prints every problem of err, one a line, with its field.
func report(w io.Writer, name string, err error) {
	fmt.Fprintf(w, "group: %s:\n", name)
	var list bsk.Errors
	if !errors.As(err, &list) {
		fmt.Fprintf(w, "  %v\n", err)
		return
	}
	for _, e := range list {
		fmt.Fprintf(w, "  %v\n", e)
	}
}
