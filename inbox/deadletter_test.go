package inbox_test

import (
	"errors"
	"fmt"
	"testing"

	"inkorg/inbox"
)

func TestPermanent(t *testing.T) {
	base := errors.New("not JSON")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"OK", inbox.Permanent(base), true},
		{"OKWrapped", fmt.Errorf("parse: %w", inbox.Permanent(base)), true},
		{"ErrPlain", base, false},
		{"ErrNil", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := inbox.IsPermanent(tc.err); got != tc.want {
				t.Errorf("IsPermanent(%v): got %v, want %v", tc.err, got, tc.want)
			}
		})
	}
	if got := inbox.Permanent(base); !errors.Is(got, base) || got.Error() != "not JSON" {
		t.Errorf("Permanent(err): got %v, want it to wrap err with the same text", got)
	}
	if got := inbox.Permanent(nil); got != nil {
		t.Errorf("Permanent(nil): got %v, want nil", got)
	}
}
