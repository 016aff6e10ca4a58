package inbox_test

import (
	"strings"
	"testing"

	"inkorg/inbox"
)

// TestReplyNotBySpecialist: a department answers back to the kontaktcenter;
// it does not reply to the citizen, on the web or through the API. A
// specialist's reply in a conversation routed to their administration is
// refused (403), whatever it holds, saying to give the answer with answer,
// and nothing is queued; a supervisor replies there.
func TestReplyNotBySpecialist(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	if err := w.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	id := w.routed(t)
	for _, tc := range []struct {
		name string
		r    inbox.ReplyRequest
	}{
		{"Direct", inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Badet öppnar kl. 7."}},
		{"Takeover", inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Badet öppnar kl. 7.", Takeover: true}},
		{"Empty", inbox.ReplyRequest{Kind: inbox.ReplyDirect}},
		{"UnknownKind", inbox.ReplyRequest{Kind: "sms", Text: "Hej"}},
	} {
		t.Run(tc.name+"/Err403", func(t *testing.T) {
			_, err := w.svc.Reply(ctx, w.spec, id, tc.r)
			wantCode(t, err, inbox.EFORBIDDEN)
			if msg := inbox.ErrorMessage(err); !strings.Contains(msg, "answer") || !strings.Contains(msg, "kontaktcenter") {
				t.Errorf("got %q, want it to say the answer goes back to the kontaktcenter with answer", msg)
			}
		})
	}
	if actions, err := w.store.FindOutboundActions(ctx, id); err != nil || len(actions) != 0 {
		t.Fatalf("got %d outbound actions (%v), want none", len(actions), err)
	}
	t.Run("Supervisor/OK", func(t *testing.T) {
		if _, err := w.svc.Reply(ctx, w.sup, id, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Badet öppnar kl. 7."}); err != nil {
			t.Fatalf("Reply: %v", err)
		}
	})
}

// TestDirectReplyNamesNoMessage: a direct message goes to the thread, so a
// reply_to_message_id with it is refused naming the field (400), not
// dropped unread; nothing is queued. Without it the message is queued.
func TestDirectReplyNamesNoMessage(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	if err := w.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	id := w.conversation(t)
	msgs, err := w.store.FindMessages(ctx, id)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("messages: %d, %v", len(msgs), err)
	}
	for _, tc := range []struct {
		name string
		to   int64
	}{
		{"ItsOwnMessage", msgs[0].ID},
		{"NoSuchMessage", msgs[0].ID + 1000},
	} {
		t.Run(tc.name+"/Err400", func(t *testing.T) {
			_, err := w.svc.Reply(ctx, w.agent, id, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej!", ReplyToMessageID: tc.to})
			wantCode(t, err, inbox.EINVALID)
			if msg := inbox.ErrorMessage(err); !strings.Contains(msg, "reply_to_message_id") {
				t.Errorf("got %q, want it to name reply_to_message_id", msg)
			}
		})
	}
	if actions, err := w.store.FindOutboundActions(ctx, id); err != nil || len(actions) != 0 {
		t.Fatalf("got %d outbound actions (%v), want none", len(actions), err)
	}
	t.Run("WithoutIt/OK", func(t *testing.T) {
		if _, err := w.svc.Reply(ctx, w.agent, id, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej!"}); err != nil {
			t.Fatalf("Reply: %v", err)
		}
	})
}
