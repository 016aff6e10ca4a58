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

func TestPolicyDelay(t *testing.T) {
	p := Policy{MinDelay: time.Second, MaxDelay: time.Minute}.WithDefaults()
	tests := []struct {
		attempt int
		want    time.Duration // the full wait, of which jitter takes up to half
	}{
		{1, time.Second},
		{2, 2 * time.Second},
		{3, 4 * time.Second},
		{6, 32 * time.Second},
		{7, time.Minute},
		{1 << 30, time.Minute},
	}
	for _, tc := range tests {
		for range 200 {
			if got := p.Delay(tc.attempt); got < tc.want/2 || got > tc.want {
				t.Errorf("Delay(%d): got %v, want between %v and %v", tc.attempt, got, tc.want/2, tc.want)
				break
			}
		}
	}
}

func TestPolicyWithDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Policy
		want Policy
	}{
		{"Zero", Policy{}, Policy{MaxAttempts: 8, MinDelay: time.Second, MaxDelay: 5 * time.Minute}},
		{"Set", Policy{MaxAttempts: 3, MinDelay: 10 * time.Millisecond, MaxDelay: time.Second},
			Policy{MaxAttempts: 3, MinDelay: 10 * time.Millisecond, MaxDelay: time.Second}},
		{"MaxBelowMin", Policy{MinDelay: time.Hour}, Policy{MaxAttempts: 8, MinDelay: time.Hour, MaxDelay: time.Hour}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.WithDefaults(); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
