// Package bsktest generates a synthetic King County early-childhood
// workforce for tests, benchmarks and demonstrations.
//
// [Workforce] builds, from a seed, 90 agencies of skewed sizes (many small
// community-based organizations, a few large clinics and hospitals), 680
// providers with reporting lines (the staff of the program's 97 reflective
// consultation groups of 6-8), 20 reflective consultants, a
// year of monthly trainings with Spanish, Chinese and Vietnamese
// interpretation, communities of practice (one in Spanish) and attendance.
// Proportions follow the source documents: about 45% of agencies BIPOC-led,
// about 30% of providers working in a language besides English, race and
// ethnicity near the county's young-child population. Names are marked
// "(synthetic)"; no record describes a real person.
//
// The same seed and [Options] give the same workforce, byte for byte once
// encoded, and every workforce passes [bsk.Workforce.Validate].
package bsktest
