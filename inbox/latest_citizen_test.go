package inbox

import (
	"testing"
	"time"
)

// TestLatestCitizenText: suggestions answer the citizen's own latest
// message, not another commenter's later reply; a withdrawn or empty
// message is passed over; with nothing left from the citizen, the latest
// of anyone's is taken.
func TestLatestCitizenText(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	msg := func(author, text string, deleted bool) *Message {
		m := &Message{Direction: DirectionInbound, AuthorExternalID: author, Text: text}
		if deleted {
			m.DeletedAt = &at
		}
		return m
	}
	page := &Message{Direction: DirectionOutbound, AuthorExternalID: "page", Text: "Vi tittar på det."}
	cia := &Conversation{Contact: &Contact{ExternalID: "cia"}}
	for _, tc := range []struct {
		name string
		conv *Conversation
		msgs []*Message
		want string
	}{
		{"OKCitizenBeforeBystander", cia, []*Message{msg("cia", "Mitt bygglov har fastnat", false), msg("bo", "Samma för mig", false), page}, "Mitt bygglov har fastnat"},
		{"OKCitizenLatest", cia, []*Message{msg("cia", "Hej", false), msg("bo", "Samma", false), msg("cia", "När kommer beslutet?", false)}, "När kommer beslutet?"},
		{"OKWithdrawnPassedOver", cia, []*Message{msg("cia", "Bygglov?", false), msg("cia", "Mitt personnummer är …", true), msg("cia", "", false)}, "Bygglov?"},
		{"OKOnlyOthersLeft", cia, []*Message{msg("cia", "Bygglov?", true), msg("bo", "Var söker man?", false), msg("ek", "Samma fråga", false)}, "Samma fråga"},
		{"OKNoContact", &Conversation{}, []*Message{msg("cia", "Bygglov?", false), msg("bo", "Samma", false)}, "Samma"},
		{"OKNilConversation", nil, []*Message{msg("cia", "Bygglov?", false), msg("bo", "Samma", false)}, "Samma"},
		{"OKNothing", cia, []*Message{page}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LatestCitizenText(tc.conv, tc.msgs); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
