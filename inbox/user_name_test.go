package inbox_test

import (
	"strings"
	"testing"

	"inkorg/inbox"
)

// TestUserNameCharacters: a user name with a control character, NUL or an
// invisible format character is refused, so no second name looks like
// another; letters of any script and inner spaces are fine.
func TestUserNameCharacters(t *testing.T) {
	for _, tt := range []struct {
		name string
		code string
	}{
		{"anna", ""},
		{"Åsa Öberg", ""},
		{"محمد", ""},
		{"anna\u200b", inbox.EINVALID}, // zero-width space
		{"an\u00adna", inbox.EINVALID}, // soft hyphen
		{"anna\u202e", inbox.EINVALID}, // right-to-left override
		{"\ufeffanna", inbox.EINVALID}, // byte order mark
		{"an\x00na", inbox.EINVALID},
		{"an\tna", inbox.EINVALID},
		{"an\x7fna", inbox.EINVALID},
		{"anna\u0085x", inbox.EINVALID}, // next line (C1)
	} {
		u := &inbox.User{Name: tt.name, Role: inbox.RoleAgent}
		err := u.Validate()
		if got := inbox.ErrorCode(err); got != tt.code {
			t.Errorf("%+q: got %q (%v), want %q", tt.name, got, err, tt.code)
		}
		if tt.code != "" && !strings.Contains(err.Error(), "zero-width space") {
			t.Errorf("%+q: got %v, want it to say which characters", tt.name, err)
		}
	}
}
