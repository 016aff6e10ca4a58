package inbox

import (
	"testing"
	"time"
)

var (
	timeT0   = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	zeroTime time.Time
)

func TestEventValidate(t *testing.T) {
	valid := func() Event {
		return Event{
			Kind: EventMessageCreated, Platform: PlatformFacebook, Channel: ChannelMessenger,
			AccountExternalID: "page", ThreadKey: "psid", MessageExternalID: "mid", Direction: DirectionInbound,
			Contact: Actor{ExternalID: "psid"}, Text: "Hej", OccurredAt: timeT0,
		}
	}
	tests := []struct {
		name   string
		change func(*Event)
	}{
		{"ErrKind", func(e *Event) { e.Kind = "exploded" }},
		{"ErrPlatform", func(e *Event) { e.Platform = "myspace" }},
		{"ErrChannelOfOtherPlatform", func(e *Event) { e.Channel = ChannelInstagramDirect }},
		{"ErrNoAccount", func(e *Event) { e.AccountExternalID = " " }},
		{"ErrNoThread", func(e *Event) { e.ThreadKey = "" }},
		{"ErrNoMessageID", func(e *Event) { e.MessageExternalID = "" }},
		{"ErrDirection", func(e *Event) { e.Direction = "sideways" }},
		{"ErrNoContact", func(e *Event) { e.Contact.ExternalID = "" }},
		{"ErrNoTime", func(e *Event) { e.OccurredAt = zeroTime }},
		{"ErrInvalidUTF8", func(e *Event) { e.Text = "\xff" }},
	}
	ok := valid()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid event: got %v, want nil", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := valid()
			tc.change(&e)
			if got := ErrorCode(e.Validate()); got != EINVALID {
				t.Errorf("got code %q, want %q", got, EINVALID)
			}
		})
	}
}
