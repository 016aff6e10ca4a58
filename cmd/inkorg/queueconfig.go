package main

import (
	"strconv"
	"time"

	"inkorg/inbox/queueworker"
)

// defaultQueueLease is the lease of both queue adapters: far above the
// slowest ingest, which is a few database writes.
const defaultQueueLease = 30 * time.Second

// QueueConfig is the failure policy of the queue consumers.
type QueueConfig struct {
	// MaxAttempts is INKORG_QUEUE_MAX_ATTEMPTS: how often a failing
	// message is tried before it is dead-lettered.
	MaxAttempts int
	// Lease is INKORG_QUEUE_LEASE: how long a consumer holds a message
	// without renewing it before another consumer may take it over. A
	// consumer renews it while the handler runs.
	Lease time.Duration
}

// parseQueueConfig parses INKORG_QUEUE_MAX_ATTEMPTS and INKORG_QUEUE_LEASE;
// empty values take the defaults.
func parseQueueConfig(maxAttempts, lease string) (QueueConfig, error) {
	qc := QueueConfig{MaxAttempts: queueworker.DefaultMaxAttempts, Lease: defaultQueueLease}
	if maxAttempts != "" {
		n, err := strconv.Atoi(maxAttempts)
		if err != nil || n < 1 || n > 1000 {
			return qc, configErrorf("INKORG_QUEUE_MAX_ATTEMPTS %q must be a whole number from 1 to 1000", maxAttempts)
		}
		qc.MaxAttempts = n
	}
	if lease != "" {
		d, err := time.ParseDuration(lease)
		if err != nil || d < 100*time.Millisecond || d > time.Hour {
			return qc, configErrorf("INKORG_QUEUE_LEASE %q must be a duration from 100ms to 1h, like 30s", lease)
		}
		qc.Lease = d
	}
	return qc, nil
}

// policy is the retry policy of the consumers.
func (qc QueueConfig) policy() queueworker.Policy {
	return queueworker.Policy{MaxAttempts: qc.MaxAttempts}
}
