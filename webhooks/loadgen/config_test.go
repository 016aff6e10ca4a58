package loadgen

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// TestRunRefusesConfig: Run refuses numbers out of bounds with an
// ErrInvalidConfig that says what is allowed, before sending anything.
func TestRunRefusesConfig(t *testing.T) {
	ok := Config{URL: "http://127.0.0.1:1/webhooks/meta", Secret: "s"}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"ErrNegativeCount", func(c *Config) { c.Count = -1 }, "count must be positive"},
		{"ErrNegativeDuration", func(c *Config) { c.Duration = -time.Second }, "duration must be positive"},
		{"ErrNegativeRate", func(c *Config) { c.Rate = -5 }, "rate must be positive"},
		{"ErrNaNRate", func(c *Config) { c.Rate = math.NaN() }, "rate must be positive"},
		{"ErrNegativeConcurrency", func(c *Config) { c.Concurrency = -1 }, "concurrency must be positive"},
		{"ErrNegativeProbes", func(c *Config) { c.Probe.Threads = -1 }, "probes must be positive"},
		{"ErrTooManyProbes", func(c *Config) { c.Probe.Threads = 65 }, "at most 64"},
		{"ErrNoSecret", func(c *Config) { c.Secret = "" }, "no app secret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			_, err := Run(context.Background(), c)
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrInvalidConfig saying %q", err, tc.want)
			}
		})
	}
}
