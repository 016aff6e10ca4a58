package web_test

import (
	"fmt"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/storetest"
)

// TestConversationReceiptLive: in a real Chromium, a read receipt for the
// city's answer in a Messenger thread turns its "Skickat" into "Läst" on
// the open conversation page without a reload.
func TestConversationReceiptLive(t *testing.T) {
	chromium := inboxtest.Chromium(t)
	s := newLiveSite(t)
	id := s.arrive(t, "psid_receipt", "m_receipt_1", "Hej! När öppnar Valhallabadet?")
	sent := time.Now().Add(-time.Second).UTC()
	reply, err := s.store.ApplyEvent(t.Context(), storetest.Reply("psid_receipt", "m_receipt_2", sent))
	if err != nil {
		t.Fatal(err)
	}

	ctx := inboxtest.BrowserContext(t, chromium, 1280, 700, 2*time.Minute)
	b := &liveBrowser{t: t, ctx: ctx, url: s.url}

	b.signIn("anna", id)
	b.waitListening(s.broker, 1)
	answer := fmt.Sprintf(`document.getElementById("m%d").textContent`, reply.MessageID)
	b.waitJS(answer+`.includes("Skickat")`, "the answer is not shown as sent")

	e := inbox.Event{Kind: inbox.EventMessagesRead, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: storetest.PageID, ThreadKey: "psid_receipt", Contact: inbox.Actor{ExternalID: "psid_receipt"},
		Author: inbox.Actor{ExternalID: "psid_receipt"}, Watermark: sent, OccurredAt: sent}
	a, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	if err := inbox.LiveMessageHook(s.broker)(t.Context(), e, a); err != nil {
		t.Fatal(err)
	}
	b.waitJS(answer+`.includes("Läst")`, "the read receipt did not show on the page")
	if got := b.eval(answer + `.includes("Skickat") ? "still sent" : ""`); got != "" {
		t.Errorf("the answer reads %q after the receipt, want only Läst", b.eval(answer))
	}
}
