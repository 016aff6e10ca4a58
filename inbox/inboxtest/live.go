package inboxtest

import (
	"context"
	"slices"
	"sync"

	"inkorg/inbox"
)

// LiveRecorder is an inbox.Publisher that keeps the events it is given,
// for tests of code that publishes live updates.
type LiveRecorder struct {
	mu     sync.Mutex
	events []inbox.LiveEvent
}

// Publish records ev.
func (r *LiveRecorder) Publish(_ context.Context, ev inbox.LiveEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return nil
}

// Events returns the events published so far, oldest first.
func (r *LiveRecorder) Events() []inbox.LiveEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}
