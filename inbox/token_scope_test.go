package inbox_test

import (
	"testing"

	"inkorg/inbox"
)

func TestAPITokenPermits(t *testing.T) {
	for _, tc := range []struct {
		method         string
		readOnly, full bool
	}{
		{"GET", true, true},
		{"HEAD", true, true},
		{"OPTIONS", true, true},
		{"POST", false, true},
		{"PUT", false, true},
		{"PATCH", false, true},
		{"DELETE", false, true},
		{"get", false, true}, // methods are case-sensitive; net/http sends them upper-case
		{"", false, true},
	} {
		if got := (&inbox.APIToken{ReadOnly: true}).Permits(tc.method); got != tc.readOnly {
			t.Errorf("read-only token, %q: got %v, want %v", tc.method, got, tc.readOnly)
		}
		if got := (&inbox.APIToken{}).Permits(tc.method); got != tc.full {
			t.Errorf("full token, %q: got %v, want %v", tc.method, got, tc.full)
		}
	}
}
