package inbox

import (
	"context"
	"testing"
)

func TestValidatePublish(t *testing.T) {
	tests := []struct {
		name  string
		queue string
		msg   OutgoingMessage
		code  string
	}{
		{"OK", "jobs", OutgoingMessage{Body: []byte("x")}, ""},
		{"ErrEmptyQueue", "", OutgoingMessage{Body: []byte("x")}, EINVALID},
		{"ErrNilBody", "jobs", OutgoingMessage{Key: "k"}, EINVALID},
		{"ErrEmptyBody", "jobs", OutgoingMessage{Body: []byte{}}, EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePublish(tc.queue, tc.msg)
			if got := ErrorCode(err); got != tc.code {
				t.Errorf("got code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}

func TestValidateConsume(t *testing.T) {
	h := func(context.Context, *Delivery) error { return nil }
	tests := []struct {
		name        string
		queue       string
		concurrency int
		h           Handler
		code        string
	}{
		{"OK", "jobs", 1, h, ""},
		{"ErrEmptyQueue", "", 1, h, EINVALID},
		{"ErrZeroConcurrency", "jobs", 0, h, EINVALID},
		{"ErrNegativeConcurrency", "jobs", -1, h, EINVALID},
		{"ErrNilHandler", "jobs", 1, nil, EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateConsume(tc.queue, tc.concurrency, tc.h)
			if got := ErrorCode(err); got != tc.code {
				t.Errorf("got code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}
