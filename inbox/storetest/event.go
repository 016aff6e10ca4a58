package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
)

func runApplyEvent(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) { testApplyEventOK(t, open(t)) })
	t.Run("OKRedelivery", func(t *testing.T) { testApplyEventRedelivery(t, open(t)) })
	t.Run("OKSameThread", func(t *testing.T) { testApplyEventSameThread(t, open(t)) })
	t.Run("OKOutOfOrder", func(t *testing.T) { testApplyEventOutOfOrder(t, open(t)) })
	t.Run("OKAccount", func(t *testing.T) { testApplyEventAccount(t, open(t)) })
	t.Run("OKFirstResponse", func(t *testing.T) { testApplyEventFirstResponse(t, open(t)) })
	t.Run("OKFirstResponseOutOfOrder", func(t *testing.T) { testApplyEventFirstResponseOutOfOrder(t, open(t)) })
	t.Run("OKContactUpdate", func(t *testing.T) { testApplyEventContactUpdate(t, open(t)) })
	t.Run("OKConcurrentSameEvent", func(t *testing.T) { testApplyEventConcurrentSame(t, open(t)) })
	t.Run("OKConcurrentSameThread", func(t *testing.T) { testApplyEventConcurrentThread(t, open(t)) })
	t.Run("ErrInvalid", func(t *testing.T) { testApplyEventInvalid(t, open(t)) })
}

func testApplyEventOK(t *testing.T, s inbox.Store) {
	e := Event("psid_1", "m_1", T0)
	e.PostExternalID = "post_1"
	a := apply(t, s, e)
	if !a.Created || !a.NewConversation || a.ConversationID == 0 || a.MessageID == 0 {
		t.Fatalf("got %+v, want Created and NewConversation with ids", a)
	}
	c := conversation(t, s, a.ConversationID)
	want := inbox.Conversation{
		ID: a.ConversationID, AccountExternalID: PageID, UnknownAccount: true,
		Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		ThreadKey: "psid_1", PostExternalID: "post_1", ContactID: c.ContactID,
		Status: inbox.StatusNew, Preview: e.Text, MessageCount: 1,
	}
	got := *c
	got.Contact, got.FirstMessageAt, got.LastMessageAt, got.LastInboundAt = nil, time.Time{}, time.Time{}, nil
	got.CreatedAt, got.UpdatedAt, got.WaitingSince = time.Time{}, time.Time{}, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got conversation %+v, want %+v", got, want)
	}
	wantTimePtr(t, "WaitingSince", c.WaitingSince, ptr(T0))
	wantTime(t, "FirstMessageAt", c.FirstMessageAt, T0)
	wantTime(t, "LastMessageAt", c.LastMessageAt, T0)
	wantTimePtr(t, "LastInboundAt", c.LastInboundAt, ptr(T0))
	if c.CreatedAt.IsZero() || c.UpdatedAt.IsZero() {
		t.Errorf("got CreatedAt %s, UpdatedAt %s, want both set", c.CreatedAt, c.UpdatedAt)
	}
	checkContact(t, c, inbox.Contact{ID: c.ContactID, Platform: inbox.PlatformFacebook, ExternalID: "psid_1", Name: "Anna Andersson"})
	checkMessage(t, s, a, e)
}

func checkContact(t *testing.T, c *inbox.Conversation, want inbox.Contact) {
	t.Helper()
	if c.Contact == nil {
		t.Fatalf("got no contact, want %+v", want)
	}
	got := *c.Contact
	if got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() {
		t.Errorf("got contact CreatedAt %s, UpdatedAt %s, want both set", got.CreatedAt, got.UpdatedAt)
	}
	got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
	if got != want || c.ContactID == 0 {
		t.Errorf("got contact %+v (ContactID %d), want %+v", got, c.ContactID, want)
	}
}

func checkMessage(t *testing.T, s inbox.Store, a inbox.Applied, e inbox.Event) {
	t.Helper()
	msgs := messages(t, s, a.ConversationID)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := *msgs[0]
	want := inbox.Message{
		ID: a.MessageID, ConversationID: a.ConversationID, Platform: e.Platform,
		ExternalID: e.MessageExternalID, Direction: e.Direction, ParentExternalID: e.ParentExternalID,
		AuthorExternalID: e.Author.ExternalID, AuthorName: e.Author.Name, Text: e.Text,
	}
	if e.Direction == inbox.DirectionOutbound {
		want.Delivery = inbox.DeliverySent
	}
	wantTime(t, "SentAt", m.SentAt, e.OccurredAt)
	if m.CreatedAt.IsZero() {
		t.Errorf("got message CreatedAt zero, want set")
	}
	m.SentAt, m.CreatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got message %+v, want %+v", m, want)
	}
}

