package sqlstore

import (
	"testing"

	"inkorg/inbox"
)

// TestReportsFromCitizensFirstMessage: a comment thread the Page starts
// under its own post waits for nothing until a citizen writes in it. One
// nobody answers is in no report and not in the backlog gauge; one a
// citizen answers on Tuesday counts from Tuesday.
func TestReportsFromCitizensFirstMessage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		w.message(inbox.ChannelFacebookComment, "c_post1", inbox.DirectionOutbound, "2026-11-23 09:00", "Badet öppnar 1 december.")
		w.message(inbox.ChannelMessenger, "psid_1", inbox.DirectionInbound, "2026-11-23 10:00", "Hej, när öppnar badet?")
		w.message(inbox.ChannelFacebookComment, "c_post2", inbox.DirectionOutbound, "2026-11-23 11:00", "Snöröjningen börjar i kväll.")
		w.message(inbox.ChannelFacebookComment, "c_post2", inbox.DirectionInbound, "2026-11-24 10:00", "Även på Hisingen?")
		tick("2026-11-24 12:00")
		checkCitizenReports(t, w)

		// Rows measured before first_inbound_at existed get it from their
		// messages when the schema is migrated.
		p, err := w.s.db.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(t.Context(), 24); err != nil {
			t.Fatalf("DownTo(24): %v", err)
		}
		if _, err := w.s.db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		checkCitizenReports(t, w)
	})
}

// checkCitizenReports checks the reports of TestReportsFromCitizensFirstMessage.
func checkCitizenReports(t *testing.T, w *reportWorld) {
	t.Helper()
	if rep := report(t, w.s, w.clock, inbox.ReportSummary, ""); len(rep.Summary) != 1 || rep.Summary[0].Conversations != 2 {
		t.Errorf("summary: got %+v, want 2 conversations a citizen wrote in", rep.Summary)
	}
	rep := report(t, w.s, w.clock, inbox.ReportBacklog, "")
	if len(rep.Backlog) < 2 || rep.Backlog[0].Count != 1 || rep.Backlog[1].Count != 2 {
		t.Errorf("backlog: got %+v, want 1 on Monday (the Messenger question), 2 on Tuesday", rep.Backlog)
	}
	counts, err := w.s.FindBacklog(t.Context())
	n := 0
	for _, c := range counts {
		n += c.Count
	}
	if err != nil || n != 2 {
		t.Errorf("FindBacklog: got %+v (%d), %v; want 2 conversations", counts, n, err)
	}
}

// TestDepartmentTimeGrowsWhileRouted: a conversation that stays with a
// department counts its time there up to the watcher's latest pass,
// although nothing about it changed since it was routed.
func TestDepartmentTimeGrowsWhileRouted(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_1", inbox.DirectionInbound, "2026-11-23 09:00", "Varför är gatan inte plogad?")
		routed, admin := inbox.StatusRouted, "trafikkontoret"
		w.work(c, "2026-11-23 09:30", inbox.ConversationUpdate{Status: &routed, AdministrationID: &admin}, "")
		tick("2026-11-23 10:00")
		// A later change elsewhere, so the passes no longer look at it
		// again for being the latest change.
		w.message(inbox.ChannelMessenger, "psid_2", inbox.DirectionInbound, "2026-11-23 11:00", "Hej")
		tick("2026-11-23 11:30")
		tick("2026-11-23 12:00")
		rep := report(t, w.s, w.clock, inbox.ReportSummary, "")
		want := pct(1, ms(2.5), ms(2.5), ms(2.5))
		if len(rep.Summary) != 1 || !equalPct(rep.Summary[0].DepartmentWall, want) || !equalPct(rep.Summary[0].DepartmentBusiness, want) {
			t.Errorf("summary: got %+v, want 2.5 h with the department (09:30–12:00), wall and business", rep.Summary)
		}
	})
}

func equalPct(a, b inbox.Percentiles) bool {
	eq := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Count == b.Count && eq(a.P50, b.P50) && eq(a.P90, b.P90) && eq(a.P95, b.P95)
}

// TestLateTriageReachesMetrics: a triage stored long after its message (a
// hook's retry) that makes the conversation urgent gives it the urgent
// policy, 30 minutes; one that changes neither language nor priority
// leaves the conversation's updated_at alone.
func TestLateTriageReachesMetrics(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		ctx := t.Context()
		c := w.message(inbox.ChannelMessenger, "psid_1", inbox.DirectionInbound, "2026-11-23 09:00", "Det brinner i soprummet!")
		tick("2026-11-23 09:05")
		// A later change elsewhere, so the passes no longer look at it
		// again for being the latest change.
		w.message(inbox.ChannelMessenger, "psid_2", inbox.DirectionInbound, "2026-11-23 09:06", "Hej")
		tick("2026-11-23 09:07")
		var msg int64
		if err := w.s.db.gorm.Raw("SELECT id FROM messages WHERE conversation_id = ?", c).Scan(&msg).Error; err != nil {
			t.Fatal(err)
		}
		w.clock = sthlm(t, "2026-11-23 09:10")
		triage := &inbox.Triage{MessageID: msg, Administration: "kretslopp-och-vatten", Priority: inbox.PriorityUrgent, Language: "sv"}
		if err := w.s.SaveTriage(ctx, c, triage); err != nil {
			t.Fatal(err)
		}
		tick("2026-11-23 09:15")
		conv, err := w.s.FindConversationByID(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if st := conv.SLA; st == nil || st.Policy != "urgent" || !st.DueAt.Equal(sthlm(t, "2026-11-23 09:30")) {
			t.Errorf("SLA: got %+v, want urgent, due 09:30", st)
		}
		w.clock = sthlm(t, "2026-11-23 09:20")
		triage.Administration = "stadsmiljoforvaltningen"
		if err := w.s.SaveTriage(ctx, c, triage); err != nil {
			t.Fatal(err)
		}
		if again, err := w.s.FindConversationByID(ctx, c); err != nil || !again.UpdatedAt.Equal(conv.UpdatedAt) {
			t.Errorf("updated_at after the same language and priority: got %v, %v; want %v", again.UpdatedAt, err, conv.UpdatedAt)
		}
	})
}
