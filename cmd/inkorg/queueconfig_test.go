package main

import (
	"testing"
	"time"
)

func TestParseQueueConfig(t *testing.T) {
	tests := []struct {
		name, maxAttempts, lease string
		want                     QueueConfig
		wantErr                  bool
	}{
		{"OKDefaults", "", "", QueueConfig{MaxAttempts: 8, Lease: 30 * time.Second}, false},
		{"OKSet", "3", "2s", QueueConfig{MaxAttempts: 3, Lease: 2 * time.Second}, false},
		{"ErrAttemptsZero", "0", "", QueueConfig{}, true},
		{"ErrAttemptsText", "many", "", QueueConfig{}, true},
		{"ErrLeaseUnit", "", "30", QueueConfig{}, true},
		{"ErrLeaseTooShort", "", "10ms", QueueConfig{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseQueueConfig(tc.maxAttempts, tc.lease)
			if tc.wantErr {
				if _, ok := err.(*configError); !ok {
					t.Fatalf("got error %v, want a configError", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
