// Package storetest is the contract suite of inbox.Store: every adapter
// runs it, so SQLite and PostgreSQL behave the same.
//
// An adapter's test calls Run with a function that opens a fresh, empty,
// migrated store for each subtest:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) inbox.Store { return openEmptyStore(t) })
//	}
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"inkorg/inbox"
)

// opener opens a fresh, empty, migrated store that lives as long as t.
type opener func(t *testing.T) inbox.Store

// Run runs the whole contract suite against the stores open returns.
func Run(t *testing.T, open func(t *testing.T) inbox.Store) {
	o := opener(open)
	t.Run("ApplyEvent", func(t *testing.T) { runApplyEvent(t, o) })
	t.Run("FindConversations", func(t *testing.T) { runFindConversations(t, o) })
	t.Run("ConversationFilters", func(t *testing.T) { runConversationFilters(t, o) })
	t.Run("FindConversationByID", func(t *testing.T) { runFindConversationByID(t, o) })
	t.Run("Users", func(t *testing.T) { runUsers(t, o) })
	t.Run("APITokens", func(t *testing.T) { runAPITokens(t, o) })
	t.Run("Accounts", func(t *testing.T) { runAccounts(t, o) })
	t.Run("Audit", func(t *testing.T) { runAudit(t, o) })
	t.Run("Text", func(t *testing.T) { runText(t, o) })
	t.Run("Time", func(t *testing.T) { runTime(t, o) })
	t.Run("Triage", func(t *testing.T) { runTriage(t, o) })
	t.Run("Changes", func(t *testing.T) { runChanges(t, o) })
	t.Run("Receipts", func(t *testing.T) { runReceipts(t, o) })
	t.Run("RawDeliveries", func(t *testing.T) { runRawDeliveries(t, o) })
	t.Run("UnknownAccounts", func(t *testing.T) { runUnknownAccounts(t, o) })
	t.Run("Work", func(t *testing.T) { runWork(t, o) })
	t.Run("StatusHistory", func(t *testing.T) { runStatusHistory(t, o) })
	t.Run("Metrics", func(t *testing.T) { runMetrics(t, o) })
	t.Run("SLAQueue", func(t *testing.T) { runSLAQueue(t, o) })
	t.Run("Outbound", func(t *testing.T) { runOutbound(t, o) })
	t.Run("Rules", func(t *testing.T) { runRules(t, o) })
	t.Run("Alerts", func(t *testing.T) { runAlerts(t, o) })
	t.Run("Posts", func(t *testing.T) { runPosts(t, o) })
	t.Run("NestedReplies", func(t *testing.T) { runNestedReplies(t, o) })
	t.Run("ContactProfiles", func(t *testing.T) { runContactProfiles(t, o) })
}

// T0 is the platform time of the first message in the suite's scenarios.
// It has milliseconds, which every store keeps.
var T0 = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

// Account ids the suite's events name.
const (
	PageID      = "104729385720000"
	InstagramID = "17841400000000000"
)

// Event returns an inbound Messenger message in the thread with the
// citizen thread, with message id mid, sent at.
func Event(thread, mid string, at time.Time) inbox.Event {
	return inbox.Event{
		Kind:              inbox.EventMessageCreated,
		Platform:          inbox.PlatformFacebook,
		Channel:           inbox.ChannelMessenger,
		AccountExternalID: PageID,
		ThreadKey:         thread,
		MessageExternalID: mid,
		Direction:         inbox.DirectionInbound,
		Contact:           inbox.Actor{ExternalID: thread, Name: "Anna Andersson"},
		Author:            inbox.Actor{ExternalID: thread, Name: "Anna Andersson"},
		Text:              "Hej! När öppnar Valhallabadet efter renoveringen? (" + mid + ")",
		OccurredAt:        at,
	}
}

// Reply returns the city's outbound answer in the thread, sent at.
func Reply(thread, mid string, at time.Time) inbox.Event {
	e := Event(thread, mid, at)
	e.Direction = inbox.DirectionOutbound
	e.Contact = inbox.Actor{ExternalID: thread}
	e.Author = inbox.Actor{ExternalID: PageID, Name: "Göteborgs Stad"}
	e.Text = "Hej Anna! Badet öppnar igen den 1 juni. (" + mid + ")"
	return e
}

func ctx(t *testing.T) context.Context { return t.Context() }

// apply applies e and fails the test on error.
func apply(t *testing.T, s inbox.Store, e inbox.Event) inbox.Applied {
	t.Helper()
	a, err := s.ApplyEvent(ctx(t), e)
	if err != nil {
		t.Fatalf("ApplyEvent(%s): %v", e.MessageExternalID, err)
	}
	return a
}

// conversation returns the conversation with the id and fails the test
// when it cannot.
func conversation(t *testing.T, s inbox.Store, id int64) *inbox.Conversation {
	t.Helper()
	c, err := s.FindConversationByID(ctx(t), id)
	if err != nil {
		t.Fatalf("FindConversationByID(%d): %v", id, err)
	}
	return c
}

// messages returns the messages of the conversation and fails the test
// when it cannot.
func messages(t *testing.T, s inbox.Store, convID int64) []*inbox.Message {
	t.Helper()
	msgs, err := s.FindMessages(ctx(t), convID)
	if err != nil {
		t.Fatalf("FindMessages(%d): %v", convID, err)
	}
	return msgs
}

// wantCode fails the test unless err has the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := inbox.ErrorCode(err); got != code {
		t.Fatalf("got error code %q (%v), want %q", got, err, code)
	}
}

// wantTime fails the test unless got is the same instant as want, in UTC.
func wantTime(t *testing.T, name string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %s, want %s", name, fmtTime(got), fmtTime(want))
	} else if got.Location() != time.UTC {
		t.Errorf("%s: got location %s, want UTC", name, got.Location())
	}
}

// wantTimePtr is wantTime for optional times; want nil means unset.
func wantTimePtr(t *testing.T, name string, got, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil:
		t.Errorf("%s: got nil, want %s", name, fmtTime(*want))
	case want == nil:
		t.Errorf("%s: got %s, want nil", name, fmtTime(*got))
	default:
		wantTime(t, name, *got, *want)
	}
}

func fmtTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

func ptr(t time.Time) *time.Time { return &t }

// mid returns the i-th message id of a scenario.
func mid(prefix string, i int) string { return fmt.Sprintf("m_%s_%d", prefix, i) }
