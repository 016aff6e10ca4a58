package inbox

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// EventKind says what happened on the platform.
type EventKind string

// Event kinds. A message is created once; every other kind changes a
// message (or, for receipts, the outbound messages of a thread) and may
// arrive before the message it changes.
const (
	// EventMessageCreated is a new comment, post or private message.
	EventMessageCreated EventKind = "message_created"
	// EventMessageEdited replaces a message's text; the earlier texts are
	// kept as its history.
	EventMessageEdited EventKind = "message_edited"
	// EventMessageDeleted is a message its author unsent or removed. The
	// text is kept for the record and the message is marked deleted.
	EventMessageDeleted EventKind = "message_deleted"
	// EventMessageHidden and EventMessageUnhidden are a comment being
	// hidden from or shown again to the public.
	EventMessageHidden   EventKind = "message_hidden"
	EventMessageUnhidden EventKind = "message_unhidden"
	// EventReactionAdded and EventReactionRemoved are one person's
	// reaction to a message, kept as counts on the message.
	EventReactionAdded   EventKind = "reaction_added"
	EventReactionRemoved EventKind = "reaction_removed"
	// EventMessagesDelivered and EventMessagesRead are receipts for the
	// city's messages in a private thread: the messages named, and every
	// outbound message sent up to Watermark.
	EventMessagesDelivered EventKind = "messages_delivered"
	EventMessagesRead      EventKind = "messages_read"
	// EventPostPublished is the account publishing (or editing) a post
	// with its text: not a conversation, but the context later comments
	// on it are shown with (inbox.Post).
	EventPostPublished EventKind = "post_published"
)

// Valid reports whether k is a known event kind.
func (k EventKind) Valid() bool {
	switch k {
	case EventMessageCreated, EventMessageEdited, EventMessageDeleted, EventMessageHidden,
		EventMessageUnhidden, EventReactionAdded, EventReactionRemoved,
		EventMessagesDelivered, EventMessagesRead, EventPostPublished:
		return true
	}
	return false
}

// ChangesMessage reports whether events of kind k change one existing
// message, named by the event's MessageExternalID.
func (k EventKind) ChangesMessage() bool {
	switch k {
	case EventMessageEdited, EventMessageDeleted, EventMessageHidden, EventMessageUnhidden,
		EventReactionAdded, EventReactionRemoved:
		return true
	}
	return false
}

// Receipt reports whether events of kind k are delivery or read receipts.
func (k EventKind) Receipt() bool {
	return k == EventMessagesDelivered || k == EventMessagesRead
}

// Actor is who wrote a message, as the platform names them.
type Actor struct {
	ExternalID string `json:"external_id"`
	Name       string `json:"name,omitempty"`
	Username   string `json:"username,omitempty"`
}

// Event is one thing that happened on a platform, normalised from a Meta
// webhook so the store never sees Meta's shapes.
type Event struct {
	Kind     EventKind `json:"kind"`
	Platform Platform  `json:"platform"`
	Channel  Channel   `json:"channel"`
	// AccountExternalID is the Page or Instagram account id the webhook
	// entry was for (entry.id).
	AccountExternalID string `json:"account_external_id"`
	// ThreadKey identifies the conversation on the platform (see
	// Conversation.ThreadKey). Events that change a message may leave it
	// empty: the message knows its conversation.
	ThreadKey      string `json:"thread_key"`
	PostExternalID string `json:"post_external_id,omitempty"`
	// PostType is the kind of post a comment is on, as the platform names
	// it (Instagram's media_product_type: FEED, REELS, STORY).
	PostType string `json:"post_type,omitempty"`
	// MessageExternalID is the platform's id of the message (mid, comment
	// id) the event creates or changes. Receipts name theirs in
	// MessageExternalIDs instead and may leave it empty.
	MessageExternalID string    `json:"message_external_id"`
	ParentExternalID  string    `json:"parent_external_id,omitempty"`
	Direction         Direction `json:"direction"`
	// Contact is the citizen the thread is with. For an outbound message it
	// is the recipient; Author is then the account. For a reaction, Author
	// is who reacted.
	Contact Actor  `json:"contact"`
	Author  Actor  `json:"author"`
	Text    string `json:"text"`
	// Attachments are the media, links and places a message carries.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Payload is the developer payload of a quick reply or postback.
	Payload string `json:"payload,omitempty"`
	// Metadata is the metadata of a message the account sent, as the
	// platform echoes it back; inkorg sets it to the send's idempotency key.
	Metadata string `json:"metadata,omitempty"`
	// SentOutsideInkorg marks an outbound message the platform echoed back:
	// the city wrote it in Meta Business Suite or another tool.
	SentOutsideInkorg bool `json:"sent_outside_inkorg,omitempty"`
	// Unsupported marks a message whose content the platform did not pass
	// on (Instagram's is_unsupported).
	Unsupported bool `json:"unsupported,omitempty"`
	// Mention marks a post or comment elsewhere that mentions the account.
	Mention bool `json:"mention,omitempty"`
	// Live marks a comment on a live broadcast (Instagram's live_comments
	// field). Meta takes no public reply to it, only a private reply
	// during the broadcast.
	Live bool `json:"live,omitempty"`
	// Reaction is the reaction of a reaction event ("like", "love", or an
	// emoji).
	Reaction string `json:"reaction,omitempty"`
	// MessageExternalIDs are the messages a receipt names.
	MessageExternalIDs []string `json:"message_external_ids,omitempty"`
	// Watermark is the time up to which a receipt covers every outbound
	// message of the thread; zero when it names messages only.
	Watermark  time.Time `json:"watermark,omitzero"`
	OccurredAt time.Time `json:"occurred_at"`
	// Triage is the triage of a new inbound message, made from its text
	// before it is stored (see Pretriage), for ApplyEvent to store in the
	// message's own transaction; nil leaves triage to the hooks after it.
	// It is never part of the platform's event.
	Triage *Triage `json:"-"`
}

