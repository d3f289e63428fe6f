package scholarship

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// HashKeySize is the size in bytes of the keys [NewHashKey] makes.
const HashKeySize = 32

// MinHashKeySize is the shortest key [RunCycle] accepts.
const MinHashKeySize = 16

// hashContext separates the decision hash from any other use of the key.
const hashContext = "github.com/beststarts/workforce/scholarship inputs v1\n"

// NewHashKey returns a new random key for [InputsHash], [HashKeySize]
// bytes from crypto/rand. Keep it secret, keep it for as long as decision
// records must be verified, and use one per deployment.
func NewHashKey() ([]byte, error) {
	k := make([]byte, HashKeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, nil
}

// InputsHash returns the keyed hash of an application's inputs, as a
// [DecisionRecord] carries it: HMAC-SHA256 under key of the application's
// canonical JSON encoding, in lowercase hex.
//
// The hash is keyed because an application holds demographics, which take
// only a few hundred thousand values: an unkeyed hash of the application
// would give them away to anyone who can read the rest of the application
// and try every combination. Without the key the hash reveals nothing;
// with the key and the inputs anyone can recompute it ([VerifyInputsHash]).
// The key must be secret and at least [MinHashKeySize] bytes long
// ([NewHashKey] makes one).
func InputsHash(key []byte, a Application) string {
	return newHasher(key).hash(&a)
}

// hasher computes [InputsHash] for many applications under one key,
// reusing its HMAC state and encoding buffer.
type hasher struct {
	mac hash.Hash
	buf []byte
	sum []byte
	hex []byte
}

func newHasher(key []byte) *hasher {
	return &hasher{mac: hmac.New(sha256.New, key), buf: make([]byte, 0, 1024)}
}

// hash is InputsHash(key, a). The application is encoded by
// [appendApplication], which writes the bytes json.Marshal does; an
// application it cannot encode (a float json refuses, a time outside
// RFC 3339) goes through json.Marshal itself, whose error leaves nothing
// to hash, as it always has.
func (h *hasher) hash(a *Application) string {
	b, ok := appendApplication(h.buf[:0], a)
	if !ok {
		j, err := json.Marshal(a)
		if err != nil {
			j = nil
		}
		b = j
	} else {
		h.buf = b
	}
	h.mac.Reset()
	h.mac.Write([]byte(hashContext))
	h.mac.Write(b)
	h.sum = h.mac.Sum(h.sum[:0])
	h.hex = hex.AppendEncode(h.hex[:0], h.sum)
	return string(h.hex)
}

// The canonical encoding: json.Marshal's bytes for an [Application],
// written by hand because reflection made hashing a quarter of a cycle's
// time. Fields go in struct order with their JSON names, omitempty fields
// are left out when empty, map keys are sorted, strings are escaped as
// json escapes them (HTML characters included), floats are formatted as
// json formats them. TestInputsHashIsHMACOfJSON checks the bytes against
// json.Marshal. A field added to Application or to a type it holds must
// be added here too.

// appendApplication appends a's canonical encoding to b; false means the
// application holds a value json refuses to encode.
func appendApplication(b []byte, a *Application) ([]byte, bool) {
	ok := true
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"program_id":`...)
	b = appendJSONString(b, a.ProgramID)
	b = append(b, `,"cycle_id":`...)
	b = appendJSONString(b, a.CycleID)
	b = append(b, `,"applicant":`...)
	b, ok = appendApplicant(b, &a.Applicant)
	b = append(b, `,"requested":`...)
	if a.Requested == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		var keys [8]Category
		for i, c := range sortedKeys(keys[:0], a.Requested) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, string(c))
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(a.Requested[c]), 10)
		}
		b = append(b, '}')
	}
	if len(a.Hours) > 0 {
		b = append(b, `,"hours":{`...)
		var keys [8]Category
		for i, c := range sortedKeys(keys[:0], a.Hours) {
			if i > 0 {
				b = append(b, ',')
			}
			h := a.Hours[c]
			b = appendJSONString(b, string(c))
			b = append(b, `:{"per_week":`...)
			var fine bool
			if b, fine = appendJSONFloat(b, h.PerWeek); !fine {
				ok = false
			}
			b = append(b, `,"weeks":`...)
			b = strconv.AppendInt(b, int64(h.Weeks), 10)
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	b = append(b, `,"answers":{`...)
	b = appendAnswers(b, &a.Answers)
	b = append(b, '}')
	if len(a.Documents) > 0 {
		b = append(b, `,"documents":`...)
		b = appendJSONStrings(b, a.Documents)
	}
	if a.PriorAwards != 0 {
		b = append(b, `,"prior_awards":`...)
		b = strconv.AppendInt(b, int64(a.PriorAwards), 10)
	}
	b = append(b, `,"submitted":`...)
	var fine bool
	if b, fine = appendJSONTime(b, a.Submitted); !fine {
		ok = false
	}
	b = append(b, '}')
	return b, ok
}

func appendApplicant(b []byte, ap *Applicant) ([]byte, bool) {
	ok := true
	b = append(b, `{"person_id":`...)
	b = appendJSONString(b, ap.PersonID)
	if ap.ProviderID != "" {
		b = append(b, `,"provider_id":`...)
		b = appendJSONString(b, string(ap.ProviderID))
	}
	b = append(b, `,"name":`...)
	b = appendJSONString(b, ap.Name)
	if e := ap.Employer; e != nil {
		b = append(b, `,"employer":{"id":`...)
		b = appendJSONString(b, string(e.ID))
		b = append(b, `,"name":`...)
		b = appendJSONString(b, e.Name)
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, string(e.Kind))
		b = append(b, `,"grantee":`...)
		b = strconv.AppendBool(b, e.Grantee)
		b = append(b, `,"bipoc_led":`...)
		b = strconv.AppendBool(b, e.BIPOCLed)
		b = append(b, `,"community_designed":`...)
		b = strconv.AppendBool(b, e.CommunityDesigned)
		b = append(b, `,"place":`...)
		b = appendJSONString(b, string(e.Place))
		if len(e.Languages) > 0 {
			b = append(b, `,"languages":`...)
			b = appendJSONStrings(b, e.Languages)
		}
		if len(e.Strategies) > 0 {
			b = append(b, `,"strategies":`...)
			b = appendJSONStrings(b, e.Strategies)
		}
		b = append(b, `,"serves_young_children":`...)
		b = strconv.AppendBool(b, e.ServesYoungChildren)
		b = append(b, '}')
	}
	if ap.Hired {
		b = append(b, `,"hired":true`...)
	}
	if ap.MonthsEmployed != 0 {
		b = append(b, `,"months_employed":`...)
		b = strconv.AppendInt(b, int64(ap.MonthsEmployed), 10)
	}
	if ap.HoursPerWeek != 0 {
		b = append(b, `,"hours_per_week":`...)
		var fine bool
		if b, fine = appendJSONFloat(b, ap.HoursPerWeek); !fine {
			ok = false
		}
	}
	if len(ap.Languages) > 0 {
		b = append(b, `,"languages":`...)
		b = appendJSONStrings(b, ap.Languages)
	}
	if ap.Education != "" {
		b = append(b, `,"education":`...)
		b = appendJSONString(b, string(ap.Education))
	}
	if ap.YearsExperience != 0 {
		b = append(b, `,"years_experience":`...)
		var fine bool
		if b, fine = appendJSONFloat(b, ap.YearsExperience); !fine {
			ok = false
		}
	}
	if ap.Endorsement != "" {
		b = append(b, `,"endorsement":`...)
		b = appendJSONString(b, string(ap.Endorsement))
	}
	if ap.ReflectiveHours != 0 {
		b = append(b, `,"reflective_hours":`...)
		var fine bool
		if b, fine = appendJSONFloat(b, ap.ReflectiveHours); !fine {
			ok = false
		}
	}
	if ap.TrainingHours != 0 {
		b = append(b, `,"training_hours":`...)
		var fine bool
		if b, fine = appendJSONFloat(b, ap.TrainingHours); !fine {
			ok = false
		}
	}
	if ap.Place != "" {
		b = append(b, `,"place":`...)
		b = appendJSONString(b, string(ap.Place))
	}
	d := &ap.Demographics
	b = append(b, `,"demographics":{`...)
	n0 := len(b)
	if len(d.Race) > 0 {
		b = append(b, `"race":`...)
		b = appendJSONStrings(b, d.Race)
	}
	for _, f := range [...]struct{ name, v string }{
		{`"gender":`, string(d.Gender)}, {`"age_band":`, string(d.AgeBand)}, {`"place":`, string(d.Place)}, {`"income":`, string(d.Income)},
	} {
		if f.v == "" {
			continue
		}
		if len(b) > n0 {
			b = append(b, ',')
		}
		b = append(b, f.name...)
		b = appendJSONString(b, f.v)
	}
	b = append(b, "}}"...)
	return b, ok
}

func appendAnswers(b []byte, an *Answers) []byte {
	n0 := len(b)
	sep := func(b []byte) []byte {
		if len(b) > n0 {
			return append(b, ',')
		}
		return b
	}
	if len(an.CommunitiesServed) > 0 {
		b = append(b, `"communities_served":`...)
		b = appendJSONStrings(b, an.CommunitiesServed)
	}
	for _, f := range [...]struct {
		name string
		v    bool
	}{{`"lived_experience":true`, an.LivedExperience}, {`"first_generation":true`, an.FirstGeneration}} {
		if f.v {
			b = append(sep(b), f.name...)
		}
	}
	if an.FinancialNeed != 0 {
		b = append(sep(b), `"financial_need":`...)
		b = strconv.AppendInt(b, int64(an.FinancialNeed), 10)
	}
	for _, f := range [...]struct {
		name string
		v    bool
	}{{`"employer_confirmed":true`, an.EmployerConfirmed}, {`"serves_rural":true`, an.ServesRural}} {
		if f.v {
			b = append(sep(b), f.name...)
		}
	}
	if an.EnrolledProgram != "" {
		b = append(sep(b), `"enrolled_program":`...)
		b = appendJSONString(b, an.EnrolledProgram)
	}
	return b
}

// sortedKeys appends m's keys to buf, sorted.
func sortedKeys[V any](buf []Category, m map[Category]V) []Category {
	for c := range m {
		buf = append(buf, c)
	}
	slices.Sort(buf)
	return buf
}

func appendJSONStrings[S ~string](b []byte, list []S) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(s))
	}
	return append(b, ']')
}

// appendJSONString appends s as encoding/json writes a string: quoted,
// with <, > and & escaped, invalid UTF-8 replaced by U+FFFD, and U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64 (as
// ECMAScript prints numbers); false for NaN and infinities, which json
// refuses.
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}

// appendJSONTime appends t as time.Time's MarshalJSON writes it; false
// where MarshalJSON fails (a year outside 0 to 9999, a zone offset of 24
// hours or more).
func appendJSONTime(b []byte, t time.Time) ([]byte, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return b, false
	}
	if _, off := t.Zone(); off <= -24*60*60 || off >= 24*60*60 {
		return b, false
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
}

// VerifyInputsHash reports whether hash is the [InputsHash] of a under
// key: that a decision record was made from these exact inputs. The
// comparison takes the same time whatever the hash.
func VerifyInputsHash(key []byte, a Application, hash string) bool {
	want, err := hex.DecodeString(hash)
	if err != nil {
		return false
	}
	got, _ := hex.DecodeString(InputsHash(key, a))
	return hmac.Equal(got, want)
}
