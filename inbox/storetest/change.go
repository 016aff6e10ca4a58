package storetest

import (
	"maps"
	"reflect"
	"testing"
	"time"

	"inkorg/inbox"
)

func runChanges(t *testing.T, open opener) {
	t.Run("OKEditBeforeAdd", func(t *testing.T) { testEditBeforeAdd(t, open(t)) })
	t.Run("OKEditsInTimeOrder", func(t *testing.T) { testEditsInTimeOrder(t, open(t)) })
	t.Run("OKDeleteBeforeAdd", func(t *testing.T) { testDeleteBeforeAdd(t, open(t)) })
	t.Run("OKPreviewTieKeepsLatest", func(t *testing.T) { testPreviewTie(t, open(t)) })
	t.Run("OKHideUnhideOutOfOrder", func(t *testing.T) { testHideUnhide(t, open(t)) })
	t.Run("OKReactionCounts", func(t *testing.T) { testReactionCounts(t, open(t)) })
	t.Run("OKReactionMakesNoConversation", func(t *testing.T) { testReactionNoConversation(t, open(t)) })
	t.Run("OKContentAndEcho", func(t *testing.T) { testContentAndEcho(t, open(t)) })
	t.Run("OKConcurrentChangeAndAdd", func(t *testing.T) { testConcurrentChangeAndAdd(t, open(t)) })
	t.Run("ErrInvalid", func(t *testing.T) {
		e := Change(inbox.EventReactionAdded, "m_1", T0)
		e.Author = inbox.Actor{}
		_, err := open(t).ApplyEvent(ctx(t), e)
		wantCode(t, err, inbox.EINVALID)
	})
}

// Change returns an event of kind changing message mid of the suite's
// Messenger thread, by the citizen, at.
func Change(kind inbox.EventKind, mid string, at time.Time) inbox.Event {
	return inbox.Event{
		Kind: kind, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: PageID, MessageExternalID: mid,
		Author: inbox.Actor{ExternalID: "psid_1"}, OccurredAt: at,
	}
}

func edit(mid, text string, at time.Time) inbox.Event {
	e := Change(inbox.EventMessageEdited, mid, at)
	e.Text = text
	return e
}

func react(kind inbox.EventKind, mid, who, reaction string, at time.Time) inbox.Event {
	e := Change(kind, mid, at)
	e.Author, e.Reaction = inbox.Actor{ExternalID: who}, reaction
	return e
}

// onlyMessage returns the one message of the conversation a applied to.
func onlyMessage(t *testing.T, s inbox.Store, a inbox.Applied) *inbox.Message {
	t.Helper()
	msgs := messages(t, s, a.ConversationID)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	return msgs[0]
}

func testEditBeforeAdd(t *testing.T, s inbox.Store) {
	ed := apply(t, s, edit("m_1", "Hej! När öppnar Valhallabadet? (rättat)", T0.Add(time.Minute)))
	if !ed.Created || ed.MessageID != 0 {
		t.Fatalf("edit before its message: got %+v, want Created and no message", ed)
	}
	e := Event("psid_1", "m_1", T0)
	a := apply(t, s, e)
	m := onlyMessage(t, s, a)
	if m.Text != "Hej! När öppnar Valhallabadet? (rättat)" || m.OriginalText != e.Text {
		t.Errorf("got text %q, original %q; want the edit's text and %q", m.Text, m.OriginalText, e.Text)
	}
	wantTimePtr(t, "EditedAt", m.EditedAt, ptr(T0.Add(time.Minute)))
	if len(m.Edits) != 1 || m.Edits[0].Text != m.Text {
		t.Errorf("got edits %+v, want the one edit", m.Edits)
	}
	// Redelivered, the edit changes nothing.
	again := apply(t, s, edit("m_1", "Hej! När öppnar Valhallabadet? (rättat)", T0.Add(time.Minute)))
	if again.Created || again.MessageID != a.MessageID {
		t.Errorf("redelivered edit: got %+v, want Created false on message %d", again, a.MessageID)
	}
	if got := onlyMessage(t, s, a); len(got.Edits) != 1 {
		t.Errorf("edits after redelivery: got %d, want 1", len(got.Edits))
	}
}

