package sqlstore

import (
	"context"
	"encoding/json"

	"inkorg/inbox"
)

type noteRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	ConversationID int64  `gorm:"column:conversation_id"`
	AuthorID       int64  `gorm:"column:author_id"`
	Kind           string `gorm:"column:kind"`
	Text           string `gorm:"column:text"`
	Mentions       string `gorm:"column:mentions"`
	CreatedAt      dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (noteRow) TableName() string { return "notes" }

func newNoteRow(n *inbox.Note, now dbTime) *noteRow {
	mentions := "[]"
	if len(n.Mentions) > 0 {
		if b, err := json.Marshal(n.Mentions); err == nil {
			mentions = string(b)
		}
	}
	return &noteRow{
		ConversationID: n.ConversationID,
		AuthorID:       n.AuthorID,
		Kind:           string(n.Kind),
		Text:           n.Text,
		Mentions:       mentions,
		CreatedAt:      now,
	}
}

func (r *noteRow) toDomain() *inbox.Note {
	n := &inbox.Note{
		ID:             r.ID,
		ConversationID: r.ConversationID,
		AuthorID:       r.AuthorID,
		Kind:           inbox.NoteKind(r.Kind),
		Text:           r.Text,
		CreatedAt:      r.CreatedAt.Time(),
	}
	if r.Mentions != "" && r.Mentions != "[]" {
		// A column it cannot read loses the mentions, not the note.
		_ = json.Unmarshal([]byte(r.Mentions), &n.Mentions)
	}
	return n
}

// FindNotes returns the notes of a conversation, oldest first.
func (s *Store) FindNotes(ctx context.Context, conversationID int64) ([]*inbox.Note, error) {
	var rows []noteRow
	err := s.conn(ctx).Where("conversation_id = ?", conversationID).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Note")
	}
	notes := make([]*inbox.Note, len(rows))
	for i := range rows {
		notes[i] = rows[i].toDomain()
	}
	return notes, nil
}
