package webhooks

import (
	"encoding/json"
	"strconv"
	"time"

	"inkorg/inbox"
)

// messagingItem is one element of an entry's messaging array, the same
// shape for Messenger and Instagram Direct. Exactly one of the event
// fields is normally set.
type messagingItem struct {
	Sender      party        `json:"sender"`
	Recipient   party        `json:"recipient"`
	Timestamp   timestamp    `json:"timestamp"`
	Message     *message     `json:"message"`
	MessageEdit *messageEdit `json:"message_edit"`
	Reaction    *reaction    `json:"reaction"`
	Read        *receipt     `json:"read"`
	Delivery    *receipt     `json:"delivery"`
	Postback    *postback    `json:"postback"`
}

type message struct {
	MID           metaID       `json:"mid"`
	Text          string       `json:"text"`
	IsEcho        flag         `json:"is_echo"`
	Metadata      string       `json:"metadata"`
	IsDeleted     flag         `json:"is_deleted"`
	IsUnsupported flag         `json:"is_unsupported"`
	Attachments   []attachment `json:"attachments"`
	QuickReply    *struct {
		Payload string `json:"payload"`
	} `json:"quick_reply"`
	ReplyTo *struct {
		MID   metaID `json:"mid"`
		Story *struct {
			ID  metaID `json:"id"`
			URL string `json:"url"`
		} `json:"story"`
	} `json:"reply_to"`
}

type messageEdit struct {
	MID  metaID `json:"mid"`
	Text string `json:"text"`
}

type reaction struct {
	MID      metaID `json:"mid"`
	Action   string `json:"action"`
	Emoji    string `json:"emoji"`
	Reaction string `json:"reaction"`
}

// receipt is a read or delivery receipt. Messenger sends a watermark (and
// for deliveries sometimes mids); Instagram's seen event names one mid.
type receipt struct {
	MID       metaID    `json:"mid"`
	MIDs      []metaID  `json:"mids"`
	Watermark timestamp `json:"watermark"`
}

type postback struct {
	MID     metaID `json:"mid"`
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// messagingFields are the keys of a messaging item that carry its event,
// to name the field of a skipped item.
var messagingFields = []string{
	"message", "message_edit", "reaction", "read", "delivery", "postback", "optin", "referral",
	"account_linking", "pass_thread_control", "take_thread_control", "request_thread_control",
	"app_roles", "policy_enforcement", "game_play", "response_feedback",
}

// messagingField names the event a messaging item carries.
func messagingField(raw json.RawMessage) string {
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) != nil {
		return ""
	}
	for _, f := range messagingFields {
		if _, ok := keys[f]; ok {
			return f
		}
	}
	return "unknown"
}

// messaging reads one event in a private thread with the account.
func (p *parsed) messaging(object string, e entry, raw json.RawMessage) {
	var it messagingItem
	if err := p.decode(object, "", raw, &it); err != nil {
		p.skip(skipMalformed, object, messagingField(raw), raw)
		return
	}
	t := thread{object: object, account: string(e.ID), at: firstTime(it.Timestamp.millis(), e.Time.millis()), raw: raw}
	switch {
	case it.Message != nil && bool(it.Message.IsDeleted):
		p.add(object, "message", t.event(inbox.EventMessageDeleted, string(it.Message.MID), it.Sender.actor()), raw)
	case it.Message != nil:
		p.newMessage(t, it, raw)
	case it.MessageEdit != nil:
		ev := t.event(inbox.EventMessageEdited, string(it.MessageEdit.MID), it.Sender.actor())
		ev.Text = it.MessageEdit.Text
		p.add(object, "message_edit", ev, raw)
	case it.Reaction != nil:
		p.reaction(t, it, raw)
	case it.Read != nil:
		p.receipt(t, it, inbox.EventMessagesRead, it.Read, "read")
	case it.Delivery != nil:
		p.receipt(t, it, inbox.EventMessagesDelivered, it.Delivery, "delivery")
	case it.Postback != nil:
		p.postback(t, it)
	default:
		p.skip(skipEvent, object, messagingField(raw), raw)
	}
}

// thread is what every event of one messaging item shares.
type thread struct {
	object, account string
	// at is the item's platform time, zero when it had none usable.
	at time.Time
	// raw is the item, whose shape is logged when it makes no event.
	raw json.RawMessage
}

func (t thread) channel() (inbox.Platform, inbox.Channel) {
	if t.object == objectInstagram {
		return inbox.PlatformInstagram, inbox.ChannelInstagramDirect
	}
	return inbox.PlatformFacebook, inbox.ChannelMessenger
}

// event returns an event of kind about message mid by author.
func (t thread) event(kind inbox.EventKind, mid string, author inbox.Actor) inbox.Event {
	platform, channel := t.channel()
	return inbox.Event{
		Kind:              kind,
		Platform:          platform,
		Channel:           channel,
		AccountExternalID: t.account,
		MessageExternalID: mid,
		Author:            author,
		OccurredAt:        t.at,
	}
}

