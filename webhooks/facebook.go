package webhooks

import (
	"encoding/json"

	"inkorg/inbox"
)

// feedValue is the value of a Page "feed" change. Older payloads name the
// author with sender_id and sender_name instead of from.
type feedValue struct {
	Item        string    `json:"item"`
	Verb        string    `json:"verb"`
	CommentID   metaID    `json:"comment_id"`
	PostID      metaID    `json:"post_id"`
	ParentID    metaID    `json:"parent_id"`
	From        *party    `json:"from"`
	SenderID    metaID    `json:"sender_id"`
	SenderName  string    `json:"sender_name"`
	CreatedTime timestamp `json:"created_time"`
	Message     string    `json:"message"`
}

func (v feedValue) author() inbox.Actor {
	if v.From != nil && v.From.ID != "" {
		return v.From.actor()
	}
	return inbox.Actor{ExternalID: string(v.SenderID), Name: v.SenderName}
}

// threadKey is the top-level comment of the thread v belongs to. Meta sets
// parent_id to the post for a top-level comment, which is then its own
// thread, and to the comment answered for a reply.
func (v feedValue) threadKey() (key, parent string) {
	if v.ParentID == "" || v.ParentID == v.PostID {
		return string(v.CommentID), ""
	}
	return string(v.ParentID), string(v.ParentID)
}

// feedChange reads a comment being added to a post on the Page.
func (p *parsed) feedChange(e entry, raw json.RawMessage) {
	var v feedValue
	if err := json.Unmarshal(raw, &v); err != nil {
		p.skip(skipMalformed)
		return
	}
	if v.Item != "comment" || v.Verb != "add" {
		p.skip(skipChange)
		return
	}
	if v.Message == "" {
		p.skip(skipNoText)
		return
	}
	account, author := string(e.ID), v.author()
	thread, parent := v.threadKey()
	p.add(inbox.Event{
		Kind:              inbox.EventMessageCreated,
		Platform:          inbox.PlatformFacebook,
		Channel:           inbox.ChannelFacebookComment,
		AccountExternalID: account,
		ThreadKey:         thread,
		PostExternalID:    string(v.PostID),
		MessageExternalID: string(v.CommentID),
		ParentExternalID:  parent,
		Direction:         commentDirection(account, author),
		Contact:           author,
		Author:            author,
		Text:              v.Message,
		OccurredAt:        firstTime(v.CreatedTime.seconds(), e.Time.seconds()),
	})
}

// commentDirection tells who wrote a comment: the account itself (the
// city, writing on its own Page or through Meta's tools) is outbound,
// anyone else inbound.
//
// The contact of a comment event is always its author. A comment payload
// does not say whose comment the city answered, so for an outbound comment
// the contact is the account itself: the store already knows the citizen of
// an existing thread from its inbound comments, and a thread the city
// started has no citizen yet.
func commentDirection(account string, author inbox.Actor) inbox.Direction {
	if author.ExternalID == account {
		return inbox.DirectionOutbound
	}
	return inbox.DirectionInbound
}
