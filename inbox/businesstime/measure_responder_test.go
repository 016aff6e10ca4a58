package businesstime

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// TestMeasureFirstResponder: the reports credit a conversation to who sent
// the first reply to the citizen's first question (user 7 below), whoever
// holds it now (user 9) and whoever answered a later question.
func TestMeasureFirstResponder(t *testing.T) {
	type reply struct {
		at string
		by int64
	}
	tests := []struct {
		name    string
		replies []reply
		// resolved and reopened by the citizen's message at later, when set
		resolved, later string
		want            int64
	}{
		{"Answered", []reply{{"2026-11-23 09:30", 7}, {"2026-11-23 09:40", 9}}, "", "", 7},
		// The Page's own post under which the citizen commented is no
		// answer to them.
		{"CityWroteFirst", []reply{{"2026-11-23 08:00", 5}, {"2026-11-23 09:30", 7}}, "", "", 7},
		{"Unanswered", nil, "", "", 0},
		// Sent from Meta Business Suite: no user answered.
		{"SentOutside", []reply{{"2026-11-23 09:30", 0}, {"2026-11-23 09:40", 7}}, "", "", 0},
		// Closed unanswered; the reply to the next question does not
		// answer the first.
		{"LaterQuestion", []reply{{"2026-11-24 09:30", 9}}, "2026-11-23 10:00", "2026-11-24 09:00", 0},
		{"FirstQuestion", []reply{{"2026-11-23 09:30", 7}, {"2026-11-24 09:30", 9}}, "2026-11-23 10:00", "2026-11-24 09:00", 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &inbox.Conversation{ID: 1, Channel: inbox.ChannelFacebookComment, Status: inbox.StatusOpen,
				FirstMessageAt: st("2026-11-23 08:00"), AssigneeID: 9}
			in := &inbox.SLAInput{Conversation: c, FirstInboundAt: ptr(st("2026-11-23 09:00")),
				Changes: []inbox.StatusChange{{ConversationID: 1, At: st("2026-11-23 09:00"), Status: inbox.StatusNew}}}
			for _, r := range tc.replies {
				in.Replies, in.RepliedAt, in.RepliedBy = append(in.Replies, "Svar"), append(in.RepliedAt, st(r.at)), append(in.RepliedBy, r.by)
				if c.FirstResponseAt == nil {
					c.FirstResponseAt = ptr(st(r.at))
				}
			}
			if tc.resolved != "" {
				in.Changes = append(in.Changes, inbox.StatusChange{ConversationID: 1, At: st(tc.resolved), Status: inbox.StatusResolved},
					inbox.StatusChange{ConversationID: 1, At: st(tc.later), Status: inbox.StatusOpen})
				in.LaterInbound = []time.Time{st(tc.later)}
			}
			m, err := DefaultSLA().Measure(in, nil, st("2026-11-24 12:00"))
			if err != nil {
				t.Fatal(err)
			}
			if m.FirstResponderID != tc.want {
				t.Errorf("first responder: got %d, want %d", m.FirstResponderID, tc.want)
			}
		})
	}
}
