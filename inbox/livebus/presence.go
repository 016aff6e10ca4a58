package livebus

import (
	"context"
	"slices"
	"sync"
	"time"

	"inkorg/inbox"
)

var _ inbox.PresenceStore = (*MemoryPresence)(nil)

// MemoryPresence keeps presence in this process, for the embedded default.
type MemoryPresence struct {
	mu     sync.Mutex
	byConv map[int64]map[int64]inbox.Presence
}

// NewMemoryPresence returns an empty presence store.
func NewMemoryPresence() *MemoryPresence {
	return &MemoryPresence{byConv: map[int64]map[int64]inbox.Presence{}}
}

// SetPresence implements inbox.PresenceStore.
func (m *MemoryPresence) SetPresence(_ context.Context, conversationID int64, p inbox.Presence) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	users := m.byConv[conversationID]
	if users == nil {
		users = map[int64]inbox.Presence{}
		m.byConv[conversationID] = users
	}
	users[p.UserID] = p
	return nil
}

// FindPresence implements inbox.PresenceStore; it forgets what has run out.
func (m *MemoryPresence) FindPresence(_ context.Context, conversationID int64, now time.Time) ([]inbox.Presence, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []inbox.Presence{}
	for id, p := range m.byConv[conversationID] {
		if !p.Until.After(now) {
			delete(m.byConv[conversationID], id)
			continue
		}
		out = append(out, p)
	}
	if len(m.byConv[conversationID]) == 0 {
		delete(m.byConv, conversationID)
	}
	slices.SortFunc(out, func(a, b inbox.Presence) int { return int(a.UserID - b.UserID) })
	return out, nil
}
