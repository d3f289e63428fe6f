package bsktest_test

import (
	"fmt"

	"github.com/beststarts/workforce/bsk/bsktest"
)

func ExampleWorkforce() {
	w := bsktest.Workforce(1, bsktest.Options{Organizations: 10, Providers: 100, Consultants: 4, NoOfferings: true})
	fmt.Println(len(w.Organizations), "organizations,", len(w.Providers), "providers")
	fmt.Println("valid:", w.Validate() == nil)
	// Output:
	// 11 organizations, 104 providers
	// valid: true
}
