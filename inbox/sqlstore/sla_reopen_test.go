package sqlstore

import (
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/slawatch"
)

// watchedWorld is a migrated store on a clock starting Monday 2026-11-23
// 08:00 with one supervisor (user 1), an SLA watcher with the default
// policies whose notices pub records, and tick, which sets the clock and
// runs the watcher once.
func watchedWorld(t *testing.T, url func(t *testing.T) string) (w *reportWorld, pub *inboxtest.LiveRecorder, tick func(at string)) {
	db := openMigrated(t, url)
	w = &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-23 08:00")}
	db.Now = func() time.Time { return w.clock }
	if err := w.s.CreateUser(t.Context(), &inbox.User{Name: "sara", Role: inbox.RoleSupervisor}); err != nil {
		t.Fatal(err)
	}
	pub = &inboxtest.LiveRecorder{}
	watch := &slawatch.Watcher{Store: w.s, SLA: businesstime.DefaultSLA(), Publisher: pub,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return w.clock }, BatchSize: 10}
	tick = func(at string) {
		w.clock = sthlm(t, at)
		if err := watch.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	return w, pub, tick
}

// TestSLAReopenedQuestion: a Messenger thread is one conversation for as
// long as the person writes. A question asked after the conversation was
// resolved gets a clock of its own from that message (2 business hours),
// and its at-risk and breach are notified again although the first
// question's were.
func TestSLAReopenedQuestion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		oldest := func(want string) {
			t.Helper()
			got, err := w.s.OldestUnanswered(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if want == "" && !got.IsZero() || want != "" && !got.Equal(sthlm(t, want)) {
				t.Errorf("oldest unanswered: got %v, want %q", got, want)
			}
		}
		sla := func(conv int64) *inbox.SLAStatus {
			c, err := w.s.FindConversationByID(t.Context(), conv)
			if err != nil {
				t.Fatal(err)
			}
			return c.SLA
		}
		// Monday: asked at 09:00, answered late at 11:30, resolved at 12:00.
		c := w.message(inbox.ChannelMessenger, "psid_9", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, när öppnar Valhallabadet?")
		tick("2026-11-23 10:35")
		tick("2026-11-23 11:05")
		w.message(inbox.ChannelMessenger, "psid_9", inbox.DirectionOutbound, "2026-11-23 11:30", "Hej! Badet öppnar 1 december.")
		w.status(c, "2026-11-23 12:00", inbox.StatusResolved)
		tick("2026-11-23 12:05")
		id := strconv.FormatInt(c, 10) + ":"
		first := []string{id + "at_risk:[1]", id + "breached:[1]"}
		if n := notified(pub); !slices.Equal(n, first) {
			t.Fatalf("first question: notified %v, want %v", n, first)
		}
		// Tuesday 09:00 the citizen asks again, which reopens it.
		if got := w.message(inbox.ChannelMessenger, "psid_9", inbox.DirectionInbound, "2026-11-24 09:00", "Kostar det något för barn?"); got != c {
			t.Fatalf("the new question opened conversation %d, want %d", got, c)
		}
		oldest("2026-11-24 09:00")
		tick("2026-11-24 09:10")
		st := sla(c)
		if st == nil || !st.Running || st.State != inbox.SLAOK || !st.StartedAt.Equal(sthlm(t, "2026-11-24 09:00")) || !st.DueAt.Equal(sthlm(t, "2026-11-24 11:00")) {
			t.Fatalf("reopened: SLA %+v, want a running clock started Tue 09:00, due 11:00", st)
		}
		// The reports count the conversation by its first question, which
		// missed its due time, whatever the next one does.
		missed := func(when string) {
			t.Helper()
			if rep := report(t, w.s, w.clock, inbox.ReportSummary, ""); len(rep.Summary) != 1 ||
				rep.Summary[0].SLAEvaluated != 1 || rep.Summary[0].SLAMet != 0 {
				t.Errorf("summary %s: got %+v, want one conversation that missed its SLA", when, rep.Summary)
			}
		}
		missed("while the second question's clock runs")
		tick("2026-11-24 10:35")
		tick("2026-11-24 11:05")
		want := append(first, id+"at_risk:[1]", id+"breached:[1]")
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("second question: notified %v, want %v", n, want)
		}
		w.message(inbox.ChannelMessenger, "psid_9", inbox.DirectionOutbound, "2026-11-24 11:10", "Barn under 7 år badar gratis.")
		oldest("")
		tick("2026-11-24 11:15")
		if st := sla(c); st == nil || st.Running || st.State != inbox.SLABreached || !st.StartedAt.Equal(sthlm(t, "2026-11-24 09:00")) {
			t.Errorf("answered: SLA %+v, want the second question's clock stopped, breached", st)
		}
		if n := notified(pub); len(n) != len(want) {
			t.Errorf("after the answer: notified %v, want nothing more", n)
		}
		missed("after the second question")
	})
}
