package archive_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestExportUnsentReplies checks that the readable page of a conversation
// tells a reply the platform never got from one it did: the copy a
// registrar hands out must not show the city answering when it did not.
func TestExportUnsentReplies(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	ctx := context.Background()
	failed := queueReply(t, s, "inkorg-failed", "Vi svarar i morgon.", recordtest.T0.Add(6*time.Hour))
	for _, st := range []inbox.OutboundState{inbox.OutboundSending, inbox.OutboundFailed} {
		from := []inbox.OutboundState{inbox.OutboundQueued, inbox.OutboundSending}
		if _, err := s.Store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: failed.Action.ID, From: from, State: st}); err != nil {
			t.Fatal(err)
		}
	}
	queued := queueReply(t, s, "inkorg-queued", "Vi återkommer.", recordtest.T0.Add(7*time.Hour))
	dir := filepath.Join(t.TempDir(), "arkiv")
	if _, err := (&archive.Exporter{Store: s.Store}).Export(ctx, from, to, dir, false); err != nil {
		t.Fatal(err)
	}
	page := string(read(t, filepath.Join(dir, archive.PagePath(s.Private))))
	for _, c := range []struct {
		name string
		id   int64
		want string
	}{
		{"failed", failed.Message.ID, "Skickades inte"},
		{"queued", queued.Message.ID, "Inte skickat ännu"},
	} {
		if got := messageSection(t, page, c.id); !strings.Contains(got, c.want) {
			t.Errorf("%s reply: got %q, want it marked %q", c.name, got, c.want)
		}
	}
	if n := strings.Count(page, "Skickades inte") + strings.Count(page, "Inte skickat ännu"); n != 2 {
		t.Errorf("got %d messages marked unsent, want only the two replies", n)
	}
}

// queueReply queues the agent's reply in the scene's private thread.
func queueReply(t *testing.T, s *recordtest.Scene, key, text string, at time.Time) *inbox.QueuedOutbound {
	t.Helper()
	q := &inbox.QueuedOutbound{
		Action: &inbox.OutboundAction{Key: key, Kind: inbox.OutboundDirectMessage, ConversationID: s.Private,
			TargetExternalID: recordtest.CitizenID, AccountExternalID: recordtest.PageID, Platform: inbox.PlatformFacebook,
			Text: text, ActorID: s.Agent.ID, NextAttemptAt: &at},
		Message: &inbox.Message{ConversationID: s.Private, Platform: inbox.PlatformFacebook, ExternalID: key,
			Direction: inbox.DirectionOutbound, AuthorExternalID: recordtest.PageID, Text: text, SentAt: at},
		Work: &inbox.Work{Audit: &inbox.AuditEntry{ActorID: s.Agent.ID, Action: inbox.ActionReply, ConversationID: s.Private, Detail: "{}"}},
	}
	if err := s.Store.QueueOutbound(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return q
}

// messageSection returns the part of a conversation page that shows the
// message with id.
func messageSection(t *testing.T, page string, id int64) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, fmt.Sprintf(`id="m%d"`, id))
	if !ok {
		t.Fatalf("the page has no message %d", id)
	}
	section, _, _ := strings.Cut(rest, "</section>")
	return section
}
