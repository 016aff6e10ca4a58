package webhooks

import (
	"encoding/json"

	"inkorg/inbox"
)

// instagramCommentValue is the value of an Instagram "comments" or
// "live_comments" change. Meta's examples name the comment "comment_id",
// real payloads "id"; both are read.
type instagramCommentValue struct {
	ID        metaID `json:"id"`
	CommentID metaID `json:"comment_id"`
	ParentID  metaID `json:"parent_id"`
	Text      string `json:"text"`
	From      party  `json:"from"`
	Media     struct {
		ID               metaID `json:"id"`
		MediaProductType string `json:"media_product_type"`
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
// present, is always the thread's top-level comment. A live_comments
// change is a comment on a live broadcast and is marked Live: Meta takes
// no public reply to it, only a private reply during the broadcast.
func (p *parsed) instagramComment(e entry, field string, raw json.RawMessage) {
	var v instagramCommentValue
	if err := p.decode(objectInstagram, field, raw, &v); err != nil {
		p.skip(skipMalformed, objectInstagram, field, raw)
		return
	}
	if v.Text == "" {
		p.skip(skipNoText, objectInstagram, field, raw)
		return
	}
	account, author, id := string(e.ID), v.From.actor(), v.commentID()
	// A comment whose payload names no author is kept under the
	// placeholder, as a Page feed comment is: a name or username it
	// carries is the message's author's, never the placeholder contact's,
	// which every such thread shares.
	contact := author
	if author.ExternalID == "" {
		author.ExternalID, contact = unknownAuthorID, inbox.Actor{ExternalID: unknownAuthorID}
	}
	thread := id
	if v.ParentID != "" {
		thread = string(v.ParentID)
	}
	direction := commentDirection(account, author)
	p.add(objectInstagram, field, inbox.Event{
		Kind:              inbox.EventMessageCreated,
		Platform:          inbox.PlatformInstagram,
		Channel:           inbox.ChannelInstagramComment,
		AccountExternalID: account,
		ThreadKey:         thread,
		PostExternalID:    string(v.Media.ID),
		PostType:          v.Media.MediaProductType,
		MessageExternalID: id,
		ParentExternalID:  string(v.ParentID),
		Direction:         direction,
		SentOutsideInkorg: direction == inbox.DirectionOutbound,
		Contact:           contact,
		Author:            author,
		Text:              v.Text,
		Live:              field == "live_comments",
		// Instagram comment changes carry no time of their own.
		OccurredAt: e.Time.seconds(),
	}, raw)
}

// instagramMentionValue is the value of an Instagram "mentions" change:
// the account was @mentioned in a caption (media_id only) or in a comment.
type instagramMentionValue struct {
	CommentID metaID `json:"comment_id"`
	MediaID   metaID `json:"media_id"`
}

// instagramMention reads a mention of the account. The payload names only
// the media and comment, not the text or author, which the Graph API can
// fetch; the thread records that the mention happened.
func (p *parsed) instagramMention(e entry, raw json.RawMessage) {
	var v instagramMentionValue
	if err := p.decode(objectInstagram, "mentions", raw, &v); err != nil {
		p.skip(skipMalformed, objectInstagram, "mentions", raw)
		return
	}
	id := string(v.CommentID)
	if id == "" {
		id = string(v.MediaID)
	}
	unknown := inbox.Actor{ExternalID: unknownAuthorID}
	p.add(objectInstagram, "mentions", inbox.Event{
		Kind:              inbox.EventMessageCreated,
		Platform:          inbox.PlatformInstagram,
		Channel:           inbox.ChannelInstagramComment,
		AccountExternalID: string(e.ID),
		ThreadKey:         id,
		PostExternalID:    string(v.MediaID),
		MessageExternalID: id,
		Direction:         inbox.DirectionInbound,
		Contact:           unknown,
		Author:            unknown,
		Mention:           true,
		OccurredAt:        e.Time.seconds(),
	}, raw)
}
