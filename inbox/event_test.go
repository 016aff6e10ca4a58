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

func TestEventValidateChanges(t *testing.T) {
	change := func(kind EventKind) Event {
		return Event{
			Kind: kind, Platform: PlatformFacebook, Channel: ChannelFacebookComment,
			AccountExternalID: "page", MessageExternalID: "c_1", Author: Actor{ExternalID: "7"}, OccurredAt: timeT0,
		}
	}
	receipt := func() Event {
		return Event{
			Kind: EventMessagesRead, Platform: PlatformFacebook, Channel: ChannelMessenger,
			AccountExternalID: "page", ThreadKey: "psid", Watermark: timeT0, OccurredAt: timeT0,
		}
	}
	tests := []struct {
		name string
		e    func() Event
		ok   bool
	}{
		{"OKEditWithoutThreadOrContact", func() Event { return change(EventMessageEdited) }, true},
		{"OKReactionRemoved", func() Event { return change(EventReactionRemoved) }, true},
		{"OKReceiptByWatermark", receipt, true},
		{"OKReceiptByIDs", func() Event { e := receipt(); e.Watermark, e.MessageExternalIDs = zeroTime, []string{"m"}; return e }, true},
		{"ErrChangeNoMessageID", func() Event { e := change(EventMessageHidden); e.MessageExternalID = ""; return e }, false},
		{"ErrReactionNoAuthor", func() Event { e := change(EventReactionAdded); e.Author = Actor{}; return e }, false},
		{"ErrChangeNoTime", func() Event { e := change(EventMessageDeleted); e.OccurredAt = zeroTime; return e }, false},
		{"ErrReceiptOnComments", func() Event { e := receipt(); e.Channel = ChannelFacebookComment; return e }, false},
		{"ErrReceiptNoThread", func() Event { e := receipt(); e.ThreadKey = ""; return e }, false},
		{"ErrReceiptNothing", func() Event { e := receipt(); e.Watermark = zeroTime; return e }, false},
		{"ErrReceiptEmptyID", func() Event { e := receipt(); e.MessageExternalIDs = []string{" "}; return e }, false},
		{"ErrTooManyAttachments", func() Event {
			e := change(EventMessageEdited)
			e.Attachments = make([]Attachment, MaxAttachments+1)
			return e
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.e()
			err := e.Validate()
			switch {
			case tc.ok && err != nil:
				t.Errorf("got %v, want nil", err)
			case !tc.ok && ErrorCode(err) != EINVALID:
				t.Errorf("got code %q, want %q", ErrorCode(err), EINVALID)
			}
		})
	}
}

func TestMessageForAgents(t *testing.T) {
	deleted := timeT0
	m := &Message{Text: "Mitt telefonnummer är …", OriginalText: "x", Payload: "P", Attachments: []Attachment{{Type: "image"}}, DeletedAt: &deleted}
	got := m.ForAgents()
	if got.Text != "" || got.OriginalText != "" || got.Payload != "" || got.Attachments != nil || !got.Deleted() {
		t.Errorf("got %+v, want a deleted message without content", got)
	}
	if m.Text == "" {
		t.Errorf("ForAgents changed the stored message")
	}
	kept := &Message{Text: "Hej"}
	if kept.ForAgents() != kept {
		t.Errorf("ForAgents of a message not deleted: got a copy, want the message itself")
	}
}