// Pretriage triages e before it is stored, setting e.Triage, when e is a
// message that can be triaged from the event alone; it leaves e.Triage
// nil otherwise, and the hooks after ApplyEvent triage it instead.
type Pretriage func(ctx context.Context, e *Event)

// Attachment types, as Meta names them, plus AttachmentStoryReply, which
// inkorg adds for a private reply to a story. Types Meta adds later are
// kept under their own name.
const (
	AttachmentImage        = "image"
	AttachmentVideo        = "video"
	AttachmentAudio        = "audio"
	AttachmentFile         = "file"
	AttachmentLocation     = "location"
	AttachmentFallback     = "fallback"
	AttachmentStoryReply   = "story_reply"
	AttachmentStoryMention = "story_mention"
	AttachmentShare        = "share"
)

// Attachment is one medium, link or place on a message. URLs point at
// Meta's CDN and expire.
type Attachment struct {
	Type  string `json:"type"`
	URL   string `json:"url,omitempty"`
	Title string `json:"title,omitempty"`
	// ExternalID is the platform's id of the attached object (a sticker,
	// a story, a reel) when it has one.
	ExternalID string   `json:"external_id,omitempty"`
	Latitude   *float64 `json:"latitude,omitempty"`
	Longitude  *float64 `json:"longitude,omitempty"`
}

// MaxTextLength is the longest message text kept, in runes. Meta's own
// limits are far lower; this only guards the store.
const MaxTextLength = 64 * 1024

// MaxAttachments is the most attachments kept on one message.
const MaxAttachments = 100

// Validate reports the first reason e cannot be applied, as EINVALID.
func (e *Event) Validate() error {
	if err := e.validateCommon(); err != nil {
		return err
	}
	switch {
	case e.Kind == EventMessageCreated:
		return e.validateCreated()
	case e.Kind.Receipt():
		return e.validateReceipt()
	case e.Kind == EventPostPublished:
		if strings.TrimSpace(e.PostExternalID) == "" {
			return Errorf(EINVALID, "Post event has no post id.")
		}
		return nil
	case strings.TrimSpace(e.MessageExternalID) == "":
		return Errorf(EINVALID, "Event has no message id.")
	case (e.Kind == EventReactionAdded || e.Kind == EventReactionRemoved) && strings.TrimSpace(e.Author.ExternalID) == "":
		return Errorf(EINVALID, "Reaction has no author.")
	}
	return nil
}

func (e *Event) validateCommon() error {
	switch {
	case !e.Kind.Valid():
		return Errorf(EINVALID, "Unknown event kind %q.", e.Kind)
	case !e.Platform.Valid():
		return Errorf(EINVALID, "Unknown platform %q.", e.Platform)
	case !e.Channel.Valid() || e.Channel.Platform() != e.Platform:
		return Errorf(EINVALID, "Channel %q does not belong to platform %q.", e.Channel, e.Platform)
	case strings.TrimSpace(e.AccountExternalID) == "":
		return Errorf(EINVALID, "Event has no account id.")
	case e.OccurredAt.IsZero():
		return Errorf(EINVALID, "Event has no time.")
	case !utf8.ValidString(e.Text):
		return Errorf(EINVALID, "Message text is not valid UTF-8.")
	case utf8.RuneCountInString(e.Text) > MaxTextLength:
		return Errorf(EINVALID, "Message text is longer than %d characters.", MaxTextLength)
	case len(e.Attachments) > MaxAttachments:
		return Errorf(EINVALID, "Message has more than %d attachments.", MaxAttachments)
	}
	return nil
}

