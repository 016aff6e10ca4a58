// Package livebus carries live events (inbox.LiveEvent) to the staff
// connected to this instance. Hub fans events out to local subscribers;
// Memory is the embedded default's broker, with an in-process ring buffer
// as its history; the redislive package shares events and history between
// instances through a Redis stream.
package livebus

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"inkorg/inbox"
)

// subscriberBuffer is how many events a slow subscriber may fall behind
// before it is cut off (it then reconnects and catches up from history).
const subscriberBuffer = 256

// ID is a live event id as Redis streams write them: milliseconds, a dash
// and a sequence number. Both brokers use the form, so ids order the same
// way everywhere.
type ID struct {
	Ms, Seq uint64
}

// ParseID parses an id; ok is false for anything else.
func ParseID(s string) (ID, bool) {
	ms, seq, found := strings.Cut(s, "-")
	if !found {
		return ID{}, false
	}
	a, err1 := strconv.ParseUint(ms, 10, 64)
	b, err2 := strconv.ParseUint(seq, 10, 64)
	return ID{a, b}, err1 == nil && err2 == nil
}

// String formats the id.
func (id ID) String() string {
	return strconv.FormatUint(id.Ms, 10) + "-" + strconv.FormatUint(id.Seq, 10)
}

// Less reports whether id comes before o.
func (id ID) Less(o ID) bool {
	return id.Ms < o.Ms || (id.Ms == o.Ms && id.Seq < o.Seq)
}

// Hub fans events out to the subscribers of one instance, in the order
// they are delivered to it.
type Hub struct {
	mu   sync.Mutex
	subs map[chan inbox.LiveEvent]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{subs: map[chan inbox.LiveEvent]struct{}{}}
}

// Deliver hands ev to every subscriber. A subscriber whose buffer is full
// is cut off rather than holding up the others.
func (h *Hub) Deliver(ev inbox.LiveEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- ev:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// Len returns the number of subscribers.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// join adds a subscriber and returns its channel and how to remove it.
func (h *Hub) join() (chan inbox.LiveEvent, func()) {
	ch := make(chan inbox.LiveEvent, subscriberBuffer)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if _, ok := h.subs[ch]; ok {
				delete(h.subs, ch)
				close(ch)
			}
		})
	}
}

// History is what a broker keeps of past events.
type History interface {
	// After returns the retained events after id, oldest first, and
	// whether events after id were already dropped.
	After(ctx context.Context, id ID) ([]inbox.LiveEvent, bool, error)
	// Newest returns the id of the newest event published; when there was
	// none, an id no event will have that comes before every one to come.
	Newest(ctx context.Context) (ID, error)
}

// Subscribe joins h and, when lastID is set, reads what came after it
// from history. It joins first and drops live events the history already
// returned, so nothing published in between is lost or sent twice.
//
// A fresh subscription (or one with an id from no broker) starts at the
// newest event: its LastID is that event's id, so a client that receives
// nothing before it reconnects still resumes without losing what was
// published meanwhile.
func (h *Hub) Subscribe(ctx context.Context, hist History, lastID string) (*inbox.LiveSubscription, error) {
	ch, leave := h.join()
	sub := &inbox.LiveSubscription{Close: leave}
	last, ok := ParseID(lastID)
	if ok {
		missed, gap, err := hist.After(ctx, last)
		if err != nil {
			leave()
			return nil, err
		}
		sub.Missed, sub.Gap = missed, gap
		if n := len(missed); n > 0 {
			last, _ = ParseID(missed[n-1].ID)
		}
		sub.LastID = last.String()
	} else {
		sub.Gap = lastID != "" // an id from no broker: the client must reload
		// Without the newest id the stream still works, as before ids
		// were given: only a resume then starts afresh.
		if newest, err := hist.Newest(ctx); err == nil {
			last, sub.LastID = newest, newest.String()
		}
	}
	sub.Events = dedupe(ctx, ch, last, leave)
	return sub, nil
}

// dedupe forwards events from in that come after last, and ends when ctx
// does.
func dedupe(ctx context.Context, in chan inbox.LiveEvent, last ID, leave func()) <-chan inbox.LiveEvent {
	out := make(chan inbox.LiveEvent)
	go func() {
		defer close(out)
		defer leave()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-in:
				if !ok {
					return
				}
				if id, _ := ParseID(ev.ID); !last.Less(id) {
					continue
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// nextID returns an id after prev for an event published at now.
func nextID(prev ID, now time.Time) ID {
	ms := uint64(now.UnixMilli())
	if ms <= prev.Ms {
		return ID{prev.Ms, prev.Seq + 1}
	}
	return ID{ms, 0}
}
