package sqlstore

import (
	"reflect"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestSummaryByDayAgreesWithReports: the dashboard's days, summed in one
// pass over the range, are each day's summary report, across the end of
// daylight saving time (2026-10-25, a 25-hour day) and midnights.
func TestSummaryByDayAgreesWithReports(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		for i, at := range []string{"2026-10-23 23:59", "2026-10-24 00:00", "2026-10-24 09:00", "2026-10-24 23:30",
			"2026-10-25 00:10", "2026-10-25 02:30", "2026-10-25 23:59", "2026-10-26 00:00", "2026-10-26 10:00"} {
			thread := "psid_" + string(rune('a'+i))
			w.message(inbox.ChannelMessenger, thread, inbox.DirectionInbound, at, "Hej, en fråga om bygglov")
			if i%2 == 0 {
				w.message(inbox.ChannelMessenger, thread, inbox.DirectionOutbound, at[:11]+"23:59", "Svar")
			}
		}
		tick("2026-10-27 12:00")
		svc := &inbox.ReportService{Store: w.s, Location: stockholm, Now: func() time.Time { return w.clock }}
		sup := &inbox.User{Role: inbox.RoleSupervisor}
		from, to := sthlm(t, "2026-10-23 00:00"), sthlm(t, "2026-10-28 00:00")
		days, err := svc.SummaryByDay(t.Context(), sup, inbox.ReportRequest{From: from, To: to})
		if err != nil || len(days) != 5 {
			t.Fatalf("SummaryByDay: got %d days, %v; want 5", len(days), err)
		}
		total := 0
		for _, d := range days {
			rep, err := svc.Report(t.Context(), sup, inbox.ReportRequest{Kind: inbox.ReportSummary, From: d.Date, To: d.Date.AddDate(0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d.Summary, rep.Summary[0]) {
				t.Errorf("%s: by day %+v, the day's report %+v", d.Date.Format(time.DateOnly), d.Summary, rep.Summary[0])
			}
			total += d.Summary.Conversations
		}
		if total != 9 {
			t.Errorf("the days hold %d conversations, want all 9", total)
		}
	})
}
