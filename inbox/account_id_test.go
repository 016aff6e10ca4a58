package inbox_test

import (
	"strings"
	"testing"

	"inkorg/inbox"
)

func TestValidateAccountID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		code string
	}{
		{"104729385720000", ""},
		{"17841400000000000", ""},
		{strings.Repeat("1", inbox.MaxAccountIDLength), ""},
		{"", inbox.EINVALID},
		{"me", inbox.EINVALID},
		{"abc def/../x", inbox.EINVALID},
		{"123/feed", inbox.EINVALID},
		{" 123", inbox.EINVALID},
		{"123\x00", inbox.EINVALID},
		{strings.Repeat("1", inbox.MaxAccountIDLength+1), inbox.EINVALID},
		{strings.Repeat("9", 3800), inbox.EINVALID},
	} {
		err := inbox.ValidateAccountID(tt.id)
		if got := inbox.ErrorCode(err); got != tt.code {
			t.Errorf("ValidateAccountID(%.20q): got %q (%v), want %q", tt.id, got, err, tt.code)
		}
		if tt.code != "" && !strings.Contains(err.Error(), "Kontots id") {
			t.Errorf("ValidateAccountID(%.20q): got %v, want a message in Swedish and English", tt.id, err)
		}
	}
}
