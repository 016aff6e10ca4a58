package archive_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
)

// laterIdentity is a personal identity number (with a valid check digit)
// written into a conversation after retention removed its data.
const laterIdentity = "19811218-9876"

// laterReactorID is the platform id of a citizen who reacts after
// retention.
const laterReactorID = "7301234567890088"

// laterWrite is a write into a conversation after retention removed its
// data. It returns the conversation written to and what of the write is
// personal data the next retention must remove.
type laterWrite func(t *testing.T, s *recordtest.Scene, at time.Time) (int64, []string)

// editComment is Erik editing his comment, whose text retention replaced.
func editComment(t *testing.T, s *recordtest.Scene, at time.Time) (int64, []string) {
	e := inbox.Event{
		Kind: inbox.EventMessageEdited, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: recordtest.PageID, MessageExternalID: "c_1",
		Author: inbox.Actor{ExternalID: recordtest.CommenterID}, Text: "Rättelse: mitt personnummer är " + laterIdentity, OccurredAt: at,
	}
	if _, err := s.Store.ApplyEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	rec := record(t, s, s.Comment)
	if !strings.Contains(rec.Messages[0].Text, laterIdentity) {
		t.Fatalf("got comment %q after the edit, want the edited text", rec.Messages[0].Text)
	}
	return s.Comment, []string{laterIdentity, recordtest.CommenterID}
}

// reactToComment is a citizen, new to the thread, reacting to Erik's
// comment.
func reactToComment(t *testing.T, s *recordtest.Scene, at time.Time) (int64, []string) {
	e := inbox.Event{
		Kind: inbox.EventReactionAdded, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: recordtest.PageID, MessageExternalID: "c_1",
		Author: inbox.Actor{ExternalID: laterReactorID}, Reaction: "love", OccurredAt: at,
	}
	if _, err := s.Store.ApplyEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return s.Comment, []string{laterReactorID}
}

// noteOnPrivate is staff noting the citizen's identity number in the
// closed Messenger thread.
func noteOnPrivate(t *testing.T, s *recordtest.Scene, at time.Time) (int64, []string) {
	text := "Anna ringde, personnummer " + laterIdentity
	if _, err := inbox.NewService(s.Store, s.Clock.Now).AddNote(context.Background(), s.Agent, s.Private, text); err != nil {
		t.Fatal(err)
	}
	return s.Private, []string{laterIdentity}
}

// replyToComment is staff answering Erik's comment publicly, naming him.
func replyToComment(t *testing.T, s *recordtest.Scene, at time.Time) (int64, []string) {
	text := "Hej Erik Karlsson! Vi har tagit emot ditt ärende, personnummer " + laterIdentity + "."
	q := &inbox.QueuedOutbound{
		Action: &inbox.OutboundAction{Key: "inkorg-later-reply", Kind: inbox.OutboundPublicReply, ConversationID: s.Comment,
			TargetExternalID: "c_1", AccountExternalID: recordtest.PageID, Platform: inbox.PlatformFacebook,
			Text: text, ActorID: s.Agent.ID, NextAttemptAt: &at},
		Message: &inbox.Message{ConversationID: s.Comment, Platform: inbox.PlatformFacebook, ExternalID: "inkorg-later-reply",
			Direction: inbox.DirectionOutbound, AuthorExternalID: recordtest.PageID, Text: text, SentAt: at},
		Work: &inbox.Work{Audit: &inbox.AuditEntry{ActorID: s.Agent.ID, Action: inbox.ActionReply, ConversationID: s.Comment, Detail: "{}"}},
	}
	if err := s.Store.QueueOutbound(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return s.Comment, []string{laterIdentity}
}

// routePrivate is staff reopening the Messenger thread and routing it
// with a question naming the citizen's identity number, then closing it.
func routePrivate(t *testing.T, s *recordtest.Scene, at time.Time) (int64, []string) {
	ctx := context.Background()
	svc := inbox.NewService(s.Store, s.Clock.Now)
	if _, err := svc.SetStatus(ctx, s.Agent, s.Private, inbox.StatusOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Route(ctx, s.Agent, s.Private, "stadsbyggnad", "Gäller "+laterIdentity+", vad svarar vi?"); err != nil {
		t.Fatal(err)
	}
	s.Clock.Set(at.Add(time.Minute))
	if _, err := svc.SetStatus(ctx, s.Agent, s.Private, inbox.StatusResolved); err != nil {
		t.Fatal(err)
	}
	return s.Private, []string{laterIdentity}
}

// After retention removed the data of a closed, archived conversation, an
// edit, a reaction, a note or a routing question brings personal data into
// it again. Once the conversation is closed and archived again, the next
// retention run finds it and removes that data too.
func TestRetentionAfterLaterWrite(t *testing.T) {
	cases := []struct {
		name   string
		write  laterWrite
		action inbox.PersonalDataAction
	}{
		{"edit", editComment, inbox.Pseudonymise},
		{"reaction", reactToComment, inbox.Pseudonymise},
		{"note", noteOnPrivate, inbox.DeleteData},
		{"reply", replyToComment, inbox.DeleteData},
		{"route", routePrivate, inbox.Pseudonymise},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
				testRetentionAfterLaterWrite(t, s, tc.write, tc.action)
			})
		})
	}
}