func (e *Event) validateCreated() error {
	switch {
	case strings.TrimSpace(e.ThreadKey) == "":
		return Errorf(EINVALID, "Event has no thread key.")
	case strings.TrimSpace(e.MessageExternalID) == "":
		return Errorf(EINVALID, "Event has no message id.")
	case e.Direction != DirectionInbound && e.Direction != DirectionOutbound:
		return Errorf(EINVALID, "Unknown direction %q.", e.Direction)
	case strings.TrimSpace(e.Contact.ExternalID) == "":
		return Errorf(EINVALID, "Event has no contact id.")
	}
	return nil
}

func (e *Event) validateReceipt() error {
	switch {
	case e.Channel.Public():
		return Errorf(EINVALID, "Receipts belong to private threads, not %q.", e.Channel)
	case strings.TrimSpace(e.ThreadKey) == "":
		return Errorf(EINVALID, "Receipt has no thread key.")
	case len(e.MessageExternalIDs) == 0 && e.Watermark.IsZero():
		return Errorf(EINVALID, "Receipt names no message and has no watermark.")
	}
	for _, id := range e.MessageExternalIDs {
		if strings.TrimSpace(id) == "" {
			return Errorf(EINVALID, "Receipt names an empty message id.")
		}
	}
	return nil
}

// Applied is what applying an event did.
type Applied struct {
	// ConversationID and MessageID are the conversation and message the
	// event created or changed; 0 when they are not stored yet (a change
	// that arrived before its message) or, for receipts, MessageID always.
	ConversationID int64
	MessageID      int64
	// Created is false when the event had been applied before (a redelivery)
	// and nothing changed.
	Created bool
	// NewConversation is true when the event started a conversation.
	NewConversation bool
	// UnknownAccount is true when the event created a message in a
	// conversation of an account that is not configured. A redelivery
	// leaves it false, so counting it counts each message once.
	UnknownAccount bool
	// AdministrationID is the administration the conversation was routed
	// to when a created message was stored, or when a receipt changed the
	// delivery state of its thread's messages (Delivery) ("" for none):
	// read with the conversation, so what runs after ingest need not read
	// it again.
	AdministrationID string
	// Triaged is true when the store saved e.Triage for the message created,
	// in the same transaction as the message, with the conversation's
	// triage facets (see TriageStore.SaveTriage). A redelivery leaves it
	// false.
	Triaged bool
	// PrivateReplies are, for a receipt, the private replies it newly
	// marked delivered or read. They are kept with their comments'
	// conversations, not with the receipt's thread (ConversationID), so
	// what runs after ingest learns of them only here. Empty for every
	// other event and for a receipt that marked none.
	PrivateReplies []MarkedMessage
	// Delivery is, for a receipt, the state it newly gave outbound
	// messages of its own thread (ConversationID), by its watermark or by
	// naming them: delivered or read. It is "" when it changed none of
	// them (a redelivery, an older receipt, a thread with no such message
	// yet) and for every other event.
	Delivery DeliveryState
}

// MarkedMessage is a message whose delivery state a receipt changed, with
// its conversation and the administration that conversation is routed to
// ("" for none), read with the message.
type MarkedMessage struct {
	ID               int64
	ConversationID   int64
	AdministrationID string
	Delivery         DeliveryState
}

// EventStore applies normalised platform events.
type EventStore interface {
	// ApplyEvent applies e in one transaction. A created message upserts
	// the contact, conversation and message; a change to a message is
	// recorded and applied to the message, now or when it arrives, in the
	// order of the platform's times. It is idempotent: applying the same
	// event again changes nothing and returns Created false. Events for an
	// account that is not configured still make a conversation, flagged
	// UnknownAccount. A new public comment also notes the post it hangs
	// under, for the post fetcher (see PostStore.NotePost).
	ApplyEvent(ctx context.Context, e Event) (Applied, error)
}

// EventHook runs after an event was applied, whether it created something
// (a.Created) or had been applied before: a delivery that failed in a hook
// comes round again as a duplicate, and the hook must then still run. So a
// hook must be idempotent. An error makes the queue deliver the delivery
// again. Hooks see every kind of event; most only care about
// EventMessageCreated.
type EventHook func(ctx context.Context, e Event, a Applied) error

// ReplaceNUL replaces NUL characters, which PostgreSQL cannot store in
// text, with U+FFFD, so a citizen's message is kept (and kept the same way
// on both dialects) rather than refused. The ingester calls it before
// anything sees the event, so the store and every hook after it (the post
// a comment is under, moderation, routing) get the same text.
func (e *Event) ReplaceNUL() {
	fields := []*string{&e.Text, &e.Contact.Name, &e.Contact.Username, &e.Author.Name, &e.Author.Username, &e.Payload, &e.Reaction}
	for i := range e.Attachments {
		fields = append(fields, &e.Attachments[i].Title, &e.Attachments[i].URL)
	}
	for _, p := range fields {
		if strings.ContainsRune(*p, 0) {
			*p = strings.ReplaceAll(*p, "\x00", "\uFFFD")
		}
	}
}
