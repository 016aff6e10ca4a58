package inbox_test

import (
	"testing"

	"inkorg/inbox"
)

func TestParseID(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for s, want := range map[string]int64{"1": 1, "8": 8, "10": 10, "9223372036854775807": 9223372036854775807} {
			if got, ok := inbox.ParseID(s); !ok || got != want {
				t.Errorf("ParseID(%q): got %d, %v, want %d, true", s, got, ok, want)
			}
		}
	})
	t.Run("ErrNotPlain", func(t *testing.T) {
		for _, s := range []string{"", "0", "00", "08", "+8", "-8", " 8", "8 ", "8\n", "1_000", "0x8", "8.0", "1e3", "٨",
			"9223372036854775808", "-0"} {
			if got, ok := inbox.ParseID(s); ok {
				t.Errorf("ParseID(%q): got %d, true, want false", s, got)
			}
		}
	})
}
