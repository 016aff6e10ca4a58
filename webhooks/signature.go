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

// Names of the secrets that may sign deliveries, the secret label of
// inkorg_webhook_signatures_total.
const (
	secretApp         = "app"          // META_APP_SECRET
	secretAppPrevious = "app_previous" // META_APP_SECRET_PREVIOUS
	secretInstagram   = "instagram"    // META_INSTAGRAM_APP_SECRET
)

// signingSecret is one secret that may sign deliveries, with its name for
// the metric and log.
type signingSecret struct {
	name, value string
}

// verifier checks signatures with the secrets that may sign deliveries,
// tried in order. It keeps keyed HMACs for reuse: a reset HMAC starts
// from its keyed state, where a new one hashes the key again. It is safe
// for concurrent use.
type verifier struct {
	keys []*keyedMAC
}

// keyedMAC is the pool of HMACs keyed with one secret.
type keyedMAC struct {
	name string
	macs sync.Pool
}

// newVerifier returns a verifier for the secrets that are set, in the
// order given; the first should be the one that signs nearly every
// delivery, since the next is only tried when it does not match.
func newVerifier(secrets ...signingSecret) *verifier {
	v := &verifier{}
	for _, s := range secrets {
		if s.value == "" {
			continue
		}
		k := &keyedMAC{name: s.name}
		key := []byte(s.value)
		k.macs.New = func() any { return hmac.New(sha256.New, key) }
		v.keys = append(v.keys, k)
	}
	return v
}

// configured reports whether any secret is set.
func (v *verifier) configured() bool { return len(v.keys) > 0 }

// problem says why a signature header does not authenticate a body, or
// is "" when it does. The reason is for the log only.
func (v *verifier) problem(body []byte, header string) string {
	_, problem := v.check(body, header)
	return problem
}

// check returns the name of the secret whose HMAC-SHA256 of the raw body
// the header carries, or why none does. Each comparison is the
// constant-time hmac.Equal; a second secret's HMAC is only computed when
// the first does not match.
func (v *verifier) check(body []byte, header string) (secret, problem string) {
	if header == "" {
		return "", "missing"
	}
	hexSum, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok || len(hexSum) != hex.EncodedLen(sha256.Size) {
		return "", "malformed"
	}
	var got [sha256.Size]byte
	if _, err := hex.Decode(got[:], []byte(hexSum)); err != nil {
		return "", "malformed"
	}
	for _, k := range v.keys {
		if k.matches(body, got[:]) {
			return k.name, ""
		}
	}
	return "", "mismatch"
}

func (k *keyedMAC) matches(body, got []byte) bool {
	h := k.macs.Get().(hash.Hash)
	h.Reset()
	h.Write(body)
	var want [sha256.Size]byte
	equal := hmac.Equal(got, h.Sum(want[:0]))
	k.macs.Put(h)
	return equal
}
