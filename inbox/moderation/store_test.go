package moderation_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/moderation"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestQueueAndRecord runs the moderation queue on both dialects: the hook
// flags the scene's comment holding an identity number and the reply with
// a phone number, once however often the event comes; decisions leave
// the queue and are counted in the report.
func TestQueueAndRecord(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"SQLite", sqlstoretest.SQLite}, {"Postgres", sqlstoretest.Postgres}} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := recordtest.New(t, d.open(t))
			hook := moderation.Hook(moderation.Default(), s.Store, nil)
			for _, msg := range []struct {
				id        int64
				text, mid string
			}{{s.CommentMessage, recordtest.CommentText, "c_1"}, {s.OtherMessage, recordtest.OtherText, "c_2"}} {
				e := inbox.Event{Kind: inbox.EventMessageCreated, Channel: inbox.ChannelFacebookComment,
					Direction: inbox.DirectionInbound, Text: msg.text, OccurredAt: recordtest.T0}
				for range 2 {
					if err := hook(ctx, e, inbox.Applied{ConversationID: s.Comment, MessageID: msg.id}); err != nil {
						t.Fatal(err)
					}
				}
			}
			q, err := s.Store.FindModerationQueue(ctx, inbox.ModerationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(q) != 2 || q[0].MessageID != s.CommentMessage || q[0].Categories[0] != inbox.ModerationPersonalData || q[0].Message.Text != recordtest.EditedText {
				t.Fatalf("got queue %+v, want both comments flagged for personal data, once each", q)
			}
			if q, _ := s.Store.FindModerationQueue(ctx, inbox.ModerationFilter{AdministrationID: []string{"stadsbyggnad"}}); len(q) != 0 {
				t.Errorf("got %d flags for an administration the thread is not routed to, want none", len(q))
			}
			e := &inbox.ModerationEntry{MessageID: s.OtherMessage, ConversationID: s.Comment, Decision: inbox.DecisionKeep,
				Category: inbox.ModerationPersonalData, Reason: "Eget nummer, frivilligt lämnat", ActorID: s.Agent.ID}
			if err := s.Store.RecordModeration(ctx, e, inbox.ModerationKept, nil); err != nil || e.ID == 0 {
				t.Fatalf("got %v, id %d, want the decision stored", err, e.ID)
			}
			if q, _ := s.Store.FindModerationQueue(ctx, inbox.ModerationFilter{}); len(q) != 1 {
				t.Errorf("got %d open flags after a decision, want 1", len(q))
			}
			if q, _ := s.Store.FindModerationQueue(ctx, inbox.ModerationFilter{State: inbox.ModerationKept}); len(q) != 1 || q[0].DecidedBy != s.Agent.ID {
				t.Errorf("got kept %+v, want the reply decided by karin", q)
			}
			m := &inbox.Moderation{Store: s.Store}
			rows, err := m.Report(ctx, s.Agent, recordtest.T0, recordtest.T0.Add(48*time.Hour), inbox.ReportByDay)
			if err != nil || len(rows) != 1 || rows[0] != (inbox.ModerationReportRow{Period: "2026-03-03", Decision: inbox.DecisionKeep, Category: inbox.ModerationPersonalData, Count: 1}) {
				t.Errorf("got report %+v, %v, want one keep on 2026-03-03", rows, err)
			}
			rec, err := s.Store.FindConversationRecord(ctx, s.Comment)
			if err != nil || len(rec.Moderation) != 1 || rec.Moderation[0].Reason != e.Reason {
				t.Errorf("got record moderation %+v, %v, want the decision archived with the thread", rec.Moderation, err)
			}
		})
	}
}
