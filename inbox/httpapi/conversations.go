package httpapi

import (
	"net/http"
	"strconv"
	"strings"

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
	// Notes are the internal notes, oldest first.
	Notes []*inbox.Note `json:"notes"`
	// History is the audit trail of the conversation, oldest first.
	History []*inbox.AuditEntry `json:"history"`
}

func (s *Server) listConversations(c echo.Context) error {
	filter, err := conversationFilter(c)
	if err != nil {
		return err
	}
	currentUser(c).Scope(&filter)
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
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return inbox.Errorf(inbox.EINVALID, "Conversation id must be a positive integer.")
	}
	ctx := c.Request().Context()
	conv, err := s.store.FindConversationByID(ctx, id)
	if err != nil {
		return err
	}
	if !currentUser(c).CanSee(conv) {
		return inbox.Errorf(inbox.EFORBIDDEN, "This conversation is not routed to your administration.")
	}
	msgs, err := s.store.FindMessages(ctx, id)
	if err != nil {
		return err
	}
	if msgs == nil {
		msgs = []*inbox.Message{}
	}
	for i, m := range msgs {
		msgs[i] = m.ForAgents()
	}
	detail := ConversationDetail{Conversation: conv, Messages: msgs}
	if err := s.addWork(ctx, &detail); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, detail)
}

// conversationFilter reads ?status=a,b&channel=c&cursor=…&limit=n.
func conversationFilter(c echo.Context) (inbox.ConversationFilter, error) {
	var f inbox.ConversationFilter
	for _, v := range splitList(c.QueryParam("status")) {
		st := inbox.Status(v)
		if !st.Valid() {
			return f, inbox.Errorf(inbox.EINVALID, "Unknown status %q; use new, open, pending, routed, resolved or spam.", v)
		}
		f.Status = append(f.Status, st)
	}
	for _, v := range splitList(c.QueryParam("channel")) {
		ch := inbox.Channel(v)
		if !ch.Valid() {
			return f, inbox.Errorf(inbox.EINVALID, "Unknown channel %q; use facebook_comment, messenger, instagram_comment or instagram_direct.", v)
		}
		f.Channel = append(f.Channel, ch)
	}
	f.After = c.QueryParam("cursor")
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > inbox.MaxPageSize {
			return f, inbox.Errorf(inbox.EINVALID, "limit must be a number from 1 to %d.", inbox.MaxPageSize)
		}
		f.Limit = n
	}
	return f, nil
}

func splitList(raw string) []string {
	var out []string
	for _, v := range strings.Split(raw, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
