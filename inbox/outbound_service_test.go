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
