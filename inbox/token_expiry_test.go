package inbox_test

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func TestParseTokenExpiry(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	summer := time.FixedZone("CEST", 2*60*60)
	winter := time.FixedZone("CET", 60*60)
	for _, tc := range []struct {
		name, in string
		want     time.Time
	}{
		{"OKDays", "90d", now.AddDate(0, 0, 90)},
		{"OKDuration", "720h", now.Add(720 * time.Hour)},
		{"OKSpaces", " 1d ", now.AddDate(0, 0, 1)},
		{"OKDateSummer", "2027-06-30", time.Date(2027, 6, 30, 23, 59, 59, 999_999_000, summer)},
		{"OKDateWinter", "2026-12-31", time.Date(2026, 12, 31, 23, 59, 59, 999_999_000, winter)},
		{"OKDateToday", "2026-03-14", time.Date(2026, 3, 14, 23, 59, 59, 999_999_000, winter)},
		{"OKRFC3339", "2026-04-01T12:00:00+02:00", time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := inbox.ParseTokenExpiry(tc.in, now)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("ParseTokenExpiry(%q): got %s, error %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, in string }{
		{"ErrEmpty", ""},
		{"ErrWord", "soon"},
		{"ErrDaysFraction", "1.5d"},
		{"ErrDaysTooMany", "36501d"},
		{"ErrZeroDays", "0d"},
		{"ErrNegativeDays", "-1d"},
		{"ErrNegativeDuration", "-1h"},
		{"ErrDateYesterday", "2026-03-13"},
		{"ErrBadDate", "2026-02-30"},
		{"ErrPastTime", "2026-03-14T09:29:59Z"},
		{"ErrNowExactly", "2026-03-14T09:30:00Z"},
		{"ErrNoZone", "2026-04-01T12:00:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := inbox.ParseTokenExpiry(tc.in, now)
			if inbox.ErrorCode(err) != inbox.EINVALID || inbox.ErrorMessage(err) == "" {
				t.Errorf("ParseTokenExpiry(%q): got %s, error %v; want EINVALID with a message", tc.in, got, err)
			}
		})
	}
}

func TestAPITokenExpired(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	later := now.Add(time.Second)
	for _, tc := range []struct {
		name      string
		expiresAt *time.Time
		want      bool
	}{
		{"OKNever", nil, false},
		{"OKBefore", &later, false},
		{"OKAt", &now, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := &inbox.APIToken{ExpiresAt: tc.expiresAt}
			if got := tok.Expired(now); got != tc.want {
				t.Errorf("got Expired %v, want %v", got, tc.want)
			}
		})
	}
}
