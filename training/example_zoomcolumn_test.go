package training_test

import (
	"fmt"

	"github.com/beststarts/workforce/training"
)

// A report's header cells, as a video meeting service writes them, and
// the role the importer gives each.
func ExampleZoomColumn() {
	for _, h := range []string{"Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"} {
		fmt.Printf("%q: %q\n", h, training.ZoomColumn(h))
	}
	// Output:
	// "Name (Original Name)": "name"
	// "User Email": "email"
	// "Join Time": "join"
	// "Leave Time": "leave"
	// "Duration (Minutes)": "duration"
	// "Guest": ""
}
