package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// ConversationList is the body of GET /api/v1/conversations.
type ConversationList struct {
	Conversations []*inbox.Conversation `json:"conversations"`
	// NextCursor is passed as ?cursor= to get the next page; empty on the
	// last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// ConversationDetail is the body of GET /api/v1/conversations/{id}.
type ConversationDetail struct {
	Conversation *inbox.Conversation `json:"conversation"`
	Messages     []*inbox.Message    `json:"messages"`
	// Post is the post a comment thread hangs under; nil for private
	// threads.
	Post *inbox.Post `json:"post,omitempty"`
	// Notes are the internal notes, oldest first.
	Notes []*inbox.Note `json:"notes"`
	// History is the audit trail of the conversation, oldest first.
	History []*inbox.AuditEntry `json:"history"`
	// StatusChanges are the status changes no audit entry records, such
	// as the citizen writing again reopening it, oldest first.
	StatusChanges []inbox.SystemStatusChange `json:"status_changes"`
	// Presence is who else is viewing or typing in the conversation.
	Presence []inbox.Presence `json:"presence"`
	// SuggestionsURL is where the answer bank's suggestions for it are.
	SuggestionsURL string `json:"suggestions_url"`
}

func (s *Server) listConversations(c echo.Context) error {
	filter, err := parseConversationFilter(c.QueryParams(), currentUser(c), time.Now())
	if err != nil {
		return err
	}
	page, err := s.store.FindConversations(c.Request().Context(), filter)
	if err != nil {
		return err
	}
	if page.Conversations == nil {
		page.Conversations = []*inbox.Conversation{}
	}
	return c.JSON(http.StatusOK, ConversationList{Conversations: page.Conversations, NextCursor: page.Next})
}

func (s *Server) getConversation(c echo.Context) error {
	id, err := conversationID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	conv, msgs, err := s.store.FindConversationThread(ctx, id)
	if err != nil {
		return err
	}
	if !currentUser(c).CanSee(conv) {
		return inbox.Errorf(inbox.EFORBIDDEN, "Ärendet är inte skickat till din förvaltning. / This conversation is not routed to your administration.")
	}
	if msgs == nil {
		msgs = []*inbox.Message{}
	}
	for i, m := range msgs {
		msgs[i] = m.ForAgents()
	}
	inbox.MarkParents(msgs)
	detail := ConversationDetail{Conversation: conv, Messages: msgs,
		SuggestionsURL: "/api/v1/conversations/" + strconv.FormatInt(id, 10) + "/suggestions"}
	if err := s.addWork(ctx, &detail); err != nil {
		return err
	}
	if err := s.addPost(ctx, &detail); err != nil {
		return err
	}
	if detail.StatusChanges, err = s.store.FindSystemStatusChanges(ctx, id); err != nil {
		return err
	}
	if detail.StatusChanges == nil {
		detail.StatusChanges = []inbox.SystemStatusChange{}
	}
	if detail.Presence, err = s.presence.Others(ctx, currentUser(c), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, detail)
}

// QueueCounts is the body of GET /api/v1/queues: how many conversations
// each work queue holds for the caller, with the list's filters applied.
type QueueCounts struct {
	Counts inbox.WorkQueueCounts `json:"counts"`
}

func (s *Server) countQueues(c echo.Context) error {
	// Counts cover every queue in full: the list's queue, order and paging
	// do not apply and are ignored, as documented.
	v := url.Values{}
	for k, vals := range c.QueryParams() {
		switch k {
		case "queue", "sort", "cursor", "limit":
		default:
			v[k] = vals
		}
	}
	filter, err := parseConversationFilter(v, currentUser(c), time.Now())
	if err != nil {
		return err
	}
	counts, err := s.store.CountQueues(c.Request().Context(), filter)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, QueueCounts{Counts: counts})
}
