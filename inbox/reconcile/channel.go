package reconcile

import (
	"context"
	"sync"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// commentEvent is the event a comment read back from the Graph API makes,
// in the shape the webhook parser gives the same comment.
func commentEvent(a *inbox.Account, postID string, c graph.Comment) inbox.Event {
	e := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: a.Platform, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: a.ExternalID, PostExternalID: postID, MessageExternalID: c.ID,
		Direction: inbox.DirectionInbound, Text: c.Text, OccurredAt: c.Created,
		Author: inbox.Actor{ExternalID: c.FromID, Name: c.FromName},
	}
	if a.Platform == inbox.PlatformInstagram {
		e.Channel = inbox.ChannelInstagramComment
		e.Author = inbox.Actor{ExternalID: c.FromID, Username: c.FromName}
	}
	// A top-level comment is its own thread; a reply belongs to the
	// thread of the comment it answers.
	e.ThreadKey = c.ID
	if c.ParentID != "" && c.ParentID != postID {
		e.ThreadKey, e.ParentExternalID = c.ParentID, c.ParentID
	}
	e.Contact = e.Author
	return e
}

// citizenComment reports whether the poll should apply c: a comment by
// someone other than the account itself (its own replies are recorded
// when sent) with what a stored message needs.
func citizenComment(a *inbox.Account, c graph.Comment) bool {
	return c.ID != "" && c.FromID != "" && c.FromID != a.ExternalID && !c.Created.IsZero()
}

type polledKey struct{}

// withPolled marks ctx as applying what the poll found, so the webhook
// activity hook does not count it as a webhook.
func withPolled(ctx context.Context) context.Context {
	return context.WithValue(ctx, polledKey{}, true)
}

// Polled reports whether ctx applies what the poll found.
func Polled(ctx context.Context) bool { v, _ := ctx.Value(polledKey{}).(bool); return v }

// activityEvery bounds how often the hook writes one account's
// last_webhook_at.
const activityEvery = time.Minute

// WebhookSeen returns an ingest hook that records, at most once a minute
// per account, that a webhook brought something for a managed account.
func WebhookSeen(store inbox.Store, now func() time.Time) inbox.EventHook {
	if now == nil {
		now = time.Now
	}
	var mu sync.Mutex
	last := map[string]time.Time{}
	ids := map[string]int64{}
	return func(ctx context.Context, e inbox.Event, _ inbox.Applied) error {
		if Polled(ctx) {
			return nil
		}
		key := string(e.Platform) + ":" + e.AccountExternalID
		t := now().UTC()
		mu.Lock()
		due := t.Sub(last[key]) >= activityEvery
		if due {
			last[key] = t
		}
		id, known := ids[key]
		mu.Unlock()
		if !due {
			return nil
		}
		if !known {
			accounts, err := store.FindAccounts(ctx)
			if err != nil {
				return nil // best effort: health is not worth a redelivery
			}
			for _, a := range accounts {
				if a.Platform == e.Platform && a.ExternalID == e.AccountExternalID {
					id = a.ID
				}
			}
			if id != 0 {
				mu.Lock()
				ids[key] = id
				mu.Unlock()
			}
		}
		if id != 0 {
			_ = store.RecordChannelActivity(ctx, id, &t, nil)
		}
		return nil
	}
}
