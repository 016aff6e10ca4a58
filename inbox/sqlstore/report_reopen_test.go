package sqlstore

import (
	"log/slog"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/slawatch"
)

// TestSummaryOfClosedWeekStaysWhenCitizenWritesAgain: the reports count a
// conversation by its first question, so one asked, answered and resolved
// within week 48 keeps counting as resolved in 1 h in week 48's summary
// when the citizen writes again weeks later, and after that new question
// is resolved.
func TestSummaryOfClosedWeekStaysWhenCitizenWritesAgain(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-01 08:00")}
		db.Now = func() time.Time { return w.clock }
		c := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "När öppnar badet?")
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-11-23 09:30", "Klockan 10.")
		w.status(c, "2026-11-23 10:00", inbox.StatusResolved)
		watch := &slawatch.Watcher{Store: w.s, SLA: businesstime.DefaultSLA(), Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return w.clock }, BatchSize: 10}
		summary := func() inbox.SummaryRow {
			t.Helper()
			if err := watch.Tick(t.Context()); err != nil {
				t.Fatal(err)
			}
			svc := &inbox.ReportService{Store: w.s, Location: stockholm, Now: func() time.Time { return w.clock }}
			req := inbox.ReportRequest{Kind: inbox.ReportSummary, From: sthlm(t, "2026-11-23 00:00"), To: sthlm(t, "2026-11-30 00:00")}
			rep, err := svc.Report(t.Context(), &inbox.User{Role: inbox.RoleSupervisor}, req)
			if err != nil {
				t.Fatal(err)
			}
			return rep.Summary[0]
		}
		show := func(p *float64) any {
			if p == nil {
				return nil
			}
			return *p
		}
		w.clock = sthlm(t, "2026-11-30 08:00")
		before := summary()
		t.Logf("week 48 on 30 Nov: resolved %d, resolution p50 %v s", before.Resolved, show(before.ResolutionWall.P50))
		// The citizen writes again on 14 December: a new question.
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-12-14 09:00", "Och på söndagar?")
		w.clock = sthlm(t, "2026-12-14 09:05")
		reopened := summary()
		if reopened.Resolved != before.Resolved || show(reopened.ResolutionWall.P50) != show(before.ResolutionWall.P50) {
			t.Errorf("week 48 after a new question on 14 Dec: resolved %d, resolution p50 %v s; on 30 Nov it was resolved %d, p50 %v s",
				reopened.Resolved, show(reopened.ResolutionWall.P50), before.Resolved, show(before.ResolutionWall.P50))
		}
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-12-14 09:30", "Stängt.")
		w.status(c, "2026-12-14 10:00", inbox.StatusResolved)
		w.clock = sthlm(t, "2026-12-14 10:05")
		again := summary()
		if show(again.ResolutionWall.P50) != show(before.ResolutionWall.P50) {
			t.Errorf("week 48 after the second question was resolved: resolution p50 %v s, was %v s (the first question took 1 h)",
				show(again.ResolutionWall.P50), show(before.ResolutionWall.P50))
		}
	})
}

// TestFirstQuestionClosedUnansweredStaysUnanswered: the first question
// was closed without a reply; weeks later the citizen asks again and gets
// a reply. Week 48's summary still counts the first question unanswered,
// not answered with a first response of three weeks.
func TestFirstQuestionClosedUnansweredStaysUnanswered(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-01 08:00")}
		db.Now = func() time.Time { return w.clock }
		c := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "Tack för hjälpen!")
		w.status(c, "2026-11-23 09:10", inbox.StatusResolved)
		watch := &slawatch.Watcher{Store: w.s, SLA: businesstime.DefaultSLA(), Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return w.clock }, BatchSize: 10}
		summary := func() inbox.SummaryRow {
			t.Helper()
			if err := watch.Tick(t.Context()); err != nil {
				t.Fatal(err)
			}
			svc := &inbox.ReportService{Store: w.s, Location: stockholm, Now: func() time.Time { return w.clock }}
			req := inbox.ReportRequest{Kind: inbox.ReportSummary, From: sthlm(t, "2026-11-23 00:00"), To: sthlm(t, "2026-11-30 00:00")}
			rep, err := svc.Report(t.Context(), &inbox.User{Role: inbox.RoleSupervisor}, req)
			if err != nil {
				t.Fatal(err)
			}
			return rep.Summary[0]
		}
		w.clock = sthlm(t, "2026-11-30 08:00")
		before := summary()
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-12-14 09:00", "En ny fråga")
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-12-14 09:30", "Svar")
		w.clock = sthlm(t, "2026-12-14 09:35")
		after := summary()
		if after.Answered != before.Answered {
			p := after.FirstResponseWall.P50
			t.Errorf("week 48: answered %d on 30 Nov, %d after a reply to a new question on 14 Dec (first response p50 %v s)", before.Answered, after.Answered, *p)
		}
	})
}
