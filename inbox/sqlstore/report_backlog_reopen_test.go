package sqlstore

import (
	"log/slog"
	"reflect"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/slawatch"
)

// TestBacklogOfPastDaysStaysWhenReopened: a past day's backlog is
// history. A conversation asked on Monday 23 November and resolved on
// Wednesday 25th counts on 23 and 24 November; when the citizen writes
// again on 14 December it is reopened, and when that is resolved the same
// day, the backlog of 20–29 November is still what it was on 30 November,
// counted in the database and from the metrics rows alike, and after the
// schema migrates its metrics rows again (00034) from the status history,
// or from the resolution where the history has none. Two more
// conversations, one asked on 21 November and resolved the next day, one
// open since 26 November, round off the figures.
func TestBacklogOfPastDaysStaysWhenReopened(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-11-01 08:00")}
		db.Now = func() time.Time { return w.clock }
		c := w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-11-23 09:00", "När öppnar badet?")
		w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-11-23 09:30", "Vi kollar.")
		w.status(c, "2026-11-25 10:00", inbox.StatusResolved)
		w.message(inbox.ChannelMessenger, "t2", inbox.DirectionInbound, "2026-11-26 14:00", "Var lämnar jag grovsopor?")
		c3 := w.message(inbox.ChannelMessenger, "t3", inbox.DirectionInbound, "2026-11-21 09:00", "Är biblioteket öppet i morgon?")
		w.status(c3, "2026-11-22 10:00", inbox.StatusResolved)
		watch := &slawatch.Watcher{Store: w.s, SLA: businesstime.DefaultSLA(), Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return w.clock }, BatchSize: 10}
		req := inbox.ReportRequest{Kind: inbox.ReportBacklog, From: sthlm(t, "2026-11-20 00:00"), To: sthlm(t, "2026-11-30 00:00")}
		// backlog returns the counts of 20–29 November from the store's
		// counts and from BuildReport over FindReportRows.
		backlog := func() (counted, built []int) {
			t.Helper()
			if err := watch.Tick(t.Context()); err != nil {
				t.Fatal(err)
			}
			svc := &inbox.ReportService{Store: w.s, Location: stockholm, Now: func() time.Time { return w.clock }}
			rep, err := svc.Report(t.Context(), &inbox.User{Role: inbox.RoleSupervisor}, req)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := w.s.FindReportRows(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range rep.Backlog {
				counted = append(counted, d.Count)
			}
			for _, d := range inbox.BuildReport(rows, req, stockholm, w.clock).Backlog {
				built = append(built, d.Count)
			}
			return counted, built
		}
		// 21: t3; 23, 24: t1; 25: t1 resolved; 26–29: t2.
		want := []int{0, 1, 0, 1, 1, 0, 1, 1, 1, 1}
		w.clock = sthlm(t, "2026-11-30 08:00")
		for _, step := range []struct {
			name string
			do   func()
		}{
			{"on 30 November", func() {}},
			{"after the citizen wrote again on 14 December", func() {
				w.message(inbox.ChannelMessenger, "t1", inbox.DirectionInbound, "2026-12-14 09:00", "Och på söndagar?")
				w.clock = sthlm(t, "2026-12-14 09:05")
			}},
			{"after the new question was resolved", func() {
				w.message(inbox.ChannelMessenger, "t1", inbox.DirectionOutbound, "2026-12-14 09:30", "Stängt.")
				w.status(c, "2026-12-14 10:00", inbox.StatusResolved)
				w.clock = sthlm(t, "2026-12-14 10:05")
			}},
			{"after staff reopened it", func() {
				w.status(c, "2026-12-15 08:00", inbox.StatusOpen)
				w.clock = sthlm(t, "2026-12-15 08:05")
			}},
			{"after the schema migrated again", func() {
				// t3 was resolved before its history was kept.
				if err := db.gorm.Exec("DELETE FROM conversation_status_changes WHERE conversation_id = ? AND status = ?", c3, inbox.StatusResolved).Error; err != nil {
					t.Fatal(err)
				}
				p, err := db.provider()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := p.DownTo(t.Context(), 33); err != nil {
					t.Fatalf("DownTo(33): %v", err)
				}
				if _, err := db.Migrate(t.Context()); err != nil {
					t.Fatal(err)
				}
			}},
		} {
			step.do()
			counted, built := backlog()
			if !reflect.DeepEqual(counted, want) {
				t.Errorf("backlog of 20–29 November %s: got %v, want %v", step.name, counted, want)
			}
			if !reflect.DeepEqual(built, want) {
				t.Errorf("backlog of 20–29 November from the metrics rows %s: got %v, want %v", step.name, built, want)
			}
		}
	})
}
