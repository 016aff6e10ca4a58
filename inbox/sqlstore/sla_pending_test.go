package sqlstore

import (
	"log/slog"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/slawatch"
)

// TestCitizenAnswerEndsPendingPause: time pending (waiting on the
// citizen) is left out of the clocks; once the citizen has answered,
// nobody waits on them, so their message opens the conversation and the
// clock runs again without staff changing the status.
func TestCitizenAnswerEndsPendingPause(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-23 08:00")}
		db.Now = func() time.Time { return w.clock }
		sla, err := businesstime.ParseSLA([]byte(`{"policies": [{"name": "resolve", "metric": "resolution", "target": "4h"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		// Mon 09:00 question; 09:10 the agent asks for the address and sets
		// pending; the citizen answers at 09:30. Nothing more happens.
		c := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "Gatlampan är trasig")
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-11-23 09:10", "Vilken adress?")
		w.status(c, "2026-11-23 09:15", inbox.StatusPending)
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:30", "Storgatan 1")
		// Tuesday 16:00: 15 min + 7 h Monday + 8.5 h Tuesday of business
		// time with the city since the citizen answered, against a 4 h target.
		w.clock = sthlm(t, "2026-11-24 16:00")
		watch := &slawatch.Watcher{Store: w.s, SLA: sla, Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return w.clock }, BatchSize: 10}
		if err := watch.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		conv, err := w.s.FindConversationByID(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		st := conv.SLA
		if st == nil {
			t.Fatal("no SLA")
		}
		t.Logf("status %s, SLA %+v", conv.Status, *st)
		changes, err := w.s.FindStatusChanges(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		if last := changes[len(changes)-1]; conv.Status != inbox.StatusOpen || last.Status != inbox.StatusOpen || !last.At.Equal(sthlm(t, "2026-11-23 09:30")) {
			t.Errorf("after the citizen answered: status %s, last status change %s at %s; want open at 09:30", conv.Status, last.Status, last.At)
		}
		if st.Paused || st.State != inbox.SLABreached {
			t.Errorf("a day and a half after the citizen answered: status %s, SLA state %s, paused %v, due %s; want running and breached (due Mon 13:15)",
				conv.Status, st.State, st.Paused, st.DueAt.In(stockholm).Format("Mon 2006-01-02 15:04"))
		}
	})
}

// TestLateMessageLeavesPendingWaiting: a citizen's message sent before the
// conversation was set pending, delivered after, does not answer it.
func TestLateMessageLeavesPendingWaiting(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-23 08:00")}
		db.Now = func() time.Time { return w.clock }
		c := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "Gatlampan är trasig")
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-11-23 09:10", "Vilken adress?")
		w.status(c, "2026-11-23 09:15", inbox.StatusPending)
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:12", "Tack")
		conv, err := w.s.FindConversationByID(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		changes, err := w.s.FindStatusChanges(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		if last := changes[len(changes)-1]; conv.Status != inbox.StatusPending || last.Status != inbox.StatusPending {
			t.Errorf("after a message sent before it was set pending: status %s, last status change %s; want pending", conv.Status, last.Status)
		}
	})
}
