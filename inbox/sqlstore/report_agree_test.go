package sqlstore

import (
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/slawatch"
)

// TestReportsAgreeWithRawData checks every report and grouping, over a
// generated year, against a straightforward computation: the summary and
// the backlog against BuildReport over every conversation's metrics row,
// the hours against each inbound message's time read in Go. The ranges
// cover the whole year and both changes of daylight saving time, one
// with today inside it.
func TestReportsAgreeWithRawData(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		newYearGen(5000).write(t, db)
		// Some conversations are spam, which no report counts.
		if err := db.gorm.Exec("UPDATE conversations SET status = 'spam' WHERE id % 23 = 0").Error; err != nil {
			t.Fatal(err)
		}
		end := benchYear.AddDate(1, 0, 0)
		db.Now = func() time.Time { return end }
		s := NewStore(db)
		w := &slawatch.Watcher{Store: s, SLA: businesstime.DefaultSLA(), Logger: slog.New(slog.DiscardHandler),
			Now: func() time.Time { return end }, BatchSize: 500}
		if err := w.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		loc := benchYear.Location()
		day := func(s string) time.Time {
			d, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		ranges := []struct{ from, to, now time.Time }{
			{benchYear, end, end},
			{day("2025-03-20"), day("2025-04-06"), end},
			{day("2025-10-20"), day("2025-11-03"), day("2025-10-27").Add(13*time.Hour + 45*time.Minute)},
		}
		naive := &naiveHourStore{Store: s, loc: loc}
		sup := &inbox.User{Role: inbox.RoleSupervisor}
		for _, r := range ranges {
			now := func() time.Time { return r.now }
			fast := &inbox.ReportService{Store: s, Location: loc, Now: now}
			plain := &inbox.ReportService{Store: naive, Location: loc, Now: now}
			for _, kind := range []inbox.ReportKind{inbox.ReportSummary, inbox.ReportBacklog, inbox.ReportHours} {
				for _, g := range []inbox.GroupBy{inbox.GroupNone, inbox.GroupAdministration, inbox.GroupChannel, inbox.GroupAccount, inbox.GroupAgent, inbox.GroupTag, inbox.GroupLanguage} {
					req := inbox.ReportRequest{Kind: kind, From: r.from, To: r.to, GroupBy: g}
					got, err := fast.Report(t.Context(), sup, req)
					if err != nil {
						t.Fatal(err)
					}
					var want *inbox.Report
					if kind == inbox.ReportHours {
						want, err = plain.Report(t.Context(), sup, req)
					} else {
						var rows []inbox.ReportRow
						rows, err = s.FindReportRows(t.Context(), req)
						want = inbox.BuildReport(rows, req, loc, r.now)
					}
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s by %q from %s: %s", kind, g, r.from.Format(time.DateOnly), firstDifference(got, want))
					}
					if !hasCounts(got) {
						t.Errorf("%s by %q from %s: every figure is 0, which tests nothing", kind, g, r.from.Format(time.DateOnly))
					}
				}
			}
		}
	})
}

// hasCounts reports whether the report counts anything.
func hasCounts(r *inbox.Report) bool {
	n := 0
	for _, s := range r.Summary {
		n += s.Conversations
	}
	for _, b := range r.Backlog {
		n += b.Count
	}
	for _, h := range r.Hours {
		n += h.Count
	}
	return n > 0
}

// firstDifference describes the first record of the two reports' tables
// that differs.
func firstDifference(got, want *inbox.Report) string {
	g, w := got.Table(), want.Table()
	for i := range min(len(g), len(w)) {
		if !reflect.DeepEqual(g[i], w[i]) {
			return "record " + mustJSON(i) + ": got " + mustJSON(g[i]) + ", want " + mustJSON(w[i])
		}
	}
	if len(g) != len(w) {
		return "got " + mustJSON(len(g)) + " records, want " + mustJSON(len(w))
	}
	return "got " + mustJSON(got) + ", want " + mustJSON(want)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// naiveHourStore counts inbound messages by reading every one and its
// conversation's metrics row, and placing its time in the zone in Go.
type naiveHourStore struct {
	*Store
	loc *time.Location
}

func (n *naiveHourStore) CountInboundMessages(ctx context.Context, q inbox.BucketQuery) ([]inbox.HourCount, error) {
	g := n.conn(ctx)
	var metrics []metricsRow
	if err := g.Find(&metrics).Error; err != nil {
		return nil, err
	}
	accounts, err := n.reportNames(ctx, inbox.GroupAccount)
	if err != nil {
		return nil, err
	}
	users, err := n.reportNames(ctx, inbox.GroupAgent)
	if err != nil {
		return nil, err
	}
	groups := map[int64]*inbox.ReportRow{}
	for _, m := range metrics {
		if m.Status == string(inbox.StatusSpam) {
			continue
		}
		groups[m.ConversationID] = &inbox.ReportRow{Channel: inbox.Channel(m.Channel), AccountID: m.AccountID, AccountName: accounts[m.AccountID],
			AdministrationID: m.AdministrationID, AssigneeID: m.AssigneeID, AssigneeName: users[m.AssigneeID], Language: m.Language, Tags: decodeTags(m.Tags)}
	}
	var msgs []struct {
		ConversationID int64  `gorm:"column:conversation_id"`
		Direction      string `gorm:"column:direction"`
		SentAt         dbTime `gorm:"column:sent_at"`
	}
	if err := g.Raw("SELECT conversation_id, direction, sent_at FROM messages").Scan(&msgs).Error; err != nil {
		return nil, err
	}
	type cell struct {
		group *inbox.ReportRow
		hour  int64
	}
	counts := map[cell]int{}
	for _, m := range msgs {
		at := m.SentAt.Time()
		group := groups[m.ConversationID]
		if m.Direction != string(inbox.DirectionInbound) || at.Before(q.From) || !at.Before(q.To) || group == nil {
			continue
		}
		local := at.In(n.loc)
		counts[cell{group, int64((int(local.Weekday())+6)%7*24 + local.Hour())}]++
	}
	var out []inbox.HourCount
	for c, k := range counts {
		out = append(out, inbox.HourCount{Group: c.group, Hour: c.hour, Messages: k})
	}
	return out, nil
}
