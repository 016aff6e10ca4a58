package storetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func runOutbound(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) { testQueueOutbound(t, open(t)) })
	t.Run("ErrConflictState", func(t *testing.T) { testOutboundConflict(t, open(t)) })
	t.Run("EchoMatched", func(t *testing.T) { testOutboundEcho(t, open(t)) })
	t.Run("EchoFirstMerged", func(t *testing.T) { testOutboundEchoFirst(t, open(t)) })
	t.Run("ErrIDTakenNotMerged", func(t *testing.T) { testOutboundIDTaken(t, open(t)) })
	t.Run("EchoInNewThread", func(t *testing.T) { testOutboundEchoNewThread(t, open(t)) })
	t.Run("ReplyAnswers", func(t *testing.T) { testReplyAnswers(t, open(t)) })
	t.Run("FailedReplyAnswersNot", func(t *testing.T) { testFailedReplyAnswersNot(t, open(t)) })
	t.Run("AccountToken", func(t *testing.T) { testAccountToken(t, open(t)) })
	t.Run("TokenCheck", func(t *testing.T) { testTokenCheck(t, open(t)) })
	t.Run("ChannelPoll", func(t *testing.T) { testChannelPoll(t, open(t)) })
}

// queueReply stores a queued direct reply by u in conv and returns it.
func queueReply(t *testing.T, s inbox.Store, u *inbox.User, conv int64, key, text string, at time.Time) *inbox.QueuedOutbound {
	t.Helper()
	q := &inbox.QueuedOutbound{
		Action: &inbox.OutboundAction{Key: key, Kind: inbox.OutboundDirectMessage, ConversationID: conv,
			TargetExternalID: "psid_1", AccountExternalID: PageID, Platform: inbox.PlatformFacebook, Text: text,
			ActorID: u.ID, NextAttemptAt: &at},
		Message: &inbox.Message{ConversationID: conv, Platform: inbox.PlatformFacebook, ExternalID: key,
			Direction: inbox.DirectionOutbound, AuthorExternalID: PageID, Text: text, SentAt: at},
		Work: &inbox.Work{Audit: &inbox.AuditEntry{ActorID: u.ID, Action: inbox.ActionReply, ConversationID: conv, Detail: "{}"}},
	}
	if err := s.QueueOutbound(ctx(t), q); err != nil {
		t.Fatal(err)
	}
	return q
}

// replyScene stores a user, a Messenger thread and a queued reply in it
// with key.
func replyScene(t *testing.T, s inbox.Store, key string) (*inbox.User, int64, *inbox.QueuedOutbound) {
	t.Helper()
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	return u, conv, queueReply(t, s, u, conv, key, "Hej", T0.Add(time.Minute))
}

func move(t *testing.T, s inbox.Store, id int64, from, to inbox.OutboundState, platformID string) *inbox.OutboundAction {
	t.Helper()
	a, err := s.UpdateOutbound(ctx(t), inbox.OutboundUpdate{ID: id, From: []inbox.OutboundState{from}, State: to, PlatformID: platformID, CountAttempt: to == inbox.OutboundSending})
	if err != nil {
		t.Fatalf("move %s → %s: %v", from, to, err)
	}
	return a
}

func testQueueOutbound(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	q := queueReply(t, s, u, conv, "inkorg-k1", "Hej", T0.Add(time.Minute))
	if q.Action.ID == 0 || q.Message.ID == 0 || q.Action.MessageID != q.Message.ID || q.Action.State != inbox.OutboundQueued {
		t.Fatalf("queued action %+v message %+v", q.Action, q.Message)
	}
	if c := conversation(t, s, conv); c.MessageCount != 2 || c.FirstResponseAt != nil {
		t.Fatalf("conversation count %d first response %v; want 2 and none before the reply is sent", c.MessageCount, c.FirstResponseAt)
	}
	due, err := s.FindDueOutbound(ctx(t), T0.Add(2*time.Minute), 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("FindDueOutbound = %d, %v; want 1", len(due), err)
	}
	a := move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	if a.Attempts != 1 {
		t.Errorf("attempts %d, want 1", a.Attempts)
	}
	if due, _ := s.FindDueOutbound(ctx(t), T0.Add(2*time.Minute), 10); len(due) != 0 {
		t.Errorf("a sending action is due: %+v", due)
	}
	a = move(t, s, a.ID, inbox.OutboundSending, inbox.OutboundSent, "m_sent_1")
	if a.State != inbox.OutboundSent || a.PlatformID != "m_sent_1" || a.SentAt == nil {
		t.Fatalf("sent action %+v", a)
	}
	m, err := s.FindMessageByID(ctx(t), q.Message.ID)
	if err != nil || m.ExternalID != "m_sent_1" || m.Delivery != inbox.DeliverySent {
		t.Fatalf("message %+v, %v; want external id m_sent_1, sent", m, err)
	}
	if c := conversation(t, s, conv); c.FirstResponseAt == nil {
		t.Error("no first response once the reply was sent")
	}
	list, err := s.FindOutboundActions(ctx(t), conv)
	if err != nil || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("FindOutboundActions = %+v, %v", list, err)
	}
	_, err = s.FindOutboundAction(ctx(t), 4711)
	wantCode(t, err, inbox.ENOTFOUND)
	_, err = s.FindMessageByID(ctx(t), 4711)
	wantCode(t, err, inbox.ENOTFOUND)
}

