package sqlstore

import (
	"fmt"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/slawatch"
)

// TestReportHoursHandComputed counts inbound messages, not conversations,
// by weekday and hour in Europe/Stockholm over the week that daylight
// saving time ends (Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET).
func TestReportHoursHandComputed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		w := &reportWorld{t: t, s: NewStore(db), clock: sthlm(t, "2026-10-01 08:00")}
		db.Now = func() time.Time { return w.clock }
		in, out := inbox.DirectionInbound, inbox.DirectionOutbound
		// A: two messages Monday 08:xx, a reply (not counted), one at 09:30.
		w.message(inbox.ChannelMessenger, "a", in, "2026-10-19 08:10", "Hej")
		w.message(inbox.ChannelMessenger, "a", in, "2026-10-19 08:50", "Hallå?")
		w.message(inbox.ChannelMessenger, "a", out, "2026-10-19 09:00", "Hej!")
		w.message(inbox.ChannelMessenger, "a", in, "2026-10-19 09:30", "Tack")
		// C: one message the Sunday before the range, one at Monday 00:00.
		w.message(inbox.ChannelMessenger, "c", in, "2026-10-18 23:59", "Sent")
		w.message(inbox.ChannelMessenger, "c", in, "2026-10-19 00:00", "Midnatt")
		// E is spam: in no report.
		e := w.message(inbox.ChannelMessenger, "e", in, "2026-10-20 10:00", "Köp!")
		w.status(e, "2026-10-20 10:05", inbox.StatusSpam)
		// B: comments at 02:30 CEST and, an hour later, 02:30 CET: both in
		// Sunday's hour 2. sthlm cannot tell them apart, so they are UTC.
		w.messageAt(inbox.ChannelFacebookComment, "b", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "Första")
		w.messageAt(inbox.ChannelFacebookComment, "b", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "Andra")
		// D: Monday 26 October 00:00, the day after the range.
		w.message(inbox.ChannelMessenger, "d", in, "2026-10-26 00:00", "Sen")

		w.clock = sthlm(t, "2026-10-27 12:00")
		watch := &slawatch.Watcher{Store: w.s, SLA: businesstime.DefaultSLA(), Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return w.clock }, BatchSize: 10}
		if err := watch.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		svc := &inbox.ReportService{Store: w.s, Location: stockholm, Now: func() time.Time { return w.clock }}
		hours := func(g inbox.GroupBy) map[string]int {
			t.Helper()
			req := inbox.ReportRequest{Kind: inbox.ReportHours, From: sthlm(t, "2026-10-19 00:00"), To: sthlm(t, "2026-10-26 00:00"), GroupBy: g}
			rep, err := svc.Report(t.Context(), &inbox.User{Role: inbox.RoleSupervisor}, req)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, c := range rep.Hours {
				if c.Count > 0 {
					got[fmt.Sprintf("%s %d-%02d", c.Group, c.Weekday, c.Hour)] = c.Count
				}
			}
			if len(rep.Hours)%(7*24) != 0 {
				t.Errorf("got %d cells, want 168 per group", len(rep.Hours))
			}
			return got
		}
		want := map[string]int{"* 1-00": 1, "* 1-08": 2, "* 1-09": 1, "* 7-02": 2}
		if got := hours(inbox.GroupNone); !reflect.DeepEqual(got, want) {
			t.Errorf("hours: got %v, want %v", got, want)
		}
		want = map[string]int{"messenger 1-00": 1, "messenger 1-08": 2, "messenger 1-09": 1, "facebook_comment 7-02": 2}
		if got := hours(inbox.GroupChannel); !reflect.DeepEqual(got, want) {
			t.Errorf("hours by channel: got %v, want %v", got, want)
		}
	})
}

// messageAt applies an inbound message sent at an instant, which local
// wall-clock times cannot name during the hour that repeats in autumn.
func (w *reportWorld) messageAt(ch inbox.Channel, thread string, at time.Time, text string) {
	w.t.Helper()
	w.n++
	plat, account := inbox.PlatformFacebook, "page_1"
	if ch.Platform() == inbox.PlatformInstagram {
		plat, account = inbox.PlatformInstagram, "ig_1"
	}
	citizen := inbox.Actor{ExternalID: thread, Name: "Anna"}
	w.clock = at
	if _, err := w.s.ApplyEvent(w.t.Context(), inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: plat, Channel: ch, AccountExternalID: account,
		ThreadKey: thread, MessageExternalID: fmt.Sprintf("mid_%d", w.n), Direction: inbox.DirectionInbound,
		Contact: citizen, Author: citizen, Text: text, OccurredAt: at,
	}); err != nil {
		w.t.Fatalf("ApplyEvent: %v", err)
	}
}
