package sqlstore

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// SaveWork applies a staff action in one transaction: the conversation
// update, guarded by its version, then the note and the audit entry.
func (s *Store) SaveWork(ctx context.Context, w *inbox.Work) error {
	if w.Audit == nil || w.Audit.Action == "" {
		return inbox.Errorf(inbox.EINVALID, "Work has no audit entry.")
	}
	now := s.now()
	var note *noteRow
	audit := auditRow{
		ActorID:        nullID(w.Audit.ActorID),
		Action:         w.Audit.Action,
		ConversationID: nullID(w.Audit.ConversationID),
		Detail:         w.Audit.Detail,
		CreatedAt:      now,
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if w.Update != nil {
			if err := updateConversation(tx, w.Update, now); err != nil {
				return err
			}
			if err := recordWorkStatus(tx, w.Update, now); err != nil {
				return err
			}
		}
		if id := personalWork(w); id != 0 {
			if err := holdsPersonalDataAgain(tx, id); err != nil {
				return translate(err, "Conversation")
			}
		}
		if w.Note != nil {
			note = newNoteRow(w.Note, now)
			if err := tx.Create(note).Error; err != nil {
				return translate(err, "Note")
			}
		}
		return translate(tx.Create(&audit).Error, "Audit entry")
	})
	if err != nil {
		return translate(err, "Conversation")
	}
	if note != nil {
		w.Note.ID, w.Note.CreatedAt = note.ID, note.CreatedAt.Time()
	}
	w.Audit.ID, w.Audit.CreatedAt = audit.ID, audit.CreatedAt.Time()
	return nil
}

// personalWork returns the conversation w writes text to that may hold
// personal data, a note (which may quote the citizen) or a routing
// question (which the audit entry holds too), or 0.
func personalWork(w *inbox.Work) int64 {
	if w.Note != nil && w.Note.Text != "" {
		return w.Note.ConversationID
	}
	if w.Update != nil && w.Update.RouteQuestion != nil && *w.Update.RouteQuestion != "" {
		return w.Update.ID
	}
	return 0
}

// updateConversation writes the fields upd sets, only while the
// conversation is still at upd.Version. Concurrent writers of one row wait
// for each other in PostgreSQL and then see the new version; SQLite has one
// writer at a time.
func updateConversation(tx *gorm.DB, upd *inbox.ConversationUpdate, now dbTime) error {
	set := updateColumns(upd)
	set["version"] = gorm.Expr("version + 1")
	set["updated_at"] = now
	res := tx.Model(&conversationRow{}).Where("id = ? AND version = ?", upd.ID, upd.Version).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "Conversation")
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := tx.Model(&conversationRow{}).Where("id = ?", upd.ID).Count(&n).Error; err != nil {
		return translate(err, "Conversation")
	}
	if n == 0 {
		return inbox.Errorf(inbox.ENOTFOUND, "Conversation not found.")
	}
	return inbox.Errorf(inbox.ECONFLICT, "Someone else changed the conversation meanwhile; reload it and try again.")
}

// updateColumns returns the columns upd sets and their values.
func updateColumns(upd *inbox.ConversationUpdate) map[string]any {
	set := map[string]any{}
	if upd.Status != nil {
		set["status"] = string(*upd.Status)
	}
	if upd.AssigneeID != nil {
		set["assignee_id"] = nullID(*upd.AssigneeID)
	}
	if upd.AdministrationID != nil {
		set["administration_id"] = *upd.AdministrationID
	}
	if upd.Tags != nil {
		set["staff_tags"] = encodeTags(*upd.Tags)
	}
	if upd.RouteQuestion != nil {
		set["route_question"] = *upd.RouteQuestion
	}
	if upd.RoutedByID != nil {
		set["routed_by_id"] = nullID(*upd.RoutedByID)
	}
	if upd.SetSnooze {
		set["snoozed_until"] = ptrTime(upd.SnoozedUntil)
	}
	if upd.SetResolved {
		set["resolved_at"] = ptrTime(upd.ResolvedAt)
	}
	return set
}

// FindUserByID returns the user, or ENOTFOUND.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*inbox.User, error) {
	var row userRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "User")
	}
	return s.withMemberships(ctx, row.toDomain())
}

// encodeTags writes tags as a JSON array.
func encodeTags(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	b, err := json.Marshal(tags)
	if err != nil {
		// Strings always marshal.
		return "[]"
	}
	return string(b)
}

// decodeTags reads what encodeTags wrote; empty and unreadable columns
// yield no tags rather than hiding the conversation.
func decodeTags(s string) []string {
	if s == "" || s == "[]" {
		return nil
	}
	var tags []string
	if json.Unmarshal([]byte(s), &tags) != nil || len(tags) == 0 {
		return nil
	}
	return tags
}