// newMessage reads a private message to or from the account.
func (p *parsed) newMessage(t thread, it messagingItem, raw json.RawMessage) {
	m := it.Message
	attachments := m.attachments()
	if m.Text == "" && len(attachments) == 0 && !m.IsUnsupported {
		p.skip(skipNoText, t.object, "message", raw)
		return
	}
	direction, contact, author := messageParties(t.account, it)
	ev := t.event(inbox.EventMessageCreated, string(m.MID), author)
	// A private thread is the one conversation between the account and
	// one citizen's scoped id.
	ev.ThreadKey, ev.Direction, ev.Contact = contact.ExternalID, direction, contact
	ev.Text, ev.Attachments, ev.Unsupported = m.Text, attachments, bool(m.IsUnsupported)
	// An echo is a message the account sent from Meta's own tools or
	// another app; inkorg's own sends are stored when sent, under the same
	// mid, so their echo is a redelivery.
	ev.SentOutsideInkorg = direction == inbox.DirectionOutbound
	if ev.SentOutsideInkorg {
		// inkorg's own sends carry their idempotency key here.
		ev.Metadata = m.Metadata
	}
	if m.QuickReply != nil {
		ev.Payload = m.QuickReply.Payload
	}
	if m.ReplyTo != nil {
		ev.ParentExternalID = string(m.ReplyTo.MID)
	}
	p.add(t.object, "message", ev, raw)
}

// reaction reads a reaction to a message, or its removal.
func (p *parsed) reaction(t thread, it messagingItem, raw json.RawMessage) {
	r := it.Reaction
	kind := inbox.EventReactionAdded
	switch r.Action {
	case "react":
	case "unreact":
		kind = inbox.EventReactionRemoved
	default:
		p.skip(skipEvent, t.object, "reaction", raw)
		return
	}
	ev := t.event(kind, string(r.MID), it.Sender.actor())
	if kind == inbox.EventReactionAdded {
		ev.Reaction = r.Reaction
		// Meta names only a few reactions (love, sad, like …) and every
		// other emoji "other": the emoji then says what the citizen meant.
		if ev.Reaction == "" || ev.Reaction == "other" && r.Emoji != "" {
			ev.Reaction = r.Emoji
		}
	}
	p.add(t.object, "reaction", ev, raw)
}

// receipt reads a read or delivery receipt from the citizen. Instagram's
// seen event has no watermark: the citizen has then seen everything sent
// before it.
func (p *parsed) receipt(t thread, it messagingItem, kind inbox.EventKind, r *receipt, field string) {
	citizen := citizenOf(t.account, it)
	ev := t.event(kind, "", citizen)
	ev.ThreadKey, ev.Contact = citizen.ExternalID, citizen
	ev.Watermark = r.Watermark.millis()
	if ev.Watermark.IsZero() && t.object == objectInstagram {
		ev.Watermark = t.at
	}
	if r.MID != "" {
		ev.MessageExternalIDs = append(ev.MessageExternalIDs, string(r.MID))
	}
	for _, mid := range r.MIDs {
		if mid != "" {
			ev.MessageExternalIDs = append(ev.MessageExternalIDs, string(mid))
		}
	}
	if len(ev.MessageExternalIDs) > 0 {
		ev.MessageExternalID = ev.MessageExternalIDs[0]
	}
	p.add(t.object, field, ev, t.raw)
}

// postback reads a citizen tapping a button: a message whose text is the
// button's title. Messenger postbacks have no mid, so one is made from the
// sender and the time, which a redelivery repeats.
func (p *parsed) postback(t thread, it messagingItem) {
	pb := it.Postback
	mid := string(pb.MID)
	if mid == "" && !t.at.IsZero() {
		mid = "postback:" + string(it.Sender.ID) + ":" + strconv.FormatInt(t.at.UnixMilli(), 10)
	}
	sender := it.Sender.actor()
	ev := t.event(inbox.EventMessageCreated, mid, sender)
	ev.ThreadKey, ev.Direction, ev.Contact = sender.ExternalID, inbox.DirectionInbound, sender
	ev.Text, ev.Payload = pb.Title, pb.Payload
	if ev.Text == "" {
		ev.Text = pb.Payload
	}
	if ev.Text == "" {
		p.skip(skipNoText, t.object, "postback", t.raw)
		return
	}
	p.add(t.object, "postback", ev, t.raw)
}

// citizenOf is the party of an item that is not the account.
func citizenOf(account string, it messagingItem) inbox.Actor {
	if string(it.Sender.ID) == account && it.Recipient.ID != "" {
		return it.Recipient.actor()
	}
	return it.Sender.actor()
}

// messageParties tells the direction, the citizen and the author of a
// message. An echo is a message the account sent: Meta names the account
// as sender and the citizen as recipient. Some recorded echoes name them
// the other way round, so the citizen is whichever party is not the
// account when that can be told. A message the account sent to someone
// else is an echo whatever its is_echo says: a flag of a value no reader
// can tell ("yes") reads as false, and the Page would otherwise be filed
// as a citizen writing to itself.
func messageParties(account string, it messagingItem) (inbox.Direction, inbox.Actor, inbox.Actor) {
	sender, recipient := it.Sender.actor(), it.Recipient.actor()
	fromAccount := account != "" && sender.ExternalID == account &&
		recipient.ExternalID != "" && recipient.ExternalID != account
	if !bool(it.Message.IsEcho) && !fromAccount {
		return inbox.DirectionInbound, sender, sender
	}
	citizen := recipient
	if recipient.ExternalID == account && sender.ExternalID != account {
		citizen = sender
	}
	return inbox.DirectionOutbound, citizen, inbox.Actor{ExternalID: account}
}
