package archive_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
)

// TestSubjectExportLeavesOthersOut exports Lisa, who replied in Erik's
// comment thread, and Erik: neither gets the other's messages, name,
// platform id or identity number, and Lisa gets no notes or actions on
// Erik's conversation.
func TestSubjectExportLeavesOthersOut(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		p := privacy(s)
		if _, err := inbox.NewService(s.Store, s.Clock.Now).AddNote(ctx, s.Agent, s.Comment, "Erik ringde om bygglovet."); err != nil {
			t.Fatal(err)
		}
		lisa := exportText(t, p, 0, recordtest.OtherID)
		if !strings.Contains(lisa, recordtest.Phone) {
			t.Error("Lisa's export lacks her own message")
		}
		for _, other := range []string{recordtest.CommenterID, "Erik", recordtest.IdentityNumber, recordtest.EditedText, "bygglov"} {
			if strings.Contains(lisa, other) {
				t.Errorf("Lisa's export holds %q, Erik's data or the staff's work on his conversation", other)
			}
		}
		erik := exportText(t, p, s.CommentContact, "")
		if !strings.Contains(erik, recordtest.EditedText) || !strings.Contains(erik, "Erik ringde") {
			t.Error("Erik's export lacks his own comment or the note on his conversation")
		}
		for _, other := range []string{recordtest.OtherID, "Lisa", recordtest.Phone} {
			if strings.Contains(erik, other) {
				t.Errorf("Erik's export holds %q, Lisa's data", other)
			}
		}
	})
}

// exportText exports the contact or platform id and returns the records
// and the pages written, as one text.
func exportText(t *testing.T, p *inbox.Privacy, contactID int64, platformID string) string {
	t.Helper()
	ctx := context.Background()
	contacts, err := p.SubjectContacts(ctx, contactID, "", platformID)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := archive.ExportSubject(ctx, p, 0, contacts, dir); err != nil {
		t.Fatal(err)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "html", "*.html"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("got pages %v, %v, want one per conversation", pages, err)
	}
	var all strings.Builder
	for _, name := range append(pages, filepath.Join(dir, archive.RecordsFile)) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}
