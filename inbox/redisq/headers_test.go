package redisq

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEncodeHeadersMatchesJSON(t *testing.T) {
	for _, h := range []map[string]string{
		{},
		{"received_at": "2026-11-24T13:56:01.123456789Z", "x_hub_signature_256": "sha256=00ff", "content_type": "application/json"},
		{"a": `quote " and \ backslash`, "b": "<script>&</script>", "c": "tab\tnewline\n\x00\x1f\x7f"},
		{"ö": "Göteborg 😀", "\u2028": "line\u2029separator", "bad": "\xff\xfe"},
		{"": ""},
	} {
		got, err := encodeHeaders(h)
		if err != nil {
			t.Fatalf("encodeHeaders(%q): %v", h, err)
		}
		want, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("encodeHeaders(%q):\ngot  %s\nwant %s", h, got, want)
		}
	}
}

func FuzzEncodeHeaders(f *testing.F) {
	f.Add("content_type", "application/json", "received_at", "2026-11-24T13:56:01Z")
	f.Add("a", "\"<>&\\", "ö", "\xff")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		h := map[string]string{k1: v1, k2: v2}
		got, err := encodeHeaders(h)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(h)
		if !bytes.Equal(got, want) {
			t.Errorf("got %s, want %s", got, want)
		}
	})
}
