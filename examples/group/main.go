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
// The reflective consultation preset makes the workforce's consultants the
// groups' leaders (5 groups each, or "leader_capacity" in the options): it
// forms only groups a consultant can lead, and the solution gives each
// group's consultant in "leaders" ("" for none) and the groups left without
// one, with the reason, in "unled".
//
// With no file argument it reads standard input. Bad input is reported on
// standard error with the file and the field at fault (a fault in the
// preset options names the -options file), and the exit status is 1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/beststarts/workforce/bsk"
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
	preset := fs.String("preset", "", "build the problem from a workforce file with this preset: "+fmt.Sprint(grouping.Preset("").Enum()))
	optsFile := fs.String("options", "", "with -preset, a JSON file of preset options")
	printProblem := fs.Bool("print-problem", false, "with -preset, print the problem instead of solving it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: group [flags] [problem.json | workforce.json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	in := stdin
	name := "standard input"
	if fs.NArg() == 1 {
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
		p, err = fromPreset(grouping.Preset(*preset), data, *optsFile)
		if err != nil && *optsFile != "" {
			name += " with options " + *optsFile
		}
	} else {
		p = &grouping.Problem{}
		err = decode("grouping-problem", data, p)
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
	sol, err := grouping.Solve(ctx, p, grouping.Options{TimeLimit: *limit, Seed: *seed, Threads: *threads, Iterations: *iters})
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

// fromPreset builds a preset's problem from a workforce document.
func fromPreset(preset grouping.Preset, data []byte, optsFile string) (*grouping.Problem, error) {
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
	var people, mentors []bsk.Provider
	for _, pv := range w.Providers {
		if preset == grouping.MentorshipPreset && pv.Role == bsk.RoleMentor {
			mentors = append(mentors, pv)
		} else {
			people = append(people, pv)
		}
	}
	return grouping.NewProblem(preset, people, mentors, o)
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
