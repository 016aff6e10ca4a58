package sqlstore

import (
	"slices"
	"strconv"
	"testing"

	"inkorg/inbox"
)

// TestWithdrawnAfterAtRiskThenNewClock: on Messenger (2 business hours)
// the citizen's 09:00 message is at risk at 10:30 and notified; they
// unsend it at 10:40, so no clock runs, and write again at 11:00. The new
// clock (due 13:00, at risk 12:30) has its own at-risk and breach
// notifications, each sent once.
func TestWithdrawnAfterAtRiskThenNewClock(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_n", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, när töms soptunnan?")
		tick("2026-11-23 10:35")
		id := strconv.FormatInt(c, 10) + ":"
		want := []string{id + "at_risk:[1]"}
		if n := notified(pub); !slices.Equal(n, want) {
			t.Fatalf("first clock: notified %v, want %v", n, want)
		}
		w.withdraw(inbox.ChannelMessenger, "psid_n", "mid_1", "2026-11-23 10:40")
		tick("2026-11-23 10:45")
		if conv := w.waiting(c, inbox.StatusNew, "", ""); conv.SLA != nil {
			t.Fatalf("withdrawn: got SLA %+v, want none", conv.SLA)
		}
		w.message(inbox.ChannelMessenger, "psid_n", inbox.DirectionInbound, "2026-11-23 11:00", "Förlåt, fel fråga. Var lämnar jag grovsopor?")
		tick("2026-11-23 11:05")
		conv := w.waiting(c, inbox.StatusNew, "2026-11-23 11:00", "2026-11-23 11:00")
		if st := conv.SLA; st == nil || !st.Running || !st.StartedAt.Equal(sthlm(t, "2026-11-23 11:00")) || !st.DueAt.Equal(sthlm(t, "2026-11-23 13:00")) {
			t.Fatalf("new clock: got %+v, want a running clock from 11:00, due 13:00", st)
		}
		tick("2026-11-23 12:35")
		tick("2026-11-23 12:40")
		want = append(want, id+"at_risk:[1]")
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("new clock at risk: notified %v, want %v", n, want)
		}
		tick("2026-11-23 13:05")
		tick("2026-11-23 13:10")
		want = append(want, id+"breached:[1]")
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("new clock breached: notified %v, want %v", n, want)
		}
	})
}

// TestWithdrawnQuestionAfterNotifiedThenAnother: the first question's
// at-risk is notified before it is answered and resolved. The citizen
// writes again at 11:00 and unsends it at 11:02, before the watcher
// measures it: that question has no clock. Their 11:30 message starts
// one (due 13:30, at risk 13:00), whose at-risk is notified once, and
// then its breach.
func TestWithdrawnQuestionAfterNotifiedThenAnother(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_q", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, när öppnar biblioteket?")
		tick("2026-11-23 10:35")
		w.message(inbox.ChannelMessenger, "psid_q", inbox.DirectionOutbound, "2026-11-23 10:40", "Kl 10.")
		w.status(c, "2026-11-23 10:45", inbox.StatusResolved)
		tick("2026-11-23 10:50")
		id := strconv.FormatInt(c, 10) + ":"
		want := []string{id + "at_risk:[1]"}
		if n := notified(pub); !slices.Equal(n, want) {
			t.Fatalf("first question: notified %v, want %v", n, want)
		}
		w.message(inbox.ChannelMessenger, "psid_q", inbox.DirectionInbound, "2026-11-23 11:00", "Tack!")
		w.withdraw(inbox.ChannelMessenger, "psid_q", "mid_3", "2026-11-23 11:02")
		tick("2026-11-23 11:05")
		if conv := w.waiting(c, inbox.StatusOpen, "", ""); conv.SLA != nil {
			t.Fatalf("withdrawn question: got SLA %+v, want none", conv.SLA)
		}
		w.message(inbox.ChannelMessenger, "psid_q", inbox.DirectionInbound, "2026-11-23 11:30", "Har ni öppet på lördag?")
		tick("2026-11-23 11:35")
		conv := w.waiting(c, inbox.StatusOpen, "2026-11-23 11:30", "2026-11-23 11:30")
		if st := conv.SLA; st == nil || !st.Running || !st.StartedAt.Equal(sthlm(t, "2026-11-23 11:30")) {
			t.Fatalf("new clock: got %+v, want a running clock from 11:30", st)
		}
		tick("2026-11-23 13:05")
		tick("2026-11-23 13:10")
		want = append(want, id+"at_risk:[1]")
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("new clock at risk: notified %v, want %v", n, want)
		}
		tick("2026-11-23 13:35")
		want = append(want, id+"breached:[1]")
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("new clock breached: notified %v, want %v", n, want)
		}
	})
}

