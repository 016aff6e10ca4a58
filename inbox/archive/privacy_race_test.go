package archive_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore"
)

// threadReply is a citizen's reply, by author, in the scene's comment
// thread c_1; as Meta's webhooks have it, the author is the event's
// contact.
func threadReply(id, author, name, text string, at time.Time) inbox.Event {
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: recordtest.PageID, ThreadKey: "c_1", PostExternalID: recordtest.PageID + "_post_1", PostType: "FEED",
		MessageExternalID: id, ParentExternalID: "c_1", Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: author, Name: name},
		Author:  inbox.Actor{ExternalID: author, Name: name}, Text: text, OccurredAt: at,
	}
}

// lateComment is the comment Erik writes while a removal runs.
const lateComment = "Jag har fortfarande inte fått svar"

// commentDuringRemoval delivers Erik's new comment in his thread after
// the conversations to remove were selected and before their data is
// removed, as ingest running beside a retention run or an erasure would.
// Every other method is the store's.
type commentDuringRemoval struct {
	*sqlstore.Store
	s    *recordtest.Scene
	done bool
}

func (d *commentDuringRemoval) RemovePersonalData(ctx context.Context, r *inbox.Removal) error {
	if !d.done {
		d.done = true
		at := d.s.Clock.Now().Add(time.Second)
		d.s.Clock.Set(at)
		if _, err := d.s.Store.ApplyEvent(ctx, threadReply("c_late", recordtest.CommenterID, "Erik Eriksson", lateComment, at)); err != nil {
			return err
		}
	}
	return d.Store.RemovePersonalData(ctx, r)
}

// checkLateCommentKept checks that Erik's thread, reopened by his new
// comment, which no archive holds, kept that comment and his first one.
func checkLateCommentKept(t *testing.T, s *recordtest.Scene) {
	t.Helper()
	rec := record(t, s, s.Comment)
	var texts []string
	for _, m := range rec.Messages {
		texts = append(texts, m.Text)
	}
	if !slices.Contains(texts, lateComment) || !slices.Contains(texts, recordtest.EditedText) {
		t.Errorf("got texts %q in conversation %d (%s), want the comment written during the removal and the thread kept",
			texts, s.Comment, rec.Conversation.Status)
	}
}

func TestRetentionKeepsMessageArrivingDuringRun(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		archiveDay(t, s)
		p := privacy(s)
		p.Data = &commentDuringRemoval{Store: s.Store, s: s}
		if ids := runRetention(t, p, inbox.DeleteData, false); len(ids) != 1 || ids[0] != s.Private {
			t.Errorf("got %v touched, want only the private thread %d: the comment thread changed during the run", ids, s.Private)
		}
		checkLateCommentKept(t, s)
		checkDeleted(t, s)
	})
}

// An erasure reads every raw delivery and dead letter before it removes
// anything, which takes a while: a conversation that changes meanwhile
// makes it fail, changing nothing, until the conversation is closed and
// archived again.
func TestSubjectRemovalKeepsMessageArrivingDuringRun(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		archiveDay(t, s)
		p := privacy(s)
		p.Data = &commentDuringRemoval{Store: s.Store, s: s}
		_, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Eriks begäran")
		if inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("got %v, want %s: the thread changed during the erasure", err, inbox.ECONFLICT)
		}
		checkLateCommentKept(t, s)
		if c := record(t, s, s.Comment).Conversation; c.Contact.Name != "Erik Eriksson" {
			t.Errorf("got contact %+v, want Erik's kept: nothing is removed", c.Contact)
		}

		s.Clock.Set(s.Clock.Now().Add(time.Hour))
		if _, err := inbox.NewService(s.Store, s.Clock.Now).SetStatus(ctx, s.Agent, s.Comment, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(recordtest.T0.Add(48 * time.Hour))
		if _, err := (&archive.Exporter{Store: s.Store}).Export(ctx, to, to.Add(24*time.Hour), t.TempDir(), false); err != nil {
			t.Fatal(err)
		}
		if _, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Eriks begäran"); err != nil {
			t.Fatalf("once the thread is closed and archived again: %v", err)
		}
		for _, m := range record(t, s, s.Comment).Messages {
			want := inbox.DeletedText
			if m.ID == s.OtherMessage {
				// Lisa's reply is hers: Erik's request leaves it.
				want = recordtest.OtherText
			}
			if m.Text != want {
				t.Errorf("message %d: got %q after the erasure, want %q", m.ID, m.Text, want)
			}
		}
	})
}

// editDuringExport applies Erik's edit of his comment after the export
// read the records and before it marks them archived, as a webhook
// arriving while an export runs would.
type editDuringExport struct {
	inbox.RecordStore
	s    *recordtest.Scene
	done bool
}

// raceEdit is the text of the edit.
const raceEdit = "Jag skrev fel ärende, det gäller parkering"

func (x *editDuringExport) MarkArchived(ctx context.Context, exportID int64, recs []*inbox.ConversationRecord) error {
	if !x.done {
		x.done = true
		now := x.s.Clock.Now()
		x.s.Clock.Set(now.Add(time.Second))
		e := inbox.Event{Kind: inbox.EventMessageEdited, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: recordtest.PageID, MessageExternalID: "c_1",
			Author: inbox.Actor{ExternalID: recordtest.CommenterID}, Text: raceEdit, OccurredAt: now.Add(time.Second)}
		if _, err := x.s.Store.ApplyEvent(ctx, e); err != nil {
			return err
		}
		x.s.Clock.Set(now.Add(2 * time.Second))
	}
	return x.RecordStore.MarkArchived(ctx, exportID, recs)
}

// An edit that arrives while the export runs is not in it: the thread is
// not archived as it is now, and retention keeps it.
func TestExportEditDuringExportNotArchived(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		dir := t.TempDir()
		if _, err := (&archive.Exporter{Store: &editDuringExport{RecordStore: s.Store, s: s}}).Export(ctx, from, to, dir, false); err != nil {
			t.Fatal(err)
		}
		if jsonl := read(t, filepath.Join(dir, archive.RecordsFile)); strings.Contains(string(jsonl), raceEdit) {
			t.Fatal("the export holds the edit; the test no longer races")
		}
		if ids := runRetention(t, privacy(s), inbox.DeleteData, false); slices.Contains(ids, s.Comment) {
			t.Errorf("got %v touched, want the comment thread %d kept: its edit is in no archive", ids, s.Comment)
		}
		if rec := record(t, s, s.Comment); rec.Messages[0].Text != raceEdit {
			t.Errorf("got comment %q, want the edit kept: %q", rec.Messages[0].Text, raceEdit)
		}
		missing, err := s.Store.FindNotArchived(ctx, []int64{s.Comment})
		if err != nil || len(missing) != 1 {
			t.Errorf("FindNotArchived: got %v, %v; want the comment thread not archived as it is now", missing, err)
		}
	})
}
