package storetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// runNestedReplies: a Facebook reply to a reply names the reply it
// answers as its parent, and joins the conversation of the top-level
// comment that reply is in rather than opening one of its own.
func runNestedReplies(t *testing.T, open opener) {
	s := open(t)
	comment := func(id, parent, author, text string, at time.Time) inbox.Event {
		e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: PageID, PostExternalID: PageID + "_9003", ThreadKey: id, MessageExternalID: id,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: author}, Author: inbox.Actor{ExternalID: author},
			Text: text, OccurredAt: at}
		if parent != "" {
			e.ThreadKey, e.ParentExternalID = parent, parent
		}
		return e
	}
	top := apply(t, s, comment("9003_100", "", "u1", "Varför är cykelbanan på Hisingsbron avstängd?", T0))
	reply := apply(t, s, comment("9003_101", "9003_100", "u2", "Samma fråga här", T0.Add(time.Minute)))
	nested := apply(t, s, comment("9003_102", "9003_101", "u1", "@u2 den har varit stängd en vecka", T0.Add(2*time.Minute)))
	if reply.ConversationID != top.ConversationID || nested.ConversationID != top.ConversationID {
		t.Errorf("conversations: top-level %d, reply %d, reply to the reply %d; want all one", top.ConversationID, reply.ConversationID, nested.ConversationID)
	}
	again := apply(t, s, comment("9003_102", "9003_101", "u1", "@u2 den har varit stängd en vecka", T0.Add(2*time.Minute)))
	if again.Created || again.ConversationID != top.ConversationID {
		t.Errorf("redelivered: got %+v; want the stored message in the top-level conversation", again)
	}
	if c := conversation(t, s, top.ConversationID); c.MessageCount != 3 || c.Contact == nil || c.Contact.ExternalID != "u1" {
		t.Errorf("conversation: %d messages, contact %+v; want 3 and the top-level commenter", c.MessageCount, c.Contact)
	}
}
