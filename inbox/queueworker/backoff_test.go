package queueworker

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration // the full wait, of which jitter takes up to half
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{3, 400 * time.Millisecond},
		{6, 3200 * time.Millisecond},
		{7, 5 * time.Second},
		{15, 5 * time.Second},
		{16, 5 * time.Second},
		{64, 5 * time.Second},
		{1 << 30, 5 * time.Second},
	}
	for _, tc := range tests {
		for range 200 {
			if got := backoff(tc.n); got < tc.want/2 || got > tc.want {
				t.Errorf("backoff(%d): got %v, want between %v and %v", tc.n, got, tc.want/2, tc.want)
				break
			}
		}
	}
}
