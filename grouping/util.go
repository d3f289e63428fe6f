package grouping

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/beststarts/workforce/bsk"
)

func sortStrings(s []string) { slices.Sort(s) }

// ruleError wraps a rule's failure with its name, keeping its code.
func ruleError(name string, err error) error {
	code := bsk.ErrorCode(err)
	return &bsk.Error{Code: code, Field: "rules." + name, Message: fmt.Sprintf("rule %q: %v", name, err), Err: err}
}

func itoa(i int) string { return strconv.Itoa(i) }
