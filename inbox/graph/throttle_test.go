package graph

import (
	"errors"
	"testing"
)

func TestThrottled(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"AppLimit4", &Error{Code: 4}, true},
		{"UserLimit17", &Error{Code: 17}, true},
		{"PagesLimit32", &Error{Code: 32}, true},
		{"ApplicationLimitReached341", &Error{Code: 341}, true},
		{"CustomLimit613", &Error{Code: 613}, true},
		{"PagesBUC80001", &Error{Code: 80001}, true},
		{"TooManyRequests", &Error{Status: 429}, true},
		{"ServiceError2", &Error{Code: 2, Status: 500}, false},
		{"Token190", &Error{Code: 190}, false},
		{"NoSuchObject", &Error{Code: 100, Subcode: 33}, false},
		{"NotFromMeta", errors.New("dial tcp: connection refused"), false},
		{"Nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Throttled(tt.err); got != tt.want {
				t.Errorf("Throttled(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
