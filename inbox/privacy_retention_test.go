package inbox_test

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func TestRetentionPolicyCutoff(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		name   string
		months int
		now    time.Time
		want   time.Time
	}{
		{"SameDay", 1, at(2026, 3, 15, 12), at(2026, 2, 15, 12)},
		{"EndOfMonth", 1, at(2026, 3, 31, 12), at(2026, 2, 28, 12)},
		{"EndOfMonthLeapYear", 1, at(2028, 3, 31, 12), at(2028, 2, 29, 12)},
		{"Day30", 1, at(2026, 5, 31, 8), at(2026, 4, 30, 8)},
		{"AcrossYear", 2, at(2026, 1, 31, 0), at(2025, 11, 30, 0)},
		{"Year", 12, at(2028, 2, 29, 23), at(2027, 2, 28, 23)},
		{"InUTC", 1, time.Date(2026, 4, 1, 1, 30, 0, 0, time.FixedZone("CEST", 2*3600)), time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := inbox.RetentionPolicy{Months: tt.months, Action: inbox.Pseudonymise}.Cutoff(tt.now)
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("%d months before %s: got %s, want %s", tt.months, tt.now, got, tt.want)
			}
		})
	}
}
