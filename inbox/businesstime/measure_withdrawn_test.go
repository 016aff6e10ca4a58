package businesstime

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// TestMeasureWithdrawn: a Messenger message at Mon 09:00 (2 business
// hours), resolved at 12:00 without a reply. Withdrawn before the
// resolution, it left nothing to answer: no clock. Withdrawn after it, the
// clock stays as the resolution stopped it, past its due time. The reports'
// first question keeps its figures either way.
func TestMeasureWithdrawn(t *testing.T) {
	tests := []struct {
		name      string
		withdrawn string
		wantSLA   bool
	}{
		{"BeforeResolution", "2026-11-23 09:10", false},
		{"AfterResolution", "2026-11-23 12:30", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resolved := st("2026-11-23 12:00")
			c := &inbox.Conversation{ID: 1, Channel: inbox.ChannelMessenger, Status: inbox.StatusResolved,
				FirstMessageAt: st("2026-11-23 09:00"), ResolvedAt: &resolved}
			in := &inbox.SLAInput{Conversation: c, FirstInboundAt: ptr(st("2026-11-23 09:00")),
				Changes: []inbox.StatusChange{{ConversationID: 1, At: st("2026-11-23 09:00"), Status: inbox.StatusNew},
					{ConversationID: 1, At: resolved, Status: inbox.StatusResolved}},
				Inbound: []inbox.InboundMessage{{SentAt: st("2026-11-23 09:00"), WithdrawnAt: ptr(st(tt.withdrawn))}}}
			m, err := DefaultSLA().Measure(in, nil, st("2026-11-23 13:00"))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.wantSLA && m.SLA != nil {
				t.Errorf("got SLA %+v, want none", m.SLA)
			}
			if tt.wantSLA && (m.SLA == nil || m.SLA.Running || m.SLA.State != inbox.SLABreached) {
				t.Errorf("got SLA %+v, want stopped at the resolution, breached", m.SLA)
			}
			if m.ResolutionWall == nil || *m.ResolutionWall != 3*time.Hour {
				t.Errorf("resolution: got %v, want 3h", m.ResolutionWall)
			}
		})
	}
}