func testOutboundConflict(t *testing.T, s inbox.Store) {
	u, conv, q := replyScene(t, s, "inkorg-k2")
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	_, err := s.UpdateOutbound(ctx(t), inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{inbox.OutboundQueued}, State: inbox.OutboundSending})
	wantCode(t, err, inbox.ECONFLICT)
	_, err = s.UpdateOutbound(ctx(t), inbox.OutboundUpdate{ID: 4711, From: []inbox.OutboundState{inbox.OutboundQueued}, State: inbox.OutboundSending})
	wantCode(t, err, inbox.ENOTFOUND)
	f := &inbox.OutboundFailure{Class: "outside_window", SV: "sv", EN: "en", Code: 10, Subcode: 2018278}
	a, err := s.UpdateOutbound(ctx(t), inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{inbox.OutboundSending}, State: inbox.OutboundFailed, Failure: f})
	if err != nil || a.Failure == nil || *a.Failure != *f {
		t.Fatalf("failed action %+v, %v; want failure %+v", a, err, f)
	}
	if m, _ := s.FindMessageByID(ctx(t), q.Message.ID); m.Delivery != inbox.DeliveryFailed {
		t.Errorf("message delivery %s, want failed", m.Delivery)
	}
	// The same key twice is refused.
	wantCode(t, queueReplyErr(t, s, u, conv, "inkorg-k2"), inbox.ECONFLICT)
}

func queueReplyErr(t *testing.T, s inbox.Store, u *inbox.User, conv int64, key string) error {
	at := T0
	return s.QueueOutbound(ctx(t), &inbox.QueuedOutbound{
		Action: &inbox.OutboundAction{Key: key, Kind: inbox.OutboundDirectMessage, ConversationID: conv, TargetExternalID: "psid_1",
			AccountExternalID: PageID, Platform: inbox.PlatformFacebook, Text: "x", ActorID: u.ID, NextAttemptAt: &at},
		Work: &inbox.Work{Audit: &inbox.AuditEntry{ActorID: u.ID, Action: inbox.ActionReply, ConversationID: conv}},
	})
}

// echoEvent is the platform's echo of a message the page sent in thread.
func echoEvent(thread, mid, text, metadata string, at time.Time) inbox.Event {
	e := Event(thread, mid, at)
	e.Direction, e.Text, e.Metadata, e.SentOutsideInkorg = inbox.DirectionOutbound, text, metadata, true
	e.Author = inbox.Actor{ExternalID: PageID}
	return e
}

func testOutboundEcho(t *testing.T, s inbox.Store) {
	_, conv, q := replyScene(t, s, "inkorg-k3")
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	// The echo comes while the call's answer is lost: matched by key.
	a := apply(t, s, echoEvent("psid_1", "m_echo", "Hej", "inkorg-k3", T0.Add(2*time.Minute)))
	if a.Created || a.MessageID != q.Message.ID {
		t.Fatalf("echo applied as %+v; want our message %d, not a new one", a, q.Message.ID)
	}
	got, _ := s.FindOutboundAction(ctx(t), q.Action.ID)
	if got.State != inbox.OutboundSent || got.PlatformID != "m_echo" {
		t.Fatalf("action %s %s, want sent m_echo", got.State, got.PlatformID)
	}
	// The sender's late answer changes nothing.
	_, err := s.UpdateOutbound(ctx(t), inbox.OutboundUpdate{ID: got.ID, From: []inbox.OutboundState{inbox.OutboundSending}, State: inbox.OutboundSent, PlatformID: "m_echo"})
	wantCode(t, err, inbox.ECONFLICT)
	msgs, _ := s.FindMessages(ctx(t), conv)
	if len(msgs) != 2 || conversation(t, s, conv).MessageCount != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	// A message sent from Meta's own tools is still a message of its own.
	apply(t, s, echoEvent("psid_1", "m_other", "Skrivet i Business Suite", "", T0.Add(3*time.Minute)))
	if msgs, _ := s.FindMessages(ctx(t), conv); len(msgs) != 3 || !msgs[2].SentOutsideInkorg {
		t.Fatalf("messages %+v; want the Business Suite message as a third, sent outside inkorg", msgs)
	}
}

