package secretbox_test

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"inkorg/inbox/secretbox"
)

func newKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, secretbox.KeySize)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestSealOpen(t *testing.T) {
	box, err := secretbox.Parse(newKey(t))
	if err != nil {
		t.Fatal(err)
	}
	const token = "EAAGm0PX4ZCpsBAtoken"
	sealed, err := box.Seal(token)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, token) {
		t.Fatalf("sealed value %q contains the token", sealed)
	}
	if got, err := box.Open(sealed); err != nil || got != token {
		t.Fatalf("Open = %q, %v; want %q", got, err, token)
	}
	again, _ := box.Seal(token)
	if again == sealed {
		t.Fatal("two seals of one token are equal; the nonce is not fresh")
	}
}

func TestRotation(t *testing.T) {
	old, newer := newKey(t), newKey(t)
	before, _ := secretbox.Parse(old)
	sealed, _ := before.Seal("token-1")

	rotated, err := secretbox.Parse(newer + "," + old)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed); err != nil || got != "token-1" {
		t.Fatalf("Open with the old key second = %q, %v", got, err)
	}
	if rotated.Current(sealed) {
		t.Fatal("a value sealed with the old key counts as current")
	}
	resealed, _ := rotated.Seal("token-1")
	if !rotated.Current(resealed) {
		t.Fatal("a value sealed with the newest key is not current")
	}
	onlyNew, _ := secretbox.Parse(newer)
	if _, err := onlyNew.Open(sealed); err == nil {
		t.Fatal("a value sealed with a dropped key opened")
	}
	if got, err := onlyNew.Open(resealed); err != nil || got != "token-1" {
		t.Fatalf("Open of the re-sealed value = %q, %v", got, err)
	}
}

func TestTamper(t *testing.T) {
	box, _ := secretbox.Parse(newKey(t))
	sealed, _ := box.Seal("token")
	b := []byte(sealed)
	b[len(b)-2] ^= 1
	if _, err := box.Open(string(b)); err == nil {
		t.Fatal("a tampered value opened")
	}
}

func TestParseErrors(t *testing.T) {
	for name, v := range map[string]string{
		"ErrEmpty":    " , ",
		"ErrNotB64":   "not base64 at all!",
		"ErrTooShort": base64.StdEncoding.EncodeToString([]byte("short")),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := secretbox.Parse(v); err == nil {
				t.Fatal("Parse succeeded")
			}
		})
	}
}
