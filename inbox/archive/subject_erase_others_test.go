package archive_test

import (
	"context"
	"slices"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
)

// TestSubjectErasureLeavesOtherCommenters erases Erik, whose comment
// thread Lisa replied in: her reply, name and platform id stay, she can
// still be found for her own request, and retention still finds the
// thread for her data.
func TestSubjectErasureLeavesOtherCommenters(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		p := privacy(s)
		archiveDay(t, s)
		if _, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Begäran om radering"); err != nil {
			t.Fatal(err)
		}
		rec := record(t, s, s.Comment)
		for _, m := range rec.Messages {
			switch {
			case m.ID == s.CommentMessage && m.Text != inbox.DeletedText:
				t.Errorf("Erik's comment: got %q, want %q", m.Text, inbox.DeletedText)
			case m.ID == s.OtherMessage && (m.Text != recordtest.OtherText || m.AuthorExternalID != recordtest.OtherID || m.AuthorName != "Lisa Larsson"):
				t.Errorf("Lisa's reply: got %q by %q (%q), want it kept: she did not ask", m.Text, m.AuthorExternalID, m.AuthorName)
			}
		}
		if cs, err := p.SubjectContacts(ctx, 0, "", recordtest.OtherID); err != nil || len(cs) != 1 || cs[0].Name != "Lisa Larsson" {
			t.Errorf("Lisa by her platform id: got %+v, %v, want her contact", cs, err)
		}
		if ids := runRetention(t, p, inbox.DeleteData, false); !slices.Contains(ids, s.Comment) {
			t.Fatalf("retention: got %v, want the comment thread %d, which still holds Lisa's reply", ids, s.Comment)
		}
		if rec := record(t, s, s.Comment); rec.Messages[1].Text != inbox.DeletedText {
			t.Errorf("after retention: got Lisa's reply %q, want %q", rec.Messages[1].Text, inbox.DeletedText)
		}
	})
}