func testApplyEventRedelivery(t *testing.T, s inbox.Store) {
	e := Event("psid_1", "m_1", T0)
	first := apply(t, s, e)
	before := conversation(t, s, first.ConversationID)
	e.Text, e.Contact.Name = "changed on redelivery", "Someone Else"
	second := apply(t, s, e)
	want := inbox.Applied{ConversationID: first.ConversationID, MessageID: first.MessageID}
	if !reflect.DeepEqual(second, want) {
		t.Errorf("got %+v on redelivery, want %+v", second, want)
	}
	after := conversation(t, s, first.ConversationID)
	if !reflect.DeepEqual(after, before) {
		t.Errorf("got conversation %+v after redelivery, want it unchanged: %+v", after, before)
	}
	if msgs := messages(t, s, first.ConversationID); len(msgs) != 1 || msgs[0].Text != Event("psid_1", "m_1", T0).Text {
		t.Errorf("got %d messages (%+v), want the first delivery only", len(msgs), msgs)
	}
}

func testApplyEventSameThread(t *testing.T, s inbox.Store) {
	first := apply(t, s, Event("psid_1", "m_1", T0))
	later := Event("psid_1", "m_2", T0.Add(time.Minute))
	later.Text = "Och vad kostar det?"
	second := apply(t, s, later)
	if second.ConversationID != first.ConversationID || second.NewConversation || !second.Created {
		t.Errorf("got %+v, want a new message in conversation %d", second, first.ConversationID)
	}
	c := conversation(t, s, first.ConversationID)
	if c.MessageCount != 2 || c.Preview != later.Text {
		t.Errorf("got count %d, preview %q; want 2, %q", c.MessageCount, c.Preview, later.Text)
	}
	wantTime(t, "FirstMessageAt", c.FirstMessageAt, T0)
	wantTime(t, "LastMessageAt", c.LastMessageAt, later.OccurredAt)
}

func testApplyEventOutOfOrder(t *testing.T, s inbox.Store) {
	newest := Event("psid_1", "m_3", T0.Add(2*time.Hour))
	newest.Text = "Tredje"
	var a inbox.Applied
	for _, e := range []inbox.Event{newest, Event("psid_1", "m_1", T0), Event("psid_1", "m_2", T0.Add(time.Hour))} {
		a = apply(t, s, e)
	}
	c := conversation(t, s, a.ConversationID)
	wantTime(t, "FirstMessageAt", c.FirstMessageAt, T0)
	wantTime(t, "LastMessageAt", c.LastMessageAt, newest.OccurredAt)
	wantTimePtr(t, "LastInboundAt", c.LastInboundAt, ptr(newest.OccurredAt))
	if c.MessageCount != 3 || c.Preview != newest.Text {
		t.Errorf("got count %d, preview %q; want 3, %q", c.MessageCount, c.Preview, newest.Text)
	}
	msgs := messages(t, s, a.ConversationID)
	for i, want := range []string{"m_1", "m_2", "m_3"} {
		if i >= len(msgs) || msgs[i].ExternalID != want {
			t.Fatalf("got messages %v, want m_1, m_2, m_3 in order", externalIDs(msgs))
		}
	}
}

func externalIDs(msgs []*inbox.Message) []string {
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ExternalID
	}
	return ids
}

func testApplyEventAccount(t *testing.T, s inbox.Store) {
	acc := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}
	if err := s.CreateAccount(ctx(t), acc); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	known := conversation(t, s, apply(t, s, Event("psid_1", "m_1", T0)).ConversationID)
	if known.AccountID != acc.ID || known.UnknownAccount {
		t.Errorf("got AccountID %d, UnknownAccount %v; want %d, false", known.AccountID, known.UnknownAccount, acc.ID)
	}
	e := Event("psid_2", "m_2", T0)
	e.AccountExternalID = "999999"
	unknown := conversation(t, s, apply(t, s, e).ConversationID)
	if unknown.AccountID != 0 || !unknown.UnknownAccount || unknown.AccountExternalID != "999999" {
		t.Errorf("got AccountID %d, UnknownAccount %v, AccountExternalID %q; want 0, true, 999999",
			unknown.AccountID, unknown.UnknownAccount, unknown.AccountExternalID)
	}
}

func testApplyEventFirstResponse(t *testing.T, s inbox.Store) {
	a := apply(t, s, Reply("psid_1", "m_0", T0.Add(-time.Hour))) // before the citizen wrote
	if c := conversation(t, s, a.ConversationID); c.FirstResponseAt != nil || c.LastInboundAt != nil {
		t.Errorf("got FirstResponseAt %v, LastInboundAt %v; want both nil", c.FirstResponseAt, c.LastInboundAt)
	}
	apply(t, s, Event("psid_1", "m_1", T0))
	answer := T0.Add(5 * time.Minute)
	apply(t, s, Reply("psid_1", "m_2", answer))
	apply(t, s, Reply("psid_1", "m_3", T0.Add(10*time.Minute)))
	c := conversation(t, s, a.ConversationID)
	wantTimePtr(t, "FirstResponseAt", c.FirstResponseAt, &answer)
	wantTimePtr(t, "LastInboundAt", c.LastInboundAt, ptr(T0))
}

