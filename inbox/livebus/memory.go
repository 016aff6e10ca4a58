package livebus

import (
	"context"
	"sync"
	"time"

	"inkorg/inbox"
)

var _ inbox.LiveBroker = (*Memory)(nil)

// DefaultHistory is how many recent events a broker keeps for clients
// that reconnect.
const DefaultHistory = 10000

// Memory is the broker of a single instance: events go to this process's
// subscribers only, and the history is a ring buffer in memory.
type Memory struct {
	hub *Hub
	now func() time.Time

	mu   sync.Mutex
	ring []inbox.LiveEvent // oldest first once full: ring[next:] + ring[:next]
	next int
	full bool
	last ID
	// dropped is the id of the newest event the ring has let go of, or
	// of the broker's start.
	dropped ID
}

// NewMemory returns a broker keeping the last size events (DefaultHistory
// when size <= 0), with ids from the clock now (the wall clock when nil).
func NewMemory(size int, now func() time.Time) *Memory {
	if size <= 0 {
		size = DefaultHistory
	}
	if now == nil {
		now = time.Now
	}
	// What was published before this broker started (by an earlier
	// process) is unknown to it: a client resuming from then gets a gap.
	start := ID{Ms: uint64(now().UnixMilli())}
	return &Memory{hub: NewHub(), now: now, ring: make([]inbox.LiveEvent, size), last: start, dropped: start}
}

// Publish gives ev an id, keeps it and delivers it to the subscribers.
func (m *Memory) Publish(_ context.Context, ev inbox.LiveEvent) error {
	m.mu.Lock()
	m.last = nextID(m.last, m.now())
	ev.ID = m.last.String()
	if ev.At.IsZero() {
		ev.At = m.now().UTC()
	}
	if m.full {
		m.dropped, _ = ParseID(m.ring[m.next].ID)
	}
	m.ring[m.next] = ev
	m.next = (m.next + 1) % len(m.ring)
	m.full = m.full || m.next == 0
	// Deliver under the lock so subscribers see the order of the ids.
	m.hub.Deliver(ev)
	m.mu.Unlock()
	return nil
}

// Subscribe implements inbox.LiveBroker.
func (m *Memory) Subscribe(ctx context.Context, lastID string) (*inbox.LiveSubscription, error) {
	return m.hub.Subscribe(ctx, m, lastID)
}

// Newest implements History.
func (m *Memory) Newest(context.Context) (ID, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.last, nil
}

// After implements History.
func (m *Memory) After(_ context.Context, id ID) ([]inbox.LiveEvent, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []inbox.LiveEvent
	n := m.next
	if m.full {
		n = len(m.ring)
	}
	for i := range n {
		ev := m.ring[(m.next-n+i+len(m.ring))%len(m.ring)]
		if evID, _ := ParseID(ev.ID); id.Less(evID) {
			out = append(out, ev)
		}
	}
	return out, id.Less(m.dropped), nil
}
