package businesstime

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// TestMeasureFirstResolvedAt: the backlog's resolution is the first one
// in the history at or after the citizen's first message; without one,
// the conversation's resolution, not before that message.
func TestMeasureFirstResolvedAt(t *testing.T) {
	chg := func(at string, status inbox.Status) inbox.StatusChange {
		return inbox.StatusChange{ConversationID: 1, At: st(at), Status: status}
	}
	tests := []struct {
		name     string
		resolved *time.Time
		changes  []inbox.StatusChange
		want     *time.Time
	}{
		{"Open", nil, []inbox.StatusChange{chg("2026-11-23 09:00", inbox.StatusNew)}, nil},
		{"ResolvedReopenedResolvedAgain", ptr(st("2026-12-14 10:00")), []inbox.StatusChange{
			chg("2026-11-23 09:00", inbox.StatusNew), chg("2026-11-25 10:00", inbox.StatusResolved),
			chg("2026-12-14 09:00", inbox.StatusOpen), chg("2026-12-14 10:00", inbox.StatusResolved),
		}, ptr(st("2026-11-25 10:00"))},
		{"ReopenedOpen", nil, []inbox.StatusChange{
			chg("2026-11-25 10:00", inbox.StatusResolved), chg("2026-12-14 09:00", inbox.StatusOpen),
		}, ptr(st("2026-11-25 10:00"))},
		// The city resolved its own thread before the citizen wrote.
		{"ResolvedBeforeFirstMessage", nil, []inbox.StatusChange{
			chg("2026-11-20 10:00", inbox.StatusResolved), chg("2026-11-23 09:00", inbox.StatusOpen),
		}, nil},
		{"NoHistory", ptr(st("2026-11-24 12:00")), nil, ptr(st("2026-11-24 12:00"))},
		{"NoHistoryResolvedBefore", ptr(st("2026-11-23 08:59")), nil, ptr(st("2026-11-23 09:00"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &inbox.Conversation{ID: 1, Channel: inbox.ChannelMessenger, Status: inbox.StatusOpen,
				FirstMessageAt: st("2026-11-23 09:00"), ResolvedAt: tt.resolved}
			if tt.resolved != nil {
				c.Status = inbox.StatusResolved
			}
			in := &inbox.SLAInput{Conversation: c, FirstInboundAt: ptr(st("2026-11-23 09:00")), Changes: tt.changes}
			m, err := DefaultSLA().Measure(in, nil, st("2026-12-15 08:00"))
			if err != nil {
				t.Fatal(err)
			}
			switch got := m.FirstResolvedAt; {
			case (got == nil) != (tt.want == nil):
				t.Errorf("got %v, want %v", got, tt.want)
			case got != nil && !got.Equal(*tt.want):
				t.Errorf("got %v, want %v", *got, *tt.want)
			}
		})
	}
}
