package reconcile

import (
	"context"
	"slices"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// Kinds of what the poll finds, the kind label of
// inkorg_reconcile_found_total.
const (
	kindComment = "comment"
	kindMessage = "message"
	// kindOutbound counts the account's own messages, sent outside
	// inkorg, whose echo webhook never came.
	kindOutbound = "outbound"
)

// conversationsID is the object whose conversations edge lists a's
// private conversations: a Page-linked Instagram account's (Facebook
// Login) are on its Page, any other account's on itself.
func conversationsID(a *inbox.Account) string {
	if a.Platform == inbox.PlatformInstagram && a.PageID != "" {
		return a.PageID
	}
	return a.ExternalID
}

// pollConversations reads the account's latest private conversations and
// applies their messages written within the poll's window (see since),
// oldest first, as webhooks would have: the citizens' as inbound messages,
// the account's own as the echo webhook does (sent outside inkorg;
// inkorg's own sends match their stored reply).
func (r *Reconciler) pollConversations(ctx context.Context, a *inbox.Account, token string) (int, error) {
	if err := r.linkPage(ctx, a, token); err != nil {
		return 0, err
	}
	convs, rl, err := r.graph(a).Conversations(ctx, token, a.Platform, conversationsID(a), r.cfg.Conversations, r.cfg.ConversationMessages)
	if r.learn(a, rl, err) {
		return 0, errPaused
	}
	if err != nil {
		return 0, r.failed(ctx, a, err)
	}
	since := r.since(a)
	var events []inbox.Event
	for _, c := range convs {
		for _, m := range c.Messages {
			switch {
			case !usableMessage(m), m.Created.Before(since):
			case ownMessage(a, m):
				if m.ToID != "" && !ownID(a, m.ToID) {
					events = append(events, echoEvent(a, m))
				}
			default:
				events = append(events, messageEvent(a, m))
			}
		}
	}
	slices.SortStableFunc(events, func(x, y inbox.Event) int { return x.OccurredAt.Compare(y.OccurredAt) })
	// One event at a time, so that what was new is counted by direction.
	found := 0
	for _, e := range events {
		n, err := r.cfg.Apply(withPolled(ctx), "reconcile", []inbox.Event{e})
		found += n
		kind := kindMessage
		if e.Direction == inbox.DirectionOutbound {
			kind = kindOutbound
		}
		r.found.WithLabelValues(string(a.Platform), kind).Add(float64(n))
		if err != nil {
			return found, err
		}
	}
	return found, nil
}

// usableMessage reports whether m has what a stored message needs.
func usableMessage(m graph.ConversationMessage) bool {
	return m.ID != "" && m.FromID != "" && !m.Created.IsZero() && (m.Text != "" || len(m.Attachments) > 0)
}

// ownID reports whether id is the account itself or its linked Page.
func ownID(a *inbox.Account, id string) bool {
	return id == a.ExternalID || a.PageID != "" && id == a.PageID
}

// ownMessage reports whether the account sent m.
func ownMessage(a *inbox.Account, m graph.ConversationMessage) bool { return ownID(a, m.FromID) }

// privateChannel is the channel of a's private conversations.
func privateChannel(a *inbox.Account) inbox.Channel {
	if a.Platform == inbox.PlatformInstagram {
		return inbox.ChannelInstagramDirect
	}
	return inbox.ChannelMessenger
}

// person is the actor the conversations edge names by id and name
// (Messenger) or username (Instagram).
func person(a *inbox.Account, id, name string) inbox.Actor {
	if a.Platform == inbox.PlatformInstagram {
		return inbox.Actor{ExternalID: id, Username: name}
	}
	return inbox.Actor{ExternalID: id, Name: name}
}

// messageEvent is the event a citizen's private message read back from
// the Graph API makes, in the shape the webhook parser gives the same
// message: the thread is the one with the citizen's scoped id, keyed by
// the mid.
func messageEvent(a *inbox.Account, m graph.ConversationMessage) inbox.Event {
	author := person(a, m.FromID, m.FromName)
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: a.Platform, Channel: privateChannel(a),
		AccountExternalID: a.ExternalID, ThreadKey: m.FromID, MessageExternalID: m.ID,
		Direction: inbox.DirectionInbound, Contact: author, Author: author,
		Text: m.Text, Attachments: m.Attachments, OccurredAt: m.Created,
	}
}

// echoEvent is the event the account's own message read back from the
// Graph API makes, in the shape the webhook parser gives its echo: an
// outbound message sent outside inkorg in the thread with the recipient.
// The store recognises inkorg's own sends by the mid, or while the send
// is in flight by thread and text, so they never show twice.
func echoEvent(a *inbox.Account, m graph.ConversationMessage) inbox.Event {
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: a.Platform, Channel: privateChannel(a),
		AccountExternalID: a.ExternalID, ThreadKey: m.ToID, MessageExternalID: m.ID,
		Direction: inbox.DirectionOutbound, Contact: person(a, m.ToID, ""),
		Author: inbox.Actor{ExternalID: a.ExternalID}, SentOutsideInkorg: true,
		Text: m.Text, Attachments: m.Attachments, OccurredAt: m.Created,
	}
}
