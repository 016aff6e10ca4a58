package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"sync"
)

// SignatureHeader is the request header in which Meta sends the HMAC-SHA256
// of the body, as "sha256=" followed by lowercase hex.
const SignatureHeader = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

// Sign returns the SignatureHeader value Meta would send for body when the
// app secret is secret.
func Sign(secret string, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(secret, body))
}

func mac(secret string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return h.Sum(nil)
}

// verifier checks signatures with one secret. It keeps keyed HMACs for
// reuse: a reset HMAC starts from its keyed state, where a new one hashes
// the key again. It is safe for concurrent use.
type verifier struct {
	macs sync.Pool
}

func newVerifier(secret string) *verifier {
	v := &verifier{}
	v.macs.New = func() any { return hmac.New(sha256.New, []byte(secret)) }
	return v
}

// problem says why a signature header does not authenticate a body, or
// is "" when it does. The reason is for the log only. The comparison is
// the constant-time hmac.Equal on the HMAC-SHA256 of the raw body.
func (v *verifier) problem(body []byte, header string) string {
	if header == "" {
		return "missing"
	}
	hexSum, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok || len(hexSum) != hex.EncodedLen(sha256.Size) {
		return "malformed"
	}
	var got [sha256.Size]byte
	if _, err := hex.Decode(got[:], []byte(hexSum)); err != nil {
		return "malformed"
	}
	h := v.macs.Get().(hash.Hash)
	h.Reset()
	h.Write(body)
	var want [sha256.Size]byte
	equal := hmac.Equal(got[:], h.Sum(want[:0]))
	v.macs.Put(h)
	if !equal {
		return "mismatch"
	}
	return ""
}
