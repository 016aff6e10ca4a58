package webhooks

import (
	"encoding/json"

	"inkorg/inbox"
)

// instagramCommentValue is the value of an Instagram "comments" change.
// Meta's examples name the comment "comment_id", real payloads "id"; both
// are read.
type instagramCommentValue struct {
	ID        metaID `json:"id"`
	CommentID metaID `json:"comment_id"`
	ParentID  metaID `json:"parent_id"`
	Text      string `json:"text"`
	From      party  `json:"from"`
	Media     struct {
		ID metaID `json:"id"`
	} `json:"media"`
}

func (v instagramCommentValue) commentID() string {
	if v.CommentID != "" {
		return string(v.CommentID)
	}
	return string(v.ID)
}

// instagramComment reads a comment on one of the account's media. Instagram
// attaches a reply to a reply to the top-level comment, so parent_id, when
// present, is always the thread's top-level comment.
func (p *parsed) instagramComment(e entry, raw json.RawMessage) {
	var v instagramCommentValue
	if err := json.Unmarshal(raw, &v); err != nil {
		p.skip(skipMalformed)
		return
	}
	if v.Text == "" {
		p.skip(skipNoText)
		return
	}
	account, author, id := string(e.ID), v.From.actor(), v.commentID()
	thread := id
	if v.ParentID != "" {
		thread = string(v.ParentID)
	}
	p.add(inbox.Event{
		Kind:              inbox.EventMessageCreated,
		Platform:          inbox.PlatformInstagram,
		Channel:           inbox.ChannelInstagramComment,
		AccountExternalID: account,
		ThreadKey:         thread,
		PostExternalID:    string(v.Media.ID),
		MessageExternalID: id,
		ParentExternalID:  string(v.ParentID),
		Direction:         commentDirection(account, author),
		Contact:           author,
		Author:            author,
		Text:              v.Text,
		// Instagram comment changes carry no time of their own.
		OccurredAt: e.Time.seconds(),
	})
}