// TestSpamAndBackKeepsNotified: a conversation marked spam has no clock;
// put back, its clock is the one it had (from 09:00), whose at-risk was
// notified already: only its breach is news.
func TestSpamAndBackKeepsNotified(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_s", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, min faktura är fel.")
		tick("2026-11-23 10:35")
		w.status(c, "2026-11-23 10:40", inbox.StatusSpam)
		tick("2026-11-23 10:45")
		w.status(c, "2026-11-23 10:50", inbox.StatusOpen)
		tick("2026-11-23 10:55")
		if conv := w.waiting(c, inbox.StatusOpen, "2026-11-23 09:00", "2026-11-23 09:00"); conv.SLA == nil || !conv.SLA.StartedAt.Equal(sthlm(t, "2026-11-23 09:00")) {
			t.Fatalf("back from spam: got SLA %+v, want the clock from 09:00", conv.SLA)
		}
		tick("2026-11-23 11:05")
		id := strconv.FormatInt(c, 10) + ":"
		want := []string{id + "at_risk:[1]", id + "breached:[1]"}
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("notified %v, want %v", n, want)
		}
	})
}

// TestWithdrawnThenSpamThenNewClock: the citizen unsends their 09:00
// message after its at-risk was notified, and the conversation, without a
// clock, is marked spam. They write again at 11:00 and an agent puts it
// back: the clock from 11:00 has its own at-risk notification.
func TestWithdrawnThenSpamThenNewClock(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_x", inbox.DirectionInbound, "2026-11-23 09:00", "Hej")
		tick("2026-11-23 10:35")
		w.withdraw(inbox.ChannelMessenger, "psid_x", "mid_1", "2026-11-23 10:40")
		tick("2026-11-23 10:45")
		w.status(c, "2026-11-23 10:50", inbox.StatusSpam)
		tick("2026-11-23 10:55")
		if got := w.message(inbox.ChannelMessenger, "psid_x", inbox.DirectionInbound, "2026-11-23 11:00", "Hur ansöker jag om bygglov?"); got != c {
			t.Fatalf("the message opened conversation %d, want %d", got, c)
		}
		w.status(c, "2026-11-23 11:05", inbox.StatusOpen)
		tick("2026-11-23 11:10")
		conv := w.waiting(c, inbox.StatusOpen, "2026-11-23 11:00", "2026-11-23 11:00")
		if st := conv.SLA; st == nil || !st.Running || !st.StartedAt.Equal(sthlm(t, "2026-11-23 11:00")) {
			t.Fatalf("put back: got SLA %+v, want a running clock from 11:00", st)
		}
		tick("2026-11-23 12:35")
		id := strconv.FormatInt(c, 10) + ":"
		want := []string{id + "at_risk:[1]", id + "at_risk:[1]"}
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("notified %v, want %v", n, want)
		}
	})
}

// TestClockWithoutStartKeepsNotified: a row measured before clocks had a
// start (sla_started_at NULL) whose at-risk was notified keeps it when the
// clock, the same one, is measured with its start: only the breach is
// news.
func TestClockWithoutStartKeepsNotified(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_l", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, när är återvinningscentralen öppen?")
		tick("2026-11-23 09:05")
		if err := w.s.db.gorm.Exec(`UPDATE conversation_metrics SET sla_started_at = NULL, sla_notified = 'at_risk' WHERE conversation_id = ?`, c).Error; err != nil {
			t.Fatal(err)
		}
		w.message(inbox.ChannelMessenger, "psid_l", inbox.DirectionInbound, "2026-11-23 09:10", "Och på lördagar?")
		tick("2026-11-23 10:35")
		tick("2026-11-23 11:05")
		want := []string{strconv.FormatInt(c, 10) + ":breached:[1]"}
		if n := notified(pub); !slices.Equal(n, want) {
			t.Errorf("notified %v, want %v", n, want)
		}
	})
}
