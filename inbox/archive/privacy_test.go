package archive_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/logredact"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// privacy returns the privacy service on the scene, two months after it.
func privacy(s *recordtest.Scene) *inbox.Privacy {
	now := recordtest.T0.AddDate(0, 2, 0)
	return &inbox.Privacy{
		Records: s.Store, Data: s.Store, Audit: s.Store,
		Now:   func() time.Time { return now },
		Scrub: func(text string) string { return logredact.Redact(text, now) },
	}
}

func archiveDay(t *testing.T, s *recordtest.Scene) {
	t.Helper()
	if _, err := (&archive.Exporter{Store: s.Store}).Export(context.Background(), from, to, t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
}

func runRetention(t *testing.T, p *inbox.Privacy, action inbox.PersonalDataAction, dry bool) []int64 {
	t.Helper()
	var ids []int64
	rep, err := p.RunRetention(context.Background(), inbox.RetentionPolicy{Months: 1, Action: action}, dry,
		func(it inbox.RetentionItem) { ids = append(ids, it.ConversationID) })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conversations != len(ids) || rep.DryRun != dry {
		t.Errorf("got report %+v, want %d conversations, dry run %v", rep, len(ids), dry)
	}
	return ids
}

func TestRetention(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		p := privacy(s)
		if ids := runRetention(t, p, inbox.Pseudonymise, false); len(ids) != 0 {
			t.Fatalf("before archiving: got %v touched, want none: only archived content may go", ids)
		}
		archiveDay(t, s)
		if ids := runRetention(t, p, inbox.Pseudonymise, true); len(ids) != 2 {
			t.Fatalf("dry run: got %v, want both conversations", ids)
		}
		if rec := record(t, s, s.Comment); rec.Messages[0].OriginalText != recordtest.CommentText {
			t.Fatalf("dry run changed the comment to %q", rec.Messages[0].OriginalText)
		}
		// A note after the archive: the private thread's current state is
		// not archived, so it is kept.
		s.Clock.Set(recordtest.T0.Add(48 * time.Hour))
		if _, err := inbox.NewService(s.Store, s.Clock.Now).AddNote(ctx, s.Agent, s.Private, "Uppföljning klar."); err != nil {
			t.Fatal(err)
		}
		if ids := runRetention(t, p, inbox.Pseudonymise, false); len(ids) != 1 || ids[0] != s.Comment {
			t.Fatalf("got %v, want only the comment thread %d", ids, s.Comment)
		}
		checkPseudonymised(t, s)
		if ids := runRetention(t, p, inbox.Pseudonymise, false); len(ids) != 0 {
			t.Errorf("second run: got %v, want none", ids)
		}
		s.Clock.Set(recordtest.T0.Add(72 * time.Hour))
		archiveDay(t, s)
		if ids := runRetention(t, p, inbox.DeleteData, false); len(ids) != 1 || ids[0] != s.Private {
			t.Fatalf("after archiving again: got %v, want the private thread %d", ids, s.Private)
		}
		checkDeleted(t, s)
		checkRetentionAudit(t, s)
	})
}

