package bsk

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// IDCharacters lists the characters an ID may hold: ASCII letters and
// digits, hyphen, underscore, dot and colon. An ID does not begin with a
// dot and holds no "..", so no ID can name a path ("/", "..") or carry a
// character that reads differently from how it compares; every ID the
// synthetic workforce (bsktest) makes, such as "org-007", "prov-00012" and
// "training-2026-03-s01", fits.
const IDCharacters = "A-Z a-z 0-9 - _ . :"

// idByte reports whether b may appear in an ID.
func idByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		b == '-' || b == '_' || b == '.' || b == ':'
}

// IDProblem says what is wrong with s as an ID, or returns "" when s is a
// well-formed ID: not empty, at most [MaxIDLength] bytes, only
// [IDCharacters], not beginning with "." and without "..".
func IDProblem(s string) string {
	switch {
	case s == "":
		return "is required"
	case len(s) > MaxIDLength:
		return fmt.Sprintf("is longer than %d bytes", MaxIDLength)
	case s[0] == '.':
		return "begins with a dot"
	case strings.Contains(s, ".."):
		return `contains ".."`
	}
	for i := 0; i < len(s); i++ {
		if !idByte(s[i]) {
			r, _ := utf8.DecodeRuneInString(s[i:])
			return "contains " + describeRune(r) + " (an ID holds only ASCII letters, digits, '-', '_', '.' and ':')"
		}
	}
	return ""
}

// checkID reports a missing or malformed ID (see [IDProblem]).
func checkID[T ~string](p *Problems, field string, id T, required bool) {
	s := string(id)
	if s == "" && !required {
		return
	}
	if msg := IDProblem(s); msg != "" {
		p.Add(field, "%s", msg)
	}
}

// TextProblem says what is wrong with s as a name or a one-line label, or
// returns "" when nothing is: s must be valid UTF-8 and hold no control
// character (NUL, tab, line breaks and the rest of Unicode's Cc category),
// no bidirectional embedding, override or isolate (U+202A-U+202E,
// U+2066-U+2069) and no zero-width character (U+200B-U+200D, U+FEFF). Such
// characters make a name display differently from what it holds: a
// right-to-left override can reverse "Ana" into a different-looking name in
// a roster or a report.
func TextProblem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if hiddenRune(r) {
			return "contains " + describeRune(r)
		}
	}
	return ""
}

// hiddenRune reports a character TextProblem refuses.
func hiddenRune(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return true
	case 0x200B <= r && r <= 0x200D, r == 0xFEFF:
		return true
	}
	return false
}

// describeRune names a character for an error message without printing
// it: the message may be shown where the character would do its harm.
func describeRune(r rune) string {
	switch {
	case unicode.IsControl(r):
		return "the control character " + hexRune(r)
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return "the bidirectional formatting character " + hexRune(r)
	case 0x200B <= r && r <= 0x200D, r == 0xFEFF:
		return "the zero-width character " + hexRune(r)
	case r < utf8.RuneSelf:
		return "'" + string(r) + "'"
	}
	return "the character " + hexRune(r)
}

func hexRune(r rune) string { return fmt.Sprintf("U+%04X", r) }

// checkText reports a missing, over-long or malformed name or label (see
// [TextProblem]).
func checkText(p *Problems, field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		p.Add(field, "is required")
	case len(s) > max:
		p.Add(field, "is longer than %d bytes", max)
	default:
		if msg := TextProblem(s); msg != "" {
			p.Add(field, "%s", msg)
		}
	}
}
