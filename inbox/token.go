package inbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// tokenPrefix marks inkorg API tokens so they are recognisable in a
// secret scanner and in a user's clipboard.
const tokenPrefix = "ink_"

// NewAPITokenSecret returns a new random API token and the hash under which
// it is stored. The token itself is never stored.
func NewAPITokenSecret() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashAPIToken(token), nil
}

// HashAPIToken returns the stored form of a token: hex SHA-256. Tokens have
// 256 random bits, so a fast hash is enough; no salt or key stretching is
// needed as for passwords.
func HashAPIToken(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}