func record(t *testing.T, s *recordtest.Scene, id int64) *inbox.ConversationRecord {
	t.Helper()
	rec, err := s.Store.FindConversationRecord(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func checkPseudonymised(t *testing.T, s *recordtest.Scene) {
	t.Helper()
	rec := record(t, s, s.Comment)
	c, first, other := rec.Conversation, rec.Messages[0], rec.Messages[1]
	line, _ := json.Marshal(rec)
	for _, pd := range []string{recordtest.IdentityNumber, recordtest.Phone, recordtest.CommenterID, recordtest.OtherID, "Erik", "Lisa"} {
		if strings.Contains(string(line), pd) {
			t.Errorf("pseudonymised record still holds %q: %s", pd, line)
		}
	}
	switch {
	case first.Text != recordtest.EditedText || !strings.Contains(first.OriginalText, "[redacted:personal_identity_number]"):
		t.Errorf("got comment %q (original %q), want the identity number redacted and the rest kept", first.Text, first.OriginalText)
	case !strings.HasPrefix(first.AuthorExternalID, "pseudonym:") || first.AuthorExternalID != c.Contact.ExternalID:
		t.Errorf("got author %q, contact %q, want the same pseudonym", first.AuthorExternalID, c.Contact.ExternalID)
	case !strings.Contains(other.Text, "[redacted:phone]"):
		t.Errorf("got reply %q, want the phone number redacted", other.Text)
	case c.MessageCount != 2 || c.AdministrationID != "" && c.AdministrationID != "stadsbyggnad" || !c.FirstMessageAt.Equal(recordtest.T0) || c.Channel != inbox.ChannelFacebookComment:
		t.Errorf("got conversation %+v, want its counts, times and channel kept", c)
	}
}

func checkDeleted(t *testing.T, s *recordtest.Scene) {
	t.Helper()
	rec := record(t, s, s.Private)
	for _, m := range rec.Messages {
		if m.Text != inbox.DeletedText {
			t.Errorf("message %d: got text %q, want %q", m.ID, m.Text, inbox.DeletedText)
		}
	}
	for _, n := range rec.Notes {
		if n.Text != inbox.DeletedText {
			t.Errorf("note %d: got %q, want it deleted", n.ID, n.Text)
		}
	}
	if c := rec.Conversation; c.MessageCount != 3 || c.Status != inbox.StatusResolved || c.ResolvedAt == nil || c.Contact.Name != "" {
		t.Errorf("got conversation %+v, want counts, status and times kept, the name gone", c)
	}
}

func checkRetentionAudit(t *testing.T, s *recordtest.Scene) {
	t.Helper()
	entries, err := s.Store.FindAudit(context.Background(), s.Comment)
	if err != nil {
		t.Fatal(err)
	}
	if last := entries[len(entries)-1]; last.Action != inbox.ActionRetention || !strings.Contains(last.Detail, `"pseudonymise"`) {
		t.Errorf("got last audit entry %+v, want the retention", last)
	}
}

func TestSubject(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		p := privacy(s)
		// Lisa only wrote in Erik's thread: found by her platform id.
		contacts, err := p.SubjectContacts(ctx, 0, "", recordtest.OtherID)
		if err != nil || len(contacts) != 1 || contacts[0].Name != "Lisa Larsson" {
			t.Fatalf("got %+v, %v, want Lisa as an author", contacts, err)
		}
		dir := filepath.Join(t.TempDir(), "lisa")
		r, err := archive.ExportSubject(ctx, p, 0, contacts, dir)
		if err != nil {
			t.Fatal(err)
		}
		if r.Manifest.Conversations != 1 || r.Manifest.Kind != archive.KindSubjectAccess {
			t.Errorf("got manifest %+v, want Erik's thread she wrote in", r.Manifest)
		}
		jsonl, _ := os.ReadFile(filepath.Join(dir, archive.RecordsFile))
		index, _ := os.ReadFile(filepath.Join(dir, archive.IndexFile))
		page, _ := os.ReadFile(filepath.Join(dir, archive.PagePath(s.Comment)))
		if !strings.Contains(string(jsonl), recordtest.Phone) || !strings.Contains(string(page), recordtest.Phone) {
			t.Error("export lacks Lisa's own message")
		}
		if !strings.Contains(string(index), "Registerutdrag") || !strings.Contains(string(index), "Lisa Larsson") {
			t.Errorf("index lacks the title and the person:\n%s", index)
		}
		contacts, err = p.SubjectContacts(ctx, s.PrivateContact, "", "")
		if err != nil || contacts[0].ExternalID != recordtest.CitizenID {
			t.Fatalf("got %+v, %v, want Anna", contacts, err)
		}
		if _, err := archive.ExportSubject(ctx, p, 0, contacts, filepath.Join(t.TempDir(), "anna")); err != nil {
			t.Fatal(err)
		}
		audit := auditWithout(t, s)
		if len(audit) != 2 || audit[0].Action != inbox.ActionSubjectExport {
			t.Errorf("got audit %+v, want both exports audited", audit)
		}
		testSubjectRemoval(t, s, p)
	})
}