func testRetentionAfterLaterWrite(t *testing.T, s *recordtest.Scene, write laterWrite, action inbox.PersonalDataAction) {
	ctx := context.Background()
	archiveDay(t, s)
	if ids := runRetention(t, privacy(s), action, false); len(ids) != 2 {
		t.Fatalf("first run: got %v, want both", ids)
	}
	at := recordtest.T0.AddDate(0, 0, 10)
	s.Clock.Set(at)
	id, personal := write(t, s, at)
	if c := record(t, s, id).Conversation; c.Status != inbox.StatusResolved {
		t.Fatalf("got conversation %d %s after the write, want it still resolved", id, c.Status)
	}
	p := privacy(s)
	p.Now = func() time.Time { return at.AddDate(0, 2, 0) }
	if ids := runRetention(t, p, action, false); len(ids) != 0 {
		t.Fatalf("before archiving again: got %v, want none: the write is in no archive", ids)
	}
	day := at.Truncate(24 * time.Hour)
	s.Clock.Set(day.AddDate(0, 0, 1))
	if _, err := (&archive.Exporter{Store: s.Store}).Export(ctx, day, day.AddDate(0, 0, 1), t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
	if ids := runRetention(t, p, action, false); len(ids) != 1 || ids[0] != id {
		t.Fatalf("second run: got %v, want conversation %d again", ids, id)
	}
	line, err := json.Marshal(record(t, s, id))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range personal {
		if strings.Contains(string(line), v) {
			t.Errorf("the record of conversation %d still holds %q after the second run", id, v)
		}
	}
	if ids := runRetention(t, p, action, false); len(ids) != 0 {
		t.Errorf("third run: got %v, want none", ids)
	}
}

// The city's own account hiding a comment after retention brings no
// personal data: once the thread is archived again, retention has nothing
// to remove from it.
func TestRetentionAfterPageHide(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		archiveDay(t, s)
		if ids := runRetention(t, privacy(s), inbox.Pseudonymise, false); len(ids) != 2 {
			t.Fatalf("first run: got %v, want both", ids)
		}
		at := recordtest.T0.AddDate(0, 0, 10)
		s.Clock.Set(at)
		e := inbox.Event{
			Kind: inbox.EventMessageHidden, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: recordtest.PageID, MessageExternalID: "c_1",
			Author: inbox.Actor{ExternalID: recordtest.PageID}, OccurredAt: at,
		}
		if a, err := s.Store.ApplyEvent(ctx, e); err != nil || !a.Created {
			t.Fatalf("got %+v, %v; want the hiding recorded", a, err)
		}
		day := at.Truncate(24 * time.Hour)
		s.Clock.Set(day.AddDate(0, 0, 1))
		if _, err := (&archive.Exporter{Store: s.Store}).Export(ctx, day, day.AddDate(0, 0, 1), t.TempDir(), false); err != nil {
			t.Fatal(err)
		}
		p := privacy(s)
		p.Now = func() time.Time { return at.AddDate(0, 2, 0) }
		if ids := runRetention(t, p, inbox.Pseudonymise, false); len(ids) != 0 {
			t.Errorf("got %v, want none: the page's hiding is not personal data", ids)
		}
	})
}