func testOutboundEchoFirst(t *testing.T, s inbox.Store) {
	_, conv, q := replyScene(t, s, "inkorg-k4")
	// An echo inkorg cannot match (the action is still queued) is stored
	// as a message; once the send is recorded, the two are one.
	apply(t, s, echoEvent("psid_1", "m_x", "Hej", "", T0.Add(2*time.Minute)))
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	move(t, s, q.Action.ID, inbox.OutboundSending, inbox.OutboundSent, "m_x")
	msgs, _ := s.FindMessages(ctx(t), conv)
	if len(msgs) != 2 || msgs[1].ID != q.Message.ID || msgs[1].ExternalID != "m_x" {
		t.Fatalf("messages %+v; want the citizen's and our reply as m_x", msgs)
	}
	if c := conversation(t, s, conv); c.MessageCount != 2 {
		t.Errorf("message count %d, want 2", c.MessageCount)
	}
}

// testOutboundIDTaken: only an echo (outbound, sent outside inkorg) is
// merged into the reply that takes its id. A message of another kind
// under the id the platform gave (ids a sandbox reused after a restart) is
// never deleted: recording the reply as sent under it is refused.
func testOutboundIDTaken(t *testing.T, s inbox.Store) {
	_, conv, q := replyScene(t, s, "inkorg-k5")
	other := apply(t, s, Event("psid_2", "m_taken", T0.Add(time.Minute)))
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	_, err := s.UpdateOutbound(ctx(t), inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{inbox.OutboundSending},
		State: inbox.OutboundSent, PlatformID: "m_taken"})
	if err == nil {
		t.Errorf("recording the reply sent under a citizen's message id: got no error")
	}
	msgs, _ := s.FindMessages(ctx(t), other.ConversationID)
	if len(msgs) != 1 || msgs[0].ExternalID != "m_taken" || msgs[0].Direction != inbox.DirectionInbound {
		t.Errorf("the citizen's message: got %+v; want it kept", msgs)
	}
	if c := conversation(t, s, other.ConversationID); c.MessageCount != 1 {
		t.Errorf("its conversation's message count %d, want 1", c.MessageCount)
	}
	if msgs, _ := s.FindMessages(ctx(t), conv); len(msgs) != 2 {
		t.Errorf("the reply's conversation: got %d messages, want 2", len(msgs))
	}
}