func testEditsInTimeOrder(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "m_1", T0))
	apply(t, s, edit("m_1", "andra", T0.Add(2*time.Minute)))
	apply(t, s, edit("m_1", "första", T0.Add(time.Minute)))
	m := onlyMessage(t, s, a)
	if m.Text != "andra" {
		t.Errorf("got text %q, want the latest edit %q", m.Text, "andra")
	}
	if c := conversation(t, s, a.ConversationID); c.Preview != "andra" {
		t.Errorf("preview: got %q, want the edited text", c.Preview)
	}
	var texts []string
	for _, e := range m.Edits {
		texts = append(texts, e.Text)
	}
	if want := []string{"första", "andra"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("got edits %q, want %q", texts, want)
	}
}

func testDeleteBeforeAdd(t *testing.T, s inbox.Store) {
	apply(t, s, Change(inbox.EventMessageDeleted, "m_1", T0.Add(time.Minute)))
	e := Event("psid_1", "m_1", T0)
	a := apply(t, s, e)
	m := onlyMessage(t, s, a)
	wantTimePtr(t, "DeletedAt", m.DeletedAt, ptr(T0.Add(time.Minute)))
	if m.Text != e.Text {
		t.Errorf("got text %q, want it kept for the record: %q", m.Text, e.Text)
	}
	if got := m.ForAgents(); got.Text != "" || !got.Deleted() {
		t.Errorf("ForAgents: got text %q, deleted %v; want no text, deleted", got.Text, got.Deleted())
	}
	if c := conversation(t, s, a.ConversationID); c.Preview != "[Borttaget meddelande]" {
		t.Errorf("preview: got %q, want the deleted text hidden", c.Preview)
	}
}

// testPreviewTie: a message edited or removed that was sent in the same
// second as a later one (Facebook gives whole seconds) does not take the
// preview from the later one, the city's answer.
func testPreviewTie(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "m_1", T0))
	answer := Reply("psid_1", "m_2", T0)
	apply(t, s, answer)
	apply(t, s, edit("m_1", "Frågan, rättad", T0.Add(time.Minute)))
	if c := conversation(t, s, a.ConversationID); c.Preview != answer.Text {
		t.Errorf("after the edit: preview %q, want the answer's %q", c.Preview, answer.Text)
	}
	apply(t, s, Change(inbox.EventMessageDeleted, "m_1", T0.Add(2*time.Minute)))
	if c := conversation(t, s, a.ConversationID); c.Preview != answer.Text {
		t.Errorf("after the removal: preview %q, want the answer's %q", c.Preview, answer.Text)
	}
	apply(t, s, Change(inbox.EventMessageDeleted, "m_2", T0.Add(3*time.Minute)))
	if c := conversation(t, s, a.ConversationID); c.Preview != "[Borttaget meddelande]" {
		t.Errorf("after the answer's removal: preview %q, want it hidden", c.Preview)
	}
}

func testHideUnhide(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "m_1", T0))
	hidden := func() bool { return onlyMessage(t, s, a).Hidden }
	apply(t, s, Change(inbox.EventMessageUnhidden, "m_1", T0.Add(2*time.Minute)))
	apply(t, s, Change(inbox.EventMessageHidden, "m_1", T0.Add(time.Minute)))
	if hidden() {
		t.Errorf("hidden after hide at +1m and unhide at +2m (received in reverse): got true, want false")
	}
	apply(t, s, Change(inbox.EventMessageHidden, "m_1", T0.Add(3*time.Minute)))
	if !hidden() {
		t.Errorf("hidden after hide at +3m: got false, want true")
	}
}

