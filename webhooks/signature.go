package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
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

// signatureProblem says why a signature header does not authenticate a
// body, or is "" when it does. The reason is for the log only.
func signatureProblem(secret string, body []byte, header string) string {
	if header == "" {
		return "missing"
	}
	hexSum, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok {
		return "malformed"
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil || len(got) != sha256.Size {
		return "malformed"
	}
	if !hmac.Equal(got, mac(secret, body)) {
		return "mismatch"
	}
	return ""
}
