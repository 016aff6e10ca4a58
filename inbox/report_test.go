package inbox_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the calendar's zone whatever the host has

	"inkorg/inbox"
)

func TestBuildReportGroups(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	d := func(m int) *time.Duration { v := time.Duration(m) * time.Minute; return &v }
	rows := []inbox.ReportRow{
		{ConversationID: 1, Channel: inbox.ChannelMessenger, Tags: []string{"badhus", "beröm"}, FirstMessageAt: day.Add(9 * time.Hour),
			FirstResponseBusiness: d(10), FirstResponseWall: d(10)},
		{ConversationID: 2, Channel: inbox.ChannelMessenger, Tags: []string{"badhus"}, FirstMessageAt: day.Add(10 * time.Hour),
			FirstResponseBusiness: d(20), FirstResponseWall: d(20)},
		{ConversationID: 3, Channel: inbox.ChannelMessenger, FirstMessageAt: day.Add(11 * time.Hour),
			FirstResponseBusiness: d(30), FirstResponseWall: d(30)},
		// Started before the range: only in the backlog.
		{ConversationID: 4, Channel: inbox.ChannelMessenger, Tags: []string{"badhus"}, FirstMessageAt: day.Add(-time.Hour)},
	}
	req := inbox.ReportRequest{Kind: inbox.ReportSummary, From: day, To: day.AddDate(0, 0, 1), GroupBy: inbox.GroupTag}
	rep := inbox.BuildReport(rows, req, time.UTC, day.AddDate(0, 0, 2))
	got := map[string][2]int{}
	for _, r := range rep.Summary {
		got[r.Group] = [2]int{r.Conversations, r.FirstResponseBusiness.Count}
	}
	want := map[string][2]int{"*": {3, 3}, "badhus": {2, 2}, "beröm": {1, 1}, "": {1, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups: got %v, want %v", got, want)
	}
	// Nearest rank of 10, 20, 30 minutes: p50 is the 2nd, p90 and p95 the 3rd.
	if p := rep.Summary[0].FirstResponseBusiness; *p.P50 != 1200 || *p.P90 != 1800 || *p.P95 != 1800 {
		t.Errorf("percentiles: got %v %v %v, want 1200 1800 1800", *p.P50, *p.P90, *p.P95)
	}
	table := rep.Table()
	if len(table) != 1+len(rep.Summary) || table[0][0] != "group" || len(table[1]) != len(table[0]) {
		t.Errorf("table: got %d records of %d and %d fields, want a header and one per row of equal width", len(table), len(table[0]), len(table[1]))
	}
	req.Kind = inbox.ReportBacklog
	rep = inbox.BuildReport(rows, req, time.UTC, day.AddDate(0, 0, 2))
	if len(rep.Backlog) != 3 || rep.Backlog[0].Group != "" || rep.Backlog[1].Group != "badhus" || rep.Backlog[1].Count != 3 {
		t.Errorf("backlog: got %+v, want ['', badhus 3, beröm] for one day", rep.Backlog)
	}
}

type noRows struct{}

func (noRows) FindReportRows(context.Context, inbox.ReportRequest) ([]inbox.ReportRow, error) {
	return nil, nil
}

func (noRows) ScanReportRows(context.Context, inbox.ReportRequest, func(*inbox.ReportRow) error) error {
	return nil
}

func (noRows) CountBacklog(context.Context, inbox.BucketQuery) ([]inbox.BacklogCount, error) {
	return nil, nil
}

func (noRows) CountInboundMessages(context.Context, inbox.BucketQuery) ([]inbox.HourCount, error) {
	return nil, nil
}

func TestReportServicePermissions(t *testing.T) {
	svc := &inbox.ReportService{Store: noRows{}, Location: time.UTC, Now: time.Now}
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	req := inbox.ReportRequest{Kind: inbox.ReportHours, From: day, To: day.AddDate(0, 0, 1)}
	for role, want := range map[inbox.Role]string{inbox.RoleSupervisor: "", inbox.RoleAdmin: "", inbox.RoleAgent: inbox.EFORBIDDEN, inbox.RoleSpecialist: inbox.EFORBIDDEN} {
		if _, err := svc.Report(t.Context(), &inbox.User{Role: role}, req); inbox.ErrorCode(err) != want {
			t.Errorf("%s: got %v, want code %q", role, err, want)
		}
	}
	req.To = day.AddDate(2, 0, 0)
	_, err := svc.Report(t.Context(), &inbox.User{Role: inbox.RoleAdmin}, req)
	if inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(err), "400 days") {
		t.Errorf("too long: got %v, want EINVALID about 400 days", err)
	}
}

// stockholm is the calendar's zone.
func stockholm(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestReportRequestDays checks the range limits in whole local days, both
// dates included, with daylight saving time changes inside the ranges.
func TestReportRequestDays(t *testing.T) {
	loc := stockholm(t)
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	svc := &inbox.ReportService{Store: noRows{}, Location: loc, Now: time.Now}
	admin := &inbox.User{Role: inbox.RoleAdmin}
	tests := []struct {
		name, from, last string
		report, byDay    string // the error message, "" when the range is allowed
	}{
		{"OK93Days", "2026-01-01", "2026-04-03", "", ""},       // spring forward on 2026-03-29
		{"OK93DaysAutumn", "2026-09-01", "2026-12-02", "", ""}, // fall back on 2026-10-25
		{"ErrDayByDay94Days", "2026-01-01", "2026-04-04", "", "Välj högst 93 dagar för en uppdelning per dag, båda datumen medräknade; perioden har 94."},
		{"ErrDayByDay94DaysAutumn", "2026-09-01", "2026-12-03", "", "Välj högst 93 dagar"},
		{"OK400Days", "2025-01-01", "2026-02-04", "", "Välj högst 93 dagar"},
		{"OK400DaysAutumn", "2025-10-01", "2026-11-04", "", "Välj högst 93 dagar"}, // fall back twice, spring forward once
		{"ErrReport401Days", "2025-01-01", "2026-02-05", "A report covers at most 400 days, both dates included; this range has 401.", ""},
		{"ErrReport401DaysSpring", "2025-03-01", "2026-04-05", "at most 400 days", ""}, // spring forward twice, fall back once
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from, to := day(tc.from), day(tc.last).AddDate(0, 0, 1)
			_, err := svc.Report(t.Context(), admin, inbox.ReportRequest{Kind: inbox.ReportSummary, From: from, To: to})
			wantErr(t, "Report", err, tc.report)
			if tc.report != "" {
				return
			}
			_, err = svc.SummaryByDay(t.Context(), admin, inbox.ReportRequest{From: from, To: to})
			wantErr(t, "SummaryByDay", err, tc.byDay)
		})
	}
}

// wantErr fails unless err is nil when want is empty, or EINVALID with a
// message containing want.
func wantErr(t *testing.T, call string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: got %v, want no error", call, err)
	case want != "" && (inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(err), want)):
		t.Errorf("%s: got %v, want EINVALID saying %q", call, err, want)
	}
}
