package sqlstore

import (
	"context"

	"inkorg/inbox"
)

type conversationRow struct {
	ID                int64  `gorm:"column:id;primaryKey"`
	AccountID         *int64 `gorm:"column:account_id"`
	AccountExternalID string `gorm:"column:account_external_id"`
	UnknownAccount    bool   `gorm:"column:unknown_account"`
	Platform          string `gorm:"column:platform"`
	Channel           string `gorm:"column:channel"`
	ThreadKey         string `gorm:"column:thread_key"`
	PostExternalID    string `gorm:"column:post_external_id"`
	ContactID         int64  `gorm:"column:contact_id"`
	Status            string `gorm:"column:status"`
	AdministrationID  string `gorm:"column:administration_id"`
	AssigneeID        *int64 `gorm:"column:assignee_id"`
	Preview           string `gorm:"column:preview"`
	MessageCount      int    `gorm:"column:message_count"`
	FirstMessageAt    dbTime `gorm:"column:first_message_at"`
	LastMessageAt     dbTime `gorm:"column:last_message_at"`
	LastInboundAt     dbTime `gorm:"column:last_inbound_at"`
	FirstResponseAt   dbTime `gorm:"column:first_response_at"`
	ResolvedAt        dbTime `gorm:"column:resolved_at"`
	StaffTags         string `gorm:"column:staff_tags"`
	RouteQuestion     string `gorm:"column:route_question"`
	RoutedByID        *int64 `gorm:"column:routed_by_id"`
	SnoozedUntil      dbTime `gorm:"column:snoozed_until"`
	WaitingSince      dbTime `gorm:"column:waiting_since"`
	Version           int64  `gorm:"column:version"`
	CreatedAt         dbTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         dbTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (conversationRow) TableName() string { return "conversations" }

// triagedConversationRow is a new conversation with the triage facets of
// its first message.
type triagedConversationRow struct {
	Conversation conversationRow `gorm:"embedded"`
	Facets       triageFacets    `gorm:"embedded"`
}

func (triagedConversationRow) TableName() string { return "conversations" }

func (r *conversationRow) toDomain() *inbox.Conversation {
	return &inbox.Conversation{
		ID:                r.ID,
		AccountID:         idOf(r.AccountID),
		AccountExternalID: r.AccountExternalID,
		UnknownAccount:    r.UnknownAccount,
		Platform:          inbox.Platform(r.Platform),
		Channel:           inbox.Channel(r.Channel),
		ThreadKey:         r.ThreadKey,
		PostExternalID:    r.PostExternalID,
		ContactID:         r.ContactID,
		Status:            inbox.Status(r.Status),
		AdministrationID:  r.AdministrationID,
		AssigneeID:        idOf(r.AssigneeID),
		Preview:           r.Preview,
		MessageCount:      r.MessageCount,
		FirstMessageAt:    r.FirstMessageAt.Time(),
		LastMessageAt:     r.LastMessageAt.Time(),
		LastInboundAt:     r.LastInboundAt.Ptr(),
		FirstResponseAt:   r.FirstResponseAt.Ptr(),
		ResolvedAt:        r.ResolvedAt.Ptr(),
		Tags:              decodeTags(r.StaffTags),
		RouteQuestion:     r.RouteQuestion,
		RoutedByID:        idOf(r.RoutedByID),
		SnoozedUntil:      r.SnoozedUntil.Ptr(),
		WaitingSince:      r.WaitingSince.Ptr(),
		Version:           r.Version,
		CreatedAt:         r.CreatedAt.Time(),
		UpdatedAt:         r.UpdatedAt.Time(),
	}
}

// FindConversations returns one page of conversations in the filter's
// order, each with its contact and triage.
func (s *Store) FindConversations(ctx context.Context, filter inbox.ConversationFilter) (inbox.ConversationPage, error) {
	q, limit, err := s.conversationQuery(s.conn(ctx), filter)
	if err != nil {
		return inbox.ConversationPage{}, err
	}
	var rows []conversationRow
	if err := q.Find(&rows).Error; err != nil {
		return inbox.ConversationPage{}, translate(err, "Conversation")
	}
	var page inbox.ConversationPage
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = cursorAfter(filter.Sort, &rows[limit-1])
	}
	page.Conversations, err = s.withContacts(ctx, rows)
	return page, err
}

// pageSize applies the default and the cap to a requested page size.
func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return inbox.DefaultPageSize
	case limit > inbox.MaxPageSize:
		return inbox.MaxPageSize
	}
	return limit
}

// withContacts maps rows to conversations and loads their contacts in one
// query.
func (s *Store) withContacts(ctx context.Context, rows []conversationRow) ([]*inbox.Conversation, error) {
	ids := make([]int64, 0, len(rows))
	seen := make(map[int64]bool, len(rows))
	for _, r := range rows {
		if !seen[r.ContactID] {
			seen[r.ContactID] = true
			ids = append(ids, r.ContactID)
		}
	}
	contacts, err := findContacts(s.conn(ctx), ids)
	if err != nil {
		return nil, translate(err, "Contact")
	}
	convs := make([]*inbox.Conversation, len(rows))
	for i := range rows {
		convs[i] = rows[i].toDomain()
		convs[i].Contact = contacts[rows[i].ContactID]
	}
	if err := s.attachSLA(ctx, convs); err != nil {
		return nil, err
	}
	return convs, s.attachTriage(ctx, convs)
}

// FindConversationByID returns the conversation with its contact, or
// ENOTFOUND.
func (s *Store) FindConversationByID(ctx context.Context, id int64) (*inbox.Conversation, error) {
	var row conversationRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "Conversation")
	}
	convs, err := s.withContacts(ctx, []conversationRow{row})
	if err != nil {
		return nil, err
	}
	return convs[0], nil
}

// FindConversationThread reads the conversation and its messages in one
// snapshot: read one after the other, a message stored in between would be
// listed while the conversation's count and times leave it out.
func (s *Store) FindConversationThread(ctx context.Context, id int64) (*inbox.Conversation, []*inbox.Message, error) {
	var conv *inbox.Conversation
	var msgs []*inbox.Message
	err := s.snapshot(ctx, func(ctx context.Context) error {
		var err error
		if conv, err = s.FindConversationByID(ctx, id); err != nil {
			return err
		}
		msgs, err = s.FindMessages(ctx, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return conv, msgs, nil
}
