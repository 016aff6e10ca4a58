package webhooks

import (
	"encoding/json"
	"strings"

	"inkorg/inbox"
)

// unknownAuthorID stands in for the author of a mention or comment whose
// payload does not name one (Meta's mention changes often do not). Such
// threads share one contact until an agent learns more.
const unknownAuthorID = "unknown"

// feedValue is the value of a Page "feed" or "mention" change. Older
// payloads name the author with sender_id and sender_name instead of from.
type feedValue struct {
	Item         string    `json:"item"`
	Verb         string    `json:"verb"`
	CommentID    metaID    `json:"comment_id"`
	PostID       metaID    `json:"post_id"`
	ParentID     metaID    `json:"parent_id"`
	From         *party    `json:"from"`
	SenderID     metaID    `json:"sender_id"`
	SenderName   string    `json:"sender_name"`
	CreatedTime  timestamp `json:"created_time"`
	Message      string    `json:"message"`
	Photo        string    `json:"photo"`
	Video        string    `json:"video"`
	Link         string    `json:"link"`
	PhotoID      metaID    `json:"photo_id"`
	Photos       []string  `json:"photos"`
	ReactionType string    `json:"reaction_type"`
}

func (v feedValue) author() inbox.Actor {
	if v.From != nil && (v.From.ID != "" || v.SenderID == "" && v.SenderName == "") {
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

// attachments are the media a comment or post carries. A photo posted on
// the Page (item "photo") names its image in link, with its photo_id, and
// has no photo field: that link is the image, not a link shared.
func (v feedValue) attachments() []inbox.Attachment {
	var a []inbox.Attachment
	photo, photoID := v.Photo, ""
	if photo == "" && v.Item == "photo" {
		photo, photoID = v.Link, string(v.PhotoID)
	}
	if photo != "" {
		a = append(a, inbox.Attachment{Type: inbox.AttachmentImage, URL: photo, ExternalID: photoID})
	}
	for _, u := range v.Photos {
		if u != "" && u != photo {
			a = append(a, inbox.Attachment{Type: inbox.AttachmentImage, URL: u})
		}
	}
	if v.Video != "" {
		a = append(a, inbox.Attachment{Type: inbox.AttachmentVideo, URL: v.Video})
	}
	if v.Link != "" && v.Link != photo && v.Link != v.Video {
		a = append(a, inbox.Attachment{Type: inbox.AttachmentShare, URL: v.Link})
	}
	return a
}

// Feed items that are a post on the Page's timeline.
var postItems = map[string]bool{"post": true, "status": true, "photo": true, "video": true, "share": true}

// feedChange reads a change to the Page's feed: comments, visitor posts
// and reactions.
func (p *parsed) feedChange(e entry, raw json.RawMessage) {
	var v feedValue
	if err := p.decode(objectPage, "feed", raw, &v); err != nil {
		p.skip(skipMalformed, objectPage, "feed", raw)
		return
	}
	switch {
	case v.Item == "comment":
		p.feedComment(e, v, raw, false)
	case v.Item == "reaction":
		p.feedReaction(e, v, raw)
	case postItems[v.Item]:
		p.feedPost(e, v, raw)
	default:
		p.skip(skipChange, objectPage, "feed", raw)
	}
}

// feedComment reads a comment being added, edited, removed, hidden or
// shown again. mention marks a comment that mentions the Page.
func (p *parsed) feedComment(e entry, v feedValue, raw json.RawMessage, mention bool) {
	thread, parent := v.threadKey()
	p.feedItem(e, v, raw, feedTarget{
		id: string(v.CommentID), thread: thread, parent: parent, mention: mention,
	})
}

// feedPost reads a visitor post on the Page. The Page's own posts are
// where comments hang, not conversations: their text is kept as the
// context of those comments.
func (p *parsed) feedPost(e entry, v feedValue, raw json.RawMessage) {
	if v.author().ExternalID == string(e.ID) {
		p.pagePost(e, v, raw)
		return
	}
	p.feedItem(e, v, raw, feedTarget{id: string(v.PostID), thread: string(v.PostID)})
}

// pagePost reads the Page publishing or editing one of its own posts.
func (p *parsed) pagePost(e entry, v feedValue, raw json.RawMessage) {
	switch v.Verb {
	case "add", "edited", "edit", "update":
	default:
		p.skip(skipChange, objectPage, "feed", raw)
		return
	}
	p.add(objectPage, "feed", inbox.Event{
		Kind:              inbox.EventPostPublished,
		Platform:          inbox.PlatformFacebook,
		Channel:           inbox.ChannelFacebookComment,
		AccountExternalID: string(e.ID),
		PostExternalID:    string(v.PostID),
		PostType:          v.Item,
		Author:            v.author(),
		Text:              v.Message,
		OccurredAt:        firstTime(v.CreatedTime.seconds(), e.Time.seconds()),
	}, raw)
}

// feedTarget is the message a feed change is about.
type feedTarget struct {
	id, thread, parent string
	mention            bool
}

// field is the change field the target came in, for counting skips.
func (t feedTarget) field() string {
	if t.mention {
		return "mention"
	}
	return "feed"
}

// feedItem maps a comment or post change by its verb.
func (p *parsed) feedItem(e entry, v feedValue, raw json.RawMessage, t feedTarget) {
	field := t.field()
	account, author := string(e.ID), v.author()
	ev := inbox.Event{
		Platform:          inbox.PlatformFacebook,
		Channel:           inbox.ChannelFacebookComment,
		AccountExternalID: account,
		PostExternalID:    string(v.PostID),
		MessageExternalID: t.id,
		Author:            author,
		OccurredAt:        firstTime(v.CreatedTime.seconds(), e.Time.seconds()),
	}
	switch v.Verb {
	case "add":
		p.feedAdd(v, raw, t, ev)
		return
	case "edited", "edit", "update":
		ev.Kind, ev.Text = inbox.EventMessageEdited, v.Message
	case "remove", "delete":
		ev.Kind = inbox.EventMessageDeleted
	case "hide":
		ev.Kind = inbox.EventMessageHidden
	case "unhide":
		ev.Kind = inbox.EventMessageUnhidden
	default:
		p.skip(skipChange, objectPage, field, raw)
		return
	}
	p.add(objectPage, field, ev, raw)
}

// feedAdd reads a new comment or post.
func (p *parsed) feedAdd(v feedValue, raw json.RawMessage, t feedTarget, ev inbox.Event) {
	field := t.field()
	attachments := v.attachments()
	if v.Message == "" && len(attachments) == 0 && !t.mention {
		p.skip(skipNoText, objectPage, field, raw)
		return
	}
	// A comment whose payload names no author is still a citizen's
	// comment; it is kept under the placeholder rather than lost. A name
	// it carries is the message's author's, never the placeholder
	// contact's, which every such thread shares.
	author, contact := ev.Author, ev.Author
	if author.ExternalID == "" {
		author.ExternalID, contact = unknownAuthorID, inbox.Actor{ExternalID: unknownAuthorID}
	}
	ev.Kind = inbox.EventMessageCreated
	ev.ThreadKey, ev.ParentExternalID = t.thread, t.parent
	ev.Direction = commentDirection(ev.AccountExternalID, author)
	ev.SentOutsideInkorg = ev.Direction == inbox.DirectionOutbound
	ev.Contact, ev.Author = contact, author
	ev.Text, ev.Attachments, ev.Mention = v.Message, attachments, t.mention
	p.add(objectPage, field, ev, raw)
}

// feedReaction reads a reaction to a comment, or to a post when no comment
// is named. It changes counts on the message, never a conversation.
func (p *parsed) feedReaction(e entry, v feedValue, raw json.RawMessage) {
	target := string(v.CommentID)
	if target == "" {
		target = string(v.PostID)
	}
	kind := inbox.EventReactionAdded
	switch v.Verb {
	case "add", "edit", "edited":
	case "remove":
		kind = inbox.EventReactionRemoved
	default:
		p.skip(skipChange, objectPage, "feed", raw)
		return
	}
	ev := inbox.Event{
		Kind:              kind,
		Platform:          inbox.PlatformFacebook,
		Channel:           inbox.ChannelFacebookComment,
		AccountExternalID: string(e.ID),
		PostExternalID:    string(v.PostID),
		MessageExternalID: target,
		Author:            v.author(),
		OccurredAt:        firstTime(v.CreatedTime.seconds(), e.Time.seconds()),
	}
	if kind == inbox.EventReactionAdded {
		ev.Reaction = v.ReactionType
	}
	p.add(objectPage, "feed", ev, raw)
}

// pageMention reads the Page being @mentioned in a comment or post
// elsewhere on Facebook.
//
// A mention in a comment on the Page's own post (post_id "<page id>_…")
// is skipped: the same comment comes as a feed change, which names its
// author and its place in the thread, and the mention adds nothing the
// store keeps (the Page being named on its own post is not a mention
// "elsewhere"). Whichever arrived first would win the message's id, and a
// mention would leave the comment with the placeholder author and its own
// thread.
func (p *parsed) pageMention(e entry, raw json.RawMessage) {
	var v feedValue
	if err := p.decode(objectPage, "mention", raw, &v); err != nil {
		p.skip(skipMalformed, objectPage, "mention", raw)
		return
	}
	if e.ID != "" && strings.HasPrefix(string(v.PostID), string(e.ID)+"_") {
		p.skip(skipCovered, objectPage, "mention", nil)
		return
	}
	id := string(v.CommentID)
	if id == "" {
		id = string(v.PostID)
	}
	p.feedItem(e, v, raw, feedTarget{id: id, thread: id, mention: true})
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
