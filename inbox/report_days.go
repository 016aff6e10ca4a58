package inbox

import (
	"context"
	"sort"
	"time"
)

// MaxSummaryDays is the longest range SummaryByDay splits into days.
const MaxSummaryDays = 93

// DaySummary is the summary report's total row for the conversations that
// started on one day.
type DaySummary struct {
	Date    time.Time // midnight in the report's zone
	Summary SummaryRow
}

// SummaryByDay returns, for each day of req's range, the total row of
// the ungrouped summary report of that day alone. req.Kind and
// req.GroupBy are ignored; the range covers at most MaxSummaryDays days.
func (s *ReportService) SummaryByDay(ctx context.Context, u *User, req ReportRequest) ([]DaySummary, error) {
	if err := CheckReportAccess(u); err != nil {
		return nil, err
	}
	req.Kind, req.GroupBy = ReportSummary, GroupNone
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if n := calendarDays(req.From, req.To); n > MaxSummaryDays {
		return nil, Errorf(EINVALID, "Välj högst %d dagar för en uppdelning per dag, båda datumen medräknade; perioden har %d. / Choose at most %d days for a breakdown by day, both dates included; the period has %d.",
			MaxSummaryDays, n, MaxSummaryDays, n)
	}
	// One pass over the range, each conversation summed into its day.
	var days []time.Time
	var accs []*summaryAcc
	for day := req.From.In(s.Location); day.Before(req.To); day = dayAfter(day, s.Location) {
		days = append(days, day)
		accs = append(accs, &summaryAcc{row: SummaryRow{Group: TotalGroup, Label: "Totalt / Total"}})
	}
	err := s.Store.ScanReportRows(ctx, req, func(r *ReportRow) error {
		// The last day starting at or before the row's time.
		i := sort.Search(len(days), func(i int) bool { return days[i].After(r.FirstMessageAt) }) - 1
		if i >= 0 {
			accs[i].add(r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]DaySummary, len(days))
	for i, day := range days {
		out[i] = DaySummary{Date: day, Summary: accs[i].finish()}
	}
	return out, nil
}

// dayAfter returns midnight of the day after day in loc, across DST
// changes.
func dayAfter(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// calendarDays counts the dates from from's up to to's, both in from's
// zone (the calendar's): the days of a range whose To is midnight after
// its last day. It counts dates rather than 24-hour spans, so a daylight
// saving time change inside the range does not change it.
func calendarDays(from, to time.Time) int {
	y, m, d := from.Date()
	first := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = to.In(from.Location()).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(first) / (24 * time.Hour))
}
