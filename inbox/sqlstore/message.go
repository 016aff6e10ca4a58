package sqlstore

import (
	"context"

	"inkorg/inbox"
)

type messageRow struct {
	ID               int64  `gorm:"column:id;primaryKey"`
	ConversationID   int64  `gorm:"column:conversation_id"`
	Platform         string `gorm:"column:platform"`
	ExternalID       string `gorm:"column:external_id"`
	Direction        string `gorm:"column:direction"`
	ParentExternalID string `gorm:"column:parent_external_id"`
	AuthorExternalID string `gorm:"column:author_external_id"`
	AuthorName       string `gorm:"column:author_name"`
	Text             string `gorm:"column:text"`
	SentAt           dbTime `gorm:"column:sent_at"`
	CreatedAt        dbTime `gorm:"column:created_at;autoCreateTime:false"`

	PostType          string  `gorm:"column:post_type"`
	Attachments       string  `gorm:"column:attachments"`
	Payload           string  `gorm:"column:payload"`
	SentOutsideInkorg bool    `gorm:"column:sent_outside_inkorg"`
	Unsupported       bool    `gorm:"column:unsupported"`
	Mention           bool    `gorm:"column:mention"`
	Live              bool    `gorm:"column:live"`
	OriginalText      *string `gorm:"column:original_text"`
	EditedAt          dbTime  `gorm:"column:edited_at"`
	DeletedAt         dbTime  `gorm:"column:deleted_at"`
	Hidden            bool    `gorm:"column:hidden"`
	Reactions         string  `gorm:"column:reactions"`
	Delivery          string  `gorm:"column:delivery"`
}

func (messageRow) TableName() string { return "messages" }

func (r *messageRow) toDomain() *inbox.Message {
	return &inbox.Message{
		ID:               r.ID,
		ConversationID:   r.ConversationID,
		Platform:         inbox.Platform(r.Platform),
		ExternalID:       r.ExternalID,
		Direction:        inbox.Direction(r.Direction),
		ParentExternalID: r.ParentExternalID,
		AuthorExternalID: r.AuthorExternalID,
		AuthorName:       r.AuthorName,
		Text:             r.Text,
		SentAt:           r.SentAt.Time(),
		CreatedAt:        r.CreatedAt.Time(),

		PostType:          r.PostType,
		Attachments:       decodeAttachments(r.Attachments),
		Payload:           r.Payload,
		SentOutsideInkorg: r.SentOutsideInkorg,
		Unsupported:       r.Unsupported,
		Mention:           r.Mention,
		Live:              r.Live,
		OriginalText:      derefString(r.OriginalText),
		EditedAt:          r.EditedAt.Ptr(),
		DeletedAt:         r.DeletedAt.Ptr(),
		Hidden:            r.Hidden,
		Reactions:         decodeReactions(r.Reactions),
		Delivery:          inbox.DeliveryState(r.Delivery),
	}
}

// FindMessages returns the messages of a conversation in the order they
// were sent; none for an unknown conversation.
func (s *Store) FindMessages(ctx context.Context, conversationID int64) ([]*inbox.Message, error) {
	var rows []messageRow
	err := s.conn(ctx).Where("conversation_id = ?", conversationID).Order("sent_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Message")
	}
	msgs := make([]*inbox.Message, len(rows))
	for i := range rows {
		msgs[i] = rows[i].toDomain()
	}
	if err := s.loadEdits(ctx, msgs); err != nil {
		return nil, err
	}
	return msgs, nil
}