func testAccountToken(t *testing.T, s inbox.Store) {
	a := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}
	if err := s.CreateAccount(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if sealed, err := s.FindAccountToken(ctx(t), a.ID); err != nil || sealed != "" {
		t.Fatalf("FindAccountToken = %q, %v; want none", sealed, err)
	}
	if err := s.SetAccountNeedsToken(ctx(t), a.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAccountHumanAgent(ctx(t), a.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAccountToken(ctx(t), a.ID, "v1:k:sealed"); err != nil {
		t.Fatal(err)
	}
	list, _ := s.FindAccounts(ctx(t))
	if len(list) != 1 || !list[0].HasToken || list[0].NeedsToken || !list[0].HumanAgent {
		t.Fatalf("account %+v; want a token, not needing one, human agent", list[0])
	}
	if sealed, _ := s.FindAccountToken(ctx(t), a.ID); sealed != "v1:k:sealed" {
		t.Errorf("sealed token %q", sealed)
	}
	wantCode(t, s.SetAccountToken(ctx(t), 4711, "x"), inbox.ENOTFOUND)
	_, err := s.FindAccountToken(ctx(t), 4711)
	wantCode(t, err, inbox.ENOTFOUND)
}

// testOutboundEchoNewThread: the echo of our reply arrives in a thread
// inkorg has no conversation for yet (a private reply to a comment opens a
// Messenger thread). It is matched to our message where it is stored and
// opens no conversation; when the citizen writes in the thread, their
// message opens it, with its time and a status history.
func testOutboundEchoNewThread(t *testing.T, s inbox.Store) {
	_, conv, q := replyScene(t, s, "inkorg-k5")
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	a := apply(t, s, echoEvent("psid_new_thread", "m_echo_new", "Hej", "inkorg-k5", T0.Add(2*time.Minute)))
	if a.Created || a.MessageID != q.Message.ID || a.ConversationID != conv {
		t.Fatalf("echo applied as %+v; want our message %d in conversation %d", a, q.Message.ID, conv)
	}
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Conversations) != 1 || page.Conversations[0].ID != conv {
		t.Fatalf("got conversations %v, want only %d", conversationIDs(page.Conversations), conv)
	}
	at := T0.Add(5 * time.Hour)
	b := apply(t, s, Event("psid_new_thread", "m_new_1", at))
	if !b.NewConversation || b.ConversationID == conv {
		t.Fatalf("the citizen's first message applied as %+v; want a new conversation", b)
	}
	c := conversation(t, s, b.ConversationID)
	if c.MessageCount != 1 || !c.FirstMessageAt.Equal(at) || c.WaitingSince == nil || !c.WaitingSince.Equal(at) {
		t.Errorf("new thread's conversation: count %d, first message %v, waiting since %v; want 1 and %v",
			c.MessageCount, c.FirstMessageAt, c.WaitingSince, at)
	}
	changes, err := s.FindStatusChanges(ctx(t), b.ConversationID)
	if err != nil || len(changes) != 1 || changes[0].Status != inbox.StatusNew || !changes[0].At.Equal(at) {
		t.Errorf("status history %+v (%v); want new at %v", changes, err, at)
	}
}

// testReplyAnswers: a reply queued in inkorg answers the citizen, and once
// it has gone out after a message the citizen wrote meanwhile, it answers
// that one too and is the conversation's latest message.
func testReplyAnswers(t *testing.T, s inbox.Store) {
	_, conv, q := replyScene(t, s, "inkorg-k6")
	if c := conversation(t, s, conv); c.WaitingSince != nil || c.Preview != "Hej" {
		t.Errorf("reply queued: waiting since %v, preview %q; want not waiting, the reply", c.WaitingSince, c.Preview)
	}
	apply(t, s, Event("psid_1", "m_2", T0.Add(2*time.Minute)))
	if c := conversation(t, s, conv); c.WaitingSince == nil || !c.WaitingSince.Equal(T0.Add(2*time.Minute)) {
		t.Errorf("citizen wrote again: waiting since %v, want %v", c.WaitingSince, T0.Add(2*time.Minute))
	}
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	apply(t, s, echoEvent("psid_1", "m_echo", "Hej", "inkorg-k6", T0.Add(3*time.Minute)))
	c := conversation(t, s, conv)
	if c.WaitingSince != nil || c.Preview != "Hej" || !c.LastMessageAt.Equal(T0.Add(3*time.Minute)) {
		t.Errorf("reply went out: waiting since %v, preview %q, last message %v; want not waiting, the reply at %v",
			c.WaitingSince, c.Preview, c.LastMessageAt, T0.Add(3*time.Minute))
	}
	if c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(T0.Add(3*time.Minute)) {
		t.Errorf("first response %v, want %v", c.FirstResponseAt, T0.Add(3*time.Minute))
	}
}

// testFailedReplyAnswersNot: a reply that failed leaves the citizen
// waiting; queued again, it answers again.
func testFailedReplyAnswersNot(t *testing.T, s inbox.Store) {
	_, conv, q := replyScene(t, s, "inkorg-k7")
	move(t, s, q.Action.ID, inbox.OutboundQueued, inbox.OutboundSending, "")
	move(t, s, q.Action.ID, inbox.OutboundSending, inbox.OutboundFailed, "")
	if c := conversation(t, s, conv); c.WaitingSince == nil || !c.WaitingSince.Equal(T0) {
		t.Errorf("reply failed: waiting since %v, want %v", c.WaitingSince, T0)
	}
	move(t, s, q.Action.ID, inbox.OutboundFailed, inbox.OutboundQueued, "")
	if c := conversation(t, s, conv); c.WaitingSince != nil {
		t.Errorf("queued again: waiting since %v, want not waiting", c.WaitingSince)
	}
}
