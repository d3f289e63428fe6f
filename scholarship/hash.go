package scholarship

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
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
	return newHasher(key).hash(a)
}

// hasher computes [InputsHash] for many applications under one key,
// reusing its HMAC state and encoding buffer.
type hasher struct {
	mac hash.Hash
	buf bytes.Buffer
	enc *json.Encoder
	sum []byte
}

func newHasher(key []byte) *hasher {
	h := &hasher{mac: hmac.New(sha256.New, key)}
	h.enc = json.NewEncoder(&h.buf)
	return h
}

// hash is InputsHash(key, a): the encoder writes what json.Marshal does,
// followed by a newline that is not hashed.
func (h *hasher) hash(a Application) string {
	h.buf.Reset()
	if err := h.enc.Encode(a); err != nil {
		h.buf.Reset()
	}
	b := bytes.TrimSuffix(h.buf.Bytes(), []byte("\n"))
	h.mac.Reset()
	h.mac.Write([]byte(hashContext))
	h.mac.Write(b)
	h.sum = h.mac.Sum(h.sum[:0])
	return hex.EncodeToString(h.sum)
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
