package loadgen

import (
	"testing"
	"time"
)

// TestProbeInterval: the probes of a thread are spread over the run's
// expected length, which a count at a rate can make shorter than its
// duration, so that a count-bound run gets more than one probe a thread.
func TestProbeInterval(t *testing.T) {
	tests := []struct {
		name     string
		count    int
		rate     float64
		duration time.Duration
		want     time.Duration
	}{
		{"CountAtRate", 20000, 500, 0, 40 * time.Second / MaxPerThread},
		{"CountAtRateShort", 100, 500, 0, 100 * time.Millisecond},
		{"DurationFirst", 20000, 100, 60 * time.Second, 60 * time.Second / MaxPerThread},
		{"DurationOnly", 0, 500, 60 * time.Second, 60 * time.Second / MaxPerThread},
		{"CountAsFastAsPossible", 20000, 0, 0, MaxDuration / MaxPerThread},
		{"Default", 0, 0, 0, 100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{URL: "http://127.0.0.1:1/webhooks/meta", Secret: "s", Token: "t",
				Count: tc.count, Rate: tc.rate, Duration: tc.duration}
			if err := cfg.validate(); err != nil {
				t.Fatal(err)
			}
			if cfg.Probe.Interval != tc.want {
				t.Errorf("got probe interval %s, want %s", cfg.Probe.Interval, tc.want)
			}
		})
	}
}
