package archive_test

import (
	"context"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
)

// Lisa only replied in Erik's thread: once she is erased, the thread's own
// history says a message in it lost its personal data, and why.
func TestSubjectErasureAuditsThreadRepliedIn(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		archiveDay(t, s)
		if _, err := privacy(s).RemoveSubjectByPlatformID(context.Background(), 0, "", recordtest.OtherID, inbox.DeleteData, "Lisas begäran"); err != nil {
			t.Fatal(err)
		}
		var rows []inbox.AuditEntry
		err := s.DB.Gorm().Table("audit_entries").Where("conversation_id = ? AND action = ?", s.Comment, inbox.ActionSubjectRemoval).
			Select("id, action, detail").Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || !strings.Contains(rows[0].Detail, "Lisas begäran") || strings.Contains(rows[0].Detail, recordtest.OtherID) {
			t.Errorf("Erik's thread: got removal entries %+v, want one with the reason and without her platform id", rows)
		}
		if len(rows) == 1 && !strings.Contains(rows[0].Detail, `"platform":"facebook"`) {
			t.Errorf("Erik's thread: removal entry %s does not say the person was on Facebook", rows[0].Detail)
		}
	})
}
