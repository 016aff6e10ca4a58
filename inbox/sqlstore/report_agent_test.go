package sqlstore

import (
	"fmt"
	"sort"
	"testing"

	"inkorg/inbox"
)

// TestReportAgentIsWhoAnswered: the summary grouped by agent credits a
// conversation to whoever sent the first reply to the citizen's question,
// not to whoever holds it now. Anna answers c1 and it is then handed to
// Bo; c2 is Bo's and nobody has answered it; c3 was answered from Meta
// Business Suite (no user) and is Anna's. In the summary Anna has c1 and
// c3, both answered, and Bo has c2, unanswered. The backlog and the hours,
// which are about the work, count each for who holds it: Anna c3, Bo c1
// and c2.
func TestReportAgentIsWhoAnswered(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		ctx := t.Context()
		anna := &inbox.User{Name: "Anna", Role: inbox.RoleAgent}
		bo := &inbox.User{Name: "Bo", Role: inbox.RoleAgent}
		for _, u := range []*inbox.User{anna, bo} {
			if err := w.s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		assign := func(conv int64, at string, u *inbox.User) {
			t.Helper()
			id := u.ID
			w.work(conv, at, inbox.ConversationUpdate{AssigneeID: &id}, "")
		}

		c1 := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "När öppnar Valhallabadet?")
		assign(c1, "2026-11-23 09:05", anna)
		sent := w.reply(c1, "t1", "2026-11-23 09:20", "Klockan 06.30 på vardagar.", anna)
		if _, err := w.s.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: sent, From: []inbox.OutboundState{inbox.OutboundQueued}, State: inbox.OutboundSending}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: sent, From: []inbox.OutboundState{inbox.OutboundSending}, State: inbox.OutboundSent, PlatformID: "m_sent_1"}); err != nil {
			t.Fatal(err)
		}
		assign(c1, "2026-11-23 11:00", bo)

		c2 := w.message(inbox.ChannelMessenger, "t2", inbox.DirectionInbound, "2026-11-23 10:00", "Var hämtar jag ut min p-tillstånd?")
		assign(c2, "2026-11-23 10:05", bo)

		c3 := w.message(inbox.ChannelMessenger, "t3", inbox.DirectionInbound, "2026-11-23 10:30", "Hej, vem tömmer soporna?")
		w.message(inbox.ChannelMessenger, "t3", inbox.DirectionOutbound, "2026-11-23 10:45", "Kretslopp och vatten.")
		assign(c3, "2026-11-23 10:50", anna)
		tick("2026-11-23 12:00")

		summary := map[string]string{}
		for _, r := range report(t, w.s, w.clock, inbox.ReportSummary, inbox.GroupAgent).Summary {
			summary[r.Label] = fmt.Sprintf("%d conversations, %d answered", r.Conversations, r.Answered)
		}
		want := map[string]string{"Anna": "2 conversations, 2 answered", "Bo": "1 conversations, 0 answered", "Totalt / Total": "3 conversations, 2 answered"}
		for label, v := range want {
			if summary[label] != v {
				t.Errorf("summary by agent, %q: got %q, want %q (all: %v)", label, summary[label], v, summary)
			}
		}

		backlog := map[string]int{}
		for _, d := range report(t, w.s, w.clock, inbox.ReportBacklog, inbox.GroupAgent).Backlog {
			if d.Date == "2026-11-23" && d.Group != inbox.TotalGroup {
				backlog[d.Label] = d.Count
			}
		}
		if backlog["Anna"] != 1 || backlog["Bo"] != 2 {
			t.Errorf("backlog by agent on 23 Nov: got %v, want Anna 1, Bo 2 (who holds them)", backlog)
		}

		var hours []string
		for _, h := range report(t, w.s, w.clock, inbox.ReportHours, inbox.GroupAgent).Hours {
			if h.Group != inbox.TotalGroup && h.Count > 0 {
				hours = append(hours, fmt.Sprintf("%s %d:%02d %d", h.Label, h.Weekday, h.Hour, h.Count))
			}
		}
		sort.Strings(hours)
		if got, want := fmt.Sprint(hours), "[Anna 1:10 1 Bo 1:09 1 Bo 1:10 1]"; got != want {
			t.Errorf("hours by agent: got %s, want %s", got, want)
		}

		// Rows measured before the column existed (migration 00038) take
		// the sender of the first reply from the messages.
		p, err := w.s.db.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 37); err != nil {
			t.Fatalf("DownTo(37): %v", err)
		}
		if _, err := w.s.db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			conv int64
			want *int64
		}{{"c1, Anna's reply", c1, &anna.ID}, {"c2, unanswered", c2, nil}, {"c3, sent outside inkorg", c3, nil}} {
			var row metricsRow
			if err := w.s.db.Gorm().WithContext(ctx).Where("conversation_id = ?", tc.conv).Take(&row).Error; err != nil {
				t.Fatal(err)
			}
			if (row.FirstResponderID == nil) != (tc.want == nil) || (tc.want != nil && *row.FirstResponderID != *tc.want) {
				t.Errorf("%s: first responder after the migration %v, want %v", tc.name, show64(row.FirstResponderID), show64(tc.want))
			}
		}
	})
}

// reply queues a reply from user u in conversation conv's Messenger thread
// at, as the web UI does, and returns its outbound action's id.
func (w *reportWorld) reply(conv int64, thread, at, text string, u *inbox.User) int64 {
	w.t.Helper()
	w.clock = sthlm(w.t, at)
	w.n++
	return queueDirectReply(w.t, w.s, conv, "page_1", thread, fmt.Sprintf("inkorg-r%d", w.n), text, u.ID, w.clock).Action.ID
}

func show64(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
