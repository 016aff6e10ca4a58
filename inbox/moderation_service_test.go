package inbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"inkorg/inbox"
)

// failingRecord is a moderation store whose record of a decision fails,
// as a database that goes away between the two would.
type failingRecord struct {
	inbox.ModerationStores
}

func (failingRecord) RecordModeration(context.Context, *inbox.ModerationEntry, inbox.ModerationState, *inbox.QueuedOutbound) error {
	return inbox.WrapError(inbox.EUNAVAILABLE, errors.New("connection reset"), "The database is not answering.")
}

// TestDecideIsOneTransaction: a decision whose record fails queues no
// hide either, so nothing is hidden without its category and reason on
// record, and deciding again does not hide twice.
func TestDecideIsOneTransaction(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	if err := w.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	a, err := w.store.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: "post-1_1", PostExternalID: "post-1", MessageExternalID: "post-1_1",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "c1"}, Author: inbox.Actor{ExternalID: "c1"},
		Text: "Skicka hem dem", OccurredAt: now.Add(-time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	broken := &inbox.Moderation{Store: failingRecord{w.store}, Service: w.svc}
	if _, err := broken.Decide(ctx, w.agent, a.MessageID, inbox.DecisionHide, inbox.ModerationHate, "Hets"); inbox.ErrorCode(err) != inbox.EUNAVAILABLE {
		t.Fatalf("got %v, want the record's failure", err)
	}
	if actions, _ := w.store.FindOutboundActions(ctx, a.ConversationID); len(actions) != 0 {
		t.Fatalf("got %d outbound actions after a failed record, want none", len(actions))
	}
	m := &inbox.Moderation{Store: w.store, Service: w.svc}
	if _, err := m.Decide(ctx, w.agent, a.MessageID, inbox.DecisionHide, inbox.ModerationHate, "Hets"); err != nil {
		t.Fatal(err)
	}
	if actions, _ := w.store.FindOutboundActions(ctx, a.ConversationID); len(actions) != 1 {
		t.Fatalf("got %d outbound actions after deciding again, want one hide", len(actions))
	}
}