// testSubjectRemoval erases Erik: refused until his thread is archived,
// then done with the reason audited, leaving Anna's thread alone.
func testSubjectRemoval(t *testing.T, s *recordtest.Scene, p *inbox.Privacy) {
	t.Helper()
	ctx := context.Background()
	_, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Begäran om radering 2026-03-20")
	if inbox.ErrorCode(err) != inbox.ECONFLICT || !strings.Contains(inbox.ErrorMessage(err), "inkorg archive export") {
		t.Fatalf("before archiving: got %v, want ECONFLICT naming the archive export", err)
	}
	archiveDay(t, s)
	if _, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, " "); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("without a reason: got %v, want EINVALID", err)
	}
	// The raw deliveries kept for reparsing: Erik's comment goes with
	// him; Anna's message and a delivery naming a longer id stay.
	bodies := []string{
		`{"object":"page","entry":[{"id":"` + recordtest.PageID + `","changes":[{"field":"feed","value":{"from":{"id":"` + recordtest.CommenterID + `","name":"Erik"},"message":"Hej"}}]}]}`,
		`{"object":"page","entry":[{"id":"` + recordtest.PageID + `","messaging":[{"sender":{"id":"` + recordtest.CitizenID + `"},"message":{"text":"Hej"}}]}]}`,
		`{"object":"page","entry":[{"id":"` + recordtest.PageID + `","changes":[{"field":"feed","value":{"from":{"id":` + recordtest.CommenterID + `9}}}]}]}`,
	}
	for i, b := range bodies {
		if _, err := s.Store.SaveRawDelivery(ctx, &inbox.RawDelivery{Body: []byte(b), ReceivedAt: recordtest.T0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Begäran om radering 2026-03-20")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Conversations) != 1 || got.Conversations[0] != s.Comment || got.RawDeliveries != 1 {
		t.Errorf("got %+v, want Erik's thread and one raw delivery", got)
	}
	if got.DeadLetters != nil {
		t.Errorf("dead letters: got %d, want nil: the service has no queue, so they were not checked", *got.DeadLetters)
	}
	kept, err := s.Store.FindRawDeliveries(ctx, inbox.RawDeliveryFilter{Limit: 10})
	if err != nil || len(kept) != 2 || string(kept[0].Body) != bodies[1] || string(kept[1].Body) != bodies[2] {
		t.Errorf("raw deliveries kept: got %d (%v), want Anna's and the longer id's", len(kept), err)
	}
	rec := record(t, s, s.Comment)
	if rec.Messages[0].Text != inbox.DeletedText || rec.Messages[0].OriginalText != inbox.DeletedText || rec.Conversation.Contact.Name != "" {
		t.Errorf("got %+v, want Erik's texts and name deleted", rec.Messages[0])
	}
	if rec := record(t, s, s.Private); rec.Messages[0].Text == inbox.DeletedText {
		t.Error("Anna's thread was touched by Erik's erasure")
	}
	audit := auditWithout(t, s)
	if len(audit) != 3 || audit[2].Action != inbox.ActionSubjectRemoval || !strings.Contains(audit[2].Detail, "Begäran om radering") ||
		!strings.Contains(audit[2].Detail, `"dead_letters":null`) {
		t.Errorf("got audit %+v, want the removal with its reason and dead letters unchecked", audit)
	}
}

// auditWithout returns the audit entries that name no conversation.
func auditWithout(t *testing.T, s *recordtest.Scene) []inbox.AuditEntry {
	t.Helper()
	var rows []inbox.AuditEntry
	err := s.DB.Gorm().Table("audit_entries").Where("conversation_id IS NULL").Order("id").
		Select("id, action, detail").Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSubjectRemovalAfterRetention erases a contact whose thread retention
// already pseudonymised: the removal itself does not count as a change
// the archive lacks.
func TestSubjectRemovalAfterRetention(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	p := privacy(s)
	archiveDay(t, s)
	runRetention(t, p, inbox.Pseudonymise, false)
	if _, err := p.RemoveSubject(context.Background(), 0, s.CommentContact, inbox.DeleteData, "Begäran 2026-05-01"); err != nil {
		t.Fatal(err)
	}
	if rec := record(t, s, s.Comment); rec.Messages[1].Text != inbox.DeletedText {
		t.Errorf("got %q, want the reply deleted", rec.Messages[1].Text)
	}
}
