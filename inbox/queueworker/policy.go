package queueworker

import (
	"math/rand/v2"
	"time"
)

// Default retry policy: eight attempts spread over about two minutes, long
// enough to ride out a restart of the database or of a downstream API,
// short enough that a citizen's message is not held back for hours before
// an operator sees it in the dead letters.
const (
	DefaultMaxAttempts = 8
	DefaultMinDelay    = time.Second
	DefaultMaxDelay    = 5 * time.Minute
)

// Policy is the retry and dead-letter policy of a consumer: how often a
// failing message is tried, and how long it waits between tries.
type Policy struct {
	// MaxAttempts is how many times a handler runs on one message before
	// the message is dead-lettered. Default DefaultMaxAttempts.
	MaxAttempts int
	// MinDelay is the wait after the first failure; each further failure
	// doubles it, up to MaxDelay. Defaults DefaultMinDelay and
	// DefaultMaxDelay.
	MinDelay, MaxDelay time.Duration
}

// WithDefaults returns p with its zero fields set to the defaults.
func (p Policy) WithDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MinDelay <= 0 {
		p.MinDelay = DefaultMinDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	p.MaxDelay = max(p.MaxDelay, p.MinDelay)
	return p
}

// Delay returns the wait before the attempt after the given failed one:
// exponential from MinDelay, capped at MaxDelay, with jitter that takes up
// to half of it so that messages which failed together, in an outage, do
// not all come back at the same moment.
func (p Policy) Delay(attempt int) time.Duration {
	return jitter(exponential(p.MinDelay, p.MaxDelay, attempt))
}

// exponential returns lo doubled n-1 times, capped at hi.
func exponential(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

// jitter returns a random duration between d/2 and d.
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}
