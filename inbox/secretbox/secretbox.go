// Package secretbox encrypts the managed accounts' access tokens at rest
// with AES-256-GCM under the keys in INKORG_SECRET_KEY. Several keys may
// be configured, newest first: the newest seals, every one opens, so a key
// is rotated by putting a new one first, re-sealing the stored tokens
// (inkorg accounts rotate-key) and then dropping the old one.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"inkorg/inbox"
)

// KeySize is the size of a key: AES-256.
const KeySize = 32

// version starts every sealed value, so the format can change later.
const version = "v1"

// Box seals and opens secrets. It is safe for concurrent use.
type Box struct {
	keys []key // newest first
}

type key struct {
	id   string
	aead cipher.AEAD
}

var _ inbox.Sealer = (*Box)(nil)

// ParseKeys reads the value of INKORG_SECRET_KEY: 32-byte keys as 64 hex
// digits or base64, separated by commas, newest first. The error names no
// key material.
func ParseKeys(value string) ([][]byte, error) {
	var keys [][]byte
	for i, part := range strings.Split(value, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		raw, err := decodeKey(part)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys = append(keys, raw)
	}
	if len(keys) == 0 {
		return nil, errors.New("no key given")
	}
	return keys, nil
}

// Parse returns a Box for the value of INKORG_SECRET_KEY (see ParseKeys).
func Parse(value string) (*Box, error) {
	keys, err := ParseKeys(value)
	if err != nil {
		return nil, err
	}
	return New(keys...)
}

// New returns a Box for keys of KeySize bytes, newest first.
func New(keys ...[]byte) (*Box, error) {
	var b Box
	seen := map[string]bool{}
	for i, raw := range keys {
		if len(raw) != KeySize {
			return nil, fmt.Errorf("key %d: must be %d bytes, got %d", i+1, KeySize, len(raw))
		}
		k, err := newKey(raw)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if !seen[k.id] {
			seen[k.id] = true
			b.keys = append(b.keys, k)
		}
	}
	if len(b.keys) == 0 {
		return nil, errors.New("no key given")
	}
	return &b, nil
}

func decodeKey(s string) ([]byte, error) {
	if raw, err := hex.DecodeString(s); err == nil && len(raw) == KeySize {
		return raw, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(s); err == nil {
			if len(raw) != KeySize {
				return nil, fmt.Errorf("must be %d bytes as 64 hex digits or base64 (try: openssl rand -hex 32); got %d bytes", KeySize, len(raw))
			}
			return raw, nil
		}
	}
	return nil, errors.New("is neither 64 hex digits nor base64 (try: openssl rand -hex 32)")
}

func newKey(raw []byte) (key, error) {
	block, err := aes.NewCipher(raw)
	if err != nil {
		return key{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, err
	}
	sum := sha256.Sum256(append([]byte("inkorg secretbox key id:"), raw...))
	return key{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// Seal encrypts plaintext under the newest key: "v1:<key id>:<base64 of
// nonce and ciphertext>".
func (b *Box) Seal(plaintext string) (string, error) {
	k := b.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := k.aead.Seal(nonce, nonce, []byte(plaintext), []byte(k.id))
	return version + ":" + k.id + ":" + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value Seal made with any configured key.
func (b *Box) Open(sealed string) (string, error) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != version {
		return "", errors.New("secretbox: not a sealed value")
	}
	raw, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil {
		return "", errors.New("secretbox: sealed value is corrupt")
	}
	for _, k := range b.keys {
		if k.id != parts[1] || len(raw) < k.aead.NonceSize() {
			continue
		}
		nonce, ct := raw[:k.aead.NonceSize()], raw[k.aead.NonceSize():]
		pt, err := k.aead.Open(nil, nonce, ct, []byte(k.id))
		if err != nil {
			return "", errors.New("secretbox: sealed value does not verify")
		}
		return string(pt), nil
	}
	return "", errors.New("secretbox: sealed with a key that is not configured")
}

// Current reports whether sealed is sealed with the newest key, so that
// rotation knows what to re-seal.
func (b *Box) Current(sealed string) bool {
	parts := strings.SplitN(sealed, ":", 3)
	return len(parts) == 3 && parts[0] == version && parts[1] == b.keys[0].id
}