func testApplyEventFirstResponseOutOfOrder(t *testing.T, s inbox.Store) {
	answer := T0.Add(5 * time.Minute)
	a := apply(t, s, Reply("psid_1", "m_2", answer))
	apply(t, s, Event("psid_1", "m_1", T0))
	c := conversation(t, s, a.ConversationID)
	wantTimePtr(t, "FirstResponseAt", c.FirstResponseAt, &answer)
}

func testApplyEventContactUpdate(t *testing.T, s inbox.Store) {
	e := Event("psid_1", "m_1", T0)
	e.Contact = inbox.Actor{ExternalID: "psid_1", Username: "anna.a"}
	a := apply(t, s, e)
	e = Event("psid_1", "m_2", T0.Add(time.Minute))
	e.Contact = inbox.Actor{ExternalID: "psid_1", Name: "Anna Andersson"}
	apply(t, s, e)
	e = Reply("psid_1", "m_3", T0.Add(2*time.Minute)) // no names: keeps them
	apply(t, s, e)
	c := conversation(t, s, a.ConversationID)
	checkContact(t, c, inbox.Contact{ID: c.ContactID, Platform: inbox.PlatformFacebook, ExternalID: "psid_1", Name: "Anna Andersson", Username: "anna.a"})
}

// applyConcurrently applies each event from its own goroutine, all at once.
func applyConcurrently(t *testing.T, s inbox.Store, events []inbox.Event) []inbox.Applied {
	t.Helper()
	results := make([]inbox.Applied, len(events))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, e := range events {
		wg.Go(func() {
			<-start
			a, err := s.ApplyEvent(ctx(t), e)
			if err != nil {
				t.Errorf("ApplyEvent(%s) in goroutine %d: %v", e.MessageExternalID, i, err)
			}
			results[i] = a
		})
	}
	close(start)
	wg.Wait()
	return results
}

func testApplyEventConcurrentSame(t *testing.T, s inbox.Store) {
	events := make([]inbox.Event, 8)
	for i := range events {
		events[i] = Event("psid_1", "m_1", T0)
	}
	created := 0
	results := applyConcurrently(t, s, events)
	for _, a := range results {
		if a.Created {
			created++
		}
		if a.MessageID != results[0].MessageID || a.ConversationID != results[0].ConversationID {
			t.Errorf("got %+v, want the ids of %+v", a, results[0])
		}
	}
	if created != 1 {
		t.Errorf("got %d calls with Created, want 1", created)
	}
	c := conversation(t, s, results[0].ConversationID)
	if n := len(messages(t, s, c.ID)); n != 1 || c.MessageCount != 1 {
		t.Errorf("got %d messages, count %d; want 1, 1", n, c.MessageCount)
	}
}

func testApplyEventConcurrentThread(t *testing.T, s inbox.Store) {
	events := make([]inbox.Event, 8)
	for i := range events {
		events[i] = Event("psid_1", mid("c", i), T0.Add(time.Duration(i)*time.Second))
	}
	newConversations := 0
	results := applyConcurrently(t, s, events)
	for _, a := range results {
		if a.NewConversation {
			newConversations++
		}
		if !a.Created || a.ConversationID != results[0].ConversationID {
			t.Errorf("got %+v, want a new message in conversation %d", a, results[0].ConversationID)
		}
	}
	if newConversations != 1 {
		t.Errorf("got %d calls with NewConversation, want 1", newConversations)
	}
	c := conversation(t, s, results[0].ConversationID)
	if n := len(messages(t, s, c.ID)); n != 8 || c.MessageCount != 8 || c.Preview != events[7].Text {
		t.Errorf("got %d messages, count %d, preview %q; want 8, 8, %q", n, c.MessageCount, c.Preview, events[7].Text)
	}
	wantTime(t, "FirstMessageAt", c.FirstMessageAt, T0)
	wantTime(t, "LastMessageAt", c.LastMessageAt, events[7].OccurredAt)
}

func testApplyEventInvalid(t *testing.T, s inbox.Store) {
	for name, change := range map[string]func(e *inbox.Event){
		"NoMessageID": func(e *inbox.Event) { e.MessageExternalID = "" },
		"NoTime":      func(e *inbox.Event) { e.OccurredAt = time.Time{} },
		"BadChannel":  func(e *inbox.Event) { e.Channel = inbox.ChannelInstagramDirect },
		"BadUTF8":     func(e *inbox.Event) { e.Text = "\xff\xfe" },
	} {
		e := Event("psid_1", "m_1", T0)
		change(&e)
		_, err := s.ApplyEvent(ctx(t), e)
		if got := inbox.ErrorCode(err); got != inbox.EINVALID {
			t.Errorf("%s: got error code %q (%v), want %q", name, got, err, inbox.EINVALID)
		}
	}
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
	if err != nil || len(page.Conversations) != 0 {
		t.Errorf("got %d conversations, error %v; want none stored", len(page.Conversations), err)
	}
}
