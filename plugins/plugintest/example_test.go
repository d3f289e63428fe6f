//go:build unix

package plugintest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/beststarts/workforce/plugins/plugintest"
	"github.com/beststarts/workforce/scholarship"
)

// Build the example plug-in minhours, launch the binary through the real
// host, and read its verdict as an applicant would, in English and
// Spanish.
func Example() {
	dir, err := os.MkdirTemp("", "plugintest-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	bin, err := plugintest.BuildIn(dir, "github.com/beststarts/workforce/plugins/examples/minhours")
	if err != nil {
		panic(err)
	}
	h, err := plugintest.Launch(context.Background(), bin, plugintest.Options{Args: []string{"-hours", "20"}})
	if err != nil {
		panic(err)
	}
	defer h.Close()
	res, err := h.Check(context.Background(), "agency_minimum_hours",
		scholarship.Application{ID: "a-1", Applicant: scholarship.Applicant{Name: "Ana", HoursPerWeek: 12}})
	if err != nil {
		panic(err)
	}
	fmt.Println(res[0].Outcome)
	fmt.Println(h.Texts(res[0], scholarship.EnglishText)[0])
	fmt.Println(h.Texts(res[0], scholarship.SpanishText)[0])
	// Output:
	// ineligible
	// You work 12 hours a week; this agency supports staff who work at least 20.
	// Trabaja 12 horas por semana; esta agencia apoya al personal que trabaja al menos 20.
}
