package webhooks

import (
	"encoding/json"

	"inkorg/inbox"
)

// messagingItem is one element of an entry's messaging array, the same
// shape for Messenger and Instagram Direct. Only new messages are read;
// reads, deliveries, reactions, postbacks and edits come in other fields.
type messagingItem struct {
	Sender    party     `json:"sender"`
	Recipient party     `json:"recipient"`
	Timestamp timestamp `json:"timestamp"`
	Message   *message  `json:"message"`
}

type message struct {
	MID       metaID `json:"mid"`
	Text      string `json:"text"`
	IsEcho    bool   `json:"is_echo"`
	IsDeleted bool   `json:"is_deleted"`
	ReplyTo   *struct {
		MID metaID `json:"mid"`
	} `json:"reply_to"`
}

func (m *message) replyTo() string {
	if m.ReplyTo == nil {
		return ""
	}
	return string(m.ReplyTo.MID)
}

// messaging reads a private message to or from the account.
func (p *parsed) messaging(object string, e entry, raw json.RawMessage) {
	var it messagingItem
	if err := json.Unmarshal(raw, &it); err != nil {
		p.skip(skipMalformed)
		return
	}
	m := it.Message
	switch {
	case m == nil || m.IsDeleted:
		p.skip(skipEvent)
		return
	case m.Text == "":
		p.skip(skipNoText)
		return
	}
	platform, channel := inbox.PlatformFacebook, inbox.ChannelMessenger
	if object == objectInstagram {
		platform, channel = inbox.PlatformInstagram, inbox.ChannelInstagramDirect
	}
	account := string(e.ID)
	direction, contact, author := messageParties(account, it)
	p.add(inbox.Event{
		Kind:              inbox.EventMessageCreated,
		Platform:          platform,
		Channel:           channel,
		AccountExternalID: account,
		// A private thread is the one conversation between the account and
		// one citizen's scoped id.
		ThreadKey:         contact.ExternalID,
		MessageExternalID: string(m.MID),
		ParentExternalID:  m.replyTo(),
		Direction:         direction,
		Contact:           contact,
		Author:            author,
		Text:              m.Text,
		OccurredAt:        firstTime(it.Timestamp.millis(), e.Time.millis()),
	})
}

// messageParties tells the direction, the citizen and the author of a
// message. An echo is a message the account sent: Meta names the account
// as sender and the citizen as recipient. Some recorded echoes name them
// the other way round, so the citizen is whichever party is not the
// account when that can be told.
func messageParties(account string, it messagingItem) (inbox.Direction, inbox.Actor, inbox.Actor) {
	sender, recipient := it.Sender.actor(), it.Recipient.actor()
	if !it.Message.IsEcho {
		return inbox.DirectionInbound, sender, sender
	}
	citizen := recipient
	if recipient.ExternalID == account && sender.ExternalID != account {
		citizen = sender
	}
	return inbox.DirectionOutbound, citizen, inbox.Actor{ExternalID: account}
}
