package scholarship

import (
	"fmt"
	"math"
	"slices"
)

// Cents is an amount of money in US cents. Money is never a float.
type Cents int64

// MaxAmount bounds any single amount: ten million dollars.
const MaxAmount Cents = 10_000_000_00

// String renders cents as dollars: "$1,234.50".
func (c Cents) String() string {
	neg := c < 0
	if neg {
		c = -c
	}
	d, r := int64(c)/100, int64(c)%100
	s := fmt.Sprintf("%d", d)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	out := fmt.Sprintf("$%s.%02d", s, r)
	if neg {
		out = "-" + out
	}
	return out
}

// addCents adds without overflow, saturating at the int64 bounds.
func addCents(a, b Cents) Cents {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	if b < 0 && a < math.MinInt64-b {
		return math.MinInt64
	}
	return a + b
}

// Category is a kind of expense a scholarship covers.
type Category string

// The expense categories.
const (
	Tuition        Category = "tuition"
	Fees           Category = "fees"
	Books          Category = "books"
	ExamFees       Category = "exam_fees" // exam, endorsement application and membership fees
	ReleaseTime    Category = "release_time"
	TrainingTime   Category = "training_time" // reimbursement of billable time lost to training
	TravelExpenses Category = "travel"
)

var categories = []Category{Tuition, Fees, Books, ExamFees, ReleaseTime, TrainingTime, TravelExpenses}

// Valid reports whether c is a known category code.
func (c Category) Valid() bool { return slices.Contains(categories, c) }

// Enum lists every category code.
func (Category) Enum() []string {
	out := make([]string, len(categories))
	for i, c := range categories {
		out[i] = string(c)
	}
	return out
}
