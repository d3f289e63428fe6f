// Command gen writes the JSON Schemas of the schema package. Run it with
// `go generate ./schema/...` from anywhere in the module.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/beststarts/workforce/schema/internal/registry"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := registry.Root(".")
	if err != nil {
		return err
	}
	files, err := registry.Generate(root)
	if err != nil {
		return err
	}
	dir := filepath.Join(root, "schema")
	old, _ := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for _, name := range registry.Sorted(files) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
