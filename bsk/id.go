package bsk

import "unicode/utf8"

// OrganizationID identifies an [Organization].
type OrganizationID string

// ProviderID identifies a [Provider].
type ProviderID string

// OfferingID identifies an [Offering].
type OfferingID string

// SessionID identifies a [Session].
type SessionID string

// MaxIDLength is the longest ID, in bytes, that Validate accepts.
const MaxIDLength = 128

// checkID reports a missing, over-long, non-UTF-8 or control-character ID.
func checkID[T ~string](p *Problems, field string, id T, required bool) {
	s := string(id)
	switch {
	case s == "":
		if required {
			p.Add(field, "is required")
		}
	case len(s) > MaxIDLength:
		p.Add(field, "is longer than %d bytes", MaxIDLength)
	case !utf8.ValidString(s):
		p.Add(field, "is not valid UTF-8")
	default:
		for _, r := range s {
			if r < 0x20 || r == 0x7f {
				p.Add(field, "contains a control character")
				return
			}
		}
	}
}

// checkText reports a non-UTF-8 or over-long free-text field, and a missing
// one when required.
func checkText(p *Problems, field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		p.Add(field, "is required")
	case len(s) > max:
		p.Add(field, "is longer than %d bytes", max)
	case !utf8.ValidString(s):
		p.Add(field, "is not valid UTF-8")
	}
}