func testReactionCounts(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "m_1", T0))
	events := []inbox.Event{
		react(inbox.EventReactionAdded, "m_1", "u1", "love", T0.Add(1*time.Second)),
		react(inbox.EventReactionAdded, "m_1", "u2", "love", T0.Add(2*time.Second)),
		react(inbox.EventReactionAdded, "m_1", "u2", "love", T0.Add(2*time.Second)), // redelivered
		// u3 reacted and took it back; the removal arrives first.
		react(inbox.EventReactionRemoved, "m_1", "u3", "", T0.Add(4*time.Second)),
		react(inbox.EventReactionAdded, "m_1", "u3", "sad", T0.Add(3*time.Second)),
		// u4 changed their reaction.
		react(inbox.EventReactionAdded, "m_1", "u4", "sad", T0.Add(5*time.Second)),
		react(inbox.EventReactionAdded, "m_1", "u4", "like", T0.Add(6*time.Second)),
	}
	for _, e := range events {
		apply(t, s, e)
	}
	m := onlyMessage(t, s, a)
	if want := map[string]int{"love": 2, "like": 1}; !maps.Equal(m.Reactions, want) {
		t.Errorf("got reactions %v, want %v", m.Reactions, want)
	}
	if c := conversation(t, s, a.ConversationID); c.MessageCount != 1 {
		t.Errorf("message count: got %d, want 1 (reactions are not messages)", c.MessageCount)
	}
}

func testReactionNoConversation(t *testing.T, s inbox.Store) {
	a := apply(t, s, react(inbox.EventReactionAdded, "m_unknown", "u1", "like", T0))
	if a.ConversationID != 0 || a.MessageID != 0 {
		t.Errorf("got %+v, want no conversation or message", a)
	}
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
	if err != nil || len(page.Conversations) != 0 {
		t.Errorf("got %d conversations (error %v), want none", len(page.Conversations), err)
	}
}

func testContentAndEcho(t *testing.T, s inbox.Store) {
	e := Event("psid_1", "m_1", T0)
	e.Text = ""
	e.Attachments = []inbox.Attachment{
		{Type: inbox.AttachmentImage, URL: "https://cdn.example/bild.jpg"},
		{Type: inbox.AttachmentLocation, Title: "Götaplatsen", Latitude: new(57.6971), Longitude: new(11.9795)},
	}
	e.Payload = "HOURS"
	a := apply(t, s, e)
	echo := Reply("psid_1", "m_2", T0.Add(time.Minute))
	echo.SentOutsideInkorg = true
	b := apply(t, s, echo)
	msgs := messages(t, s, a.ConversationID)
	if len(msgs) != 2 || b.ConversationID != a.ConversationID {
		t.Fatalf("got %d messages, want 2 in one conversation", len(msgs))
	}
	if !reflect.DeepEqual(msgs[0].Attachments, e.Attachments) || msgs[0].Payload != "HOURS" {
		t.Errorf("got attachments %+v payload %q, want %+v %q", msgs[0].Attachments, msgs[0].Payload, e.Attachments, "HOURS")
	}
	out := msgs[1]
	if out.Direction != inbox.DirectionOutbound || !out.SentOutsideInkorg || out.Delivery != inbox.DeliverySent {
		t.Errorf("echo: got direction %s, outside %v, delivery %q; want outbound, true, sent", out.Direction, out.SentOutsideInkorg, out.Delivery)
	}
	c := conversation(t, s, a.ConversationID)
	if c.Preview != echo.Text {
		t.Errorf("preview: got %q, want the echo's text", c.Preview)
	}
}

// testConcurrentChangeAndAdd applies a message and its edit at the same
// time, many times over: whichever commits first, the edit is applied.
func testConcurrentChangeAndAdd(t *testing.T, s inbox.Store) {
	for i := range 10 {
		mid := "m_race_" + string(rune('a'+i))
		results := applyConcurrently(t, s, []inbox.Event{
			Event("psid_1", mid, T0),
			edit(mid, "rättat", T0.Add(time.Minute)),
		})
		msgs := messages(t, s, results[0].ConversationID)
		for _, m := range msgs {
			if m.ExternalID == mid && m.Text != "rättat" {
				t.Fatalf("round %d: got text %q, want the edit applied", i, m.Text)
			}
		}
	}
}
