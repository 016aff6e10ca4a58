package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestApplyEventTopCommentIsContact applies a comment thread's messages in
// every order: the top-level comment's author is the conversation's
// contact, and the conversation comes out as if the comment had come
// first, also when a reply (the Page's, or another commenter's) arrived
// before it and started the thread.
func TestApplyEventTopCommentIsContact(t *testing.T) {
	comment := threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0)
	pageReply := threadComment("c_page", storetest.PageID, inbox.DirectionOutbound, storetest.T0.Add(time.Minute))
	otherReply := threadComment("c_b", "citizen_b", inbox.DirectionInbound, storetest.T0.Add(2*time.Minute))
	orders := []struct {
		name   string
		events []inbox.Event
	}{
		{"PageReplyFirst", []inbox.Event{pageReply, comment}},
		{"OtherReplyFirst", []inbox.Event{otherReply, comment}},
		{"BothRepliesFirst", []inbox.Event{otherReply, pageReply, comment}},
	}
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		for _, o := range orders {
			t.Run(o.name, func(t *testing.T) {
				want := threadOutcome(t, url, append([]inbox.Event{comment}, without(o.events, comment)...))
				got := threadOutcome(t, url, o.events)
				if got != want {
					t.Errorf("got %+v, want %+v (the comment first)", got, want)
				}
				if got.contact != "citizen_a" {
					t.Errorf("conversation of citizen_a's comment has contact %s, want citizen_a", got.contact)
				}
			})
		}
	})
}

// threadSummary is what a comment thread's conversation shows. Its status
// history is left out: the first status is recorded at the first message
// to arrive, whichever order messages arrive in (it moves no SLA clock).
type threadSummary struct {
	contact, preview                    string
	status                              inbox.Status
	messages                            int
	firstMessage, lastMessage           string
	lastInbound, waiting, firstResponse string
}

// threadOutcome applies events to a fresh store and summarises thread
// c_1's conversation.
func threadOutcome(t *testing.T, url func(t *testing.T) string, events []inbox.Event) threadSummary {
	t.Helper()
	s := NewStore(openMigrated(t, url))
	for _, e := range events {
		mustApply(t, s, e)
	}
	c := threadConversation(t, s, "c_1")
	contact, err := s.FindContact(t.Context(), c.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	return threadSummary{
		contact: contact.ExternalID, preview: c.Preview, status: c.Status,
		messages: c.MessageCount, firstMessage: showTime(&c.FirstMessageAt), lastMessage: showTime(&c.LastMessageAt),
		lastInbound: showTime(c.LastInboundAt), waiting: showTime(c.WaitingSince), firstResponse: showTime(c.FirstResponseAt),
	}
}

func showTime(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func without(events []inbox.Event, e inbox.Event) []inbox.Event {
	var out []inbox.Event
	for _, x := range events {
		if x.MessageExternalID != e.MessageExternalID {
			out = append(out, x)
		}
	}
	return out
}
